"""The training images closest to a drawing, by pixel distance: "what it reminds the model of"."""

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
    k = min(k, len(images))
    best = np.argpartition(dist, k - 1)[:k]
    return best[np.argsort(dist[best], kind="stable")]
