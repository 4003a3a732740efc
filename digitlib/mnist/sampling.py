"""Choosing which training images a model learns from.

Three reproducible ways: the first N images (the lesson's way), a class-balanced
sample, and a seeded random sample. A sample is a sorted index array, so the
images themselves stay in the shared uint8 training set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitlib.errors import InvalidSettingError

MODES = ("first", "balanced", "random")
MODE_LABELS = {
    "first": "First N images (as in the lesson)",
    "balanced": "Balanced: the same number of each digit",
    "random": "Random (seeded, reproducible)",
}


@dataclass(frozen=True)
class Sample:
    """Which training images to use, and how they were chosen."""

    indices: np.ndarray
    mode: str
    seed: int

    @property
    def size(self) -> int:
        return len(self.indices)

    def describe(self) -> str:
        """A one-line description, for example ``"first 500 training images"``."""
        return describe(self.mode, self.size, self.seed)


def describe(mode: str, n: int, seed: int = 0) -> str:
    """How a sample of ``n`` images chosen by ``mode`` reads in a sentence."""
    if mode == "first":
        return f"first {n:,} training images"
    if mode == "balanced":
        return f"{n:,} training images, balanced across digits (seed {seed})"
    return f"{n:,} random training images (seed {seed})"


def choose(labels: np.ndarray, n: int, mode: str = "first", seed: int = 0) -> Sample:
    """Pick ``n`` of the training images whose labels are ``labels``."""
    total = len(labels)
    if mode not in MODES:
        raise InvalidSettingError(f"Unknown sampling mode {mode!r}; choose one of {', '.join(MODES)}.")
    if not 1 <= n <= total:
        raise InvalidSettingError(f"The sample size must be between 1 and {total:,}; got {n:,}.")
    if mode == "first":
        indices = np.arange(n)
    elif mode == "random":
        indices = np.sort(np.random.default_rng(seed).choice(total, size=n, replace=False))
    else:
        indices = _balanced(labels, n, seed)
    return Sample(indices=indices, mode=mode, seed=seed if mode != "first" else 0)


def _balanced(labels: np.ndarray, n: int, seed: int) -> np.ndarray:
    """As equal a share of each digit as the data allows, in a seeded order."""
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    pools = [rng.permutation(np.flatnonzero(labels == c)) for c in classes]
    quota = np.zeros(len(classes), dtype=int)
    remaining = n
    # Hand out the sample round by round, so a digit with few images caps at its count
    # and the others share what is left.
    while remaining:
        open_ = [i for i in range(len(classes)) if quota[i] < len(pools[i])]
        share, extra = divmod(remaining, len(open_))
        for rank, i in enumerate(open_):
            give = min(share + (rank < extra), len(pools[i]) - quota[i])
            quota[i] += give
            remaining -= give
    return np.sort(np.concatenate([pool[:q] for pool, q in zip(pools, quota, strict=True)]))
