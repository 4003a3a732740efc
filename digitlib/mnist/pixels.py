"""What the training images have in common, pixel by pixel: the mean image of each digit,
how often each pixel holds ink, and how many pixels never do.

The images stay uint8 and are summed one digit at a time as whole numbers (exact), so no float
copy of the whole set (60,000 × 784 float64 would be 376 MB) is made: at most one digit's
images, 4.7 MB for MNIST.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# "Almost always blank": ink in fewer than this share of the images (1 in 1,000).
RARE = 0.001


@dataclass(frozen=True)
class PixelSummary:
    """Per-pixel facts about a set of 28 × 28 images."""

    means: np.ndarray  # (10, 28, 28) float64: the mean image of each digit, 0-255 (NaN where a digit has no image)
    digit_counts: np.ndarray  # (10,) images of each digit
    ink_counts: np.ndarray  # (28, 28) images in which the pixel is not 0

    @property
    def n_images(self) -> int:
        return int(self.digit_counts.sum())

    @property
    def ink_share(self) -> np.ndarray:
        """The share of the images (0-1) in which each pixel holds some ink."""
        return self.ink_counts / max(self.n_images, 1)

    @property
    def blank(self) -> np.ndarray:
        """Pixels that are 0 in every image, as a (28, 28) bool mask."""
        return self.ink_counts == 0

    @property
    def blank_count(self) -> int:
        return int(self.blank.sum())

    def rare_count(self, share: float = RARE) -> int:
        """Pixels with ink in fewer than ``share`` of the images (the always-blank ones included)."""
        return int((self.ink_counts < share * self.n_images).sum())


def summarize(images: np.ndarray, labels: np.ndarray) -> PixelSummary:
    """Mean image per digit 0-9 and ink counts per pixel of ``images`` (n, 28, 28) uint8."""
    images, labels = np.asarray(images), np.asarray(labels)
    flat = images.reshape(len(images), -1)
    sums = np.zeros((10, flat.shape[1]), dtype=np.int64)
    ink = np.zeros(flat.shape[1], dtype=np.int64)
    counts = np.zeros(10, dtype=np.int64)
    for d in range(10):
        digit = flat[labels == d]  # one digit's images, still uint8 (4.7 MB for MNIST's 1s)
        sums[d] = np.add.reduce(digit, axis=0, dtype=np.int64)  # whole numbers: exact
        ink += np.count_nonzero(digit, axis=0)
        counts[d] = len(digit)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts[:, None]
    return PixelSummary(means=means.reshape(10, *images.shape[1:]), digit_counts=counts,
                        ink_counts=ink.reshape(images.shape[1:]))
