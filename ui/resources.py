"""What the app caches and what each session remembers.

The data and the model registry live in ``st.cache_resource``: one copy shared by
every session, bounded with ``max_entries`` so a classroom cannot fill the
server's memory. The registry itself bounds the models it keeps in memory.
Uploaded data sets too: a session keeps only the hash of its upload, never the files.
"""

from __future__ import annotations

import hashlib
import io
import os
from typing import TYPE_CHECKING

import streamlit as st

from digitlib import serving
from digitlib.drawing import neighbours
from digitlib.errors import DataFileError, DigitsError
from digitlib.language import N_, _, current, ngettext
from digitlib.language.messages import Message
from digitlib.mnist import data, pixels
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec

if TYPE_CHECKING:  # scikit-learn, skops and matplotlib load with the first page that needs them, not on Home
    from digitlib.scoring import evaluate
    from digitlib.svm.registry import Registry

serving.tune()  # one BLAS thread per session thread, two malloc arenas: see digitlib/serving.py

LESSON_SIZE = 500
# The Draw page's model when nothing bigger has been trained yet.
DRAW_SIZE = 10_000
SLIDER_SIZES = [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500,
                10_000, 15_000, 20_000, 30_000, 40_000, 50_000, 60_000]
# The most images any model here may train on. Training needs more memory as N grows
# (README, "Deploy"): on the smallest hosted tier set DIGITS_MAX_TRAIN=20000.
MAX_TRAIN = int(os.environ.get("DIGITS_MAX_TRAIN", "60000"))
# Up to this many images a session trains while it waits (about a second);
# bigger models train on the background worker while the page shows progress.
WAIT_LIMIT = 5000


BUNDLED_FIX = N_("The app ships this file: restore it with `git checkout digitlib/assets/mnist.npz`, or rebuild it "
               "from the original MNIST files with `python -m scripts.bundle_mnist`. Meanwhile the Home page "
               "can load your own copy (“My own files”).")


# Spinners are drawn by the callers (st.spinner), in the reader's language.
@st.cache_resource(max_entries=1, show_spinner=False)
def _bundled() -> data.Mnist:
    return data.load("bundled")


@st.cache_resource(max_entries=1, show_spinner=False)
def _keras() -> data.Mnist:
    return data.load("keras")


@st.cache_resource(max_entries=2, show_spinner=False)
def _uploaded(digest: str, _files: dict[str, bytes] | None) -> data.Mnist:
    if _files is None:  # asked for by hash alone: other uploads have pushed these out since
        raise DataFileError(_("your uploaded files"), Message(N_("this server no longer holds them (other uploads "
                                                                "came since); upload them again.")))
    return data.from_uploads(_files)


def use_uploads(uploads) -> data.Mnist:
    """Make uploaded files (``st.file_uploader``'s) the session's data: read once, checked from their
    headers first, into a cache all sessions share; the session keeps only their hash."""
    if len(uploads) > len(data.IDX_NAMES):
        raise DataFileError(ngettext("{n} file", "{n} files", len(uploads)).format(n=len(uploads)),
                            Message(N_("upload either one .npz file or the four IDX files")))
    files = {f.name: f.getvalue() for f in uploads}
    digest = _digest(files)
    with st.spinner(_("Reading the uploaded files…")):
        mnist = _uploaded(digest, files)
    st.session_state["uploaded_digest"] = digest
    st.session_state["data_source"] = "upload"
    return mnist


def current_data() -> data.Mnist:
    """The session's data set (bundled unless the Home page chose another)."""
    choice = st.session_state.get("data_source", "bundled")
    try:
        if choice == "keras":
            with st.spinner(_("Loading MNIST through keras (in a separate process)…")):
                return _keras()
        if choice == "upload" and st.session_state.get("uploaded_digest"):
            with st.spinner(_("Reading the uploaded files…")):
                return _uploaded(st.session_state["uploaded_digest"], None)
    except DigitsError as exc:
        st.session_state["data_source"] = "bundled"
        st.warning(_("{error} Using the bundled copy instead.").format(error=exc))
    try:
        with st.spinner(_("Loading MNIST…")):
            return _bundled()
    except DataFileError as exc:
        st.error(f"{exc}. {_(BUNDLED_FIX)}", icon=":material/error:")
        st.stop()


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode())
        h.update(hashlib.sha256(files[name]).digest())
    return h.hexdigest()


