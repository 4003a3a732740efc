"""The class space's API: ``ClassStore``, what the pages call to keep a class's work.

Make one store per process and share it between sessions and threads: it holds a pool of
connections, and every method opens and closes its own transaction. A method that writes has
committed when it returns. Limits counted in the database hold however many sessions or
processes write at once: a write first locks the class (SQLite: the database's write lock;
PostgreSQL: the class's row), then counts, then inserts. Limits per connection, on joining by
code and on saves per class per minute are counted in this process's memory (``limits``).

The parts live in their own modules: ``lifecycle`` (classes: create, join, close, delete,
expire), ``drawings``, ``experiments`` (the board), ``questions``; ``access`` holds what they
share, ``records`` what they return.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa

from digitlib.errors import StorageUnavailableError
from digitlib.language import N_

from . import database
from .drawings import Drawings
from .experiments import Board
from .failures import guarded
from .lifecycle import EXPIRY_DAYS, ClassLifecycle, expiry_days_from_env
from .limits import WRONG_CODES_PER_CONNECTION, WRONG_CODES_PER_SERVER, JoinGuard, SlidingWindow
from .questions import Questions
from .records import ClassSet, ClassStatus, Experiment, NewClass, Question

__all__ = ["ClassStore", "ClassSet", "ClassStatus", "Experiment", "NewClass", "Question", "EXPIRY_DAYS"]

MAX_DRAWINGS = 10_000                # per class
SAVES_PER_MINUTE = 30                # per drawer (a browser, by its cookie)
# Per connection (an address): a school's network may put a whole class behind one, and thirty students
# saving a drawing every 10 s make 180 saves a minute; the load test's class (bench/loadtest) posts ~90 models a minute.
CONNECTION_SAVES_PER_MINUTE = 240
CLASS_SAVES_PER_MINUTE = 600         # per class
MAX_EXPERIMENTS = 1_000              # per class, on the board
CONNECTION_POSTS_PER_MINUTE = 240    # board posts per connection
CLASS_POSTS_PER_MINUTE = 300         # board posts per class
MAX_GUESSERS = 300                   # per question of a class
CONNECTION_GUESSES_PER_MINUTE = 120  # per connection
_MINUTE = 60.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ClassStore(ClassLifecycle, Drawings, Board, Questions):
    """Classes, their drawings, board and question, in the database at ``url``.

    ``url`` None means ``database.default_url()``. The database is migrated to the newest
    schema on construction, and classes unused for ``expiry_days`` (None: ``$DIGITS_CLASS_EXPIRY_DAYS``,
    default 30) are deleted then and at most hourly from writes (not with ``auto_expire=False``).
    ``clock()`` returns the current aware UTC time (for tests). Raises ``StorageUnavailableError``
    if the database cannot be reached or written. ``where`` and ``durability_note`` say where the
    data lives, for whoever runs the app (not for visitors).

    The limits are keyword arguments, defaults in the constants above; each module says how it
    counts them (``drawings``, ``experiments``, ``questions``; ``limits`` for wrong class codes).
    """

    def __init__(self, url: str | None = None, *, max_drawings: int = MAX_DRAWINGS,
                 saves_per_minute: int = SAVES_PER_MINUTE, max_experiments: int = MAX_EXPERIMENTS,
                 connection_saves_per_minute: int = CONNECTION_SAVES_PER_MINUTE,
                 class_saves_per_minute: int = CLASS_SAVES_PER_MINUTE,
                 connection_posts_per_minute: int = CONNECTION_POSTS_PER_MINUTE,
                 class_posts_per_minute: int = CLASS_POSTS_PER_MINUTE, max_guessers: int = MAX_GUESSERS,
                 connection_guesses_per_minute: int = CONNECTION_GUESSES_PER_MINUTE,
                 wrong_codes_per_connection: int = WRONG_CODES_PER_CONNECTION,
                 wrong_codes_per_server: int = WRONG_CODES_PER_SERVER,
                 expiry_days: float | None = None, auto_expire: bool = True, clock=None):
        self.max_drawings = int(max_drawings)
        self.saves_per_minute = int(saves_per_minute)
        self.max_experiments = int(max_experiments)
        self.class_posts_per_minute = int(class_posts_per_minute)
        self.max_guessers = int(max_guessers)
        self.expiry_days = expiry_days_from_env() if expiry_days is None else expiry_days
        if not (isinstance(self.expiry_days, (int, float)) and self.expiry_days > 0):
            raise ValueError("expiry_days must be a positive number of days")  # English: a setting, for the operator
        # The rate limits run on the store's clock when one is given (tests), else on a monotonic one.
        seconds = (lambda: self._seconds()) if clock else time.monotonic
        clock = clock or _utc_now
        self._connection_saves = SlidingWindow(connection_saves_per_minute, _MINUTE, clock=seconds)
        self._class_saves = SlidingWindow(class_saves_per_minute, _MINUTE, clock=seconds)
        self._connection_posts = SlidingWindow(connection_posts_per_minute, _MINUTE, clock=seconds)
        self._connection_guesses = SlidingWindow(connection_guesses_per_minute, _MINUTE, clock=seconds)
        self._join_guard = JoinGuard(per_connection=wrong_codes_per_connection, per_server=wrong_codes_per_server,
                                     clock=seconds)
        if url is None:
            url = database.default_url()
        self.where = database.describe(url)
        self.durability_note = database.durability_note(url)
        try:
            if database.is_memory(url):
                raise StorageUnavailableError(N_(
                    "An in-memory SQLite database cannot be shared between sessions. Set DIGITS_DATABASE_URL "
                    "to a file (sqlite:////path/to/digits.sqlite) or a PostgreSQL database, or leave it unset."))
            engine = database.make_engine(url)
        except (sa.exc.ArgumentError, ImportError, ValueError):
            # Not chained: the parser's message repeats the whole address, password and all.
            raise StorageUnavailableError(N_(
                "DIGITS_DATABASE_URL is not a database address this app can use. It should look like "
                "postgresql+psycopg://user:password@host/database; leave it unset to keep a SQLite file "
                "on this server.")) from None
        self._start_access(engine, engine.execution_options(**{database.READ_ONLY: True}), clock, auto_expire)
        with guarded(self.where):
            database.upgrade(self._engine)
        self._expire_if_due()

    def close(self) -> None:
        """Close the pooled connections (the store may still be used; it reconnects)."""
        self._engine.dispose()
