"""Whether this machine can afford a TensorFlow worker next to the app.

TensorFlow alone takes about 700 MB once imported; training the network at N = 60,000
peaks near 1,000 MB in the worker (``bench/neural.py`` prints the figure). The
worker gets a budget, ``DIGITS_NEURAL_MEMORY_MB`` (default 1,500): the service stops it
if it grows past that. ``DIGITS_NEURAL=0`` turns training off altogether, as on the
smallest hosted tier (690 MB for everything), where the ready-made networks still work.
"""

from __future__ import annotations

import os
from pathlib import Path

from digitlib.errors import NeuralUnavailableError
from digitlib.language import N_

DEFAULT_MB = 1_500
NEED_MB = 1_100  # the worker's measured peak at N = 60,000, with some room


def budget_mb() -> int:
    """The most memory the worker may use before it is stopped."""
    try:
        return int(os.environ.get("DIGITS_NEURAL_MEMORY_MB", DEFAULT_MB))
    except ValueError:
        return DEFAULT_MB


def available_mb() -> int:
    """Memory free for a new process: the smaller of the system's and the container's (cgroup) headroom."""
    free = _meminfo_mb("MemAvailable")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = int(Path("/sys/fs/cgroup/memory.current").read_text())
            free = min(free, (int(limit) - used) // 2**20)
    except (OSError, ValueError):
        pass
    return int(free)


def check(free_memory: bool = True) -> None:
    """Raise ``NeuralUnavailableError`` with the reason if a worker cannot be started here.

    ``free_memory=False`` skips the look at free memory: a worker of ours already holds it."""
    if os.environ.get("DIGITS_NEURAL", "1") == "0":
        raise NeuralUnavailableError(N_("Training neural networks is turned off on this server (DIGITS_NEURAL=0)."))
    budget = budget_mb()
    if budget < NEED_MB:
        raise NeuralUnavailableError(
            N_("This server gives the neural network {budget} MB of memory (DIGITS_NEURAL_MEMORY_MB), and training "
               "one needs about {need} MB: TensorFlow alone takes about 700 MB."), budget=budget, need=NEED_MB)
    free = available_mb() if free_memory else NEED_MB
    if free < NEED_MB:
        raise NeuralUnavailableError(
            N_("This server has only {free} MB of memory free, and training a neural network needs about "
               "{need} MB: TensorFlow alone takes about 700 MB."), free=free, need=NEED_MB)


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    """A process's resident memory (``VmHWM``: its peak so far) in MB, from /proc; 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _meminfo_mb(field: str) -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")
