"""The session's class: its code in the URL, the teacher's secret, the student's anonymous id, the store.

A student joins with ``?class=CODE``; the code then stays with the session and every page
puts it back into its URL. The teacher's link adds ``&teacher=TOKEN``: the token moves into
the session and out of the address bar at once, so a projected screen never shows it.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from digitlib.errors import ClassCodeError, DigitsError

CLASS_PARAM = "class"
TEACHER_PARAM = "teacher"


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str):
    from digitlib.classroom.store import ClassStore

    return ClassStore(url)


def store():
    """The class database (a ``ClassStore``), opened and migrated once per server.

    Raises StorageUnavailableError when it is down; the next call tries again.
    """
    from digitlib.classroom import database

    return _store(database.default_url())


def keep_in_url() -> None:
    """Read ``?class=`` and ``?teacher=`` into the session, and put the class code back into the URL."""
    raw = st.query_params.get(CLASS_PARAM)
    if raw is not None:
        from digitlib.classroom import codes

        try:
            code = codes.normalise_code(raw)
        except ClassCodeError as exc:
            st.warning(f"{exc} Ask your teacher for the class link.", icon=":material/group_off:")
            del st.query_params[CLASS_PARAM]
        else:
            if code != st.session_state.get("class_code"):
                st.session_state.pop("teacher_token", None)  # a token belongs to one class
            st.session_state["class_code"] = code
    token = st.query_params.get(TEACHER_PARAM)
    if token is not None:
        del st.query_params[TEACHER_PARAM]
        if st.session_state.get("class_code"):
            st.session_state["teacher_token"] = token[:200]
    code = st.session_state.get("class_code")
    if code and st.query_params.get(CLASS_PARAM) != code:
        st.query_params[CLASS_PARAM] = code


def code() -> str | None:
    """The session's class code, or None outside a class."""
    return st.session_state.get("class_code")


def link_params() -> dict[str, str]:
    """What every link between pages carries: the class code, when there is one."""
    return {CLASS_PARAM: code()} if code() else {}


def drawer() -> str:
    """This session's anonymous id: it tells a student's own saves apart, and names nobody."""
    if "drawer" not in st.session_state:
        from digitlib.classroom import codes

        st.session_state["drawer"] = codes.new_drawer()
    return st.session_state["drawer"]


def token() -> str | None:
    """The teacher's token held by this session (never shown), or None."""
    return st.session_state.get("teacher_token")


def is_teacher() -> bool:
    """Whether this session holds the teacher's token for its class; checked by the server each time."""
    if not code() or not token():
        return False
    try:
        return store().is_teacher(code(), token())
    except DigitsError:
        return False


def leave() -> None:
    """Forget the class in this session (the class and its data stay)."""
    for key in ("class_code", "teacher_token"):
        st.session_state.pop(key, None)
    st.query_params.pop(CLASS_PARAM, None)



def save_drawing(prepared, label: int) -> int:
    """Save the session's drawing with ``label`` to the class set; saving the same one twice keeps one."""
    from digitlib import preprocess

    digest = hashlib.blake2b(prepared.centred.tobytes() + bytes([label]) + f"{drawer()}@{code()}".encode(),
                             digest_size=16)
    saved = store().save_drawing(code(), drawer(), label, prepared.centred,
                                 canvas_png=preprocess.thumbnail_png(prepared.ink), request_id=digest.hexdigest())
    st.session_state["saved_ids"] = st.session_state.get("saved_ids", []) + [saved]
    return saved


def undo_save() -> int | None:
    """Remove this session's newest saved drawing from the class set."""
    removed = store().undo_last(code(), drawer())
    if removed is not None:
        st.session_state["saved_ids"] = [i for i in st.session_state.get("saved_ids", []) if i != removed]
    return removed


def saved_here() -> int:
    """How many drawings this session has saved (and not undone)."""
    return len(set(st.session_state.get("saved_ids", [])))


def open_store():
    """The class database, or a message saying what is wrong and the page stops there."""
    try:
        return store()
    except DigitsError as exc:
        st.error(f"{exc}", icon=":material/cloud_off:")
        st.caption("The other pages work without the class database; only the class features wait for it.")
        st.stop()


def start_class() -> None:
    """Create a class and make this session its teacher."""
    new = store().create_class()
    st.session_state["class_code"] = new.code
    st.session_state["teacher_token"] = new.token
    st.query_params[CLASS_PARAM] = new.code


def join(text: str) -> None:
    """Join the class with code ``text``; ClassCodeError if there is none."""
    from digitlib.classroom import codes

    wanted = codes.normalise_code(text or "")
    if not store().exists(wanted):
        raise ClassCodeError(f"No class has the code {wanted}. Check it with your teacher.")
    if wanted != code():
        st.session_state.pop("teacher_token", None)
    st.session_state["class_code"] = wanted
    st.query_params[CLASS_PARAM] = wanted


def links() -> tuple[str, str]:
    """The students' link and the teacher's link to this class (the second carries the secret)."""
    base = (st.context.url or "").split("?")[0] or "http://localhost:8501/Class"
    students = f"{base}?{CLASS_PARAM}={code()}"
    return students, f"{students}&{TEACHER_PARAM}={token()}"


NICKNAME = "board_nickname"


def nickname() -> str | None:
    """The nickname this session shows on the board, if it chose one (kept across pages)."""
    return st.session_state.get(NICKNAME) or None


def set_nickname(widget_key: str) -> None:
    """``on_change`` of the nickname box: keep its value after the box leaves the page."""
    st.session_state[NICKNAME] = (st.session_state.get(widget_key) or "").strip()[:20]


def record(spec, model, accuracy_100: float, accuracy_10000) -> None:
    """Put a model this session trained or opened on the class board, once per class and setting.

    ``accuracy_10000()`` is called only when the model goes on the board.
    """
    if not code():
        return
    done = st.session_state.setdefault("recorded", set())
    if (code(), spec) in done:
        st.caption(f"This model is on class {code()}'s board.")
        return
    try:
        store().record_experiment(
            code(), drawer(), n=spec.n, mode=spec.mode, seed=spec.seed, C=spec.C, gamma=str(spec.gamma),
            kernel=spec.kernel, accuracy_100=accuracy_100, accuracy_10000=accuracy_10000(),
            fit_seconds=model.fit_seconds, nickname=nickname())
    except DigitsError as exc:
        st.caption(f"Not on the class board: {exc}")
        return
    done.add((code(), spec))
    st.caption(f"This model is on class {code()}'s board" + (f" as {nickname()}." if nickname() else "."))
