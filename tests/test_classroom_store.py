import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from digitlib.classroom import codes, database
from digitlib.classroom.store import ClassSet, ClassStore, Experiment, NewClass, Question
from digitlib.errors import (
    ClassCodeError,
    ClassLimitError,
    InvalidSettingError,
    NotTeacherError,
    StorageUnavailableError,
)
from tests.support.class_store import BOARD, T0, Clock, digit, raw_rows
from tests.support.classroom_worker import Workers, decode, pattern, save
from tests.support.databases import fresh_postgres_database
from tests.support.paths import ROOT
from tests.support.threads import ask_from_threads


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock)
    yield store
    store.close()


@pytest.fixture
def klass(store):
    return store.create_class()


@pytest.fixture
def checked(tmp_path, clock):
    """A store and class for tests of input checks, which run before any SQL: SQLite alone will do."""
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}", clock=clock)
    yield store, store.create_class()
    store.close()


# --- classes and teachers --------------------------------------------------------------

def test_create_class_keeps_only_the_tokens_hash(store, class_db_url):
    new = store.create_class()
    assert isinstance(new, NewClass) and codes.normalise_code(new.code) == new.code
    assert len(new.code) == codes.CODE_LENGTH and len(new.token) == 32
    [row] = raw_rows(class_db_url, "SELECT * FROM classes")
    assert row.token_hash == hashlib.sha256(new.token.encode()).hexdigest()
    assert new.token not in repr(tuple(row))
    assert store.exists(new.code) and store.is_teacher(new.code, new.token)


def test_create_class_retries_on_a_taken_code(store, monkeypatch):
    first = store.create_class()
    offered = iter([first.code, first.code, "ZZZZZZ"])
    monkeypatch.setattr(codes, "new_code", lambda: next(offered))
    assert store.create_class().code == "ZZZZZZ"
    assert store.is_teacher(first.code, first.token)  # the first class is untouched


def test_exists_normalises_and_rejects_malformed_codes(store, klass):
    assert store.exists(f"  {klass.code.lower()} ")
    assert not store.exists("ZZZZ")
    with pytest.raises(ClassCodeError):
        store.exists("no such code")


def test_is_teacher_only_with_the_classes_own_token(store, klass):
    other = store.create_class()
    assert store.is_teacher(klass.code, klass.token)
    for token in (other.token, None, "", klass.token + "x", klass.token.upper(), codes.hash_token(klass.token)):
        assert not store.is_teacher(klass.code, token)
    assert not store.is_teacher("ZZZZ", klass.token)


TEACHER_ACTIONS = {
    "delete_drawing": lambda s, code, token: s.delete_drawing(code, token, 1),
    "clear": lambda s, code, token: s.clear(code, token),
    "add_drawings": lambda s, code, token: s.add_drawings(code, token, np.zeros((2, 28, 28), np.uint8), [1, 2]),
    "clear_experiments": lambda s, code, token: s.clear_experiments(code, token),
    "ask": lambda s, code, token: s.ask(code, token, 500),
    "reveal": lambda s, code, token: s.reveal(code, token, 0.9),
    "delete_drawer": lambda s, code, token: s.delete_drawer(code, token, "student"),
    "delete_experiment": lambda s, code, token: s.delete_experiment(code, token, 1),
    "clear_nickname": lambda s, code, token: s.clear_nickname(code, token, 1),
    "delete_class": lambda s, code, token: s.delete_class(code, token),
    "replace_token": lambda s, code, token: s.replace_token(code, token),
    "set_joining": lambda s, code, token: s.set_joining(code, token, False),
    "set_saving": lambda s, code, token: s.set_saving(code, token, False),
}


@pytest.mark.parametrize("action", TEACHER_ACTIONS)
def test_teacher_actions_need_the_classes_token(store, klass, action):
    other = store.create_class()
    store.save_drawing(klass.code, "student", 3, digit())
    store.record_experiment(klass.code, "student", **BOARD, nickname="Ada")
    store.ask(klass.code, klass.token, 100)
    status = store.status(klass.code)
    for token in (other.token, None, "", "x" * 32):
        with pytest.raises(NotTeacherError) as caught:
            TEACHER_ACTIONS[action](store, klass.code, token)
        assert "teacher link" in str(caught.value) and other.token not in str(caught.value)
    assert store.count(klass.code) == 1 and store.question(klass.code) == Question(100, None, [])
    assert [e.nickname for e in store.experiments(klass.code)] == ["Ada"] and store.status(klass.code) == status
    assert store.is_teacher(klass.code, klass.token)
    TEACHER_ACTIONS[action](store, klass.code, klass.token)  # and the right token works


