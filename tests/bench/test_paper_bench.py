"""bench/paper.py's own parts: the per-digit score (an edit distance), the splits kept apart (no held-out
split shares seeds or fonts with another split), and the memory figure read from /proc."""

import itertools
import sys

import pytest

from bench import paper
from digitlib.paper import synthetic


@pytest.mark.parametrize("truth, read, right", [
    ("407", "407", 3),  # all read
    ("407", "47", 2),  # a digit missed
    ("407", "4017", 3 - 1),  # a digit added counts against
    ("407", "907", 2),  # a digit misread
    ("12", "NoDigitsFoundError", 0),  # an error is never below 0
])
def test_digits_right_is_the_length_less_the_edit_distance(truth, read, right):
    assert paper.digits_right(truth, read) == right


def test_no_two_splits_share_seeds_and_no_held_out_split_shares_a_font():
    count = 120  # the README's count: each split's seeds run from its seed to seed + count
    spans = sorted((config["seed"], config["seed"] + count, name) for name, config in synthetic.SPLITS.items())
    for (_, end, first), (start, _, second) in itertools.pairwise(spans):
        assert end <= start, (first, second)
    held_out = [name for name in synthetic.SPLITS if name.startswith("held-out")]
    assert {"held-out-5", "held-out-6"} <= set(held_out)
    for name in held_out:
        others = {font for other, config in synthetic.SPLITS.items() if other != name for font in config["fonts"]}
        assert not others & set(synthetic.SPLITS[name]["fonts"]), name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_the_memory_figures_come_from_proc():
    resident, peak = paper.status_mb("VmRSS"), paper.status_mb("VmHWM")
    assert 0 < resident <= peak
