"""digitlib.paper's choices when cutting and preparing digits: how touching digits are split, how bold ink is
prepared, how each model's sureness decides a split."""

import numpy as np

from digitlib.drawing import preprocess
from digitlib.paper import reading, segmentation


def ring(height: int, width: int, pen: int) -> np.ndarray:
    mask = np.ones((height, width), bool)
    mask[pen:-pen, pen:-pen] = False
    return mask


def touching_zeros() -> np.ndarray:
    """Two rings joined by a short stroke at mid-height: a 00 written in a hurry."""
    mask = np.zeros((300, 600), bool)
    mask[100:200, 100:150] = ring(100, 50, 8)
    mask[100:200, 160:210] = ring(100, 50, 8)
    mask[146:152, 150:160] = True
    return mask


def test_touching_digits_are_split_only_into_parts_about_as_tall_as_the_digits():
    slots = segmentation.digit_slots(touching_zeros(), close=1)
    assert len(slots) == 1 and any(len(option) == 2 for option in slots[0][1:])
    flagged = np.zeros((300, 600), bool)
    flagged[100:200, 100:180] = ring(100, 80, 8)  # a wide ring with a short flag at its top right: one digit
    flagged[100:110, 178:230] = True
    for option in segmentation.digit_slots(flagged, close=1)[0][1:]:
        assert all(part.height >= segmentation.PART_SHARE * 100 for part in option)


def test_a_bold_pen_is_prepared_as_written_and_a_thin_one_evened_out():
    bold = (ring(100, 60, 16) * 255).astype(np.uint8)  # a pen 0.16 of the digit's height: bold print
    assert np.array_equal(reading._prepare(bold).centred, preprocess.prepare(np.pad(bold, 4), stroke=False).centred)
    thin = (ring(100, 60, 3) * 255).astype(np.uint8)
    assert np.array_equal(reading._prepare(thin).centred, preprocess.prepare(np.pad(thin, 4)).centred)


def test_the_network_splits_by_log_odds_where_its_probabilities_all_round_to_one():
    mask = touching_zeros()
    levels = (mask * 255).astype(np.uint8)

    class Network:
        def probabilities(self, images):  # wide inputs (a joined 00 squeezed into 20 x 20) a little less sure
            wide = (images > 0).any(axis=1).sum(axis=1) > 17
            top = np.where(wide, 1 - 1e-4, 1 - 1e-7)  # 1.000 either way, to three decimals
            out = np.repeat(((1 - top) / 9)[:, None], 10, axis=1)
            out[:, 0] = top
            return out

    read, kind, _ = reading._read_pieces(segmentation.digit_slots(mask, close=1), levels, Network(), "none")
    assert kind == "probabilities" and [r.digit for r in read] == [0, 0]
