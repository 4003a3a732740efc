"""The class space's tables (SQLAlchemy 2 declarative, for SQLite and PostgreSQL).

The migrations in ``migrations/versions`` create exactly these tables; a test compares the
two. Change both together, in a new migration.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import true

PIXELS = 28 * 28
DRAWER_LENGTH = 32
REQUEST_ID_LENGTH = 64
NICKNAME_LENGTH = 20

# Fixed constraint names, so later migrations (SQLite's batch mode included) can name them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """A moment in time, always returned as an aware UTC datetime.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones, so UTC is stored naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must be timezone-aware")  # English: a programmer's error
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ClassRow(Base):
    """One class: its code, the hash of its teacher token, when it was last used (it expires
    some days later), whether it takes new students and saves, and its current question."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime())
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    saving_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    question_n: Mapped[int | None] = mapped_column(Integer)
    question_answer: Mapped[float | None] = mapped_column(Float)
    question_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class DrawingRow(Base):
    """A student's saved digit: 784 pixel bytes and its label."""

    __tablename__ = "drawings"
    __table_args__ = (
        CheckConstraint("label >= 0 AND label <= 9", name="label_digit"),
        CheckConstraint(f"length(pixels) = {PIXELS}", name="pixels_28x28"),
        Index("ix_drawings_class_drawer_time", "class_id", "drawer", "created_at"),
        {"sqlite_autoincrement": True},  # never hand out a deleted drawing's id again
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    label: Mapped[int] = mapped_column(SmallInteger)
    pixels: Mapped[bytes] = mapped_column(LargeBinary)
    drawer: Mapped[str] = mapped_column(String(DRAWER_LENGTH))
    request_id: Mapped[str | None] = mapped_column(String(REQUEST_ID_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExperimentRow(Base):
    """One model a student trained and posted to the class board."""

    __tablename__ = "experiments"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    drawer: Mapped[str] = mapped_column(String(DRAWER_LENGTH))
    n: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(Integer)
    C: Mapped[float] = mapped_column(Float)
    gamma: Mapped[str] = mapped_column(String(32))
    kernel: Mapped[str] = mapped_column(String(16))
    accuracy_100: Mapped[float] = mapped_column(Float)
    accuracy_10000: Mapped[float | None] = mapped_column(Float)
    fit_seconds: Mapped[float] = mapped_column(Float)
    nickname: Mapped[str | None] = mapped_column(String(NICKNAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GuessRow(Base):
    """A student's guess at the accuracy the teacher's question asks about; one per question."""

    __tablename__ = "guesses"
    __table_args__ = (UniqueConstraint("class_id", "drawer", "question_n"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    drawer: Mapped[str] = mapped_column(String(DRAWER_LENGTH))
    question_n: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
