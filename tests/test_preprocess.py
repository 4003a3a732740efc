import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from digitlib import model, preprocess, sampling
from digitlib.errors import BlankDrawingError


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
    with pytest.raises(BlankDrawingError):
        preprocess.prepare(canvas_with([[(140, 140), (142, 141)]], width=4))


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
