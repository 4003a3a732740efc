"""The shipped models' answers on the test images, recorded when they were made.

Scoring the 60,000-image model on all 10,000 test images takes a few seconds of CPU and tens of
MB while it runs; the Evaluate page and the neural comparison ask for it in every lesson. So each
shipped model (``digitlib/assets/models``) comes with its predicted digit for every test image
in ``test-answers/svc-first-N.npz``: the answers of that exact model (its arrays' checksum), on
this exact data (its fingerprint), with the time predicting took for each of Evaluate's test
sizes and the size of the model's download. A server scores a shipped model from them without
predicting anything, and tells its file's size without building the file (+100 MB for 60,000).

A file is a ``.npz`` of two arrays, ``predictions`` (uint8, one per test image) and ``metadata``
(JSON as bytes), read with ``allow_pickle=False`` only when it is small enough, and used only when
every check passes (``load`` returns None otherwise and the model predicts as before).
``python -m scripts.ship_answers`` writes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitlib.svm import shipped

FOLDER_NAME = "test-answers"
FORMAT_VERSION = 1
# Evaluate's test sizes: the predicting time is recorded for each.
SIZES = (100, 500, 1000, 2000, 5000, 10_000)
MAX_FILE_BYTES = 2**20  # 10,000 answers compress to a few KB; anything bigger is not ours


@dataclass(frozen=True)
class Answers:
    """A shipped model's predicted digits on the test images and how long predicting took."""

    predictions: np.ndarray  # int64, one per test image
    seconds: dict[int, float]  # predicting the first n test images took this long, for n in SIZES
    file_bytes: int | None = None  # the size of the model's download (skops), if made with this skops version

    def first(self, n_test: int) -> tuple[np.ndarray, float] | None:
        """The answers on the first ``n_test`` test images and their time; None if that time was not recorded."""
        if n_test not in self.seconds or n_test > len(self.predictions):
            return None
        return self.predictions[:n_test], self.seconds[n_test]


def folder_for(models_folder: Path | None = None) -> Path:
    return Path(models_folder or shipped.SHIPPED_DIR) / FOLDER_NAME


def load(mnist, n: int, mode: str = "first", seed: int = 0, models_folder: Path | None = None) -> Answers | None:
    """The recorded answers of the shipped model for the first ``n`` training images, if they belong to
    that model file and to ``mnist`` and pass every check; else None."""
    path = folder_for(models_folder) / shipped.file_name(n, mode, seed)
    model_path = Path(models_folder or shipped.SHIPPED_DIR) / shipped.file_name(n, mode, seed)
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        model_meta = shipped.read_metadata(model_path)
        with np.load(path, allow_pickle=False) as archive:
            if sorted(archive.files) != ["metadata", "predictions"]:
                return None
            meta = json.loads(archive["metadata"].tobytes().decode())
            predictions = archive["predictions"]
    except Exception:  # unreadable or damaged (zipfile, zlib, numpy and json raise many types): predict instead
        return None
    if not _fits(meta, predictions, mnist, model_meta):
        return None
    seconds = {int(k): float(v) for k, v in meta["seconds"].items()}
    return Answers(predictions.astype(np.int64), seconds, _file_bytes(meta.get("download")))


def _file_bytes(download) -> int | None:
    """The download's recorded size, if skops has not changed since (its files differ between versions)."""
    import skops

    if (isinstance(download, dict) and download.get("skops") == skops.__version__
            and isinstance(download.get("bytes"), int) and download["bytes"] > 0):
        return download["bytes"]
    return None


def _fits(meta, predictions: np.ndarray, mnist, model_meta: dict) -> bool:
    n_test = len(mnist.y_test)
    try:
        seconds = {int(k): float(v) for k, v in meta["seconds"].items()}
        return (isinstance(meta, dict) and meta.get("format") == FORMAT_VERSION
                and meta.get("data_fingerprint") == mnist.fingerprint
                and meta.get("model_arrays_sha256") == model_meta.get("arrays_sha256")
                and predictions.dtype == np.uint8 and predictions.shape == (n_test,)
                and int(predictions.max(initial=0)) <= 9
                and meta.get("predictions_sha256") == _hash(predictions)
                and all(0 < n <= n_test and np.isfinite(s) and s >= 0 for n, s in seconds.items()))
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def save(mnist, n: int, predictions: np.ndarray, seconds: dict[int, float], mode: str = "first", seed: int = 0,
         models_folder: Path | None = None, file_bytes: int | None = None) -> Path:
    """Write the answers of the shipped model for ``n`` (its file must be there) on all of ``mnist``'s test
    images, atomically; ``file_bytes``: the size of its download (``model_files.export``)."""
    import skops

    model_meta = shipped.read_metadata(Path(models_folder or shipped.SHIPPED_DIR) / shipped.file_name(n, mode, seed))
    predictions = np.asarray(predictions)
    if predictions.shape != (len(mnist.y_test),) or predictions.min() < 0 or predictions.max() > 9:
        raise ValueError("one digit 0-9 per test image expected")  # English: a maintainer's script
    predictions = predictions.astype(np.uint8)
    meta = {"format": FORMAT_VERSION, "data_fingerprint": mnist.fingerprint,
            "model_file": shipped.file_name(n, mode, seed), "model_arrays_sha256": model_meta["arrays_sha256"],
            "predictions_sha256": _hash(predictions), "seconds": {str(k): float(v) for k, v in seconds.items()},
            "accuracy": float(np.mean(predictions == np.asarray(mnist.y_test)))}
    if file_bytes:
        meta["download"] = {"skops": skops.__version__, "bytes": int(file_bytes)}
    folder = folder_for(models_folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / shipped.file_name(n, mode, seed)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
        try:
            np.savez_compressed(tmp, predictions=predictions,
                                metadata=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8))
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)
    return target


def _hash(predictions: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(predictions, dtype=np.uint8).tobytes()).hexdigest()
