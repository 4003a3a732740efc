"""A class's life: created, joined by code, used, closed, handed a new token, deleted or expired.

A class unused for ``expiry_days`` (default 30, or ``$DIGITS_CLASS_EXPIRY_DAYS``) is deleted
with everything in it. Every write to a class counts as use, and so does ``touch``.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import insert, select, update

from digitlib.errors import ClassClosedError, ClassCodeError, StorageUnavailableError
from digitlib.language import N_

from . import codes, inputs
from .access import EXPIRY_CHECK, StoreAccess
from .records import ClassStatus, NewClass
from .schema import ClassRow

EXPIRY_DAYS = 30
EXPIRY_ENV = "DIGITS_CLASS_EXPIRY_DAYS"
_MAX_EXPIRY_DAYS = 36_500
_CODE_ATTEMPTS = 10
_log = logging.getLogger("digitlib.classroom.store")


def expiry_days_from_env() -> int:
    """``$DIGITS_CLASS_EXPIRY_DAYS`` as a whole number of days; 30 if unset or invalid (logged)."""
    text = os.environ.get(EXPIRY_ENV, "").strip()
    if not text:
        return EXPIRY_DAYS
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= _MAX_EXPIRY_DAYS:
        _log.warning("%s=%r is not a whole number of days from 1 to %d; classes expire after %d days",
                     EXPIRY_ENV, text[:40], _MAX_EXPIRY_DAYS, EXPIRY_DAYS)
        return EXPIRY_DAYS
    return days


class ClassLifecycle(StoreAccess):
    """Creating, finding, joining, closing and deleting classes."""

    def create_class(self) -> NewClass:
        """A new class with a fresh code and teacher token (only the token's hash is kept)."""
        token = codes.new_token()
        for _ in range(_CODE_ATTEMPTS):
            code = codes.new_code()
            try:
                with self._write() as connection:
                    taken = connection.execute(select(ClassRow.id).where(ClassRow.code == code)).first()
                    if taken is None:
                        now = self._now()
                        connection.execute(insert(ClassRow).values(
                            code=code, token_hash=codes.hash_token(token), created_at=now, last_used_at=now,
                            joining_open=True, saving_open=True))
                        self._remember(code, now)
                        return NewClass(code=code, token=token)
            except sa.exc.IntegrityError:
                pass  # another process took the same code a moment ago
        raise StorageUnavailableError(N_("No free class code was found; try again."))

    def exists(self, code: str) -> bool:
        """Whether a class has this code; ``ClassCodeError`` if it cannot be a code."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            return connection.execute(select(ClassRow.id).where(ClassRow.code == code)).first() is not None

    def is_teacher(self, code: str, token: str | None) -> bool:
        """Whether ``token`` is the teacher token of the class ``code`` (False if no such class)."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            stored = connection.execute(select(ClassRow.token_hash).where(ClassRow.code == code)).scalar()
        return stored is not None and codes.token_matches(token, stored)

    def _status(self, row) -> ClassStatus:
        return ClassStatus(code=row.code, created_at=row.created_at, last_used_at=row.last_used_at,
                           expires_at=row.last_used_at + timedelta(days=self.expiry_days),
                           joining_open=bool(row.joining_open), saving_open=bool(row.saving_open))

    def status(self, code) -> ClassStatus:
        """The class's dates and whether it takes new students and saves."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            return self._status(self._class(connection, code))

    def join(self, code, connection: str | None) -> ClassStatus:
        """A student joining by code from ``connection`` (an address; None if unknown): the class.

        ``JoinThrottledError`` without looking the code up when too many wrong codes were tried
        from there or on the whole server; ``ClassCodeError`` for a wrong code (counted);
        ``ClassClosedError`` when the teacher closed the class to new students.
        """
        who = inputs.connection(connection)
        self._join_guard.check(who)
        code = codes.normalise_code(code)  # not a code at all: it cannot find a class, so not counted
        with self._read() as reading:
            row = reading.execute(select(ClassRow).where(ClassRow.code == code)).first()
        if row is None:
            self._join_guard.failed(who)
            raise ClassCodeError(N_("No class has the code {code}. Check the code with your teacher."), code=code)
        if not row.joining_open:
            raise ClassClosedError(
                N_("The teacher has closed this class to new students. Ask your teacher to open it again."))
        return self._status(row)

    def touch(self, code) -> None:
        """Mark the class used now; writes at most once an hour per class from this process, so a
        page may call it on every run."""
        code = codes.normalise_code(code)
        if self._recently_touched(code, self._now()):
            return
        with self._write() as connection:
            self._used(connection, self._class(connection, code, lock=True))

    def delete_class(self, code, token) -> None:
        """Teacher: delete the class and everything in it, at once and for good."""
        code = codes.normalise_code(code)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            self._delete_classes(connection, [klass.id])
        self._forget([code])

    def replace_token(self, code, token) -> str:
        """Teacher: a fresh teacher token (its hash replaces the old one's, which stops working)."""
        code = codes.normalise_code(code)
        fresh = codes.new_token()
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            connection.execute(update(ClassRow).where(ClassRow.id == klass.id).values(
                token_hash=codes.hash_token(fresh)))
            self._used(connection, klass)
        return fresh

    def set_joining(self, code, token, open: bool) -> None:  # `open`: the API's word
        """Teacher: let new students join by code (True) or not (False)."""
        self._switch(code, token, joining_open=inputs.switch(open, "joining"))

    def set_saving(self, code, token, open: bool) -> None:
        """Teacher: let students save drawings and guesses (True), or pause it (False)."""
        self._switch(code, token, saving_open=inputs.switch(open, "saving"))

    def _switch(self, code, token, **values) -> None:
        code = codes.normalise_code(code)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            connection.execute(update(ClassRow).where(ClassRow.id == klass.id).values(**values))
            self._used(connection, klass)

    def expire(self) -> list[str]:
        """Delete every class unused for ``expiry_days``, with everything in it; their codes."""
        now = self._now()
        with self._expiry_lock:
            self._next_expiry = now + EXPIRY_CHECK
        cutoff = now - timedelta(days=self.expiry_days)
        with self._begin() as connection:
            # Locked, and on PostgreSQL checked again once locked: a class used meanwhile stays.
            rows = connection.execute(select(ClassRow.id, ClassRow.code).where(ClassRow.last_used_at < cutoff)
                                      .order_by(ClassRow.id).with_for_update()).all()
            self._delete_classes(connection, [row.id for row in rows])
        gone = [row.code for row in rows]
        self._forget(gone)
        if gone:
            _log.info("deleted %d classes unused for %g days", len(gone), self.expiry_days)
        return gone
