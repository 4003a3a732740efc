"""The session's class: its code in the URL, the teacher's secret, the student's anonymous id, the store.

A student joins with ``?class=CODE``; the code then stays with the session and every page
puts it back into its URL. The teacher's link adds ``&teacher=TOKEN``: the token moves into
the session and out of the address bar at once, so a projected screen never shows it.
"""

from __future__ import annotations

import secrets

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
    return st.session_state.setdefault("drawer", secrets.token_hex(8))


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

