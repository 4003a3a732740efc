"""Text alternatives for the app's pictures (issue 19): what a screen reader says instead of the image.

Streamlit's ``st.image`` writes no ``alt`` unless given one (a caption is not one), so every picture
takes its sentence from here: what it shows and, for a chart, what it finds.
"""

from __future__ import annotations

import numpy as np


def digit(label, prediction=None, what: str = "A handwritten digit") -> str:
    """A 28 × 28 digit, with its label and, when given, the model's prediction."""
    said = f"{what}, 28 × 28 pixels: a {label}"
    if prediction is not None:
        said += f", which the model reads as {prediction}" if prediction != label else ", read right by the model"
    return said + "."


def digits(labels, what: str = "Training image") -> list[str]:
    """One sentence per image of a gallery: ``what`` and its digit."""
    return [f"{what}: a {label}." for label in labels]


def label_counts(labels: np.ndarray, title: str) -> str:
    """A bar chart of how many images of each digit: the most and the fewest."""
    counts = np.bincount(np.asarray(labels, dtype=int), minlength=10)
    most, fewest = int(counts.argmax()), int(counts.argmin())
    return (f"Bar chart, {title}: images per digit 0 to 9, "
            + ", ".join(f"{d}: {c:,}" for d, c in enumerate(counts))
            + f". Most: {most}, fewest: {fewest}.")


def learning_curve(sizes, accuracies) -> str:
    """The learning curve: accuracy against the number of training images."""
    points = ", ".join(f"{n:,} images: {a:.2f}" for n, a in zip(sizes, accuracies, strict=True))
    return f"Line chart, accuracy on test images against training images: {points}."


def confusion(matrix: np.ndarray, title: str) -> str:
    """The confusion matrix: how many right, and the most frequent mistake."""
    matrix = np.asarray(matrix)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    said = (f"Heatmap, {title}: true digit down, predicted across; "
            f"{int(np.trace(matrix)):,} of {int(matrix.sum()):,} right")
    if off.any():
        t, p = np.unravel_index(int(off.argmax()), off.shape)
        said += f"; the most frequent mistake: {int(off[t, p])} times a {t} read as {p}"
    return said + "."
