"""Draw for a screen reader and without a pointer (issue 19): the canvas says what it is and how to use it,
the prediction is read out by a polite live region when it changes, and a test image picked by the
keyboard is read like a drawing."""

import re

import pytest

from tests.support.accessibility import draw_a_four
from tests.support.browser import expect, open_draw, prediction, wait_for_run

pytestmark = pytest.mark.browser

LIVE = "#digits-live"


def test_the_canvas_says_what_it_is(browser, server):
    page = open_draw(browser, server)
    try:
        canvas = page.get_by_role("img", name=re.compile("Drawing canvas"))
        expect(canvas).to_have_count(1)
        assert "draw" in canvas.get_attribute("aria-label").lower()
        layers = page.locator("[data-testid='stMain'] canvas:not(.upper-canvas)")  # background and ink: one image
        assert layers.count() >= 1
        assert all(layer.get_attribute("aria-hidden") == "true" for layer in layers.all())
    finally:
        page.context.close()


def test_a_test_image_by_keyboard_and_the_prediction_read_out(browser, server):
    page = open_draw(browser, server)
    try:
        box = page.locator("input[aria-label^='Or pick a test image']")
        for _press in range(80):  # the keyboard only: Tab to the box
            page.keyboard.press("Tab")
            if box.evaluate("e => e === document.activeElement"):
                break
        else:
            raise AssertionError("Tab never reached the test image box")
        page.keyboard.type("6")
        page.keyboard.press("Enter")
        read = prediction(page)
        live = page.locator(LIVE)
        expect(live).to_have_attribute("role", "status")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live).to_have_text(f"The model reads {read}.")
        size = live.bounding_box()
        assert size["width"] <= 1 and size["height"] <= 1  # read out, not shown

        # A drawing comes first, and its prediction is read out in turn.
        draw_a_four(page)
        wait_for_run(page)
        expect(live).to_have_text(f"The model reads {prediction(page)}.")
        assert page.locator(LIVE).count() == 1  # one region, kept
    finally:
        page.context.close()
