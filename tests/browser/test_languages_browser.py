"""The languages in a real browser: a stroke on Draw (a fragment's own rerun) answers in Spanish, Train's steps
in German change the accuracy to 0,88, and the sidebar's language list switches the page and keeps the links."""

import pytest

from digitlib.language.catalogs import catalog
from tests.support.browser import draw_strokes, expect, new_page, prediction, wait_for_run

pytestmark = pytest.mark.browser
FOUR = [[(95, 45), (70, 160), (200, 160)], [(170, 60), (165, 250)]]


def say(lang, english):
    return catalog(lang).gettext(english)


def test_a_stroke_on_draw_answers_in_spanish(browser, server):
    page = new_page(browser, server + "/Draw?lang=es")
    try:
        draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, FOUR)
        assert prediction(page) == "4"
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_text(say("es", "Prediction"), exact=True)).to_be_visible()
        expect(main.get_by_role("button", name=say("es", "Clear"))).to_be_visible()
        assert main.get_by_role("button", name="Clear", exact=True).count() == 0
        assert page.evaluate("document.documentElement.lang") == "es"  # screen readers pronounce it as Spanish
    finally:
        page.context.close()


def test_trains_steps_in_german_show_088(browser, server):
    page = new_page(browser, server + "/Train?n=100&lang=de")
    try:
        main = page.locator("[data-testid='stMain']")
        accuracy = main.locator("[data-testid='stMetricValue']").first
        expect(accuracy).to_have_text("0,68", timeout=120_000)
        main.get_by_role("button", name=say("de", "Step 2: 500 images")).click()
        expect(accuracy).to_have_text("0,88", timeout=120_000)
        assert "lang=de" in page.url
    finally:
        page.context.close()


def test_the_sidebar_switches_the_language_and_the_links_keep_it(browser, server):
    page = new_page(browser, server + "/Train?n=100")
    try:
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_label("Language").click()  # Streamlit's select: a combobox, then its options
        page.get_by_role("option", name="Français").click()
        wait_for_run(page)
        expect(page.locator("h1").first).to_have_text(say("fr", "Train a model"), timeout=60_000)
        assert "lang=fr" in page.url
        link = sidebar.get_by_role("link", name=say("fr", "Evaluate"))
        assert "lang=fr" in link.get_attribute("href")
    finally:
        page.context.close()


def test_streamlits_own_words_are_written_in_german(browser, server):
    """Streamlit's uploader writes "Upload" and "12MB per file" in English: the page's style writes German."""
    page = new_page(browser, server + "/Draw?read=photo&lang=de")
    try:
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_role("button", name=say("de", "Upload"))).to_be_visible()
        assert main.get_by_role("button", name="Upload", exact=True).count() == 0
        instructions = main.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first
        shown = instructions.evaluate("e => getComputedStyle(e, '::before').content")
        assert say("de", "At most {size} MB per file").format(size=12) in shown
    finally:
        page.context.close()
