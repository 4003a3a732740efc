"""Scoring a model on the first M test images, as the lesson does with M=100."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_
from digitlib.svm.model import DigitModel

DIGITS = np.arange(10)
LESSON_TEST_SIZE = 100


@dataclass(frozen=True)
class Evaluation:
    """How a model did on the first ``n_test`` test images."""

    n_test: int
    y_true: np.ndarray
    y_pred: np.ndarray
    accuracy: float
    confusion: np.ndarray  # rows: true digit, columns: predicted digit
    precision: np.ndarray  # per digit 0-9
    recall: np.ndarray  # per digit 0-9
    support: np.ndarray  # test images of each digit
    predict_seconds: float
    recorded: bool = False  # the predictions (and their time) were recorded when the model was made for the app

    @property
    def misclassified(self) -> np.ndarray:
        """Indices (into the test set) of the images the model got wrong."""
        return np.flatnonzero(self.y_true != self.y_pred)

    def cell_indices(self, true: int, predicted: int) -> np.ndarray:
        """Indices (into the test set) of the images of digit ``true`` read as ``predicted``:
        one square of the confusion matrix."""
        return np.flatnonzero((self.y_true == true) & (self.y_pred == predicted))

    def per_digit_table(self):
        """Precision, recall and count per digit, as a pandas DataFrame (its column names are keys: a page
        shows them translated through its column_config)."""
        import pandas as pd

        return pd.DataFrame(
            {"digit": DIGITS, "precision": self.precision, "recall": self.recall, "test images": self.support}
        ).set_index("digit")


def evaluate(model: DigitModel, x_test: np.ndarray, y_test: np.ndarray, n_test: int = LESSON_TEST_SIZE) -> Evaluation:
    """Predict the first ``n_test`` test images and score the predictions."""
    if not 1 <= n_test <= len(x_test):
        raise InvalidSettingError(N_("The test size must be between 1 and {total}; got {n}."), total=len(x_test),
                                  n=n_test)
    y_true = np.asarray(y_test[:n_test]).astype(int)
    start = time.perf_counter()
    y_pred = model.predict(x_test[:n_test])
    return score(y_true, y_pred, time.perf_counter() - start)


def score(y_true: np.ndarray, y_pred: np.ndarray, predict_seconds: float = 0.0, recorded: bool = False) -> Evaluation:
    """Score predictions already made (a neural network's, from its worker; a shipped model's, recorded with it)
    against the true digits."""
    y_true, y_pred = np.asarray(y_true).astype(int), np.asarray(y_pred).astype(int)
    confusion = confusion_matrix(y_true, y_pred)
    support = confusion.sum(axis=1)
    return Evaluation(
        n_test=len(y_true),
        y_true=y_true,
        y_pred=y_pred,
        accuracy=float(np.mean(y_true == y_pred)) if len(y_true) else 0.0,
        confusion=confusion,
        precision=_share(np.diag(confusion), confusion.sum(axis=0)),
        recall=_share(np.diag(confusion), support),
        support=support,
        predict_seconds=predict_seconds,
        recorded=recorded,
    )


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Counts (10, 10) of each true digit (row) read as each digit (column); labels outside 0-9 are not
    counted. The numbers of ``sklearn.metrics.confusion_matrix(labels=DIGITS)``, without importing scikit-learn
    (0.7-2 s) on a page that shows a shipped model's recorded answers."""
    kept = (y_true >= 0) & (y_true <= 9) & (y_pred >= 0) & (y_pred <= 9)
    cells = np.bincount(y_true[kept] * 10 + y_pred[kept], minlength=100)
    return cells.reshape(10, 10).astype(np.int64)


def _share(hits: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """hits / totals per digit, 0 where the total is 0 (scikit-learn's ``zero_division=0``)."""
    return np.divide(hits, totals, out=np.zeros(len(hits)), where=totals > 0)
