"""The class board's table and the charts that draw it and the guesses."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from digitlib.classroom import board
from digitlib.display import charts

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def experiment(n, minutes, nickname=None, mode="first", C=1.0, gamma="scale", kernel="rbf", seed=0):
    return SimpleNamespace(n=n, mode=mode, seed=seed, C=C, gamma=gamma, kernel=kernel, accuracy_100=0.5 + n / 1e5,
                           accuracy_10000=None, fit_seconds=0.1, nickname=nickname,
                           saved_at=T0 + timedelta(minutes=minutes))


def test_table_is_newest_first_and_names_the_anonymous():
    table = board.table([experiment(100, 1, "Ada"), experiment(500, 3), experiment(2000, 2, "<b>x</b>")])
    assert list(table["N"]) == [500, 2000, 100]
    assert list(table["who"]) == ["anonymous", "<b>x</b>", "Ada"]  # shown as plain text by the table and chart
    assert list(table.columns) == board.COLUMNS


def test_settings_label_groups_the_lesson_apart_from_other_settings():
    assert board.settings_label("first", 0, 1.0, "scale", "rbf") == "first N, lesson's SVC"
    assert board.settings_label("balanced", 3, 1.0, "scale", "rbf") == "balanced (seed 3), lesson's SVC"
    assert board.settings_label("random", 1, 10.0, "auto", "poly") == "random (seed 1), poly, C=10, gamma=auto"


def test_empty_board_is_an_empty_table():
    table = board.table([])
    assert len(table) == 0 and list(table.columns) == board.COLUMNS


def test_board_chart_plots_accuracy_against_n_coloured_by_settings():
    spec = charts.board(board.table([experiment(100, 1)]))
    assert spec["encoding"]["x"]["field"] == "N" and spec["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["field"] == "settings"


def test_guesses_chart_shows_the_answer_only_once_revealed():
    table, hidden = charts.guesses([0.8, 0.85, 0.9], None)
    assert list(table["guess"]) == [0.8, 0.85, 0.9] and len(hidden["layer"]) == 1
    _, shown = charts.guesses([0.8], 0.93)
    assert shown["layer"][1]["encoding"]["x"]["datum"] == 0.93


def test_digit_counts_has_a_bar_per_digit():
    table, spec = charts.digit_counts([3, 0, 1, 0, 0, 0, 0, 2, 0, 0])
    assert list(table["digit"]) == [str(d) for d in range(10)] and table["drawings"].sum() == 6
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0
