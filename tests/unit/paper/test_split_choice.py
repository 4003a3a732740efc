"""digitlib.paper.split_choice: the shipped regression, how it decides between a piece whole and split, and
the script that fits it (made from MNIST's training digits, the same for a seed)."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from digitlib.paper import split_choice


def sure(digit: int, top: float) -> np.ndarray:
    out = np.full(10, (1 - top) / 9)
    out[digit] = top
    return out


def test_the_shipped_regression_is_plain_numbers_for_its_three_features():
    fitted = json.loads(split_choice.ASSET.read_text(encoding="utf-8"))
    assert fitted["features"] == list(split_choice.FEATURES)
    assert len(fitted["weights"]) == 3 and all(np.isfinite(fitted["weights"]))
    assert 0 < fitted["threshold"] < 1
    whole, split, width = fitted["weights"]
    assert whole < 0 < split and width > 0  # a sure whole reading argues for one digit, a sure split and width for more


def test_a_wide_piece_sure_split_is_read_split_and_a_digit_wide_one_sure_whole_is_not():
    pair = [sure(4, 0.999), sure(7, 0.999)]
    assert split_choice.read_as_several(sure(8, 0.9), [pair], width=150, height=100)
    assert not split_choice.read_as_several(sure(0, 0.99999), [[sure(1, 0.6), sure(0, 0.7)]], width=95, height=100)


def test_the_chance_rises_with_the_width_for_the_same_readings():
    chances = [split_choice.several_chance(split_choice.features(sure(8, 0.99), [[sure(1, 0.99), sure(3, 0.99)]],
                                                                  width, 100)) for width in (80, 110, 140, 170)]
    assert chances == sorted(chances) and chances[0] < 0.5 < chances[-1]


def test_without_a_split_in_two_parts_a_piece_stays_whole_unless_it_was_refused():
    assert not split_choice.read_as_several(sure(0, 0.5), [[sure(0, 0.99)]], width=300, height=100)
    assert split_choice.read_as_several(None, [], width=300, height=100)


def test_log_odds_are_clipped_as_when_fitted():
    assert split_choice.log_odds(np.array([1.0, 0.0])) == pytest.approx(np.log((1 - 1e-6) / 1e-6))
    assert split_choice.log_odds(np.array([0.5, 0.5])) == pytest.approx(0.0)


def test_the_script_makes_the_same_pieces_for_a_seed_from_training_digits_only():
    from digitlib.mnist import data
    from digitlib.neural import files
    from scripts import fit_split_choice

    network = next(net for net in files.shipped() if net.n_train == 60000).network
    mnist = SimpleNamespace(x_train=data.load().x_train)  # no test images to reach for
    first = fit_split_choice.examples(12, 3, mnist, network)
    again = fit_split_choice.examples(12, 3, mnist, network)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert first[0].shape == (12, 3) and first[1].any()
    assert np.all(first[0][:, 2] > 0.5)  # only pieces wide enough to be offered a split
