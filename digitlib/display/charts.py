"""Charts drawn in the browser: Vega-Lite specifications with their data.

A chart that changes with every stroke is cheaper to describe than to render: the
server sends ten numbers and a spec, and the browser draws the bars. The lesson's own
figures (countplot, confusion heatmap) stay matplotlib PNGs, in ``plots``.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from digitlib.language import N_, _
from digitlib.scoring.comparison import BETTER, WORSE, verdicts

HIGHLIGHT = "#3b5bdb"
MUTED = "#adb5bd"
# Categories in Okabe & Ito's colours (2008), told apart in every common colour blindness (tableau10's red
# and green are not): blue, orange, bluish green, vermilion, reddish purple, sky blue, black, yellow.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
# Title lines short enough for a 390 px phone (at most about 290 px at Streamlit's chart title sizes).
TITLE_WIDTH, SUBTITLE_WIDTH = 40, 56


def title(text: str, subtitle: str | None = None) -> dict:
    """A chart title (and subtitle) broken into lines that fit a phone's width."""
    spec = {"text": textwrap.wrap(text, TITLE_WIDTH), "anchor": "start"}
    if subtitle:
        spec["subtitle"] = textwrap.wrap(subtitle, SUBTITLE_WIDTH)
    return spec


def votes(counts: np.ndarray, prediction: int) -> tuple[pd.DataFrame, dict]:
    """Bars of one-vs-one duels won per digit (of 9), the predicted digit highlighted."""
    return _digit_bars(np.asarray(counts, dtype=int), prediction, "duels won",
                       title(_("Votes"), _("each digit faces the 9 others, one at a time")),
                       {"scale": {"domain": [0, 9]}, "title": _("duels won (of 9)")}, {"title": _("duels won")})


def probabilities(chances: np.ndarray, prediction: int) -> tuple[pd.DataFrame, dict]:
    """Bars of a neural network's probability for each digit (they add up to 1), the predicted one highlighted."""
    return _digit_bars(np.round(np.asarray(chances, dtype=float), 4), prediction, "probability",
                       title(_("Probabilities"), _("how sure the neural network is of each digit")),
                       {"scale": {"domain": [0, 1]}, "axis": {"format": "%"}, "title": _("probability")},
                       {"format": ".1%", "title": _("probability")})


def _digit_bars(values: np.ndarray, prediction: int, field: str, heading: dict, y: dict,
                tooltip: dict) -> tuple[pd.DataFrame, dict]:
    """One bar per digit, ``values`` under the name ``field``, the predicted digit highlighted."""
    table = pd.DataFrame({
        "digit": [str(d) for d in range(10)],
        field: values,
        "colour": [HIGHLIGHT if d == prediction else MUTED for d in range(10)],
    })
    spec = {
        "title": heading,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "digit", "type": "ordinal", "axis": {"labelAngle": 0}, "sort": None, "title": _("digit")},
            "y": {"field": field, "type": "quantitative", **y},
            "color": {"field": "colour", "type": "nominal", "scale": None},
            "tooltip": [{"field": "digit", "title": _("digit")}, {"field": field, **tooltip}],
        },
    }
    return table, spec


