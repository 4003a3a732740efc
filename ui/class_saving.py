"""Draw's box for a class: label the drawing (or a number's digits), save it to the class set, undo the last save."""

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
        _undo_and_count("class_flash", ("Removed your last saved drawing.", None))


def number_box(read: list, labels: list[int | None], key: str, done=None) -> None:
    """Save every digit of a number (``read``: its ``ReadDigit``s, ``labels`` the digits the student chose)
    to the class set, each as a drawing is saved; say how many. ``done`` (the wide canvas's: clear it) runs
    after a save, else the message shows here. A class limit reached part way says so; what was saved stays."""
    with st.container(border=True):
        st.markdown(f"**Class {class_session.code()}** · add these digits to the class set")
        if flash := st.session_state.pop("number_flash", None):
            st.success(flash, icon=":material/check:")
        if read:
            told = "" if None not in labels else " Choose a digit for each one first."
            st.caption(f"Saves {len(read)} digit{'s' if len(read) != 1 else ''}, each with the digit chosen above "
                       "(preset to what the model read)." + told)
            if st.button("Save to our class set", icon=":material/save:", type="primary",
                         disabled=None in labels, width="stretch", key=f"{key}-save"):
                saved = 0
                with frame.friendly_errors():
                    for digit, label in zip(read, labels, strict=True):
                        class_session.save_drawing(digit.prepared, int(label))
                        saved += 1
                chosen = ", ".join(str(d) for d in labels[:saved])
                message = (f"Saved {saved} digit{'s' if saved != 1 else ''} to the class set ({chosen})."
                           if saved else "")
                if saved < len(read):
                    st.warning((message + " " if saved else "") + f"{len(read) - saved} not saved; nothing already "
                               "saved is lost.", icon=":material/block:")
                elif done is not None:
                    st.session_state["number_flash"] = message + " Write the next one!"
                    done()
                else:
                    st.success(message, icon=":material/check:")
        _undo_and_count("number_flash", "Removed your last saved drawing.")


def _undo_and_count(flash: str, removed) -> None:
    """Undo this browser's newest save (session key ``flash`` then holds ``removed``, for the next run to say),
    and how many drawings this browser has saved in the class."""
    saved = class_session.saved_here()  # this browser's drawings in the class, from the database
    if saved and st.button("Undo my last save", icon=":material/undo:", type="tertiary"):
        with frame.friendly_errors():
            if class_session.undo_save() is not None:
                st.session_state[flash] = removed
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
