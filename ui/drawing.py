"""The Draw page's canvas and what a session remembers of its drawing.

A stroke reruns the page's drawing fragment; the widgets around it (the sensitivity
sliders) rerun it too without a new stroke. The prepared 28 × 28 input is kept per
session, keyed by the drawing's bytes, so only a new stroke prepares again.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from digitlib import preprocess
from digitlib.errors import BlankDrawingError
from ui.canvas import drawing_canvas

_ROUND = "canvas_round"
_LAST = "drawing_last"


def canvas(pen: int):
    """The black 280 × 280 square to draw on; sends the drawing when a stroke ends."""
    st.session_state.setdefault(_ROUND, 0)
    return drawing_canvas(pen, key=f"canvas-{st.session_state[_ROUND]}")


def clear() -> None:
    """Start a fresh, empty canvas."""
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
    st.session_state.pop(_LAST, None)


def prepared(result) -> preprocess.Prepared | None:
    """The drawing as the model's input, or None while the canvas holds no digit."""
    png = result.image_bytes if result is not None else None
    if not png:
        return None
    digest = hashlib.blake2b(png, digest_size=16).digest()
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == digest:
        return last[1]
    try:
        value = preprocess.prepare(result.image_data)
    except BlankDrawingError:
        value = None
    st.session_state[_LAST] = (digest, value)
    return value
