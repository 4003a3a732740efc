"""Training the lesson's support-vector classifier and predicting with it.

``train`` fits ``sklearn.svm.SVC`` with the lesson's defaults (C=1, RBF kernel,
gamma="scale") on a sample of the training images. The result, a ``DigitModel``,
keeps the fitted ``SVC`` (``model.estimator``) and predicts in batches with the
same one-vs-one rule as libsvm, so its labels are the estimator's labels.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from sklearn.svm import SVC

from .errors import InvalidSettingError
from .sampling import Sample

KERNELS = ("rbf", "linear", "poly", "sigmoid")
# Rows of test images handled per batch: bounds the kernel block's memory.
_BATCH_ROWS = 512
# Pairwise decision values closer to zero than this are re-checked with libsvm,
# so rounding in the batched kernel can never change a label.
_RECHECK_MARGIN = 1e-6


@dataclass(frozen=True)
class SvmSettings:
    """SVC hyper-parameters; the defaults are sklearn's and the lesson's."""

    C: float = 1.0
    gamma: str | float = "scale"
    kernel: str = "rbf"

    def __post_init__(self):
        if self.kernel not in KERNELS:
            raise InvalidSettingError(f"Unknown kernel {self.kernel!r}; choose one of {', '.join(KERNELS)}.")
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise InvalidSettingError(f"C must be a positive number; got {self.C!r}.")
        if self.gamma not in ("scale", "auto") and not (
            isinstance(self.gamma, (int, float)) and self.gamma > 0
        ):
            raise InvalidSettingError(f"gamma must be 'scale', 'auto' or a positive number; got {self.gamma!r}.")

    def describe(self) -> str:
        return f"SVC(kernel={self.kernel}, C={self.C:g}, gamma={self.gamma if isinstance(self.gamma, str) else f'{self.gamma:g}'})"


@dataclass
class DigitModel:
    """A fitted SVC with what it was trained on and how long that took."""

    estimator: SVC
    settings: SvmSettings
    sample_description: str
    n_train: int
    fit_seconds: float
    train_label_counts: np.ndarray = field(default_factory=lambda: np.zeros(10, dtype=int))

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Predicted digits for uint8 images, (n, 28, 28) or (n, 784)."""
        return self.votes(images).argmax(axis=1)

    def votes(self, images: np.ndarray) -> np.ndarray:
        """One-vs-one votes, shape (n, 10): how many of the 45 digit duels each digit won."""
        x = features(images)
        if self.settings.kernel != "rbf":
            return _votes_from_labels(self.estimator.predict(x), self.estimator.classes_)
        return _batched_votes(self.estimator, x)


def features(images: np.ndarray) -> np.ndarray:
    """The model's input: images flattened to 784 pixels scaled to 0-1, as float64."""
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        flat = images
    elif images.ndim == 3 and images.shape[1:] == (28, 28):
        flat = images.reshape(len(images), 784)
    elif images.shape == (28, 28):
        flat = images.reshape(1, 784)
    else:
        raise InvalidSettingError(f"Expected 28x28 images; got an array of shape {images.shape}.")
    return flat.astype(np.float64) / 255.0


def train(images: np.ndarray, labels: np.ndarray, sample: Sample, settings: SvmSettings | None = None) -> DigitModel:
    """Fit ``SVC`` on the sampled training images; return it with its fit time."""
    settings = settings or SvmSettings()
    x = features(images[sample.indices])
    y = np.asarray(labels)[sample.indices]
    if len(np.unique(y)) < 2:
        raise InvalidSettingError("The sample holds only one digit; an SVM needs at least two. Use a larger sample.")
    estimator = SVC(C=settings.C, gamma=settings.gamma, kernel=settings.kernel)
    start = time.perf_counter()
    estimator.fit(x, y)
    fit_seconds = time.perf_counter() - start
    return DigitModel(
        estimator=estimator,
        settings=settings,
        sample_description=sample.describe(),
        n_train=sample.size,
        fit_seconds=fit_seconds,
        train_label_counts=np.bincount(y, minlength=10),
    )


def _votes_from_labels(labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    out = np.zeros((len(labels), 10), dtype=np.int64)
    out[np.arange(len(labels)), labels.astype(int)] = 1
    return out


def _pair_decisions(estimator: SVC, x: np.ndarray) -> np.ndarray:
    """libsvm's one-vs-one decision values, shape (n, n_pairs), for an RBF SVC.

    The RBF kernel between every row and every support vector is one BLAS product;
    libsvm instead loops over rows and support vectors one at a time.
    """
    sv = estimator.support_vectors_
    gamma = estimator._gamma
    coef = estimator._dual_coef_
    n_support = estimator._n_support
    starts = np.concatenate([[0], np.cumsum(n_support)])
    n_class = len(n_support)
    sq = np.einsum("ij,ij->i", x, x)[:, None] + np.einsum("ij,ij->i", sv, sv)[None, :]
    kernel = x @ sv.T
    kernel *= -2.0
    kernel += sq
    np.maximum(kernel, 0.0, out=kernel)
    kernel *= -gamma
    np.exp(kernel, out=kernel)
    # partial[c][:, k] = sum over class-c support vectors of coef[k] * K
    partial = [
        kernel[:, starts[c] : starts[c + 1]] @ coef[:, starts[c] : starts[c + 1]].T for c in range(n_class)
    ]
    out = np.empty((len(x), n_class * (n_class - 1) // 2))
    p = 0
    for i in range(n_class):
        for j in range(i + 1, n_class):
            out[:, p] = partial[i][:, j - 1] + partial[j][:, i] + estimator._intercept_[p]
            p += 1
    return out


def _batched_votes(estimator: SVC, x: np.ndarray) -> np.ndarray:
    n_class = len(estimator.classes_)
    pairs = [(i, j) for i in range(n_class) for j in range(i + 1, n_class)]
    first = np.array([i for i, _ in pairs])
    second = np.array([j for _, j in pairs])
    votes = np.zeros((len(x), 10), dtype=np.int64)
    for start in range(0, len(x), _BATCH_ROWS):
        rows = slice(start, start + _BATCH_ROWS)
        dec = _pair_decisions(estimator, x[rows])
        winners = np.where(dec > 0, first, second)
        block = np.zeros((len(dec), n_class), dtype=np.int64)
        for p in range(len(pairs)):
            block[np.arange(len(dec)), winners[:, p]] += 1
        votes[rows, : n_class] = block
        unsure = np.flatnonzero(np.abs(dec).min(axis=1) < _RECHECK_MARGIN)
        if unsure.size:
            exact = estimator.predict(x[rows][unsure])
            _force_winner(votes[rows], unsure, np.searchsorted(estimator.classes_, exact))
    # Columns are class positions; map them to digit values when a class is absent.
    if n_class < 10 or not np.array_equal(estimator.classes_, np.arange(10)):
        mapped = np.zeros_like(votes)
        mapped[:, estimator.classes_.astype(int)] = votes[:, :n_class]
        votes = mapped
    return votes


def _force_winner(votes: np.ndarray, rows: np.ndarray, winners: np.ndarray) -> None:
    """Make libsvm's answer the argmax for rows whose vote was too close to call."""
    for r, w in zip(rows, winners):
        top = votes[r].max()
        if votes[r].argmax() != w:
            votes[r, w] = top + 1
