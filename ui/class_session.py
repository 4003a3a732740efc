"""The session's class: its code in the URL, the teacher's key, the student's anonymous id, the store.

A student joins with ``?class=CODE`` (or the Join form); the code then stays with the session and
every page puts it back into its URL. A code new to the session is checked through the store's
``join``, which slows down wrong guesses, so a link is no quicker a way to guess codes than the form.

The teacher's link adds ``&teacher=TOKEN``. The page keeps the token in a cookie on that browser
and reloads itself at the same address without it (``location.replace``), so no entry of the
browser's history holds the secret and a reload keeps the teacher's view.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from digitlib.errors import ClassClosedError, ClassCodeError, ClassLimitError, DigitsError, StorageUnavailableError
from digitlib.language import N_, _
from ui import cookies, page_language, site_map

CLASS_PARAM = "class"
TEACHER_PARAM = "teacher"
STUDENT_COOKIE = "digits_student"
NOTICE_COOKIE = "digits_notice"
TEACHER_DAYS = 180  # the key is useless once its class is deleted or its link replaced
STUDENT_DAYS = 90
_HANDOFF = "teacher_link_seen"
_STATUS_SECONDS = 5


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str):
    from digitlib.classroom.store import ClassStore

    return ClassStore(url)


def class_store():
    """The class database (a ``ClassStore``), opened and migrated once per server.

    Raises StorageUnavailableError when it is down; the next call tries again.
    """
    from digitlib.classroom import database

    return _store(database.default_url())


@st.cache_data(ttl=_STATUS_SECONDS, max_entries=256, show_spinner=False)
def _status(code: str):
    return class_store().status(code)


def status(code: str):
    """The class's ``ClassStatus`` (open for joining and saving, expiry), at most a few seconds old."""
    return _status(code)


def forget_status() -> None:
    """Read every class's status afresh (after the teacher changed it)."""
    _status.clear()


def connection() -> str | None:
    """The client's address as this server sees it (what per-connection limits count), or None."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) else None


def teacher_cookie(code: str) -> str:
    return f"digits_teacher_{code}"


# --- the class in the URL ---------------------------------------------------------------------------

def keep_in_url() -> None:
    """Read ``?class=`` and ``?teacher=`` into the session, and put the class code back into the URL.

    A class deleted or expired since is left, with a notice. Call before anything writes the URL.
    """
    _show_notice()
    token = st.query_params.get(TEACHER_PARAM)
    if token is not None:
        _take_teacher_link(token)  # first: nothing may write the URL while it holds the token
    raw = st.query_params.get(CLASS_PARAM)
    if raw is not None:
        _enter(raw)
    current = code()
    if current:
        try:
            status(current)
        except ClassCodeError:
            leave()
            st.warning(_("Class {code} no longer exists: its teacher deleted it, or nobody used it for a long "
                         "time. Its drawings are gone. Ask your teacher for a new class code.").format(code=current),
                       icon=":material/group_off:")
            return
        except DigitsError:
            pass  # the database is down: the Class page says so; the rest of the app works
    if current and st.query_params.get(CLASS_PARAM) != current:
        st.query_params[CLASS_PARAM] = current


def _enter(raw: str) -> None:
    """Make the class of ``?class=raw`` the session's, if it exists and lets this browser in."""
    from digitlib.classroom import codes

    try:
        wanted = codes.normalise_code(raw)
    except ClassCodeError as exc:
        _refuse(f"{exc}")
        return
    if wanted == code():
        return
    key = cookies.read(teacher_cookie(wanted))
    try:
        if not (key and class_store().is_teacher(wanted, key)):
            class_store().join(wanted, connection())
    except (ClassCodeError, ClassClosedError, ClassLimitError) as exc:
        st.session_state["join_prefill"] = wanted
        _refuse(f"{exc}")
        return
    except StorageUnavailableError:
        pass  # cannot check now; the Class page explains, and saving waits for the database
    st.session_state.pop("teacher_token", None)  # a token belongs to one class
    st.session_state["class_code"] = wanted


def _refuse(message: str) -> None:
    st.warning(f"{message}", icon=":material/group_off:")
    st.page_link(site_map.CLASS.path, label=_("Join a class with its code"), icon=":material/login:")
    del st.query_params[CLASS_PARAM]


