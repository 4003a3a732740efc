"""digitlib.classroom.store: classes and their teachers, the board's experiments, the question and its
guesses, and where the data lives; on SQLite and PostgreSQL."""

import hashlib
from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from digitlib.classroom import codes
from digitlib.classroom.store import ClassStore, Experiment, NewClass, Question
from digitlib.errors import (
    ClassCodeError,
    ClassLimitError,
    InvalidSettingError,
    NotTeacherError,
)
from tests.support.class_store import BOARD, T0, digit, raw_rows

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



def test_the_store_says_where_its_data_lives(store, class_db_url):
    url = sa.make_url(class_db_url)
    if url.get_backend_name() == "sqlite":
        assert store.where == f"a SQLite file on this server: {url.database}"
    else:
        assert store.where == f"PostgreSQL database {url.database} on {url.host}" + (f":{url.port}" if url.port else "")
    assert (store.durability_note is None) == class_db_url.startswith("postgresql")
