"""Trained networks on disk: the Keras file, the weights and test predictions, and the facts about it.

Each network is three files named by its key: ``KEY.keras`` (Keras's own format, for
TensorFlow users and the worker, always loaded with ``safe_mode``), ``KEY.npz`` (the
weights and the predictions on the test images, read with ``allow_pickle=False``) and
``KEY.json`` (how it was trained and how it did). The worker writes the JSON last, so
a network counts as trained only once its files are complete (the networks that ship
with the app have no ``.keras`` file). Nothing here imports
TensorFlow; nothing is ever unpickled.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitlib.errors import ModelCacheError
from digitlib.language import N_, _
from digitlib.mnist import sampling

from . import architecture
from .forward import Network

TEMP_SUFFIX = ".tmp"  # as the SVM store's, so its sweep of stale temporaries covers these
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "assets" / "neural"
HISTORY_KEYS = ("loss", "accuracy", "val_accuracy")


def default_dir() -> Path:
    """Where trained networks are kept: a ``neural`` folder beside the SVMs (``DIGITS_CACHE_DIR``)."""
    from digitlib.svm import model_files  # the worker does not need skops and scikit-learn

    return model_files.default_dir() / "neural"


@dataclass(frozen=True)
class TrainedNetwork:
    """A trained network with its test predictions and the facts of its training."""

    key: str
    network: Network
    predictions: np.ndarray  # predicted digit for each of the first n_test test images
    meta: dict

    @property
    def n_test(self) -> int:
        return len(self.predictions)

    @property
    def accuracy(self) -> float:
        return float(self.meta["test_accuracy"])

    @property
    def fit_seconds(self) -> float:
        return float(self.meta["fit_seconds"])

    @property
    def predict_seconds(self) -> float:
        """Keras's time to predict the test images, in the worker."""
        return float(self.meta["predict_seconds"])

    @property
    def file_bytes(self) -> int:
        """Size of the ``.keras`` file."""
        return int(self.meta["keras_bytes"])

    @property
    def history(self) -> dict:
        return {k: list(self.meta["history"].get(k, [])) for k in HISTORY_KEYS}

    @property
    def n_train(self) -> int:
        return int(self.meta["n"])

    @property
    def sample_description(self) -> str:
        """For example "first 500 training images", with ", augmented" when it was."""
        described = sampling.describe(str(self.meta.get("mode") or "first"), self.n_train,
                                      int(self.meta.get("seed", 0)))
        return _("{sample}, augmented").format(sample=described) if self.meta.get("augment") else described

    @property
    def shipped(self) -> bool:
        return bool(self.meta.get("shipped", False))


def paths(folder: Path, key: str) -> dict[str, Path]:
    folder = Path(folder)
    return {suffix: folder / f"{key}.{suffix}" for suffix in ("keras", "npz", "json")}


def exists(folder: Path, key: str) -> bool:
    return paths(folder, key)["json"].is_file()


def load(folder: Path, key: str) -> TrainedNetwork | None:
    """The trained network under ``key``, or None if it is not there; ``ModelCacheError`` if damaged."""
    p = paths(folder, key)
    if not p["json"].is_file():
        return None
    try:
        meta = json.loads(p["json"].read_text())
        with np.load(p["npz"], allow_pickle=False) as arrays:
            network = Network.from_arrays({k: arrays[k] for k in architecture.WEIGHTS if k in arrays.files})
            predictions = arrays["predictions"].astype(np.int64)
        for needed in ("test_accuracy", "fit_seconds", "predict_seconds", "keras_bytes", "history", "n", "description"):
            meta[needed]  # a KeyError means a damaged file
    except ModelCacheError:
        raise
    # A truncated npz raises one of the middle two.
    except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as exc:
        raise ModelCacheError(N_("The saved neural network {key} is damaged ({problem}); it will be trained again."),
                              key=key, problem=type(exc).__name__) from exc
    return TrainedNetwork(key, network, predictions, meta)


def discard(folder: Path, key: str) -> None:
    """Remove a network's files (a damaged one, before training it again)."""
    for path in paths(folder, key).values():
        path.unlink(missing_ok=True)


def write_arrays(folder: Path, key: str, weights: dict, predictions: np.ndarray) -> Path:
    """Write the weights and predictions atomically."""
    target = paths(folder, key)["npz"]
    _atomic(target, lambda f: np.savez(f, predictions=predictions.astype(np.uint8), **weights))
    return target


def write_meta(folder: Path, key: str, meta: dict) -> Path:
    """Write the facts last: from now on the network counts as trained."""
    target = paths(folder, key)["json"]
    _atomic(target, lambda f: f.write(json.dumps(meta, indent=1).encode()))
    return target


def shipped(mode: str = "first", folder: Path | None = None) -> list[TrainedNetwork]:
    """The networks that come ready-made with the app, smallest first (none if damaged)."""
    out = []
    for meta_path in sorted(Path(folder or SHIPPED_DIR).glob(f"cnn-{mode}-*.json")):
        try:
            net = load(meta_path.parent, meta_path.stem)
        except ModelCacheError:
            continue
        if net is not None:
            out.append(net)
    return sorted(out, key=lambda net: net.n_train)


def _atomic(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