STUDENT_ACTIONS = {
    "save_drawing": lambda s, code: s.save_drawing(code, "me", 1, digit()),
    "undo_last": lambda s, code: s.undo_last(code, "me"),
    "drawings": lambda s, code: s.drawings(code),
    "count": lambda s, code: s.count(code),
    "revision": lambda s, code: s.revision(code),
    "record_experiment": lambda s, code: s.record_experiment(code, "me", **BOARD),
    "experiments": lambda s, code: s.experiments(code),
    "guess": lambda s, code: s.guess(code, "me", 0.5),
    "question": lambda s, code: s.question(code),
    "delete_drawing": lambda s, code: s.delete_drawing(code, "t", 1),
    "status": lambda s, code: s.status(code),
    "join": lambda s, code: s.join(code, None),
    "touch": lambda s, code: s.touch(code),
    "delete_drawer": lambda s, code: s.delete_drawer(code, "t", "me"),
    "delete_experiment": lambda s, code: s.delete_experiment(code, "t", 1),
    "clear_nickname": lambda s, code: s.clear_nickname(code, "t", 1),
    "delete_class": lambda s, code: s.delete_class(code, "t"),
    "replace_token": lambda s, code: s.replace_token(code, "t"),
    "set_joining": lambda s, code: s.set_joining(code, "t", True),
    "set_saving": lambda s, code: s.set_saving(code, "t", True),
}


@pytest.mark.parametrize("action", STUDENT_ACTIONS)
def test_an_unknown_class_is_a_class_code_error(store, action):
    with pytest.raises(ClassCodeError, match="No class has the code ZZZZ"):
        STUDENT_ACTIONS[action](store, "zzzz")
    with pytest.raises(ClassCodeError):
        STUDENT_ACTIONS[action](store, "ZZ")


# --- drawings ---------------------------------------------------------------------------
def test_the_revision_changes_with_every_save_delete_and_import(store):
    klass = store.create_class()
    seen = [store.revision(klass.code)]
    assert seen[0] == (0, 0)
    first = store.save_drawing(klass.code, "a", 1, digit())
    second = store.save_drawing(klass.code, "a", 2, pattern(1, 2))
    seen.append(store.revision(klass.code))
    store.delete_drawing(klass.code, klass.token, first)
    seen.append(store.revision(klass.code))
    store.delete_drawing(klass.code, klass.token, second)  # and one more in its place: same count
    store.add_drawings(klass.code, klass.token, np.stack([digit()]), np.array([7]))
    seen.append(store.revision(klass.code))
    assert len(set(seen)) == len(seen)
    store.undo_last(klass.code, "import")
    assert store.revision(klass.code) == (0, 0)  # empty again: the same (empty) set as at first



def test_drawings_come_back_as_saved_oldest_first(store, klass, clock):
    other = store.create_class()
    saved = []
    for i, label in enumerate([3, 1, 4, 1, 5]):
        clock.advance(1)
        image = pattern(1, i)
        saved.append((store.save_drawing(klass.code, f"d{i % 2}", label, image), label, image, clock.now))
    store.save_drawing(other.code, "d0", 9, digit())
    got = store.drawings(klass.code)
    assert isinstance(got, ClassSet) and len(got) == 5 and store.count(klass.code) == 5
    assert got.ids.dtype == np.int64 and got.ids.shape == (5,)
    assert got.images.dtype == np.uint8 and got.images.shape == (5, 28, 28)
    assert got.labels.dtype == np.uint8 and got.labels.shape == (5,)
    assert got.drawers.dtype.kind == "U" and got.drawers.shape == (5,)
    assert got.ids.tolist() == [s[0] for s in saved] == sorted(got.ids.tolist())
    assert got.labels.tolist() == [3, 1, 4, 1, 5]
    assert got.drawers.tolist() == ["d0", "d1", "d0", "d1", "d0"]
    np.testing.assert_array_equal(got.images, np.stack([s[2] for s in saved]))
    assert got.saved_at == [s[3] for s in saved] and all(t.tzinfo == UTC for t in got.saved_at)
    assert got.counts().tolist() == [0, 2, 0, 1, 1, 1, 0, 0, 0, 0]
    for array in (got.ids, got.images, got.labels, got.drawers):
        assert not array.flags.writeable  # shared between sessions, so nobody may change it


