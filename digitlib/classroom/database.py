"""Where the class space lives: engines for SQLite or PostgreSQL, and their migrations.

``DIGITS_DATABASE_URL`` names a database (``postgresql+psycopg://user:password@host/db``);
without it, a SQLite file ``digits.sqlite`` in ``DIGITS_DATA_DIR`` (default: the user's data
folder). SQLite is set up for several processes and threads at once: write-ahead log, every
commit synced to disk, and write transactions that take the write lock when they begin, so
one that checks a limit and then inserts cannot be overtaken by another.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from ..errors import StorageUnavailableError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0001"  # the newest migration; a test checks it against migrations/versions
VERSION_TABLE = "alembic_version"
BUSY_TIMEOUT_S = 30
READ_ONLY = "digits_read_only"  # execution option: SQLite reads need no write lock
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x6469676974730001


def default_url() -> str:
    """``$DIGITS_DATABASE_URL``, else the SQLite file ``digits.sqlite`` in ``$DIGITS_DATA_DIR``
    (default: the user's data folder), which is created if need be."""
    url = os.environ.get("DIGITS_DATABASE_URL", "").strip()
    if url:
        return url
    folder = os.environ.get("DIGITS_DATA_DIR", "").strip()
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir("digits")
    folder = Path(folder).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailableError(
            f"The folder for the class database cannot be created ({folder}). Ask whoever runs the app "
            "to make it writable, or to set DIGITS_DATA_DIR or DIGITS_DATABASE_URL to a place that can "
            "be written.") from exc
    return URL.create("sqlite+pysqlite", database=str(folder / "digits.sqlite")).render_as_string()


def is_memory(url: str | URL) -> bool:
    """Whether ``url`` is an in-memory SQLite database (each connection would get its own)."""
    url = _parse(url)
    return url.get_backend_name() == "sqlite" and (url.database in (None, "", ":memory:")
                                                   or url.query.get("mode") == "memory")


def _parse(url: str | URL) -> URL:
    url = make_url(url)
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver we ship, not psycopg2
    return url


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url`` set up for many threads and processes writing at once.

    Statement parameters (pixels, token hashes) are kept out of logs and error messages.
    """
    url = _parse(url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if is_memory(url):
            raise sa.exc.ArgumentError("an in-memory SQLite database cannot be shared between connections")
        engine = sa.create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            hide_parameters=True, pool_size=5, max_overflow=10, pool_timeout=60,
        )
        _set_up_sqlite(engine)
        return engine
    if backend == "postgresql":
        return sa.create_engine(
            url, connect_args={"connect_timeout": 10, "application_name": "digits"},
            hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=60,
        )
    raise sa.exc.ArgumentError(f"unsupported database backend {backend}")


def _set_up_sqlite(engine: Engine) -> None:
    # SQLAlchemy's pysqlite recipe: stop the driver's own BEGIN handling and emit ours.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # In WAL mode readers never block writers; a writer takes the lock up front, because a
        # read that later turns into a write fails with "database is locked" instead of waiting.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def describe(url: str | URL) -> str:
    """Where the data lives, in words for a teacher, without any password."""
    try:
        url = _parse(url)
    except Exception:
        return "a database whose address (DIGITS_DATABASE_URL) cannot be read"
    backend = url.get_backend_name()
    if backend == "sqlite":
        if is_memory(url):
            return "a temporary SQLite database in this server's memory"
        return f"a SQLite file on this server: {url.database}"
    name = {"postgresql": "PostgreSQL"}.get(backend, backend)
    where = url.host or "this server"
    if url.port:
        where += f":{url.port}"
    return f"{name} database {url.database or '(default)'} on {where}"


def durability_note(url: str | URL) -> str | None:
    """A warning for the teacher when saved drawings may not outlive the app; None if they will."""
    try:
        url = _parse(url)
    except Exception:
        return None
    if url.get_backend_name() != "sqlite":
        return None
    if is_memory(url):
        return "Drawings are kept in memory only and are lost when the app stops."
    return ("Drawings are kept in a file on this server. Where the server's disk is wiped on "
            "restart (as on Streamlit Community Cloud), set DIGITS_DATABASE_URL to a PostgreSQL "
            "database to keep them.")


def current_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at, or None for an empty database."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest migration; safe when several processes start at once."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        if current_revision(connection) == HEAD:
            return  # the usual start: nothing to do, and Alembic need not be imported
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    # One transaction holds the lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock
    # released at commit), so a second process waits, then finds the work done. DDL is
    # transactional on both, so a crash mid-way leaves the database as it was.
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as exc:  # at a revision this version of the app does not know
            raise NewerSchemaError(current_revision(connection)) from exc


class NewerSchemaError(StorageUnavailableError):
    """The database was migrated by a newer version of the app than this one."""

    def __init__(self, revision):
        self.revision = revision
        super().__init__(
            f"The class database was set up by a newer version of this app (schema {str(revision)[:12]}). "
            "Nothing in it was changed. Ask whoever runs the app to update it.")
