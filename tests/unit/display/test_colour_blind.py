"""Figures a colour-blind student reads (issue 19): categories in the Okabe–Ito colours (and, on the class
board, shapes too), heatmaps in one hue read by lightness alone, and right or wrong said by a mark and a
word, never by red or green alone."""

from datetime import datetime
from types import SimpleNamespace

import numpy as np
from matplotlib.colors import to_rgb

from digitlib.classroom import board
from digitlib.display import charts, plots

# Okabe & Ito (2008), "Color Universal Design": told apart by every common kind of colour blindness.
OKABE_ITO = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"}


def experiment(nickname, n, accuracy, mode="first"):
    """A board row as the class store returns it (what board.table reads)."""
    return SimpleNamespace(nickname=nickname, n=n, mode=mode, seed=0, C=1.0, gamma="scale", kernel="rbf",
                           accuracy_100=accuracy, accuracy_10000=None, fit_seconds=0.1, saved_at=datetime(2026, 1, 1))


def lightness(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_lines_and_bar_groups_use_the_okabe_ito_colours():
    assert {c.lower() for c in plots.SERIES} <= OKABE_ITO
    assert len(set(plots.SERIES)) == len(plots.SERIES)


def test_the_board_tells_its_settings_apart_by_colour_and_by_shape():
    table = board.table([experiment("Ana", 100, 0.68), experiment("Ben", 500, 0.88, mode="random")])
    spec = charts.board(table)
    colour, shape = spec["encoding"]["color"], spec["layer"][0]["encoding"]["shape"]  # the dots' layer
    assert {c.lower() for c in colour["scale"]["range"]} <= OKABE_ITO
    assert shape["field"] == colour["field"] == "settings" and shape["legend"] == colour["legend"]  # one legend


def test_the_heatmaps_are_one_hue_read_by_lightness():
    shades = [lightness(c) for c in charts.BLUES]
    assert shades == sorted(shades, reverse=True) and shades[0] - shades[-1] > 0.8  # pale to dark, no second hue


def test_a_test_image_says_right_or_wrong_in_words_and_a_mark(mnist):
    wrong = plots.digit(mnist.x_test[0], 4, 9).axes[0]
    right = plots.digit(mnist.x_test[0], 7, 7).axes[0]
    assert wrong.get_xlabel() == "✗ wrong" and right.get_xlabel() == "✓ right"
    assert plots.digit(mnist.x_test[0]).axes[0].get_xlabel() == ""  # no prediction, no verdict
    assert np.allclose(to_rgb(wrong.xaxis.label.get_color()), to_rgb(wrong.title.get_color()))