def test_an_empty_class_has_empty_arrays(store, klass):
    got = store.drawings(klass.code)
    assert len(got) == 0 and got.images.shape == (0, 28, 28) and got.ids.shape == got.labels.shape == (0,)
    assert got.counts().tolist() == [0] * 10 and got.saved_at == []


BAD_SAVES = {
    "label 10": dict(label=10), "label -1": dict(label=-1), "label 3.0": dict(label=3.0),
    "label True": dict(label=True), "label '3'": dict(label="3"),
    "image 28x27": dict(image=np.zeros((28, 27), np.uint8)),
    "image float": dict(image=np.zeros((28, 28), np.float32)),
    "image int64": dict(image=np.zeros((28, 28), np.int64)),
    "image 1x28x28": dict(image=np.zeros((1, 28, 28), np.uint8)),
    "image list": dict(image=[[0] * 28] * 28),
    "drawer empty": dict(drawer=""), "drawer long": dict(drawer="d" * 33),
    "drawer space": dict(drawer="a b"), "drawer None": dict(drawer=None),
    "request id long": dict(request_id="r" * 65), "request id odd": dict(request_id="r\n1"),
    "connection not text": dict(connection=("127.0.0.1", 5000)),
}


@pytest.mark.parametrize("bad", BAD_SAVES)
def test_save_rejects_bad_input_and_saves_nothing(checked, bad):
    store, klass = checked
    arguments = dict(drawer="me", label=3, image=digit(), request_id=None, connection=None) | BAD_SAVES[bad]
    with pytest.raises(InvalidSettingError) as caught:
        store.save_drawing(klass.code, **arguments)
    assert len(str(caught.value)) < 200 and "d" * 33 not in str(caught.value)
    assert store.count(klass.code) == 0


def test_a_request_id_saves_once(store, klass):
    first = store.save_drawing(klass.code, "me", 4, digit(4), request_id="9b2f6c1e-0d7a-4c55-9a1e-3f1e2d3c4b5a")
    again = store.save_drawing(klass.code, "me", 4, digit(4), request_id="9b2f6c1e-0d7a-4c55-9a1e-3f1e2d3c4b5a")
    assert again == first and store.count(klass.code) == 1
    with pytest.raises(InvalidSettingError):  # someone else's request id
        store.save_drawing(klass.code, "you", 4, digit(4), request_id="9b2f6c1e-0d7a-4c55-9a1e-3f1e2d3c4b5a")
    assert store.save_drawing(klass.code, "me", 4, digit(4), request_id="other") != first
    assert store.count(klass.code) == 2


def test_a_repeated_request_is_answered_even_at_the_limit(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, saves_per_minute=1, max_drawings=1)
    klass = store.create_class()
    first = store.save_drawing(klass.code, "me", 4, digit(), request_id="r1")
    assert store.save_drawing(klass.code, "me", 4, digit(), request_id="r1") == first
    with pytest.raises(ClassLimitError):
        store.save_drawing(klass.code, "me", 4, digit(), request_id="r2")
    store.close()


def test_concurrent_repeats_of_one_request_save_once(store, klass):
    ids = ask_from_threads(10, lambda: store.save_drawing(klass.code, "me", 5, digit(), request_id="same"))
    assert len(ids) == 10 and len(set(ids)) == 1 and store.count(klass.code) == 1


