"""axe-core (WCAG 2.1 A/AA) on every page, Draw after a stroke and Class with a class (issue 19):
no serious or critical violation: every picture has a text alternative, captions have enough contrast,
the confusion matrix's outline is no image without a name; the same in German. ``python -m bench.accessibility``
prints every rule's counts."""

import pytest

from tests.support.accessibility import PAGES, audit, open_page, severe, translated

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(browser, server, name):
    page = open_page(browser, server, name)
    try:
        found = severe(audit(page))  # before: image-alt 50 nodes, color-contrast 16, svg-img-alt 1
        assert found == {}, f"{name}: {found}"
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation_in_german(browser, server, name):
    """German words are longer: buttons, tabs and captions must still fit and keep their contrast."""
    if not translated("de"):
        pytest.skip("the German catalog translates nothing yet (digitlib/language/locale/de/LC_MESSAGES/digits.po); "
                    "the pages would be audited in English again")
    page = open_page(browser, server, name, lang="de")
    try:
        assert page.evaluate("document.documentElement.lang") == "de"
        found = severe(audit(page))
        assert found == {}, f"{name} (de): {found}"
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.context.close()