@st.cache_resource(max_entries=3, show_spinner=False)
def _registry(fingerprint: str, _mnist: data.Mnist) -> Registry:
    from digitlib.svm.registry import Registry

    reg = Registry(_mnist)
    # Train the learning-curve sizes in the background, once per server and data set;
    # the disk store keeps them across restarts. DIGITS_WARMUP=0 turns this off.
    if os.environ.get("DIGITS_WARMUP", "1") != "0":
        reg.warm_up([ModelSpec(n=n) for n in CURVE_SIZES if n <= min(len(_mnist.y_train), MAX_TRAIN)])
    return reg


def registry(mnist: data.Mnist | None = None) -> Registry:
    """The shared model registry for the session's data set; shows its notices once per session."""
    mnist = mnist or current_data()
    reg = _registry(mnist.fingerprint, mnist)
    seen = st.session_state.setdefault("notices_seen", set())
    for text in reg.notices():
        if text not in seen:
            seen.add(text)
            st.warning(text, icon=":material/info:")
    return reg


def model(spec: ModelSpec, mnist: data.Mnist | None = None) -> DigitModel:
    """The trained model for ``spec`` (memory, then disk, then training in this session)."""
    return registry(mnist).ensure(spec)


def draw_model(mnist: data.Mnist | None = None) -> DigitModel:
    """The best model with the lesson's settings: the largest one trained, at least DRAW_SIZE images."""
    reg = registry(mnist)
    best, fallback = _draw_choice(reg)
    return best or reg.ensure(fallback)


def _draw_choice(reg: Registry) -> tuple[DigitModel | None, ModelSpec]:
    """Draw's model if the largest one with the lesson's settings has at least DRAW_SIZE images (else None), and
    the model to use otherwise."""
    best = reg.best(ModelSpec().family())
    fallback = ModelSpec(n=min(DRAW_SIZE, len(reg.mnist.y_train)))
    return (best if best is not None and best.n_train >= DRAW_SIZE else None), fallback


@st.cache_resource(max_entries=64, show_spinner=False)
def _evaluation(fingerprint: str, spec: ModelSpec, n_test: int, _mnist: data.Mnist) -> evaluate.Evaluation:
    from digitlib.scoring import evaluate, shipped_answers

    reg = _registry(fingerprint, _mnist)
    if spec in reg.shipped:  # its answers came with it: nothing to predict
        answers = shipped_answers.load(_mnist, spec.n, spec.mode, spec.seed, reg.shipped_folder)
        recorded = answers.first(n_test) if answers is not None else None
        if recorded is not None:
            return evaluate.score(_mnist.y_test[:n_test], *recorded, recorded=True)
    result = evaluate.evaluate(model(spec, _mnist), _mnist.x_test, _mnist.y_test, n_test)
    serving.release_memory()  # the prediction's temporaries, from whichever session thread ran it
    return result


@st.cache_resource(max_entries=16, show_spinner=False)
def _file_bytes(fingerprint: str, spec: ModelSpec, _model: DigitModel, _mnist: data.Mnist) -> int:
    from digitlib.scoring import shipped_answers
    from digitlib.svm import model_files

    reg = _registry(fingerprint, _mnist)
    if spec in reg.shipped and _model.precomputed:
        answers = shipped_answers.load(_mnist, spec.n, spec.mode, spec.seed, reg.shipped_folder)
        if answers is not None and answers.file_bytes:
            return answers.file_bytes
    size = len(model_files.export(_model))  # the 60,000-image model: 1.9 s and 100 MB while it is built
    serving.release_memory()
    return size


@st.cache_resource(max_entries=2, show_spinner=False)
def _model_file(fingerprint: str, spec: ModelSpec, _model: DigitModel) -> bytes:
    from digitlib.svm import model_files

    exported = model_files.export(_model)
    serving.release_memory()
    return exported


