"""Charts drawn in the browser: Vega-Lite specifications with their data.

A chart that changes with every stroke is cheaper to describe than to render: the
server sends ten numbers and a spec, and the browser draws the bars. The lesson's own
figures (countplot, confusion heatmap) stay seaborn, in ``plots``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HIGHLIGHT = "#3b5bdb"
MUTED = "#adb5bd"


def votes(counts: np.ndarray, prediction: int) -> tuple[pd.DataFrame, dict]:
    """Bars of one-vs-one duels won per digit (of 9), the predicted digit highlighted."""
    table = pd.DataFrame({
        "digit": [str(d) for d in range(10)],
        "duels won": np.asarray(counts, dtype=int),
        "colour": [HIGHLIGHT if d == prediction else MUTED for d in range(10)],
    })
    spec = {
        "title": "Votes: each digit faces the 9 others one at a time",
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "digit", "type": "ordinal", "axis": {"labelAngle": 0}, "sort": None},
            "y": {"field": "duels won", "type": "quantitative", "scale": {"domain": [0, 9]},
                  "title": "duels won (of 9)"},
            "color": {"field": "colour", "type": "nominal", "scale": None},
            "tooltip": [{"field": "digit"}, {"field": "duels won"}],
        },
    }
    return table, spec


def board(table: pd.DataFrame) -> dict:
    """The class board: accuracy against training images (log scale), one colour per group of settings."""
    return {
        "title": "Our experiments: accuracy against the number of training images",
        "mark": {"type": "point", "filled": True, "size": 140, "opacity": 0.85},
        "encoding": {
            "x": {"field": "N", "type": "quantitative", "scale": {"type": "log", "padding": 16},
                  "title": "training images (N)"},
            "y": {"field": "accuracy", "type": "quantitative", "scale": {"zero": False, "padding": 16},
                  "title": "accuracy (first 100 test images)"},
            "color": {"field": "settings", "type": "nominal", "scale": {"scheme": "tableau10"},
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320}},
            "tooltip": [{"field": "who"}, {"field": "N", "format": ","}, {"field": "settings"},
                        {"field": "accuracy", "format": ".2f"}],
        },
    }


def guesses(values: list[float], answer: float | None) -> tuple[pd.DataFrame, dict]:
    """The class's guesses as a histogram, with the true accuracy as a line once revealed."""
    table = pd.DataFrame({"guess": np.asarray(values, dtype=float)})
    bars = {
        "mark": {"type": "bar", "color": MUTED},
        "encoding": {
            "x": {"field": "guess", "type": "quantitative", "bin": {"step": 0.02, "extent": [0, 1]},
                  "title": "guessed accuracy", "scale": {"domain": [0, 1]}},
            "y": {"aggregate": "count", "type": "quantitative", "title": "students"},
        },
    }
    layers = [bars]
    if answer is not None:
        layers.append({"mark": {"type": "rule", "color": HIGHLIGHT, "strokeWidth": 4},
                       "encoding": {"x": {"datum": float(answer), "type": "quantitative"}}})
    return table, {"title": "Guesses against the truth", "layer": layers}


def digit_counts(counts: np.ndarray, what: str = "drawings") -> tuple[pd.DataFrame, dict]:
    """Bars: how many ``what`` of each digit, digits upright along the bottom."""
    table = pd.DataFrame({"digit": [str(d) for d in range(10)], what: np.asarray(counts, dtype=int)})
    spec = {
        "mark": {"type": "bar", "color": HIGHLIGHT},
        "encoding": {
            "x": {"field": "digit", "type": "ordinal", "axis": {"labelAngle": 0}, "sort": None},
            "y": {"field": what, "type": "quantitative", "axis": {"tickMinStep": 1}},
            "tooltip": [{"field": "digit"}, {"field": what}],
        },
    }
    return table, spec
