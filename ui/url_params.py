"""Values read from the URL, checked: a page's parameters fall back to defaults with a short notice
that repeats at most ``ECHO_LIMIT`` characters of what the link held."""

from __future__ import annotations

import re

import streamlit as st
from babel import numbers as babel_numbers

from digitlib.display import model_links as url_links
from digitlib.language import _, current, formats, ngettext

# How much of a value from the URL a notice repeats: a link may carry thousands of characters.
ECHO_LIMIT = 20


def echo(text: str) -> str:
    """Text from the URL, safe to repeat in a notice: short, printable, shown as code."""
    clean = "".join(c if c.isprintable() and c != "`" else "?" for c in text)
    if len(clean) > ECHO_LIMIT:
        clean = clean[:ECHO_LIMIT] + "…"
    return f"`{clean}`"


def _query_value(name: str) -> tuple[str | None, str]:
    """The last value of ``name`` in the URL (None if absent), and a note if it came more than once."""
    values = st.query_params.get_all(name)
    if not values:
        return None, ""
    note = ""
    if len(values) > 1:
        # TRANSLATORS: the first sentence of a notice; {name} is a URL parameter such as n or test
        note = ngettext("The link gives {name} {count} time; using the last. ",
                        "The link gives {name} {count} times; using the last. ",
                        len(values)).format(name=name, count=formats.count(len(values)))
    return values[-1], note


def int_query_param(name: str, default: int, low: int, high: int) -> int:
    """A whole number from the URL (``?name=…``), or ``default`` with a note if it is odd."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    text = raw.strip()
    asked = echo(f"{name}={raw}")
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        st.info(note + _("The link asked for {asked}, which is not a whole number; showing {default} instead.").format(
            asked=asked, default=default))
    elif len(text.lstrip("+-").lstrip("0")) > 15 or not low <= int(text) <= high:
        st.info(note + _("The link asked for {asked}, outside {low}–{high}; showing {default} instead.").format(
            asked=asked, low=low, high=formats.count(high), default=default))
    else:
        if note:
            st.info(note + _("Showing {value}.").format(value=int(text)))
        return int(text)
    return default


def float_query_param(name: str, default: float | str, low: float, high: float,
                      words: tuple[str, ...] = ()) -> float | str:
    """A number in low–high from the URL (``?name=…``), or one of ``words``; ``default`` with a note if odd."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    try:
        value = raw.strip() if raw.strip() in words else url_links.read_number(raw, low, high)
    except ValueError as exc:
        shown = default if isinstance(default, str) else _decimal(default)
        asked = echo(f"{name}={raw}")
        if words and isinstance(exc, url_links.NotANumber):
            st.info(note + _("The link asked for {asked}, which is not {words} or a number; showing {default} "
                             "instead.").format(asked=asked, words=", ".join(words), default=shown))
        else:
            st.info(note + _linked_problem(asked, exc, shown))
        return default
    if note:
        st.info(note + _("Showing {value}.").format(value=value if isinstance(value, str) else _decimal(value)))
    return value


def _decimal(value: float) -> str:
    """A setting's number as a link writes it (``0.0301``), with the language's decimal sign (0,0301)."""
    return url_links.number(value).replace(".", babel_numbers.get_decimal_symbol(current()))


def _linked_problem(asked: str, problem, default) -> str:
    """The notice for a link's value that ``problem`` (a ValueError, already translated) says is wrong."""
    # TRANSLATORS: {asked} is a URL parameter with its value (n=abc); {problem} says what is wrong with it,
    # such as "which is not a number" or "outside 0–10"; {default} is what the page shows instead.
    return _("The link asked for {asked}, {problem}; showing {default} instead.").format(
        asked=asked, problem=problem, default=default)


def parsed_query_param(name: str, read, default=None):
    """``read(text)`` of ``?name=…``, or ``default`` with a note if ``read`` raises ValueError (saying
    what is wrong, as "which is not …")."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    try:
        return read(raw)
    except ValueError as exc:
        # TRANSLATORS: {asked} is a URL parameter with its value (cell=abc); {problem} says what is wrong with it,
        # such as "which is not a square such as 6-2 (true digit, then predicted digit)".
        st.info(note + _("The link asked for {asked}, {problem}; showing none.").format(
            asked=echo(f"{name}={raw}"), problem=exc))
        return default


def choice_query_param(name: str, choices: list[str], default: str) -> str:
    """One of ``choices`` from the URL (``?name=…``), or ``default`` with a note if it is odd."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    if raw in choices:
        if note:
            st.info(note + _("Showing {value}.").format(value=raw))
        return raw
    st.info(note + _("The link asked for {asked}, which is not one of {choices}; showing {default} instead.").format(
        asked=echo(f"{name}={raw}"), choices=", ".join(choices), default=default))
    return default
