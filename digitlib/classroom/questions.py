"""The teacher's guess-the-accuracy question: asked, guessed within limits, revealed.

At most ``max_guessers`` students guess one question (counted in the database), and a
connection sends at most ``connection_guesses_per_minute`` guesses (counted in memory).
Guessing pauses with saving (``set_saving``).
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from digitlib.errors import ClassClosedError, ClassLimitError, InvalidSettingError
from digitlib.language import N_

from . import codes, inputs
from .access import StoreAccess
from .limits import Slots, seconds
from .records import Question
from .schema import ClassRow, GuessRow

GUESSING_PAUSED = N_("The teacher has paused saving in this class, so your guess was not counted. Wait until "
                     "your teacher opens it again.")


class Questions(StoreAccess):
    """The class's question and its guesses."""

    def ask(self, code, token, n) -> None:
        """Teacher: ask "what accuracy will N = n get?"; hides any answer and starts the guesses afresh."""
        code = codes.normalise_code(code)
        n = inputs.sample_size(n)
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            db.execute(update(ClassRow).where(ClassRow.id == klass.id).values(
                question_n=n, question_answer=None, question_asked_at=self._now()))
            db.execute(delete(GuessRow).where(GuessRow.class_id == klass.id, GuessRow.question_n == n))
            self._used(db, klass)

    def guess(self, code, drawer, value, connection=None) -> None:
        """A student's guess (0-1) at the open question; a later guess replaces an earlier one.
        ``InvalidSettingError`` if no question is open (none asked, or its answer revealed);
        ``ClassClosedError`` while saving is paused; ``ClassLimitError`` past a limit."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        value = inputs.fraction(value, "guess")
        connection = inputs.connection(connection)
        with Slots() as slots, self._write() as db:
            klass = self._class(db, code, lock=True)
            if not klass.saving_open:
                raise ClassClosedError(GUESSING_PAUSED)
            if klass.question_n is None:
                raise InvalidSettingError(N_("There is no question to answer yet; wait for your teacher to ask one."))
            if klass.question_answer is not None:
                raise InvalidSettingError(N_("The answer to this question has been revealed; wait for the next one."))
            slots.take(self._connection_guesses, connection, lambda wait: ClassLimitError(
                N_("{n} guesses were sent from here in the last minute, the most allowed from one place; "
                   "wait {wait}, then guess again."), n=self._connection_guesses.limit, wait=seconds(wait)))
            now = self._now()
            this_question = (GuessRow.class_id == klass.id, GuessRow.question_n == klass.question_n)
            changed = db.execute(update(GuessRow).where(*this_question, GuessRow.drawer == drawer)
                                 .values(value=value, created_at=now))
            if changed.rowcount == 0:
                guessers = db.execute(select(func.count()).select_from(GuessRow).where(*this_question)).scalar_one()
                if guessers >= self.max_guessers:
                    raise ClassLimitError(
                        N_("This question already has {n} guesses, the most it takes, so yours "
                           "was not counted; wait for the next question."), n=self.max_guessers)
                db.execute(insert(GuessRow).values(
                    class_id=klass.id, drawer=drawer, question_n=klass.question_n, value=value, created_at=now))
            self._used(db, klass)

    def reveal(self, code, token, answer) -> None:
        """Teacher: reveal the question's answer (0-1); guessing closes."""
        code = codes.normalise_code(code)
        answer = inputs.fraction(answer, "answer")
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            if klass.question_n is None:
                raise InvalidSettingError(N_("Ask a question before revealing its answer."))
            db.execute(update(ClassRow).where(ClassRow.id == klass.id).values(question_answer=answer))
            self._used(db, klass)

    def question(self, code) -> Question | None:
        """The class's current question with its guesses (oldest first), or None if none was asked."""
        code = codes.normalise_code(code)
        with self._read() as db:
            klass = self._class(db, code)
            if klass.question_n is None:
                return None
            guesses = db.execute(select(GuessRow.value).where(
                GuessRow.class_id == klass.id, GuessRow.question_n == klass.question_n).order_by(GuessRow.id)).scalars()
            return Question(n=klass.question_n, answer=klass.question_answer, guesses=list(guesses))
