"""Exact, faster equivalents of ``SVC.fit`` and ``SVC.predict`` for the digit data.

libsvm trains a 10-class SVC as 45 independent two-digit problems, one after
another. ``fit`` trains the same 45 problems on the same rows in the same order,
two at a time in threads (libsvm runs without the GIL), leaves out pixels blank in
both digits, and assembles the result into an ordinary fitted ``sklearn.svm.SVC``
whose arrays are bit-identical to ``SVC.fit``'s.

``pair_decisions`` computes libsvm's one-vs-one decision values for many images at
once: the RBF kernel against every support vector is one BLAS product, where libsvm
loops over images and support vectors one pair at a time. ``votes`` applies libsvm's
vote; an image whose winner rounding could change is counted again in float64 and,
if still too close to call, answered by libsvm, so the labels are always libsvm's.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.svm import SVC

# Rows of images handled per batch: bounds the kernel block's memory.
BATCH_ROWS = 512


def to_features(pixels: np.ndarray) -> np.ndarray:
    """Pixel bytes (n, 784) as the model's float64 features in 0-1, like ``model.features``."""
    return pixels.astype(np.float64) / 255.0


def exact_variance(pixels: np.ndarray) -> float:
    """``to_features(pixels).var()``, to the last bit, without making that float64 copy.

    numpy sums a contiguous array pairwise: below a block it adds directly, above it
    splits in two at a multiple of 8. Following the same splits, block by block, gives
    the same float64 result in a few MB instead of 376 MB for all 60,000 images.
    """
    flat = np.ascontiguousarray(pixels).reshape(-1)
    total = flat.size
    mean = _pairwise_sum(lambda s, n: to_features(flat[s : s + n]), 0, total) / total

    def squares(s, n):
        d = to_features(flat[s : s + n]) - mean
        return d * d

    return _pairwise_sum(squares, 0, total) / total


_SUM_BLOCK = 1 << 16


def _pairwise_sum(values, start: int, n: int) -> float:
    if n <= _SUM_BLOCK:
        return np.add.reduce(values(start, n))
    half = n // 2
    half -= half % 8
    return _pairwise_sum(values, start, half) + _pairwise_sum(values, start + half, n - half)


def resolve_gamma(gamma, pixels: np.ndarray) -> float:
    """The number sklearn uses for ``gamma`` ("scale", "auto" or a float) on these images."""
    if gamma == "scale":
        var = exact_variance(pixels)  # the same bits as SVC.fit's X.var()
        return 1.0 / (pixels.shape[1] * var) if var != 0 else 1.0
    if gamma == "auto":
        return 1.0 / pixels.shape[1]
    return float(gamma)


def fit(pixels: np.ndarray, y: np.ndarray, C: float = 1.0, kernel: str = "rbf", gamma="scale",
        threads: int | None = None, progress=None) -> SVC:
    """Fit what ``SVC(C=C, kernel=kernel, gamma=gamma).fit(to_features(pixels), y)`` fits.

    ``pixels`` are uint8 rows (n, 784). The 45 digit pairs train in threads, each on its
    own rows made float64 only while it trains, so the whole set is never held in float64.
    ``progress(done, total)``, if given, is called as each pair finishes.
    """
    classes, y_index = np.unique(y, return_inverse=True)
    gamma_value = resolve_gamma(gamma, pixels)
    members = [np.flatnonzero(y_index == c) for c in range(len(classes))]
    pairs = [(i, j) for i in range(len(classes)) for j in range(i + 1, len(classes))]

    def train_pair(pair):
        i, j = pair
        rows = np.concatenate([members[i], members[j]])
        labels = np.repeat([0, 1], [len(members[i]), len(members[j])])
        part = pixels[rows]
        # Pixels blank in both digits add exact zeros to every dot product libsvm
        # computes (it sums them in order), so leaving them out changes no bit.
        part = to_features(part[:, part.any(axis=0)])
        est = SVC(C=C, kernel=kernel, gamma=gamma_value).fit(part, labels)
        if progress is not None:
            with lock:
                done[0] += 1
                progress(done[0], len(pairs))
        return est

    lock, done = threading.Lock(), [0]
    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        fitted = list(pool.map(train_pair, pairs))
    return _assemble(pixels, classes, members, pairs, fitted, C, kernel, gamma, gamma_value)


def _assemble(pixels, classes, members, pairs, fitted, C, kernel, gamma, gamma_value) -> SVC:
    """Build the 10-class SVC that libsvm would have built from the 45 pair models."""
    n_class = len(classes)
    # is_sv[c][k]: whether the k-th sample of class c is a support vector in any pair
    is_sv = [np.zeros(len(m), dtype=bool) for m in members]
    for (i, j), est in zip(pairs, fitted):
        sv = est.support_
        first = sv[sv < len(members[i])]
        is_sv[i][first] = True
        is_sv[j][sv[sv >= len(members[i])] - len(members[i])] = True
    n_support = np.array([mask.sum() for mask in is_sv], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(n_support)])
    # position of each class sample among its class's support vectors
    slot = [np.cumsum(mask) - 1 for mask in is_sv]
    dual_coef = np.zeros((n_class - 1, starts[-1]))
    intercept = np.empty(len(pairs))
    n_iter = np.empty(len(pairs), dtype=np.int32)
    for p, ((i, j), est) in enumerate(zip(pairs, fitted)):
        sv, coef = est.support_, est._dual_coef_[0]
        in_i = sv < len(members[i])
        dual_coef[j - 1, starts[i] + slot[i][sv[in_i]]] = coef[in_i]
        dual_coef[i, starts[j] + slot[j][sv[~in_i] - len(members[i])]] = coef[~in_i]
        intercept[p] = est._intercept_[0]
        n_iter[p] = est._num_iter[0]
    support = np.concatenate([members[c][is_sv[c]] for c in range(n_class)]).astype(np.int32)

    est = SVC(C=C, kernel=kernel, gamma=gamma)
    est.classes_ = classes
    est.class_weight_ = np.ones(n_class)
    est._sparse = False
    est._gamma = gamma_value
    est._effective_probability = False
    est.support_ = support
    est.support_vectors_ = to_features(pixels[support])
    est._n_support = n_support
    est.dual_coef_ = est._dual_coef_ = dual_coef
    est.intercept_ = est._intercept_ = intercept
    est._probA = est._probB = np.empty(0)
    est.fit_status_ = 0
    est._num_iter = est.n_iter_ = n_iter
    est.shape_fit_ = pixels.shape
    est.n_features_in_ = pixels.shape[1]
    return est


