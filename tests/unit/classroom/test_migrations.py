"""Migration 0002 on a database that 0001 made and a class used: every row kept, on both backends."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from digitlib.classroom import database
from digitlib.classroom.store import ClassStore
from digitlib.errors import ClassCodeError

T0 = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
TOKEN_HASH = "ab" * 32


def migrate_to(engine, revision):
    with database.migrating(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(database.MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def moment(connection, value):
    """``value`` as the column stores it: SQLite keeps UTC naive, PostgreSQL a timestamptz."""
    return value.replace(tzinfo=None) if connection.dialect.name == "sqlite" else value


def fill_0001(engine):
    """Two classes as the app of revision 0001 wrote them: drawings (one with a canvas PNG), a
    board and guesses."""
    with engine.begin() as c:
        for class_id, code, days in ((1, "ABCDEF", 0), (2, "GHJKLM", 3)):
            c.execute(sa.text("INSERT INTO classes (id, code, token_hash, created_at, question_n) "
                              "VALUES (:id, :code, :h, :t, 100)"),
                      {"id": class_id, "code": code, "h": TOKEN_HASH, "t": moment(c, T0 + timedelta(days=days))})
        for i in range(12):
            c.execute(sa.text("INSERT INTO drawings (class_id, label, pixels, canvas_png, drawer, request_id, "
                              "created_at) VALUES (:c, :label, :pixels, :png, :drawer, :r, :t)"),
                      {"c": 1 + i % 2, "label": i % 10, "pixels": bytes([i]) * 784,
                       "png": b"\x89PNG\r\n\x1a\n" if i == 0 else None, "drawer": f"d{i % 3}", "r": f"r{i}",
                       "t": moment(c, T0)})
        c.execute(sa.text("INSERT INTO experiments (class_id, drawer, n, mode, seed, \"C\", gamma, kernel, "
                          "accuracy_100, fit_seconds, nickname, created_at) "
                          "VALUES (1, 'd0', 500, 'first', 0, 1.0, 'scale', 'rbf', 0.88, 0.4, 'Ada', :t)"),
                  {"t": moment(c, T0)})
        c.execute(sa.text("INSERT INTO guesses (class_id, drawer, question_n, value, created_at) "
                          "VALUES (1, 'd1', 100, 0.7, :t)"), {"t": moment(c, T0)})


def test_0002_keeps_every_row_and_backfills_last_use(class_db_url):
    engine = database.make_engine(class_db_url)
    migrate_to(engine, "0001")
    fill_0001(engine)
    with engine.connect() as c:
        before = {table: c.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all()
                  for table in ("drawings", "experiments", "guesses")}
    database.upgrade(engine)
    with engine.connect() as c:
        assert database.current_revision(c) == "0002"
        columns = {col["name"] for col in sa.inspect(c).get_columns("drawings")}
        assert "canvas_png" not in columns
        drawings = c.execute(sa.text("SELECT * FROM drawings ORDER BY id")).all()
        assert [row._mapping for row in drawings] == [
            {k: v for k, v in row._mapping.items() if k != "canvas_png"} for row in before["drawings"]]
        for table in ("experiments", "guesses"):
            assert c.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all() == before[table]
        classes = c.execute(sa.text("SELECT code, created_at, last_used_at, joining_open, saving_open "
                                    "FROM classes ORDER BY id")).all()
    assert [(code, bool(joining), bool(saving)) for code, _, _, joining, saving in classes] == [
        ("ABCDEF", True, True), ("GHJKLM", True, True)]
    assert all(created == used for _, created, used, _, _ in classes)
    engine.dispose()

    store = ClassStore(class_db_url, clock=lambda: T0 + timedelta(days=10), auto_expire=False)
    assert store.status("ABCDEF").last_used_at == T0  # the backfill: last used when created
    assert store.status("GHJKLM").last_used_at == T0 + timedelta(days=3)
    got = store.drawings("ABCDEF")
    assert len(got) == 6 and got.labels.tolist() == [0, 2, 4, 6, 8, 0]
    np.testing.assert_array_equal(got.images[1], np.full((28, 28), 2, np.uint8))
    assert [e.nickname for e in store.experiments("ABCDEF")] == ["Ada"]
    assert store.question("ABCDEF").guesses == [0.7]
    assert store.save_drawing("ABCDEF", "d0", 3, np.zeros((28, 28), np.uint8), request_id="r0") == got.ids[0]
    store.close()


def test_0002_keeps_the_constraints_and_never_reuses_an_id(class_db_url):
    engine = database.make_engine(class_db_url)
    migrate_to(engine, "0001")
    fill_0001(engine)
    database.upgrade(engine)
    insert = sa.text("INSERT INTO drawings (class_id, label, pixels, drawer, created_at) "
                     "VALUES (:c, :label, :pixels, 'd', CURRENT_TIMESTAMP)")
    for bad in ({"c": 1, "label": 10, "pixels": bytes(784)}, {"c": 1, "label": 3, "pixels": bytes(783)},
                {"c": 99, "label": 3, "pixels": bytes(784)}):  # a digit, 28 x 28, an existing class
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as c:
            c.execute(insert, bad)
    with engine.begin() as c:
        newest = c.execute(sa.text("SELECT max(id) FROM drawings")).scalar()
        c.execute(sa.text("DELETE FROM drawings WHERE id = :i"), {"i": newest})
        c.execute(insert, {"c": 1, "label": 3, "pixels": bytes(784)})
        assert c.execute(sa.text("SELECT max(id) FROM drawings")).scalar() > newest  # not the deleted id again
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as c:  # codes are still unique
        c.execute(sa.text("INSERT INTO classes (code, token_hash, created_at, last_used_at) "
                          "VALUES ('ABCDEF', :h, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"h": TOKEN_HASH})
    with engine.connect() as c:
        indexes = {index["name"] for index in sa.inspect(c).get_indexes("drawings")}
    assert "ix_drawings_class_drawer_time" in indexes
    engine.dispose()


def test_the_sqlite_connection_that_migrated_never_returns_to_the_pool(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'class.sqlite'}")
    database.upgrade(engine)  # ran with foreign keys off
    for _ in range(3):
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_migrated_class_expires_by_its_creation_date(class_db_url):
    engine = database.make_engine(class_db_url)
    migrate_to(engine, "0001")
    fill_0001(engine)
    engine.dispose()
    # 31 days after ABCDEF was made, 28 after GHJKLM: only the first has expired.
    store = ClassStore(class_db_url, clock=lambda: T0 + timedelta(days=31, minutes=1), expiry_days=30)
    assert not store.exists("ABCDEF") and store.exists("GHJKLM")
    with pytest.raises(ClassCodeError):
        store.drawings("ABCDEF")
    assert len(store.drawings("GHJKLM")) == 6
    store.close()