def _take_teacher_link(token: str) -> None:
    """Keep the teacher's token on this browser and reload without it in the address (the page stops)."""
    from digitlib.classroom import codes

    token = token[:200]
    if st.session_state.get(_HANDOFF) == token:
        # The script below did not run (no browser: a test or a light client): drop it here instead.
        del st.query_params[TEACHER_PARAM]
        if not is_teacher():
            st.warning(_(_STALE_LINK), icon=":material/key_off:")
        return
    st.session_state[_HANDOFF] = token
    try:
        linked = codes.normalise_code(st.query_params.get(CLASS_PARAM))
        valid = class_store().is_teacher(linked, token)
    except DigitsError:
        valid = False
    if valid:
        st.session_state["class_code"] = linked
        st.session_state["teacher_token"] = token
        written = {teacher_cookie(linked): (token, TEACHER_DAYS * cookies.DAY)}
    else:
        written = {NOTICE_COOKIE: ("stale-teacher-link", 120)}
    reload = "const u = new URL(location.href); u.searchParams.delete('teacher'); location.replace(u.href);"
    st.html(cookies.script(written, then=reload), unsafe_allow_javascript=True)
    st.info(_("Opening the teacher's view…"), icon=":material/key:")
    st.stop()


_STALE_LINK = N_("This teacher link no longer works: the teacher replaced it, or the class was deleted. "
                 "The page shows the class as a student sees it.")


def _show_notice() -> None:
    if cookies.read(NOTICE_COOKIE) == "stale-teacher-link" and not st.session_state.get("notice_shown"):
        st.session_state["notice_shown"] = True
        cookies.forget(NOTICE_COOKIE)
        st.warning(_(_STALE_LINK), icon=":material/key_off:")


# --- who this session is ---------------------------------------------------------------------------

def code() -> str | None:
    """The session's class code, or None outside a class."""
    return st.session_state.get("class_code")


def link_params() -> dict[str, str]:
    """What every link between pages carries: the class code, when there is one."""
    return {CLASS_PARAM: code()} if code() else {}


def drawer() -> str:
    """This browser's anonymous id: it tells a student's own saves apart across reloads and tabs,
    and names nobody. Kept in a cookie for ``STUDENT_DAYS``."""
    if "drawer" not in st.session_state:
        from digitlib.classroom import codes, inputs

        kept = cookies.read(STUDENT_COOKIE)
        try:
            st.session_state["drawer"] = inputs.drawer(kept)
        except DigitsError:
            st.session_state["drawer"] = codes.new_drawer()
            cookies.write(STUDENT_COOKIE, st.session_state["drawer"], STUDENT_DAYS * cookies.DAY)
    return st.session_state["drawer"]


def token() -> str | None:
    """The teacher's token for the session's class (from this session or this browser), or None."""
    if not code():
        return None
    return st.session_state.get("teacher_token") or cookies.read(teacher_cookie(code()))


def is_teacher() -> bool:
    """Whether this browser holds the teacher's token for its class; checked by the server each time."""
    if not code() or not token():
        return False
    try:
        return class_store().is_teacher(code(), token())
    except DigitsError:
        return False


def leave() -> None:
    """Forget the class in this session (the class and its data stay)."""
    for key in ("class_code", "teacher_token"):
        st.session_state.pop(key, None)
    st.query_params.pop(CLASS_PARAM, None)


def open_store():
    """The class database, or a message saying what is wrong and the page stops there."""
    try:
        return class_store()
    except DigitsError as exc:
        st.error(f"{exc}", icon=":material/cloud_off:")
        st.caption(_("The other pages work without the class database; only the class features wait for it."))
        st.stop()


def start_class() -> None:
    """Create a class and make this browser its teacher."""
    new = class_store().create_class()
    st.session_state["class_code"] = new.code
    st.session_state["teacher_token"] = new.token
    st.session_state["keep_link_told"] = False
    cookies.write(teacher_cookie(new.code), new.token, TEACHER_DAYS * cookies.DAY)
    st.query_params[CLASS_PARAM] = new.code


