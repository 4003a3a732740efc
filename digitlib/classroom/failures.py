"""Database and disk failures as one ``StorageUnavailableError`` a teacher can act on.

The message says what happened and what to do, never where the database is (a path, a host):
visitors see it. Where it happened goes to the log, for whoever runs the app.
"""

from __future__ import annotations

import errno
import logging
from contextlib import contextmanager

import sqlalchemy as sa

from digitlib.errors import StorageUnavailableError
from digitlib.language import N_

_log = logging.getLogger("digitlib.classroom.store")
MESSAGES = {
    "busy": N_("The class database is busy. Nothing already saved is lost. Try again in a minute; if it keeps "
               "happening, ask whoever runs the app to check the database."),
    "unreachable": N_("The class database cannot be reached. Nothing already saved is lost. Try again in a minute; "
                      "if it keeps happening, ask whoever runs the app to check the database."),
    "full": N_("The disk of the class database is full. Nothing already saved is lost. "
               "Ask whoever runs the app to free some space."),
    "unwritable": N_("The class database cannot be opened or written. Nothing already saved is lost. Ask "
                     "whoever runs the app to make its place writable, or to set DIGITS_DATABASE_URL to a "
                     "database that can be written."),
    "login": N_("The class database refused the app's login. Ask whoever runs the app to check the user name "
                "and password in DIGITS_DATABASE_URL."),
}


@contextmanager
def guarded(where: str):
    """Turn a database or disk failure inside the block into ``StorageUnavailableError``;
    ``where`` (the database, in words) is logged only."""
    try:
        yield
    except sa.exc.IntegrityError:
        raise  # a broken constraint is a bug or a race the caller handles, not an outage
    except (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError) as exc:
        reason = failure(exc)
        _log.warning("class database %s: %s (%s)", where, reason, type(getattr(exc, "orig", exc)).__name__)
        raise StorageUnavailableError(MESSAGES[reason]) from exc


def failure(exc: BaseException) -> str:
    """What went wrong, in a word (a key of ``MESSAGES``), from a driver or OS error."""
    text = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, sa.exc.TimeoutError) or "locked" in text or "busy" in text:
        return "busy"
    if "full" in text or "no space" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return "full"
    if "authentication" in text or "password" in text or "role" in text and "does not exist" in text:
        return "login"
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text \
            or isinstance(exc, OSError):
        return "unwritable"
    return "unreachable"
