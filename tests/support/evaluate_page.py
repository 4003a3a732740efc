"""Evaluate's clickable confusion matrix in chromium: where a user clicks a square, and which square to click."""

import numpy as np

from tests.support.browser import expect, wait_for_run


def click_square(page, true, predicted, tap=False):
    """Click (or tap, on a phone) the square (true, predicted) of the clickable matrix where a user
    would: its middle, once the whole matrix is in sight at the bottom of the screen (the least a
    user scrolls to see it)."""
    chart = page.locator("[data-testid='stVegaLiteChart']").first  # the clickable matrix comes first
    squares = chart.locator("g.mark-rect").first.locator("path")
    expect(squares).to_have_count(100, timeout=30_000)
    chart.evaluate("e => e.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(300)
    box = squares.nth(true * 10 + predicted).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y) if tap else page.mouse.click(x, y)
    wait_for_run(page)


def most_frequent_mistake(evaluation):
    """The square off the diagonal holding the most test images, and their indices."""
    mistakes = evaluation.confusion * (1 - np.eye(10, dtype=int))
    true, predicted = (int(d) for d in np.unravel_index(mistakes.argmax(), mistakes.shape))
    return true, predicted, evaluation.cell_indices(true, predicted).tolist()
