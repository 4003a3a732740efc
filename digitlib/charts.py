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
