"""Learning-curve models shipped in the repository, so a small server never has to train them.

A fitted RBF ``SVC`` keeps its support vectors, and those are training images. So a model
is stored as *which* rows of its training sample are support vectors, plus libsvm's
coefficients (``n_support``, dual coefficients, intercepts, gamma, classes), and its
support vectors are rebuilt from the bundled MNIST when it is loaded: the 60,000-image
model takes well under a megabyte instead of the 77 MB of its float64 support vectors.

Files are compressed ``.npz`` archives of plain numeric arrays with JSON metadata inside
(format, scikit-learn version, data fingerprint, spec, fit time, accuracies), read with
``allow_pickle=False``: loading never runs code. A file written for another scikit-learn
version, another data set or another sample is ignored (``load`` returns None and the app
trains as before); a damaged one raises ``ShippedModelError``. ``python -m scripts.ship_models``
writes them. Only the lesson's settings (C=1, gamma="scale", RBF kernel) are shipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from digitlib.errors import ShippedModelError
from digitlib.language import N_, _
from digitlib.language.messages import Message
from digitlib.mnist import sampling
from digitlib.svm import fast_predict
from digitlib.svm.model import DigitModel, SvmSettings, sklearn_version
from digitlib.svm.ready_svc import ReadySVC, as_sklearn

if TYPE_CHECKING:
    from sklearn.svm import SVC

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "assets" / "models"
FORMAT_VERSION = 1
SUFFIX = ".npz"
LESSON_SETTINGS = SvmSettings()
N_FEATURES = 784
# The arrays of a shipped model and the dtypes they are stored in.
ARRAYS = {
    "support": np.int32,  # est.support_: positions in the training sample, grouped by digit
    "n_support": np.int32,
    "dual_coef": np.float64,
    "intercept": np.float64,
    "gamma": np.float64,  # 0-d: the number gamma="scale" resolved to
    "classes": None,  # the labels' own integer dtype (uint8 for MNIST)
    "class_weight": np.float64,
    "n_iter": np.int32,
}


def file_name(n: int, mode: str = "first", seed: int = 0) -> str:
    """The file holding the lesson's model on this sample, e.g. ``svc-first-500.npz``."""
    return f"svc-{mode}-{n}" + ("" if mode == "first" else f"-seed{seed}") + SUFFIX


def save(model: DigitModel, sample: sampling.Sample, mnist, folder: Path | None = None,
         accuracy: dict | None = None) -> Path:
    """Write ``model``, trained on ``sample`` of ``mnist``'s training images, atomically.

    ``accuracy`` (e.g. ``{"first_100": 0.68, "all_10000": 0.8711}``) is kept in the metadata.
    The arrays are checked to rebuild exactly ``model.estimator`` before anything is written.
    """
    if model.settings != LESSON_SETTINGS:
        raise ValueError(_("Only the lesson's settings are shipped, not {settings}.").format(
            settings=model.settings.describe()))
    if model.n_train != sample.size:
        raise ValueError(_("The model learned from {n} images, the sample holds {size}.").format(
            n=model.n_train, size=sample.size))
    est = model.estimator
    arrays = {
        "support": est.support_,
        "n_support": est._n_support,
        "dual_coef": est._dual_coef_,
        "intercept": est._intercept_,
        "gamma": np.asarray(est._gamma),
        "classes": est.classes_,
        "class_weight": est.class_weight_,
        "n_iter": est._num_iter,
    }
    arrays = {k: np.array(v, dtype=ARRAYS[k], order="C") for k, v in arrays.items()}
    rebuilt = _rebuild(arrays, mnist.x_train, sample, model.settings)
    differences = differing_attributes(est, rebuilt)
    if differences:
        raise ValueError(_("The stored arrays would not rebuild this model exactly (differs: {names}).").format(
            names=", ".join(differences)))
    meta = {
        "format": FORMAT_VERSION,
        "sklearn_version": sklearn_version(),
        "numpy_version": np.__version__,
        "data_fingerprint": mnist.fingerprint,
        "spec": _spec(sample.size, sample.mode, sample.seed, model.settings),
        "sample_sha256": _sample_hash(sample.indices),
        "arrays_sha256": _arrays_hash(arrays),
        "sample_description": model.sample_description,
        "fit_seconds": float(model.fit_seconds),
        "train_label_counts": [int(c) for c in model.train_label_counts],
        "n_support_vectors": int(est.support_.size),
        "accuracy": accuracy or {},
    }
    folder = Path(folder or SHIPPED_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(sample.size, sample.mode, sample.seed)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
        try:
            np.savez_compressed(tmp, metadata=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8),
                                **arrays)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    os.chmod(tmp.name, 0o644)  # a file for the repository, readable by all
    os.replace(tmp.name, target)
    return target


