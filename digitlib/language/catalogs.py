"""Gettext catalogs read from their ``.po`` files, and the language the current thread speaks.

Streamlit runs each session's script in a thread of its own, so the page sets the language once at its top
(``use``) and every ``_`` called below it, in ``ui`` or in ``digitlib``, answers in that language. A thread
that never set one asks the fallback ``ui`` registered (a fragment's rerun: the session's language), else
speaks English (a background training job).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "digits"
DEFAULT = "en"
# Each language in its own name, as a teacher looks for it in a list.
LANGUAGES = {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français"}

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("digits_language", default=None)
# Asked for the language when this thread never chose one: the app's session (a fragment's own rerun, a
# button's callback) answers with its last choice; ``None`` here, or an answer of ``None``, means English.
_fallback: Callable[[], str | None] | None = None


def when_unset(ask: Callable[[], str | None] | None) -> None:
    """Ask ``ask()`` for the language of a thread that never called ``use`` (``ui`` registers the session's)."""
    global _fallback
    _fallback = ask


def use(lang: str) -> None:
    """Speak ``lang`` (a key of LANGUAGES; anything else means English) in this thread from now on."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@contextlib.contextmanager
def speaking(lang: str):
    """Speak ``lang`` inside the ``with`` block only (a file written in one language whatever the page's)."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str:
    """The language this thread speaks."""
    lang = _current.get()
    if lang is None and _fallback is not None:
        lang = _fallback()
        if lang is not None:
            _current.set(lang)  # asked once per thread, not for every message of a fragment's rerun
    return lang if lang in LANGUAGES else DEFAULT


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, compiled in memory from its ``.po`` file once per process."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        messages = read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages)  # fuzzy entries are left out, as gettext's own compiler does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` in the current language (itself where the catalog has no translation)."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language, by its own plural rule."""
    return catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now (it is translated where it is shown)."""
    return message
