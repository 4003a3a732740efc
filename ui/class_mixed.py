"""The Class page's "MNIST + our class": does adding the class's drawings help a model read them?"""

from __future__ import annotations

import streamlit as st

from ui import class_data, frame

# Below this, a difference between the two models says more about luck than about the drawings.
ENOUGH_DRAWINGS, ENOUGH_STUDENTS = 30, 3


def tab(mnist, drawings, version: str) -> None:
    """N, a button, and the two models side by side, scored on drawings neither learnt from."""
    st.markdown("Train the lesson's SVC on the first **N** MNIST images, and again on the same images **plus "
                "our drawings**. Both are scored on drawings by students whose drawings neither model saw, "
                "so nobody's own handwriting marks a model they helped to train.")
    n = st.select_slider("MNIST training images (N)", options=[100, 500, 1000, 2000, 5000], value=500,
                         format_func=lambda v: f"{v:,}")
    if st.button("Train MNIST + our class", icon=":material/model_training:"):
        st.session_state["compare"] = (n, version)
    asked = st.session_state.get("compare")
    if asked == (n, version):
        with frame.friendly_errors(), st.spinner("Training both models…"):
            result = class_data.with_and_without_class(n, mnist, drawings, version)
            enough = result.class_test >= ENOUGH_DRAWINGS and result.test_drawers >= ENOUGH_STUDENTS
            a, b = st.columns(2)
            a.metric("MNIST only", f"{result.mnist_only:.2f}")
            b.metric("MNIST + our class", f"{result.with_class:.2f}",
                     delta=f"{result.gain:+.2f}" if enough and result.gain else None)
            st.caption(f"Scored on {result.class_test:,} drawings by {result.test_drawers} students; "
                       f"the second model also learnt from {result.class_train:,} drawings by the others.")
            if not enough:
                st.warning(f"Only {result.class_test:,} drawings by {result.test_drawers} students to score on: "
                           "a difference this small can be luck. With at least "
                           f"{ENOUGH_DRAWINGS} drawings by {ENOUGH_STUDENTS} students held out, the comparison "
                           "starts to mean something: save more drawings on **Draw**.",
                           icon=":material/info:")
    elif asked is not None and asked[0] == n:
        st.info("The class set has changed since; press the button again to compare with the new drawings.")
