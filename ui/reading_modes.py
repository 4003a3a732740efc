"""What Draw reads: one digit on the square canvas (as ever, the default), a number written on the wide
canvas, or a photo of paper. The choice lives in the URL as ``?read=number`` or ``?read=photo``."""

from __future__ import annotations

import streamlit as st

from digitlib.language import N_, _
from ui import settings, url_params

PARAM = "read"
MODES = {"digit": N_("Draw a digit"), "number": N_("Write a number"), "photo": N_("Photo of paper")}
INTROS = {
    "digit": N_("Draw one digit on the black square. The model answers each time you lift the pen; "
                "use the arrow above the square to undo a stroke."),
    "number": N_("Write a number on the black strip, its digits side by side. The page cuts it into digits and "
                 "the model reads each one as you lift the pen."),
    "photo": N_("Write a number on paper (plain, ruled or squared) and photograph it, or upload a photo. The page "
                "finds the ink, takes out the paper's lines and reads the digits left to right."),
}
_KEY = "draw_read"
# The model a photo is read with first: the neural network where the server has one (the shipped 60,000-image
# network always is), as it reads more of the photos nobody tuned on right than the SVM ("Paper and photos" in
# the README); the student can still pick the SVM. A drawing and the wide canvas start with the first choice.
FIRST_MODEL = {"photo": "neural"}


def picker() -> str:
    """The control that switches between the three, set from the link when the page opens; the mode chosen."""
    if _KEY not in st.session_state or settings.arrived():
        st.session_state[_KEY] = url_params.choice_query_param(PARAM, list(MODES), "digit")
    mode = st.segmented_control(_("What to read"), list(MODES), format_func=lambda m: _(MODES[m]), required=True,
                                key=_KEY, label_visibility="collapsed")
    if mode == "digit":
        st.query_params.pop(PARAM, None)
    elif st.query_params.get(PARAM) != mode:
        st.query_params[PARAM] = mode
    st.markdown(_(INTROS[mode]))
    return mode


def first_model(mode: str, models: list[str]) -> int:
    """Where Draw's "Model" choice starts for ``mode`` among ``models`` ("best", "own", "neural"): its
    ``FIRST_MODEL`` when offered, else the first."""
    wanted = FIRST_MODEL.get(mode)
    return models.index(wanted) if wanted in models else 0
