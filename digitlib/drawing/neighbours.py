"""The training images closest to a drawing, by pixel distance: "what it reminds the model of".

``closest`` compares against every image (about 50 ms for 60,000). A drawing page asks
once per stroke, so ``Index`` does the heavy part once: it summarises each image by its
coordinates along the directions in which MNIST images vary most (principal components),
shortlists the nearest by that summary, and ranks the shortlist by the exact pixel
distance. That answers in a couple of milliseconds and holds about 10 MB for 60,000 images.
"""

from __future__ import annotations

import numpy as np

# Images compared per block: bounds the float32 temporary to a few MB.
_BLOCK = 4096


def closest(image: np.ndarray, images: np.ndarray, k: int = 5) -> np.ndarray:
    """Indices of the ``k`` images nearest to ``image`` (28x28), nearest first.

    Works block by block on the uint8 images, so no float copy of the whole set is made.
    """
    target = np.asarray(image, dtype=np.float32).reshape(-1)
    flat = images.reshape(len(images), -1)
    dist = np.empty(len(images), dtype=np.float32)
    t2 = target @ target
    for start in range(0, len(images), _BLOCK):
        block = flat[start : start + _BLOCK].astype(np.float32)
        dist[start : start + len(block)] = np.einsum("ij,ij->i", block, block) - 2 * (block @ target) + t2
    return _nearest_first(dist, k)


def _nearest_first(dist: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(dist))
    best = np.argpartition(dist, k - 1)[:k]
    return best[np.argsort(dist[best], kind="stable")]


class Index:
    """A prepared nearest-image search over uint8 images (n, 28, 28) or (n, 784).

    ``dims`` principal components summarise each image; ``shortlist`` candidates by that
    summary are ranked exactly. With 40 and 256 it returns the same 8 images as
    ``closest`` on the drawings and test images we checked (tests/unit/drawing/test_neighbours.py).
    """

    def __init__(self, images: np.ndarray, dims: int = 40, shortlist: int = 256):
        self.images = images.reshape(len(images), -1)  # a view: no copy of the uint8 pixels
        self.shortlist = shortlist
        self.mean, self.axes = _principal_axes(self.images, dims)
        self.coords = np.empty((len(self.images), dims), dtype=np.float32)
        for start in range(0, len(self.images), _BLOCK):
            block = self.images[start : start + _BLOCK].astype(np.float32)
            self.coords[start : start + len(block)] = (block - self.mean) @ self.axes
        self.norms = np.einsum("ij,ij->i", self.coords, self.coords)

    def closest(self, image: np.ndarray, k: int = 5) -> np.ndarray:
        """Indices of the ``k`` images nearest to ``image`` by pixel distance, nearest first."""
        target = np.asarray(image, dtype=np.float32).reshape(-1)
        summary = (target - self.mean) @ self.axes
        rough = self.norms - 2 * (self.coords @ summary)  # squared distance in the summary, less |summary|^2
        candidates = np.argpartition(rough, min(self.shortlist, len(rough)) - 1)[: self.shortlist]
        exact = self.images[candidates].astype(np.float32) - target
        return candidates[_nearest_first(np.einsum("ij,ij->i", exact, exact), k)]

    @property
    def nbytes(self) -> int:
        """Memory the index holds beyond the images themselves."""
        return self.coords.nbytes + self.norms.nbytes + self.axes.nbytes + self.mean.nbytes


def _principal_axes(flat: np.ndarray, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean image and the ``dims`` directions of largest variance, built block by block."""
    n, width = flat.shape
    total = np.zeros(width)
    scatter = np.zeros((width, width))
    for start in range(0, n, _BLOCK):
        block = flat[start : start + _BLOCK].astype(np.float64)
        total += block.sum(axis=0)
        scatter += block.T @ block
    mean = total / n
    covariance = scatter / n - np.outer(mean, mean)
    _, vectors = np.linalg.eigh(covariance)  # ascending eigenvalues
    axes = vectors[:, ::-1][:, :dims]
    return mean.astype(np.float32), np.ascontiguousarray(axes, dtype=np.float32)
