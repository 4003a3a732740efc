"""The teacher's controls on the Class page: the class's life (joining, saving, the link, deletion),
and removing drawings or board rows. The store refuses each action without the teacher's token."""

from __future__ import annotations

import streamlit as st

from digitlib.classroom import transfer
from digitlib.language import _, formats, ngettext
from ui import class_session, frame

FLASH = "class_page_flash"
# What the teacher's two switches now say, (joining, saving) -> the message (whole sentences for translators).
_STATES = {
    (True, True): lambda: _("Joining is open; saving is open."),
    (True, False): lambda: _("Joining is open; saving is paused."),
    (False, True): lambda: _("Joining is closed; saving is open."),
    (False, False): lambda: _("Joining is closed; saving is paused."),
}


def _date(when) -> str:
    """A class's date (creation, expiry) as the language writes it: 5 Dec 2026 · 05.12.2026."""
    return formats.date(when)


def _student(name: str) -> str:
    """A pseudonym from ``transfer.pseudonyms`` ("student 3", "import") in the current language."""
    return transfer.shown(name)


def done(message: str) -> None:
    """Rerun the page, which then shows ``message`` once."""
    st.session_state[FLASH] = message
    st.rerun()


def start_or_join() -> None:
    """Outside a class: start one (the teacher) or join one by its code (a student)."""
    st.markdown(_(
        "MNIST was written by American census staff and students. Does a model trained on it read "
        "**your class's** handwriting? Start a class, save drawings from the **Draw** page, and find out — "
        "then train on MNIST plus your own drawings and see whether it helps."
    ))
    teacher_side, student_side = st.columns(2)
    with teacher_side.container(border=True):
        st.subheader(_("I am the teacher"))
        st.caption(_("You get a short code for the class and a private link that holds your controls."))
        if st.button(_("Start a new class"), type="primary", icon=":material/add:"):
            with frame.friendly_errors():
                class_session.start_class()
                st.rerun()
    with student_side.container(border=True), st.form("join", border=False):
        st.subheader(_("I am a student"))
        typed = st.text_input(_("Class code"), max_chars=12, placeholder=_("for example K7QX3M9P"),
                              value=st.session_state.get("join_prefill", ""))
        if st.form_submit_button(_("Join the class"), icon=":material/login:"):
            with frame.friendly_errors():
                class_session.join(typed)
                st.rerun()


def links_to_share(store) -> None:
    """The students' link; the teacher's, behind a toggle (this page is often projected); said once: keep it."""
    students_link, teacher_link = class_session.links()
    if not st.session_state.get("keep_link_told", True):
        st.session_state["keep_link_told"] = True
        st.info(_("**Keep your teacher link** (under “Links to share”) somewhere only you can see it, such as "
                  "your e-mail. This browser remembers that you are the teacher; on another computer, the link gives "
                  "you your controls back."), icon=":material/key:")
    with st.expander(_("Links to share"), icon=":material/link:"):
        st.markdown(_("**For students** — put it on the board, or read the code out:"))
        st.code(students_link, language=None)
        if st.toggle(_("Show my private teacher link")):
            st.markdown(_("**For you only** — it opens the teacher's controls on any browser. It never stays in "
                          "the address bar or the browser's history, so the class never sees it."))
            st.code(teacher_link, language=None)
    if store.durability_note:
        st.caption(_(store.durability_note))


def as_a_student(code: str) -> None:
    """Which class this is, a way out, and whether the teacher paused saving."""
    left, right = st.columns([4, 1])
    left.caption(_("You are in class **{code}** as a student. Save drawings on the **Draw** page; "
                   "post the models you train on **Train** to the board.").format(code=code))
    if right.button(_("Leave this class"), icon=":material/logout:"):
        class_session.leave()
        st.rerun()
    with frame.friendly_errors():
        if not class_session.status(code).saving_open:
            st.info(_("Your teacher has paused saving: drawings and guesses wait until it opens again."),
                    icon=":material/pause_circle:")


