"""Reduced motion (issue 19): in a browser that prefers it, the class board waits for its Refresh button
instead of redrawing itself every few seconds, and animations and transitions end at once; elsewhere
the board still refreshes on its own."""

import pytest

from tests.support.browser import expect, metric_value, server_store, wait_for_run
from tests.support.class_store import BOARD

pytestmark = pytest.mark.browser

EMPTY = "No models on the board yet"
REFRESH = "Refresh the board"


def teacher_on_the_board(browser, server, **context):
    """A new class's teacher on its Board tab, in a context with ``context``'s options; the page and code."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    page.goto(server + "/Class")
    wait_for_run(page)
    page.get_by_role("button", name="Start a new class").click()
    wait_for_run(page)
    code = metric_value(page, "Class code")
    page.get_by_role("tab", name="Board").click()
    expect(page.get_by_text(EMPTY)).to_be_visible(timeout=60_000)
    return page, code


def test_reduced_motion_board_waits_for_its_button(browser, server):
    page, code = teacher_on_the_board(browser, server, reduced_motion="reduce")
    try:
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        # Animations and transitions end at once (Streamlit's own are 150-500 ms).
        assert page.evaluate("getComputedStyle(document.body).transitionDuration") in ("1e-05s", "0.00001s")
        server_store(server).record_experiment(code, "someone", **BOARD)
        page.wait_for_timeout(9_000)  # a teacher's board refreshes every 5 s (and reads the store 3 s late at most)
        expect(page.get_by_text(EMPTY)).to_be_visible()
        page.get_by_role("button", name=REFRESH).click()
        expect(page.get_by_text(EMPTY)).to_have_count(0, timeout=30_000)
        expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    finally:
        page.context.close()


def test_the_board_refreshes_itself_otherwise(browser, server):
    page, code = teacher_on_the_board(browser, server, reduced_motion="no-preference")
    try:
        server_store(server).record_experiment(code, "someone", **BOARD)
        expect(page.get_by_text(EMPTY)).to_have_count(0, timeout=20_000)  # no press: the board redrew itself
        expect(page.get_by_role("button", name=REFRESH)).to_be_visible()  # still there for whoever wants it now
    finally:
        page.context.close()
