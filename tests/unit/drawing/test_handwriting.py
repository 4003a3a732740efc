"""Synthetic handwriting: every random drawing fits the canvas, and a style can be chosen."""

import numpy as np

from digitlib.drawing import handwriting


def test_every_random_drawing_fits_the_canvas_even_big_tilted_thick_ones():
    # seed 34 once drew a 6 too big for the canvas and failed
    for seed in range(200):
        for digit in range(10):
            d = handwriting.random_drawing(digit, np.random.default_rng(seed))
            points = np.vstack(d.strokes)
            assert points.min() >= d.width / 2 and points.max() <= handwriting.CANVAS - d.width / 2


def test_a_chosen_style_draws_that_style():
    european_one = handwriting.random_drawing(1, np.random.default_rng(0), style=2)
    crossed_seven = handwriting.random_drawing(7, np.random.default_rng(0), style=1)
    assert len(european_one.strokes) == 2 and european_one.description.startswith("style 2")
    assert len(crossed_seven.strokes) == 2 and crossed_seven.description.startswith("style 1")
