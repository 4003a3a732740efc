"""The frame every page shares: page config, sidebar navigation, error display."""

from __future__ import annotations

import contextlib

import streamlit as st

from digitlib.errors import DigitsError

PAGES = [
    ("app.py", "Home", ":material/home:"),
    ("pages/1_Explore.py", "Explore the data", ":material/image_search:"),
    ("pages/2_Train.py", "Train a model", ":material/model_training:"),
    ("pages/3_Evaluate.py", "Evaluate", ":material/fact_check:"),
    ("pages/4_Draw.py", "Draw a digit", ":material/draw:"),
]


def page(title: str, icon: str) -> None:
    """Configure the page and draw the sidebar; call first on every page."""
    st.set_page_config(page_title=f"{title} · digits", page_icon=icon, layout="wide")
    with st.sidebar:
        st.markdown("### Handwritten digits")
        for path, label, page_icon in PAGES:
            st.page_link(path, label=label, icon=page_icon)
        st.divider()
        st.caption("MNIST by Yann LeCun and Corinna Cortes, CC BY-SA 3.0.")


@contextlib.contextmanager
def friendly_errors():
    """Show digitlib's errors as a message on the page instead of a traceback."""
    try:
        yield
    except DigitsError as exc:
        st.error(str(exc), icon=":material/error:")


def int_query_param(name: str, default: int, low: int, high: int) -> int:
    """An integer from the URL (``?name=…``), or ``default`` with a note if it is odd."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        st.info(f"The link asked for {name}={raw!r}, which is not a whole number; showing {default} instead.")
        return default
    if not low <= value <= high:
        st.info(f"The link asked for {name}={value}, outside {low}–{high:,}; showing {default} instead.")
        return default
    return value