def test_a_full_class_refuses_drawings(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, max_drawings=3)
    klass = store.create_class()
    ids = [store.save_drawing(klass.code, f"d{i}", i, digit()) for i in range(3)]
    with pytest.raises(ClassLimitError, match="already has 3 drawings") as caught:
        store.save_drawing(klass.code, "d9", 9, digit())
    assert "teacher can delete some" in str(caught.value)
    assert store.count(klass.code) == 3
    other = store.create_class()  # the limit is per class
    store.save_drawing(other.code, "d9", 9, digit())
    assert store.delete_drawing(klass.code, klass.token, ids[0])
    store.save_drawing(klass.code, "d9", 9, digit())
    assert store.count(klass.code) == 3
    store.close()


def test_saves_per_minute_per_drawer(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, saves_per_minute=3)
    klass = store.create_class()
    for _ in range(3):
        store.save_drawing(klass.code, "fast", 1, digit())
        clock.advance(10)
    with pytest.raises(ClassLimitError, match="3 drawings in the last minute"):
        store.save_drawing(klass.code, "fast", 1, digit())
    store.save_drawing(klass.code, "slow", 1, digit())  # other drawers are not held up
    clock.advance(29)  # 59 s after the first save: still three in the last minute
    with pytest.raises(ClassLimitError):
        store.save_drawing(klass.code, "fast", 1, digit())
    clock.advance(2)  # 61 s: the first has left the window
    store.save_drawing(klass.code, "fast", 1, digit())
    with pytest.raises(ClassLimitError):
        store.save_drawing(klass.code, "fast", 1, digit())
    assert store.count(klass.code) == 5
    store.close()


def test_undo_removes_only_the_callers_newest_drawing(store, klass):
    other = store.create_class()
    mine = [store.save_drawing(klass.code, "me", 1, digit()) for _ in range(2)]
    theirs = store.save_drawing(klass.code, "you", 2, digit())
    elsewhere = store.save_drawing(other.code, "me", 3, digit())
    assert store.undo_last(klass.code, "me") == mine[1]
    assert store.undo_last(klass.code, "me") == mine[0]
    assert store.undo_last(klass.code, "me") is None
    assert store.drawings(klass.code).ids.tolist() == [theirs]
    assert store.drawings(other.code).ids.tolist() == [elsewhere]


def test_an_id_is_never_handed_out_twice(store, klass):
    first = store.save_drawing(klass.code, "me", 1, digit())
    assert store.undo_last(klass.code, "me") == first
    second = store.save_drawing(klass.code, "me", 1, digit())
    assert second != first  # a page that still shows drawing `first` cannot reach the new one
    assert store.delete_drawing(klass.code, klass.token, second)
    assert store.save_drawing(klass.code, "me", 1, digit()) not in (first, second)


def test_teacher_deletes_only_drawings_of_the_class(store, klass):
    other = store.create_class()
    mine = store.save_drawing(klass.code, "me", 1, digit())
    elsewhere = store.save_drawing(other.code, "me", 1, digit())
    assert not store.delete_drawing(klass.code, klass.token, elsewhere)
    assert store.delete_drawing(klass.code, klass.token, mine)
    assert not store.delete_drawing(klass.code, klass.token, mine)
    assert store.count(klass.code) == 0 and store.count(other.code) == 1
    with pytest.raises(InvalidSettingError):
        store.delete_drawing(klass.code, klass.token, "1; DROP TABLE drawings")


def test_clear_empties_the_class_and_nothing_else(store, klass):
    other = store.create_class()
    for i in range(4):
        store.save_drawing(klass.code, "me", i, digit())
    store.save_drawing(other.code, "me", 1, digit())
    store.record_experiment(klass.code, "me", **BOARD)
    store.ask(klass.code, klass.token, 100)
    assert store.clear(klass.code, klass.token) == 4
    assert store.clear(klass.code, klass.token) == 0
    assert store.count(klass.code) == 0 and store.count(other.code) == 1
    assert len(store.experiments(klass.code)) == 1 and store.question(klass.code).n == 100


def test_teacher_removes_one_students_drawings(store, klass):
    other = store.create_class()
    for i in range(3):
        store.save_drawing(klass.code, "pest", i, digit())
    kept = store.save_drawing(klass.code, "kind", 1, digit())
    store.save_drawing(other.code, "pest", 1, digit())
    assert store.delete_drawer(klass.code, klass.token, "pest") == 3
    assert store.delete_drawer(klass.code, klass.token, "pest") == 0
    assert store.drawings(klass.code).ids.tolist() == [kept] and store.count(other.code) == 1
    with pytest.raises(InvalidSettingError):
        store.delete_drawer(klass.code, klass.token, "no such drawer!")


