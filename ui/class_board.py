"""The Class page's board: every model the class posted, the nickname box, and the projector view."""

from __future__ import annotations

import streamlit as st

from digitlib.classroom import board
from digitlib.display import charts
from digitlib.errors import DigitsError
from digitlib.language import _, current, use
from ui import class_admin, class_data, class_session, frame, motion


def _columns() -> dict:
    """The board table's columns: their titles in the current language, numbers as the table writes them."""
    titles = {name: _(title) for name, title in board.COLUMN_TITLES.items()}
    return {
        "who": st.column_config.TextColumn(titles["who"]),
        "N": st.column_config.NumberColumn(titles["N"]),
        "settings": st.column_config.TextColumn(titles["settings"]),
        "accuracy": st.column_config.NumberColumn(titles["accuracy"], format="%.2f"),
        "accuracy (10,000)": st.column_config.NumberColumn(titles["accuracy (10,000)"], format="%.4f"),
        "fit time (s)": st.column_config.NumberColumn(titles["fit time (s)"], format="%.2f"),
        "saved": st.column_config.DatetimeColumn(titles["saved"], format="HH:mm:ss",
                                                 help=_("Time on the server (UTC).")),
    }
PROJECTOR = "projector_view"
BIG_TYPE = {"axis": {"labelFontSize": 20, "titleFontSize": 22}, "legend": {"labelFontSize": 20, "titleFontSize": 20},
            "title": {"fontSize": 26, "subtitleFontSize": 18}, "text": {"fontSize": 18}}


def nickname_box() -> None:
    """The student's nickname for the board, checked when it changes."""
    st.text_input(_("My nickname on the board (optional)"), key="nickname_box", max_chars=20,
                  value=class_session.nickname() or "", on_change=class_session.set_nickname, args=("nickname_box",),
                  help=_("Models you post from the Train page from now on appear here with this name: "
                         "letters, digits and spaces."))
    if problem := st.session_state.get("nickname_problem"):
        st.warning(str(problem))


def live(code: str, teacher: bool, height: int = 360, table: bool = True) -> None:
    """The board's chart (and table), refreshing itself: every 5 s for the teacher, 15 s for students, never
    when the browser prefers reduced motion; its Refresh button refreshes it at once."""
    lang = current()

    @st.fragment(run_every=motion.every(5 if teacher else 15))
    def experiments_board():
        use(lang)  # a fragment's own rerun does not pass the page's top, where the language is chosen
        if table or motion.reduced():  # the projector shows only the board, unless it waits for the button
            st.button(_("Refresh the board"), icon=":material/refresh:", type="tertiary")  # a press reruns the board
        with frame.friendly_errors():
            rows = board.table(class_data.experiments(code))
            if not len(rows):
                st.info(_("No models on the board yet. On **Train**, press “Post to the class board” to share one."))
                return
            spec = charts.board(rows)
            if not table:  # the projector: type a room can read
                spec["config"] = {**spec.get("config", {}), **BIG_TYPE}
            st.vega_lite_chart(rows, spec, width="stretch", height=height)
            if table:
                st.dataframe(rows, hide_index=True, column_config=_columns())

    experiments_board()


def tab(store, code: str, teacher: bool) -> None:
    """The Board tab: the nickname, the live board, the teacher's tidying and the projector view."""
    if teacher:
        st.button(_("Projector view"), icon=":material/present_to_all:", type="primary",
                  on_click=lambda: st.session_state.update({PROJECTOR: True}),
                  help=_("Only the board and the question, in big type, for the class to see."))
    else:
        nickname_box()
    live(code, teacher)
    if teacher:
        class_admin.tidy_board(store, code, class_data.experiments(code), class_data.experiments.clear)


def projecting() -> bool:
    """Whether the teacher asked for the projector view."""
    return bool(st.session_state.get(PROJECTOR))


def projector(code: str, question) -> None:
    """Nothing but the board and the question, in type a room can read; a button to go back."""
    st.html("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header{display:none}"
            "[data-testid='stMainBlockContainer']{padding-top:1rem;max-width:100%}"
            "[data-testid='stMain'] .stMarkdown p{font-size:1.6rem}"
            "[data-testid='stMetricValue']{font-size:4rem}</style>")
    top = st.columns([5, 2], vertical_alignment="center")
    top[0].markdown("# " + _("Class {code}: our models").format(code=code))
    top[1].button(_("Leave the projector view"), icon=":material/close:",
                  on_click=lambda: st.session_state.pop(PROJECTOR, None))
    board_side, question_side = st.columns([3, 2], gap="large")
    with board_side:
        live(code, teacher=True, height=520, table=False)
    with question_side:
        question()


def post_button(spec, model, accuracy_100: float, accuracy_10000) -> None:
    """A button that puts this model on the class board, once per browser and setting, with its nickname.

    ``accuracy_10000()`` is called only when the model goes on the board.
    """
    code, nickname = class_session.code(), class_session.nickname()
    posted = st.session_state.setdefault("posted", set())
    if (code, spec) not in posted and _on_board(class_data.experiments(code), spec):
        posted.add((code, spec))  # posted from this browser before a reload, or in another tab
    if (code, spec) in posted:
        st.caption(_("This model is on class {code}'s board as:").format(code=code) if nickname
                   else _("This model is on class {code}'s board.").format(code=code))
        if nickname:
            st.text(nickname)
        return
    if not st.button(_("Post to the class board"), icon=":material/leaderboard:", key=f"post-{spec}",
                     help=_("Share this model's settings and accuracy on the Our class page. "
                            "Choose a nickname there first if you like.")):
        return
    try:
        class_session.class_store().record_experiment(
            code, class_session.drawer(), n=spec.n, mode=spec.mode, seed=spec.seed, C=spec.C, gamma=str(spec.gamma),
            kernel=spec.kernel, accuracy_100=accuracy_100, accuracy_10000=accuracy_10000(),
            fit_seconds=model.fit_seconds, nickname=nickname, connection=class_session.connection())
    except DigitsError as exc:
        st.caption(_("Not on the class board: {problem}").format(problem=exc))
        return
    posted.add((code, spec))
    class_data.experiments.clear()
    st.rerun()


def _on_board(experiments, spec) -> bool:
    """Whether this browser has posted a model with ``spec``'s settings to the board."""
    me = class_session.drawer()
    return any(e.drawer == me and (e.n, e.mode, e.seed, e.C, e.gamma, e.kernel)
               == (spec.n, spec.mode, spec.seed, spec.C, str(spec.gamma), spec.kernel) for e in experiments)
