"""The lesson's pictures, as functions that return matplotlib figures.

They build ``matplotlib.figure.Figure`` objects directly (never pyplot), so a
server drawing for many sessions keeps no global figure state. The countplot and
the annotated heatmaps look as the lesson's seaborn calls draw them, but are drawn
with matplotlib alone: importing seaborn (and through it scipy.stats and pyplot)
cost a fresh server's first Train or Evaluate page 0.5 s and 60 MB (issue 20).
The lesson's downloadable code still uses seaborn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from digitlib.language import N_, _, formats, ngettext

DIGITS = list(range(10))
CMAP = "gray_r"  # every digit on screen: 0 (blank paper) white, 255 (the darkest ink) black
ZOOM = "#e8590c"  # the square of pixels shown enlarged
BARS = "#5875a4"  # seaborn's countplot colour: "#4c72b0" at its default saturation of 0.75


def _figure(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def digit(image: np.ndarray, true: int | None = None, prediction: int | None = None,
          box: tuple[int, int, int] | None = None) -> Figure:
    """One image with ``imshow`` (0 white paper, 255 black ink), titled "True: t, Prediction: p" when
    those are given; ``box`` (top, left, size) outlines a square of pixels."""
    fig, ax = _figure(3, 3)
    ax.imshow(np.asarray(image).reshape(28, 28), cmap=CMAP, vmin=0, vmax=255)
    if true is not None and prediction is not None:
        heading = _("True: {true}, Prediction: {prediction}").format(true=true, prediction=prediction)
    elif true is not None:
        heading = _("True: {true}").format(true=true)
    elif prediction is not None:
        heading = _("Prediction: {prediction}").format(prediction=prediction)
    else:
        heading = ""
    if heading:
        wrong = true is not None and prediction is not None and true != prediction
        ax.set_title(heading, color="crimson" if wrong else "black")
        if true is not None and prediction is not None:  # right or wrong in a mark and a word, not a colour alone
            ax.set_xlabel(_("✗ wrong") if wrong else _("✓ right"), color="crimson" if wrong else "black")
    if box is not None:
        from matplotlib.patches import Rectangle

        top, left, size = box
        ax.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, edgecolor=ZOOM, linewidth=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def pixel_array(image: np.ndarray, top: int = 0, left: int = 0, size: int = 28) -> Figure:
    """The raw pixel values of a ``size`` × ``size`` square (from row ``top``, column ``left``) as an
    annotated heatmap, shaded as the picture is: what the computer sees. Small squares get large type."""
    crop = np.asarray(image).reshape(28, 28)[top:top + size, left:left + size]
    rows, columns = crop.shape
    fig, ax = _figure(11, 10) if size >= 28 else _figure(0.5 * columns + 0.6, 0.5 * rows + 0.5)
    _annotated_heatmap(ax, crop, CMAP, 0, 255, 5 if size >= 28 else 16,
                       range(left, left + columns), range(top, top + rows))
    ax.set_xlabel(_("column"))
    ax.set_ylabel(_("row"))
    ax.tick_params(labelsize=6 if size >= 28 else 13, length=0, labelrotation=0)
    if size < 28:
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
    return fig


def pixel_grid(image: np.ndarray, box: tuple[int, int, int] | None = None) -> str:
    """All 784 values as an HTML table shaded as the picture is (0 white, 255 black), in a box that
    scrolls sideways when the screen is narrower than the table; ``box`` (top, left, size) outlined."""
    values = np.asarray(image).reshape(28, 28).astype(int)
    top, left, size = box or (-1, -1, 0)
    head = "".join(f"<th>{c}</th>" for c in range(28))
    rows = []
    for r, row in enumerate(values):
        cells = []
        for c, v in enumerate(row):
            shade = 255 - v
            ink = "#ffffff" if v > 127 else "#1c2833"
            cells.append(f'<td style="background:#{shade:02x}{shade:02x}{shade:02x};color:{ink}'
                         f'{_edges(r - top, c - left, size)}">{v}</td>')
        rows.append(f"<tr><th>{r}</th>{''.join(cells)}</tr>")
    style = ("<style>.pixel-grid{overflow-x:auto;max-width:100%}"
             ".pixel-grid table{border-collapse:collapse;font:12px/1.6 ui-monospace,monospace;margin:0}"
             ".pixel-grid td,.pixel-grid th{min-width:27px;padding:0 1px;text-align:right;border:none}"
             ".pixel-grid th{color:#6c757d;font-weight:normal;background:none}</style>")
    return (f'{style}<div class="pixel-grid" data-testid="pixel-grid"><table>'
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def _edges(r: int, c: int, size: int) -> str:
    """The zoom's outline on the cell ``r``, ``c`` rows and columns into it (none outside it)."""
    if not (0 <= r < size and 0 <= c < size):
        return ""
    sides = [(r == 0, "0 2px"), (r == size - 1, "0 -2px"), (c == 0, "2px 0"), (c == size - 1, "-2px 0")]
    shadows = [f"inset {offset} 0 {ZOOM}" for edge, offset in sides if edge]
    return f";box-shadow:{','.join(shadows)}" if shadows else ""


