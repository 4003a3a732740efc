"""Moving between pages in a real browser, on a 390 × 844 phone (touch) and a 1280 × 800 projector:
the sidebar gets out of the way on a phone, a link's settings are honoured on arrival, nothing is cut."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import expect, wait_for_run

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
PROJECTOR = {"viewport": {"width": 1280, "height": 800}}
NEURAL = "Compare with a neural network"


@pytest.fixture
def open_page(browser):
    """``open_page(url, **context)``: a new browser context on ``url``, its first run finished."""
    contexts = []

    def opened(url, **context):
        contexts.append(browser.new_context(**context))
        tab = contexts[-1].new_page()
        tab.goto(url)
        wait_for_run(tab)
        return tab

    yield opened
    for context in contexts:
        context.close()


def query(tab):
    return {k: v[-1] for k, v in parse_qs(urlsplit(tab.url).query).items()}


def sidebar_link(tab, label):
    return tab.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text=label)


def shown_n(tab):
    """The value the "Training images (N)" slider shows."""
    return tab.locator("[data-testid='stSliderThumbValue']").first.inner_text()


# Whether a tap on the middle of the first element matching the selector would reach that element.
UNCOVERED = """(selector) => {
    const element = document.querySelector(selector);
    const box = element.getBoundingClientRect();
    return element.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
}"""


def uncovered(tab, selector):
    return tab.evaluate(UNCOVERED, selector)


def test_on_a_phone_the_sidebar_closes_after_a_page_link_and_n_arrives(server, open_page):
    tab = open_page(server + "/Train?n=500", **PHONE)
    expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
    sidebar = tab.locator("[data-testid='stSidebar']")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # a phone opens with it closed
    tab.locator("[data-testid='stExpandSidebarButton']").tap()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    assert sidebar_link(tab, NEURAL).get_attribute("href").endswith("Neural?n=500")

    sidebar_link(tab, NEURAL).tap()
    expect(tab.locator("h1").first).to_have_text(NEURAL, timeout=60_000)
    wait_for_run(tab)
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    heading = "[data-testid='stMain'] h1"
    tab.wait_for_function(UNCOVERED, arg=heading)  # once the sidebar has slid away
    assert uncovered(tab, heading)
    assert shown_n(tab) == "500" and query(tab) == {"n": "500"}

    tab.locator("[data-testid='stExpandSidebarButton']").tap()  # and the same from the page just reached
    sidebar_link(tab, "Evaluate").tap()
    expect(tab.locator("h1").first).to_have_text("Evaluate the model", timeout=60_000)
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    assert tab.locator("[data-testid='stException']").count() == 0


def test_on_a_projector_the_sidebar_stays_open_and_n_arrives(server, open_page):
    tab = open_page(server + "/Train?n=500", **PROJECTOR)
    expect(tab.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
    sidebar_link(tab, NEURAL).click()
    expect(tab.locator("h1").first).to_have_text(NEURAL, timeout=60_000)
    wait_for_run(tab)
    tab.wait_for_url(re.compile(r"/Neural\?n=500$"))
    assert shown_n(tab) == "500" and query(tab) == {"n": "500"}
    assert tab.locator("[data-testid='stSidebar']").get_attribute("data-collapsed") == "false"
    expect(sidebar_link(tab, "Train a model")).to_be_visible()
    assert uncovered(tab, "[data-testid='stMain'] h1")


@pytest.mark.parametrize("n", ["500", "1000"])
def test_a_direct_link_to_the_neural_page_opens_at_its_n(server, open_page, n):
    tab = open_page(server + f"/Neural?n={n}", **PROJECTOR)
    assert tab.locator("h1").first.inner_text() == NEURAL
    assert shown_n(tab) == f"{int(n):,}" and query(tab) == {"n": n}


@pytest.mark.parametrize("context", [PHONE, PROJECTOR, {"viewport": {"width": 700, "height": 900}}],
                         ids=["phone", "projector", "tablet"])
def test_home_cuts_no_label_and_its_table_covers_no_text(server, open_page, context):
    tab = open_page(server + "/", **context)
    labels = tab.locator("[data-testid='stMain'] [data-testid='stPageLink'] a span")
    expect(labels).to_have_count(5)
    assert [label.inner_text() for label in labels.all()][-1] == "5 · Neural network"
    assert labels.evaluate_all("spans => spans.filter(s => s.scrollWidth > s.clientWidth).length") == 0
    table = tab.locator("[data-testid='stMain']").locator("[data-testid='stTable'], [data-testid='stDataFrame']")
    if context.get("has_touch"):
        table.tap()
    else:
        table.hover()
    loaded = tab.locator("[data-testid='stMarkdownContainer']", has_text="Loaded:")
    loaded.scroll_into_view_if_needed()
    reachable = loaded.evaluate("""(element) => {  // every line of the text, at its start, middle and end
        const range = document.createRange();
        range.selectNodeContents(element);
        return [...range.getClientRects()].flatMap((r) => [r.left + 1, r.left + r.width / 2, r.right - 1].map(
            (x) => element.contains(document.elementFromPoint(x, r.top + r.height / 2))));
    }""")
    assert reachable and all(reachable)