def pair_decisions(est: SVC, x: np.ndarray, dtype=np.float32) -> np.ndarray:
    """libsvm's one-vs-one decision values of an RBF SVC, shape (n, n_pairs).

    In float32 (the default) the kernel block is twice as fast and half the memory;
    the values then stray from libsvm's by up to about ``rounding_margin(est, float32)``.
    """
    sv = _support_vectors(est, dtype)
    x = x.astype(dtype, copy=False)
    coef = est._dual_coef_.astype(dtype, copy=False)
    starts = np.concatenate([[0], np.cumsum(est._n_support)])
    n_class = len(est._n_support)
    kernel = x @ sv.T
    kernel *= -2.0
    kernel += np.einsum("ij,ij->i", x, x)[:, None]
    kernel += np.einsum("ij,ij->i", sv, sv)[None, :]
    np.maximum(kernel, 0.0, out=kernel)
    kernel *= dtype(-est._gamma)
    np.exp(kernel, out=kernel)
    # partial[c][:, k]: the class-c support vectors' share of the k-th decision of class c
    partial = [kernel[:, starts[c] : starts[c + 1]] @ coef[:, starts[c] : starts[c + 1]].T for c in range(n_class)]
    out = np.empty((len(x), n_class * (n_class - 1) // 2), dtype=dtype)
    p = 0
    for i in range(n_class):
        for j in range(i + 1, n_class):
            out[:, p] = partial[i][:, j - 1] + partial[j][:, i] + dtype(est._intercept_[p])
            p += 1
    return out


def rounding_margin(est: SVC, dtype) -> float:
    """Decision values closer to zero than this may have the wrong sign after rounding.

    A decision sums coefficient x kernel value over the support vectors, each kernel
    value within a few machine epsilons of libsvm's; the bound takes the sum of all
    coefficients times 100 epsilons (measured errors are about 100 times smaller).
    """
    return 100 * float(np.finfo(dtype).eps) * (float(np.abs(est._dual_coef_).sum()) + 1.0)


def _support_vectors(est: SVC, dtype) -> np.ndarray:
    if dtype == np.float64:
        return est.support_vectors_
    cached = getattr(est, "_digits_sv32", None)
    if cached is None:
        cached = est._digits_sv32 = est.support_vectors_.astype(np.float32)
    return cached


def _count_votes(dec: np.ndarray, first, second, n_class: int) -> np.ndarray:
    winners = np.where(dec > 0, first, second)
    return (winners[:, :, None] == np.arange(n_class)).sum(axis=1)


def _unsafe_rows(dec: np.ndarray, counts: np.ndarray, first, second, margin: float) -> np.ndarray:
    """Rows whose winner could change if every decision within ``margin`` of zero flipped.

    A flipped duel moves one vote between its two digits, so the winner is safe when its
    lead over every other digit exceeds the unsure duels either of them takes part in.
    """
    n_class = counts.shape[1]
    unsure = (np.abs(dec) < margin).astype(np.int64)
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


def votes(est: SVC, x: np.ndarray) -> np.ndarray:
    """Votes per digit (n, 10) from the 45 one-vs-one duels; the argmax is ``est.predict``.

    Votes are counted in float32; a row whose winner rounding could change is counted
    again in float64, and if still too close to call, answered by libsvm itself. For
    kernels other than RBF, libsvm's own label gets one vote.
    """
    out = np.zeros((len(x), 10), dtype=np.int64)
    digits = est.classes_.astype(int)
    if est.kernel != "rbf":
        out[np.arange(len(x)), est.predict(x).astype(int)] = 1
        return out
    n_class = len(digits)
    first, second = np.triu_indices(n_class, k=1)
    for start in range(0, len(x), BATCH_ROWS):
        block = x[start : start + BATCH_ROWS]
        dec = pair_decisions(est, block)
        counts = _count_votes(dec, first, second, n_class)
        risky = _unsafe_rows(dec, counts, first, second, rounding_margin(est, np.float32))
        if risky.size:
            dec64 = pair_decisions(est, block[risky], np.float64)
            counts[risky] = _count_votes(dec64, first, second, n_class)
            still = risky[_unsafe_rows(dec64, counts[risky], first, second, rounding_margin(est, np.float64))]
            if still.size:
                exact = np.searchsorted(digits, est.predict(block[still]))
                for r, label in zip(still, exact):
                    if counts[r].argmax() != label:
                        counts[r, label] = counts[r].max() + 1  # libsvm's answer wins
        out[start : start + len(block), digits] = counts
    return out