def passes(history: dict[str, list[float]], names: dict[str, str], zero: bool = True) -> tuple[pd.DataFrame, dict]:
    """Lines of a training's measures (``names``: key in ``history`` -> label) after each pass over the images.

    A plain spec (no Altair) so the progress fragment can redraw it every second for a whole class."""
    rows = [{"pass": i + 1, "measure": label, "value": float(v)}
            for key, label in names.items() for i, v in enumerate(history.get(key, []))]
    table = pd.DataFrame(rows, columns=["pass", "measure", "value"])
    y = {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": zero}}
    spec = {
        "mark": {"type": "line", "point": bool(len(table) and table["pass"].max() <= 30)},
        "encoding": {
            "x": {"field": "pass", "type": "quantitative", "title": _("pass over the training images"),
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "y": y,
            "color": {"field": "measure", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "sort": list(names.values())},
            "tooltip": [{"field": "pass", "title": _("pass")}, {"field": "measure", "title": _("measure")},
                        {"field": "value", "format": ".4f", "title": _("value")}],
        },
    }
    return table, spec


def board(table: pd.DataFrame) -> dict:
    """The class board: accuracy against training images (log scale), one colour per group of settings.

    Models with the same N, settings and accuracy share one dot, sized by how many they are, with
    that number on it and every nickname in its tooltip: each row of ``table`` is counted once. The
    spec carries these dots as its own data."""
    dots = board_dots(table)
    return {
        "title": title(_("Our experiments"), _("accuracy on the first 100 test images against the number of "
                                                "training images")),
        "data": {"values": dots},
        "encoding": {
            "x": {"field": "N", "type": "quantitative", "scale": {"type": "log", "padding": 20},
                  "title": _("training images (N)")},
            "y": {"field": "accuracy", "type": "quantitative", "scale": {"zero": False, "padding": 20},
                  "title": _("accuracy")},  # short: a long axis title pushes the chart's title away
            "color": {"field": "settings", "type": "nominal", "scale": {"range": OKABE_ITO}, "title": _("settings"),
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 280}},
            "tooltip": [{"field": "models", "title": _("models")}, {"field": "who", "title": _("trained by")},
                        {"field": "N", "format": ","}, {"field": "settings", "title": _("settings")},
                        {"field": "accuracy", "format": ".2f", "title": _("accuracy")}],
        },
        "layer": [
            {"mark": {"type": "point", "filled": True, "opacity": 0.85},
             "encoding": {"size": {"field": "models", "type": "quantitative", "legend": None,
                                   "scale": {"type": "sqrt", "domainMin": 1, "range": [140, 1100]}},
                          # a shape as well as a colour for each group of settings: one legend shows both
                          "shape": {"field": "settings", "type": "nominal", "title": _("settings"),
                                    "legend": {"orient": "bottom", "columns": 1, "labelLimit": 280}}}},
            {"transform": [{"filter": "datum.models > 1"}],
             "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold", "color": "white"},
             "encoding": {"text": {"field": "models"}, "color": {"value": "white"}}},
        ],
    }


def board_dots(table: pd.DataFrame) -> pd.DataFrame:
    """The board's rows grouped by N, settings and accuracy: ``models`` in each, ``who`` trained them."""
    if not len(table):
        return pd.DataFrame(columns=["N", "settings", "accuracy", "models", "who"])
    groups = table.groupby(["N", "settings", "accuracy"], sort=True)["who"]
    dots = groups.agg(models="size", who=lambda names: ", ".join(_counted(names))).reset_index()
    return dots.sort_values("models", ascending=False, ignore_index=True)  # small dots drawn over big ones


def _counted(names: pd.Series) -> list[str]:
    """Each name once, in alphabetical order and "anonymous" last, with how many times it occurs when
    more than once ("anonymous ×3")."""
    anonymous = _("anonymous")  # as the board's table wrote it, in the reader's language
    counts = sorted(names.value_counts().items(), key=lambda item: (item[0] == anonymous, str(item[0]).lower()))
    return [f"{name} ×{n}" if n > 1 else str(name) for name, n in counts]


def guesses(values: list[float], answer: float | None) -> tuple[pd.DataFrame, dict]:
    """The class's guesses as a histogram, with the true accuracy as a line once revealed."""
    table = pd.DataFrame({"guess": np.asarray(values, dtype=float)})
    bars = {
        "mark": {"type": "bar", "color": MUTED},
        "encoding": {
            "x": {"field": "guess", "type": "quantitative", "bin": {"step": 0.02, "extent": [0, 1]},
                  "title": _("guessed accuracy"), "scale": {"domain": [0, 1]}},
            "y": {"aggregate": "count", "type": "quantitative", "title": _("students")},
        },
    }
    layers = [bars]
    if answer is not None:
        layers.append({"mark": {"type": "rule", "color": HIGHLIGHT, "strokeWidth": 4},
                       "encoding": {"x": {"datum": float(answer), "type": "quantitative"}}})
    return table, {"title": title(_("Guesses against the truth")), "layer": layers}


