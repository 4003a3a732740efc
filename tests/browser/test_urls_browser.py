"""Odd links in a real browser: an unknown page is served the app shell, then says "Page not found"
and runs the main page, with no traceback and no long echo of the link."""

import urllib.request

import pytest

from tests.support.browser import expect, wait_for_run
from ui.url_params import ECHO_LIMIT

pytestmark = pytest.mark.browser

LONG = 5000  # as in tests/pages/test_urls.py


def test_unknown_page_serves_the_app_shell(server):
    """The server answers any path with the app; the page itself is resolved in the browser."""
    for path in ["/NoSuchPage", "/NoSuchPage?index=-1", "/" + "x" * LONG]:
        with urllib.request.urlopen(server + path, timeout=30) as response:
            body = response.read().decode()
        assert response.status == 200 and "Traceback" not in body


def test_unknown_page_shows_page_not_found_without_a_traceback(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(server + "/NoSuchPage?index=" + "9" * LONG)
        dialog = tab.get_by_role("dialog")
        expect(dialog).to_contain_text("Page not found", timeout=60_000)
        expect(dialog).to_contain_text("Running the app's main page")
        wait_for_run(tab)
        expect(tab.get_by_text("This page does not use")).to_be_visible()  # the home page, about index
        text = tab.locator("body").inner_text()
        assert "Traceback" not in text and "9" * (ECHO_LIMIT + 1) not in text
        assert tab.locator("[data-testid='stException']").count() == 0
        assert tab.locator("h1").first.inner_text() == "Teaching a computer to read handwritten digits"
    finally:
        context.close()
