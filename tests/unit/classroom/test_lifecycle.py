"""A class's life on both backends: its status, use, touch, expiry, deletion, new token, closing."""

import logging
from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from digitlib.classroom import codes
from digitlib.classroom.lifecycle import expiry_days_from_env
from digitlib.classroom.store import ClassStatus, ClassStore
from digitlib.errors import ClassClosedError, ClassCodeError, InvalidSettingError, NotTeacherError
from tests.support.class_store import BOARD, T0, digit, raw_rows

TABLES = ("drawings", "experiments", "guesses")


def fill(store, klass, drawers=("a", "b")):
    """A class with drawings, a board and a guess from each drawer."""
    store.ask(klass.code, klass.token, 100)
    for i, drawer in enumerate(drawers):
        store.save_drawing(klass.code, drawer, i, digit(i))
        store.record_experiment(klass.code, drawer, **BOARD)
        store.guess(klass.code, drawer, 0.5)


def rows_per_table(url, class_id):
    counts = {table: raw_rows(url, f"SELECT count(*) FROM {table} WHERE class_id = {int(class_id)}")[0][0]
              for table in TABLES}
    counts["classes"] = raw_rows(url, f"SELECT count(*) FROM classes WHERE id = {int(class_id)}")[0][0]
    return counts


def class_id(url, code):
    return raw_rows(url, f"SELECT id FROM classes WHERE code = '{code}'")[0][0]


