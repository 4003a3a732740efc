"""Values read from the URL, checked: a page's parameters fall back to defaults with a short notice
that repeats at most ``ECHO_LIMIT`` characters of what the link held."""

from __future__ import annotations

import re

import streamlit as st

from digitlib.display import model_links as url_links

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
    note = f"The link gives {name} {len(values):,} times; using the last. " if len(values) > 1 else ""
    return values[-1], note


def int_query_param(name: str, default: int, low: int, high: int) -> int:
    """A whole number from the URL (``?name=…``), or ``default`` with a note if it is odd."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        problem = "which is not a whole number"
    elif len(text.lstrip("+-").lstrip("0")) > 15 or not low <= int(text) <= high:
        problem = f"outside {low}–{high:,}"
    else:
        if note:
            st.info(f"{note}Showing {int(text)}.")
        return int(text)
    st.info(f"{note}The link asked for {echo(f'{name}={raw}')}, {problem}; showing {default} instead.")
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
        problem = f"which is not {', '.join(words)} or a number" if words and "not" in str(exc) else str(exc)
        shown = default if isinstance(default, str) else url_links.number(default)
        st.info(f"{note}The link asked for {echo(f'{name}={raw}')}, {problem}; showing {shown} instead.")
        return default
    if note:
        st.info(f"{note}Showing {value if isinstance(value, str) else url_links.number(value)}.")
    return value


def parsed_query_param(name: str, read, default=None):
    """``read(text)`` of ``?name=…``, or ``default`` with a note if ``read`` raises ValueError (saying
    what is wrong, as "which is not …")."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    try:
        return read(raw)
    except ValueError as exc:
        st.info(f"{note}The link asked for {echo(f'{name}={raw}')}, {exc}; showing none.")
        return default


def choice_query_param(name: str, choices: list[str], default: str) -> str:
    """One of ``choices`` from the URL (``?name=…``), or ``default`` with a note if it is odd."""
    raw, note = _query_value(name)
    if raw is None:
        return default
    if raw in choices:
        if note:
            st.info(f"{note}Showing {raw}.")
        return raw
    st.info(f"{note}The link asked for {echo(f'{name}={raw}')}, which is not one of "
            f"{', '.join(choices)}; showing {default} instead.")
    return default
