import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from digitlib.drawing import handwriting, preprocess
from digitlib.errors import BlankDrawingError
from digitlib.mnist import sampling
from digitlib.svm import model

PENS = [8, 12, 18, 24, 32]  # the Draw page's pen widths


def canvas_with(strokes, width=18, size=280):
    """A white-on-black RGBA canvas like the Draw page's, with polyline strokes."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    draw = ImageDraw.Draw(img)
    for stroke in strokes:
        draw.line(stroke, fill=(255, 255, 255, 255), width=width, joint="curve")
    return np.asarray(img)


def test_blank_and_dot_are_not_digits():
    with pytest.raises(BlankDrawingError, match="draw a digit"):
        preprocess.prepare(canvas_with([]))
    with pytest.raises(BlankDrawingError, match="a dot or a slip"):
        preprocess.prepare(canvas_with([[(140, 140), (142, 141)]], width=4))


def drawn(strokes, pen):
    """The grey canvas of polylines drawn as the Draw page's canvas does (round caps)."""
    return handwriting.render(handwriting.Drawing(0, strokes, pen, ""))[..., 0]


def scaled(drawing, fraction, pen, rng):
    """``drawing`` redrawn with ``pen``, its longer side ``fraction`` of the canvas, somewhere it fits."""
    points = np.vstack(drawing.strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    factor = fraction * handwriting.CANVAS / (high - low).max()
    half = (high - low) * factor / 2
    centre = rng.uniform(pen / 2 + 2 + half, handwriting.CANVAS - pen / 2 - 2 - half)
    strokes = [[tuple((np.asarray(p) - (low + high) / 2) * factor + centre) for p in s] for s in drawing.strokes]
    return handwriting.Drawing(drawing.digit, strokes, pen, f"{drawing.description}, {fraction:.0%}, pen {pen}")


@pytest.mark.parametrize("pen", PENS)
def test_taps_and_short_slips_are_refused_with_every_pen(pen):
    rng = np.random.default_rng(pen)
    junk = []
    for _ in range(10):
        (x, y), (x2, y2) = rng.uniform(40, 240, (2, 2))
        junk += [[[(x, y)]], [[(x, y), (x + 1, y + 1)]], [[(x, y)], [(x2, y2)]]]  # a tap, a wiggle, two taps
    for length in (5, 10, 20, 30, 40, 50):
        for angle in np.radians(np.arange(0, 360, 22.5)):
            (x, y), bend = rng.uniform(60, 220, 2), rng.uniform(-0.3, 0.3) * length
            c, s = np.cos(angle), np.sin(angle)
            junk.append([[(x, y), (x + length / 2 * c - bend * s, y + length / 2 * s + bend * c),
                          (x + length * c, y + length * s)]])
    for strokes in junk:
        ink = drawn(strokes, pen)
        assert preprocess.not_a_digit(ink) == preprocess.TOO_LITTLE_INK, (strokes, preprocess.ink_travel(ink))
        with pytest.raises(BlankDrawingError, match="a dot or a slip"):
            preprocess.prepare(ink)


@pytest.mark.parametrize("pen", PENS)
def test_a_slip_travels_its_length_whatever_the_pen(pen):
    for length in (10, 20, 35, 50):
        slip = drawn([[(60, 200), (60 + length * 0.8, 200 - length * 0.6)]], pen)
        assert abs(preprocess.ink_travel(slip) - length) < 4


@pytest.mark.parametrize("pen", PENS)
def test_small_real_digits_pass_with_every_pen(pen):
    """Random and sloppy digits at 25-40 % of the canvas, a small 1 among them, are digits."""
    rng = np.random.default_rng(pen)
    originals = handwriting.drawing_set(per_digit=6, seed=3)[:60] + handwriting.sloppy_drawings()
    assert sum(d.digit == 1 for d in originals) >= 8
    small = [scaled(d, fraction, pen, rng) for fraction in (0.25, 0.3, 0.35, 0.4) for d in originals]
    refused = [d.description for d in small if preprocess.not_a_digit(handwriting.render(d)[..., 0])]
    assert not refused
    one = scaled(handwriting.Drawing(1, [[(140.0, 0.0), (140.0, 280.0)]], pen, "a bare 1"), 0.25, pen, rng)
    assert preprocess.prepare(handwriting.render(one)).centred.shape == (28, 28)  # 70 px tall


def test_every_drawing_of_the_draw_benchmark_is_a_digit():
    drawings = handwriting.drawing_set(per_digit=30)  # bench/draw.py's 316
    assert all(preprocess.not_a_digit(handwriting.render(d)[..., 0]) is None for d in drawings)


def test_mnist_style_box_and_centre_of_mass():
    # a small digit drawn far off-centre
    p = preprocess.prepare(canvas_with([[(20, 20), (60, 20), (40, 90)]], width=8))
    assert p.centred.shape == (28, 28) and p.centred.dtype == np.uint8
    assert max(p.scaled.shape) == 20
    cy, cx = ndimage.center_of_mass(p.centred.astype(float))
    assert abs(cy - 14) < 1 and abs(cx - 14) < 1
    assert p.centred.max() == 255


def test_aspect_ratio_is_kept():
    p = preprocess.prepare(canvas_with([[(140, 30), (140, 250)]], width=10))  # a tall "1"
    h, w = p.scaled.shape
    assert h == 20 and w < 6


def test_transparent_background_counts_as_no_ink():
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[100:200, 130:150] = (255, 255, 255, 255)
    rgba[:50, :50] = (255, 255, 255, 0)  # invisible white
    p = preprocess.prepare(rgba)
    assert p.cropped.shape == (100, 20)


def test_enlarged_mnist_digits_survive_the_round_trip(mnist):
    """MNIST test digits, blown up and moved around a canvas, come back readable."""
    m = model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 3000))
    rng = np.random.default_rng(0)
    hits = naive_hits = 0
    for i in range(40):
        scale = rng.integers(5, 10)
        big = np.asarray(Image.fromarray(mnist.x_test[i]).resize((28 * scale, 28 * scale), Image.Resampling.BILINEAR))
        canvas = np.zeros((280, 280), np.uint8)
        top, left = rng.integers(0, 280 - 28 * scale + 1, size=2)
        canvas[top : top + 28 * scale, left : left + 28 * scale] = big
        hits += m.predict(preprocess.prepare(canvas).centred)[0] == mnist.y_test[i]
        naive_hits += m.predict(preprocess.naive_resize(canvas))[0] == mnist.y_test[i]
    assert hits >= 36
    assert naive_hits < 30  # the plain resize that MNIST-style preparation replaces
