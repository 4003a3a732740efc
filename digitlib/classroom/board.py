"""The class board: every experiment the class trained, as one table and a learning curve."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["who", "N", "settings", "accuracy", "accuracy (10,000)", "fit time (s)", "saved"]


def settings_label(mode: str, seed: int, C: float, gamma: str, kernel: str) -> str:
    """A short name for a group of settings, the colour of its points on the board."""
    which = {"first": "first N"}.get(mode, mode)
    if mode != "first":
        which += f" (seed {seed})"
    lesson = C == 1.0 and gamma == "scale" and kernel == "rbf"
    return f"{which}, lesson's SVC" if lesson else f"{which}, {kernel}, C={C:g}, gamma={gamma}"


def table(experiments) -> pd.DataFrame:
    """One row per experiment, newest first; ``who`` is the nickname or 'anonymous'."""
    rows = [{
        "who": e.nickname or "anonymous",
        "N": e.n,
        "settings": settings_label(e.mode, e.seed, e.C, e.gamma, e.kernel),
        "accuracy": e.accuracy_100,
        "accuracy (10,000)": e.accuracy_10000,
        "fit time (s)": e.fit_seconds,
        "saved": e.saved_at,
    } for e in experiments]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("saved", ascending=False, ignore_index=True) if len(frame) else frame
