"""RBF kernel blocks between digit images, with the values libsvm trains on.

libsvm computes each kernel value on its own, ``exp(-gamma * |x - z|^2)`` with a
dot product per pair of images, and stores it as a float32. Here a whole block is
matrix products, exact: pixels are whole numbers 0-255, so squared distances between
images are whole numbers, and float32 adds whole numbers exactly while they stay
below 2**24. By Cauchy-Schwarz a dot product is at most ``sqrt(|a|^2 |b|^2)``, so
only images with ``|a|^2 >= 2**24`` (3 of MNIST's 70,000) need their dot products
redone in float64. The distances are then scaled, exponentiated in float64 and
rounded to float32 like libsvm's. The work goes in tiles of rows, so that the steps
after the product run on data still in the processor's cache.
"""

from __future__ import annotations

import numpy as np

# float32 holds every whole number below this exactly
FLOAT32_EXACT = 2**24
# features are pixels / 255, so squared feature distances are squared pixel distances / 255**2
PIXEL_SCALE = 255.0**2
TILE_ROWS = 256
# square blocks for writing a transpose: small enough for the cache, long enough runs for memory
TRANSPOSE_BLOCK = 512


def square_norms(pixels: np.ndarray) -> np.ndarray:
    """``|a|^2`` of each uint8 row, exact, as float64."""
    wide = pixels.astype(np.int64)
    return np.einsum("ij,ij->i", wide, wide).astype(np.float64)


def pixels_in_use(*blocks: np.ndarray) -> np.ndarray:
    """Columns where every block has some ink: the only ones adding to their dot products."""
    mask = np.ones(blocks[0].shape[1], dtype=bool)
    for block in blocks:
        mask &= block.any(axis=0)
    return mask


def squared_distances(a: np.ndarray, b: np.ndarray, norms_a: np.ndarray, norms_b: np.ndarray,
                      b32: np.ndarray | None = None) -> np.ndarray:
    """``|a_i - b_j|^2`` between uint8 rows, exact, as int32 (at most 784 * 255**2 < 2**31).

    ``b32`` may hold ``b`` as float32 already (it is reused across calls).
    """
    b32 = b.astype(np.float32) if b32 is None else b32
    dots = a.astype(np.float32) @ b32.T
    out = dots.astype(np.int32)
    out *= -2
    out += norms_a.astype(np.int32)[:, None]
    out += norms_b.astype(np.int32)[None, :]
    _redo_bold_images(out, a, b, norms_a, norms_b)
    return out


def rbf_block(a: np.ndarray, b: np.ndarray | None, norms_a: np.ndarray, norms_b: np.ndarray | None,
              gamma: float, out: np.ndarray, mirror: np.ndarray | None = None) -> np.ndarray:
    """libsvm's float32 RBF kernel values between uint8 rows, for features ``pixels / 255``.

    ``b=None`` means the rows of ``a`` against themselves (only half is computed, the
    rest mirrored). The values are written into ``out`` (float32 or float64, shape
    ``(len(a), len(b))``, may be a view) and, if given, transposed into ``mirror``.
    Returns ``out``.
    """
    symmetric = b is None
    if symmetric:
        b, norms_b = a, norms_a
        a32 = b32 = a.astype(np.float32)
        dots = a32 @ a32.T  # numpy does half the work for a product with its own transpose
    else:
        a32, b32, dots = a.astype(np.float32), b.astype(np.float32), None
    scale = -gamma / PIXEL_SCALE
    wide = np.empty((min(TILE_ROWS, len(a)), len(b)))
    narrow = np.empty(wide.shape, dtype=np.float32)
    for start in range(0, len(a), TILE_ROWS):
        stop = min(start + TILE_ROWS, len(a))
        rows = slice(start, stop)
        first = start if symmetric else 0  # a block with itself: the upper triangle, mirrored below
        cols = slice(first, len(b))
        d = wide[: stop - start, : len(b) - first]
        tile = dots[rows, cols] if symmetric else a32[rows] @ b32.T
        tile *= -2  # still exact: an even whole number below 2**25
        np.add(norms_a[rows, None], norms_b[None, cols], out=d)
        d += tile
        _redo_bold_images(d, a[rows], b[cols], norms_a[rows], norms_b[cols])
        d *= scale
        np.exp(d, out=d)
        rounded = narrow[: stop - start, : len(b) - first]
        np.copyto(rounded, d, casting="same_kind")
        out[rows, cols] = rounded
        if symmetric:
            out[stop:, rows] = rounded[:, stop - start :].T
    if mirror is not None:
        _transpose_into(out, mirror)
    return out


def _transpose_into(source: np.ndarray, target: np.ndarray) -> None:
    # numpy writes a transposed view into rows far apart in memory; block by block it
    # runs about twice as fast for the kernel blocks here
    step = TRANSPOSE_BLOCK
    for r in range(0, source.shape[0], step):
        for c in range(0, source.shape[1], step):
            target[c : c + step, r : r + step] = source[r : r + step, c : c + step].T


def _redo_bold_images(d: np.ndarray, a, b, norms_a, norms_b) -> None:
    """Squared distances ``d`` (a x b) again in float64 for images too bold for float32's sums."""
    bold_a = np.flatnonzero(norms_a >= FLOAT32_EXACT)
    if bold_a.size:
        d[bold_a] = norms_a[bold_a, None] + norms_b[None, :] - 2 * _dots64(a[bold_a], b)
    bold_b = np.flatnonzero(norms_b >= FLOAT32_EXACT)
    if bold_b.size:
        d[:, bold_b] = norms_a[:, None] + norms_b[None, bold_b] - 2 * _dots64(a, b[bold_b])


def _dots64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a.astype(np.float64) @ b.astype(np.float64).T
