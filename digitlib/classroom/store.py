"""The class space's API: ``ClassStore``, what the pages call to keep a class's work.

Make one store per process and share it between sessions and threads: it holds a pool of
connections, and every method opens and closes its own transaction. A method that writes has
committed when it returns. Limits hold however many sessions or processes write at once: a
write first locks the class (SQLite: the database's write lock; PostgreSQL: the class's row),
then counts, then inserts.
"""

from __future__ import annotations

import errno
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import sqlalchemy as sa
from sqlalchemy import delete, func, insert, select, update

from ..errors import (
    ClassCodeError,
    ClassLimitError,
    InvalidSettingError,
    NotTeacherError,
    StorageUnavailableError,
)
from . import codes, database, inputs
from .schema import ClassRow, DrawingRow, ExperimentRow, GuessRow

MAX_DRAWINGS = 10_000      # per class
SAVES_PER_MINUTE = 30      # per drawer (session)
MAX_EXPERIMENTS = 1_000    # per class, on the board
_CODE_ATTEMPTS = 10
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewClass:
    """A class just created: the code to share with students and the teacher's secret token."""

    code: str
    token: str


@dataclass(frozen=True)
class ClassSet:
    """A class's drawings, oldest first. The arrays are read-only."""

    ids: np.ndarray        # int64 (n,)
    images: np.ndarray     # uint8 (n, 28, 28)
    labels: np.ndarray     # uint8 (n,)
    drawers: np.ndarray    # str (n,) anonymous session ids
    saved_at: list[datetime]

    def __len__(self) -> int:
        return len(self.ids)

    def counts(self) -> np.ndarray:
        """How many drawings of each digit 0-9, shape (10,)."""
        return np.bincount(self.labels, minlength=10)


@dataclass(frozen=True)
class Experiment:
    """A model a student trained, as shown on the class board."""

    id: int
    drawer: str
    n: int
    mode: str
    seed: int
    C: float
    gamma: str
    kernel: str
    accuracy_100: float
    accuracy_10000: float | None
    fit_seconds: float
    nickname: str | None
    saved_at: datetime


