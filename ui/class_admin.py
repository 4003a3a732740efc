"""The teacher's controls on the Class page: the class's life (joining, saving, the link, deletion),
and removing drawings or board rows. The store refuses each action without the teacher's token."""

from __future__ import annotations

import streamlit as st

from digitlib.classroom import transfer
from ui import class_session, frame

FLASH = "class_page_flash"


def done(message: str) -> None:
    """Rerun the page, which then shows ``message`` once."""
    st.session_state[FLASH] = message
    st.rerun()


def start_or_join() -> None:
    """Outside a class: start one (the teacher) or join one by its code (a student)."""
    st.markdown(
        "MNIST was written by American census staff and students. Does a model trained on it read "
        "**your class's** handwriting? Start a class, save drawings from the **Draw** page, and find out — "
        "then train on MNIST plus your own drawings and see whether it helps."
    )
    teacher_side, student_side = st.columns(2)
    with teacher_side.container(border=True):
        st.subheader("I am the teacher")
        st.caption("You get a short code for the class and a private link that holds your controls.")
        if st.button("Start a new class", type="primary", icon=":material/add:"):
            with frame.friendly_errors():
                class_session.start_class()
                st.rerun()
    with student_side.container(border=True), st.form("join", border=False):
        st.subheader("I am a student")
        typed = st.text_input("Class code", max_chars=12, placeholder="for example K7QX3M9P",
                              value=st.session_state.get("join_prefill", ""))
        if st.form_submit_button("Join the class", icon=":material/login:"):
            with frame.friendly_errors():
                class_session.join(typed)
                st.rerun()


def links_to_share(store) -> None:
    """The students' link; the teacher's, behind a toggle (this page is often projected); said once: keep it."""
    students_link, teacher_link = class_session.links()
    if not st.session_state.get("keep_link_told", True):
        st.session_state["keep_link_told"] = True
        st.info("**Keep your teacher link** (under “Links to share”) somewhere only you can see it, such as your "
                "e-mail. This browser remembers that you are the teacher; on another computer, the link gives you "
                "your controls back.", icon=":material/key:")
    with st.expander("Links to share", icon=":material/link:"):
        st.markdown("**For students** — put it on the board, or read the code out:")
        st.code(students_link, language=None)
        if st.toggle("Show my private teacher link"):
            st.markdown("**For you only** — it opens the teacher's controls on any browser. It never stays in the "
                        "address bar or the browser's history, so the class never sees it.")
            st.code(teacher_link, language=None)
    if store.durability_note:
        st.caption(store.durability_note)


def as_a_student(code: str) -> None:
    """Which class this is, a way out, and whether the teacher paused saving."""
    left, right = st.columns([4, 1])
    left.caption(f"You are in class **{code}** as a student. Save drawings on the **Draw** page; "
                 "post the models you train on **Train** to the board.")
    if right.button("Leave this class", icon=":material/logout:"):
        class_session.leave()
        st.rerun()
    with frame.friendly_errors():
        if not class_session.status(code).saving_open:
            st.info("Your teacher has paused saving: drawings and guesses wait until it opens again.",
                    icon=":material/pause_circle:")


def this_class(store, code: str) -> None:
    """Expiry, who may join and save, a new teacher link, and deleting the class."""
    token = class_session.token()
    with frame.friendly_errors():
        status = class_session.status(code)
        store.touch(code)  # the teacher's visits keep a class alive
    with st.expander("Teacher: this class", icon=":material/admin_panel_settings:"):
        st.caption(f"Created {status.created_at:%d %b %Y}. Unless someone uses it before then, the class is deleted "
                   f"with all its drawings on **{status.expires_at:%d %b %Y}** ({store.expiry_days} days after it "
                   "was last used).")
        left, right = st.columns(2)
        joining = left.toggle("New students can join", value=status.joining_open,
                              help="Students already in the class keep working when you close it.")
        saving = right.toggle("Students can save drawings and guesses", value=status.saving_open)
        if joining != status.joining_open or saving != status.saving_open:
            with frame.friendly_errors():
                if joining != status.joining_open:
                    store.set_joining(code, token, joining)
                if saving != status.saving_open:
                    store.set_saving(code, token, saving)
                class_session.forget_status()
                done("Joining is " + ("open" if joining else "closed") + "; saving is "
                      + ("open." if saving else "paused."))
        st.divider()
        a, b = st.columns(2)
        if a.button("Replace the teacher link", icon=":material/key:",
                    help="The old link stops working at once, on every browser that used it."):
            with frame.friendly_errors():
                class_session.replace_teacher_link()
                done("The old teacher link no longer works. The new one is under “Links to share”.")
        if b.button("Delete this class", icon=":material/delete_forever:"):
            st.session_state["confirm_delete_class"] = code
        if st.session_state.get("confirm_delete_class") == code:
            st.warning(f"Delete class {code}? Every drawing, the board and the guesses are removed for good, "
                       "and students' pages say the class no longer exists.", icon=":material/warning:")
            yes, no = st.columns(2)
            if yes.button("Delete the class and all its drawings", type="primary", icon=":material/delete_forever:"):
                with frame.friendly_errors():
                    gone = class_session.delete_class()
                    st.session_state.pop("confirm_delete_class", None)
                    done(f"Class {gone} and all its drawings were deleted.")
            if no.button("Keep the class"):
                st.session_state.pop("confirm_delete_class", None)
                st.rerun()


