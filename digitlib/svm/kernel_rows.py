"""Kernel rows on demand for ``smo``: only the images the solver asks for, exact like libsvm's.

libsvm with a precomputed kernel needs each pair's whole float64 matrix; the SMO solver
(``smo``) asks for the rows of about one image in six. A row of image ``o`` in the pair of
digits (d1, d2) is its kernel values against both digits' images: a product with each
digit's pixels (float32, whole numbers: exact, see ``exact_kernel``), then libsvm's
``exp`` rounded to float32 as ``exact_kernel.rbf_block`` does. The part against the
image's own digit is the same in all 9 pairs of that digit, so ``Digit`` keeps it (up to
a memory cap) for the other pairs.
"""

from __future__ import annotations

import threading

import numpy as np

from digitlib.svm import exact_kernel


class Digit:
    """One digit's images, ready for products, and the kernel rows against them already made."""

    def __init__(self, pixels: np.ndarray, gamma: float, cache_bytes: float = 0):
        self.pixels = pixels
        self.ink = exact_kernel.pixels_in_use(pixels)
        self.f32 = np.ascontiguousarray(pixels[:, self.ink], dtype=np.float32)
        self.norms = exact_kernel.square_norms(pixels)
        self.bold = np.flatnonzero(self.norms >= exact_kernel.FLOAT32_EXACT)
        self.scale = -gamma / exact_kernel.PIXEL_SCALE
        self.cache_rows = int(cache_bytes // (4 * max(len(pixels), 1)))
        self.own: dict[int, np.ndarray] = {}
        self.lock = threading.Lock()
        self.computed = 0  # rows computed against this digit (statistics)

    def nbytes(self) -> int:
        return self.f32.nbytes + self.pixels.nbytes + sum(r.nbytes for r in self.own.values())

    def kernel_row(self, image: np.ndarray, norm: float, out: np.ndarray) -> np.ndarray:
        """libsvm's float32 kernel values of one uint8 image against this digit's images, into ``out``."""
        self.computed += 1
        if norm >= exact_kernel.FLOAT32_EXACT:  # too bold for float32's exact sums
            dots = self.pixels.astype(np.float64) @ image.astype(np.float64)
        else:
            dots = self.f32 @ image[self.ink].astype(np.float32)
        d = self.norms + norm
        d -= dots * 2.0  # whole numbers: exact in any order
        if self.bold.size:
            d[self.bold] = self.norms[self.bold] + norm - 2 * (self.pixels[self.bold].astype(np.float64) @ image)
        d *= self.scale
        np.exp(d, out=d)
        np.copyto(out, d, casting="same_kind")
        return out

    def own_row(self, k: int, out: np.ndarray) -> np.ndarray:
        """Kernel values of this digit's ``k``-th image against all of its images, kept for later pairs."""
        found = self.own.get(k)
        if found is not None:
            out[:] = found
            return out
        self.kernel_row(self.pixels[k], self.norms[k], out)
        if len(self.own) < self.cache_rows:
            with self.lock:
                self.own[k] = out.copy()
        return out

    def drop(self) -> None:
        """Forget the kept rows and the float32 pixels (the digit's pairs are all trained)."""
        self.own.clear()
        self.f32 = None


class PairRows:
    """``smo.solve``'s row source for the pair (first, second): rows of ``[first images, second images]``."""

    def __init__(self, first: Digit, second: Digit):
        self.first, self.second = first, second
        self.n1 = len(first.pixels)
        self.l = self.n1 + len(second.pixels)

    def __call__(self, o: int, solver=None) -> np.ndarray:
        row = np.empty(self.l, dtype=np.float32)
        n1 = self.n1
        if o < n1:
            self.first.own_row(o, row[:n1])
            self.second.kernel_row(self.first.pixels[o], self.first.norms[o], row[n1:])
        else:
            k = o - n1
            self.first.kernel_row(self.second.pixels[k], self.second.norms[k], row[:n1])
            self.second.own_row(k, row[n1:])
        return row
