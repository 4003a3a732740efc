"""Databases for the class-space tests: a SQLite file or a PostgreSQL schema, new for each test.

PostgreSQL is the server at ``DIGITS_TEST_POSTGRES_URL`` (a database where its user may create
schemas, and databases for the one test that drops its database), or else a private server
started for the test session from Debian's binaries (``/usr/lib/postgresql/*/bin``): loopback
only, its data in a temporary folder, run as the ``postgres`` user when the tests run as root,
stopped at the end. Without either, the PostgreSQL tests are skipped on a laptop and fail under
``CI``. Each test gets its own schema as the connection's ``search_path`` (a fresh database
would take 0.2 s to create; a schema takes a millisecond), so it sees an empty database.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")


def _newest_binaries() -> Path | None:
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateServer:
    """A throwaway PostgreSQL server on 127.0.0.1, trusting local connections."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        # As root, in /tmp itself: $TMPDIR may be a folder the postgres user cannot enter.
        self.root = Path(tempfile.mkdtemp(prefix="digits-pg-", dir="/tmp" if self.as_root else None))
        self.data = self.root / "data"
        self.run_dir = self.root / "run"  # socket and log: written by the server's user
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        # PostgreSQL refuses to run as root, so root hands it to the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        done = subprocess.run(prefix + list(args), capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode:
            log = self.run_dir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed:\n{done.stdout}\n{done.stderr}\n{tail}")

    def start(self) -> None:
        self.root.chmod(0o755)  # mkdtemp makes it 0700: the postgres user must get through it
        for folder in (self.data, self.run_dir):
            folder.mkdir(mode=0o700)
            if self.as_root:
                shutil.chown(folder, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.run_dir} -c max_connections=200"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.run_dir / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def _created(admin_url: str, create: str, drop: list[str]):
    """Run ``create`` on the server at ``admin_url``, yield, then run the ``drop`` statements."""
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(create)
        yield
        with admin.connect() as connection:
            for statement in drop:
                connection.exec_driver_sql(statement)
    finally:
        admin.dispose()


@contextmanager
def fresh_postgres_database(admin_url: str):
    """A new, empty database on the server at ``admin_url``; its URL. Dropped afterwards."""
    import sqlalchemy as sa

    name = "digits_test_" + uuid.uuid4().hex[:12]
    with _created(admin_url, f'CREATE DATABASE "{name}"', [f'DROP DATABASE "{name}" WITH (FORCE)']):
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin_url():
    """A PostgreSQL server URL whose user may create databases, for the whole test session."""
    url = os.environ.get("DIGITS_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bindir = _newest_binaries()
    if bindir is None:
        reason = ("the PostgreSQL tests need DIGITS_TEST_POSTGRES_URL or Debian's postgresql "
                  "(apt-get install postgresql)")
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: .ci/run should have installed it", pytrace=False)
        pytest.skip(reason)
    server = PrivateServer(bindir)
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


@contextmanager
def fresh_postgres_schema(admin_url: str):
    """A new, empty schema on the server at ``admin_url``; a URL that sees only it. Dropped afterwards."""
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    with _created(admin_url, f"CREATE SCHEMA {name}", ["SET lock_timeout = '60s'", f"DROP SCHEMA {name} CASCADE"]):
        url = sa.make_url(admin_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_test_url(postgres_admin_url):
    """The database the tests make their schemas in: a new one on the private server."""
    if os.environ.get("DIGITS_TEST_POSTGRES_URL"):
        yield postgres_admin_url
        return
    with fresh_postgres_database(postgres_admin_url) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def class_db_url(request, tmp_path):
    """The URL of an empty class database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'class.sqlite'}"
        return
    with fresh_postgres_schema(request.getfixturevalue("postgres_test_url")) as url:
        yield url
