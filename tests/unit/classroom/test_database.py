import os
import sqlite3
import stat

import numpy as np
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from digitlib.classroom import database
from digitlib.classroom.schema import Base
from digitlib.classroom.store import ClassStore
from digitlib.errors import StorageUnavailableError
from tests.support.classroom_worker import Workers, open_store

TABLES = {"classes", "drawings", "experiments", "guesses"}


def test_default_url_is_the_environment_setting(monkeypatch):
    monkeypatch.setenv("DIGITS_DATABASE_URL", "postgresql+psycopg://u:p@db.example.com/digits")
    assert database.default_url() == "postgresql+psycopg://u:p@db.example.com/digits"


def test_default_url_is_a_sqlite_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path / "new" / "folder"))
    url = database.default_url()
    assert sa.make_url(url).database == str(tmp_path / "new" / "folder" / "digits.sqlite")
    assert (tmp_path / "new" / "folder").is_dir()


def test_a_data_folder_that_cannot_be_made_is_storage_unavailable(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path / "file" / "digits"))
    with pytest.raises(StorageUnavailableError, match="folder for the class database cannot be created"):
        database.default_url()


def test_default_folder_is_the_users_data_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("DIGITS_DATA_DIR")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name: str(tmp_path / name))
    assert sa.make_url(database.default_url()).database == str(tmp_path / "digits" / "digits.sqlite")


@pytest.mark.parametrize("url, words", [
    ("sqlite:////srv/digits/digits.sqlite", "a SQLite file on this server: /srv/digits/digits.sqlite"),
    ("sqlite://", "a temporary SQLite database in this server's memory"),
    ("postgresql+psycopg://teacher:s3cret%40pw@db.example.com/digits", "PostgreSQL database digits on db.example.com"),
    ("postgresql://teacher:s3cret@db.example.com:6543/class", "PostgreSQL database class on db.example.com:6543"),
    ("not a url s3cret", "a database whose address (DIGITS_DATABASE_URL) cannot be read"),
])
def test_describe_says_where_without_the_password(url, words):
    assert database.describe(url) == words
    assert "s3cret" not in database.describe(url)


def test_durability_note_warns_about_files_only():
    assert database.durability_note("postgresql+psycopg://u:p@h/d") is None
    assert "PostgreSQL" in database.durability_note("sqlite:////tmp/x.sqlite")
    assert "lost" in database.durability_note("sqlite://")


def test_in_memory_sqlite_is_refused():
    assert database.is_memory("sqlite://") and database.is_memory("sqlite:///:memory:")
    assert not database.is_memory("sqlite:////tmp/x.sqlite")
    with pytest.raises(sa.exc.ArgumentError):
        database.make_engine("sqlite://")


def test_plain_postgresql_urls_use_psycopg():
    engine = database.make_engine("postgresql://u:p@127.0.0.1/d")
    assert engine.dialect.driver == "psycopg" and engine.pool._pre_ping


def test_sqlite_settings(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL: every commit reaches the disk
        assert pragma("busy_timeout") == 30_000
        assert pragma("foreign_keys") == 1
    engine.dispose()


def test_sqlite_writes_lock_when_they_begin_and_reads_do_not(tmp_path):
    path = tmp_path / "x.sqlite"
    engine = database.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x)")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with engine.begin():  # nothing executed yet, and still the write lock is held
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    reader = engine.execution_options(**{database.READ_ONLY: True})
    with reader.connect() as connection, connection.begin():
        connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
        other.execute("BEGIN IMMEDIATE")  # a reader leaves writers free
        other.execute("INSERT INTO t VALUES (1)")
        other.execute("COMMIT")
    other.close()
    engine.dispose()


def test_head_is_the_newest_migration():
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [database.HEAD]


def _tables(engine):
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_creates_the_schema_once(class_db_url):
    engine = database.make_engine(class_db_url)
    with engine.connect() as connection:
        assert database.current_revision(connection) is None
    database.upgrade(engine)
    assert _tables(engine) == TABLES | {database.VERSION_TABLE}
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO classes (code, token_hash, created_at, last_used_at) "
            "VALUES ('ABCDEF', :h, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"h": "0" * 64})
    database.upgrade(engine)  # a no-op the second time: the data stays, one version row
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [database.HEAD]
        assert connection.execute(sa.text("SELECT code FROM classes")).scalars().all() == ["ABCDEF"]
    engine.dispose()


