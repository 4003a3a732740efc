"""axe-core (WCAG 2.1 A and AA rules) on the app's pages in chromium: the bench and the browser test."""

from __future__ import annotations

from collections import Counter

import numpy as np

from tests.support.browser import draw_strokes, new_page, prediction, start_class, wait_for_run

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")


def audit(page) -> list[dict]:
    """axe-core's violations of the WCAG 2.1 A/AA rules on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def by_impact(violations) -> Counter:
    """How many rules are violated, per impact."""
    return Counter(v["impact"] for v in violations)


def severe(violations) -> dict[str, int]:
    """Each serious or critical rule violated, with its number of nodes."""
    return {v["id"]: len(v["nodes"]) for v in violations if v["impact"] in ("serious", "critical")}


def draw_a_four(page) -> None:
    """One digit drawn on the Draw page, its prediction shown."""
    from digitlib.drawing import handwriting

    drawing = handwriting.random_drawing(4, np.random.default_rng(4))
    draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, drawing.strokes)
    prediction(page)


def open_page(browser, base, name):
    """The page ``name`` (one of PAGES) in a new desktop-sized context, its run finished."""
    if name == "Class":
        page, _ = start_class(browser, base)
    else:
        page = new_page(browser, base + PAGES[name])
        if name == "Draw":
            draw_a_four(page)
    wait_for_run(page)
    return page


# The pages audited: Draw after a stroke, Class as the teacher of a new class.
PAGES = {"Home": "/", "Explore": "/Explore", "Train": "/Train", "Evaluate": "/Evaluate", "Draw": "/Draw",
         "Class": "/Class", "Neural": "/Neural"}
