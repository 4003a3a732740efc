"""Saving trained models to disk so a restarted app need not train again.

Models are written with ``skops.io``, which stores the estimator's arrays and
parameters and never runs code when loading: a file is read only if every type
it names is one skops already trusts (scikit-learn estimators, numpy arrays,
builtins) or is on ``TRUSTED_TYPES``. A tampered or damaged file raises
``ModelCacheError`` and is treated as missing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from digitlib.errors import ModelCacheError
from digitlib.language import N_
from digitlib.language.messages import Message
from digitlib.svm.model import DigitModel, SvmSettings, sklearn_version
from digitlib.svm.ready_svc import as_sklearn

# skops.io is imported where a file is written or read: its import takes 0.3-0.8 s, which pages that use only
# the shipped models should not pay.

# Types beyond skops's safe defaults that a model file may name. None are needed:
# a DigitModel is stored as a plain dict holding the SVC and builtin values.
TRUSTED_TYPES: list[str] = []
FORMAT_VERSION = 2
SUFFIX = ".skops"
TEMP_SUFFIX = ".tmp"


def default_dir() -> Path:
    """Where models are kept: ``$DIGITS_CACHE_DIR``, else ``~/.cache/digits/models``."""
    env = os.environ.get("DIGITS_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "digits" / "models"


def model_key(data_fingerprint: str, sampling_mode: str, n: int, seed: int, settings: SvmSettings) -> str:
    """A file-name-safe key naming everything that decides the trained model."""
    spec = json.dumps(
        [FORMAT_VERSION, sklearn_version(), data_fingerprint, sampling_mode, n, seed,
         settings.kernel, settings.C, settings.gamma],
        sort_keys=True,
    )
    return f"svc-{sampling_mode}-{n}-" + hashlib.sha256(spec.encode()).hexdigest()[:16]


def save(model: DigitModel, key: str, folder: Path | None = None) -> Path:
    """Write ``model`` under ``key`` atomically; return the file's path."""
    import skops.io as sio

    folder = Path(folder or default_dir())
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT_VERSION,
        "sklearn": sklearn_version(),
        "estimator": as_sklearn(model.estimator),
        "settings": {"C": float(model.settings.C), "gamma": model.settings.gamma, "kernel": model.settings.kernel},
        "sample_description": model.sample_description,
        "n_train": int(model.n_train),
        "fit_seconds": float(model.fit_seconds),
        "train_label_counts": [int(c) for c in model.train_label_counts],
    }
    target = folder / (key + SUFFIX)
    # Write to a temporary file first so a crash never leaves half a model under the real name;
    # a full disk leaves nothing behind either.
    with tempfile.NamedTemporaryFile(dir=folder, suffix=TEMP_SUFFIX, delete=False) as tmp:
        try:
            sio.dump(payload, tmp, compression=zipfile.ZIP_DEFLATED)
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            tmp.close()
            Path(tmp.name).unlink(missing_ok=True)
            raise
    os.replace(tmp.name, target)
    return target


def sweep(folder: Path | None = None, older_than: float = 3600.0) -> int:
    """Delete temporary files that a killed process left half-written (models, and the shipped models'
    mapped support vectors in ``mapped/``); returns how many."""
    folder = Path(folder or default_dir())
    removed = 0
    try:
        for path in [*folder.glob("*" + TEMP_SUFFIX), *folder.glob("mapped/*" + TEMP_SUFFIX)]:
            if time.time() - path.stat().st_mtime > older_than:
                path.unlink(missing_ok=True)
                removed += 1
    except OSError:
        pass  # an unreadable folder holds nothing we could load anyway
    return removed


def unwritable_message(exc: OSError) -> Message:
    """What a teacher needs to know when models cannot be saved (``str()`` writes it in the reader's language)."""
    if exc.errno == errno.ENOSPC:
        return Message(N_("Trained models are kept in memory only: the disk is full. The app works as usual, "
                          "but a restart will train them again."))
    return Message(N_("Trained models are kept in memory only: the model folder cannot be written. The app works "
                      "as usual, but a restart will train them again."))


def load(key: str, folder: Path | None = None) -> DigitModel | None:
    """The model saved under ``key``, or None if there is none.

    Raises ``ModelCacheError`` if the file exists but is damaged or untrusted.
    """
    path = Path(folder or default_dir()) / (key + SUFFIX)
    if not path.exists():
        return None
    import skops.io as sio

    try:
        untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    except Exception as exc:  # skops raises many types on a broken zip or schema
        raise ModelCacheError(N_("The saved model {name} is damaged ({problem}); it will be retrained."),
                              name=path.name, problem=type(exc).__name__) from exc
    if untrusted:
        raise ModelCacheError(
            N_("The saved model {name} names types that are not trusted ({types}); "
               "it was not loaded and will be retrained."), name=path.name, types=", ".join(sorted(untrusted)))
    try:
        payload = sio.load(path, trusted=TRUSTED_TYPES)
        if payload.get("format") != FORMAT_VERSION:
            raise ValueError(Message(N_("format version differs")))
        if payload.get("sklearn") != sklearn_version():
            raise ValueError(Message(N_("made with scikit-learn {made}, this server runs {runs}"),
                                     made=str(payload.get("sklearn", "unknown")), runs=sklearn_version()))
        return DigitModel(
            estimator=payload["estimator"],
            settings=SvmSettings(**payload["settings"]),
            sample_description=payload["sample_description"],
            n_train=payload["n_train"],
            fit_seconds=payload["fit_seconds"],
            train_label_counts=np.asarray(payload["train_label_counts"]),
        )
    except Exception as exc:
        problem = exc.args[0] if isinstance(exc, ValueError) and exc.args and isinstance(exc.args[0], Message) else exc
        raise ModelCacheError(N_("The saved model {name} could not be read ({problem}); it will be retrained."),
                              name=path.name, problem=problem) from exc


def export(model: DigitModel) -> bytes:
    """The model's fitted ``SVC`` alone as skops bytes: a file plain scikit-learn loads (README)."""
    import skops.io as sio

    return sio.dumps(as_sklearn(model.estimator), compression=zipfile.ZIP_DEFLATED)


def read_export(data: bytes):
    """The ``SVC`` in ``export``'s bytes, by ``load``'s rule: no type outside skops's safe defaults
    and ``TRUSTED_TYPES``. Raises ``ModelCacheError`` otherwise."""
    import skops.io as sio

    untrusted = set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES)
    if untrusted:
        raise ModelCacheError(N_("The model file names types that are not trusted ({types})."),
                              types=", ".join(sorted(untrusted)))
    return sio.loads(data, trusted=TRUSTED_TYPES)


def discard(key: str, folder: Path | None = None) -> None:
    """Remove a saved model (for example a damaged one); no error if it is absent."""
    (Path(folder or default_dir()) / (key + SUFFIX)).unlink(missing_ok=True)

