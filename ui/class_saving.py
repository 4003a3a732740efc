"""Draw's box for a class: label the drawing (or a number's digits), save it to the class set, undo the last save."""

from __future__ import annotations

import streamlit as st

from digitlib.display import magnify
from digitlib.drawing import preprocess
from digitlib.language import _, formats, ngettext
from ui import class_session, drawing, frame


def box(prepared: preprocess.Prepared | None, prediction: int | None) -> None:
    """Label the drawing (preset to the prediction: a right answer needs one click) and save it; a label
    the model did not read asks once more. The canvas then clears for the next one. Undo takes back this
    browser's newest save, after a reload too."""
    with st.container(border=True):
        st.markdown(_("**Class {code}** · add your drawings to the class set").format(code=class_session.code()))
        if flash := st.session_state.pop("class_flash", None):
            text, saved_image = flash
            with st.container(horizontal=True, wrap=False, vertical_alignment="center"):
                if saved_image is not None:  # what went into the class set, as the model sees it
                    st.image(magnify.enlarge(saved_image, 56), width=56, alt=_("The drawing you saved, 28 × 28"))
                st.success(text, icon=":material/check:")
        if prepared is not None:
            # A new drawing gets a fresh control, preset to the new prediction.
            key = f"drew-{hash(prepared.centred.tobytes())}"
            label = st.segmented_control(_("The digit I drew"), list(range(10)), default=prediction, key=key)
            if label is not None and label != prediction and st.session_state.get("class_asking") == (key, label):
                # TRANSLATORS: English writes "an 8" and "a 7"; the two messages differ only in the article
                ask = (_("The model read {prediction}. Save it as an {label}?") if label == 8 else
                       _("The model read {prediction}. Save it as a {label}?"))
                st.warning(ask.format(prediction=prediction, label=label), icon=":material/help:")
                if st.button(_("Yes, save it as {label}").format(label=label), icon=":material/save:", type="primary",
                             width="stretch"):
                    _save(prepared, label)
            elif st.button(_("Save to our class set"), icon=":material/save:", type="primary",
                           disabled=label is None, width="stretch"):
                if label == prediction:
                    _save(prepared, label)
                else:  # the next run asks once
                    st.session_state["class_asking"] = (key, label)
                    drawing.rerun()
        _undo_and_count("class_flash", (_("Removed your last saved drawing."), None))


def number_box(read: list, labels: list[int | None], key: str, done=None) -> None:
    """Save every digit of a number (``read``: its ``ReadDigit``s, ``labels`` the digits the student chose)
    to the class set, each as a drawing is saved; say how many. ``done`` (the wide canvas's: clear it) runs
    after a save, else the message shows here. A class limit reached part way says so; what was saved stays."""
    with st.container(border=True):
        st.markdown(_("**Class {code}** · add these digits to the class set").format(code=class_session.code()))
        if flash := st.session_state.pop("number_flash", None):
            st.success(flash, icon=":material/check:")
        if read:
            told = "" if None not in labels else " " + _("Choose a digit for each one first.")
            st.caption(ngettext("Saves {n} digit, each with the digit chosen above (preset to what the model read).",
                                "Saves {n} digits, each with the digit chosen above (preset to what the model read).",
                                len(read)).format(n=formats.count(len(read))) + told)
            if st.button(_("Save to our class set"), icon=":material/save:", type="primary",
                         disabled=None in labels, width="stretch", key=f"{key}-save"):
                saved = 0
                with frame.friendly_errors():
                    for digit, label in zip(read, labels, strict=True):
                        class_session.save_drawing(digit.prepared, int(label))
                        saved += 1
                chosen = ", ".join(str(d) for d in labels[:saved])
                message = (ngettext("Saved {n} digit to the class set ({chosen}).",
                                    "Saved {n} digits to the class set ({chosen}).", saved).format(
                                        n=formats.count(saved), chosen=chosen) if saved else "")
                if saved < len(read):
                    missed = len(read) - saved
                    lost = ngettext("{n} not saved; nothing already saved is lost.",
                                    "{n} not saved; nothing already saved is lost.", missed)
                    st.warning((message + " " if saved else "") + lost.format(n=formats.count(missed)),
                               icon=":material/block:")
                elif done is not None:
                    st.session_state["number_flash"] = message + " " + _("Write the next one!")
                    done()
                else:
                    st.success(message, icon=":material/check:")
        _undo_and_count("number_flash", _("Removed your last saved drawing."))


def _undo_and_count(flash: str, removed) -> None:
    """Undo this browser's newest save (session key ``flash`` then holds ``removed``, for the next run to say),
    and how many drawings this browser has saved in the class."""
    saved = class_session.saved_here()  # this browser's drawings in the class, from the database
    if saved and st.button(_("Undo my last save"), icon=":material/undo:", type="tertiary"):
        with frame.friendly_errors():
            if class_session.undo_save() is not None:
                st.session_state[flash] = removed
                drawing.rerun()
    count = (ngettext("You have saved {n} drawing.", "You have saved {n} drawings.", saved).format(
        n=formats.count(saved)) + " " if saved else "")
    st.caption(count + _("The class set keeps the 28 × 28 image, the digit, the time and an anonymous number "
                         "for this browser — no names."))


def _save(prepared: preprocess.Prepared, label: int) -> None:
    """Save the drawing as ``label``, say so with its 28 × 28 image, and clear the canvas."""
    with frame.friendly_errors():
        class_session.save_drawing(prepared, int(label))
        st.session_state.pop("class_asking", None)
        st.session_state["class_flash"] = (_("Saved your {label} to the class set. Draw the next one!").format(
            label=label), prepared.centred)
        drawing.clear()
        drawing.rerun()
