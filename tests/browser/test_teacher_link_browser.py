"""The teacher's secret in a real browser: after the teacher link is opened, no history entry and not
the address bar holds the token, Back does not bring it back, a reload keeps the teacher's view,
and a replaced link stops working while the teacher's own browser stays the teacher's."""

import pytest

from tests.support.browser import expect, server_store, wait_for_run

pytestmark = pytest.mark.browser

TEACHER_ONLY = "Teacher: this class"


def history(tab):
    """Every URL of the tab's session history (the browser's own list, through the DevTools protocol)."""
    cdp = tab.context.new_cdp_session(tab)
    try:
        return [entry["url"] for entry in cdp.send("Page.getNavigationHistory")["entries"]]
    finally:
        cdp.detach()


def test_the_teacher_link_leaves_no_trace_and_survives_a_reload(server, browser):
    store = server_store(server)
    new = store.create_class()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(server + "/Explore")
        wait_for_run(tab)
        tab.goto(f"{server}/Class?class={new.code}&teacher={new.token}")
        tab.wait_for_url(lambda url: "teacher=" not in url)
        wait_for_run(tab)
        expect(tab.get_by_text(TEACHER_ONLY)).to_be_visible(timeout=60_000)
        assert new.token not in tab.url and f"class={new.code}" in tab.url
        urls = history(tab)
        assert len(urls) >= 2 and not [u for u in urls if new.token in u or "teacher=" in u], urls

        tab.go_back()  # Back goes to the page before, and Forward to the class without the token
        tab.wait_for_url(lambda url: "/Explore" in url)
        assert new.token not in tab.url
        tab.go_forward()
        wait_for_run(tab)
        assert new.token not in tab.url
        expect(tab.get_by_text(TEACHER_ONLY)).to_be_visible(timeout=60_000)

        tab.reload()
        wait_for_run(tab)
        expect(tab.get_by_text(TEACHER_ONLY)).to_be_visible(timeout=60_000)
        assert new.token not in tab.locator("body").inner_text()

        # A new link: the old one stops working at once, this browser stays the teacher's.
        tab.get_by_text(TEACHER_ONLY).click()
        tab.get_by_role("button", name="Replace the teacher link").click()
        expect(tab.get_by_text("The old teacher link no longer works")).to_be_visible(timeout=60_000)
        assert not store.is_teacher(new.code, new.token)
        tab.reload()
        wait_for_run(tab)
        expect(tab.get_by_text(TEACHER_ONLY)).to_be_visible(timeout=60_000)
    finally:
        context.close()

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = other.new_page()
        tab.goto(f"{server}/Class?class={new.code}&teacher={new.token}")
        tab.wait_for_url(lambda url: "teacher=" not in url)
        wait_for_run(tab)
        expect(tab.get_by_text("This teacher link no longer works")).to_be_visible(timeout=60_000)
        expect(tab.get_by_text(TEACHER_ONLY)).to_have_count(0)
        expect(tab.get_by_text(f"You are in class {new.code} as a student")).to_be_visible()
    finally:
        other.close()