def test_teacher_removes_an_experiment_or_its_nickname(store, klass):
    other = store.create_class()
    rude = store.record_experiment(klass.code, "a", **BOARD, nickname="Rude")
    fine = store.record_experiment(klass.code, "b", **BOARD, nickname="Fine")
    elsewhere = store.record_experiment(other.code, "a", **BOARD, nickname="Else")
    assert store.clear_nickname(klass.code, klass.token, rude)
    assert [(e.id, e.nickname) for e in store.experiments(klass.code)] == [(rude, None), (fine, "Fine")]
    assert not store.clear_nickname(klass.code, klass.token, elsewhere)  # not through another class's code
    assert not store.delete_experiment(klass.code, klass.token, elsewhere)
    assert store.delete_experiment(klass.code, klass.token, rude)
    assert not store.delete_experiment(klass.code, klass.token, rude)
    assert [e.id for e in store.experiments(klass.code)] == [fine]
    assert [e.nickname for e in store.experiments(other.code)] == ["Else"]
    for bad in (0, "1", None, 1.5):
        with pytest.raises(InvalidSettingError, match="That experiment does not exist"):
            store.delete_experiment(klass.code, klass.token, bad)


def test_add_drawings_imports_in_one_go(store, klass):
    images = np.stack([pattern(2, i) for i in range(25)])
    labels = np.arange(25) % 10
    assert store.add_drawings(klass.code, klass.token, images, labels) == 25
    got = store.drawings(klass.code)
    np.testing.assert_array_equal(got.images, images)
    assert got.labels.tolist() == labels.tolist() and set(got.drawers) == {"import"}
    assert store.add_drawings(klass.code, klass.token, np.zeros((0, 28, 28), np.uint8), []) == 0
    assert store.add_drawings(klass.code, klass.token, images[:2], [1, 2], drawer="file-2") == 2
    assert store.count(klass.code) == 27


@pytest.mark.parametrize("images, labels", [
    (np.zeros((3, 28, 28), np.uint8), [1, 2]),
    (np.zeros((3, 28, 28), np.uint8), [1, 2, 10]),
    (np.zeros((3, 28, 28), np.uint8), [1.0, 2.0, 3.0]),
    (np.zeros((3, 28, 28), np.float64), [1, 2, 3]),
    (np.zeros((3, 784), np.uint8), [1, 2, 3]),
    ([np.zeros((28, 28), np.uint8)], [1]),
])
def test_add_drawings_rejects_bad_input(checked, images, labels):
    store, klass = checked
    with pytest.raises(InvalidSettingError):
        store.add_drawings(klass.code, klass.token, images, labels)
    assert store.count(klass.code) == 0


def test_an_import_past_the_limit_adds_nothing(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, max_drawings=10)
    klass = store.create_class()
    store.save_drawing(klass.code, "me", 1, digit())
    with pytest.raises(ClassLimitError, match="nothing was imported"):
        store.add_drawings(klass.code, klass.token, np.zeros((10, 28, 28), np.uint8), [0] * 10)
    assert store.count(klass.code) == 1
    assert store.add_drawings(klass.code, klass.token, np.zeros((9, 28, 28), np.uint8), [0] * 9) == 9
    assert store.count(klass.code) == 10
    store.close()


# --- the board --------------------------------------------------------------------------

def test_experiments_come_back_as_recorded(store, klass, clock):
    first = store.record_experiment(klass.code, "me", **BOARD, nickname="  Ada ")
    clock.advance(5)
    second = store.record_experiment(klass.code, "you", **(BOARD | dict(
        n=60_000, mode="random", seed=7, C=10, gamma=0.001, kernel="poly", accuracy_100=1.0,
        accuracy_10000=0.979, fit_seconds=120.5)), nickname="   ")
    board = store.experiments(klass.code)
    assert board == [
        Experiment(first, "me", 500, "first", 0, 1.0, "scale", "rbf", 0.88, None, 0.4, "Ada", T0),
        Experiment(second, "you", 60_000, "random", 7, 10.0, "0.001", "poly", 1.0, 0.979, 120.5, None,
                   T0 + timedelta(seconds=5)),
    ]
    assert store.experiments(store.create_class().code) == []


