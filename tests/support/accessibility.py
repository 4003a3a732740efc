"""axe-core (WCAG 2.1 A and AA rules) on the app's pages in chromium: the bench and the browser test."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from tests.support.browser import draw_strokes, new_page, prediction, start_class, wait_for_run

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")


def audit(page) -> list[dict]:
    """axe-core's violations of the WCAG 2.1 A/AA rules on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def by_impact(violations) -> Counter:
    """How many rules are violated, per impact."""
    return Counter(v["impact"] for v in violations)


def severe(violations) -> dict[str, int]:
    """Each serious or critical rule violated, with its number of nodes."""
    return {v["id"]: len(v["nodes"]) for v in violations if v["impact"] in ("serious", "critical")}


def draw_a_four(page) -> None:
    """One digit drawn on the Draw page, its prediction shown."""
    from digitlib.drawing import handwriting

    drawing = handwriting.random_drawing(4, np.random.default_rng(4))
    draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, drawing.strokes)
    prediction(page)


def open_page(browser, base, name, lang: str | None = None):
    """The page ``name`` (one of PAGES) in a new desktop-sized context, in the language ``lang`` (the link's
    ``lang``) if given, its run finished."""
    if name == "Class":
        page, _code = start_class(browser, base)
        if lang:  # the class started in English (its button's English name), then the page in ``lang``
            page.goto(in_language(page.url, lang))
    else:
        page = new_page(browser, in_language(base + PAGES[name], lang))
        if name == "Draw":
            draw_a_four(page)
    wait_for_run(page)
    return page


def in_language(url: str, lang: str | None) -> str:
    """``url`` with ``lang=<lang>`` in its query (unchanged without ``lang``)."""
    if not lang:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", lang)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def translated(lang: str) -> int:
    """How many messages the catalog of ``lang`` translates (0 while it is only extracted, or missing)."""
    from babel.messages.pofile import read_po

    from digitlib.language.catalogs import DOMAIN, LOCALE_DIR

    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return 0
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    strings = (m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id)
    return sum(1 for string in strings if any(string))


# The pages audited: Draw after a stroke, Class as the teacher of a new class.
PAGES = {"Home": "/", "Explore": "/Explore", "Train": "/Train", "Evaluate": "/Evaluate", "Draw": "/Draw",
         "Class": "/Class", "Neural": "/Neural"}