def load(mnist, n: int, mode: str = "first", seed: int = 0, settings: SvmSettings | None = None,
         folder: Path | None = None, mapped_dir: Path | None = None) -> DigitModel | None:
    """The shipped model for this spec on ``mnist``, or None if none is shipped that fits.

    None when no file exists, the settings are not the lesson's, or the file was written by
    another scikit-learn version, for other data or another sample. Raises
    ``ShippedModelError`` when the file is damaged. With ``mapped_dir`` (a writable folder), the
    float64 support vectors live in a file there, mapped into memory (``_mapped``).
    """
    settings = settings or LESSON_SETTINGS
    if settings != LESSON_SETTINGS:
        return None
    path = Path(folder or SHIPPED_DIR) / file_name(n, mode, seed)
    if not path.exists():
        return None
    meta, arrays = _read(path, with_arrays=True)
    if not usable(meta, mnist):
        return None
    if meta.get("spec") != _spec(n, mode, seed, settings):
        raise ShippedModelError(_damaged(path, Message(N_("it holds the model for {spec}, not for its name"),
                                                       spec=str(meta.get("spec")))))
    sample = sampling.choose(mnist.y_train, n, mode, seed)
    if meta.get("sample_sha256") != _sample_hash(sample.indices):
        return None  # trained on another sample (the sampling code changed): train instead
    if meta.get("arrays_sha256") != _arrays_hash(arrays):
        raise ShippedModelError(_damaged(path, Message(N_("its arrays do not match their checksum"))))
    try:
        problem = _structure_problem(arrays, np.asarray(mnist.y_train)[sample.indices], settings)
        if problem:
            raise ShippedModelError(_damaged(path, problem))
        return DigitModel(
            estimator=_rebuild(arrays, mnist.x_train, sample, settings,
                               mapped_dir and Path(mapped_dir) / f"{path.stem}-{meta['arrays_sha256'][:16]}.f64"),
            settings=settings,
            sample_description=str(meta["sample_description"]),
            n_train=sample.size,
            fit_seconds=float(meta["fit_seconds"]),
            train_label_counts=np.bincount(np.asarray(mnist.y_train)[sample.indices], minlength=10),
        )
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise ShippedModelError(_damaged(path, _Failure(exc))) from exc


def support_counts(mnist, n: int, mode: str = "first", seed: int = 0, folder: Path | None = None) -> np.ndarray | None:
    """Support vectors per digit (10,) of the shipped model ``load`` would use, read without
    rebuilding it (no support vector images); None if none is shipped that fits or it is damaged."""
    path = Path(folder or SHIPPED_DIR) / file_name(n, mode, seed)
    if not path.exists():
        return None
    try:
        meta, arrays = _read(path, with_arrays=True)
    except ShippedModelError:
        return None
    if (not usable(meta, mnist) or meta.get("spec") != _spec(n, mode, seed, LESSON_SETTINGS)
            or meta.get("arrays_sha256") != _arrays_hash(arrays)):
        return None
    counts = np.zeros(10, dtype=np.int64)
    counts[arrays["classes"].astype(int)] = arrays["n_support"]
    return counts


def usable(meta: dict, mnist) -> bool:
    """Whether metadata from ``read_metadata`` belongs to this format, scikit-learn version and data."""
    return (meta.get("format") == FORMAT_VERSION and meta.get("sklearn_version") == sklearn_version()
            and meta.get("data_fingerprint") == mnist.fingerprint)


def read_metadata(path: Path) -> dict:
    """The JSON metadata of a shipped model file; ``ShippedModelError`` if it cannot be read."""
    return _read(Path(path), with_arrays=False)[0]