@pytest.mark.parametrize("change", [
    dict(n=0), dict(n=2.5), dict(mode="sideways"), dict(seed=-1), dict(seed=2**31), dict(C=0), dict(C=float("inf")),
    dict(gamma=-1.0), dict(gamma="scale; drop"), dict(kernel="RBF!"), dict(accuracy_100=1.01),
    dict(accuracy_100=float("nan")), dict(accuracy_10000=-0.1), dict(fit_seconds=-1), dict(nickname="x" * 21),
    dict(nickname="tab\there"), dict(nickname=5), dict(drawer="bad drawer"),
])
def test_record_experiment_rejects_bad_values(checked, change):
    store, klass = checked
    arguments = dict(BOARD, drawer="me") | change
    with pytest.raises(InvalidSettingError):
        store.record_experiment(klass.code, **arguments)
    assert store.experiments(klass.code) == []


def test_the_board_has_a_limit_and_the_teacher_clears_it(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock, max_experiments=2)
    klass = store.create_class()
    store.record_experiment(klass.code, "me", **BOARD)
    store.record_experiment(klass.code, "me", **BOARD | dict(n=100))
    with pytest.raises(ClassLimitError, match="board is full"):
        store.record_experiment(klass.code, "me", **BOARD | dict(n=200))
    assert store.clear_experiments(klass.code, klass.token) == 2
    store.record_experiment(klass.code, "me", **BOARD, nickname="x" * 20)
    assert [e.nickname for e in store.experiments(klass.code)] == ["x" * 20]
    store.close()


# --- the question -----------------------------------------------------------------------

def test_question_guesses_and_answer(store, klass):
    assert store.question(klass.code) is None
    with pytest.raises(InvalidSettingError, match="no question"):
        store.guess(klass.code, "me", 0.5)
    with pytest.raises(InvalidSettingError, match="Ask a question"):
        store.reveal(klass.code, klass.token, 0.9)
    store.ask(klass.code, klass.token, 500)
    assert store.question(klass.code) == Question(n=500, answer=None, guesses=[])
    store.guess(klass.code, "me", 0.7)
    store.guess(klass.code, "you", 0.95)
    store.guess(klass.code, "me", 0.8)  # replaces my 0.7
    assert store.question(klass.code) == Question(500, None, [0.8, 0.95])
    for bad in (1.5, -0.01, float("nan"), "0.5", None, True):
        with pytest.raises(InvalidSettingError):
            store.guess(klass.code, "me", bad)
    store.reveal(klass.code, klass.token, 0.88)
    assert store.question(klass.code) == Question(500, 0.88, [0.8, 0.95])
    with pytest.raises(InvalidSettingError, match="revealed"):
        store.guess(klass.code, "late", 0.9)
    store.ask(klass.code, klass.token, 100)
    assert store.question(klass.code) == Question(100, None, [])
    store.guess(klass.code, "me", 0.6)
    store.ask(klass.code, klass.token, 100)  # asked again: answer hidden, guesses start afresh
    assert store.question(klass.code) == Question(100, None, [])
    for bad in (0, -5, 1.5, "100", None):
        with pytest.raises(InvalidSettingError):
            store.ask(klass.code, klass.token, bad)
    with pytest.raises(InvalidSettingError):
        store.reveal(klass.code, klass.token, 2)


def test_questions_belong_to_their_class(store, klass):
    other = store.create_class()
    store.ask(klass.code, klass.token, 500)
    store.guess(klass.code, "me", 0.7)
    assert store.question(other.code) is None
    store.ask(other.code, other.token, 500)
    assert store.question(other.code).guesses == []


# --- many writers at once ---------------------------------------------------------------

WRITERS, EACH = 30, 50


def assert_every_drawing_once(store, code, writers, each):
    got = store.drawings(code)
    assert len(got) == writers * each
    seen = set()
    for image, label, drawer in zip(got.images, got.labels, got.drawers, strict=True):
        writer, i = decode(image)
        assert drawer == f"w{writer}" and label == i % 10
        np.testing.assert_array_equal(image, pattern(writer, i))
        seen.add((writer, i))
    assert seen == {(w, i) for w in range(writers) for i in range(each)}


