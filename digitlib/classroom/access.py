"""What every part of ``ClassStore`` shares: transactions, finding a class, marking it used.

Every write runs in one transaction that locks its class first (SQLite: the database's write
lock, taken at BEGIN; PostgreSQL: the class's row, FOR UPDATE), then checks, then writes, and
marks the class used (``last_used_at``). At most once an hour a write first deletes the classes
unused for ``expiry_days`` (``ClassStore.expire``).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from digitlib.errors import ClassCodeError, DigitsError, NotTeacherError
from digitlib.language import N_

from . import codes
from .failures import guarded
from .schema import ClassRow, DrawingRow, ExperimentRow, GuessRow

EXPIRY_CHECK = timedelta(hours=1)   # how often writes look for expired classes
TOUCH_INTERVAL = timedelta(hours=1)  # touch() writes a class's last use at most this often
MAX_REMEMBERED = 10_000             # classes whose last touch this process remembers
_DELETE_BATCH = 500
_log = logging.getLogger("digitlib.classroom.store")


class StoreAccess:
    """Transactions and class lookups; ``ClassStore.__init__`` sets the attributes used here."""

    where: str
    expiry_days: float

    def _start_access(self, engine, reader, clock, auto_expire: bool) -> None:
        self._engine, self._reader, self._clock = engine, reader, clock
        self._auto_expire = auto_expire
        self._expiry_lock = threading.Lock()
        self._next_expiry: datetime | None = None
        self._touch_lock = threading.Lock()
        self._touched: OrderedDict[str, datetime] = OrderedDict()  # code -> last use written

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def _begin(self):
        with guarded(self.where), self._engine.begin() as connection:
            yield connection

    @contextmanager
    def _write(self):
        """A write transaction, after deleting expired classes if that is due."""
        self._expire_if_due()
        with self._begin() as connection:
            yield connection

    @contextmanager
    def _read(self):
        with guarded(self.where), self._reader.connect() as connection, connection.begin():
            yield connection

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("clock() must return an aware datetime")  # English: for tests
        return now

    def _seconds(self) -> float:
        """The clock in seconds, for the rate limits."""
        return self._now().timestamp()

    # --- finding a class -------------------------------------------------------------------

    def _class(self, connection, code: str, *, lock: bool = False):
        """The row of the class ``code`` (already normalised); with ``lock``, held until commit."""
        query = select(ClassRow).where(ClassRow.code == code)
        if lock:  # PostgreSQL: FOR UPDATE; SQLite ignores it, its write transaction holds the lock already
            query = query.with_for_update()
        row = connection.execute(query).first()
        if row is None:
            raise ClassCodeError(N_("No class has the code {code}. Check the code with your teacher."), code=code)
        return row

    def _teacher_class(self, connection, code: str, token, *, lock: bool = True):
        row = self._class(connection, code, lock=lock)
        if not codes.token_matches(token, row.token_hash):
            raise NotTeacherError(
                N_("Only the teacher can do this. Open the class from the teacher link you got when "
                   "you created it."))
        return row

    # --- use and expiry ----------------------------------------------------------------------

    def _used(self, connection, klass) -> None:
        """Mark the locked class ``klass`` used now (in the caller's transaction)."""
        now = self._now()
        connection.execute(update(ClassRow).where(ClassRow.id == klass.id).values(last_used_at=now))
        self._remember(klass.code, now)

    def _remember(self, code: str, when: datetime) -> None:
        with self._touch_lock:
            self._touched[code] = when
            self._touched.move_to_end(code)
            while len(self._touched) > MAX_REMEMBERED:
                self._touched.popitem(last=False)

    def _recently_touched(self, code: str, now: datetime) -> bool:
        with self._touch_lock:
            when = self._touched.get(code)
        return when is not None and timedelta(0) <= now - when < TOUCH_INTERVAL

    def _forget(self, gone) -> None:
        with self._touch_lock:
            for code in gone:
                self._touched.pop(code, None)

    def _expire_if_due(self) -> None:
        """Run ``expire()`` if the last run was an hour ago or more (a cheap check otherwise)."""
        if not self._auto_expire:
            return
        now = self._now()
        with self._expiry_lock:
            if self._next_expiry is not None and now < self._next_expiry:
                return
            self._next_expiry = now + EXPIRY_CHECK
        try:
            self.expire()  # ClassLifecycle's
        except DigitsError as exc:  # the write goes on; the next check is in an hour
            _log.warning("deleting expired classes failed: %s", exc)

    @staticmethod
    def _delete_classes(connection, class_ids: list[int]) -> None:
        """Delete these classes and every row that belongs to them, table by table (foreign-key
        cascades are not relied on: SQLite's are off in other programs)."""
        for start in range(0, len(class_ids), _DELETE_BATCH):
            batch = class_ids[start:start + _DELETE_BATCH]
            for table in (GuessRow, ExperimentRow, DrawingRow):
                connection.execute(delete(table).where(table.class_id.in_(batch)))
            connection.execute(delete(ClassRow).where(ClassRow.id.in_(batch)))
