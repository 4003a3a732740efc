"""Training the lesson's support-vector classifier and predicting with it.

``train`` fits ``sklearn.svm.SVC`` with the lesson's defaults (C=1, RBF kernel,
gamma="scale") on a sample of the training images. The result, a ``DigitModel``,
keeps the fitted ``SVC`` (``model.estimator``), an ordinary sklearn estimator.
Training and prediction go through ``fast_fit`` and ``fast_predict``, which give sklearn's
exact answers in less time.
"""

from __future__ import annotations

import functools
import importlib.metadata
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_
from digitlib.mnist.sampling import Sample
from digitlib.svm.scaling import to_features

if TYPE_CHECKING:  # scikit-learn takes about a second to import: only pages that predict or train load it
    from sklearn.svm import SVC

KERNELS = ("rbf", "linear", "poly", "sigmoid")


@functools.cache
def sklearn_version() -> str:
    """The installed scikit-learn's version, read from its package metadata: importing scikit-learn for it
    would cost a page 0.7-2 s."""
    return importlib.metadata.version("scikit-learn")


@dataclass(frozen=True)
class SvmSettings:
    """SVC hyper-parameters; the defaults are sklearn's and the lesson's."""

    C: float = 1.0
    gamma: str | float = "scale"
    kernel: str = "rbf"

    def __post_init__(self):
        if self.kernel not in KERNELS:
            raise InvalidSettingError(N_("Unknown kernel {kernel}; choose one of {kernels}."),
                                      kernel=repr(self.kernel), kernels=", ".join(KERNELS))
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise InvalidSettingError(N_("C must be a positive number; got {C}."), C=repr(self.C))
        if self.gamma not in ("scale", "auto") and not (
            isinstance(self.gamma, (int, float)) and self.gamma > 0
        ):
            raise InvalidSettingError(N_("gamma must be 'scale', 'auto' or a positive number; got {gamma}."),
                                      gamma=repr(self.gamma))

    def describe(self) -> str:
        gamma = self.gamma if isinstance(self.gamma, str) else f"{self.gamma:g}"
        return f"SVC(kernel={self.kernel}, C={self.C:g}, gamma={gamma})"


@dataclass
class DigitModel:
    """A fitted SVC with what it was trained on and how long that took."""

    estimator: SVC
    settings: SvmSettings
    sample_description: str
    n_train: int
    fit_seconds: float
    train_label_counts: np.ndarray = field(default_factory=lambda: np.zeros(10, dtype=int))
    # True when the model came ready-made with the repository rather than trained here.
    precomputed: bool = False

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Predicted digits for uint8 images, (n, 28, 28) or (n, 784)."""
        return self.votes(images).argmax(axis=1)

    def votes(self, images: np.ndarray) -> np.ndarray:
        """One-vs-one votes, shape (n, 10): how many of the 45 digit duels each digit won."""
        from digitlib.svm import fast_predict

        return fast_predict.votes(self.estimator, pixel_rows(images))


def features(images: np.ndarray) -> np.ndarray:
    """The model's input: images flattened to 784 pixels scaled to 0-1, as float64."""
    return to_features(pixel_rows(images))


def pixel_rows(images: np.ndarray) -> np.ndarray:
    """uint8 images, (n, 28, 28), (n, 784) or one (28, 28), as rows of 784 pixels."""
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise InvalidSettingError(N_("Expected images of whole pixel values 0-255 (uint8); got {dtype}."),
                                  dtype=str(images.dtype))
    if images.ndim == 2 and images.shape[1] == 784:
        flat = images
    elif images.ndim == 3 and images.shape[1:] == (28, 28):
        flat = images.reshape(len(images), 784)
    elif images.shape == (28, 28):
        flat = images.reshape(1, 784)
    else:
        raise InvalidSettingError(N_("Expected 28x28 images; got an array of shape {shape}."),
                                  shape=str(images.shape))
    return flat


def train(images: np.ndarray, labels: np.ndarray, sample: Sample, settings: SvmSettings | None = None,
          progress=None) -> DigitModel:
    """Fit ``SVC`` on the sampled training images; return it with its fit time.

    ``progress(done, total)`` is called as training advances (see ``fast_fit.fit``).
    """
    from digitlib.svm import fast_fit

    settings = settings or SvmSettings()
    pixels = images[sample.indices].reshape(sample.size, -1)
    y = np.asarray(labels)[sample.indices]
    if len(np.unique(y)) < 2:
        raise InvalidSettingError(N_("The sample holds only one digit; an SVM needs at least two. "
                                     "Use a larger sample."))
    start = time.perf_counter()
    estimator = fast_fit.fit(pixels, y, C=settings.C, kernel=settings.kernel, gamma=settings.gamma, progress=progress)
    fit_seconds = time.perf_counter() - start
    return DigitModel(
        estimator=estimator,
        settings=settings,
        sample_description=sample.describe(),
        n_train=sample.size,
        fit_seconds=fit_seconds,
        train_label_counts=np.bincount(y, minlength=10),
    )