def statements(store):
    """The SQL statements the store runs from now on (a list that grows)."""
    seen = []
    event.listen(store._engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


# --- status and use ---------------------------------------------------------------------

def test_a_new_class_is_open_and_expires_after_the_expiry_days(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, expiry_days=7)
    klass = store.create_class()
    assert store.status(f" {klass.code.lower()} ") == ClassStatus(
        code=klass.code, created_at=T0, last_used_at=T0, expires_at=T0 + timedelta(days=7),
        joining_open=True, saving_open=True)
    with pytest.raises(ClassCodeError, match="No class has the code ZZZZZZZZ"):
        store.status("ZZZZZZZZ")
    store.close()


WRITES = {
    "save_drawing": lambda s, k: s.save_drawing(k.code, "c", 1, digit()),
    "undo_last": lambda s, k: s.undo_last(k.code, "a"),
    "record_experiment": lambda s, k: s.record_experiment(k.code, "c", **BOARD),
    "guess": lambda s, k: s.guess(k.code, "c", 0.6),
    "touch": lambda s, k: s.touch(k.code),
    "ask": lambda s, k: s.ask(k.code, k.token, 500),
    "reveal": lambda s, k: s.reveal(k.code, k.token, 0.9),
    "delete_drawing": lambda s, k: s.delete_drawing(k.code, k.token, 1),
    "delete_drawer": lambda s, k: s.delete_drawer(k.code, k.token, "a"),
    "clear": lambda s, k: s.clear(k.code, k.token),
    "add_drawings": lambda s, k: s.add_drawings(k.code, k.token, np.zeros((1, 28, 28), np.uint8), [1]),
    "clear_experiments": lambda s, k: s.clear_experiments(k.code, k.token),
    "delete_experiment": lambda s, k: s.delete_experiment(k.code, k.token, 1),
    "clear_nickname": lambda s, k: s.clear_nickname(k.code, k.token, 1),
    "set_joining": lambda s, k: s.set_joining(k.code, k.token, False),
    "set_saving": lambda s, k: s.set_saving(k.code, k.token, True),
    "replace_token": lambda s, k: s.replace_token(k.code, k.token),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_marks_the_class_used(store, clock, write):
    klass, other = store.create_class(), store.create_class()
    fill(store, klass)
    clock.advance(5 * 86_400)
    WRITES[write](store, klass)
    assert store.status(klass.code).last_used_at == clock.now
    assert store.status(klass.code).expires_at == clock.now + timedelta(days=30)
    assert store.status(other.code).last_used_at == T0


def test_reads_do_not_mark_the_class_used(store, clock):
    klass = store.create_class()
    fill(store, klass)
    clock.advance(86_400)
    for read in (store.drawings, store.count, store.revision, store.experiments, store.question, store.status,
                 store.exists):
        read(klass.code)
    store.is_teacher(klass.code, klass.token)
    store.join(klass.code, "10.0.0.1")
    assert store.status(klass.code).last_used_at == T0


def test_touch_writes_at_most_once_an_hour(store, clock, class_db_url):
    klass = store.create_class()
    clock.advance(3600)
    seen = statements(store)
    store.touch(klass.code)
    assert store.status(klass.code).last_used_at == T0 + timedelta(hours=1)
    assert sum(s.lstrip().upper().startswith("UPDATE") for s in seen) == 1
    seen.clear()
    for _ in range(50):  # a teacher's page rerunning for most of an hour
        clock.advance(60)
        store.touch(klass.code.lower())
    assert seen == []  # not even a read: this process remembers its last touch
    clock.advance(11 * 60)  # an hour and a minute after the last write
    store.touch(klass.code)
    assert store.status(klass.code).last_used_at == clock.now
    # Another process remembers nothing, so its first touch writes.
    other = ClassStore(class_db_url, clock=clock)
    clock.advance(60)
    other.touch(klass.code)
    assert other.status(klass.code).last_used_at == clock.now
    other.close()
    with pytest.raises(ClassCodeError):
        store.touch("ZZZZZZZZ")


def test_a_write_counts_as_a_touch(store, clock):
    klass = store.create_class()
    clock.advance(7200)
    store.save_drawing(klass.code, "me", 1, digit())
    seen = statements(store)
    clock.advance(60)
    store.touch(klass.code)
    assert seen == [] and store.status(klass.code).last_used_at == clock.now - timedelta(seconds=60)


# --- expiry -----------------------------------------------------------------------------

def test_expire_deletes_classes_unused_for_the_expiry_days_with_everything_in_them(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, auto_expire=False)
    old, recent = store.create_class(), store.create_class()
    fill(store, old)
    clock.advance(2 * 86_400)
    fill(store, recent)
    old_id, recent_id = class_id(class_db_url, old.code), class_id(class_db_url, recent.code)
    before = rows_per_table(class_db_url, recent_id)
    assert rows_per_table(class_db_url, old_id) == {"drawings": 2, "experiments": 2, "guesses": 2, "classes": 1}
    clock.now = T0 + timedelta(days=31)  # old: used 31 days ago; recent: 29 days ago
    assert store.expire() == [old.code]
    assert rows_per_table(class_db_url, old_id) == dict.fromkeys(("classes", *TABLES), 0)
    assert rows_per_table(class_db_url, recent_id) == before
    with pytest.raises(ClassCodeError):
        store.drawings(old.code)
    assert store.expire() == []
    clock.now = T0 + timedelta(days=32, seconds=1)
    assert store.expire() == [recent.code]
    store.close()


def test_expiry_runs_at_start_and_at_most_hourly_from_writes(class_db_url, clock, monkeypatch):
    store = ClassStore(class_db_url, clock=clock, expiry_days=1)
    first = store.create_class()
    clock.advance(2 * 86_400)
    second = store.create_class()  # a write, over an hour after the start: the first class goes
    assert not store.exists(first.code) and store.exists(second.code)
    runs = []
    real = ClassStore.expire
    monkeypatch.setattr(ClassStore, "expire", lambda self: runs.append(1) or real(self))
    for _ in range(59):
        clock.advance(60)
        store.save_drawing(second.code, "me", 1, digit())
        store.touch(second.code)
    assert runs == []
    clock.advance(61)
    store.undo_last(second.code, "me")
    assert runs == [1]
    store.close()
    starting = ClassStore(class_db_url, clock=clock, expiry_days=1)  # expires once at start
    third = starting.create_class()
    starting.close()
    clock.advance(2 * 86_400)
    fresh = ClassStore(class_db_url, clock=clock, expiry_days=1)  # a restart deletes before anything else
    assert runs == [1, 1, 1] and not fresh.exists(third.code) and not fresh.exists(second.code)
    fresh.close()


def test_a_store_without_auto_expiry_leaves_old_classes(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, expiry_days=1, auto_expire=False)
    klass = store.create_class()
    clock.advance(5 * 86_400)
    store.save_drawing(klass.code, "me", 1, digit())
    assert store.count(klass.code) == 1
    store.close()


@pytest.mark.parametrize("text, days", [(None, 30), ("", 30), ("7", 7), (" 90 ", 90), ("abc", 30), ("0", 30),
                                        ("-3", 30), ("1.5", 30), ("99999999", 30)])
def test_expiry_days_come_from_the_environment(monkeypatch, caplog, text, days):
    if text is None:
        monkeypatch.delenv("DIGITS_CLASS_EXPIRY_DAYS", raising=False)
    else:
        monkeypatch.setenv("DIGITS_CLASS_EXPIRY_DAYS", text)
    with caplog.at_level(logging.WARNING):
        assert expiry_days_from_env() == days
    warned = [r for r in caplog.records if "DIGITS_CLASS_EXPIRY_DAYS" in r.getMessage()]
    assert bool(warned) == (text not in (None, "") and days == 30)


def test_the_store_reads_its_expiry_days_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DIGITS_CLASS_EXPIRY_DAYS", "12")
    store = ClassStore(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert store.expiry_days == 12
    status = store.status(store.create_class().code)
    assert status.expires_at - status.last_used_at == timedelta(days=12)
    store.close()
    with pytest.raises(ValueError):
        ClassStore(f"sqlite:///{tmp_path / 'x.sqlite'}", expiry_days=0)


# --- deleting a class ---------------------------------------------------------------------

AFTER_DELETE = {
    "status": lambda s, k: s.status(k.code),
    "join": lambda s, k: s.join(k.code, "10.0.0.9"),
    "touch": lambda s, k: s.touch(k.code),
    "drawings": lambda s, k: s.drawings(k.code),
    "count": lambda s, k: s.count(k.code),
    "revision": lambda s, k: s.revision(k.code),
    "experiments": lambda s, k: s.experiments(k.code),
    "question": lambda s, k: s.question(k.code),
    "delete_class": lambda s, k: s.delete_class(k.code, k.token),
} | WRITES


def test_delete_class_removes_every_row_of_the_class_and_nothing_else(store, class_db_url):
    klass, other = store.create_class(), store.create_class()
    fill(store, klass, drawers=("a", "b", "c"))
    fill(store, other)
    mine, theirs = class_id(class_db_url, klass.code), class_id(class_db_url, other.code)
    assert rows_per_table(class_db_url, mine) == {"drawings": 3, "experiments": 3, "guesses": 3, "classes": 1}
    kept = rows_per_table(class_db_url, theirs)
    with pytest.raises(NotTeacherError):
        store.delete_class(klass.code, other.token)
    assert store.delete_class(klass.code, klass.token) is None
    assert rows_per_table(class_db_url, mine) == dict.fromkeys(("classes", *TABLES), 0)
    assert rows_per_table(class_db_url, theirs) == kept
    assert not store.exists(klass.code)
    for action in AFTER_DELETE.values():
        with pytest.raises(ClassCodeError, match=f"No class has the code {klass.code}"):
            action(store, klass)
    assert not store.is_teacher(klass.code, klass.token)


# --- a new teacher token ------------------------------------------------------------------

def test_replace_token_keeps_only_the_new_ones_hash(store, class_db_url):
    klass, other = store.create_class(), store.create_class()
    with pytest.raises(NotTeacherError):
        store.replace_token(klass.code, other.token)
    fresh = store.replace_token(klass.code, klass.token)
    assert fresh != klass.token and len(fresh) == 32
    assert store.is_teacher(klass.code, fresh) and not store.is_teacher(klass.code, klass.token)
    with pytest.raises(NotTeacherError):
        store.ask(klass.code, klass.token, 100)
    store.ask(klass.code, fresh, 100)
    hashes = dict(raw_rows(class_db_url, "SELECT code, token_hash FROM classes"))
    assert hashes[klass.code] == codes.hash_token(fresh) and fresh not in str(hashes)
    assert store.is_teacher(other.code, other.token)  # other classes keep theirs


# --- closing ------------------------------------------------------------------------------

def test_a_class_closed_to_new_students_refuses_joining_only(store):
    klass = store.create_class()
    assert store.join(klass.code, "10.0.0.1").joining_open
    store.set_joining(klass.code, klass.token, False)
    with pytest.raises(ClassClosedError, match="The teacher has closed this class to new students"):
        store.join(klass.code.lower(), "10.0.0.1")
    assert not store.status(klass.code).joining_open
    store.save_drawing(klass.code, "me", 1, digit())  # those already in carry on
    store.set_joining(klass.code, klass.token, True)
    assert store.join(klass.code, "10.0.0.1").joining_open
    for bad in ("no", 0, None):
        with pytest.raises(InvalidSettingError):
            store.set_joining(klass.code, klass.token, bad)


def test_paused_saving_refuses_drawings_and_guesses_and_keeps_the_rest(store):
    klass = store.create_class()
    store.ask(klass.code, klass.token, 100)
    first = store.save_drawing(klass.code, "me", 1, digit(), request_id="first")
    store.guess(klass.code, "me", 0.4)
    store.set_saving(klass.code, klass.token, False)
    assert not store.status(klass.code).saving_open
    with pytest.raises(ClassClosedError, match="paused saving") as caught:
        store.save_drawing(klass.code, "me", 2, digit())
    assert "was not saved" in str(caught.value)
    with pytest.raises(ClassClosedError, match="your guess was not counted"):
        store.guess(klass.code, "you", 0.9)
    assert store.save_drawing(klass.code, "me", 1, digit(), request_id="first") == first  # already saved
    assert store.count(klass.code) == 1 and store.question(klass.code).guesses == [0.4]
    store.record_experiment(klass.code, "me", **BOARD)  # the board is not paused
    store.add_drawings(klass.code, klass.token, np.zeros((1, 28, 28), np.uint8), [3])  # nor the teacher
    assert store.undo_last(klass.code, "me") == first
    store.set_saving(klass.code, klass.token, True)
    store.save_drawing(klass.code, "me", 2, digit())
    store.guess(klass.code, "you", 0.9)
    assert store.count(klass.code) == 2 and store.question(klass.code).guesses == [0.4, 0.9]


def test_closing_one_class_leaves_the_others_open(store):
    klass, other = store.create_class(), store.create_class()
    store.set_saving(klass.code, klass.token, False)
    store.set_joining(klass.code, klass.token, False)
    store.save_drawing(other.code, "me", 1, digit())
    assert store.join(other.code, None).saving_open


def test_new_codes_have_eight_characters_and_old_ones_still_work(store, class_db_url):
    assert len(store.create_class().code) == codes.CODE_LENGTH == 8
    engine = sa.create_engine(class_db_url)
    with engine.begin() as connection:  # a class from the days of 6-character codes
        connection.execute(sa.text("INSERT INTO classes (code, token_hash, created_at, last_used_at) "
                                   "VALUES ('ABC234', :h, :t, :t)"),
                           {"h": codes.hash_token("old-token"), "t": T0.replace(tzinfo=None)})
    engine.dispose()
    assert store.join("abc234", None).code == "ABC234"
    store.save_drawing("ABC234", "me", 1, digit())
    assert store.is_teacher("ABC234", "old-token") and store.count("abc234") == 1
