"""One training of a model at a time, however many processes or machines ask for it.

Servers that share a model folder (``DIGITS_CACHE_DIR``) take this lock, named after the model's file,
before training; whoever gets it second looks in the folder again and reads the first one's file
instead of training. With a PostgreSQL class database (``DIGITS_DATABASE_URL``) the lock is a
PostgreSQL advisory lock, which works across machines (and is let go if the holder's process dies);
otherwise it is an ``fcntl`` lock on a small file in the model folder, which works on one machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,150}")  # a model file's stem: no folder, no leading dot
POLL_SECONDS = 0.2
TELL_EVERY = 2.0  # seconds between calls of ``waiting`` while another holds the lock
_engines: dict[str, object] = {}
_engines_lock = threading.Lock()
os.register_at_fork(after_in_child=_engines.clear)  # a forked child must not share its parent's connections


def backend(url: str | None = None) -> str:
    """``"postgresql"`` if the class database (``url``, default ``$DIGITS_DATABASE_URL``) is PostgreSQL,
    else ``"file"``."""
    url = (os.environ.get("DIGITS_DATABASE_URL", "") if url is None else url).strip()
    return "postgresql" if re.match(r"postgres(ql)?(\+\w+)?://", url) else "file"


def advisory_key(name: str) -> int:
    """The signed 64-bit PostgreSQL advisory-lock key for the model file ``name``."""
    digest = hashlib.sha256(b"digits-model:" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def held(name: str, folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock for the model file ``name`` (its stem) in ``folder`` until the block ends.

    Waits as long as another process holds it, calling ``waiting()`` every couple of seconds meanwhile
    (a worker tells its watchdog it is alive). Look in ``folder`` again inside the block before training.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a model file name: {name!r}")  # English: a programmer's error
    if backend() == "postgresql":
        connection = _advisory_connection()
        if connection is not None:
            with _advisory(connection, name, waiting):
                yield
            return
    with _file_lock(Path(folder), name, waiting):
        yield


def _wait(try_once: Callable[[], bool], waiting: Callable[[], None] | None, name: str) -> None:
    started = told = time.monotonic()
    while not try_once():
        if waiting is not None and time.monotonic() - told >= TELL_EVERY:
            waiting()
            told = time.monotonic()
        time.sleep(POLL_SECONDS)
    if (waited := time.monotonic() - started) >= POLL_SECONDS:
        print(f"digits: waited {waited:.1f} s for another process's training of {name}", file=sys.stderr, flush=True)


def announce(name: str) -> None:
    """Say in the server's log that this process trains ``name`` (one line per training, whichever server)."""
    print(f"digits: training {name} (pid {os.getpid()})", file=sys.stderr, flush=True)


@contextmanager
def _file_lock(folder: Path, name: str, waiting) -> Iterator[None]:
    path = folder / f".{name}.lock"
    opened = []

    def try_once() -> bool:
        if not opened:
            opened.append(open(path, "a"))
        f = opened[-1]
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        try:  # the holder before us removes the file as it lets go: then ours is a stale copy
            if os.fstat(f.fileno()).st_ino == os.stat(path).st_ino:
                return True
        except FileNotFoundError:
            pass
        opened.pop().close()
        return False

    try:
        folder.mkdir(parents=True, exist_ok=True)
        _wait(try_once, waiting, name)
    except OSError:  # a folder nobody can write shares no models either: train without the lock
        for f in opened:
            f.close()
        yield
        return
    try:
        yield
    finally:
        path.unlink(missing_ok=True)  # no lock file left behind; a waiter sees it gone and opens a new one
        opened[-1].close()  # closing lets go of the lock


def _advisory_connection():
    """A connection to the class database outside any transaction, or None (with a note) if it cannot
    be reached: then the file lock stands in, which still serves the servers of one machine."""
    import sqlalchemy as sa

    from digitlib.classroom.database import default_url, make_engine

    url = default_url()
    try:
        with _engines_lock:
            engine = _engines.get(url) or _engines.setdefault(url, make_engine(url))
        return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except sa.exc.SQLAlchemyError as exc:
        print(f"digits: the model lock falls back to a file lock: the database cannot be reached "
              f"({type(exc).__name__})", file=sys.stderr)
        return None


@contextmanager
def _advisory(connection, name: str, waiting) -> Iterator[None]:
    import sqlalchemy as sa

    key = advisory_key(name)
    take = sa.text("SELECT pg_try_advisory_lock(:key)")
    try:
        _wait(lambda: bool(connection.execute(take, {"key": key}).scalar()), waiting, name)
        try:
            yield
        finally:
            try:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            except sa.exc.SQLAlchemyError:
                pass  # a lost connection has let go of the lock already
    finally:
        connection.close()
