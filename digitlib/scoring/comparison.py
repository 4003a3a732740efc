"""Two models side by side on the same test images: what changed from a pinned model to the current one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_

if TYPE_CHECKING:  # evaluate imports scikit-learn's metrics; a chart of a comparison does not need them
    from digitlib.scoring.evaluate import Evaluation


@dataclass(frozen=True)
class Comparison:
    """The pinned model against the current one, on the same first ``n_test`` test images."""

    n_test: int
    pinned_accuracy: float
    current_accuracy: float
    change: np.ndarray  # current confusion matrix minus the pinned one
    now_right: np.ndarray  # indices of test images the pinned model got wrong and the current one right
    now_wrong: np.ndarray  # indices of test images the pinned model got right and the current one wrong


def compare_models(pinned: Evaluation, current: Evaluation) -> Comparison:
    """What changed from ``pinned`` to ``current``; both must score the same test images."""
    if pinned.n_test != current.n_test or not np.array_equal(pinned.y_true, current.y_true):
        raise InvalidSettingError(N_("Two models can only be compared on the same test images."))
    was_right = pinned.y_pred == pinned.y_true
    is_right = current.y_pred == current.y_true
    return Comparison(
        n_test=current.n_test,
        pinned_accuracy=pinned.accuracy,
        current_accuracy=current.accuracy,
        change=current.confusion.astype(int) - pinned.confusion.astype(int),
        now_right=np.flatnonzero(~was_right & is_right),
        now_wrong=np.flatnonzero(was_right & ~is_right),
    )


BETTER, SAME, WORSE = 1, 0, -1


def verdicts(change: np.ndarray) -> np.ndarray:
    """For each square of a confusion-matrix change: ``BETTER``, ``WORSE`` or ``SAME`` than the pinned model.

    On the diagonal more images is better (more right answers); off it, fewer is (fewer mistakes)."""
    change = np.asarray(change, dtype=int)
    right = np.eye(*change.shape, dtype=bool)
    return np.where(right, np.sign(change), -np.sign(change)).astype(int)