def digit_counts(counts: np.ndarray, what: str = N_("drawings")) -> tuple[pd.DataFrame, dict]:
    """Bars: how many ``what`` of each digit, digits upright along the bottom (``what``: the column's name,
    translated here)."""
    what = _(what)
    table = pd.DataFrame({"digit": [str(d) for d in range(10)], what: np.asarray(counts, dtype=int)})
    spec = {
        "mark": {"type": "bar", "color": HIGHLIGHT},
        "encoding": {
            "x": {"field": "digit", "type": "ordinal", "axis": {"labelAngle": 0}, "sort": None, "title": _("digit")},
            "y": {"field": what, "type": "quantitative", "axis": {"tickMinStep": 1}},
            "tooltip": [{"field": "digit", "title": _("digit")}, {"field": what}],
        },
    }
    return table, spec


def kept_per_digit(kept: np.ndarray, trained: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """Stacked bars per digit: the training images the model keeps (support vectors) and those it forgets."""
    kept = np.asarray(kept, dtype=int)
    forgotten = np.maximum(np.asarray(trained, dtype=int) - kept, 0)
    kept_words, forgotten_words = _("kept: support vectors"), _("forgotten")
    table = pd.DataFrame({
        "digit": [str(d) for d in range(10)] * 2,
        "images": np.concatenate([kept, forgotten]),
        "what": [kept_words] * 10 + [forgotten_words] * 10,
        "order": [0] * 10 + [1] * 10,
    })
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "digit", "type": "ordinal", "axis": {"labelAngle": 0}, "sort": None, "title": _("digit")},
            "y": {"field": "images", "type": "quantitative", "stack": "zero", "title": _("training images")},
            "color": {"field": "what", "type": "nominal", "legend": None,
                      "scale": {"domain": [kept_words, forgotten_words], "range": [HIGHLIGHT, "#dee2e6"]}},
            "order": {"field": "order"},
            "tooltip": [{"field": "digit", "title": _("digit")}, {"field": "what", "title": _("what")},
                        {"field": "images", "format": ",", "title": _("images")}],
        },
    }
    return table, spec


CHOSEN = "#e8590c"
BLUES = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]  # matplotlib's "Blues", as seaborn's heatmap uses
SELECTION = "square"  # the confusion chart's selection: a clicked square's true and predicted digit
# A change from the pinned model, one meaning everywhere: blue better, orange worse (safe for colour blindness).
BETTER_COLOUR, WORSE_COLOUR, UNCHANGED = "#2166ac", "#e66101", "#f1f3f5"
# Marked N_; the charts show them translated (_).
VERDICT_WORDS = {BETTER: N_("better than the pinned model"), WORSE: N_("worse than the pinned model"),
                 0: N_("no change")}


def _matrix_table(matrix: np.ndarray, **columns) -> pd.DataFrame:
    """One row per square of a 10 × 10 matrix: its true digit, predicted digit and value (``images``)."""
    true, predicted = np.divmod(np.arange(100), 10)
    values = np.asarray(matrix, dtype=int).ravel()
    return pd.DataFrame({"true": true, "predicted": predicted, "images": values, **columns})


def _matrix_spec(squares: list[dict], text: dict, layers: list[dict] = (), pointer: bool = False) -> dict:
    """10 × 10 squares (``squares``: rect layers) with their numbers, true digits down and predictions
    across, as the lesson's."""
    axis = {"labelAngle": 0, "ticks": False, "domain": False, "labelFontSize": 13, "labelOverlap": False,
            "labelFlush": False}
    cursor = {"cursor": "pointer"} if pointer else {}
    numbers = {"mark": {"type": "text", "fontSize": 13, **cursor}, "encoding": text}
    return {
        "encoding": {
            "x": {"field": "predicted", "type": "ordinal", "title": _("Predicted digit"), "axis": axis},
            "y": {"field": "true", "type": "ordinal", "title": _("True digit"), "axis": axis},
            "tooltip": [{"field": "true", "title": _("true digit")},
                        {"field": "predicted", "title": _("predicted digit")},
                        {"field": "images", "title": _("test images")}],
        },
        "layer": [*squares, numbers, *layers],
        "config": {"view": {"stroke": None}},
    }


