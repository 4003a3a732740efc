"""Small images made big enough to see: square pixels for a digit, smooth scaling for anything larger.

Only Pillow: the pages that show thumbnails (Evaluate's misreads, the support vectors) need no scipy for them.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def enlarge(image: np.ndarray, size: int = 140) -> np.ndarray:
    """The image padded to a square and scaled to ``size`` pixels with square pixels, for the screen."""
    h, w = image.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.uint8)
    square[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = image
    resample = Image.Resampling.NEAREST if side < size else Image.Resampling.LANCZOS
    return np.asarray(Image.fromarray(square).resize((size, size), resample))
