"""Settings in the address bar of a real browser: the lesson's steps, links between pages, "Copy link"."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import expect, wait_for_run

pytestmark = pytest.mark.browser


def query(page):
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def test_the_address_bar_follows_the_view_across_pages(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(server + "/Train?n=100&class=ABCD23&teacher=s3cret-teacher-token")
        wait_for_run(tab)
        expect(tab.get_by_text("0.68", exact=True)).to_be_visible(timeout=60_000)
        assert query(tab) == {"n": "100", "class": "ABCD23"}  # the token left the address bar at once

        tab.get_by_role("button", name="Step 2: 500 images").click()
        expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        wait_for_run(tab)
        assert query(tab) == {"n": "500", "class": "ABCD23"}

        tab.get_by_role("button", name="Copy link").click()
        code = tab.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
        expect(code).to_have_text(f"{server}/Train?class=ABCD23&n=500")
        tab.keyboard.press("Escape")

        tab.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Evaluate").click()
        expect(tab.locator("h1").first).to_have_text("Evaluate the model", timeout=60_000)
        wait_for_run(tab)
        expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        tab.wait_for_url(re.compile(r"/Evaluate\?.*index=6"))
        assert query(tab) == {"class": "ABCD23", "n": "500", "test": "100", "index": "6"}
        assert "s3cret" not in tab.url and "s3cret" not in tab.locator("body").inner_text()
        assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