@dataclass(frozen=True)
class Question:
    """The teacher's question "what accuracy will N = n get?"; ``answer`` is None until revealed."""

    n: int
    answer: float | None
    guesses: list[float]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class ClassStore:
    """Classes, their drawings, board and question, in the database at ``url``.

    ``url`` None means ``database.default_url()``. The database is migrated to the newest
    schema on construction. ``clock()`` returns the current aware UTC time (for tests).
    Raises ``StorageUnavailableError`` if the database cannot be reached or written.
    """

    def __init__(self, url: str | None = None, *, max_drawings: int = MAX_DRAWINGS,
                 saves_per_minute: int = SAVES_PER_MINUTE, max_experiments: int = MAX_EXPERIMENTS,
                 clock=None):
        self.max_drawings = int(max_drawings)
        self.saves_per_minute = int(saves_per_minute)
        self.max_experiments = int(max_experiments)
        self._clock = clock or _utc_now
        if url is None:
            url = database.default_url()
        self.where = database.describe(url)
        self.durability_note = database.durability_note(url)
        try:
            if database.is_memory(url):
                raise StorageUnavailableError(
                    "An in-memory SQLite database cannot be shared between sessions. Set DIGITS_DATABASE_URL "
                    "to a file (sqlite:////path/to/digits.sqlite) or a PostgreSQL database, or leave it unset.")
            self._engine = database.make_engine(url)
        except (sa.exc.ArgumentError, ImportError, ValueError):
            # Not chained: the parser's message repeats the whole address, password and all.
            raise StorageUnavailableError(
                "DIGITS_DATABASE_URL is not a database address this app can use. It should look like "
                "postgresql+psycopg://user:password@host/database; leave it unset to keep a SQLite file "
                "on this server.") from None
        self._reader = self._engine.execution_options(**{database.READ_ONLY: True})
        with self._guard():
            database.upgrade(self._engine)

    def close(self) -> None:
        """Close the pooled connections (the store may still be used; it reconnects)."""
        self._engine.dispose()

    # --- transactions and errors -------------------------------------------------------

    @contextmanager
    def _guard(self):
        """Turn a database or disk failure into one ``StorageUnavailableError`` for the teacher."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise  # a broken constraint is a bug or a race the caller handles, not an outage
        except (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError) as exc:
            reason = _failure(exc)
            _log.warning("class database %s: %s (%s)", self.where, reason, type(getattr(exc, "orig", exc)).__name__)
            raise StorageUnavailableError(_message(reason, self.where)) from exc

    @contextmanager
    def _write(self):
        with self._guard(), self._engine.begin() as connection:
            yield connection

    @contextmanager
    def _read(self):
        with self._guard(), self._reader.connect() as connection, connection.begin():
            yield connection

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("clock() must return an aware datetime")
        return now

    def _class(self, connection, code: str, *, lock: bool = False):
        """The row of the class ``code`` (already normalised); with ``lock``, held until commit."""
        query = select(ClassRow).where(ClassRow.code == code)
        if lock:  # PostgreSQL: FOR UPDATE; SQLite ignores it, its write transaction holds the lock already
            query = query.with_for_update()
        row = connection.execute(query).first()
        if row is None:
            raise ClassCodeError(f"No class has the code {code}. Check the code with your teacher.")
        return row

    def _teacher_class(self, connection, code: str, token, *, lock: bool = True):
        row = self._class(connection, code, lock=lock)
        if not codes.token_matches(token, row.token_hash):
            raise NotTeacherError(
                "Only the teacher can do this. Open the class from the teacher link you got when "
                "you created it.")
        return row

    # --- classes ----------------------------------------------------------------------

    def create_class(self) -> NewClass:
        """A new class with a fresh code and teacher token (only the token's hash is kept)."""
        token = codes.new_token()
        for _ in range(_CODE_ATTEMPTS):
            code = codes.new_code()
            try:
                with self._write() as connection:
                    taken = connection.execute(select(ClassRow.id).where(ClassRow.code == code)).first()
                    if taken is None:
                        connection.execute(insert(ClassRow).values(
                            code=code, token_hash=codes.hash_token(token), created_at=self._now()))
                        return NewClass(code=code, token=token)
            except sa.exc.IntegrityError:
                pass  # another process took the same code a moment ago
        raise StorageUnavailableError("No free class code was found; try again.")

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

    # --- drawings ---------------------------------------------------------------------

    def save_drawing(self, code, drawer, label, image, canvas_png=None, request_id=None) -> int:
        """Save a student's drawing; its id. Saving again with the same ``request_id`` returns the
        first save's id and adds nothing. ``ClassLimitError`` when the class is full or this
        drawer saved ``saves_per_minute`` drawings in the last 60 s."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        label = inputs.label(label)
        pixels = inputs.image(image)
        canvas_png = inputs.png(canvas_png)
        request_id = inputs.request_id(request_id)
        with self._write() as connection:
            klass = self._class(connection, code, lock=True)
            if request_id is not None:
                done = connection.execute(
                    select(DrawingRow.id, DrawingRow.class_id, DrawingRow.drawer)
                    .where(DrawingRow.request_id == request_id)).first()
                if done is not None:
                    if (done.class_id, done.drawer) != (klass.id, drawer):
                        raise InvalidSettingError("This save's request id belongs to another drawing; reload the page.")
                    return done.id
            now = self._now()  # read under the lock, so the window below sees every earlier save
            mine = (DrawingRow.drawer == drawer) & (DrawingRow.created_at > now - timedelta(minutes=1))
            have, recent = connection.execute(
                select(func.count(), func.count().filter(mine)).where(DrawingRow.class_id == klass.id)).one()
            self._check_room(have, 1)
            if recent >= self.saves_per_minute:
                raise ClassLimitError(
                    f"You saved {self.saves_per_minute} drawings in the last minute, the most allowed; "
                    "wait a moment, then save again.")
            return connection.execute(insert(DrawingRow).values(
                class_id=klass.id, label=label, pixels=pixels, canvas_png=canvas_png, drawer=drawer,
                request_id=request_id, created_at=now)).inserted_primary_key[0]

    def _count(self, connection, class_id: int) -> int:
        return connection.execute(
            select(func.count()).select_from(DrawingRow).where(DrawingRow.class_id == class_id)).scalar_one()

    def _check_room(self, have: int, adding: int) -> None:
        if have + adding <= self.max_drawings:
            return
        if adding == 1:
            raise ClassLimitError(
                f"This class already has {self.max_drawings:,} drawings, the most it can keep. "
                "The teacher can delete some or clear the class to make room.")
        raise ClassLimitError(
            f"Importing {adding:,} drawings would take the class past {self.max_drawings:,} "
            f"(it has {have:,}); nothing was imported. Import fewer, or clear the class first.")

    def undo_last(self, code, drawer) -> int | None:
        """Delete this drawer's newest drawing in the class; its id, or None if it has none."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        with self._write() as connection:
            klass = self._class(connection, code, lock=True)
            newest = connection.execute(
                select(DrawingRow.id).where(DrawingRow.class_id == klass.id, DrawingRow.drawer == drawer)
                .order_by(DrawingRow.id.desc()).limit(1)).scalar()
            if newest is not None:
                connection.execute(delete(DrawingRow).where(DrawingRow.id == newest))
            return newest

    def drawings(self, code) -> ClassSet:
        """All of the class's drawings, oldest first."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            klass = self._class(connection, code)
            rows = connection.execute(
                select(DrawingRow.id, DrawingRow.label, DrawingRow.pixels, DrawingRow.drawer,
                       DrawingRow.created_at)
                .where(DrawingRow.class_id == klass.id).order_by(DrawingRow.id)).all()
        n = len(rows)
        images = np.frombuffer(b"".join(row.pixels for row in rows), dtype=np.uint8).reshape(n, 28, 28)
        return ClassSet(
            ids=_read_only(np.fromiter((row.id for row in rows), dtype=np.int64, count=n)),
            images=images,  # frombuffer over bytes is read-only already
            labels=_read_only(np.fromiter((row.label for row in rows), dtype=np.uint8, count=n)),
            drawers=_read_only(np.array([row.drawer for row in rows], dtype=str)),
            saved_at=[row.created_at for row in rows],
        )

    def revision(self, code) -> tuple[int, int]:
        """A cheap fingerprint of the class set, (count, newest id): it changes whenever a drawing
        is saved, deleted or imported, so a copy read earlier can be reused until then."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            klass = self._class(connection, code)
            count, newest = connection.execute(
                select(func.count(), func.coalesce(func.max(DrawingRow.id), 0))
                .where(DrawingRow.class_id == klass.id)).one()
        return int(count), int(newest)

    def count(self, code) -> int:
        """How many drawings the class has."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            return self._count(connection, self._class(connection, code).id)

    def canvas_png(self, code, drawing_id) -> bytes | None:
        """The canvas PNG saved with a drawing of this class, or None (none kept, or no such drawing)."""
        code = codes.normalise_code(code)
        drawing_id = inputs.row_id(drawing_id)
        with self._read() as connection:
            klass = self._class(connection, code)
            data = connection.execute(select(DrawingRow.canvas_png).where(
                DrawingRow.id == drawing_id, DrawingRow.class_id == klass.id)).scalar()
        return None if data is None else bytes(data)

    def delete_drawing(self, code, token, drawing_id) -> bool:
        """Teacher: delete one drawing of the class; whether it was there."""
        code = codes.normalise_code(code)
        drawing_id = inputs.row_id(drawing_id)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            return connection.execute(delete(DrawingRow).where(
                DrawingRow.id == drawing_id, DrawingRow.class_id == klass.id)).rowcount > 0

    def clear(self, code, token) -> int:
        """Teacher: delete all of the class's drawings (not its board or question); how many."""
        code = codes.normalise_code(code)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            return connection.execute(delete(DrawingRow).where(DrawingRow.class_id == klass.id)).rowcount

    def add_drawings(self, code, token, images, labels, drawer="import") -> int:
        """Teacher: add many drawings in one transaction; how many. If they would take the class
        past ``max_drawings``, ``ClassLimitError`` and nothing is added."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        pixels, digits = inputs.images(images, labels)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            if not pixels:
                return 0
            self._check_room(self._count(connection, klass.id), len(pixels))
            now = self._now()
            connection.execute(insert(DrawingRow), [
                {"class_id": klass.id, "label": digit, "pixels": data, "canvas_png": None,
                 "drawer": drawer, "request_id": None, "created_at": now}
                for data, digit in zip(pixels, digits)])
        return len(pixels)

    # --- the board ----------------------------------------------------------------------

    def record_experiment(self, code, drawer, *, n, mode, seed, C, gamma, kernel, accuracy_100,
                          accuracy_10000, fit_seconds, nickname=None) -> int:
        """Post a trained model's settings and scores to the class board; its id."""
        code = codes.normalise_code(code)
        values = {
            "drawer": inputs.drawer(drawer), "n": inputs.sample_size(n), "mode": inputs.mode(mode),
            "seed": inputs.seed(seed), "C": inputs.positive(C, "C"), "gamma": inputs.gamma(gamma),
            "kernel": inputs.kernel(kernel), "accuracy_100": inputs.fraction(accuracy_100, "The accuracy"),
            "accuracy_10000": None if accuracy_10000 is None else inputs.fraction(accuracy_10000, "The accuracy"),
            "fit_seconds": inputs.seconds(fit_seconds), "nickname": inputs.nickname(nickname),
        }
        with self._write() as connection:
            klass = self._class(connection, code, lock=True)
            posted = connection.execute(
                select(func.count()).select_from(ExperimentRow).where(ExperimentRow.class_id == klass.id)).scalar_one()
            if posted >= self.max_experiments:
                raise ClassLimitError(
                    f"The class board is full ({self.max_experiments:,} experiments); "
                    "the teacher can clear it to make room.")
            return connection.execute(insert(ExperimentRow).values(
                class_id=klass.id, created_at=self._now(), **values)).inserted_primary_key[0]

    def experiments(self, code) -> list[Experiment]:
        """The class board, oldest first."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            klass = self._class(connection, code)
            rows = connection.execute(select(ExperimentRow).where(ExperimentRow.class_id == klass.id)
                                      .order_by(ExperimentRow.id)).all()
        return [Experiment(id=r.id, drawer=r.drawer, n=r.n, mode=r.mode, seed=r.seed, C=r.C, gamma=r.gamma,
                           kernel=r.kernel, accuracy_100=r.accuracy_100, accuracy_10000=r.accuracy_10000,
                           fit_seconds=r.fit_seconds, nickname=r.nickname, saved_at=r.created_at)
                for r in rows]

    def clear_experiments(self, code, token) -> int:
        """Teacher: empty the class board; how many experiments were removed."""
        code = codes.normalise_code(code)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            return connection.execute(delete(ExperimentRow).where(ExperimentRow.class_id == klass.id)).rowcount

    # --- the guess-the-accuracy question ---------------------------------------------

    def ask(self, code, token, n) -> None:
        """Teacher: ask "what accuracy will N = n get?"; hides any answer and starts the guesses afresh."""
        code = codes.normalise_code(code)
        n = inputs.sample_size(n)
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            connection.execute(update(ClassRow).where(ClassRow.id == klass.id).values(
                question_n=n, question_answer=None, question_asked_at=self._now()))
            connection.execute(delete(GuessRow).where(GuessRow.class_id == klass.id, GuessRow.question_n == n))

    def guess(self, code, drawer, value) -> None:
        """A student's guess (0-1) at the open question; a later guess replaces an earlier one.
        ``InvalidSettingError`` if no question is open (none asked, or its answer revealed)."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        value = inputs.fraction(value, "A guess")
        with self._write() as connection:
            klass = self._class(connection, code, lock=True)
            if klass.question_n is None:
                raise InvalidSettingError("There is no question to answer yet; wait for your teacher to ask one.")
            if klass.question_answer is not None:
                raise InvalidSettingError("The answer to this question has been revealed; wait for the next one.")
            mine = (GuessRow.class_id == klass.id, GuessRow.drawer == drawer, GuessRow.question_n == klass.question_n)
            changed = connection.execute(update(GuessRow).where(*mine).values(value=value, created_at=self._now()))
            if changed.rowcount == 0:
                connection.execute(insert(GuessRow).values(
                    class_id=klass.id, drawer=drawer, question_n=klass.question_n, value=value,
                    created_at=self._now()))

    def reveal(self, code, token, answer) -> None:
        """Teacher: reveal the question's answer (0-1); guessing closes."""
        code = codes.normalise_code(code)
        answer = inputs.fraction(answer, "The answer")
        with self._write() as connection:
            klass = self._teacher_class(connection, code, token)
            if klass.question_n is None:
                raise InvalidSettingError("Ask a question before revealing its answer.")
            connection.execute(update(ClassRow).where(ClassRow.id == klass.id).values(question_answer=answer))

    def question(self, code) -> Question | None:
        """The class's current question with its guesses (oldest first), or None if none was asked."""
        code = codes.normalise_code(code)
        with self._read() as connection:
            klass = self._class(connection, code)
            if klass.question_n is None:
                return None
            guesses = connection.execute(select(GuessRow.value).where(
                GuessRow.class_id == klass.id, GuessRow.question_n == klass.question_n).order_by(GuessRow.id)).scalars()
            return Question(n=klass.question_n, answer=klass.question_answer, guesses=list(guesses))


def _failure(exc: BaseException) -> str:
    """What went wrong, in a few words, from a driver or OS error."""
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


def _message(reason: str, where: str) -> str:
    again = "Try again in a minute; if it keeps happening, ask whoever runs the app to check the database."
    return {
        "busy": f"The class database is busy ({where}). Nothing already saved is lost. {again}",
        "unreachable": f"The class database cannot be reached ({where}). Nothing already saved is lost. {again}",
        "full": f"The disk of the class database is full ({where}). Nothing already saved is lost. "
                "Ask whoever runs the app to free some space.",
        "unwritable": f"The class database cannot be opened or written ({where}). Nothing already saved is "
                      "lost. Ask whoever runs the app to make that place writable, or to set "
                      "DIGITS_DATABASE_URL to a database that can be written.",
        "login": f"The class database refused the app's login ({where}). Ask whoever runs the app to check "
                 "the user name and password in DIGITS_DATABASE_URL.",
    }[reason]