def join(text: str) -> None:
    """Join the class with code ``text``: ClassCodeError if there is none, ClassClosedError if it takes
    no new students, ClassLimitError after too many wrong codes."""
    from digitlib.classroom import codes

    wanted = codes.normalise_code(text or "")
    class_store().join(wanted, connection())
    if wanted != code():
        st.session_state.pop("teacher_token", None)
    st.session_state["class_code"] = wanted
    st.session_state.pop("join_prefill", None)
    st.query_params[CLASS_PARAM] = wanted


def links() -> tuple[str, str]:
    """The students' link and the teacher's link to this class (the second carries the secret)."""
    base = (st.context.url or "").split("?")[0] or "http://localhost:8501/Class"
    students = f"{base}?{CLASS_PARAM}={code()}"
    if page_language.link_params():  # the teacher's language travels with the class
        students += f"&{page_language.PARAM}={page_language.link_params()[page_language.PARAM]}"
    return students, f"{students}&{TEACHER_PARAM}={token()}"


# --- the teacher's powers (the store checks the token every time) -----------------------------------

def replace_teacher_link() -> None:
    """A new teacher link; the old one stops working at once, everywhere."""
    new = class_store().replace_token(code(), token())
    st.session_state["teacher_token"] = new
    cookies.write(teacher_cookie(code()), new, TEACHER_DAYS * cookies.DAY)


def delete_class() -> str:
    """Delete the session's class with all its drawings, board and guesses; its code."""
    gone = code()
    class_store().delete_class(gone, token())
    forget_status()
    cookies.forget(teacher_cookie(gone))
    leave()
    return gone


# --- what students do -------------------------------------------------------------------------------

def save_drawing(prepared, label: int) -> int:
    """Save the session's drawing with ``label`` to the class set; saving the same one twice keeps one."""
    digest = hashlib.blake2b(prepared.centred.tobytes() + bytes([label]) + f"{drawer()}@{code()}".encode(),
                             digest_size=16)
    saved = class_store().save_drawing(code(), drawer(), label, prepared.centred, request_id=digest.hexdigest(),
                                 connection=connection())
    st.session_state["saved_ids"] = st.session_state.get("saved_ids", []) + [saved]
    return saved


def undo_save() -> int | None:
    """Remove this browser's newest saved drawing from the class set."""
    removed = class_store().undo_last(code(), drawer())
    if removed is not None:
        st.session_state["saved_ids"] = [i for i in st.session_state.get("saved_ids", []) if i != removed]
    return removed


def saved_here() -> int:
    """How many drawings this browser has in the class set (across reloads and tabs)."""
    try:
        return class_store().saved_by(code(), drawer())
    except DigitsError:
        return len(set(st.session_state.get("saved_ids", [])))


def guess(value: float) -> None:
    """This browser's guess at the open question."""
    class_store().guess(code(), drawer(), value, connection=connection())


NICKNAME = "board_nickname"
NICKNAME_COOKIE = "digits_nickname"  # so a page opened by link keeps it


def nickname() -> str | None:
    """The nickname this browser shows on the board, if it chose one: this session's, or else the one
    it last used in the class (so a page opened by link keeps it)."""
    if NICKNAME not in st.session_state and code():
        from digitlib.classroom import inputs

        try:
            kept = inputs.nickname(cookies.read_text(NICKNAME_COOKIE))
            st.session_state[NICKNAME] = kept or class_store().nickname_of(code(), drawer()) or ""
        except DigitsError:
            return None
    return st.session_state.get(NICKNAME) or None


def set_nickname(widget_key: str) -> None:
    """``on_change`` of the nickname box: keep a valid value after the box leaves the page."""
    from digitlib.classroom import inputs

    try:
        st.session_state[NICKNAME] = inputs.nickname(st.session_state.get(widget_key) or "") or ""
        st.session_state.pop("nickname_problem", None)
        cookies.write_text(NICKNAME_COOKIE, st.session_state[NICKNAME], STUDENT_DAYS * cookies.DAY)
    except DigitsError as exc:
        st.session_state[NICKNAME] = ""
        st.session_state["nickname_problem"] = exc  # written when shown, in the page's language
