"""Small cookies the app keeps in the browser: the teacher's key to a class, a student's anonymous id.

The server reads them from ``st.context.cookies`` (sent when the page opens its connection);
it writes them with a tiny script, queued during a run and written by ``flush()`` in the sidebar,
so a cookie written now is read from the next page load on. Values are checked before they are
put in a script, and every cookie is ``SameSite=Strict`` (``Secure`` over https).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

import streamlit as st

_QUEUE = "cookies_to_write"
_NAME = re.compile(r"digits_[A-Za-z0-9_]{1,40}")
_VALUE = re.compile(r"[A-Za-z0-9_.:%~-]{0,200}")  # text goes in percent-encoded (write_text)
DAY = 24 * 3600


def read(name: str) -> str | None:
    """The cookie ``name`` as the browser sent it when this page opened, or None."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser behind this session (tests, scripts)
        return None
    return value if isinstance(value, str) and _VALUE.fullmatch(value) else None


def write(name: str, value: str, max_age: int) -> None:
    """Queue the cookie ``name`` = ``value`` for ``max_age`` seconds (0 deletes it)."""
    if not _NAME.fullmatch(name) or not _VALUE.fullmatch(value):
        raise ValueError("not a cookie this app writes")  # English: a programmer's error
    queued = st.session_state.setdefault(_QUEUE, {})
    queued[name] = (value, int(max_age))


def write_text(name: str, text: str, max_age: int) -> None:
    """Queue a cookie holding any short text (percent-encoded)."""
    write(name, quote(text, safe=""), max_age)


def read_text(name: str) -> str | None:
    """A cookie written by ``write_text``, decoded, or None."""
    value = read(name)
    return unquote(value) if value else None


def forget(name: str) -> None:
    """Queue the deletion of the cookie ``name``."""
    write(name, "", 0)


def script(cookies: dict[str, tuple[str, int]], then: str = "") -> str:
    """A script that writes ``cookies`` in the browser, then runs ``then`` (JavaScript)."""
    lines = [f"document.cookie = {json.dumps(f'{name}={value}')} + {json.dumps(f'; Path=/; Max-Age={age}')}"
             " + '; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');"
             for name, (value, age) in cookies.items()]
    return "<script>(() => {" + "".join(lines) + then + "})();</script>"


def flush() -> None:
    """Write the queued cookies (call where an invisible element does no harm, as in the sidebar)."""
    queued = st.session_state.pop(_QUEUE, None)
    if queued:
        st.html(script(queued), unsafe_allow_javascript=True)
