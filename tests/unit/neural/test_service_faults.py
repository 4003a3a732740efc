"""digitlib.neural.service when its worker misbehaves (fake workers, no TensorFlow): it cannot start, never
gets ready, goes silent, crashes, leaves idle, lacks TensorFlow; and the limits on waiting jobs and memory."""

import errno
import os
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from digitlib.errors import NeuralBusyError, NeuralTrainingError, NeuralUnavailableError
from digitlib.neural import budget, worker_process
from digitlib.neural import service as service_module
from digitlib.neural.service import MOST_WAITING, NeuralService
from digitlib.neural.spec import NetSpec
from tests.support.fake_workers import (
    CRASHES_FIRST,
    FAILS,
    LEAVES_IDLE,
    NEVER_READY,
    SILENT,
    UNAVAILABLE,
    FakeWorker,
    gone,
    until,
)

TINY = SimpleNamespace(  # what train() reads of a data set, small enough to write in a moment
    fingerprint="0123456789abcdef",
    x_train=np.zeros((50, 28, 28), np.uint8), y_train=np.arange(50, dtype=np.uint8) % 10,
    x_test=np.zeros((20, 28, 28), np.uint8), y_test=np.arange(20, dtype=np.uint8) % 10)
A, B, C = NetSpec(n=10, epochs=1), NetSpec(n=11, epochs=1), NetSpec(n=12, epochs=1)