def _square(colour: dict, **mark) -> dict:
    return {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 1, **mark}, "encoding": {"color": colour}}


def _ink(threshold: float) -> dict:
    """Numbers white on dark squares (beyond ``threshold`` either way), dark elsewhere."""
    return {"condition": {"test": f"abs(datum.images) > {threshold}", "value": "white"}, "value": "#1c2833"}


def confusion(matrix: np.ndarray, chosen: tuple[int, int] | None = None,
              selectable: bool = True) -> tuple[pd.DataFrame, dict]:
    """The confusion matrix as squares to click (selection ``SELECTION``, unless not ``selectable``),
    the ``chosen`` one outlined."""
    true, predicted = np.divmod(np.arange(100), 10)
    table = _matrix_table(matrix, chosen=[(t, p) == chosen for t, p in zip(true, predicted, strict=True)])
    colour = {"field": "images", "type": "quantitative", "legend": None,
              "scale": {"domainMin": 0, "range": BLUES, "interpolate": "rgb"}}
    text = {"text": {"field": "images"}, "color": _ink(max(int(table["images"].max()) / 2, 1))}
    outline = {"transform": [{"filter": "datum.chosen"}],
               # aria false: the outline is decoration, and while no square is chosen its empty mark
               # would be an image without a text alternative to a screen reader (axe-core svg-img-alt)
               "mark": {"type": "rect", "fill": None, "stroke": CHOSEN, "strokeWidth": 4, "aria": False}}
    squares = _square(colour, **({"cursor": "pointer"} if selectable else {}))
    if selectable:
        squares["params"] = [{"name": SELECTION,
                              "select": {"type": "point", "fields": ["true", "predicted"], "clear": False}}]
    spec = _matrix_spec([squares], text, [outline], pointer=selectable)
    if selectable:
        spec["title"] = title(_("Click a square to see its images"),
                              _("Row: the digit written. Column: the digit the model read. "
                                "Off the diagonal: mistakes."))
    return table, spec


def confusion_change(change: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """How a confusion matrix changed, square by square, coloured by one rule: blue where this model
    does better than the pinned one (more right answers on the diagonal, fewer mistakes off it),
    orange where it does worse, stronger the bigger the change; each changed square signed (numbers
    white on strong blue, dark on orange, where each reads best)."""
    values = np.asarray(change, dtype=int).ravel()
    verdict = verdicts(change).ravel()
    reach = max(int(np.abs(values).max()), 1)
    strength = np.round(0.3 + 0.7 * np.abs(values) / reach, 3)
    table = _matrix_table(change, label=[f"{v:+d}".replace("-", "−") if v else "" for v in values],
                          verdict=[_(VERDICT_WORDS[v]) for v in verdict], strength=strength,
                          ink=np.where((verdict == BETTER) & (strength > 0.6), "white", "#1c2833"))
    blank = _square({"value": UNCHANGED})
    changed = _square({"field": "verdict", "type": "nominal", "title": None,
                       "scale": {"domain": [_(VERDICT_WORDS[BETTER]), _(VERDICT_WORDS[WORSE])],
                                 "range": [BETTER_COLOUR, WORSE_COLOUR]},
                       "legend": {"orient": "bottom", "direction": "vertical", "labelFontSize": 13, "rowPadding": 2,
                                  "symbolType": "square", "symbolSize": 160}})
    changed["transform"] = [{"filter": "datum.images != 0"}]
    changed["encoding"]["opacity"] = {"field": "strength", "type": "quantitative", "scale": None, "legend": None}
    text = {"text": {"field": "label"}, "color": {"field": "ink", "type": "nominal", "scale": None}}
    spec = _matrix_spec([blank, changed], text)
    spec["encoding"]["tooltip"][2:] = [{"field": "images", "title": _("change in test images")},
                                       {"field": "verdict", "title": _("this model")}]
    return table, spec
