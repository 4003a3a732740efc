"""What the model says of each digit cut from a number, and how sure it is.

The neural network (``.probabilities``) gives its probabilities, and its sureness is the highest one. The SVM
(``.votes``) gives its one-vs-one votes, which say little about sureness: a clear digit and a blot both win
all 9 of their duels. Its sureness is read from the duels themselves (``fast_predict.pair_decisions``): the
winner's *weakest* duel's decision value, squashed to 0-1, so a digit that only just beats one rival scores
low. ``reading`` uses it to choose between a wide piece read whole and read as touching digits.
"""

from __future__ import annotations

import numpy as np

# The weakest duel's decision value is squashed by 1 / (1 + exp(-SQUASH * value)).
SQUASH = 2.0


def model_scores(model, images: np.ndarray) -> tuple[np.ndarray, str, np.ndarray]:
    """For (n, 28, 28) uint8 images: the scores (n, 10), their kind ("probabilities" or "votes") and the
    model's sureness of each answer (n,), 0 to 1."""
    if hasattr(model, "probabilities"):
        chances = np.asarray(model.probabilities(images))
        return chances, "probabilities", chances.max(axis=1)
    votes = np.asarray(model.votes(images))
    return votes, "votes", _duel_sureness(model, images, votes)


def _duel_sureness(model, images: np.ndarray, votes: np.ndarray) -> np.ndarray:
    estimator = getattr(model, "estimator", None)
    if estimator is None or getattr(estimator, "kernel", None) != "rbf":
        return votes.max(axis=1) / max(1, votes.shape[1] - 1)  # a stand-in model: its share of the duels
    from digitlib.svm import fast_predict
    from digitlib.svm.model import pixel_rows

    decisions = fast_predict.pair_decisions(estimator, pixel_rows(images))  # (n, 45), > 0: the first wins
    n_class = len(estimator.classes_)
    first, second = np.triu_indices(n_class, k=1)
    winner = votes.argmax(axis=1)
    margins = np.full(len(images), np.inf)
    for pair, (a, b) in enumerate(zip(first, second, strict=True)):
        signed = np.where(winner == a, decisions[:, pair], np.where(winner == b, -decisions[:, pair], np.inf))
        margins = np.minimum(margins, signed)
    return 1.0 / (1.0 + np.exp(-SQUASH * margins))
