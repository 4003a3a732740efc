"""The frame every page shares: page config, sidebar navigation, error display."""

from __future__ import annotations

import contextlib
import os
import re
import threading

import streamlit as st

from digitlib import links as url_links
from digitlib.errors import DigitsError
from ui import classroom, cookies, settings

PAGES = [
    ("app.py", "Home", ":material/home:"),
    ("pages/1_Explore.py", "Explore the data", ":material/image_search:"),
    ("pages/2_Train.py", "Train a model", ":material/model_training:"),
    ("pages/3_Evaluate.py", "Evaluate", ":material/fact_check:"),
    ("pages/4_Draw.py", "Draw a digit", ":material/draw:"),
    ("pages/5_Class.py", "Our class", ":material/groups:"),
    ("pages/6_Neural.py", "Compare with a neural network", ":material/hub:"),
]
# Parameters every page accepts: the class a session belongs to, the teacher's secret, and the
# model settings, which every page link carries (ui/settings.py).
GLOBAL_PARAMS = (classroom.CLASS_PARAM, classroom.TEACHER_PARAM, *url_links.MODEL_PARAMS)
# This script run's sidebar links, redrawn when a page changes what they carry, and whether the run
# is the first of its page since the session showed another.
_sidebar = threading.local()
_SHOWN = "page_shown"  # session key: the title of the page the session showed last
# Up to Streamlit's "md" breakpoint the sidebar covers the page, and it stays open after one of its
# page links is followed. This script closes it then with Streamlit's own collapse control, once the
# click has reached the link (it listens on the document, where the click arrives last).
NARROW_PX = 768
_CLOSE_SIDEBAR_SCRIPT = """<script>
(() => {
  if (window.digitsSidebarCloses) return;
  window.digitsSidebarCloses = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] [data-testid="stPageLink"] a');
    if (!link || window.innerWidth > %d) return;
    const collapse = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (collapse) collapse.click();
  });
})();
</script>""" % NARROW_PX  # noqa: UP031 (JavaScript's braces stay single)


# How much of a value from the URL a notice repeats: a link may carry thousands of characters.
ECHO_LIMIT = 20


def page(title: str, icon: str, params: tuple[str, ...] = ()) -> None:
    """Configure the page and draw the sidebar; call first on every page.

    ``params`` are the URL parameters the page reads; any other one gets a notice.
    """
    st.set_page_config(page_title=f"{title} · digits", page_icon=icon, layout="wide")
    # Community Cloud forces showErrorDetails to a value that shows tracebacks; the script has the last word.
    st.set_option("client.showErrorDetails", os.environ.get("DIGITS_ERROR_DETAILS", "none"))
    _sidebar.arrived = st.session_state.get(_SHOWN) != title
    st.session_state[_SHOWN] = title
    classroom.keep_in_url()
    with st.sidebar:
        st.markdown("### Handwritten digits")
        _sidebar.links, _sidebar.params = st.empty(), None
        links()
        if classroom.code():
            classroom.drawer()  # a student keeps one anonymous id across reloads (a cookie)
            st.caption(f"Class **{classroom.code()}**" + (" · teacher" if classroom.is_teacher() else ""))
        cookies.flush()
        st.divider()
        st.caption("MNIST by Yann LeCun and Corinna Cortes, CC BY-SA 3.0.")
        st.html(_CLOSE_SIDEBAR_SCRIPT, unsafe_allow_javascript=True)  # last: its empty element adds no gap
    unknown = [key for key in st.query_params if key not in params + GLOBAL_PARAMS]
    if unknown:
        named = ", ".join(_echo(key) for key in unknown[:3])
        more = f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else ""
        st.info(f"This page does not use {named}{more} from the link; ignoring "
                f"{'it' if len(unknown) == 1 else 'them'}.")


def arrived() -> bool:
    """Whether this run is the first of its page since the session showed another page (or none)."""
    return getattr(_sidebar, "arrived", True)


def link_params() -> dict[str, str]:
    """What every link between pages carries: the class code and the view's model settings."""
    return {**classroom.link_params(), **settings.link_params()}


def links() -> None:
    """Draw the sidebar's page links with the class code and the view's settings; again if they changed."""
    params = link_params()
    if getattr(_sidebar, "links", None) is None or params == _sidebar.params:
        return
    _sidebar.params = params
    with _sidebar.links.container():
        for path, label, page_icon in PAGES:
            st.page_link(path, label=label, icon=page_icon, query_params=params)


@contextlib.contextmanager
def friendly_errors(stop: bool = False):
    """Show digitlib's errors as a message on the page instead of a traceback; with ``stop``,
    the page ends there (for what the rest of the page cannot do without)."""
    try:
        yield
    except DigitsError as exc:
        st.error(str(exc), icon=":material/error:")
        if stop:
            st.stop()


def _echo(text: str) -> str:
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
    st.info(f"{note}The link asked for {_echo(f'{name}={raw}')}, {problem}; showing {default} instead.")
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
        st.info(f"{note}The link asked for {_echo(f'{name}={raw}')}, {problem}; showing {shown} instead.")
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
        st.info(f"{note}The link asked for {_echo(f'{name}={raw}')}, {exc}; showing none.")
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
    st.info(f"{note}The link asked for {_echo(f'{name}={raw}')}, which is not one of "
            f"{', '.join(choices)}; showing {default} instead.")
    return default
