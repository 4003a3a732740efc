"""Exact, faster equivalent of ``SVC.fit`` for the digit data.

libsvm trains a 10-class SVC as 45 independent two-digit problems, one after
another, and spends most of that time computing kernel values one dot product at a
time. ``fit`` trains the same 45 problems on the same rows in threads, following the
fastest plan that fits the memory budget (``plans``): from about 15,000 images, libsvm's
solver repeated step for step (``smo``) on kernel rows made only for the images it asks
for (``kernel_rows``); for fewer, libsvm itself on precomputed kernel blocks
(``exact_kernel``, each digit's block with itself shared by its 9 pairs); with too little
memory, libsvm computing its own kernel. The kernel values are always the float32 values
libsvm would have computed. The pair results are assembled into an ordinary fitted
``sklearn.svm.SVC`` whose arrays are bit-identical to ``SVC.fit``'s (tests compare them
for N = 100 ... 20,000, and the shipped models up to 60,000). Predicting with it quickly
is ``fast_predict``'s job.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from sklearn.svm import SVC, _libsvm
from threadpoolctl import threadpool_limits

from digitlib.svm import exact_kernel, kernel_rows, plans, smo
from digitlib.svm.plans import (  # noqa: F401
    _workers_within,
    kernel_memory_bytes,
    shared_kernel_workers,
    training_memory_mb,
)
from digitlib.svm.scaling import to_features

_LOG = logging.getLogger(__name__)


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


class PairFit(NamedTuple):
    """What libsvm returns for one two-digit problem (rows of the first digit come first)."""

    support: np.ndarray
    dual_coef: np.ndarray
    intercept: float
    n_iter: int


def fit(pixels: np.ndarray, y: np.ndarray, C: float = 1.0, kernel: str = "rbf", gamma="scale",
        threads: int | None = None, progress=None, memory_mb: float | None = None) -> SVC:
    """Fit what ``SVC(C=C, kernel=kernel, gamma=gamma).fit(to_features(pixels), y)`` fits.

    ``pixels`` are uint8 rows (n, 784). The 45 digit pairs train in threads, the way
    ``plans.plan_for`` chooses within ``memory_mb`` (default ``training_memory_mb()``).
    ``progress(done, total)``, if given, is called after each step: each digit (its rows
    or its own block; not with libsvm's kernel), then each pair.
    """
    return fit_with_plan(pixels, y, C, kernel, gamma, threads, progress, memory_mb)[0]


def fit_with_plan(pixels: np.ndarray, y: np.ndarray, C: float = 1.0, kernel: str = "rbf", gamma="scale",
                  threads: int | None = None, progress=None, memory_mb: float | None = None,
                  plan: plans.Plan | None = None) -> tuple[SVC, plans.Plan]:
    """``fit``, also returning the ``plans.Plan`` it followed (``plan`` forces one)."""
    classes, y_index = np.unique(y, return_inverse=True)
    gamma_value = resolve_gamma(gamma, pixels)
    members = [np.flatnonzero(y_index == c) for c in range(len(classes))]
    pairs = [(i, j) for i in range(len(classes)) for j in range(i + 1, len(classes))]
    if plan is None:
        if kernel == "rbf" and pixels.dtype == np.uint8:
            plan = plans.plan_for([len(m) for m in members], memory_mb, threads)
        else:
            plan = plans.Plan("libsvm", threads or os.cpu_count() or 1, 0.0, memory_mb or 0.0)
    _LOG.info("training %d images: %s", len(pixels), plan.describe())
    counter = _Progress(progress, len(pairs) + (len(classes) if plan.how != "libsvm" else 0))
    if plan.how == "rows":
        fitted = _fit_rows(pixels, members, pairs, C, gamma_value, plan, counter)
    elif plan.how == "blocks":
        fitted = _fit_shared_kernel(pixels, members, pairs, C, gamma_value, plan.workers, counter)
    else:
        fitted = _fit_by_libsvm(pixels, members, pairs, C, kernel, gamma_value, plan.workers, counter)
    return _assemble(pixels, classes, members, pairs, fitted, C, kernel, gamma, gamma_value), plan


def _largest_first(members, pairs) -> list[int]:
    """Pair numbers, largest problems first, so that the workers finish together."""
    return sorted(range(len(pairs)), key=lambda p: -(len(members[pairs[p][0]]) + len(members[pairs[p][1]])))


def _fit_rows(pixels, members, pairs, C, gamma_value, plan, counter) -> list[PairFit]:
    """libsvm's solver (``smo``) on kernel rows made on demand (``kernel_rows``)."""
    cache = plan.cache_mb * 2**20 / max(len(members), 1)
    digits = []
    for m in members:
        digits.append(kernel_rows.Digit(pixels[m], gamma_value, cache))
        counter.step()
    left = [len(members) - 1] * len(members)  # pairs still to train, per digit
    lock = threading.Lock()

    def train_pair(p):
        i, j = pairs[p]
        s = smo.solve(len(members[i]), len(members[i]) + len(members[j]), kernel_rows.PairRows(digits[i], digits[j]), C)
        with lock:
            for d in (i, j):
                left[d] -= 1
                if left[d] == 0:
                    digits[d].drop()
        counter.step()
        return PairFit(s.support, s.dual_coef, s.intercept, s.n_iter)

    order = _largest_first(members, pairs)
    with _ONE_BLAS_THREAD, ThreadPoolExecutor(max_workers=plan.workers) as pool:
        solved = dict(zip(order, pool.map(train_pair, order), strict=True))
    return [solved[p] for p in range(len(pairs))]


class _Progress:
    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0
        self.lock = threading.Lock()

    def step(self) -> None:
        if self.callback is not None:
            with self.lock:
                self.done += 1
                self.callback(self.done, self.total)


class _OneBlasThread:
    """BLAS limited to one thread while any shared-kernel training runs (each of its workers
    is a thread of its own). The limit is process-wide, so overlapping trainings share it:
    the first one in sets it, the last one out restores it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        self._limits = None

    def __enter__(self):
        with self._lock:
            if self._users == 0:
                self._limits = threadpool_limits(1)
            self._users += 1

    def __exit__(self, *exc):
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._limits.restore_original_limits()


_ONE_BLAS_THREAD = _OneBlasThread()


def _fit_shared_kernel(pixels, members, pairs, C, gamma_value, workers, counter) -> list[PairFit]:
    """Each digit's kernel block with itself is computed once and shared by its 9 pairs."""
    blocks = [pixels[m] for m in members]
    norms = [exact_kernel.square_norms(b) for b in blocks]
    own = [None] * len(blocks)
    largest = max(len(members[i]) + len(members[j]) for i, j in pairs)
    local = threading.local()

    def own_block(c):
        cols = exact_kernel.pixels_in_use(blocks[c])
        part = blocks[c][:, cols]
        own[c] = exact_kernel.rbf_block(part, None, norms[c], None, gamma_value,
                                        np.empty((len(part), len(part)), dtype=np.float32))
        counter.step()

    def train_pair(pair):
        i, j = pair
        ni, nj = len(members[i]), len(members[j])
        if not hasattr(local, "buffer"):
            local.buffer = np.empty(largest * largest)
        K = local.buffer[: (ni + nj) ** 2].reshape(ni + nj, ni + nj)
        K[:ni, :ni] = own[i]
        K[ni:, ni:] = own[j]
        cols = exact_kernel.pixels_in_use(blocks[i], blocks[j])
        exact_kernel.rbf_block(blocks[i][:, cols], blocks[j][:, cols], norms[i], norms[j], gamma_value,
                               out=K[:ni, ni:], mirror=K[ni:, :ni])
        result = _solve_precomputed(K, ni, nj, C)
        counter.step()
        return result

    order = _largest_first(members, pairs)
    with _ONE_BLAS_THREAD, ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(own_block, range(len(blocks))))
        solved = dict(zip(order, pool.map(lambda p: train_pair(pairs[p]), order), strict=True))
    return [solved[p] for p in range(len(pairs))]


