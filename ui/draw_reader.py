"""Which model reads a number on Draw (the one picked above the canvas), and the sentence that names it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from digitlib.language import _
from digitlib.mnist import sampling
from ui import resources


@dataclass(frozen=True)
class Reader:
    """The model a number is read with, ``about`` it in a sentence, and ``key``: it changes with the model."""

    model: object  # an SVM DigitModel (.votes) or the neural network (.probabilities)
    about: str
    key: str


def reader(picked: str, own, network, mnist) -> Reader:
    """The model Draw's "Model" choice names: ``picked`` is "best", "own" (``own``'s settings from Train)
    or "neural" (``network``, the service's best network); an SVM is trained or loaded here if needed."""
    if picked == "neural" and network is not None:
        about = _("Read by: the convolutional neural network trained on the {sample}. "
                  "Its bars are probabilities (they add up to 1).").format(sample=network.sample_description)
        return Reader(network.network, about, f"neural:{about}")
    with st.spinner(_("Getting the model ready…")):
        model = resources.model(own, mnist) if picked == "own" and own is not None else resources.draw_model(mnist)
    about = _("Read by: SVC on the {sample}. Its bars are votes: each digit faces the 9 others, "
              "one at a time.").format(sample=sampling.shown(model.sample_description))
    return Reader(model, about, f"svm:{picked}:{about}")
