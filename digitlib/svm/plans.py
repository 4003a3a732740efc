"""How ``fast_fit`` trains within a memory budget: the fastest plan whose memory fits.

Three ways give the same exact model (tests compare them with ``SVC.fit``):

* ``rows``: ``smo`` (libsvm's solver, step for step) on kernel rows made on demand
  (``kernel_rows``), each digit's own rows kept for its other pairs: little memory, the
  fastest from about 15,000 images up.
* ``blocks``: libsvm itself on precomputed kernel matrices, each digit's block shared by its
  9 pairs: the fastest for small sizes, but every worker holds a whole float64 pair matrix.
* ``libsvm``: libsvm computing its own kernel values, pair by pair (slow, little memory).

``plan_for(counts, budget_mb)`` picks one; ``DIGITS_TRAIN_MEMORY_MB`` sets the budget
(default: half the machine's memory). The budget is what training may add to the process
that already holds the images.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# below this many images libsvm on shared blocks is faster than the row solver (measured)
BLOCKS_BELOW = 15_000
# the row solver asks for the rows of at most this share of a pair's images (13% measured at 60,000)
ROW_SHARE = 0.2
# the most memory worth giving to the digits' own kernel rows
ROW_CACHE_MB = 400.0
PIXELS = 784


@dataclass(frozen=True)
class Plan:
    """How one training runs: ``how`` (rows, blocks or libsvm), its threads, and its memory."""

    how: str
    workers: int
    estimate_mb: float
    budget_mb: float
    cache_mb: float = 0.0  # rows: memory for the digits' own kernel rows

    def describe(self) -> str:
        names = {"rows": "exact SMO on kernel rows", "blocks": "libsvm on shared kernel blocks",
                 "libsvm": "libsvm's own kernel, pair by pair"}
        cache = f", {self.cache_mb:.0f} MB row cache" if self.how == "rows" else ""
        return (f"{names[self.how]}, {self.workers} worker(s){cache}; "
                f"~{self.estimate_mb:.0f} MB of {self.budget_mb:.0f} MB budget")


def training_memory_mb() -> float:
    """Memory ``fit`` may use: ``DIGITS_TRAIN_MEMORY_MB``, else half the machine's.

    "The machine's" is the container's limit where there is one (cgroup), else physical memory.
    """
    env = os.environ.get("DIGITS_TRAIN_MEMORY_MB")
    if env:
        return float(env)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            total = min(total, int(Path(limit_file).read_text().strip()))
        except (OSError, ValueError):  # no such file, or "max"
            pass
    return total / 2 / 2**20


def kernel_memory_bytes(counts, workers: int) -> int:
    """Peak memory of the shared-block training (``blocks``) for these class sizes.

    The float32 block of each digit with itself is kept; each worker holds one float64
    pair matrix (libsvm's precomputed input) and temporaries (a generous 8 bytes per
    entry of the largest digit's block).
    """
    counts = sorted(counts)
    largest_pair = counts[-1] + counts[-2] if len(counts) > 1 else counts[-1]
    per_worker = 8 * largest_pair**2 + 8 * counts[-1] ** 2
    return 4 * sum(c * c for c in counts) + workers * per_worker


def row_memory_bytes(counts, workers: int, cache_mb: float) -> int:
    """Peak memory of the row solver (``rows``): every digit's pixels as float32, the row
    cache, and per worker the rows its pair asked for (``ROW_SHARE``) and temporaries."""
    counts = sorted(counts)
    largest_pair = counts[-1] + counts[-2] if len(counts) > 1 else counts[-1]
    per_worker = 4 * ROW_SHARE * largest_pair**2 + 64 * largest_pair + 2**20
    return int(4 * PIXELS * sum(counts) + cache_mb * 2**20 + workers * per_worker)


def plan_for(counts, budget_mb: float | None = None, threads: int | None = None) -> Plan:
    """The fastest plan for classes of these sizes (or a total ``int``, split evenly in 10)
    whose memory fits in ``budget_mb`` (default ``training_memory_mb()``)."""
    if isinstance(counts, int | np.integer):
        counts = [counts // 10 + (1 if k < counts % 10 else 0) for k in range(10)]
    counts = [int(c) for c in counts]
    budget = training_memory_mb() if budget_mb is None else float(budget_mb)
    most = threads or os.cpu_count() or 1
    mb = 2.0**20

    def rows(workers):
        fixed = row_memory_bytes(counts, workers, 0) / mb
        cache = max(0.0, min(ROW_CACHE_MB, (budget - fixed) * 0.8))
        return Plan("rows", workers, fixed + cache, budget, cache)

    def blocks(workers):
        return Plan("blocks", workers, kernel_memory_bytes(counts, workers) / mb, budget)

    tried = [rows(w) for w in range(most, 0, -1)]
    shared = [blocks(w) for w in range(most, 0, -1)]
    tried = shared + tried if sum(counts) < BLOCKS_BELOW else tried + shared
    for plan in tried:
        if plan.estimate_mb <= budget:
            return plan
    return Plan("libsvm", most, 0.0, budget)


def shared_kernel_workers(y: np.ndarray, memory_mb: float | None = None, threads: int | None = None) -> int:
    """Workers the shared-block training of these labels can use in ``memory_mb`` (default
    ``training_memory_mb()``); 0 if it does not fit."""
    counts = np.unique(y, return_counts=True)[1].tolist()
    budget = (training_memory_mb() if memory_mb is None else memory_mb) * 2**20
    return _workers_within(budget, threads or os.cpu_count() or 1, counts)


def _workers_within(budget: float, most: int, counts) -> int:
    """How many workers (up to ``most``) the shared-block training can use in ``budget`` bytes; 0 if none."""
    for workers in range(most, 0, -1):
        if kernel_memory_bytes(counts, workers) <= budget:
            return workers
    return 0