_SVC_DEFAULTS = SVC()


def _solve_precomputed(K: np.ndarray, ni: int, nj: int, C: float) -> PairFit:
    """libsvm's C-SVC on a precomputed kernel: what ``SVC(kernel="precomputed").fit`` runs,
    without re-validating every value of a matrix that may hold 170 million."""
    labels = np.repeat([0.0, 1.0], [ni, nj])
    _libsvm.set_verbosity_wrap(0)  # as SVC.fit does; libsvm prints its progress otherwise
    support, _, _, dual_coef, intercept, _, _, _, n_iter = _libsvm.fit(
        K, labels, svm_type=0, kernel="precomputed", C=C, class_weight=np.ones(2), sample_weight=np.empty(0),
        cache_size=_SVC_DEFAULTS.cache_size, tol=_SVC_DEFAULTS.tol, shrinking=1, max_iter=-1,
    )
    return PairFit(support, dual_coef[0], float(intercept[0]), int(n_iter[0]))


def _fit_by_libsvm(pixels, members, pairs, C, kernel, gamma_value, workers, counter) -> list[PairFit]:
    """Each pair trained by ``SVC.fit``, libsvm computing the kernel values it needs."""

    def train_pair(pair):
        i, j = pair
        rows = np.concatenate([members[i], members[j]])
        labels = np.repeat([0, 1], [len(members[i]), len(members[j])])
        part = pixels[rows]
        # Pixels blank in both digits add exact zeros to every dot product, so leaving
        # them out changes nothing but rounding (and that has never moved a bit: tests).
        part = to_features(part[:, part.any(axis=0)])
        est = SVC(C=C, kernel=kernel, gamma=gamma_value).fit(part, labels)
        counter.step()
        return PairFit(est.support_, est._dual_coef_[0], float(est._intercept_[0]), int(est._num_iter[0]))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(train_pair, pairs))


def _assemble(pixels, classes, members, pairs, fitted: list[PairFit], C, kernel, gamma, gamma_value) -> SVC:
    """Build the 10-class SVC that libsvm would have built from the 45 pair models."""
    n_class = len(classes)
    # is_sv[c][k]: whether the k-th sample of class c is a support vector in any pair
    is_sv = [np.zeros(len(m), dtype=bool) for m in members]
    for (i, j), pair in zip(pairs, fitted, strict=True):
        sv = pair.support
        is_sv[i][sv[sv < len(members[i])]] = True
        is_sv[j][sv[sv >= len(members[i])] - len(members[i])] = True
    n_support = np.array([mask.sum() for mask in is_sv], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(n_support)])
    # position of each class sample among its class's support vectors
    slot = [np.cumsum(mask) - 1 for mask in is_sv]
    dual_coef = np.zeros((n_class - 1, starts[-1]))
    intercept = np.empty(len(pairs))
    n_iter = np.empty(len(pairs), dtype=np.int32)
    for p, ((i, j), pair) in enumerate(zip(pairs, fitted, strict=True)):
        sv, coef = pair.support, pair.dual_coef
        in_i = sv < len(members[i])
        dual_coef[j - 1, starts[i] + slot[i][sv[in_i]]] = coef[in_i]
        dual_coef[i, starts[j] + slot[j][sv[~in_i] - len(members[i])]] = coef[~in_i]
        intercept[p] = pair.intercept
        n_iter[p] = pair.n_iter
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
