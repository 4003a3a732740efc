"""Many writers at once (threads and processes) save every drawing once and never overfill a class, and
every acknowledged save survives kill -9."""

import os
import signal
import subprocess
import sys

import numpy as np

from digitlib.classroom.store import ClassStore
from digitlib.errors import ClassLimitError
from tests.support.classroom_worker import Workers, decode, pattern, save
from tests.support.paths import ROOT
from tests.support.threads import ask_from_threads

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


# --- durability ----------------------------------------------------------------------------

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
