"""When storage fails: unreachable, vanished or refusing PostgreSQL, unwritable, busy or full SQLite,
bad URLs; each is a plain error, and the log says where it happened."""

import os
import socket
import sqlite3
from contextlib import closing

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from digitlib.classroom import database
from digitlib.classroom.store import ClassStore
from digitlib.errors import StorageUnavailableError
from tests.support.class_store import digit
from tests.support.databases import fresh_postgres_database


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_an_unreachable_postgresql_is_storage_unavailable():
    url = f"postgresql+psycopg://teacher:s3cret-pw@127.0.0.1:{closed_port()}/digits"
    with pytest.raises(StorageUnavailableError) as caught:
        ClassStore(url)
    message = str(caught.value)
    assert message.startswith("The class database cannot be reached. Nothing already saved is lost.")
    assert "Try again in a minute" in message and "127.0.0.1" not in message and "digits" not in message
    assert "s3cret" not in message and "s3cret" not in str(caught.value.__cause__)


def test_a_postgresql_database_that_goes_away_is_storage_unavailable(postgres_admin_url):
    with fresh_postgres_database(postgres_admin_url) as url:
        store = ClassStore(url)
        klass = store.create_class()
        name = sa.make_url(url).database
        admin = sa.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            with pytest.raises(StorageUnavailableError, match="cannot be reached") as caught:
                store.save_drawing(klass.code, "me", 1, digit())
            assert name not in str(caught.value) and "127.0.0.1" not in str(caught.value)
            with pytest.raises(StorageUnavailableError):
                store.drawings(klass.code)
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')  # for the context's own DROP
        admin.dispose()
        store.close()


@pytest.mark.parametrize("where", ["under a file", "in /proc", "read-only folder"])
def test_an_unwritable_sqlite_folder_is_storage_unavailable(tmp_path, monkeypatch, where):
    if where == "under a file":
        (tmp_path / "file").write_text("")
        monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path / "file" / "digits"))
        url = None
    elif where == "in /proc":  # no one may create files there, root included
        url = "sqlite:////proc/digits-test/digits.sqlite"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders; the /proc case covers root")
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o555)
        url = f"sqlite:///{folder / 'digits.sqlite'}"
    with pytest.raises(StorageUnavailableError, match="cannot be (created|opened or written)") as caught:
        ClassStore(url)
    message = str(caught.value)
    assert "DIGITS_DATABASE_URL" in message and "Traceback" not in message
    assert str(tmp_path) not in message and "/proc" not in message and "digits.sqlite" not in message


def test_a_login_postgresql_refuses_is_storage_unavailable(postgres_test_url):
    url = sa.make_url(postgres_test_url).set(username="nobody_here", password="s3cret-pw")
    with pytest.raises(StorageUnavailableError, match="refused the app's login") as caught:
        ClassStore(url.render_as_string(hide_password=False))
    assert "user name and password in DIGITS_DATABASE_URL" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_an_in_memory_database_is_refused_with_advice():
    with pytest.raises(StorageUnavailableError, match="cannot be shared between sessions"):
        ClassStore("sqlite://")


def test_a_sqlite_database_held_too_long_by_another_writer_is_busy(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}")
    klass = store.create_class()
    other = sqlite3.connect(tmp_path / "class.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    with pytest.raises(StorageUnavailableError, match="is busy") as caught:
        store.save_drawing(klass.code, "me", 1, digit())
    assert "Try again in a minute" in str(caught.value) and str(tmp_path) not in str(caught.value)
    assert store.count(klass.code) == 0  # reading goes on meanwhile
    other.execute("ROLLBACK")
    store.save_drawing(klass.code, "me", 1, digit())
    other.close()
    store.close()


def test_a_full_sqlite_disk_is_storage_unavailable(tmp_path):
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}")
    klass = store.create_class()
    store.save_drawing(klass.code, "me", 1, digit())
    with closing(sqlite3.connect(tmp_path / "class.sqlite")) as other:
        pages = other.execute("PRAGMA page_count").fetchone()[0]
    # From now on the file may grow by three pages only: as good as a full disk.
    event.listen(store._engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count = {pages + 3}"))
    store.close()
    with pytest.raises(StorageUnavailableError, match="disk of the class database is full") as caught:
        store.add_drawings(klass.code, klass.token, np.zeros((100, 28, 28), np.uint8), [0] * 100)
    assert store.count(klass.code) == 1  # the import was all or nothing
    assert str(tmp_path) not in str(caught.value) and "sqlite" not in str(caught.value).lower()
    store.close()


def test_a_malformed_url_is_storage_unavailable_without_echoing_it():
    with pytest.raises(StorageUnavailableError, match="DIGITS_DATABASE_URL is not a database address") as caught:
        ClassStore("postgresql+psycopg://teacher:s3cret@db:port/digits")
    assert "s3cret" not in str(caught.value) and caught.value.__cause__ is None
    with pytest.raises(StorageUnavailableError):
        ClassStore("mysql://u:p@h/d")


def test_the_log_says_where_a_failure_happened(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}")
    klass = store.create_class()
    with closing(sqlite3.connect(tmp_path / "class.sqlite", isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageUnavailableError) as caught:
            store.save_drawing(klass.code, "me", 1, digit())
        other.execute("ROLLBACK")
    assert str(tmp_path) not in str(caught.value)
    assert f"class database a SQLite file on this server: {tmp_path / 'class.sqlite'}: busy" in caplog.text
    store.close()