def shipped_sizes(mnist=None, mode: str = "first", seed: int = 0, folder: Path | None = None) -> list[int]:
    """Sample sizes shipped for the lesson's settings, ascending.

    With ``mnist``, only those ``load`` would use for it (same scikit-learn version and data).
    Files that cannot be read or fail their checksum are left out.
    """
    sizes = []
    for path in Path(folder or SHIPPED_DIR).glob(f"svc-{mode}-*{SUFFIX}"):
        try:
            meta, arrays = _read(path, with_arrays=True)
        except ShippedModelError:
            continue
        if meta.get("format") != FORMAT_VERSION or meta.get("arrays_sha256") != _arrays_hash(arrays):
            continue
        spec = meta.get("spec") or {}
        n = spec.get("n")
        if (isinstance(n, int) and spec == _spec(n, mode, seed, LESSON_SETTINGS)
                and path.name == file_name(n, mode, seed) and (mnist is None or usable(meta, mnist))):
            sizes.append(n)
    return sorted(sizes)


def differing_attributes(a: SVC, b: SVC) -> list[str]:
    """Names of the attributes (fitted or not) in which two SVCs differ; [] if bit for bit the same."""
    va, vb = vars(as_sklearn(a)), vars(as_sklearn(b))
    out = sorted(set(va) ^ set(vb))
    for name in sorted(set(va) & set(vb)):
        x, y = va[name], vb[name]
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            x, y = np.asarray(x), np.asarray(y)
            same = x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
        else:
            same = type(x) is type(y) and x == y
        if not same:
            out.append(name)
    return out


# -- internals ----------------------------------------------------------------------------


def _rebuild(arrays: dict, x_train: np.ndarray, sample: sampling.Sample, settings: SvmSettings,
             mapped: Path | None = None) -> ReadySVC:
    """The fitted SVC: its constructor's parameters and what ``SVC.fit`` would set, held by a ``ReadySVC``
    until scikit-learn is needed (``ready_svc``; the real SVC gets them through its public constructor).

    scikit-learn has no public way to make a fitted SVC from its arrays, so the fitted
    attributes are the ones ``SVC.fit`` sets in the scikit-learn version the file names
    (``tests/unit/svm/test_shipped.py`` compares them with a real ``SVC.fit``).
    """
    rows = sample.indices[arrays["support"]]
    pixels = x_train[rows].reshape(len(rows), -1)
    support_vectors = _mapped(pixels, mapped) if mapped is not None else None
    if support_vectors is None:
        support_vectors = pixels.astype(np.float64)
        support_vectors /= 255.0  # in place: the same bits as scaling.to_features, without a second copy
    intercept = arrays["intercept"].copy()
    fitted = {
        "_sparse": False,
        "classes_": arrays["classes"].copy(),
        "class_weight_": arrays["class_weight"].copy(),
        "_effective_probability": False,
        "_gamma": arrays["gamma"][()],
        "support_": arrays["support"].copy(),
        "support_vectors_": support_vectors,
        "_n_support": arrays["n_support"].copy(),
        "dual_coef_": arrays["dual_coef"],
        "intercept_": intercept,
        "_probA": np.empty(0),
        "_probB": np.empty(0),
        "fit_status_": 0,
        "_num_iter": arrays["n_iter"],
        "n_features_in_": N_FEATURES,
        "shape_fit_": (sample.size, N_FEATURES),
        "_intercept_": intercept.copy(),
        "_dual_coef_": arrays["dual_coef"],  # SVC.fit makes these the same array
        "n_iter_": arrays["n_iter"],
    }
    est = ReadySVC({"C": settings.C, "kernel": settings.kernel, "gamma": settings.gamma}, fitted)
    fast_predict.prepare(est, pixels)  # from the pixels at hand: no pass over the float64 copy
    return est


def _mapped(pixels: np.ndarray, path: Path) -> np.ndarray | None:
    """``pixels / 255`` as float64, written to ``path`` and mapped copy-on-write; None if it cannot be written.

    Prediction reads the prepared uint8 and float32 copies (``fast_predict``), never these; only a
    download, a near tie left to libsvm or a few support vectors shown read them. Mapped, their pages
    stay on disk until read (the 60,000-image model's are 77 MB a server need not hold).
    """
    if not len(pixels):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            try:
                for start in range(0, len(pixels), 1024):
                    block = pixels[start : start + 1024].astype(np.float64)
                    block /= 255.0
                    tmp.write(block.tobytes())
            except BaseException:
                Path(tmp.name).unlink(missing_ok=True)
                raise
        os.replace(tmp.name, path)  # the same bytes for every server sharing the folder
        return np.asarray(np.memmap(path, dtype=np.float64, mode="c", shape=pixels.shape))
    except OSError:  # a read-only or full folder: in memory as before
        return None


