"""digitlib.svm.exact_kernel must give the kernel values libsvm trains on, to the last bit of float32."""

import numpy as np
import pytest

from digitlib.svm import exact_kernel, fast_fit, model


@pytest.fixture(autouse=True)
def small_tiles(monkeypatch):
    """Tiles smaller than the blocks, so the tiling itself is under test."""
    monkeypatch.setattr(exact_kernel, "TILE_ROWS", 64)
    monkeypatch.setattr(exact_kernel, "TRANSPOSE_BLOCK", 100)


@pytest.fixture(scope="module")
def rows(mnist):
    pixels = mnist.x_train[:700].reshape(700, 784)
    # images as bold as possible: |a|^2 = 784 * 255^2, far above float32's exact range
    bold = np.full((3, 784), 255, dtype=np.uint8)
    bold[1, :300] = 0
    return np.concatenate([pixels, bold])


def test_squared_distances_are_exact_whole_numbers(rows):
    a, b = rows[:400], rows[400:]
    norms_a, norms_b = exact_kernel.square_norms(a), exact_kernel.square_norms(b)
    assert norms_b.max() >= exact_kernel.FLOAT32_EXACT  # the float64 path is exercised
    expected = ((a[:, None, :].astype(np.int64) - b[None, :, :].astype(np.int64)) ** 2).sum(axis=2)
    got = exact_kernel.rbf_block(a, b, norms_a, norms_b, gamma=0.0, out=np.empty((400, len(b))))
    assert np.all(got == 1.0)  # gamma 0: exp(0) whatever the distance
    scale = 1e-6
    got = exact_kernel.rbf_block(a, b, norms_a, norms_b, gamma=scale * exact_kernel.PIXEL_SCALE,
                                 out=np.empty((400, len(b))))
    assert np.array_equal(got, np.exp(-scale * expected.astype(np.float64)).astype(np.float32))


def test_values_match_the_rbf_kernel_on_features(rows):
    gamma = fast_fit.resolve_gamma("scale", rows)
    x = model.features(rows)
    sq = np.einsum("ij,ij->i", x, x)
    reference = np.exp(-gamma * (sq[:, None] + sq[None, :] - 2 * x @ x.T)).astype(np.float32)
    norms = exact_kernel.square_norms(rows)
    got = exact_kernel.rbf_block(rows, None, norms, None, gamma, np.empty((len(rows), len(rows)), np.float32))
    # rounding decides the last float32 bit of perhaps one value in 10^8; these are 500,000
    assert np.array_equal(got, reference)
    assert np.array_equal(got, got.T) and np.all(np.diag(got) == 1.0)


def test_mirror_and_dropped_blank_pixels(rows):
    a, b = rows[:300], rows[300:650]
    gamma = 0.02
    norms_a, norms_b = exact_kernel.square_norms(a), exact_kernel.square_norms(b)
    full = exact_kernel.rbf_block(a, b, norms_a, norms_b, gamma, np.empty((300, 350)))
    cols = exact_kernel.pixels_in_use(a, b)
    assert cols.sum() < 784
    square = np.zeros((650, 650))
    exact_kernel.rbf_block(a[:, cols], b[:, cols], norms_a, norms_b, gamma, square[:300, 300:],
                           mirror=square[300:, :300])
    assert np.array_equal(square[:300, 300:], full)
    assert np.array_equal(square[300:, :300], full.T)


def test_int32_squared_distances_include_bold_images(rows):
    """The prediction path: exact whole-number distances, bold images on either side."""
    a, b = rows[-150:], rows[:250]  # a ends with the three bold images
    expected = ((a[:, None, :].astype(np.int64) - b[None, :, :].astype(np.int64)) ** 2).sum(axis=2)
    for x, y, want in ((a, b, expected), (b, a, expected.T)):
        got = exact_kernel.squared_distances(x, y, exact_kernel.square_norms(x), exact_kernel.square_norms(y))
        assert got.dtype == np.int32 and np.array_equal(got, want)