def test_thirty_threads_save_every_drawing_once(class_db_url):
    store = ClassStore(class_db_url, saves_per_minute=10_000, class_saves_per_minute=10_000)
    code = store.create_class().code
    writers = iter(range(WRITERS))

    def write():
        writer = next(writers)
        return [store.save_drawing(code, f"w{writer}", i % 10, pattern(writer, i)) for i in range(EACH)]

    ids = [i for batch in ask_from_threads(WRITERS, write) for i in batch]
    assert len(set(ids)) == WRITERS * EACH
    assert_every_drawing_once(store, code, WRITERS, EACH)
    store.close()


def test_thirty_processes_save_every_drawing_once(class_db_url):
    store = ClassStore(class_db_url)
    code = store.create_class().code
    workers = Workers(save, [[class_db_url, code, writer, EACH] for writer in range(WRITERS)])
    workers.release()
    for messages in workers.finish():
        assert [kind for kind, _, _ in messages] == ["saved"] * EACH
    assert_every_drawing_once(store, code, WRITERS, EACH)
    store.close()


def test_forty_writers_race_for_the_last_ten_places(class_db_url):
    store = ClassStore(class_db_url, max_drawings=20)
    klass = store.create_class()
    store.add_drawings(klass.code, klass.token, np.zeros((10, 28, 28), np.uint8), [0] * 10)
    writers = iter(range(40))

    def write():
        writer = next(writers)
        try:
            return store.save_drawing(klass.code, f"w{writer}", writer % 10, pattern(writer, 0))
        except ClassLimitError:
            return "full"

    results = ask_from_threads(40, write)
    assert results.count("full") == 30 and len({r for r in results if r != "full"}) == 10
    assert store.count(klass.code) == 20
    store.close()


def test_racing_processes_never_overfill_a_class(class_db_url):
    store = ClassStore(class_db_url, max_drawings=20)
    klass = store.create_class()
    store.add_drawings(klass.code, klass.token, np.zeros((10, 28, 28), np.uint8), [0] * 10)
    workers = Workers(save, [[class_db_url, klass.code, writer, 5, 20] for writer in range(4)])
    workers.release()
    kinds = [kind for messages in workers.finish() for kind, _, _ in messages]
    assert kinds.count("saved") == 10 and kinds.count("limit") == 10
    assert store.count(klass.code) == 20
    store.close()


# --- durability and failures ---------------------------------------------------------------

def test_every_acknowledged_save_survives_kill_9(class_db_url):
    store = ClassStore(class_db_url)
    code = store.create_class().code
    command = [sys.executable, "-m", "tests.support.classroom_worker", class_db_url, code, "1", "100000"]
    worker = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert worker.stdout.readline() == "ready\n"
    acknowledged = {}
    for line in worker.stdout:
        _, i, drawing = line.split()
        acknowledged[int(drawing)] = int(i)
        if len(acknowledged) == 40:
            break
    os.kill(worker.pid, signal.SIGKILL)  # mid-stream: it saves as fast as it can
    for line in worker.stdout:  # printed before it died: acknowledged too
        _, i, drawing = line.split()
        acknowledged[int(drawing)] = int(i)
    assert worker.wait(timeout=60) == -signal.SIGKILL
    store.close()
    got = ClassStore(class_db_url).drawings(code)  # a new store, as after a restart
    kept = dict(zip(got.ids.tolist(), got.images, strict=True))
    assert set(acknowledged) <= set(kept)
    assert len(kept) - len(acknowledged) in (0, 1)  # at most one committed but not yet printed
    for drawing, i in acknowledged.items():
        np.testing.assert_array_equal(kept[drawing], pattern(1, i))


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


def test_the_store_says_where_its_data_lives(store, class_db_url):
    url = sa.make_url(class_db_url)
    if url.get_backend_name() == "sqlite":
        assert store.where == f"a SQLite file on this server: {url.database}"
    else:
        assert store.where == f"PostgreSQL database {url.database} on {url.host}" + (f":{url.port}" if url.port else "")
    assert (store.durability_note is None) == class_db_url.startswith("postgresql")
