"""Text alternatives for the app's pictures (issue 19): what a screen reader says instead of the image.

Streamlit's ``st.image`` writes no ``alt`` unless given one (a caption is not one), so every picture
takes its sentence from here: what it shows and, for a chart, what it finds.
"""

from __future__ import annotations

import numpy as np

from digitlib.language import N_, _, formats


def digit(label, prediction=None, what: str = N_("A handwritten digit")) -> str:
    """A 28 × 28 digit, with its label and, when given, the model's prediction (``what``: already translated,
    or the default)."""
    # TRANSLATORS: alt text read by screen readers; {what} names the image ("Test image 6"), {label} is a digit
    if prediction is None:
        return _("{what}, 28 × 28 pixels: a {label}.").format(what=_(what), label=label)
    if prediction != label:
        return _("{what}, 28 × 28 pixels: a {label}, which the model reads as {prediction}.").format(
            what=_(what), label=label, prediction=prediction)
    return _("{what}, 28 × 28 pixels: a {label}, read right by the model.").format(what=_(what), label=label)


def digits(labels, what: str = N_("Training image")) -> list[str]:
    """One sentence per image of a gallery: ``what`` and its digit."""
    return [_("{what}: a {label}.").format(what=_(what), label=label) for label in labels]


def label_counts(labels: np.ndarray, title: str) -> str:
    """A bar chart of how many images of each digit: the most and the fewest."""
    counts = np.bincount(np.asarray(labels, dtype=int), minlength=10)
    most, fewest = int(counts.argmax()), int(counts.argmin())
    per_digit = ", ".join(f"{d}: {formats.count(c)}" for d, c in enumerate(counts))
    return _("Bar chart, {title}: images per digit 0 to 9, {counts}. Most: {most}, fewest: {fewest}.").format(
        title=title, counts=per_digit, most=most, fewest=fewest)


def learning_curve(sizes, accuracies) -> str:
    """The learning curve: accuracy against the number of training images."""
    points = ", ".join(_("{n} images: {accuracy}").format(n=formats.count(n), accuracy=formats.decimal(a, 2))
                       for n, a in zip(sizes, accuracies, strict=True))
    return _("Line chart, accuracy on test images against training images: {points}.").format(points=points)


def confusion(matrix: np.ndarray, title: str) -> str:
    """The confusion matrix: how many right, and the most frequent mistake."""
    matrix = np.asarray(matrix)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    right, total = formats.count(int(np.trace(matrix))), formats.count(int(matrix.sum()))
    if off.any():
        t, p = np.unravel_index(int(off.argmax()), off.shape)
        return _("Heatmap, {title}: true digit down, predicted across; {right} of {total} right; the most frequent "
                 "mistake: {times} times a {true} read as {predicted}.").format(
            title=title, right=right, total=total, times=formats.count(int(off[t, p])), true=t, predicted=p)
    return _("Heatmap, {title}: true digit down, predicted across; {right} of {total} right.").format(
        title=title, right=right, total=total)
