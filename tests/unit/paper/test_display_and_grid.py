"""digitlib.paper: the step images sized for the page (numbered boxes, the lines found), and a grid's
remnants (hair-thin pieces beside the number) dropped."""

import numpy as np
import pytest

from digitlib.paper import reading, segmentation, synthetic
from digitlib.svm import shipped


@pytest.fixture(scope="module")
def squared(mnist):
    photo = synthetic.make_photo(8, "squared", "pen", "strokes")
    return reading.read_photo(photo.jpeg, shipped.load(mnist, 60000))


def test_box_numbers_and_lines_scale_with_the_photo(squared):
    picture = squared.boxes_image()
    assert picture.shape == squared.photo.shape + (3,) and picture.dtype == np.uint8
    blue = (picture[..., 2] > 150) & (picture[..., 0] < 60)  # the labels' colour
    rows = np.nonzero(blue.any(axis=1))[0]
    factor = squared.photo.shape[1] / reading.SHOWN_WIDTH
    assert rows.size >= 0.6 * reading.LABEL_SIZE * factor  # the labels are tall enough to read when shown small
    assert reading.label_font(30).size == 30


def test_labels_never_overlap_on_narrow_boxes():
    photo = np.full((600, 1600), 230, np.uint8)
    read = [reading.ReadDigit((200 + 30 * i, 250, 20, 100), None, np.zeros(10), i) for i in range(3)]
    found = reading.NumberReading(digits=[0, 1, 2], read=read, score_kind="votes", photo=photo, ink=photo,
                                  lines=np.zeros(photo.shape, bool), angle=0.0)
    picture = found.boxes_image()
    blue = (picture[..., 2] > 150) & (picture[..., 0] < 60)
    assert blue[:250].any() and blue[350:].any()  # one label above the boxes, the next below


def test_lines_image_is_thick_enough_to_see_small(squared):
    shown = squared.lines_image()
    assert shown.shape == squared.photo.shape + (3,) and shown.dtype == np.uint8
    drawn = np.all(shown == reading.LINE_COLOUR, axis=2)
    assert drawn.sum() >= squared.lines.sum()
    factor = squared.photo.shape[1] / reading.SHOWN_WIDTH
    runs = []
    for cut in (drawn[:, drawn.shape[1] // 2], drawn[drawn.shape[0] // 2]):  # across horizontal, vertical lines
        padded = np.diff(np.pad(cut.view(np.int8), 1))
        runs += list(np.nonzero(padded == -1)[0] - np.nonzero(padded == 1)[0])
    assert runs and np.median(runs) >= 1.5 * factor  # each line ~2 screen pixels when shown 380 px wide


def test_hair_thin_pieces_beside_the_number_are_dropped():
    mask = np.zeros((400, 800), bool)
    for left in (200, 320):  # two digits' worth of thick pen ink (a ring and a bar)
        mask[150:250, left : left + 60] = True
        mask[165:235, left + 12 : left + 48] = False
    mask[140:260, 500:502] = True  # a grid line's stretch, 2 px wide
    pieces = segmentation.digit_pieces(mask, track=np.zeros_like(mask))
    assert [p.left for p in pieces] == [200, 320]
    assert len(segmentation.digit_pieces(mask)) == 3  # a canvas keeps every stroke


def test_a_digit_written_along_a_grid_line_is_kept_and_the_line_left_over_dropped():
    mask = np.zeros((400, 800), bool)
    mask[150:250, 200:260] = True  # a 0 in thick pen
    mask[165:235, 212:248] = False
    mask[150:250, 320:332] = True  # a 1 written along a grid's column, as thick as the pen
    mask[150:250, 450:452] = True  # what is left of that grid's next column
    track = np.zeros_like(mask)
    track[:, 318:334] = track[:, 448:454] = True
    assert [p.left for p in segmentation.digit_pieces(mask, track=track)] == [200, 320]
