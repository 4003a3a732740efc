"""The worker process seen from the app, with fake workers (no TensorFlow): starting it, its events,
its log, and the watchdog that stops one over its memory budget, never ready, or gone silent."""

import threading

import pytest

from digitlib.errors import NeuralUnavailableError
from digitlib.neural import worker_process
from digitlib.neural.worker_process import LOG_NAME, WorkerProcess
from tests.support.fake_workers import NEVER_READY, SILENT, FakeWorker, gone, until

TRAIN = {"op": "train", "job": "job-1"}


class Watched:
    """A WorkerProcess with its events and its end recorded."""

    def __init__(self, folder, python):
        self.events, self.exits, self.ended = [], [], threading.Event()
        self.worker = WorkerProcess(folder, python, self.events.append, self._exit)

    def _exit(self, worker, code):
        self.exits.append((worker, code))
        self.ended.set()

    def kinds(self):
        return [e.get("event") for e in self.events]


@pytest.fixture
def fake(tmp_path):
    made = []

    def make(body, name="fake"):
        made.append(FakeWorker(tmp_path / name, body))
        return made[-1]

    yield make
    for f in made:
        f.kill_all()


@pytest.fixture(autouse=True)
def _roomy_budget(monkeypatch):
    monkeypatch.delenv("DIGITS_NEURAL_MEMORY_MB", raising=False)  # a fake needs ~10 MB of the 1,500


@pytest.mark.parametrize("kind", ["missing", "not executable"])
def test_a_worker_that_cannot_start_is_a_plain_error(tmp_path, kind):
    python = tmp_path / "python"
    if kind == "not executable":
        python.write_text("#!/bin/sh\n")
    with pytest.raises(NeuralUnavailableError, match=r"Could not start the neural network's worker process \(\w"):
        WorkerProcess(tmp_path / "nets", str(python), lambda event: None, lambda worker, code: None)


def test_events_are_handed_on_and_requests_counted(tmp_path, fake):
    f = fake("print('not an event', flush=True)\nemit('ready')\n"
             "for request in requests():\n    emit('failed', job=request['job'], message='no')\n")
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.worker.send(TRAIN)
    assert until(lambda: "failed" in watched.kinds())
    assert watched.events == [{"event": "ready"}, {"event": "failed", "job": "job-1", "message": "no"}]  # noise skipped
    assert watched.worker.outstanding == 0  # a failed request is finished
    assert watched.worker.alive() and watched.worker.pid == f.pids()[0]
    watched.worker.stop()
    assert watched.ended.wait(30)
    assert watched.exits == [(watched.worker, 0)] and watched.worker.stopped_because == "stopped"
    assert gone(f.pids()[0])


def test_outstanding_counts_requests_until_they_end(tmp_path, fake):
    f = fake(SILENT)
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.worker.send(TRAIN) and watched.worker.send(dict(TRAIN, job="job-2"))
    assert watched.worker.send({"op": "quit"})  # a quit is not work to wait for
    assert watched.ended.wait(30)
    assert watched.worker.outstanding == 2
    assert [r["job"] for r in f.received()] == ["job-1", "job-2"]


def test_sending_to_a_worker_that_has_left_says_so(tmp_path, fake):
    f = fake("emit('ready')\n")  # leaves at once, as an idle worker does
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.ended.wait(30)
    assert watched.exits == [(watched.worker, 0)] and not watched.worker.alive()
    assert watched.worker.send(TRAIN) is False
    assert watched.worker.stopped_because is None  # it left by itself


def test_what_the_worker_writes_to_stderr_goes_to_its_log(tmp_path, fake):
    f = fake("print('Traceback: the details', file=sys.stderr, flush=True)\nsys.exit(1)\n")
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.ended.wait(30)
    assert watched.exits[0][1] == 1
    assert "Traceback: the details" in (tmp_path / "nets" / LOG_NAME).read_text()


def test_a_worker_that_never_gets_ready_is_killed(tmp_path, fake, monkeypatch):
    monkeypatch.setattr(worker_process, "READY_SECONDS", 1)
    f = fake(NEVER_READY)
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.ended.wait(60), "the watchdog did not stop it"
    assert watched.worker.stopped_because == "silent"
    assert watched.exits[0][1] < 0  # killed by a signal, not left by itself
    assert watched.events == [] and gone(f.pids()[0])


def test_a_worker_silent_in_the_middle_of_a_request_is_killed_an_idle_one_is_not(tmp_path, fake, monkeypatch):
    monkeypatch.setattr(worker_process, "SILENT_SECONDS", 0.5)
    idle = Watched(tmp_path / "idle", fake(SILENT, "idle").python)
    assert until(lambda: idle.kinds() == ["ready"])
    for name in ("busy", "busier"):  # one after the other: the idle worker is quiet through both
        busy = Watched(tmp_path / name, fake(SILENT, name).python)
        assert until(lambda busy=busy: busy.kinds() == ["ready"])
        assert busy.worker.send(TRAIN)
        assert busy.ended.wait(60), "the watchdog did not stop the silent worker"
        assert busy.worker.stopped_because == "silent" and busy.exits[0][1] < 0
    assert idle.worker.alive() and idle.worker.stopped_because is None  # silent with nothing to do is fine
    idle.worker.stop()


def test_a_worker_over_its_memory_budget_is_killed(tmp_path, fake, monkeypatch):
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", "1")  # any Python holds more
    f = fake(SILENT)
    watched = Watched(tmp_path / "nets", f.python)
    assert watched.ended.wait(60)
    assert watched.worker.stopped_because == "memory"
    assert watched.worker.peak_mb > 1 and watched.exits[0][1] < 0
