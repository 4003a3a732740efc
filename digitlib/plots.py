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
from matplotlib.ticker import MaxNLocator

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



# -- pixels and sampling --------------------------------------------------------------------
BLANK = "#f08c00"  # pixels that are 0 in every image
SELDOM = "#ffd8a8"  # pixels that almost never hold ink
SERIES = ("#4c72b0", "#55a868", "#dd8452")  # one colour per line or bar group, in order


def mean_digits(means: np.ndarray, counts: Sequence[int]) -> Figure:
    """The mean image of each digit in a row, each with how many images it averages."""
    fig = Figure(figsize=(9, 1.45), layout="constrained")
    for d, ax in enumerate(fig.subplots(1, len(means), squeeze=False).flat):
        ax.imshow(np.asarray(means[d]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(str(d), fontsize=11, fontweight="bold")
        ax.set_xlabel(f"{int(counts[d]):,} images", fontsize=7, color="#555555")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_color("#dddddd")
    return fig


def ink_map(ink_share: np.ndarray, rare: float = 0.001) -> Figure:
    """How often each pixel holds ink, in % of the images; pixels that never do in orange,
    those with ink in fewer than ``rare`` of the images in light orange."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    share = np.asarray(ink_share, dtype=float).reshape(28, 28)
    fig, ax = _figure(4.8, 4.6)
    shown = ax.imshow(share * 100, cmap="Blues", vmin=0, vmax=100)
    blank, seldom = share == 0, (share > 0) & (share < rare)
    overlay = np.zeros((28, 28, 4))
    overlay[blank], overlay[seldom] = to_rgba(BLANK), to_rgba(SELDOM)
    ax.imshow(overlay)
    ax.set_xticks(np.arange(-0.5, 28), minor=True)
    ax.set_yticks(np.arange(-0.5, 28), minor=True)
    ax.grid(which="minor", color="#c8c8c8", linewidth=0.3)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    fig.colorbar(shown, ax=ax, shrink=0.8, label="images with ink in this pixel (%)")
    ax.legend(handles=[Patch(color=BLANK, label=f"0 in every image: {int(blank.sum())} pixels"),
                       Patch(color=SELDOM, label=f"ink in fewer than 1 in {round(1 / rare):,} images: "
                                                 f"{int(seldom.sum())} more")],
              loc="upper center", bbox_to_anchor=(0.5, -0.01), frameon=False, fontsize=9)
    ax.set_title("How often each pixel has ink")
    return fig


def sampling_curves(sizes: Sequence[int], curves: dict[str, Sequence[float]], test_size: int | None = None) -> Figure:
    """Accuracy against training images (log scale), one line per way of choosing them."""
    fig, ax = _figure(5.4, 3.5)
    for (label, accuracies), colour, marker in zip(curves.items(), SERIES, "osD"):
        ax.plot(sizes, accuracies, marker=marker, color=colour, label=label, linewidth=2)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training images (N)")
    ax.set_ylabel("accuracy")
    low = min((min(a) for a in curves.values() if len(a)), default=0.5)
    ax.set_ylim(min(0.5, low - 0.05), 1.0)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_title("Which images? Accuracy" + (f" on the first {test_size:,} test images" if test_size else ""))
    return fig


def sample_counts(counts: dict[str, Sequence[int]], title: str) -> Figure:
    """Images of each digit in a few samples, as groups of bars side by side."""
    fig, ax = _figure(5.4, 3.5)
    width = 0.8 / max(len(counts), 1)
    for k, ((label, values), colour) in enumerate(zip(counts.items(), SERIES)):
        xs = np.arange(10) + (k - (len(counts) - 1) / 2) * width
        ax.bar(xs, values, width=width, color=colour, label=label, zorder=2)
    ax.set_xticks(DIGITS)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.set_xlabel("digit")
    ax.set_ylabel("images")
    ax.margins(y=0.15)
    ax.legend(fontsize=8, ncols=len(counts), loc="upper center", frameon=False)
    ax.set_title(title)
    return fig