def test_a_schema_from_a_newer_app_is_left_alone(class_db_url):
    engine = database.make_engine(class_db_url)
    database.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(database.NewerSchemaError, match="newer version of this app") as caught:
        database.upgrade(engine)
    assert isinstance(caught.value, StorageUnavailableError) and caught.value.revision == "0099"
    with pytest.raises(StorageUnavailableError, match="schema 0099"):
        ClassStore(class_db_url)
    assert _tables(engine) == TABLES | {database.VERSION_TABLE}
    engine.dispose()


def test_schema_matches_the_migrations(class_db_url):
    engine = database.make_engine(class_db_url)
    database.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_database_enforces_pixels_labels_and_cascades(class_db_url):
    engine = database.make_engine(class_db_url)
    database.upgrade(engine)
    insert = sa.text("INSERT INTO drawings (class_id, label, pixels, drawer, created_at) "
                     "VALUES (1, :label, :pixels, 'd', CURRENT_TIMESTAMP)")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO classes (id, code, token_hash, created_at, last_used_at) "
            "VALUES (1, 'ABCDEF', :h, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"h": "0" * 64})
        connection.execute(insert, {"label": 3, "pixels": bytes(784)})
    for bad in ({"label": 10, "pixels": bytes(784)}, {"label": 3, "pixels": bytes(783)}):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(insert, bad)
    with engine.begin() as connection:  # deleting a class deletes its drawings (SQLite: foreign_keys=ON)
        connection.execute(sa.text("DELETE FROM classes"))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM drawings")).scalar() == 0
    engine.dispose()


def test_processes_starting_at_once_migrate_once(class_db_url):
    workers = Workers(open_store, [[class_db_url]] * 8)
    workers.release()  # together, they all find an empty database
    workers.finish()
    engine = database.make_engine(class_db_url)
    assert _tables(engine) == TABLES | {database.VERSION_TABLE}
    with engine.connect() as connection:
        assert database.current_revision(connection) == database.HEAD
    engine.dispose()


def test_a_new_store_migrates_its_database(class_db_url):
    ClassStore(class_db_url).close()
    engine = database.make_engine(class_db_url)
    with engine.connect() as connection:
        assert database.current_revision(connection) == database.HEAD
    engine.dispose()


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_database_are_for_the_servers_user_only(monkeypatch, tmp_path):
    monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path / "data" / "digits"))
    old_umask = os.umask(0o022)  # the usual umask would make both world-readable
    try:
        store = ClassStore()
        store.save_drawing(store.create_class().code, "me", 1, np.zeros((28, 28), np.uint8))
        folder = tmp_path / "data" / "digits"
        assert _mode(folder) == 0o700
        files = sorted(p.name for p in folder.iterdir())
        assert files == ["digits.sqlite", "digits.sqlite-shm", "digits.sqlite-wal"]  # open: WAL in use
        assert all(_mode(folder / name) == 0o600 for name in files)
        store.close()
    finally:
        os.umask(old_umask)


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "class.sqlite"
    tmp_path.chmod(0o755)
    ClassStore(f"sqlite:///{path}").close()
    path.chmod(0o644)
    engine = database.make_engine(f"sqlite:///{path}")
    assert _mode(path) == 0o600
    engine.dispose()
    assert _mode(tmp_path) == 0o755  # a folder the app did not make is left as it is


def test_a_folder_that_cannot_be_made_is_not_named_to_visitors(monkeypatch, tmp_path, caplog):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path / "file" / "digits"))
    with pytest.raises(StorageUnavailableError) as caught:
        database.default_url()
    assert str(tmp_path) not in str(caught.value) and caught.value.__cause__ is None
    assert str(tmp_path / "file" / "digits") in caplog.text  # the operator still learns where
