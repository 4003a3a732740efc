"""What a real lesson needs from the store: a student's own count across reloads, the teacher
relabelling and removing drawings from the gallery, and nicknames that tell students apart."""

import pytest

from digitlib.classroom.store import ClassStore
from digitlib.errors import NotTeacherError
from tests.support.class_store import BOARD, digit


@pytest.fixture
def store(class_db_url):
    return ClassStore(class_db_url)


def test_a_students_own_count_comes_from_the_class_set(store):
    new = store.create_class()
    for value in (1, 2, 3):
        store.save_drawing(new.code, "me", 3, digit(value))
    store.save_drawing(new.code, "other", 4, digit(9))
    assert store.saved_by(new.code, "me") == 3 and store.saved_by(new.code, "nobody") == 0
    store.undo_last(new.code, "me")
    assert store.saved_by(new.code, "me") == 2


def test_the_teacher_relabels_and_removes_drawings_of_the_class_only(store):
    new, other = store.create_class(), store.create_class()
    ids = [store.save_drawing(new.code, "me", 8, digit(v)) for v in (1, 2, 3)]
    foreign = store.save_drawing(other.code, "me", 8, digit(4))
    assert store.relabel(new.code, new.token, [ids[0], ids[1], foreign], 3) == 2
    assert store.drawings(new.code).labels.tolist() == [3, 3, 8]
    assert store.drawings(other.code).labels.tolist() == [8]
    with pytest.raises(NotTeacherError):
        store.relabel(new.code, other.token, ids, 5)
    with pytest.raises(NotTeacherError):
        store.delete_drawings(new.code, "x" * 32, ids)
    assert store.delete_drawings(new.code, new.token, [ids[0], ids[2], foreign]) == 2
    assert store.drawings(new.code).ids.tolist() == [ids[1]] and store.count(other.code) == 1
    assert store.relabel(new.code, new.token, [], 3) == 0


def test_two_students_with_one_nickname_are_told_apart(store):
    new = store.create_class()
    first = store.record_experiment(new.code, "a", nickname="Sam", **BOARD)
    second = store.record_experiment(new.code, "b", nickname="sam", **{**BOARD, "n": 100})
    again = store.record_experiment(new.code, "a", nickname="Sam", **{**BOARD, "n": 1000})
    third = store.record_experiment(new.code, "c", nickname="Sam", **{**BOARD, "n": 2000})
    names = {e.id: e.nickname for e in store.experiments(new.code)}
    assert names == {first: "Sam", second: "sam 2", again: "Sam", third: "Sam 3"}
    long = store.record_experiment(new.code, "d", nickname="A" * 20, **BOARD)
    longer = store.record_experiment(new.code, "e", nickname="A" * 20, **BOARD)
    names = {e.id: e.nickname for e in store.experiments(new.code)}
    assert names[long] == "A" * 20 and names[longer] == "A" * 18 + " 2"


def test_a_students_nickname_is_remembered_by_the_class(store):
    new = store.create_class()
    assert store.nickname_of(new.code, "a") is None
    store.record_experiment(new.code, "a", nickname="Ada", **BOARD)
    store.record_experiment(new.code, "a", **{**BOARD, "n": 100})
    assert store.nickname_of(new.code, "a") == "Ada" and store.nickname_of(new.code, "b") is None
