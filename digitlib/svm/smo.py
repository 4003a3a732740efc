"""libsvm's C-SVC solver for one two-digit problem, step for step, on kernel rows fetched on demand.

``svm.cpp`` (scikit-learn's copy of libsvm) solves each pair with the SMO algorithm of Fan,
Chen and Lin (2005): pick the most violating pair with second-order information, update two
alphas, update the gradient, shrink every 1,000 iterations. ``solve`` repeats the very same
floating-point operations in the same order, vectorised with numpy, so its support vectors,
dual coefficients and intercept are libsvm's to the last bit (tests compare them). What it
changes is where kernel values come from: libsvm with a precomputed kernel needs the whole
float64 matrix (1.3 GB for digits 1 and 7 of all 60,000 images), while here ``rows``
returns float32 kernel rows only for the images the solver asks for (at most one in six).

The state is kept as libsvm keeps it, by position (shrinking swaps positions), with two
exact rewrites: ``yG = y * G`` and ``yGbar = y * G_bar`` (changing a sign never rounds), so
that ``Q_ij * d = y_i y_j K_ij * d`` becomes ``K_ij * (y_i d)`` in the updates. Every
sequential sum (``calculate_rho``, ``reconstruct_gradient``) is summed in libsvm's order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

TAU = 1e-12
LOWER, UPPER, FREE = 0, 1, 2
INF = np.inf


class Solution(NamedTuple):
    support: np.ndarray  # indices into the problem (first digit's rows first)
    dual_coef: np.ndarray  # alpha * y of those rows
    intercept: float  # -rho, as scikit-learn stores it
    n_iter: int
    rows_fetched: int  # kernel rows the solver asked for (distinct images)


def solve(n_first: int, n: int, rows, C: float = 1.0, eps: float = 1e-3) -> Solution:
    """libsvm's ``solve_c_svc`` for ``n`` rows, the first ``n_first`` labelled +1, the rest -1.

    ``rows(o, solver)`` returns the float32 RBF kernel row of image ``o`` against all ``n``
    images (original order), without signs; each image's row is asked for once.
    """
    return _Solver(n_first, n, rows, float(C), eps).run()


class _Solver:
    def __init__(self, n_first, n, rows, C, eps):
        self.l, self.C, self.eps, self.fetch = n, C, eps, rows  # libsvm's l
        self.y = np.where(np.arange(n) < n_first, 1.0, -1.0)
        self.perm = np.arange(n)  # position -> original index (libsvm's active_set)
        self.alpha = np.zeros(n)
        self.status = np.full(n, LOWER, dtype=np.int8)
        self.yG = -self.y  # G = p = -1
        self.yGbar = np.zeros(n)
        # I_up and I_low of Fan et al., by position: where -yG and yG are candidates
        self.up = self.y > 0
        self.low = self.y < 0
        self.active = n
        self.unshrink = False
        self.seen: dict[int, np.ndarray] = {}

    # --- kernel rows, by position -------------------------------------------------------
    def row(self, pos: int) -> np.ndarray:
        """K[perm[pos], :] in original order (float32)."""
        o = int(self.perm[pos])
        found = self.seen.get(o)
        if found is None:
            found = self.fetch(o, self)
            self.seen[o] = found
        return found

    def q(self, pos: int, length: int) -> np.ndarray:
        """The kernel row of position ``pos`` over positions [0, length), float32 (no sign)."""
        return self.row(pos).take(self.perm[:length])

    # --- libsvm's steps -------------------------------------------------------------------
    def _set_status(self, pos: int) -> None:
        a = self.alpha[pos]
        s = UPPER if a >= self.C else (LOWER if a <= 0 else FREE)
        self.status[pos] = s
        positive = self.y[pos] > 0
        self.up[pos] = (s != UPPER) if positive else (s != LOWER)
        self.low[pos] = (s != LOWER) if positive else (s != UPPER)

    def select(self):
        """``select_working_set``: (i, j, Q_i over the active positions), or None if optimal."""
        a = self.active
        yG = self.yG[:a]
        up_values = np.where(self.up[:a], yG, INF)  # Gmax = max -yG over I_up; last one wins ties
        i = a - 1 - int(np.argmin(up_values[::-1]))
        Gmax = -up_values[i]
        if Gmax == -INF:  # no i: Gmax = -INF, no j can have grad_diff > 0
            return None
        low = self.low[:a]
        low_values = np.where(low, yG, -INF)
        Gmax2 = low_values.max()
        grad_diff = yG + Gmax
        K_i = self.q(i, a)
        # QD_i + QD_j - 2 y_i y_j Q_ij, with QD = 1 for the RBF kernel; in float64 (numpy keeps
        # float32 arrays float32 with Python floats)
        quad = np.float64(2.0) - K_i * np.float64(2.0)
        if self._any_tie(i, K_i):
            quad[quad <= 0] = TAU
        gain = grad_diff * grad_diff
        gain /= quad  # obj_diff = -gain; the smallest obj_diff is the largest gain, last one on ties
        gain[~(low & (grad_diff > 0))] = -INF
        j = a - 1 - int(np.argmax(gain[::-1]))
        if Gmax + Gmax2 < self.eps or gain[j] == -INF:
            return None
        return i, j, K_i

    def _any_tie(self, i, K_i) -> bool:
        """Whether some kernel value of row i is 1 off its diagonal (a duplicate image): quad 0."""
        return bool(np.count_nonzero(K_i >= 1.0) > (1 if i < len(K_i) else 0))

    def update(self, i: int, j: int, K_i: np.ndarray) -> None:
        C, y, alpha = self.C, self.y, self.alpha
        yi, yj = y[i], y[j]
        Gi, Gj = yi * self.yG[i], yj * self.yG[j]
        Q_ij = yi * yj * float(K_i[j])
        old_i, old_j = alpha[i], alpha[j]
        ai, aj = float(old_i), float(old_j)
        if yi != yj:
            quad = 1.0 + 1.0 + 2 * Q_ij
            if quad <= 0:
                quad = TAU
            delta = (-Gi - Gj) / quad
            diff = ai - aj
            ai += delta
            aj += delta
            if diff > 0:
                if aj < 0:
                    aj, ai = 0.0, diff
            elif ai < 0:
                ai, aj = 0.0, -diff
            if diff > C - C:
                if ai > C:
                    ai, aj = C, C - diff
            elif aj > C:
                aj, ai = C, C + diff
        else:
            quad = 1.0 + 1.0 - 2 * Q_ij
            if quad <= 0:
                quad = TAU
            delta = (Gi - Gj) / quad
            total = ai + aj
            ai -= delta
            aj += delta
            if total > C:
                if ai > C:
                    ai, aj = C, total - C
            elif aj < 0:
                aj, ai = 0.0, total
            if total > C:
                if aj > C:
                    aj, ai = C, total - C
            elif ai < 0:
                ai, aj = 0.0, total
        alpha[i], alpha[j] = ai, aj
        a = self.active
        # G_k += Q_ik d_i + Q_jk d_j, i.e. yG_k += K_ik (y_i d_i) + K_jk (y_j d_j)
        step = K_i * np.float64(yi * (ai - old_i))
        step += self.q(j, a) * np.float64(yj * (aj - old_j))
        self.yG[:a] += step
        was_upper = self.status[i] == UPPER, self.status[j] == UPPER
        self._set_status(i)
        self._set_status(j)
        for pos, before in zip((i, j), was_upper, strict=True):
            if before != (self.status[pos] == UPPER):
                full = self.q(pos, self.l) * np.float64(y[pos] * C)  # C_i y_i K_ik
                if before:
                    self.yGbar -= full
                else:
                    self.yGbar += full

    def reconstruct(self) -> None:
        """``reconstruct_gradient``: inactive G from G_bar and the free alphas, in libsvm's order."""
        a = self.active
        if a == self.l:
            return
        self.yG[a:] = self.yGbar[a:] - self.y[a:]  # y (G_bar + p), p = -1
        inactive = self.perm[a:]
        for pos in np.flatnonzero(self.status[:a] == FREE):
            # G_k += alpha_i Q_ik  ->  yG_k += alpha_i y_i K_ik, free i in position order
            self.yG[a:] += self.row(pos).take(inactive) * np.float64(self.alpha[pos] * self.y[pos])

    def shrink(self) -> None:
        """``do_shrinking``."""
        a = self.active
        yG = self.yG[:a]
        Gmax1 = np.where(self.up[:a], -yG, -INF).max()
        Gmax2 = np.where(self.low[:a], yG, -INF).max()
        if not self.unshrink and Gmax1 + Gmax2 <= self.eps * 10:
            self.unshrink = True
            self.reconstruct()
            self.active = a = self.l
            yG = self.yG
        shrunk = (~self.up[:a] & (-yG > Gmax1)) | (~self.low[:a] & (yG > Gmax2))
        kept = a - int(np.count_nonzero(shrunk))
        front = np.flatnonzero(shrunk[:kept])
        back = (kept + np.flatnonzero(~shrunk[kept:]))[::-1]
        if front.size:
            for name in ("perm", "alpha", "status", "yG", "yGbar", "y", "up", "low"):
                arr = getattr(self, name)
                arr[front], arr[back] = arr[back], arr[front].copy()
        self.active = kept

    def rho(self) -> float:
        """``calculate_rho`` (active = all)."""
        yG, y, status = self.yG, self.y, self.status
        free = status == FREE
        if free.any():
            return float(np.cumsum(yG[free])[-1] / np.count_nonzero(free))
        to_ub = ((status == UPPER) & (y < 0)) | ((status == LOWER) & (y > 0))
        to_lb = ((status == UPPER) & (y > 0)) | ((status == LOWER) & (y < 0))
        ub = yG[to_ub].min() if to_ub.any() else INF
        lb = yG[to_lb].max() if to_lb.any() else -INF
        return float((ub + lb) / 2)

    def run(self) -> Solution:
        it = 0
        counter = min(self.l, 1000) + 1
        with np.errstate(all="ignore"):
            while True:
                counter -= 1
                if counter == 0:
                    counter = min(self.l, 1000)
                    self.shrink()
                chosen = self.select()
                if chosen is None:
                    self.reconstruct()
                    self.active = self.l
                    chosen = self.select()
                    if chosen is None:
                        break
                    counter = 1
                it += 1
                self.update(*chosen)
            rho = self.rho()
        alpha = np.empty(self.l)
        alpha[self.perm] = self.alpha * self.y
        support = np.flatnonzero(alpha != 0)
        return Solution(support.astype(np.int32), alpha[support], -rho if rho != 0 else 0.0, it, len(self.seen))
