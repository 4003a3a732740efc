"""Where the class space lives: engines for SQLite or PostgreSQL, and their migrations.

``DIGITS_DATABASE_URL`` names a database (``postgresql+psycopg://user:password@host/db``);
without it, a SQLite file ``digits.sqlite`` in ``DIGITS_DATA_DIR`` (default: the user's data
folder). SQLite is set up for several processes and threads at once: write-ahead log, every
commit synced to disk, and write transactions that take the write lock when they begin, so
one that checks a limit and then inserts cannot be overtaken by another. The SQLite file and
its folder are readable by the server's user only (0600 and 0700).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from digitlib.errors import StorageUnavailableError
from digitlib.language import N_

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"  # the newest migration; a test checks it against migrations/versions
VERSION_TABLE = "alembic_version"
BUSY_TIMEOUT_S = 30
READ_ONLY = "digits_read_only"  # execution option: SQLite reads need no write lock
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x6469676974730001
FOLDER_MODE, FILE_MODE = 0o700, 0o600
_log = logging.getLogger(__name__)


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
        if not folder.is_dir():
            folder.mkdir(parents=True, mode=FOLDER_MODE, exist_ok=True)
            folder.chmod(FOLDER_MODE)  # whatever the umask: for the server's user only
    except OSError as exc:
        _log.warning("the class database folder %s cannot be created: %s", folder, exc)
        raise StorageUnavailableError(N_(
            "The folder for the class database cannot be created. Ask whoever runs the app to make it "
            "writable, or to set DIGITS_DATA_DIR or DIGITS_DATABASE_URL to a place that can be "
            "written.")) from None
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
            raise sa.exc.ArgumentError("an in-memory SQLite database cannot be shared between connections")  # English:
        if not url.query.get("uri"):  # a "file:" URI names its file in its own way: left to SQLite
            _private_file(Path(url.database))
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
    raise sa.exc.ArgumentError(f"unsupported database backend {backend}")  # English: for the operator


def _private_file(path: Path) -> None:
    """Create the SQLite file as 0600 before SQLite does (its -wal and -shm files take the same
    mode), or bring an existing one of ours down to 0600. Failures are left to SQLite to report."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            try:
                if each.exists() and each.stat().st_mode & 0o077 and each.stat().st_uid == os.geteuid():
                    each.chmod(FILE_MODE)
            except OSError as exc:
                _log.warning("cannot make %s private: %s", each, exc)
    except OSError:
        return  # no folder, or not writable: opening the database says so
    else:
        os.close(descriptor)


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
    """A warning for the teacher when saved drawings may not outlive the app; None if they will.
    In English (marked ``N_``): a page translates it where it shows it."""
    try:
        url = _parse(url)
    except Exception:
        return None
    if url.get_backend_name() != "sqlite":
        return None
    if is_memory(url):
        return N_("Drawings are kept in memory only and are lost when the app stops.")
    return N_("Drawings are kept in a file on this server. Where the server's disk is wiped on "
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
    with migrating(engine) as connection:
        _migrate(connection)


@contextmanager
def migrating(engine: Engine):
    """A connection in a transaction for migrations, committed at the end.

    The transaction holds the lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock
    released at commit), so a second process waits, then finds the work done. DDL is
    transactional on both, so a crash mid-way leaves the database as it was. SQLite alters a
    table by copying it and dropping the old one, which with foreign keys on would delete every
    drawing of a dropped class: they are off here (the pragma only works outside a transaction,
    so this connection never goes back to the pool) and checked before the commit.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise StorageUnavailableError(N_(
                        "Upgrading the class database would leave drawings without their class, so "
                        "nothing was changed. Ask whoever runs the app to check the database."))
        finally:
            if sqlite:
                connection.invalidate()


def _migrate(connection: sa.Connection) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

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
        super().__init__(N_(
            "The class database was set up by a newer version of this app (schema {schema}). "
            "Nothing in it was changed. Ask whoever runs the app to update it."), schema=str(revision)[:12])
