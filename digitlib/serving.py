"""Process settings for a server that answers many sessions at once.

A classroom server runs one script thread per session in a single process. Two
defaults that suit one user cost a class dearly:

* BLAS spreads each small product over every core and spins while it waits. On a
  busy machine a drawing's prediction (one image) then took 3.3 ms of CPU instead of
  0.7 ms with one thread; idle, the difference is small (``bench/draw.py`` prints
  both). One BLAS thread per session thread lets the sessions themselves share the cores.
* glibc gives each new thread its own memory arena (up to eight per core) and
  rarely hands freed memory back, so numpy temporaries from many threads keep the
  process large after the work is done. Two arenas and an occasional trim keep it
  near what is really in use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

from threadpoolctl import threadpool_limits

REPO_ROOT = Path(__file__).resolve().parent.parent  # holds digitlib: child processes import it from here
_M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h
_limits = None


def tune(blas_threads: int | None = None, arenas: int | None = None) -> dict:
    """Apply the settings once per process; returns what was applied.

    ``DIGITS_BLAS_THREADS`` (default 1) and ``DIGITS_MALLOC_ARENAS`` (default 2)
    override the defaults; 0 leaves that setting alone.
    """
    global _limits
    blas_threads = int(os.environ.get("DIGITS_BLAS_THREADS", "1")) if blas_threads is None else blas_threads
    arenas = int(os.environ.get("DIGITS_MALLOC_ARENAS", "2")) if arenas is None else arenas
    applied = {}
    if blas_threads > 0 and _limits is None:
        _limits = threadpool_limits(blas_threads)
        applied["blas_threads"] = blas_threads
    libc = _glibc()
    if arenas > 0 and libc is not None and libc.mallopt(_M_ARENA_MAX, arenas) == 1:
        applied["malloc_arenas"] = arenas
    return applied


def release_memory() -> bool:
    """Hand memory that Python has freed back to the system (glibc only); True if any was."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))


def _glibc():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both exist only in glibc
    except (OSError, AttributeError):
        return None
    return libc


def child_environment() -> dict[str, str]:
    """The environment of a child process that imports TensorFlow (the keras source, the neural worker):
    this repository importable first, TensorFlow's C++ logging quiet."""
    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=path)
