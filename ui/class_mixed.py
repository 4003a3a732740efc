"""The Class page's "MNIST + our class": does adding the class's drawings help a model read them?"""

from __future__ import annotations

import streamlit as st

from digitlib.language import _, formats
from ui import class_data, frame

# Below this, a difference between the two models says more about luck than about the drawings.
ENOUGH_DRAWINGS, ENOUGH_STUDENTS = 30, 3


def tab(mnist, drawings, version: str) -> None:
    """N, a button, and the two models side by side, scored on drawings neither learnt from."""
    st.markdown(_("Train the lesson's SVC on the first **N** MNIST images, and again on the same images **plus "
                  "our drawings**. Both are scored on drawings by students whose drawings neither model saw, "
                  "so nobody's own handwriting marks a model they helped to train."))
    n = st.select_slider(_("MNIST training images (N)"), options=[100, 500, 1000, 2000, 5000], value=500,
                         format_func=formats.count)
    if st.button(_("Train MNIST + our class"), icon=":material/model_training:"):
        st.session_state["compare"] = (n, version)
    asked = st.session_state.get("compare")
    if asked == (n, version):
        with frame.friendly_errors(), st.spinner(_("Training both models…")):
            result = class_data.with_and_without_class(n, mnist, drawings, version)
            enough = result.class_test >= ENOUGH_DRAWINGS and result.test_drawers >= ENOUGH_STUDENTS
            a, b = st.columns(2)
            a.metric(_("MNIST only"), formats.decimal(result.mnist_only, 2))
            b.metric(_("MNIST + our class"), formats.decimal(result.with_class, 2),
                     delta=_signed(result.gain) if enough and result.gain else None)
            st.caption(_("Scored on {test} drawings by {students} students; the second model also learnt from "
                         "{train} drawings by the others.").format(
                             test=formats.count(result.class_test), students=formats.count(result.test_drawers),
                             train=formats.count(result.class_train)))
            if not enough:
                st.warning(_("Only {test} drawings by {students} students to score on: a difference this small can "
                             "be luck. With at least {drawings} drawings by {enough} students held out, the "
                             "comparison starts to mean something: save more drawings on **Draw**.").format(
                                 test=formats.count(result.class_test), students=formats.count(result.test_drawers),
                                 drawings=formats.count(ENOUGH_DRAWINGS), enough=formats.count(ENOUGH_STUDENTS)),
                           icon=":material/info:")
    elif asked is not None and asked[0] == n:
        st.info(_("The class set has changed since; press the button again to compare with the new drawings."))


def _signed(value: float) -> str:
    """A change in accuracy with its sign, as the language writes numbers: +0.05 · +0,05 · -0,02."""
    return ("+" if value >= 0 else "-") + formats.decimal(abs(value), 2)