def this_class(store, code: str) -> None:
    """Expiry, who may join and save, a new teacher link, and deleting the class."""
    token = class_session.token()
    with frame.friendly_errors():
        status = class_session.status(code)
        store.touch(code)  # the teacher's visits keep a class alive
    with st.expander(_("Teacher: this class"), icon=":material/admin_panel_settings:"):
        st.caption(_("Created {created}. Unless someone uses it before then, the class is deleted with all its "
                     "drawings on **{expires}** ({days} days after it was last used).").format(
                         created=_date(status.created_at), expires=_date(status.expires_at),
                         days=formats.localize(store.expiry_days)))
        left, right = st.columns(2)
        joining = left.toggle(_("New students can join"), value=status.joining_open,
                              help=_("Students already in the class keep working when you close it."))
        saving = right.toggle(_("Students can save drawings and guesses"), value=status.saving_open)
        if joining != status.joining_open or saving != status.saving_open:
            with frame.friendly_errors():
                if joining != status.joining_open:
                    store.set_joining(code, token, joining)
                if saving != status.saving_open:
                    store.set_saving(code, token, saving)
                class_session.forget_status()
                done(_STATES[joining, saving]())
        st.divider()
        a, b = st.columns(2)
        if a.button(_("Replace the teacher link"), icon=":material/key:",
                    help=_("The old link stops working at once, on every browser that used it.")):
            with frame.friendly_errors():
                class_session.replace_teacher_link()
                done(_("The old teacher link no longer works. The new one is under “Links to share”."))
        if b.button(_("Delete this class"), icon=":material/delete_forever:"):
            st.session_state["confirm_delete_class"] = code
        if st.session_state.get("confirm_delete_class") == code:
            st.warning(_("Delete class {code}? Every drawing, the board and the guesses are removed for good, "
                         "and students' pages say the class no longer exists.").format(code=code),
                       icon=":material/warning:")
            yes, no = st.columns(2)
            if yes.button(_("Delete the class and all its drawings"), type="primary",
                          icon=":material/delete_forever:"):
                with frame.friendly_errors():
                    gone = class_session.delete_class()
                    st.session_state.pop("confirm_delete_class", None)
                    done(_("Class {code} and all its drawings were deleted.").format(code=gone))
            if no.button(_("Keep the class")):
                st.session_state.pop("confirm_delete_class", None)
                st.rerun()


def remove_drawings(store, code: str, drawings) -> None:
    """Delete one drawing by number, one student's drawings, or all of them (behind a confirmation)."""
    token = class_session.token()
    with st.expander(_("Teacher: remove drawings"), icon=":material/delete:"):
        t1, t2 = st.columns(2)
        number = t1.number_input(_("Drawing number (#)"), min_value=int(drawings.ids.min()),
                                 max_value=int(drawings.ids.max()), value=int(drawings.ids.max()))
        if t1.button(_("Delete this drawing"), icon=":material/delete:"):
            with frame.friendly_errors():
                if store.delete_drawing(code, token, int(number)):
                    done(_("Deleted drawing #{number}.").format(number=int(number)))
                st.warning(_("There is no drawing #{number} in this class.").format(number=int(number)))
        names = transfer.pseudonyms(drawings.drawers)
        students = {}
        for drawer, name in zip(drawings.drawers, names, strict=True):
            if drawer != "import":
                students.setdefault(str(drawer), [name, 0])[1] += 1
        if students:
            chosen = t2.selectbox(_("A student's drawings"), list(students), format_func=lambda d: ngettext(
                "{student} ({n} drawing)", "{student} ({n} drawings)", students[d][1]).format(
                    student=_student(students[d][0]), n=formats.count(students[d][1])))
            if t2.button(_("Delete this student's drawings"), icon=":material/person_remove:"):
                with frame.friendly_errors():
                    removed = store.delete_drawer(code, token, chosen)
                    done(ngettext("Deleted {n} drawing by {student}.", "Deleted {n} drawings by {student}.",
                                  removed).format(n=formats.count(removed), student=_student(students[chosen][0])))
        st.divider()
        sure = st.checkbox(ngettext("Yes, delete all {n} drawing of this class",
                                    "Yes, delete all {n} drawings of this class", len(drawings)).format(
                                        n=formats.count(len(drawings))))
        if st.button(_("Clear the class set"), icon=":material/delete_forever:", disabled=not sure):
            with frame.friendly_errors():
                removed = store.clear(code, token)
                done(ngettext("Deleted all {n} drawing.", "Deleted all {n} drawings.", removed).format(
                    n=formats.count(removed)))


def tidy_board(store, code: str, experiments, forget) -> None:
    """Remove one board row or its nickname, or clear the board (behind a confirmation).
    ``forget()`` drops the page's cached copy of the board."""
    token = class_session.token()
    with st.expander(_("Teacher: tidy the board"), icon=":material/delete_sweep:"):
        if experiments:
            rows = {e.id: e for e in experiments}
            chosen = st.selectbox(
                _("A row of the board"), list(rows)[::-1],
                format_func=lambda i: f"#{i} · N = {formats.count(rows[i].n)} · "
                f"{formats.decimal(rows[i].accuracy_100, 2)}" + (f" · {rows[i].nickname}" if rows[i].nickname else ""))
            a, b = st.columns(2)
            if a.button(_("Remove this row"), icon=":material/remove:"):
                with frame.friendly_errors():
                    store.delete_experiment(code, token, chosen)
                    forget()
                    done(_("Removed row #{row} from the board.").format(row=chosen))
            if b.button(_("Remove its nickname"), icon=":material/badge:", disabled=not rows[chosen].nickname):
                with frame.friendly_errors():
                    store.clear_nickname(code, token, chosen)
                    forget()
                    done(_("Removed the nickname of row #{row}.").format(row=chosen))
            st.divider()
        sure = st.checkbox(_("Yes, remove every experiment from the board"))
        if st.button(_("Clear the board"), icon=":material/delete_forever:", disabled=not sure):
            with frame.friendly_errors():
                removed = store.clear_experiments(code, token)
                forget()
                done(ngettext("Removed {n} experiment from the board.", "Removed {n} experiments from the board.",
                              removed).format(n=formats.count(removed)))
