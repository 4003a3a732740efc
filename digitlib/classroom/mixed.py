""""MNIST + our class": does training on the class's own handwriting help?

Two models learn from the same first ``n`` MNIST training images; the second also learns
from some of the class's drawings. Both are scored on the class's other drawings. The
split is by drawer (one anonymous id per student session), so a student's drawings never
score a model they helped to train: the question is whether the class's handwriting helps
with *other* students' handwriting.

The accuracy of any model on the whole class set is ``evaluate.evaluate(model, images,
labels, n_test=len(images)).accuracy``, with its confusion matrix alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_
from digitlib.mnist.sampling import Sample, choose
from digitlib.scoring.evaluate import evaluate
from digitlib.svm.model import DigitModel, SvmSettings, pixel_rows, train

MIN_DRAWINGS = 10
MIN_DRAWERS = 2


@dataclass(frozen=True, eq=False)
class ClassComparison:
    """Both models' scores and answers on the held-out drawings (indices into the class set)."""

    n: int  # MNIST training images in both models
    class_train: int  # class drawings the second model also learnt from
    class_test: int  # held-out class drawings both were scored on
    test_drawers: int
    mnist_only: float  # accuracy on the held-out drawings
    with_class: float
    test_indices: np.ndarray
    y_true: np.ndarray
    pred_mnist_only: np.ndarray
    pred_with_class: np.ndarray
    model_mnist_only: DigitModel
    model_with_class: DigitModel

    @property
    def gain(self) -> float:
        """How much the class's drawings changed accuracy (negative if they hurt)."""
        return self.with_class - self.mnist_only


def split_by_drawer(drawers, test_share: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of training and test drawings, every drawer wholly on one side.

    About ``test_share`` of the drawers (at least one, and at least one left to train on)
    are picked at random, reproducibly for a ``seed``.
    """
    if not 0 < test_share < 1:
        raise InvalidSettingError(N_("The test share must be between 0 and 1; got {value}."), value=repr(test_share))
    drawers = np.asarray(drawers).astype(str)
    names, owner = np.unique(drawers, return_inverse=True)  # sorted, so the seed alone decides
    if len(names) < MIN_DRAWERS:
        raise InvalidSettingError(N_(
            "The class needs drawings from at least two students (sessions) to compare: "
            "one student's drawings test a model trained on the others'."
        ))
    n_test = min(max(round(test_share * len(names)), 1), len(names) - 1)
    chosen = np.random.default_rng(seed).permutation(len(names))[:n_test]
    is_test = np.isin(owner, chosen)
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def compare_with_class(mnist_images, mnist_labels, n: int, class_images, class_labels, class_drawers,
            settings: SvmSettings | None = None, test_share: float = 0.3, seed: int = 0) -> ClassComparison:
    """Train on the first ``n`` MNIST images, with and without the class's training-side drawings."""
    class_images = pixel_rows(class_images)
    class_labels = np.asarray(class_labels)
    drawers = np.asarray(class_drawers).astype(str)
    if not len(class_images) == len(class_labels) == len(drawers):
        raise InvalidSettingError(N_("Each class drawing needs one label and one drawer."))
    if len(class_labels) and (class_labels.min() < 0 or class_labels.max() > 9):
        raise InvalidSettingError(N_("Class labels must be digits 0-9."))
    n_drawers = len(np.unique(drawers))
    if len(class_images) < MIN_DRAWINGS or n_drawers < MIN_DRAWERS:
        raise InvalidSettingError(N_(
            "The comparison needs at least {drawings} saved drawings from at least {drawers} "
            "students; the class has {have} from {have_drawers}. Save more drawings first."),
            drawings=MIN_DRAWINGS, drawers=MIN_DRAWERS, have=str(len(class_images)), have_drawers=str(n_drawers))
    train_idx, test_idx = split_by_drawer(drawers, test_share, seed)

    sample = choose(mnist_labels, n)
    mnist_only = train(mnist_images, mnist_labels, sample, settings)

    images = np.concatenate([pixel_rows(np.asarray(mnist_images)[sample.indices]), class_images[train_idx]])
    labels = np.concatenate([np.asarray(mnist_labels)[sample.indices], class_labels[train_idx]]).astype(np.uint8)
    everything = Sample(indices=np.arange(len(images)), mode="first", seed=0)
    with_class = replace(
        train(images, labels, everything, settings),
        sample_description=f"{sample.describe()} and {len(train_idx):,} class drawings",
    )

    x_test, y_test = class_images[test_idx], class_labels[test_idx]
    before = evaluate(mnist_only, x_test, y_test, n_test=len(test_idx))
    after = evaluate(with_class, x_test, y_test, n_test=len(test_idx))
    return ClassComparison(
        n=n,
        class_train=len(train_idx),
        class_test=len(test_idx),
        test_drawers=len(np.unique(drawers[test_idx])),
        mnist_only=before.accuracy,
        with_class=after.accuracy,
        test_indices=test_idx,
        y_true=before.y_true,
        pred_mnist_only=before.y_pred,
        pred_with_class=after.y_pred,
        model_mnist_only=mnist_only,
        model_with_class=with_class,
    )
