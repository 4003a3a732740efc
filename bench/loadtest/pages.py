"""What the students see: the pages' texts and labels, and what "answered" means on each.

The light and the browser students look for the same things (PAGES orders the report's lines).
"""

from __future__ import annotations

import re

PEN = 18  # the Draw page's default pen width: both kinds of client draw with it
MIX_SIZES = (100, 500, 1000, 2000, 5000)  # --mix: each student's own model size (the first N images)
PAGES = ["Home", "Class", "Class guess", *(f"Train ?n={n}" for n in MIX_SIZES), "Train slider", "Evaluate",
         *(f"Evaluate ?n={n}" for n in MIX_SIZES), "Draw",
         "Draw stroke", "Draw label", "Draw Save", "Draw Clear", "Class by link", "Class board (auto)",
         "Class guess (auto)", "Train progress (auto)", "Neural", "Neural progress (auto)", "Teacher Class",
         "Teacher ask", "Teacher Neural", "Teacher train network"]
SAVE, SAVED = "Save to our class set", re.compile(r"^Saved your (\d) to the class set")
ON_BOARD = "This model is on class"
POST = "Post to the class board"
# Which fragment an auto-rerun was, from its interval (pages/5_Class.py: students' board 15 s and
# guesses 10 s, the teacher's 5 s and 4 s; pages/2_Train.py: training progress 1 s).
AUTO = {15.0: "Class board (auto)", 5.0: "Class board (auto)", 10.0: "Class guess (auto)",
        4.0: "Class guess (auto)", 1.0: "Train progress (auto)"}
AUTO_PAGES = {"Neural": "Neural progress (auto)"}  # pages/6_Neural.py's progress reruns every 1 s too
NEURAL_TITLE, TRAIN_NET = "Compare with a neural network", "Train the neural network"
NET_METRIC, SVM_METRIC = "Neural network accuracy", "SVM accuracy"
NEURAL_STALE = 10.0  # s: the teacher's page is opened again if no run has started for this long


def is_metric(label_start: str):
    return lambda el: el.kind == "metric" and el.label.startswith(label_start)


def is_confirm(el) -> bool:
    """Draw's "Yes, save it as N", shown once when the digit chosen is not the model's reading."""
    return el.kind == "button" and (el.label or "").startswith("Yes, save it as")


ANSWERS = {  # what "answered" means on each page, for the light client
    "Home": lambda el: el.kind == "markdown" and el.text.startswith("**Loaded:**"),
    "Train": is_metric("Accuracy"),
    "Train post": lambda el: el.kind == "markdown" and el.text.startswith(ON_BOARD),
    "Evaluate": is_metric("Accuracy"),
    "Draw": lambda el: el.kind == "bidi_component",
    "Draw stroke": lambda el: el.kind == "metric" and el.label == "Prediction",
    "Class": lambda el: el.kind == "metric" and el.label == "Drawings saved",
    "Draw Save": lambda el: el.kind == "alert" and bool(SAVED.match(el.text)),
    "Class guess": lambda el: el.kind == "toast",
    "Neural": lambda el: el.kind == "heading" and el.text == NEURAL_TITLE,
}


def net_metric(elements):
    """The metric "Neural network accuracy" among a page's elements, or None."""
    return next((el for el in elements if el.kind == "metric" and el.label == NET_METRIC), None)


def neural_state(elements) -> str:
    """What the Neural page shows: the network's accuracy, its training's progress, or the button to train it."""
    elements = list(elements)
    if net_metric(elements) is not None:
        return "accuracy"
    if any(el.kind == "progress" for el in elements):
        return "progress"
    return "button" if any(el.kind == "button" and el.label == TRAIN_NET for el in elements) else "nothing"
