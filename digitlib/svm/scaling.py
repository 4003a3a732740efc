"""The model's input: pixel bytes scaled to 0-1 as float64, as the lesson's ``SVC.fit`` and ``predict`` get them.

A module of its own, importing only numpy: the model, training and prediction all scale the same way, and
none of them has to import another (or scikit-learn) for it.
"""

from __future__ import annotations

import numpy as np


def to_features(pixels: np.ndarray) -> np.ndarray:
    """Pixel bytes (n, 784) as the model's float64 features in 0-1."""
    return pixels.astype(np.float64) / 255.0
