"""Exact, faster equivalent of ``SVC.predict`` for an RBF model of the digit data.

``pair_decisions`` computes libsvm's one-vs-one decision values for many images at
once: the RBF kernel against every support vector is one BLAS product, where libsvm
loops over images and support vectors one pair at a time. ``votes`` applies libsvm's
vote; an image whose winner rounding could change is counted again in float64 and,
if still too close to call, answered by libsvm, so the labels are always libsvm's.
Images go through in batches whose temporaries stay within ``BATCH_BYTES`` whatever the
model's size, so scoring the 60,000-image model on many images does not swell the server.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from digitlib.svm import exact_kernel
from digitlib.svm.scaling import to_features

if TYPE_CHECKING:  # scikit-learn is imported where libsvm predicts: a shipped model's page need not wait for it
    from sklearn.svm import SVC

BATCH_ROWS = 512  # at most, for small models
# Temporaries per batch: per image and support vector, the float32 dot product, the int32 distance
# and the float32 kernel value, and a digit's share widened to float64 as it is summed (about 13
# bytes). 32 MB is 200 images at a time for the 60,000-image model (12,336 support vectors): a quarter
# more CPU than 512 at a time, a third of the memory.
BATCH_BYTES = 32 * 2**20
_BYTES_PER_KERNEL_VALUE = 13
# Support vectors checked and converted at a time when a model is first prepared.
_PREPARE_ROWS = 1024


# Largest error of numpy's float32 exp, in units in the last place. numpy documents
# about 2.5 for its SIMD versions (2.44 measured here over [-104, 0]); the C library's
# expf is within 1. the fast SVC tests check it on this machine.
EXP32_ULPS = 4.0
_U32 = 2.0**-24  # unit roundoff of float32


def pair_decisions(est: SVC, pixels: np.ndarray, dtype=np.float32) -> np.ndarray:
    """libsvm's one-vs-one decision values of an RBF SVC for uint8 images (n, 784), shape (n, 45).

    Squared distances to the support vectors are exact (``exact_kernel``). In float32
    (the default) the kernel values take half the time and stray from libsvm's decision
    by less than ``decision_margin(est, np.float32)``; sums are always float64.
    """
    prep = _prepared(est)
    kernel = _kernel(est, pixels, dtype)  # float32 stays float32: each digit's slice is widened as it is summed
    starts = prep.starts
    n_class = len(starts) - 1
    # partial[c][:, k]: the class-c support vectors' share of the k-th decision of class c
    partial = [kernel[:, starts[c] : starts[c + 1]] @ prep.coef[:, starts[c] : starts[c + 1]].T for c in range(n_class)]
    out = np.empty((len(pixels), n_class * (n_class - 1) // 2))
    p = 0
    for i in range(n_class):
        for j in range(i + 1, n_class):
            out[:, p] = partial[i][:, j - 1] + partial[j][:, i] + est._intercept_[p]
            p += 1
    return out


def kernel_values(est: SVC, pixels: np.ndarray, dtype=np.float64) -> np.ndarray:
    """RBF kernel values of uint8 images (n, 784) against every support vector, (n, n_SV) float64.

    The squared distances are exact; ``dtype`` is the precision of the exponential
    (float32: what ``pair_decisions`` uses by default, within ``decision_margin``).
    """
    return _kernel(est, pixels, dtype).astype(np.float64, copy=False)


def _kernel(est: SVC, pixels: np.ndarray, dtype) -> np.ndarray:
    """``kernel_values`` as ``dtype``."""
    prep = _prepared(est)
    norms = exact_kernel.square_norms(pixels)  # over all pixels, not only the support vectors' ones
    d = exact_kernel.squared_distances(pixels[:, prep.columns], prep.sv, norms, prep.norms, prep.sv32)
    if dtype == np.float32:
        kernel = d.astype(np.float32)
        del d
        kernel *= np.float32(-est._gamma / exact_kernel.PIXEL_SCALE)
        np.exp(kernel, out=kernel)
        return kernel
    kernel = d * (-est._gamma / exact_kernel.PIXEL_SCALE)
    np.exp(kernel, out=kernel)
    return kernel


def decision_margin(est: SVC, dtype) -> np.ndarray:
    """Per duel, how far ``pair_decisions`` can be from libsvm's decision value, shape (45,).

    A decision sums coefficient x kernel value over two digits' support vectors. The
    distances are exact; in float32, scaling them costs at most 3 roundings of the
    exponent and exp ``EXP32_ULPS`` ulps, so a kernel value K is off by at most
    ``u (4 K |log K| + 2 EXP32_ULPS K) <= u (1.5 + 2 EXP32_ULPS)`` (K |log K| <= 1/e).
    libsvm's own float64 value may stray from the exact one by far less: it sums 784
    products, whose relative error is below 1e-13; 1e-9 x gamma is kept for it.
    """
    weights = _prepared(est).duel_weights
    libsvm_side = (1e-9 * est._gamma + 1e-12) * (weights + 1.0)
    if dtype == np.float64:
        return libsvm_side
    return _U32 * (1.5 + 2 * EXP32_ULPS) * weights + libsvm_side


class _Prepared(NamedTuple):
    columns: np.ndarray  # pixels where some support vector has ink
    sv: np.ndarray  # support vectors as uint8 pixels, those columns
    sv32: np.ndarray  # the same as float32, for BLAS
    norms: np.ndarray  # their exact squared norms
    coef: np.ndarray
    starts: np.ndarray  # where each digit's support vectors start
    duel_weights: np.ndarray  # per duel, the sum of |coefficient| over its support vectors


_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PREPARED_LOCK = threading.Lock()
_PREPARING = threading.Lock()  # one preparation at a time: a fraction of a second, even for the biggest model


def _prepared(est: SVC) -> _Prepared:
    """What prediction needs from a fitted SVC, computed once per estimator.

    Single flight: thirty sessions whose first drawing reaches a new model at once wait for one
    preparation (each making its own once took 3.6 GB for the 60,000-image model).
    """
    with _PREPARED_LOCK:
        found = _PREPARED.get(est)
    if found is not None:
        return found
    with _PREPARING:
        with _PREPARED_LOCK:
            found = _PREPARED.get(est)
        return found if found is not None else prepare(est, _as_pixels(est.support_vectors_))


def prepare(est: SVC, pixels: np.ndarray) -> _Prepared:
    """Prepare ``est`` for prediction from its support vectors as uint8 pixels (n_SV, 784), which the
    caller knows to be ``est.support_vectors_ * 255`` (a shipped model rebuilt from MNIST): no pass over
    the float64 support vectors."""
    columns = np.flatnonzero(pixels.any(axis=0))
    sv = np.ascontiguousarray(pixels[:, columns])
    starts = np.concatenate([[0], np.cumsum(est._n_support)])
    n_class = len(est._n_support)
    weights = []
    for i in range(n_class):
        for j in range(i + 1, n_class):
            weights.append(np.abs(est._dual_coef_[j - 1, starts[i] : starts[i + 1]]).sum()
                           + np.abs(est._dual_coef_[i, starts[j] : starts[j + 1]]).sum())
    norms = np.concatenate([exact_kernel.square_norms(sv[i : i + _PREPARE_ROWS])  # int64 temporaries, in blocks
                            for i in range(0, max(len(sv), 1), _PREPARE_ROWS)])
    found = _Prepared(columns, sv, sv.astype(np.float32), norms,
                      np.ascontiguousarray(est._dual_coef_, dtype=np.float64), starts, np.array(weights))
    with _PREPARED_LOCK:
        _PREPARED[est] = found
    return found


def _as_pixels(support_vectors: np.ndarray) -> np.ndarray:
    """Support vectors (features 0-1) back to uint8 pixels, checked exact; a block at a time, so a big
    model's float64 temporaries stay small."""
    out = np.empty(support_vectors.shape, dtype=np.uint8)
    for start in range(0, len(support_vectors), _PREPARE_ROWS):
        block = support_vectors[start : start + _PREPARE_ROWS]
        sv = np.rint(block * 255.0)
        if sv.min(initial=0) < 0 or sv.max(initial=0) > 255 or not np.array_equal(sv / 255.0, block):
            raise ValueError("support vectors are not pixel images scaled to 0-1")  # English: never shown, a fallback
        out[start : start + _PREPARE_ROWS] = sv
    return out