@pytest.fixture
def roomy(monkeypatch):
    """Training allowed and this machine's free memory plentiful, whatever it really is."""
    for name in ("DIGITS_NEURAL", "DIGITS_NEURAL_MEMORY_MB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(budget, "available_mb", lambda: 100_000)


@pytest.fixture
def faked(tmp_path, roomy):
    """``faked(body)``: a service in a fresh folder whose worker is a fake running ``body``; and the fake."""
    made = []

    def make(body):
        fake = FakeWorker(tmp_path / f"fake{len(made)}", body)
        service = NeuralService(tmp_path / f"nets{len(made)}", python=fake.python)
        made.append((service, fake))
        return service, fake

    yield make
    for service, fake in made:
        service.stop()
        fake.kill_all()


def _inputs(service):
    """The sample files written for the worker and still there."""
    return sorted(p.name for p in service.folder.glob(".input-*"))


@pytest.mark.parametrize("kind", ["missing", "not executable"])
def test_a_worker_that_cannot_start_fails_the_job(tmp_path, roomy, kind):
    python = tmp_path / "python"
    if kind == "not executable":
        python.write_text("#!/bin/sh\n")
    service = NeuralService(tmp_path / "nets", python=str(python))
    with pytest.raises(NeuralUnavailableError, match="Could not start the neural network's worker process"):
        service.train(A, TINY)
    job = service.job(A, TINY.fingerprint)
    assert job.state == "failed" and job.event.is_set() and "Could not start" in str(job.error)  # not queued for ever
    assert _inputs(service) == [] and not service.running()
    with pytest.raises(NeuralUnavailableError):
        service.train(A, TINY)  # tried afresh, not handed the failed job
    fake = FakeWorker(tmp_path / "fake", SILENT)
    service.python = fake.python  # a worker that starts
    try:
        again = service.train(A, TINY)
        assert again is not job and again.state == "queued" and service.running()
        assert until(lambda: [r["job"] for r in fake.received()] == [job.key])
    finally:
        service.stop()
        fake.kill_all()


def test_a_worker_that_never_gets_ready_is_stopped_and_the_job_fails(faked, monkeypatch):
    monkeypatch.setattr(worker_process, "READY_SECONDS", 1.5)
    service, fake = faked(NEVER_READY)
    job = service.train(A, TINY)
    assert job.event.wait(60), f"the job is still {job.state}"
    assert job.state == "failed" and "stopped answering" in str(job.error), job.error
    assert len(fake.pids()) == 2  # it never started the job: a second worker got it, once
    assert _inputs(service) == []
    assert until(lambda: not service.running())


@pytest.mark.parametrize("started", [False, True])
def test_a_worker_silent_in_the_middle_of_a_job_is_stopped_and_the_job_fails(faked, monkeypatch, started):
    monkeypatch.setattr(worker_process, "SILENT_SECONDS", 1)
    if started:  # it said the job was running, then nothing
        service, fake = faked("emit('ready')\nfor request in requests():\n    keep(request)\n"
                              "    emit('progress', job=request['job'], epoch=0, step=1, steps=10)\n")
    else:
        service, fake = faked(SILENT)
    job = service.train(A, TINY)
    assert job.event.wait(60), f"the job is still {job.state}"
    assert job.state == "failed" and "stopped answering" in str(job.error), job.error
    assert [r["spawn"] for r in fake.received()] == ([1] if started else [1, 2])  # a running job is not re-sent
    assert _inputs(service) == []
    assert until(lambda: not service.running())


def test_a_worker_without_tensorflow_makes_the_service_unavailable(faked):
    service, fake = faked(UNAVAILABLE)
    job = service.train(A, TINY)
    assert job.event.wait(60), f"the job is still {job.state}"
    assert job.state == "failed" and "TensorFlow is not installed here (tensorflow)" in str(job.error)
    assert service.unavailable and "TensorFlow is not installed" in str(service.unavailable)
    assert service.refusal() == service.unavailable
    assert _inputs(service) == []
    spawned = len(fake.pids())
    with pytest.raises(NeuralUnavailableError, match="TensorFlow is not installed"):
        service.train(B, TINY)
    with pytest.raises(NeuralUnavailableError, match="TensorFlow is not installed"):
        service.train(A, TINY)
    assert len(fake.pids()) == spawned  # no worker started to hear it again
    assert _inputs(service) == []


def test_a_worker_that_leaves_idle_as_the_job_arrives_gets_one_successor(faked):
    service, fake = faked(LEAVES_IDLE)
    job = service.train(A, TINY)
    assert job.event.wait(60), f"the job is still {job.state}"
    assert job.state == "failed" and "left before it was done" in str(job.error), job.error
    assert until(lambda: not service.running() and all(gone(pid) for pid in fake.pids()))
    assert fake.received() == [{"spawn": 1, "job": job.key}, {"spawn": 2, "job": job.key}]  # re-sent once, no more
    assert len(fake.pids()) == 2
    assert _inputs(service) == []


def test_a_crash_fails_the_running_job_and_resends_the_waiting_one(faked):
    service, fake = faked(CRASHES_FIRST)
    running = service.train(A, TINY)
    assert until(lambda: running.state == "running")
    waiting = service.train(B, TINY)
    assert running.event.wait(60), f"the running job is still {running.state}"
    error = str(running.error)
    assert running.state == "failed" and "stopped unexpectedly" in error and "worker.log" in error
    assert until(lambda: {"spawn": 2, "job": waiting.key} in fake.received()), fake.received()
    assert waiting.state == "queued" and waiting.resent and waiting.worker is not running.worker
    assert not Path(running.request["input"]).exists() and Path(waiting.request["input"]).exists()  # still needed
    assert service.running() and service.worker_pid() == fake.pids()[1]
    service.stop()  # whatever waits fails, its input removed
    assert waiting.event.wait(30) and "stopped its worker" in str(waiting.error)
    assert _inputs(service) == []


def test_a_failed_training_fails_its_job_only(faked):
    service, fake = faked(FAILS)
    first = service.train(A, TINY)
    assert first.event.wait(60)
    assert first.state == "failed" and first.error == "The neural network could not be trained: no room."
    assert _inputs(service) == []
    second = service.train(B, TINY)
    assert second.event.wait(60) and second.state == "failed"
    assert len(fake.pids()) == 1 and service.running()  # the same worker took the next one


def test_at_most_a_few_trainings_wait(faked):
    service, fake = faked(SILENT)
    jobs = [service.train(NetSpec(n=10 + i, epochs=1), TINY) for i in range(MOST_WAITING)]
    with pytest.raises(NeuralBusyError, match=f"{MOST_WAITING} neural networks are already training or waiting"):
        service.train(NetSpec(n=10 + MOST_WAITING, epochs=1), TINY)
    assert service.train(NetSpec(n=10, epochs=1), TINY) is jobs[0]  # one already asked for is no extra load
    assert service.queued_before(jobs[-1]) == MOST_WAITING - 1
    assert len(_inputs(service)) == MOST_WAITING  # the one refused wrote nothing
    assert until(lambda: len(fake.received()) == MOST_WAITING) and len(fake.pids()) == 1
    service.stop()
    assert all(job.event.wait(30) and job.state == "failed" for job in jobs)
    assert _inputs(service) == []


def test_our_own_worker_does_not_count_against_free_memory(faked, monkeypatch):
    service, fake = faked(SILENT)
    service.train(A, TINY)
    assert service.running()
    monkeypatch.setattr(budget, "available_mb", lambda: 0)  # our worker took it all
    assert service.refusal() is None
    assert service.train(B, TINY).state == "queued"
    service.stop()
    assert until(lambda: not service.running())
    assert "only 0 MB of memory free" in service.refusal()  # with no worker of ours, it is someone else's
    with pytest.raises(NeuralUnavailableError, match="only 0 MB"):
        service.train(C, TINY)


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "the disk is full"),
                                          (errno.EACCES, "the folder for networks cannot be written")])
