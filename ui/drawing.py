"""The Draw page's canvas and what a session remembers of its drawing.

A stroke reruns the page's drawing fragment; the widgets around it (the sensitivity
sliders) rerun it too without a new stroke. The prepared 28 × 28 input is kept per
session, keyed by a hash of what the browser sent, so only a new stroke prepares again.
What the browser sent is checked before it is decoded (``digitlib.drawing.image_bounds``): anything
but the canvas's own 280 × 280 PNG is ignored with a notice, and the session keeps only the
prepared steps, never a decoded image of another size.
"""

from __future__ import annotations

import hashlib

import streamlit as st
from streamlit.errors import StreamlitInvalidLayoutContextError

from digitlib.drawing import image_bounds, preprocess
from digitlib.errors import BlankDrawingError, UnreadableDrawingError
from ui import warm_up
from ui.canvas import SENT_SIZES, drawing_canvas

_ROUND = "canvas_round"
# (hash of what was sent, Prepared or None, why it was ignored, why it is no digit): the errors themselves, so their
# sentences are written in the language of the run that shows them
_LAST = "drawing_last"


def canvas(pen: int):
    """The black 280 × 280 square to draw on; what the browser sent as the drawing (None before any)."""
    st.session_state.setdefault(_ROUND, 0)
    warm_up.draw()  # once per server, after this run: the first answer's model and search, while the student draws
    return drawing_canvas(pen, key=f"canvas-{st.session_state[_ROUND]}")


def clear() -> None:
    """Start a fresh, empty canvas."""
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
    st.session_state.pop(_LAST, None)


def rerun() -> None:
    """Run the drawing fragment again after a press in it; the whole page when this run was a full one
    (Streamlit allows a fragment's rerun only from a fragment's run; AppTest's presses run the page)."""
    try:
        st.rerun(scope="fragment")
    except StreamlitInvalidLayoutContextError:
        st.rerun()


def prepared(sent) -> preprocess.Prepared | None:
    """The drawing as the model's input, or None while the canvas holds no digit (``refused()``
    says why when it holds a dot or a slip) or what was sent could not be read (``ignored()``)."""
    if sent is None:
        st.session_state.pop(_LAST, None)
        return None
    text = sent.encode("utf-8", "surrogatepass") if isinstance(sent, str) else b"\0"  # JSON allows lone surrogates
    digest = hashlib.blake2b(text, digest_size=16).digest()
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == digest:
        return last[1]
    value, reason, refusal = None, None, None
    try:
        value = preprocess.prepare(image_bounds.canvas_image(sent, SENT_SIZES))
    except BlankDrawingError as exc:  # an empty canvas (every stroke undone) needs no sentence
        refusal = None if exc.message.msgid == preprocess.EMPTY_CANVAS else exc
    except UnreadableDrawingError as exc:
        reason = exc
    st.session_state[_LAST] = (digest, value, reason, refusal)
    return value


def ignored() -> str | None:
    """Why the last drawing sent was ignored (it was not the canvas's own PNG), or None."""
    last = st.session_state.get(_LAST)
    return str(last[2]) if last is not None and last[2] is not None else None


def refused() -> str | None:
    """Why the last drawing is not a digit (a dot or a slip: too little ink), or None."""
    last = st.session_state.get(_LAST)
    return str(last[3]) if last is not None and last[3] is not None else None
