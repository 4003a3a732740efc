"""The class's drawings in the store: saved, counted, undone, deleted, removed and imported, each checked
and bounded; on SQLite and PostgreSQL."""

from datetime import UTC

import numpy as np
import pytest

from digitlib.classroom.store import ClassSet, ClassStore
from digitlib.errors import (
    ClassLimitError,
    InvalidSettingError,
)
from tests.support.class_store import BOARD, digit
from tests.support.classroom_worker import pattern
from tests.support.threads import ask_from_threads


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
