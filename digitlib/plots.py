"""The lesson's pictures, as functions that return matplotlib figures.

They build ``matplotlib.figure.Figure`` objects directly (never pyplot), so a
server drawing for many sessions keeps no global figure state.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

DIGITS = list(range(10))


def _figure(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def digit(image: np.ndarray, true: int | None = None, prediction: int | None = None) -> Figure:
    """One image with ``imshow``, titled "True: t, Prediction: p" when those are given."""
    fig, ax = _figure(3, 3)
    ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
    parts = []
    if true is not None:
        parts.append(f"True: {true}")
    if prediction is not None:
        parts.append(f"Prediction: {prediction}")
    if parts:
        wrong = true is not None and prediction is not None and true != prediction
        ax.set_title(", ".join(parts), color="crimson" if wrong else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def pixel_array(image: np.ndarray) -> Figure:
    """The raw 28x28 pixel values as an annotated heatmap: what the computer sees."""
    fig, ax = _figure(11, 10)
    sns.heatmap(
        np.asarray(image).reshape(28, 28),
        annot=True,
        fmt="d",
        annot_kws={"fontsize": 5},
        cmap="gray_r",
        vmin=0,
        vmax=255,
        cbar=False,
        square=True,
        ax=ax,
    )
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.tick_params(labelsize=6)
    return fig


def label_counts(labels: np.ndarray, title: str = "Digits in the training sample") -> Figure:
    """The lesson's seaborn countplot: how many images of each digit."""
    fig, ax = _figure(6, 3.2)
    sns.countplot(x=pd.Series(np.asarray(labels).astype(int), name="digit"), order=DIGITS, color="#4c72b0", ax=ax)
    ax.set_title(title)
    ax.set_ylabel("images")
    return fig


def confusion(matrix: np.ndarray, title: str = "Confusion matrix") -> Figure:
    """The lesson's annotated seaborn heatmap: true digits down, predictions across."""
    fig, ax = _figure(6.5, 5.2)
    sns.heatmap(matrix, annot=True, fmt="d", cmap="Blues", cbar=False, square=True, ax=ax,
                xticklabels=DIGITS, yticklabels=DIGITS)
    ax.set_xlabel("Predicted digit")
    ax.set_ylabel("True digit")
    ax.set_title(title)
    return fig


def learning_curve(sizes: Sequence[int], accuracies: Sequence[float], test_size: int | None = None) -> Figure:
    """Accuracy against the number of training images (log scale), the lesson's moral."""
    fig, ax = _figure(6, 3.2)
    order = np.argsort(sizes)
    xs, ys = np.asarray(sizes)[order], np.asarray(accuracies)[order]
    ax.plot(xs, ys, marker="o", color="#4c72b0")
    for x, y in zip(xs, ys):
        ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("training images (N)")
    ax.set_ylabel("accuracy")
    ax.set_ylim(min(0.5, float(ys.min()) - 0.05) if len(ys) else 0.5, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title("Accuracy against sample size" + (f" (first {test_size:,} test images)" if test_size else ""))
    return fig


def gallery(images: np.ndarray, titles: Sequence[str], columns: int = 10, title: str | None = None) -> Figure:
    """A grid of small digits, each with its own caption."""
    n = max(len(images), 1)
    rows = -(-n // columns)
    fig = Figure(figsize=(columns * 0.9, rows * 1.05 + (0.3 if title else 0)), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k < len(images):
            ax.imshow(np.asarray(images[k]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
            ax.set_title(titles[k], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig

