"""Which language a page speaks: the link's ``lang`` if it names one, else the browser's, else English."""

from __future__ import annotations

from digitlib.language.catalogs import DEFAULT, LANGUAGES

PARAM = "lang"


def from_locale(locale: str | None) -> str:
    """The app's language closest to a browser locale (``de-AT`` → ``de``), or English."""
    base = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else DEFAULT


def pick(param: str | None, locale: str | None) -> tuple[str, bool]:
    """The language to speak, and whether the link asked for one the app does not have."""
    if param is None:
        return from_locale(locale), False
    wanted = param.strip().lower()
    if wanted in LANGUAGES:
        return wanted, False
    return DEFAULT, True
