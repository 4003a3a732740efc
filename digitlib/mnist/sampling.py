"""Choosing which training images a model learns from.

Three reproducible ways: the first N images (the lesson's way), a class-balanced
sample, and a seeded random sample. A sample is a sorted index array, so the
images themselves stay in the shared uint8 training set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_, _, formats

MODES = ("first", "balanced", "random")
# Marked N_; shown with _(MODE_LABELS[mode]).
MODE_LABELS = {
    "first": N_("First N images (as in the lesson)"),
    "balanced": N_("Balanced: the same number of each digit"),
    "random": N_("Random (seeded, reproducible)"),
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
        """A one-line description, for example ``"first 500 training images"``, always in English: models keep
        it and share it across sessions (a page shows ``describe(mode, n, seed)``, in the reader's language)."""
        return _describe(self.mode, self.size, self.seed, lambda message: message, lambda n: f"{n:,}")


def describe(mode: str, n: int, seed: int = 0) -> str:
    """How a sample of ``n`` images chosen by ``mode`` reads in a sentence, in the reader's language."""
    return _describe(mode, n, seed, _, formats.count)


def _describe(mode: str, n: int, seed: int, translate, count) -> str:
    # TRANSLATORS: a sample of training images, put into sentences such as "Training on the first 500 training images…"
    if mode == "first":
        return translate(N_("first {n} training images")).format(n=count(n))
    if mode == "balanced":
        return translate(N_("{n} training images, balanced across digits (seed {seed})")).format(n=count(n), seed=seed)
    return translate(N_("{n} random training images (seed {seed})")).format(n=count(n), seed=seed)


# What ``Sample.describe`` writes, read back: a stored model's English description shown in the reader's language.
_STORED = (
    ("first", re.compile(r"first (?P<n>[\d,]+) training images")),
    ("balanced", re.compile(r"(?P<n>[\d,]+) training images, balanced across digits \(seed (?P<seed>\d+)\)")),
    ("random", re.compile(r"(?P<n>[\d,]+) random training images \(seed (?P<seed>\d+)\)")),
)


def shown(stored: str) -> str:
    """A model's stored description (``Sample.describe``, English, perhaps followed by " and 40 class drawings")
    in the reader's language; a description it does not recognise comes back as it is."""
    for mode, pattern in _STORED:
        match = pattern.match(stored)
        if match:
            sample = describe(mode, int(match["n"].replace(",", "")), int(match["seed"] or 0) if "seed" in
                              pattern.groupindex else 0)
            rest = re.fullmatch(r" and (?P<k>[\d,]+) class drawings", stored[match.end():])
            if rest:
                return _("{sample} and {count} class drawings").format(
                    sample=sample, count=formats.count(int(rest["k"].replace(",", ""))))
            return sample if match.end() == len(stored) else stored
    return stored


def choose(labels: np.ndarray, n: int, mode: str = "first", seed: int = 0) -> Sample:
    """Pick ``n`` of the training images whose labels are ``labels``."""
    total = len(labels)
    if mode not in MODES:
        raise InvalidSettingError(N_("Unknown sampling mode {mode}; choose one of {modes}."), mode=repr(mode),
                                  modes=", ".join(MODES))
    if not 1 <= n <= total:
        raise InvalidSettingError(N_("The sample size must be between 1 and {total}; got {n}."), total=total, n=n)
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
