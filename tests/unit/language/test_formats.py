"""Numbers and dates written as each language writes them (Babel), whatever language the thread spoke before."""

import datetime

import pytest

from digitlib.language import formats, use


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


@pytest.mark.parametrize(("lang", "accuracy", "images", "share"), [
    ("en", "0.68", "60,000", "68%"),
    ("de", "0,68", "60.000", "68\xa0%"),
    ("es", "0,68", "60.000", "68\xa0%"),
    ("fr", "0,68", "60\u202f000", "68\xa0%"),
])
def test_the_lessons_figures_in_each_language(lang, accuracy, images, share):
    use(lang)
    assert formats.decimal(0.68, 2) == accuracy
    assert formats.count(60000) == images
    assert formats.percent(0.68) == share


def test_decimals_are_kept_even_when_zero_and_rounded_when_more():
    use("de")
    assert formats.decimal(0.9, 2) == "0,90"
    assert formats.decimal(0.8849, 2) == "0,88"
    assert formats.percent(0.6834, 1) == "68,3\xa0%"
    assert formats.number(2.5) == "2,5"


def test_values_in_messages_are_localized_by_type():
    use("fr")
    assert formats.localize(1000) == "1\u202f000"
    assert formats.localize(0.5) == "0,5"
    assert formats.localize(True) == "True"
    assert formats.localize("abc") == "abc"


def test_dates_in_each_language():
    day = datetime.date(2026, 12, 5)
    use("de")
    assert formats.date(day) == "05.12.2026"
    use("en")
    assert formats.date(day) == "Dec 5, 2026"


def test_an_unknown_language_speaks_english():
    use("xx")
    assert formats.count(60000) == "60,000"