def test_a_sample_that_cannot_be_written_fails_the_job_with_a_plain_message(faked, monkeypatch, code, reason):
    def unwritable(self, key, mnist, sample):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(NeuralService, "_write_sample", unwritable)
    service, fake = faked(SILENT)
    with pytest.raises(NeuralTrainingError, match=reason) as raised:
        service.train(A, TINY)
    job = service.job(A, TINY.fingerprint)
    assert job.state == "failed" and job.event.is_set() and job.error == str(raised.value)
    assert str(job.error).startswith("The neural network could not be trained")
    assert "kept in memory" not in str(job.error)  # the models' message would say so: nothing was trained to keep
    assert fake.pids() == [] and not service.running()  # no worker started for nothing


def test_a_new_service_removes_stale_leftovers_only(tmp_path):
    folder = tmp_path / "nets"
    folder.mkdir()
    stale = [".cnn-first-10-0123456789abcdef.4242.keras", ".input-cnn-first-10-0123456789abcdef-x1y2.npz.tmp"]
    fresh = [".cnn-first-10-0123456789abcdef.4343.keras", ".input-cnn-first-10-0123456789abcdef-z3w4.npz.tmp"]
    saved = ["cnn-first-10-0123456789abcdef.json", "cnn-first-10-0123456789abcdef.keras"]
    hour_ago = time.time() - 3_700
    for name in stale + fresh + saved:
        (folder / name).write_bytes(b"x")
        if name not in fresh:
            os.utime(folder / name, (hour_ago, hour_ago))
    NeuralService(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(fresh + saved)  # a saved network is never swept


def test_finished_jobs_are_forgotten_after_a_while(faked, monkeypatch):
    service, fake = faked(FAILS)
    first = service.train(A, TINY)
    assert first.event.wait(60)
    second = service.train(B, TINY)
    assert service.job(A, TINY.fingerprint) is first  # just finished: still on record
    assert second.event.wait(60)
    monkeypatch.setattr(service_module, "FORGET_AFTER", 0)
    third = service.train(C, TINY)
    assert service.job(A, TINY.fingerprint) is None and service.job(B, TINY.fingerprint) is None
    assert service.job(C, TINY.fingerprint) is third
