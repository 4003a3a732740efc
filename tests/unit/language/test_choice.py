"""Which language a page speaks: the link's, else the browser's, else English; an unknown one is said."""

import pytest

from digitlib.language import choice


@pytest.mark.parametrize(("param", "locale", "expected"), [
    ("de", "fr-FR", ("de", False)),      # the link wins over the browser
    (" ES ", None, ("es", False)),       # written loosely
    (None, "fr-CA", ("fr", False)),      # no link: the browser's language
    (None, "de_AT", ("de", False)),
    (None, "it-IT", ("en", False)),      # a language the app does not have: English, quietly
    (None, None, ("en", False)),
    ("xx", "de-DE", ("en", True)),       # a link asking for one it does not have: English, said
    ("", None, ("en", True)),
])
def test_pick(param, locale, expected):
    assert choice.pick(param, locale) == expected
