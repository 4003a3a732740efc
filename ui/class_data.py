"""What the Class page reads, shared by every session of a class and reused until it changes.

A class set is read once per revision (its count and newest drawing), not once per rerun;
the board and the question are read at most every few seconds however many students watch.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from digitlib.classroom import limits
from digitlib.errors import ClassLimitError
from digitlib.language import N_, _
from ui import class_session


@st.cache_resource(max_entries=16, show_spinner=False)
def _class_set(url: str, code: str, revision: tuple[int, int]):
    return class_session.class_store().drawings(code)


def class_set(code: str):
    """The class's drawings (a read-only ``ClassSet``) and a version string that changes with them."""
    from digitlib.classroom import database

    revision = class_session.class_store().revision(code)
    return _class_set(database.default_url(), code, revision), f"{code}:{revision[0]}:{revision[1]}"


@st.cache_data(ttl=3, max_entries=64, show_spinner=False)
def experiments(code: str):
    """The class board's experiments, at most 3 s old."""
    return class_session.class_store().experiments(code)


@st.cache_data(ttl=2, max_entries=64, show_spinner=False)
def question(code: str):
    """The teacher's open question with the guesses so far, at most 2 s old."""
    return class_session.class_store().question(code)


@st.cache_resource(max_entries=32, show_spinner=False)
def _evaluation(model_key: str, version: str, _model, _class_set):
    from digitlib.scoring import evaluate

    return evaluate.evaluate(_model, _class_set.images, _class_set.labels, len(_class_set))


def evaluation(model, mnist, class_set, version: str):
    """``model``'s evaluation on the whole class set, once per model, data set and class-set version."""
    key = f"{mnist.fingerprint}|{model.sample_description}|{model.settings.describe()}"
    with st.spinner(_("Reading our drawings…")):  # shown only if it takes a moment (not from the cache)
        return _evaluation(key, version, model, class_set)


# "MNIST + our class" trains two SVMs (seconds each at N = 5,000): a class gets a few an hour.
RETRAINS_PER_CLASS = 6
RETRAIN_WINDOW_S = 600
_retrains = limits.SlidingWindow(RETRAINS_PER_CLASS, RETRAIN_WINDOW_S)


@st.cache_resource(max_entries=4, show_spinner=False)
def _comparison(fingerprint: str, n: int, code: str, version: str, _mnist, _class_set):
    from digitlib.classroom import mixed

    wait = _retrains.take(code)
    if wait:
        raise ClassLimitError(
            N_("Our class has trained “MNIST + our class” {times} times in the last {minutes} minutes, the most "
               "this server allows; the results above stay. Try again in {wait}."),
            times=RETRAINS_PER_CLASS, minutes=RETRAIN_WINDOW_S // 60, wait=limits.minutes(wait))
    result = mixed.compare_with_class(_mnist.x_train, _mnist.y_train, n, _class_set.images, _class_set.labels,
                                      _class_set.drawers)
    # The page shows the scores only: the two models (25 MB each at N = 5,000) are not kept for it.
    return dataclasses.replace(result, model_mnist_only=None, model_with_class=None)


def with_and_without_class(n: int, mnist, class_set, version: str):
    """MNIST alone against MNIST + our class: trained once per size and class-set version, for everyone,
    and at most ``RETRAINS_PER_CLASS`` times per class in ``RETRAIN_WINDOW_S``."""
    return _comparison(mnist.fingerprint, n, version.split(":")[0], version, mnist, class_set)


def export_npz(class_set) -> bytes:
    """The class set as a keras-layout .npz (built only when the button is pressed)."""
    from digitlib.classroom import transfer

    return transfer.to_npz(class_set.images, class_set.labels)


def export_csv(class_set) -> bytes:
    """The labels as CSV, each drawer named "student k" rather than by its id."""
    from digitlib.classroom import transfer

    return transfer.to_csv(range(len(class_set)), class_set.labels, transfer.pseudonyms(class_set.drawers),
                           class_set.saved_at)
