"""Charts drawn in the browser (digitlib.display.charts): titles that fit a phone, a board showing every row."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from digitlib.classroom import board
from digitlib.display import charts


def every_chart():
    """Each chart with a title, as the pages draw them."""
    counts, cm = np.arange(10) % 10, np.eye(10, dtype=int) * 9
    table = board.table([experiment("Ana", 100, 0.68)])
    return {
        "votes": charts.votes(counts, 9)[1],
        "probabilities": charts.probabilities(np.full(10, 0.1), 3)[1],
        "confusion": charts.confusion(cm)[1],
        "board": charts.board(table),
        "guesses": charts.guesses([0.8, 0.9], 0.88)[1],
    }


@pytest.mark.parametrize("name", ["votes", "probabilities", "confusion", "board", "guesses"])
def test_titles_are_broken_into_lines_that_fit_a_phone(name):
    title = every_chart()[name]["title"]
    lines = title["text"] + title.get("subtitle", [])
    assert lines and all(len(line) <= charts.SUBTITLE_WIDTH for line in lines)
    assert all(len(line) <= charts.TITLE_WIDTH for line in title["text"])


def test_a_long_title_keeps_every_word():
    long = "Votes: each digit faces the 9 others one at a time, and the most duels won is the answer"
    title = charts.title(long, long)
    assert " ".join(title["text"]) == long and " ".join(title["subtitle"]) == long
    assert len(title["text"]) > 1


def test_the_clickable_confusion_matrix_says_what_a_click_does_and_the_others_have_no_title():
    assert "Click a square" in " ".join(charts.confusion(np.eye(10))[1]["title"]["text"])
    assert "title" not in charts.confusion(np.eye(10), selectable=False)[1]


def experiment(nickname, n, accuracy, mode="first", seed=0, saved=0):
    """A board row as the class store returns it (what board.table reads)."""
    return SimpleNamespace(nickname=nickname, n=n, mode=mode, seed=seed, C=1.0, gamma="scale", kernel="rbf",
                           accuracy_100=accuracy, accuracy_10000=None, fit_seconds=0.1,
                           saved_at=datetime(2026, 1, 1) + timedelta(seconds=saved))


NINE = [("Ana", 100, 0.68), ("Ben", 100, 0.68), (None, 100, 0.68), (None, 100, 0.68), ("Cleo", 500, 0.88),
        ("Dan", 500, 0.88), ("Eve", 500, 0.88), ("Ana", 500, 0.88), ("Finn", 2000, 0.93)]


def test_the_board_shows_every_row_even_when_settings_are_the_same():
    table = board.table([experiment(who, n, a, saved=i) for i, (who, n, a) in enumerate(NINE)])
    spec = charts.board(table)
    dots = spec["data"]["values"]
    assert len(table) == 9 and len(dots) == 3  # nine rows on three places of the chart
    assert dots["models"].sum() == len(table)  # every row counted once
    by_n = dots.set_index("N")
    assert by_n.loc[100, "models"] == 4 and by_n.loc[500, "models"] == 4 and by_n.loc[2000, "models"] == 1
    assert by_n.loc[100, "who"] == "Ana, Ben, anonymous ×2"  # every nickname, in the tooltip
    assert sorted(by_n.loc[500, "who"].split(", ")) == ["Ana", "Cleo", "Dan", "Eve"]
    points, numbers = spec["layer"]
    assert points["encoding"]["size"]["field"] == "models"  # more models, a bigger dot…
    assert numbers["encoding"]["text"]["field"] == "models"  # …with their number on it
    assert numbers["transform"] == [{"filter": "datum.models > 1"}]
    assert {"field": "who", "title": "trained by"} in spec["encoding"]["tooltip"]


def test_the_board_keeps_different_settings_or_accuracies_apart():
    rows = [experiment("Ana", 100, 0.68), experiment("Ben", 100, 0.71, mode="balanced", seed=3),
            experiment("Cleo", 100, 0.70)]
    dots = charts.board(board.table(rows))["data"]["values"]
    assert len(dots) == 3 and list(dots["models"]) == [1, 1, 1]


def test_an_empty_board_draws_no_dots():
    dots = charts.board(board.table([]))["data"]["values"]
    assert isinstance(dots, pd.DataFrame) and len(dots) == 0 and "models" in dots.columns