def model_file(spec: ModelSpec, model: DigitModel, mnist: data.Mnist) -> bytes:
    """``spec``'s model as a download (skops), built once however many students press Download at once
    (the 60,000-image model's 4 MB take 2 s and 100-180 MB while they are built) and kept for the next."""
    return _model_file(mnist.fingerprint, spec, model)


def model_file_bytes(spec: ModelSpec, model: DigitModel, mnist: data.Mnist | None = None) -> int:
    """The size of ``spec``'s model as a download (skops): recorded for a shipped model, else measured once."""
    mnist = mnist or current_data()
    return _file_bytes(mnist.fingerprint, spec, model, mnist)


def evaluation(spec: ModelSpec, n_test: int, mnist: data.Mnist | None = None) -> evaluate.Evaluation:
    """The cached evaluation of ``spec``'s model on the first ``n_test`` test images."""
    mnist = mnist or current_data()
    return _evaluation(mnist.fingerprint, spec, n_test, mnist)


def session_spec() -> ModelSpec | None:
    """The model the user trained on the Train page in this session, if any."""
    return st.session_state.get("model_spec")


def remember(spec: ModelSpec) -> None:
    """Make ``spec`` the session's model."""
    st.session_state["model_spec"] = spec


@st.cache_resource(max_entries=1, show_spinner=False)
def _neighbour_index(fingerprint: str, _mnist: data.Mnist) -> neighbours.Index:
    return neighbours.Index(_mnist.x_train)


def neighbour_index(mnist: data.Mnist | None = None) -> neighbours.Index:
    """The nearest-image search over the training images, prepared once for every session."""
    mnist = mnist or current_data()
    with st.spinner(_("Preparing the closest-image search…")):
        return _neighbour_index(mnist.fingerprint, mnist)


@st.cache_resource(max_entries=3, show_spinner=False)
def _pixel_summary(fingerprint: str, _mnist: data.Mnist) -> pixels.PixelSummary:
    return pixels.summarize(_mnist.x_train, _mnist.y_train)


def pixel_summary(mnist: data.Mnist | None = None) -> pixels.PixelSummary:
    """Each digit's mean image and each pixel's ink count over the training images, computed once."""
    mnist = mnist or current_data()
    with st.spinner(_("Averaging the training images…")):
        return _pixel_summary(mnist.fingerprint, mnist)


def figure(name: str, *args, **kwargs) -> bytes:
    """``digitlib.display.plots.<name>(*args)`` rendered once per language to PNG and reused.

    Rendering a figure takes 0.2-0.4 s; a teacher moving back and forth on the slider
    should not wait for the same picture twice.
    """
    return _figure(name, current(), *args, **kwargs)


@st.cache_data(max_entries=96, show_spinner=False)  # PNGs of 16-84 KB: at most about 8 MB
def _figure(name: str, lang: str, *args, **kwargs) -> bytes:
    """``figure``'s cache: keyed on the language too, since titles, axes and numbers are the reader's."""
    from digitlib.display import plots

    fig = getattr(plots, name)(*args, **kwargs)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


figure.clear = _figure.clear  # empties the cache of every language


# -- the same shared caches, filled outside a script run (ui.warm_up): no spinner, no notice -----------
def bundled_data() -> data.Mnist:
    """The bundled MNIST, read once per server."""
    return _bundled()


def shared_registry(mnist: data.Mnist) -> Registry:
    """``mnist``'s model registry, without showing its notices to anyone."""
    return _registry(mnist.fingerprint, mnist)


def prepare_pixel_summary(mnist: data.Mnist) -> None:
    """Explore's mean images and ink counts, computed now for the pages that will ask."""
    _pixel_summary(mnist.fingerprint, mnist)


def ready_draw_model(mnist: data.Mnist) -> DigitModel | None:
    """The model ``draw_model`` would pick, if it can be read without training one."""
    reg = shared_registry(mnist)
    best, fallback = _draw_choice(reg)
    return best or reg.get(fallback)


def prepare_neighbour_index(mnist: data.Mnist) -> None:
    """Draw's closest-image search, built now for the pages that will ask."""
    _neighbour_index(mnist.fingerprint, mnist)