def ink_centre(image: np.ndarray, size: int) -> tuple[int, int]:
    """Top row and left column of the ``size`` × ``size`` square centred on the image's ink (its middle if blank)."""
    values = np.asarray(image, dtype=float).reshape(28, 28)
    total = values.sum()
    centre = [(values.sum(axis=1 - k) * np.arange(28)).sum() / total if total else 13.5 for k in (0, 1)]
    return tuple(int(np.clip(round(c - (size - 1) / 2), 0, 28 - size)) for c in centre)


def label_counts(labels: np.ndarray, title: str = N_("Digits in the training sample")) -> Figure:
    """The lesson's countplot: how many images of each digit (``title``: translated here)."""
    fig, ax = _figure(6, 3.2)
    counts = np.bincount(np.asarray(labels).astype(int), minlength=10)[:10]
    ax.bar(DIGITS, counts, width=0.8, color=BARS)
    ax.set_xticks(DIGITS)
    ax.set_xlim(-0.5, 9.5)
    ax.set_xlabel(_("digit"))
    ax.set_title(_(title))
    ax.set_ylabel(_("images"))
    return fig


def confusion(matrix: np.ndarray, title: str = N_("Confusion matrix")) -> Figure:
    """The lesson's annotated heatmap: true digits down, predictions across."""
    fig, ax = _figure(6.5, 5.2)
    _annotated_heatmap(ax, np.asarray(matrix), "Blues", None, None, None, DIGITS, DIGITS)
    ax.set_xlabel(_("Predicted digit"))
    ax.set_ylabel(_("True digit"))
    ax.set_title(_(title))
    return fig


def _annotated_heatmap(ax, values: np.ndarray, cmap: str, vmin: float | None, vmax: float | None,
                       fontsize: float | None, columns: Sequence, rows: Sequence) -> None:
    """``values`` as square cells, row 0 at the top, each cell holding its whole number in dark type on
    light cells and white type on dark ones (seaborn's ``heatmap(annot=True, fmt="d", square=True)``, with the
    row labels upright)."""
    if not np.issubdtype(values.dtype, np.integer):
        raise TypeError(f"a heatmap of whole numbers, not {values.dtype}")  # English: a programmer's error
    mesh = ax.pcolormesh(values, cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(values.shape[0], 0)
    ax.set_aspect("equal")
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(c) for c in columns])
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, [str(r) for r in rows], va="center")
    shades = mesh.to_rgba(values.ravel())
    for (y, x), value, shade in zip(np.ndindex(values.shape), values.ravel(), shades, strict=True):
        ink = "0.15" if _luminance(shade) > 0.408 else "white"
        ax.text(x + 0.5, y + 0.5, str(value), color=ink, ha="center", va="center", fontsize=fontsize)


def _luminance(rgba: np.ndarray) -> float:
    """A colour's relative luminance (WCAG): 0 black, 1 white."""
    rgb = np.asarray(rgba[:3], dtype=float)
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


class _DecimalTicks(ScalarFormatter):
    """matplotlib's own tick labels (0.6, 0.8, 1.0), with the reader's decimal sign (0,6)."""

    def __init__(self):
        super().__init__()
        self.sign = formats.decimal(0.5, 1)[1]  # the language's decimal sign, read off 0.5

    def __call__(self, x, pos=None) -> str:
        return super().__call__(x, pos).replace(".", self.sign)


def _share_ticks() -> ScalarFormatter:
    return _DecimalTicks()


