"""Settings in the address bar of a real browser: the lesson's steps, links between pages, "Copy link"."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import expect, server_store, wait_for_run

pytestmark = pytest.mark.browser


def query(page):
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def test_the_address_bar_follows_the_view_across_pages(server, browser):
    new = server_store(server).create_class()
    code = new.code
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(server + f"/Train?n=100&class={code}&teacher={new.token}")
        tab.wait_for_url(lambda url: "teacher=" not in url)  # the page reloads itself without the token
        wait_for_run(tab)
        expect(tab.get_by_text("0.68", exact=True)).to_be_visible(timeout=60_000)
        assert query(tab) == {"n": "100", "class": code}

        tab.get_by_role("button", name="Step 2: 500 images").click()
        expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        wait_for_run(tab)
        assert query(tab) == {"n": "500", "class": code}

        tab.get_by_role("button", name="Copy link").click()
        shown = tab.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
        expect(shown).to_have_text(f"{server}/Train?class={code}&n=500")
        tab.keyboard.press("Escape")

        tab.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Evaluate").click()
        expect(tab.locator("h1").first).to_have_text("Evaluate the model", timeout=60_000)
        wait_for_run(tab)
        expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        tab.wait_for_url(re.compile(r"/Evaluate\?.*index=6"))
        assert query(tab) == {"class": code, "n": "500", "test": "100", "index": "6"}
        assert new.token not in tab.url and new.token not in tab.locator("body").inner_text()
        assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
