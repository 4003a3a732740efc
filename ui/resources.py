"""What the app caches and what each session remembers.

Data and models live in ``st.cache_resource``: one copy shared by every session,
bounded with ``max_entries`` so a classroom cannot fill the server's memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from digitlib import data, evaluate, sampling, store
from digitlib.errors import DigitsError
from digitlib.model import SvmSettings

LESSON_SIZE = 500
DRAW_SIZE = 10_000
SLIDER_SIZES = [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500,
                10_000, 15_000, 20_000, 30_000, 40_000, 50_000, 60_000]
# Above this many images, training waits for a click (plain SVC needs minutes at 60k).
AUTO_TRAIN_LIMIT = 5000


@dataclass(frozen=True)
class ModelSpec:
    """Everything that decides a trained model, hashable for caching."""

    n: int = LESSON_SIZE
    mode: str = "first"
    seed: int = 0
    C: float = 1.0
    gamma: str | float = "scale"
    kernel: str = "rbf"

    @property
    def settings(self) -> SvmSettings:
        return SvmSettings(C=self.C, gamma=self.gamma, kernel=self.kernel)

    def label(self) -> str:
        return f"{sampling.describe(self.mode, self.n, self.seed)}, {self.settings.describe()}"


@st.cache_resource(max_entries=2, show_spinner="Loading MNIST…")
def _bundled() -> data.Mnist:
    return data.load("bundled")


@st.cache_resource(max_entries=1, show_spinner="Loading MNIST through keras (imports TensorFlow)…")
def _keras() -> data.Mnist:
    return data.load("keras")


@st.cache_resource(max_entries=2, show_spinner="Reading the uploaded files…")
def _uploaded(digest: str, _files: dict[str, bytes]) -> data.Mnist:
    return data.from_uploads(_files)


def current_data() -> data.Mnist:
    """The session's data set (bundled unless the Home page chose another)."""
    choice = st.session_state.get("data_source", "bundled")
    try:
        if choice == "keras":
            return _keras()
        if choice == "upload" and st.session_state.get("uploaded_files"):
            files = st.session_state["uploaded_files"]
            return _uploaded(_digest(files), files)
    except DigitsError as exc:
        st.session_state["data_source"] = "bundled"
        st.warning(f"{exc} Using the bundled copy instead.")
    return _bundled()


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode())
        h.update(hashlib.sha256(files[name]).digest())
    return h.hexdigest()


@st.cache_resource(max_entries=12, show_spinner=False)
def _model(fingerprint: str, spec: ModelSpec, _mnist: data.Mnist):
    sample = sampling.choose(_mnist.y_train, spec.n, spec.mode, spec.seed)
    model, _loaded = store.load_or_train(_mnist, sample, spec.settings)
    return model


def model(spec: ModelSpec, mnist: data.Mnist | None = None):
    """The trained model for ``spec`` (memory cache, then disk, then training)."""
    mnist = mnist or current_data()
    return _model(mnist.fingerprint, spec, mnist)


def is_ready(spec: ModelSpec, mnist: data.Mnist) -> bool:
    """Whether ``spec`` can be answered without training (in memory or on disk)."""
    if spec in st.session_state.setdefault("trained_specs", []):
        return True
    key = store.model_key(mnist.fingerprint, spec.mode, spec.n, spec.seed, spec.settings)
    return (store.default_dir() / (key + store.SUFFIX)).exists()


@st.cache_resource(max_entries=48, show_spinner=False)
def _evaluation(fingerprint: str, spec: ModelSpec, n_test: int, _mnist: data.Mnist):
    return evaluate.evaluate(model(spec, _mnist), _mnist.x_test, _mnist.y_test, n_test)


def evaluation(spec: ModelSpec, n_test: int, mnist: data.Mnist | None = None):
    """The cached evaluation of ``spec``'s model on the first ``n_test`` test images."""
    mnist = mnist or current_data()
    return _evaluation(mnist.fingerprint, spec, n_test, mnist)


def session_spec() -> ModelSpec | None:
    """The model the user trained on the Train page in this session, if any."""
    return st.session_state.get("model_spec")


def remember(spec: ModelSpec) -> None:
    """Make ``spec`` the session's model and add it to the learning curve."""
    st.session_state["model_spec"] = spec
    trained = st.session_state.setdefault("trained_specs", [])
    if spec not in trained:
        trained.append(spec)
