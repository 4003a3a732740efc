"""What a support-vector machine keeps and uses: its support vectors.

A fitted ``SVC`` keeps some of its training images, the support vectors, and forgets
the rest. It reads a new image x by comparing it with each of them through the kernel
K(s, x); for the RBF kernel ``exp(-gamma |s - x|^2)``, 1 for the same image and near 0
for very different ones. For the one-vs-one duel of digits i < j (scikit-learn's layout:
``dual_coef_`` is (classes - 1, support vectors)), libsvm's decision value is

    sum over i's support vectors s of dual_coef_[j - 1, s] K(s, x)
  + sum over j's support vectors s of dual_coef_[i, s] K(s, x) + intercept_[duel]

and i wins the duel when it is positive. ``reasons`` splits the duels of one digit into
these terms: how hard each support vector pushed toward that digit or away from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from digitlib.language import _
from digitlib.svm import fast_predict
from digitlib.svm.model import DigitModel, pixel_rows
from digitlib.svm.scaling import to_features


def per_digit(model: DigitModel) -> np.ndarray:
    """Support vectors the model keeps of each digit, shape (10,); 0 for a digit it never saw."""
    est = model.estimator
    counts = np.zeros(10, dtype=np.int64)
    counts[est.classes_.astype(int)] = est.n_support_
    return counts


class Images(NamedTuple):
    """Some support vectors: where they are and what they show."""

    positions: np.ndarray  # rows of ``estimator.support_vectors_``
    support: np.ndarray  # their rows in the training sample (``estimator.support_``)
    images: np.ndarray  # uint8 (k, 28, 28)
    labels: np.ndarray  # the digit each one shows
    values: np.ndarray  # gallery: weight (sum of |dual coefficient|); reasons: contribution


def gallery(model: DigitModel, digit: int, k: int = 30) -> Images:
    """Up to ``k`` of ``digit``'s support vectors, those the model leans on most first.

    The weight of a support vector is the sum of its |dual coefficients| over its duels:
    how much it counts, at most C in each of the 9 duels of its digit.
    """
    est = model.estimator
    starts = _starts(est)
    found = np.flatnonzero(est.classes_ == digit)
    if not found.size:
        return _images(est, np.empty(0, dtype=np.int64), np.empty(0))
    c = int(found[0])
    weights = np.abs(est._dual_coef_[:, starts[c] : starts[c + 1]]).sum(axis=0)
    order = np.argsort(-weights, kind="stable")[:k]
    return _images(est, starts[c] + order, weights[order])


@dataclass(frozen=True)
class Reasons:
    """Why ``digit`` won (or lost): the support vectors that pushed hardest for and against it.

    ``duels[r]`` is the decision value of the duel of ``digit`` against ``rivals[r]``,
    turned so that positive means ``digit`` wins it; ``votes`` counts those won.
    A support vector's contribution is its dual coefficient times its kernel value with the
    image, summed over the duels of ``digit`` and turned the same way.
    """

    digit: int
    rivals: np.ndarray
    duels: np.ndarray
    for_digit: Images  # the largest positive contributions, largest first
    against: Images  # the most negative ones, most negative first
    total_for: float  # the sum of all positive contributions
    total_against: float  # the sum of all negative ones

    @property
    def votes(self) -> int:
        return int((self.duels > 0).sum())


def reasons(model: DigitModel, image: np.ndarray, k: int = 6, digit: int | None = None) -> Reasons:
    """The support vectors that pushed hardest for and against ``digit`` (default: the prediction)
    in its duels over one uint8 image (28, 28) or (784,)."""
    pixels = pixel_rows(np.asarray(image).reshape(1, 784))
    if digit is None:
        digit = int(model.predict(pixels)[0])
    est = model.estimator
    kernel = kernel_row(est, pixels)
    rivals, contributions, intercepts = duel_contributions(est, kernel, digit)
    push = contributions.sum(axis=0)
    strongest = np.argsort(-push, kind="stable")
    pushing_for = strongest[push[strongest] > 0][:k]
    weakest = strongest[::-1]
    pushing_against = weakest[push[weakest] < 0][:k]
    return Reasons(
        digit=int(digit),
        rivals=rivals,
        duels=contributions.sum(axis=1) + intercepts,
        for_digit=_images(est, pushing_for, push[pushing_for]),
        against=_images(est, pushing_against, push[pushing_against]),
        total_for=float(push[push > 0].sum()),
        total_against=float(push[push < 0].sum()),
    )


def kernel_row(est, pixels: np.ndarray) -> np.ndarray:
    """K(s, x) for one uint8 image (1, 784) against every support vector, float64 (n_SV,).

    RBF: exact squared distances with the model's own gamma (``fast_predict.kernel_values``);
    other kernels: scikit-learn's, with the model's parameters.
    """
    if est.kernel == "rbf":
        return fast_predict.kernel_values(est, pixels, np.float64)[0]
    from sklearn.metrics.pairwise import pairwise_kernels  # the lesson's RBF models need no scikit-learn here

    return pairwise_kernels(to_features(pixels), est.support_vectors_, metric=est.kernel,
                            filter_params=True, gamma=est._gamma, degree=est.degree, coef0=est.coef0)[0]


def duel_contributions(est, kernel: np.ndarray, digit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each support vector's term in each duel of ``digit``, turned so positive favours ``digit``.

    Returns the rival digits (r,), the terms (r, n_SV) (zero for support vectors outside that
    duel) and the duels' intercepts (r,), turned the same way: per duel, terms plus intercept
    are the decision value.
    """
    classes = est.classes_.astype(int)
    found = np.flatnonzero(classes == digit)
    if not found.size:
        raise ValueError(_("The model never saw the digit {digit}.").format(digit=digit))
    w, n_class, starts = int(found[0]), len(classes), _starts(est)
    rivals = [c for c in range(n_class) if c != w]
    terms = np.zeros((len(rivals), len(kernel)))
    intercepts = np.empty(len(rivals))
    for r, other in enumerate(rivals):
        i, j = min(w, other), max(w, other)
        sign = 1.0 if w == i else -1.0  # libsvm's decision favours the lower digit of a duel
        own_i, own_j = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
        terms[r, own_i] = sign * est._dual_coef_[j - 1, own_i] * kernel[own_i]
        terms[r, own_j] = sign * est._dual_coef_[i, own_j] * kernel[own_j]
        intercepts[r] = sign * est._intercept_[duel_index(i, j, n_class)]
    return classes[rivals], terms, intercepts


