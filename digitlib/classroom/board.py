"""The class board: every experiment the class trained, as one table and a learning curve."""

from __future__ import annotations

import pandas as pd

from digitlib.language import N_, _

# The table's columns: keys the chart reads; a page shows them by ``COLUMN_TITLES``.
COLUMNS = ["who", "N", "settings", "accuracy", "accuracy (10,000)", "fit time (s)", "saved"]
COLUMN_TITLES = {
    # TRANSLATORS: the class board's column of nicknames (who trained the model).
    "who": N_("who"), "N": "N", "settings": N_("settings"), "accuracy": N_("accuracy"),
    "accuracy (10,000)": N_("accuracy (10,000)"), "fit time (s)": N_("fit time (s)"),
    # TRANSLATORS: the class board's column of times a model was posted.
    "saved": N_("saved"),
}
# A group of settings in words, by sampling mode; the lesson's SVC (C=1, gamma=scale, rbf) or another.
_LESSON = {
    "first": N_("first N, lesson's SVC"),
    "balanced": N_("balanced (seed {seed}), lesson's SVC"),
    "random": N_("random (seed {seed}), lesson's SVC"),
}
_OTHER = {
    "first": N_("first N, {kernel}, C={C}, gamma={gamma}"),
    "balanced": N_("balanced (seed {seed}), {kernel}, C={C}, gamma={gamma}"),
    "random": N_("random (seed {seed}), {kernel}, C={C}, gamma={gamma}"),
}


def settings_label(mode: str, seed: int, C: float, gamma: str, kernel: str) -> str:
    """A short name for a group of settings, the colour of its points on the board (in the current language)."""
    lesson = C == 1.0 and gamma == "scale" and kernel == "rbf"
    known = _LESSON if lesson else _OTHER
    if mode in known:
        text = _(known[mode])
    else:  # a mode this version does not know: its own name
        text = (_("{mode} (seed {seed}), lesson's SVC") if lesson
                else _("{mode} (seed {seed}), {kernel}, C={C}, gamma={gamma}"))
    return text.format(mode=mode, seed=seed, C=f"{C:g}", gamma=gamma, kernel=kernel)


def table(experiments) -> pd.DataFrame:
    """One row per experiment, newest first; ``who`` is the nickname or 'anonymous' (in the current language)."""
    anonymous = _("anonymous")
    rows = [{
        "who": e.nickname or anonymous,
        "N": e.n,
        "settings": settings_label(e.mode, e.seed, e.C, e.gamma, e.kernel),
        "accuracy": e.accuracy_100,
        "accuracy (10,000)": e.accuracy_10000,
        "fit time (s)": e.fit_seconds,
        "saved": e.saved_at,
    } for e in experiments]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("saved", ascending=False, ignore_index=True) if len(frame) else frame
