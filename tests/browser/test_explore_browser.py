"""Explore in a real browser: the pixel array readable on a 390 px phone and a 1280 px projector."""

import pytest

from tests.support.browser import expect, wait_for_run

pytestmark = pytest.mark.browser

# How an element fits: its own width and the width of what it holds, and whether it scrolls sideways.
FIT = """e => ({client: e.clientWidth, scroll: e.scrollWidth, overflow: getComputedStyle(e).overflowX,
              left: e.getBoundingClientRect().left, right: e.getBoundingClientRect().right})"""


def open_explore(browser, server, width, height, phone=False):
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(server + "/Explore?split=test&index=6")
    wait_for_run(page)
    expect(page.get_by_text("Zoom: rows 9 – 18, columns 9 – 18")).to_be_visible(timeout=60_000)
    return page


def test_on_a_phone_the_pixel_array_is_whole_the_zoom_fits_and_the_full_grid_scrolls(server, browser):
    page = open_explore(browser, server, 390, 844, phone=True)
    try:
        zoom = page.locator("[data-testid='stImage'] img").nth(1)  # the picture, then the zoom
        zoom.scroll_into_view_if_needed()
        box = zoom.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390 and box["width"] >= 300  # whole, and large

        grid = page.locator("[data-testid='pixel-grid']")
        expect(grid.locator("td")).to_have_count(784)
        fit = grid.evaluate(FIT)
        assert fit["overflow"] == "auto" and fit["scroll"] > fit["client"]  # wider than a phone: it scrolls…
        assert 0 <= fit["left"] and fit["right"] <= 390  # …inside a box on the screen, never clipped by it
        last = grid.locator("tr").first.locator("th").last
        assert last.inner_text() == "27" and last.bounding_box()["x"] > 390  # column 27, off to the right
        grid.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        box = last.bounding_box()
        assert box["x"] + box["width"] <= 390  # scrolled into sight

        page.get_by_text("The raw pixel array, as Python prints it").click()
        raw = page.locator("[data-testid='stExpander'] pre").first
        expect(raw).to_contain_text("array([[")
        fit = raw.evaluate(FIT)
        assert fit["scroll"] <= fit["client"] or fit["overflow"] in ("auto", "scroll")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself never scrolls sideways
    finally:
        page.context.close()


def test_on_a_projector_the_whole_grid_fits_without_scrolling(server, browser):
    page = open_explore(browser, server, 1280, 800)
    try:
        grid = page.locator("[data-testid='pixel-grid']")
        fit = grid.evaluate(FIT)
        assert fit["scroll"] <= fit["client"]
        numbers = grid.locator("td").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert numbers >= 12
        zoom = page.locator("[data-testid='stImage'] img").nth(1).bounding_box()
        assert zoom["width"] >= 400  # the zoom beside the picture, large
    finally:
        page.context.close()
