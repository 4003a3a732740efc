"""What a fresh server makes ready in the background, so that the lesson's pages answer at once (issue 20).

The first visitors of a fresh server paid for what the pages share, once: importing scikit-learn,
matplotlib, pandas and scipy (about 2 s of CPU), reading MNIST, rebuilding the shipped models, the Draw
model's first prediction and the closest-image search. ``data`` (called as every page starts) reads the
bundled MNIST in a thread beside the server's first script run: unpacking it (0.25 s) leaves Python's lock
free, so it overlaps the page's own imports. ``lesson`` (called by every page) does the rest in a background
thread once the server's first page has answered; ``draw`` (called when a Draw page opens) makes Draw's model
and search ready while the student draws. These two run after the script run that asked for them has ended,
so they never slow the page on screen. Each runs once per server; a page that needs the same thing meanwhile
waits for it instead of doing it twice (imports and the shared caches are single-flight). It fills the caches of
``ui.resources`` through its session-free entry points (no spinner, no notice), and only reads models: it never
trains one. ``DIGITS_WARMUP=0`` turns it off, as it does the learning curve's background training.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable

import numpy as np

from digitlib.svm.model_spec import ModelSpec
from ui import resources

_LOG = logging.getLogger(__name__)
# The modules the lesson's pages import on a first visit, in the lesson's order: matplotlib (Explore's
# figures), the registry, pandas and pyarrow (every chart and table), scipy (Draw's preparation),
# and scikit-learn (training a size that is not shipped; a shipped model is read without it).
LESSON_MODULES = ("digitlib.display.plots", "digitlib.svm.registry", "digitlib.svm.fast_predict",
                  "digitlib.scoring.evaluate", "digitlib.display.charts", "pyarrow.compute",
                  "digitlib.drawing.preprocess", "digitlib.svm.support_vectors", "digitlib.svm.fast_fit")
# What Draw's first answer imports: its preparation (scipy), its chart's table (pandas, pyarrow).
DRAW_MODULES = ("digitlib.drawing.preprocess", "digitlib.display.charts", "pyarrow.compute")
# The models the lesson opens first: Train's steps 1 and 2 (500 images is every page's default).
LESSON_SPECS = (ModelSpec(n=100), ModelSpec(n=500))
_started: set[str] = set()
_lock = threading.Lock()


def enabled() -> bool:
    return os.environ.get("DIGITS_WARMUP", "1") != "0"


def after_run(name: str, work: Callable[[], None], wait: bool = True) -> bool:
    """Run ``work`` once per server (by ``name``) in a daemon thread, after this script run and any
    rerun queued behind it have ended (now, without ``wait``); whether it was started now."""
    with _lock:
        if name in _started or not enabled():
            return False
        _started.add(name)
    run = threading.current_thread()

    def start() -> None:
        if wait and run is not threading.main_thread():
            run.join()  # Streamlit runs a session's scripts in a thread that ends when the session is idle
        try:
            work()
        except Exception:  # a warm-up is only a head start: the page does the same work if this fails
            _LOG.warning("warm-up %s failed", name, exc_info=True)

    threading.Thread(target=start, name=f"digits-warm-up-{name}", daemon=True).start()
    return True


def data() -> None:
    """Read the bundled MNIST and its fingerprint (a hash of 55 MB, which leaves Python's lock free too) now,
    beside this run."""
    after_run("data", lambda: resources.bundled_data().fingerprint, wait=False)


def lesson() -> None:
    """Import what the lesson's pages need; summarize MNIST's pixels and read the lesson's first models."""
    after_run("lesson", _lesson)


def draw() -> None:
    """Make Draw's first answer ready while the student draws: its model, a first prediction, the search."""
    after_run("draw", _draw)


def _lesson() -> None:
    for name in LESSON_MODULES:
        importlib.import_module(name)
    from digitlib.scoring import evaluate

    mnist = resources.bundled_data()
    resources.prepare_pixel_summary(mnist)
    registry = resources.shared_registry(mnist)
    for spec in LESSON_SPECS:
        if registry.get(spec) is not None:  # shipped or on disk; never trained here
            resources.evaluation(spec, evaluate.LESSON_TEST_SIZE, mnist)


def _draw() -> None:
    for name in DRAW_MODULES:
        importlib.import_module(name)
    mnist = resources.bundled_data()
    model = resources.ready_draw_model(mnist)
    if model is not None:
        model.votes(np.zeros((28, 28), dtype=np.uint8))  # the model's prediction arrays, prepared once
    resources.prepare_neighbour_index(mnist)