def support_pixels(est: SVC, positions: np.ndarray) -> np.ndarray:
    """Some support vectors (rows of ``est.support_vectors_``) as uint8 pixel rows (k, 784).

    From the copy prediction keeps when there is one: a shipped model's float64 support vectors
    are mapped from disk, and reading a few scattered rows there brings whole pages of them in.
    """
    with _PREPARED_LOCK:
        prep = _PREPARED.get(est)
    positions = np.asarray(positions, dtype=np.int64)
    if prep is None:
        return np.rint(est.support_vectors_[positions] * 255.0).astype(np.uint8)
    out = np.zeros((len(positions), est.support_vectors_.shape[1]), dtype=np.uint8)
    out[:, prep.columns] = prep.sv[positions]
    return out


def batch_rows(est: SVC) -> int:
    """Images scored at a time: at most ``BATCH_ROWS``, fewer for a model with many support vectors."""
    per_image = max(len(est.support_), 1) * _BYTES_PER_KERNEL_VALUE
    return int(min(BATCH_ROWS, max(16, BATCH_BYTES // per_image)))


def _count_votes(dec: np.ndarray, first, second, n_class: int) -> np.ndarray:
    winners = np.where(dec > 0, first, second)
    return (winners[:, :, None] == np.arange(n_class)).sum(axis=1)


def _unsafe_rows(dec: np.ndarray, counts: np.ndarray, first, second, margin) -> np.ndarray:
    """Rows whose winner could change if every decision within ``margin`` (per duel) of zero flipped.

    A flipped duel moves one vote between its two digits, so the winner is safe when its
    lead over every other digit exceeds the unsure duels either of them takes part in.
    """
    n_class = counts.shape[1]
    unsure = (np.abs(dec) <= margin).astype(np.int64)
    incidence = np.zeros((len(first), n_class), dtype=np.int64)
    incidence[np.arange(len(first)), first] = 1
    incidence[np.arange(len(first)), second] = 1
    touches = unsure @ incidence  # (rows, digits): unsure duels each digit takes part in
    winner = counts.argmax(axis=1)
    rows = np.arange(len(counts))
    slack = (counts[rows, winner] - touches[rows, winner])[:, None] - counts - touches
    slack[rows, winner] = 1
    # libsvm breaks ties towards the lower digit, so a possible tie with a lower digit is a risk
    lower = np.arange(n_class)[None, :] < winner[:, None]
    return np.flatnonzero((slack < 0).any(axis=1) | ((slack == 0) & lower).any(axis=1))


def votes(est: SVC, pixels: np.ndarray) -> np.ndarray:
    """Votes per digit (n, 10) from the 45 one-vs-one duels for uint8 images (n, 784).

    The argmax is ``est.predict(pixels / 255)``. Votes are counted from float32 kernel
    values; a row whose winner could change within ``decision_margin`` is counted
    again in float64, and if still too close to call, answered by libsvm itself. For
    kernels other than RBF, libsvm's own label gets one vote.
    """
    out = np.zeros((len(pixels), 10), dtype=np.int64)
    digits = est.classes_.astype(int)
    if est.kernel != "rbf":
        out[np.arange(len(pixels)), est.predict(to_features(pixels)).astype(int)] = 1
        return out
    n_class = len(digits)
    first, second = np.triu_indices(n_class, k=1)
    step = batch_rows(est)
    for start in range(0, len(pixels), step):
        block = pixels[start : start + step]
        dec = pair_decisions(est, block)
        counts = _count_votes(dec, first, second, n_class)
        risky = _unsafe_rows(dec, counts, first, second, decision_margin(est, np.float32))
        if risky.size:
            dec64 = pair_decisions(est, block[risky], np.float64)
            counts[risky] = _count_votes(dec64, first, second, n_class)
            still = risky[_unsafe_rows(dec64, counts[risky], first, second, decision_margin(est, np.float64))]
            if still.size:
                exact = np.searchsorted(digits, est.predict(to_features(block[still])))
                for r, label in zip(still, exact, strict=True):
                    if counts[r].argmax() != label:
                        counts[r, label] = counts[r].max() + 1  # libsvm's answer wins
        out[start : start + len(block), digits] = counts
    return out
