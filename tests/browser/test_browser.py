"""The app in a real browser: deep links, navigation and drawing with the mouse."""

import pytest

from tests.support.browser import draw_strokes, expect, prediction, wait_for_run

pytestmark = pytest.mark.browser

SEVEN = [[(70, 60), (210, 60), (150, 150), (110, 235)]]
ONE = [[(140, 40), (140, 240)]]
ZERO = [[(140, 40), (200, 80), (210, 150), (190, 220), (140, 245), (90, 220), (70, 150), (80, 80), (140, 40)]]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_draw_deep_link_on_a_fresh_server_predicts_drawn_digits(server, page):
    page.goto(server + "/Draw")  # the very first session of this server
    wait_for_run(page)
    assert page.locator("h1").first.inner_text() == "Draw a digit"
    assert page.get_by_text("Draw a digit on the black square").is_visible()
    canvas = page.locator("[data-testid='stMain'] canvas").last
    for strokes, digit in ((SEVEN, "7"), (ONE, "1"), (ZERO, "0")):
        draw_strokes(page, canvas, strokes)
        wait_for_run(page)
        assert prediction(page) == digit
        page.get_by_role("button", name="Clear").click()
        expect(page.get_by_text("Draw a digit on the black square")).to_be_visible(timeout=30_000)
        expect(page.locator("[data-testid='stMetricValue']")).to_have_count(0)
        wait_for_run(page)
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("path, heading", [
    ("/", "Teaching a computer to read handwritten digits"),
    ("/Explore?split=test&index=6", "Explore the data"),
    ("/Train?n=100", "Train a model"),
    ("/Evaluate", "Evaluate the model"),
    ("/Draw", "Draw a digit"),
])
def test_every_page_opens_by_url(server, page, path, heading):
    page.goto(server + path)
    wait_for_run(page)
    assert page.locator("h1").first.inner_text() == heading
    assert page.locator("[data-testid='stException']").count() == 0
    if path.startswith("/Train"):
        expect(page.get_by_text("0.68", exact=True)).to_be_visible(timeout=60_000)


def test_sidebar_navigation_in_order(server, page):
    page.goto(server + "/")
    wait_for_run(page)
    links = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a")
    expect(links).to_have_count(7, timeout=30_000)
    # Each link's text is its icon's ligature name, then its label.
    assert [t.split("\n")[-1].strip() for t in links.all_inner_texts()] == [
        "Home", "Explore the data", "Train a model", "Evaluate", "Draw a digit", "Our class",
        "Compare with a neural network"]
    links.nth(3).click()
    expect(page.locator("h1").first).to_have_text("Evaluate the model", timeout=60_000)
    assert page.url.split("?")[0].endswith("/Evaluate")  # the page then writes its settings after the "?"
    expect(page.get_by_text("Accuracy", exact=True)).to_be_visible(timeout=60_000)
