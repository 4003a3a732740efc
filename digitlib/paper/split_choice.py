"""Whether a wide piece is one digit or touching digits, decided by a small logistic regression.

Its three inputs are what the network says and how wide the piece is: the log-odds of the network's top
probability for the piece read whole, the same for the least sure part of its likeliest split, and the
piece's width over the number's digit height. Its four numbers (``assets/paper/split_choice.json``) were fitted by
``python -m scripts.fit_split_choice`` on pieces made from MNIST's *training* digits, one digit or two or three
touching, cut and prepared as ``segmentation`` and ``reading`` do; the photos' splits were only used to set
``threshold``. It is used with the network's probabilities; the SVM's votes keep ``reading``'s rule.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

ASSET = Path(__file__).resolve().parent.parent / "assets" / "paper" / "split_choice.json"
FEATURES = ("whole_log_odds", "split_log_odds", "width_over_height")
# Probabilities are clipped to this distance from 0 and 1 before their log-odds (as when fitted).
CLIP = 1e-6


def log_odds(probabilities: np.ndarray) -> float:
    """The log-odds of the top probability, clipped to about ±13.8."""
    top = float(np.clip(np.max(probabilities), CLIP, 1 - CLIP))
    return float(np.log(top) - np.log1p(-top))


def features(whole: np.ndarray | None, splits: list[list[np.ndarray]], width: float, height: float) -> np.ndarray:
    """The regression's inputs for a piece ``width`` wide in a number whose digits are ``height`` tall:
    ``whole`` its probabilities read whole (None when it was refused), ``splits`` each split's parts' ones."""
    floor = log_odds(np.array([CLIP]))
    best = max((min(log_odds(p) for p in parts) for parts in splits if len(parts) >= 2), default=floor)
    return np.array([log_odds(whole) if whole is not None else floor, best, width / max(height, 1.0)])


@cache
def coefficients() -> dict:
    """The shipped regression: ``weights`` (one per ``FEATURES``), ``intercept`` and ``threshold``."""
    with open(ASSET, encoding="utf-8") as f:
        return json.load(f)


def several_chance(inputs: np.ndarray, fitted: dict | None = None) -> float:
    """The regression's probability that the piece holds several digits."""
    fitted = fitted or coefficients()
    value = float(np.dot(fitted["weights"], inputs) + fitted["intercept"])
    return float(1.0 / (1.0 + np.exp(-value)))


def read_as_several(whole: np.ndarray | None, splits: list[list[np.ndarray]], width: float, height: float) -> bool:
    """Whether the piece is read split (its surest split), rather than whole."""
    if not any(len(parts) >= 2 for parts in splits):
        return whole is None
    return several_chance(features(whole, splits, width, height)) >= coefficients()["threshold"]
