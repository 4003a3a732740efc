"""The class board's rows: the models students trained, posted within limits, tidied by the teacher.

A drawer posting the same settings again gets the first post's id and adds nothing. Limits:
``max_experiments`` per class, ``class_posts_per_minute`` per class (counted in the database)
and ``connection_posts_per_minute`` per connection (counted in this process's memory).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update

from digitlib.errors import ClassLimitError
from digitlib.language import N_

from . import codes, inputs
from .access import StoreAccess
from .limits import Slots, seconds
from .records import Experiment
from .schema import NICKNAME_LENGTH, ExperimentRow

SETTINGS = ("n", "mode", "seed", "C", "gamma", "kernel")  # what makes two posts the same model


class Board(StoreAccess):
    """Experiments on the class board."""

    def record_experiment(self, code, drawer, *, n, mode, seed, C, gamma, kernel, accuracy_100,
                          accuracy_10000, fit_seconds, nickname=None, connection=None) -> int:
        """Post a trained model's settings and scores to the class board; its id (the earlier
        post's, if this drawer posted these settings before). ``ClassLimitError`` when the board is
        full or too many models were posted in the last minute (by the class, or from ``connection``)."""
        code = codes.normalise_code(code)
        values = {
            "drawer": inputs.drawer(drawer), "n": inputs.sample_size(n), "mode": inputs.mode(mode),
            "seed": inputs.seed(seed), "C": inputs.positive(C, "C"), "gamma": inputs.gamma(gamma),
            "kernel": inputs.kernel(kernel), "accuracy_100": inputs.fraction(accuracy_100, "accuracy"),
            "accuracy_10000": None if accuracy_10000 is None else inputs.fraction(accuracy_10000, "accuracy"),
            "fit_seconds": inputs.seconds(fit_seconds), "nickname": inputs.nickname(nickname),
        }
        connection = inputs.connection(connection)
        same = [getattr(ExperimentRow, name) == values[name] for name in ("drawer", *SETTINGS)]
        with Slots() as slots, self._write() as db:
            klass = self._class(db, code, lock=True)
            earlier = db.execute(select(ExperimentRow.id).where(ExperimentRow.class_id == klass.id, *same)
                                 .order_by(ExperimentRow.id).limit(1)).scalar()
            if earlier is not None:
                return earlier
            now = self._now()
            posted, recent = db.execute(
                select(func.count(), func.count().filter(ExperimentRow.created_at > now - timedelta(minutes=1)))
                .where(ExperimentRow.class_id == klass.id)).one()
            if posted >= self.max_experiments:
                raise ClassLimitError(
                    N_("The class board is full ({n} experiments); the teacher can clear it to make room."),
                    n=self.max_experiments)
            if recent >= self.class_posts_per_minute:
                raise ClassLimitError(
                    N_("Your class posted {n} models to the board in the last minute, "
                       "the most allowed; open this model again in a minute to post it."),
                    n=self.class_posts_per_minute)
            slots.take(self._connection_posts, connection, lambda wait: ClassLimitError(
                N_("{n} models were posted from here in the last minute, the most allowed from one place; "
                   "wait {wait}, then open this model again to post it."),
                n=self._connection_posts.limit, wait=seconds(wait)))
            values["nickname"] = self._unique_nickname(db, klass.id, values["drawer"], values["nickname"])
            experiment = db.execute(insert(ExperimentRow).values(
                class_id=klass.id, created_at=now, **values)).inserted_primary_key[0]
            self._used(db, klass)
            return experiment

    @staticmethod
    def _unique_nickname(db, class_id: int, drawer: str, nickname: str | None) -> str | None:
        """``nickname``, or with " 2", " 3"… if another student of the class already goes by it."""
        if nickname is None:
            return None
        taken = {}
        for name, who in db.execute(select(ExperimentRow.nickname, ExperimentRow.drawer).where(
                ExperimentRow.class_id == class_id, ExperimentRow.nickname.is_not(None))):
            taken.setdefault(name.casefold(), set()).add(who)
        number, candidate = 1, nickname
        while taken.get(candidate.casefold(), {drawer}) != {drawer}:
            number += 1
            suffix = f" {number}"
            candidate = nickname[:NICKNAME_LENGTH - len(suffix)].rstrip() + suffix
        return candidate

    def nickname_of(self, code, drawer) -> str | None:
        """The nickname ``drawer`` used last on this class's board, or None."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        with self._read() as db:
            klass = self._class(db, code)
            return db.execute(select(ExperimentRow.nickname).where(
                ExperimentRow.class_id == klass.id, ExperimentRow.drawer == drawer,
                ExperimentRow.nickname.is_not(None)).order_by(ExperimentRow.id.desc()).limit(1)).scalar()

    def experiments(self, code) -> list[Experiment]:
        """The class board, oldest first."""
        code = codes.normalise_code(code)
        with self._read() as db:
            klass = self._class(db, code)
            rows = db.execute(select(ExperimentRow).where(ExperimentRow.class_id == klass.id)
                              .order_by(ExperimentRow.id)).all()
        return [Experiment(id=r.id, drawer=r.drawer, n=r.n, mode=r.mode, seed=r.seed, C=r.C, gamma=r.gamma,
                           kernel=r.kernel, accuracy_100=r.accuracy_100, accuracy_10000=r.accuracy_10000,
                           fit_seconds=r.fit_seconds, nickname=r.nickname, saved_at=r.created_at)
                for r in rows]

    def clear_experiments(self, code, token) -> int:
        """Teacher: empty the class board; how many experiments were removed."""
        return self._teacher_write(code, token, lambda class_id: delete(ExperimentRow).where(
            ExperimentRow.class_id == class_id))

    def delete_experiment(self, code, token, experiment_id) -> bool:
        """Teacher: remove one experiment from the class board; whether it was there."""
        experiment_id = inputs.row_id(experiment_id, "experiment")
        return self._teacher_write(code, token, lambda class_id: delete(ExperimentRow).where(
            ExperimentRow.class_id == class_id, ExperimentRow.id == experiment_id)) > 0

    def clear_nickname(self, code, token, experiment_id) -> bool:
        """Teacher: show one experiment as anonymous (its nickname removed); whether it was there."""
        experiment_id = inputs.row_id(experiment_id, "experiment")
        return self._teacher_write(code, token, lambda class_id: update(ExperimentRow).where(
            ExperimentRow.class_id == class_id, ExperimentRow.id == experiment_id).values(nickname=None)) > 0

    def _teacher_write(self, code, token, statement) -> int:
        """Run ``statement(class_id)`` for the teacher of ``code``; how many rows it changed."""
        code = codes.normalise_code(code)
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            changed = db.execute(statement(klass.id)).rowcount
            self._used(db, klass)
            return changed
