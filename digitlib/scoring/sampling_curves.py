"""Sampling matters: learning curves of the lesson's model on the first N, a balanced N and a random N.

Small sizes only: the balanced and random models (the first N ship with the app) train in
well under a second each, all ten in about 0.7 s on two cores, so none need shipping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.scoring.evaluate import Evaluation
from digitlib.svm.model_spec import ModelSpec

SIZES = (100, 200, 500, 1000, 2000)
SEED = 0
LABELS = {"first": "first N", "balanced": "balanced N", "random": f"random N (seed {SEED})"}
PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines")


def sizes(total: int) -> list[int]:
    """The sizes compared when the training set holds ``total`` images."""
    return [n for n in SIZES if n <= total]


def specs(total: int) -> dict[str, list[ModelSpec]]:
    """The models to compare, by sampling mode: the lesson's settings, for each of ``sizes(total)``."""
    return {mode: [ModelSpec(n=n, mode=mode, seed=SEED) for n in sizes(total)] for mode in sampling.MODES}


def label_counts(labels: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Images of each digit 0-9 in the first ``n``, a balanced ``n`` and a random ``n``, by mode."""
    labels = np.asarray(labels)
    return {mode: np.bincount(labels[sampling.choose(labels, n, mode, SEED).indices], minlength=10)[:10]
            for mode in sampling.MODES}


@dataclass(frozen=True)
class SamplingComparison:
    """Each sampling mode's evaluations along ``sizes``, and the digits in its smallest sample."""

    sizes: list[int]
    results: dict[str, list[Evaluation]]
    counts: dict[str, np.ndarray]

    def accuracies(self) -> dict[str, list[float]]:
        """Accuracy per size, by the modes' short labels: the three lines of the curve."""
        return {LABELS[mode]: [r.accuracy for r in rs] for mode, rs in self.results.items()}

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"N": self.sizes} | self.accuracies())

    def rarest(self) -> tuple[int, int]:
        """The rarest and the most common digit among the first N (the lower digit on a tie)."""
        first = self.counts["first"]
        return int(np.argmin(first)), int(np.argmax(first))

    def why(self) -> str:
        """Two sentences on the smallest size: few images of a digit, few of that digit read right."""
        n, (rare, common) = self.sizes[0], self.rarest()
        first, balanced = self.results["first"][0], self.results["balanced"][0]
        right = [int(r.confusion[rare, rare]) for r in (first, balanced)]
        first_reads, balanced_reads = ("none" if k == 0 else str(k) for k in right)
        return (
            f"The first {n} training images hold {self.counts['first'][common]} {PLURALS[common]} but only "
            f"{self.counts['first'][rare]} {PLURALS[rare]}, so the model trained on them reads {first_reads} "
            f"of the {first.support[rare]} {PLURALS[rare]} among the first {first.n_test} test images, and the "
            f"balanced model, which saw {self.counts['balanced'][rare]} {PLURALS[rare]}, reads {balanced_reads}. "
            f"Accuracy is the share of those {first.n_test} test images (pictures kept aside, never learned from) "
            "that a model reads right: as N grows, every digit gets plenty of examples and the three lines come "
            "together."
        )


def compare_samplings(labels: np.ndarray, evaluation: Callable[[ModelSpec], Evaluation]) -> SamplingComparison:
    """The comparison for training labels ``labels``; ``evaluation(spec)`` trains (or finds) and scores a model."""
    chosen = sizes(len(labels))
    if not chosen:
        raise InvalidSettingError(f"Comparing samples needs at least {SIZES[0]} training images.")
    results = {mode: [evaluation(spec) for spec in row] for mode, row in specs(len(labels)).items()}
    return SamplingComparison(sizes=chosen, results=results, counts=label_counts(labels, chosen[0]))
