"""A class's drawings: saved by students within limits, undone, read, removed and imported by the teacher.

Limits on saving: ``max_drawings`` per class, ``saves_per_minute`` per drawer (counted in the
database), ``connection_saves_per_minute`` per connection and ``class_saves_per_minute`` per
class (counted in this process's memory, so imports, which count as many saves at once, do
not hold up students). A refusal keeps everything already saved.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from digitlib.errors import ClassClosedError, ClassLimitError, InvalidSettingError
from digitlib.language import N_

from . import codes, inputs
from .access import StoreAccess
from .limits import Slots, seconds
from .records import ClassSet
from .schema import DrawingRow

SAVING_PAUSED = N_("The teacher has paused saving in this class, so this was not saved. Wait until your "
                   "teacher opens it again.")


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class Drawings(StoreAccess):
    """The class set: every drawing saved in a class."""

    def save_drawing(self, code, drawer, label, image, request_id=None, connection=None) -> int:
        """Save a student's drawing; its id. Saving again with the same ``request_id`` returns the
        first save's id and adds nothing. ``ClassClosedError`` when the teacher paused saving;
        ``ClassLimitError`` when the class is full or a limit per minute is reached (per drawer,
        per ``connection``, per class)."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        label = inputs.label(label)
        pixels = inputs.image(image)
        request_id = inputs.request_id(request_id)
        connection = inputs.connection(connection)
        with Slots() as slots, self._write() as db:
            klass = self._class(db, code, lock=True)
            if request_id is not None:
                done = db.execute(select(DrawingRow.id, DrawingRow.class_id, DrawingRow.drawer)
                                  .where(DrawingRow.request_id == request_id)).first()
                if done is not None:
                    if (done.class_id, done.drawer) != (klass.id, drawer):
                        raise InvalidSettingError(
                            N_("This save's request id belongs to another drawing; reload the page."))
                    return done.id
            if not klass.saving_open:
                raise ClassClosedError(SAVING_PAUSED)
            now = self._now()  # read under the lock, so the window below sees every earlier save
            mine = (DrawingRow.drawer == drawer) & (DrawingRow.created_at > now - timedelta(minutes=1))
            have, recent = db.execute(
                select(func.count(), func.count().filter(mine)).where(DrawingRow.class_id == klass.id)).one()
            self._check_room(have, 1)
            if recent >= self.saves_per_minute:
                raise ClassLimitError(
                    N_("You saved {n} drawings in the last minute, the most allowed; "
                       "wait a moment, then save again."), n=self.saves_per_minute)
            slots.take(self._connection_saves, connection, lambda wait: ClassLimitError(
                N_("{n} drawings were saved from here in the last minute, the most allowed from one place; "
                   "wait {wait}, then save again. Drawings already saved are kept."),
                n=self._connection_saves.limit, wait=seconds(wait)))
            slots.take(self._class_saves, code, lambda wait: ClassLimitError(
                N_("Your class saved {n} drawings in the last minute, the most allowed; "
                   "wait {wait}, then save again. Drawings already saved are kept."),
                n=self._class_saves.limit, wait=seconds(wait)))
            drawing = db.execute(insert(DrawingRow).values(
                class_id=klass.id, label=label, pixels=pixels, drawer=drawer, request_id=request_id,
                created_at=now)).inserted_primary_key[0]
            self._used(db, klass)
            return drawing

    def _count(self, db, class_id: int) -> int:
        return db.execute(
            select(func.count()).select_from(DrawingRow).where(DrawingRow.class_id == class_id)).scalar_one()

    def _check_room(self, have: int, adding: int) -> None:
        if have + adding <= self.max_drawings:
            return
        if adding == 1:
            raise ClassLimitError(
                N_("This class already has {n} drawings, the most it can keep. "
                   "The teacher can delete some or clear the class to make room."), n=self.max_drawings)
        raise ClassLimitError(
            N_("Importing {adding} drawings would take the class past {most} "
               "(it has {have}); nothing was imported. Import fewer, or clear the class first."),
            adding=adding, most=self.max_drawings, have=have)

    def undo_last(self, code, drawer) -> int | None:
        """Delete this drawer's newest drawing in the class; its id, or None if it has none."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        with self._write() as db:
            klass = self._class(db, code, lock=True)
            newest = db.execute(
                select(DrawingRow.id).where(DrawingRow.class_id == klass.id, DrawingRow.drawer == drawer)
                .order_by(DrawingRow.id.desc()).limit(1)).scalar()
            if newest is not None:
                db.execute(delete(DrawingRow).where(DrawingRow.id == newest))
            self._used(db, klass)
            return newest

    def drawings(self, code) -> ClassSet:
        """All of the class's drawings, oldest first."""
        code = codes.normalise_code(code)
        with self._read() as db:
            klass = self._class(db, code)
            rows = db.execute(
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
        with self._read() as db:
            klass = self._class(db, code)
            count, newest = db.execute(
                select(func.count(), func.coalesce(func.max(DrawingRow.id), 0))
                .where(DrawingRow.class_id == klass.id)).one()
        return int(count), int(newest)

    def count(self, code) -> int:
        """How many drawings the class has."""
        code = codes.normalise_code(code)
        with self._read() as db:
            return self._count(db, self._class(db, code).id)

    def saved_by(self, code, drawer) -> int:
        """How many drawings ``drawer`` has in the class (a student's own count, across reloads)."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        with self._read() as db:
            klass = self._class(db, code)
            return db.execute(select(func.count()).select_from(DrawingRow).where(
                DrawingRow.class_id == klass.id, DrawingRow.drawer == drawer)).scalar_one()

    def relabel(self, code, token, drawing_ids, label) -> int:
        """Teacher: give these drawings of the class the digit ``label``; how many changed."""
        code = codes.normalise_code(code)
        ids = [inputs.row_id(each) for each in drawing_ids]
        label = inputs.label(label)
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            changed = db.execute(update(DrawingRow).where(
                DrawingRow.class_id == klass.id, DrawingRow.id.in_(ids)).values(label=label)).rowcount if ids else 0
            self._used(db, klass)
            return changed

    def delete_drawings(self, code, token, drawing_ids) -> int:
        """Teacher: delete these drawings of the class; how many were there."""
        code = codes.normalise_code(code)
        ids = [inputs.row_id(each) for each in drawing_ids]
        return self._teacher_delete(code, token, DrawingRow.id.in_(ids)) if ids else 0

    def delete_drawing(self, code, token, drawing_id) -> bool:
        """Teacher: delete one drawing of the class; whether it was there."""
        code = codes.normalise_code(code)
        drawing_id = inputs.row_id(drawing_id)
        return self._teacher_delete(code, token, DrawingRow.id == drawing_id) > 0

    def delete_drawer(self, code, token, drawer) -> int:
        """Teacher: delete every drawing one student (``drawer``) saved in the class; how many."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        return self._teacher_delete(code, token, DrawingRow.drawer == drawer)

    def clear(self, code, token) -> int:
        """Teacher: delete all of the class's drawings (not its board or question); how many."""
        code = codes.normalise_code(code)
        return self._teacher_delete(code, token)

    def _teacher_delete(self, code: str, token, *which) -> int:
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            removed = db.execute(delete(DrawingRow).where(DrawingRow.class_id == klass.id, *which)).rowcount
            self._used(db, klass)
            return removed

    def add_drawings(self, code, token, images, labels, drawer="import") -> int:
        """Teacher: add many drawings in one transaction; how many. If they would take the class
        past ``max_drawings``, ``ClassLimitError`` and nothing is added."""
        code = codes.normalise_code(code)
        drawer = inputs.drawer(drawer)
        pixels, digits = inputs.images(images, labels)
        with self._write() as db:
            klass = self._teacher_class(db, code, token)
            if not pixels:
                return 0
            self._check_room(self._count(db, klass.id), len(pixels))
            now = self._now()
            db.execute(insert(DrawingRow), [
                {"class_id": klass.id, "label": digit, "pixels": data, "drawer": drawer, "request_id": None,
                 "created_at": now}
                for data, digit in zip(pixels, digits, strict=True)])
            self._used(db, klass)
        return len(pixels)