def remove_drawings(store, code: str, drawings) -> None:
    """Delete one drawing by number, one student's drawings, or all of them (behind a confirmation)."""
    token = class_session.token()
    with st.expander("Teacher: remove drawings", icon=":material/delete:"):
        t1, t2 = st.columns(2)
        number = t1.number_input("Drawing number (#)", min_value=int(drawings.ids.min()),
                                 max_value=int(drawings.ids.max()), value=int(drawings.ids.max()))
        if t1.button("Delete this drawing", icon=":material/delete:"):
            with frame.friendly_errors():
                if store.delete_drawing(code, token, int(number)):
                    done(f"Deleted drawing #{int(number)}.")
                st.warning(f"There is no drawing #{int(number)} in this class.")
        names = transfer.pseudonyms(drawings.drawers)
        students = {}
        for drawer, name in zip(drawings.drawers, names, strict=True):
            if drawer != "import":
                students.setdefault(str(drawer), [name, 0])[1] += 1
        if students:
            chosen = t2.selectbox("A student's drawings", list(students),
                                  format_func=lambda d: f"{students[d][0]} ({students[d][1]} drawings)")
            if t2.button("Delete this student's drawings", icon=":material/person_remove:"):
                with frame.friendly_errors():
                    removed = store.delete_drawer(code, token, chosen)
                    done(f"Deleted {removed:,} drawings by {students[chosen][0]}.")
        st.divider()
        sure = st.checkbox(f"Yes, delete all {len(drawings):,} drawings of this class")
        if st.button("Clear the class set", icon=":material/delete_forever:", disabled=not sure):
            with frame.friendly_errors():
                removed = store.clear(code, token)
                done(f"Deleted all {removed:,} drawings.")


def tidy_board(store, code: str, experiments, forget) -> None:
    """Remove one board row or its nickname, or clear the board (behind a confirmation).
    ``forget()`` drops the page's cached copy of the board."""
    token = class_session.token()
    with st.expander("Teacher: tidy the board", icon=":material/delete_sweep:"):
        if experiments:
            rows = {e.id: e for e in experiments}
            chosen = st.selectbox(
                "A row of the board", list(rows)[::-1],
                format_func=lambda i: f"#{i} · N = {rows[i].n:,} · {rows[i].accuracy_100:.2f}"
                + (f" · {rows[i].nickname}" if rows[i].nickname else ""))
            a, b = st.columns(2)
            if a.button("Remove this row", icon=":material/remove:"):
                with frame.friendly_errors():
                    store.delete_experiment(code, token, chosen)
                    forget()
                    done(f"Removed row #{chosen} from the board.")
            if b.button("Remove its nickname", icon=":material/badge:", disabled=not rows[chosen].nickname):
                with frame.friendly_errors():
                    store.clear_nickname(code, token, chosen)
                    forget()
                    done(f"Removed the nickname of row #{chosen}.")
            st.divider()
        sure = st.checkbox("Yes, remove every experiment from the board")
        if st.button("Clear the board", icon=":material/delete_forever:", disabled=not sure):
            with frame.friendly_errors():
                removed = store.clear_experiments(code, token)
                forget()
                done(f"Removed {removed:,} experiments from the board.")
