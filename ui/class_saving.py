"""Draw's box for a class: label the drawing, save it to the class set, undo the last save."""

from __future__ import annotations

import streamlit as st

from digitlib.drawing import preprocess
from ui import class_session, drawing, frame


def box(prepared: preprocess.Prepared | None, prediction: int | None) -> None:
    """Label the drawing (preset to the prediction: a right answer needs one click) and save it; a label
    the model did not read asks once more. The canvas then clears for the next one. Undo takes back this
    browser's newest save, after a reload too."""
    with st.container(border=True):
        st.markdown(f"**Class {class_session.code()}** · add your drawings to the class set")
        if flash := st.session_state.pop("class_flash", None):
            text, saved_image = flash
            with st.container(horizontal=True, wrap=False, vertical_alignment="center"):
                if saved_image is not None:  # what went into the class set, as the model sees it
                    st.image(preprocess.enlarge(saved_image, 56), width=56, alt="The drawing you saved, 28 × 28")
                st.success(text, icon=":material/check:")
        if prepared is not None:
            # A new drawing gets a fresh control, preset to the new prediction.
            key = f"drew-{hash(prepared.centred.tobytes())}"
            label = st.segmented_control("The digit I drew", list(range(10)), default=prediction, key=key)
            if label is not None and label != prediction and st.session_state.get("class_asking") == (key, label):
                st.warning(f"The model read {prediction}. Save it as {'an' if label == 8 else 'a'} {label}?",
                           icon=":material/help:")
                if st.button(f"Yes, save it as {label}", icon=":material/save:", type="primary", width="stretch"):
                    _save(prepared, label)
            elif st.button("Save to our class set", icon=":material/save:", type="primary", disabled=label is None,
                           width="stretch"):
                if label == prediction:
                    _save(prepared, label)
                else:  # the next run asks once
                    st.session_state["class_asking"] = (key, label)
                    drawing.rerun()
        saved = class_session.saved_here()  # this browser's drawings in the class, from the database
        if saved and st.button("Undo my last save", icon=":material/undo:", type="tertiary"):
            with frame.friendly_errors():
                if class_session.undo_save() is not None:
                    st.session_state["class_flash"] = ("Removed your last saved drawing.", None)
                    drawing.rerun()
        st.caption((f"You have saved {saved} drawing{'s' if saved != 1 else ''}. " if saved else "") +
                   "The class set keeps the 28 × 28 image, the digit, the time and an anonymous number "
                   "for this browser — no names.")


def _save(prepared: preprocess.Prepared, label: int) -> None:
    """Save the drawing as ``label``, say so with its 28 × 28 image, and clear the canvas."""
    with frame.friendly_errors():
        class_session.save_drawing(prepared, int(label))
        st.session_state.pop("class_asking", None)
        st.session_state["class_flash"] = (f"Saved your {label} to the class set. Draw the next one!",
                                           prepared.centred)
        drawing.clear()
        drawing.rerun()
