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
from digitlib.language import N_, _, formats
from digitlib.mnist import sampling
from digitlib.scoring.evaluate import Evaluation
from digitlib.svm.model_spec import ModelSpec

SIZES = (100, 200, 500, 1000, 2000)
SEED = 0
# The curves' names (marked N_; ``label`` translates them), and the digits' plurals as ``why`` says them.
LABELS = {"first": N_("first N"), "balanced": N_("balanced N"), "random": N_("random N (seed {seed})")}
PLURALS = (N_("zeros"), N_("ones"), N_("twos"), N_("threes"), N_("fours"), N_("fives"), N_("sixes"), N_("sevens"),
           N_("eights"), N_("nines"))


def label(mode: str) -> str:
    """A sampling mode's curve name, in the reader's language: "random N (seed 0)"."""
    return _(LABELS[mode]).format(seed=SEED)


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
        return {label(mode): [r.accuracy for r in rs] for mode, rs in self.results.items()}

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
        # TRANSLATORS: what the model reads right: "none" of the test images of a digit
        first_reads, balanced_reads = (_("none") if k == 0 else formats.count(k) for k in right)
        # TRANSLATORS: {common} and {rare} are digits' plurals (zeros, ones, …); the numbers are counts of images.
        return _(
            "The first {n} training images hold {common_count} {common} but only {rare_count} {rare}, so the model "
            "trained on them reads {first_reads} of the {rare_test} {rare} among the first {n_test} test images, "
            "and the balanced model, which saw {balanced_count} {rare}, reads {balanced_reads}. Accuracy is the "
            "share of those {n_test} test images (pictures kept aside, never learned from) that a model reads "
            "right: as N grows, every digit gets plenty of examples and the three lines come together."
        ).format(n=formats.count(n), common_count=formats.count(self.counts["first"][common]),
                 common=_(PLURALS[common]), rare_count=formats.count(self.counts["first"][rare]),
                 rare=_(PLURALS[rare]), first_reads=first_reads, rare_test=formats.count(first.support[rare]),
                 n_test=formats.count(first.n_test), balanced_count=formats.count(self.counts["balanced"][rare]),
                 balanced_reads=balanced_reads)


def compare_samplings(labels: np.ndarray, evaluation: Callable[[ModelSpec], Evaluation]) -> SamplingComparison:
    """The comparison for training labels ``labels``; ``evaluation(spec)`` trains (or finds) and scores a model."""
    chosen = sizes(len(labels))
    if not chosen:
        raise InvalidSettingError(N_("Comparing samples needs at least {n} training images."), n=SIZES[0])
    results = {mode: [evaluation(spec) for spec in row] for mode, row in specs(len(labels)).items()}
    return SamplingComparison(sizes=chosen, results=results, counts=label_counts(labels, chosen[0]))