def learning_curve(sizes: Sequence[int], accuracies: Sequence[float], test_size: int | None = None) -> Figure:
    """Accuracy against the number of training images (log scale), the lesson's moral."""
    fig, ax = _figure(6, 3.2)
    order = np.argsort(sizes)
    xs, ys = np.asarray(sizes)[order], np.asarray(accuracies)[order]
    ax.plot(xs, ys, marker="o", color="#4c72b0")
    for x, y in zip(xs, ys, strict=True):
        ax.annotate(formats.decimal(y, 2), (x, y), textcoords="offset points", xytext=(0, 6), ha="center",
                    fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel(_("training images (N)"))
    ax.set_ylabel(_("accuracy"))
    ax.yaxis.set_major_formatter(_share_ticks())
    ax.set_ylim(min(0.5, float(ys.min()) - 0.05) if len(ys) else 0.5, 1.02)
    ax.grid(alpha=0.3)
    if test_size:
        ax.set_title(_("Accuracy against sample size (first {n} test images)").format(n=formats.count(test_size)))
    else:
        ax.set_title(_("Accuracy against sample size"))
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
            ax.imshow(np.asarray(images[k]).reshape(28, 28), cmap=CMAP, vmin=0, vmax=255)
            ax.set_title(titles[k], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


# -- pixels and sampling --------------------------------------------------------------------
BLANK = "#f08c00"  # pixels that are 0 in every image
SELDOM = "#ffd8a8"  # pixels that almost never hold ink
# One colour per line or bar group, in order: Okabe & Ito's blue, orange and bluish green, told apart in every
# common colour blindness (seaborn's "deep" green and orange are not).
SERIES = ("#0072B2", "#E69F00", "#009E73")


def mean_digits(means: np.ndarray, counts: Sequence[int]) -> Figure:
    """The mean image of each digit in a row, each with how many images it averages."""
    fig = Figure(figsize=(9, 1.45), layout="constrained")
    for d, ax in enumerate(fig.subplots(1, len(means), squeeze=False).flat):
        ax.imshow(np.asarray(means[d]).reshape(28, 28), cmap=CMAP, vmin=0, vmax=255)
        ax.set_title(str(d), fontsize=11, fontweight="bold")
        ax.set_xlabel(ngettext("{n} image", "{n} images", int(counts[d])).format(n=formats.count(int(counts[d]))),
                      fontsize=7, color="#555555")
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
    fig.colorbar(shown, ax=ax, shrink=0.8, label=_("images with ink in this pixel (%)"))
    ax.legend(handles=[Patch(color=BLANK, label=_("0 in every image: {count} pixels").format(
                           count=formats.count(int(blank.sum())))),
                       Patch(color=SELDOM, label=_("ink in fewer than 1 in {n} images: {count} more").format(
                           n=formats.count(round(1 / rare)), count=formats.count(int(seldom.sum()))))],
              loc="upper center", bbox_to_anchor=(0.5, -0.01), frameon=False, fontsize=9)
    ax.set_title(_("How often each pixel has ink"))
    return fig


def sampling_curves(sizes: Sequence[int], curves: dict[str, Sequence[float]], test_size: int | None = None) -> Figure:
    """Accuracy against training images (log scale), one line per way of choosing them."""
    fig, ax = _figure(5.4, 3.5)
    for (label, accuracies), colour, marker in zip(curves.items(), SERIES, "osD", strict=False):
        ax.plot(sizes, accuracies, marker=marker, color=colour, label=label, linewidth=2)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [formats.count(n) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel(_("training images (N)"))
    ax.set_ylabel(_("accuracy"))
    ax.yaxis.set_major_formatter(_share_ticks())
    low = min((min(a) for a in curves.values() if len(a)), default=0.5)
    ax.set_ylim(min(0.5, low - 0.05), 1.0)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    if test_size:
        ax.set_title(_("Which images? Accuracy on the first {n} test images").format(n=formats.count(test_size)))
    else:
        ax.set_title(_("Which images? Accuracy"))
    return fig


# The samples' names in ``sample_counts``' legend, by sampling mode (marked N_, shown translated).
SAMPLE_WORDS = {"first": N_("first"), "balanced": N_("balanced"), "random": N_("random")}


def sample_counts(counts: dict[str, Sequence[int]], title: str) -> Figure:
    """Images of each digit in a few samples (by sampling mode), as groups of bars side by side."""
    fig, ax = _figure(5.4, 3.5)
    width = 0.8 / max(len(counts), 1)
    for k, ((label, values), colour) in enumerate(zip(counts.items(), SERIES, strict=False)):
        xs = np.arange(10) + (k - (len(counts) - 1) / 2) * width
        ax.bar(xs, values, width=width, color=colour, label=_(SAMPLE_WORDS.get(label, label)), zorder=2)
    ax.set_xticks(DIGITS)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.set_xlabel(_("digit"))
    ax.set_ylabel(_("images"))
    ax.margins(y=0.15)
    ax.legend(fontsize=8, ncols=len(counts), loc="upper center", frameon=False)
    ax.set_title(title)
    return fig