def duel_index(i: int, j: int, n_class: int) -> int:
    """The position of duel (i, j), i < j, among libsvm's pairs (0,1), (0,2), …, (1,2), …"""
    return i * n_class - i * (i + 1) // 2 + (j - i - 1)


def counts_table(specs: Sequence, counts: Sequence[np.ndarray]) -> pd.DataFrame:
    """One row per model (``ModelSpec``s and their ``per_digit`` counts): N, C, how many it keeps
    and what share of its training images that is, and how many of each digit."""
    rows = []
    for spec, kept in zip(specs, counts, strict=True):
        kept = np.asarray(kept, dtype=np.int64)
        rows.append({"N": spec.n, "C": spec.C, "kept": int(kept.sum()), "share": kept.sum() / spec.n,
                     **{str(d): int(kept[d]) for d in range(10)}})
    return pd.DataFrame(rows, columns=["N", "C", "kept", "share", *map(str, range(10))])


# -- internals ----------------------------------------------------------------------------


def _starts(est) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(est.n_support_)])


def _images(est, positions: np.ndarray, values: np.ndarray) -> Images:
    positions = np.asarray(positions, dtype=np.int64)
    pixels = fast_predict.support_pixels(est, positions).reshape(-1, 28, 28)
    classes = np.searchsorted(_starts(est), positions, side="right") - 1
    return Images(positions, est.support_[positions], pixels, est.classes_[classes].astype(int),
                  np.asarray(values, dtype=np.float64))