def _read(path: Path, with_arrays: bool) -> tuple[dict, dict]:
    """Metadata (and arrays) of a file, never unpickling; ``ShippedModelError`` if damaged."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(archive["metadata"].tobytes().decode())
            if not isinstance(meta, dict):
                raise ValueError(Message(N_("the metadata is not a JSON object")))
            arrays = {}
            if with_arrays and meta.get("format") == FORMAT_VERSION:
                missing = [k for k in ARRAYS if k not in archive.files]
                if missing:
                    raise ValueError(Message(N_("it lacks the arrays {names}"), names=", ".join(missing)))
                arrays = {k: archive[k] for k in ARRAYS}
    except Exception as exc:  # zipfile, zlib, numpy and json raise many types; all mean "damaged"
        raise ShippedModelError(_damaged(path, _Failure(exc))) from exc
    return meta, arrays


def _structure_problem(arrays: dict, y_sample: np.ndarray, settings: SvmSettings) -> Message | None:
    """What is inconsistent in a model's arrays for a sample with labels ``y_sample``, or None."""
    for name, dtype in ARRAYS.items():
        stored = arrays[name].dtype
        if (stored.kind not in "ui") if dtype is None else (stored != np.dtype(dtype)):
            return Message(N_("{name} is stored as {stored}"), name=name, stored=str(stored))
    classes = arrays["classes"]
    k, pairs = len(classes), len(classes) * (len(classes) - 1) // 2
    support, n_support = arrays["support"], arrays["n_support"]
    shapes = {"support": (int(n_support.sum()),), "n_support": (k,), "dual_coef": (k - 1, support.size),
              "intercept": (pairs,), "gamma": (), "class_weight": (k,), "n_iter": (pairs,)}
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            return Message(N_("{name} has shape {shape}, expected {expected}"), name=name,
                           shape=str(arrays[name].shape), expected=str(shape))
    if k < 2 or not np.array_equal(classes, np.unique(y_sample)):
        return Message(N_("its digits are not those of the sample"))
    if n_support.min() < 0 or (support.size and (support.min() < 0 or support.max() >= len(y_sample))):
        return Message(N_("its support vectors are not rows of the sample"))
    starts = np.concatenate([[0], np.cumsum(n_support)])
    for c in range(k):
        block = support[starts[c] : starts[c + 1]]
        if np.any(np.diff(block) <= 0) or np.any(y_sample[block] != classes[c]):
            return Message(N_("its support vectors for digit {digit} are not images of that digit"),
                           digit=str(classes[c]))
    gamma, coef, intercept = arrays["gamma"][()], arrays["dual_coef"], arrays["intercept"]
    if not (np.isfinite(gamma) and gamma > 0 and np.isfinite(coef).all() and np.isfinite(intercept).all()):
        return Message(N_("it holds numbers that are not finite"))
    if np.abs(coef).max(initial=0.0) > settings.C:
        return Message(N_("its dual coefficients exceed C"))
    return None


def _spec(n: int, mode: str, seed: int, settings: SvmSettings) -> dict:
    return {"n": int(n), "mode": mode, "seed": int(seed), "C": float(settings.C),
            "gamma": settings.gamma, "kernel": settings.kernel}


def _sample_hash(indices: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(indices, dtype=np.int64).tobytes()).hexdigest()


def _arrays_hash(arrays: dict) -> str:
    digest = hashlib.sha256()
    for name in ARRAYS:
        arr = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{arr.dtype.str}|{arr.shape}|".encode())
        digest.update(arr.tobytes())
    return digest.hexdigest()


def _damaged(path: Path, problem) -> Message:
    """The notice for a damaged shipped file; ``problem`` (a Message, or ``_Failure``) is written when shown."""
    return Message(N_("The shipped model {name} is damaged ({problem}); the app trains this size instead. "
                      "Re-create it with `python -m scripts.ship_models`."), name=path.name, problem=problem)


class _Failure:
    """An exception named in a notice, "ValueError: …", its text (maybe a Message) written when shown."""

    def __init__(self, exc: Exception):
        self.exc = exc

    def __str__(self) -> str:
        return f"{type(self.exc).__name__}: {self.exc}"
