"""Draw's wide canvas for writing a number: several digits side by side, read as a photo's are.

Like the square canvas (``ui/drawing.py``), what the browser sends is checked before it is decoded, here
against the wide canvas's own 840 × 280 PNG only (``WIDE_SENT_SIZES``), and the session keeps the last
reading keyed by a hash of what was sent and the model, so only a new stroke (or another model) reads again.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from digitlib.drawing import image_bounds
from digitlib.errors import NoDigitsFoundError, TooManyDigitsError, UnreadableDrawingError
from digitlib.language import N_, _
from digitlib.paper import reading
from ui import class_saving, class_session, drawing, number_view
from ui.canvas import WIDE, WIDE_SENT_SIZES, drawing_canvas

_ROUND = "number_round"
# (hash of what was sent and the model, NumberReading or None, (error, icon) or None); the error is kept, not its
# sentence, so it is written in the language of the run that shows it
_LAST = "number_last"
AGAIN = N_("Write on the black strip again.")
HINT = N_("Nothing written yet: the number read appears here as you lift the pen.")


def canvas(pen: int):
    """The wide black strip to write on; what the browser sent (None before any drawing)."""
    st.session_state.setdefault(_ROUND, 0)
    return drawing_canvas(pen, key=f"number-{st.session_state[_ROUND]}", size=WIDE)


def clear() -> None:
    """Start a fresh, empty strip."""
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
    st.session_state.pop(_LAST, None)


def _cleared() -> None:
    clear()
    drawing.rerun()


@st.fragment
def section(pen: int, reader) -> None:
    """The number read above the strip (in sight on a phone while writing), the strip, Clear; then each step,
    each digit with its correction, and in a class the box that saves them. A stroke reruns only this part."""
    # A fixed height: the strip does not move under the pen when the answer changes.
    answer = st.container(height=130, border=False, horizontal=True, vertical_alignment="center", gap="small")
    sent = canvas(pen)
    # TRANSLATORS: a button that wipes the drawing canvas
    if st.button(_("Clear"), icon=":material/delete:", key="number_clear"):
        _cleared()
    if sent is None:
        st.session_state.pop(_LAST, None)
        answer.info(_(HINT), icon=":material/draw:")
        return
    model = reader()
    found, problem = read(sent, model)
    if problem is not None:
        error, icon = problem
        answer.warning(str(error), icon=icon)
        return
    number_view.answer(answer, found)
    st.caption(model.about)
    number_view.steps(found, photo=False)
    key = f"number-{st.session_state[_LAST][0][:12]}"
    labels = number_view.digits(found, key)
    if class_session.code():
        class_saving.number_box(found.read, labels, key, done=_cleared)


def read(sent, model) -> tuple[reading.NumberReading | None, tuple[Exception, str] | None]:
    """The number on the strip read by ``model`` (a Reader), or the error (and icon) saying why not."""
    text = sent.encode("utf-8", "surrogatepass") if isinstance(sent, str) else b"\0"  # JSON allows lone surrogates
    hashed = hashlib.blake2b(model.key.encode(), digest_size=16)
    hashed.update(text)
    digest = hashed.hexdigest()
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == digest:
        return last[1], last[2]
    found, problem = None, None
    try:
        found = reading.read_canvas_number(image_bounds.canvas_image(sent, WIDE_SENT_SIZES, AGAIN), model.model)
    except UnreadableDrawingError as exc:
        problem = (exc, ":material/block:")
    except NoDigitsFoundError as exc:
        problem = (exc, ":material/draw:")
    except TooManyDigitsError as exc:
        problem = (exc, ":material/format_list_numbered:")
    st.session_state[_LAST] = (digest, found, problem)
    return found, problem
