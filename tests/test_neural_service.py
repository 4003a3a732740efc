"""The real worker: TensorFlow trains one tiny network (1,000 images, 3 passes) in a separate process."""

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from digitlib.errors import NeuralBusyError, NeuralTrainingError, NeuralUnavailableError
from digitlib.neural import budget, files, worker_process
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
from tests.support.paths import ROOT
from tests.support.threads import ask_from_threads

SPEC = NetSpec(n=1_000, epochs=3)
SMALL = NetSpec(n=200, epochs=1)
TRAINING = 300  # seconds: a generous ceiling for waiting on a job, not a measured speed


def _train(folder, mnist, idle_seconds="600"):
    """Train SPEC in ``folder`` through a new service: asked from four threads at once, then once more."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("DIGITS_NEURAL", "DIGITS_NEURAL_MEMORY_MB"):
            mp.delenv(name, raising=False)
        mp.setenv("DIGITS_NEURAL_IDLE_SECONDS", idle_seconds)  # read by the worker when it starts
        service = NeuralService(folder)
        jobs = ask_from_threads(4, lambda: service.train(SPEC, mnist))
        job = jobs[0]
        again = service.train(SPEC, mnist)
        state_when_asked_again = job.state
        pid = service.worker_pid()
    finished = job.event.wait(TRAINING)
    return SimpleNamespace(service=service, folder=folder, jobs=jobs, job=job, again=again, pid=pid,
                           state_when_asked_again=state_when_asked_again, finished=finished)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, mnist):
    run = _train(tmp_path_factory.mktemp("neural"), mnist)
    yield run
    run.service.stop()


@pytest.fixture(scope="module")
def retrained(trained, tmp_path_factory, mnist):
    """The same network trained again in a fresh folder, by a worker that leaves after 2 idle seconds."""
    run = _train(tmp_path_factory.mktemp("neural-again"), mnist, idle_seconds="2")
    yield run
    run.service.stop()


def _until(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# --- one training ------------------------------------------------------------------------

def test_trains_a_network_that_reads_digits(trained):
    job = trained.job
    assert trained.finished, f"the job is still {job.state}"
    assert job.state == "done" and job.error is None, job.error
    assert job.result.accuracy > 0.80
    assert job.result.n_train == 1_000 and job.result.n_test == 10_000
    assert job.result.meta["epochs"] == 3 and job.result.meta["batch"] == SPEC.batch_size


def test_history_has_one_entry_per_pass(trained):
    job = trained.job
    assert len(job.history) == 3 and job.epoch == job.epochs == 3 and job.fraction == 1.0
    for entry in job.history:
        assert set(entry) == set(files.HISTORY_KEYS)
        assert 0 < entry["accuracy"] <= 1 and 0 < entry["val_accuracy"] <= 1 and entry["loss"] > 0
    assert job.history[-1]["loss"] < job.history[0]["loss"]  # it learned
    saved = job.result.history
    assert [e["val_accuracy"] for e in job.history] == saved["val_accuracy"]  # the events and the file agree
    assert [e["loss"] for e in job.history] == saved["loss"]


def test_one_training_per_setting(trained):
    assert all(job is trained.job for job in trained.jobs)  # four sessions asking at once
    assert trained.again is trained.job  # and one more while it trained
    assert trained.state_when_asked_again in ("queued", "running")
    assert trained.pid is not None
    assert trained.service.job(SPEC, trained.job.result.meta["data"]) is trained.job


def test_leaves_the_three_files_and_no_temporaries(trained):
    key = trained.job.key
    names = sorted(p.name for p in trained.folder.iterdir() if p.name != "worker.log")
    assert names == [f"{key}.json", f"{key}.keras", f"{key}.npz"]  # the sample's input file is gone too
    assert trained.job.result.file_bytes == files.paths(trained.folder, key)["keras"].stat().st_size


def test_numpy_forward_pass_agrees_with_keras(trained, mnist):
    net = trained.job.result
    predicted = net.network.predict(mnist.x_test)
    assert len(predicted) == len(net.predictions) == 10_000
    assert (predicted == net.predictions).mean() >= 0.999
    assert abs((predicted == mnist.y_test).mean() - net.accuracy) <= 0.001


def test_a_new_service_finds_it_trained_without_a_worker(trained, mnist):
    other = NeuralService(trained.folder)
    net = other.trained(SPEC, mnist.fingerprint)
    assert net is not None and net.key == trained.job.key
    assert net.accuracy == trained.job.result.accuracy
    np.testing.assert_array_equal(net.predictions, trained.job.result.predictions)
    job = other.train(SPEC, mnist)  # nothing to do: no worker is started
    assert job.state == "done" and job.event.is_set() and job.result.key == net.key
    assert not other.running() and other.worker_pid() is None
    assert other.trained(NetSpec(n=1_000, epochs=4), mnist.fingerprint) is None


def _ask_worker(requests, timeout=TRAINING, log=None):
    """Run ``python -m digitlib.neural.worker`` on these requests (then end of input); its events
    (and what it wrote to stderr, its log, appended to the list ``log`` if given)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-m", "digitlib.neural.worker"], cwd=ROOT, env=env, timeout=timeout,
                          input="".join(json.dumps(r) + "\n" for r in requests), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    if log is not None:
        log.append(done.stderr)
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_keras_file_loads_safely_and_agrees(trained, mnist, tmp_path):
    key = trained.job.key
    inputs = [tmp_path / "bad.npz", tmp_path / "test.npz"]
    for path in inputs:
        np.savez(path, x_test=mnist.x_test)
    log = []
    events = _ask_worker([
        {"op": "verify", "job": "bad", "key": "../" + key, "folder": str(trained.folder), "input": str(inputs[0])},
        {"op": "verify", "job": "good", "key": key, "folder": str(trained.folder), "input": str(inputs[1])},
    ], log=log)
    by_job = {e.get("job"): e for e in events}
    assert events[0]["event"] == "ready"
    assert by_job["bad"]["event"] == "failed" and "something went wrong" in by_job["bad"]["message"]
    assert "../" not in by_job["bad"]["message"] and str(trained.folder) not in by_job["bad"]["message"]
    assert "malformed network key" in log[0]  # the details go to the log
    assert by_job["good"]["event"] == "verified", by_job["good"]
    assert by_job["good"]["agree"] >= 0.999
    assert not inputs[1].exists()  # the worker removes its input


# --- the same setting again ----------------------------------------------------------------

def test_training_is_reproducible(trained, retrained):
    first, second = trained.job.result, retrained.job.result
    assert retrained.job.state == "done", retrained.job.error
    assert second.key == first.key and retrained.folder != trained.folder
    assert second.accuracy == first.accuracy
    np.testing.assert_array_equal(second.predictions, first.predictions)
    assert retrained.job.history == trained.job.history
    for name, weights in first.network.weights.items():
        np.testing.assert_array_equal(second.network.weights[name], weights, err_msg=name)


def test_idle_worker_leaves_by_itself(retrained):
    service = retrained.service
    assert retrained.pid is not None  # it had a worker
    assert _until(lambda: not service.running(), seconds=30), "the worker is still running"
    assert _until(lambda: not Path(f"/proc/{retrained.pid}").exists(), seconds=10)
    assert retrained.job.state == "done"  # leaving idle fails nothing


# --- when the worker cannot train ------------------------------------------------------------

def test_worker_over_its_memory_budget_is_stopped(tmp_path, mnist, monkeypatch):
    monkeypatch.setattr(budget, "check", lambda free_memory=True: None)  # let it start despite the budget
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", "300")  # TensorFlow alone needs more
    service = NeuralService(tmp_path)
    job = service.train(SMALL, mnist)
    assert job.event.wait(TRAINING)
    assert job.state == "failed"
    assert "DIGITS_NEURAL_MEMORY_MB" in job.error and "300 MB" in job.error and "smaller N" in job.error
    assert service.worker_peak_mb > 300
    assert _until(lambda: not service.running())
    assert service.unavailable is None  # a smaller network may still fit
    assert not files.exists(tmp_path, job.key)
    assert list(tmp_path.glob("*.tmp")) == []  # the sample written for the worker is removed


def test_without_tensorflow(tmp_path, mnist, monkeypatch):
    fake = tmp_path / "fake" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named tensorflow')\n")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))  # the service passes it on, after the app's own folder
    # This machine's free memory does not matter here.
    monkeypatch.setattr(budget, "check", lambda free_memory=True: None)
    service = NeuralService(tmp_path / "nets")
    job = service.train(SMALL, mnist)
    assert job.event.wait(TRAINING)
    assert job.state == "failed" and "TensorFlow is not installed" in job.error
    assert service.unavailable and "TensorFlow is not installed" in service.unavailable
    with pytest.raises(NeuralUnavailableError, match="TensorFlow is not installed"):
        service.train(SPEC, mnist)
    with pytest.raises(NeuralUnavailableError, match="TensorFlow is not installed"):
        service.train(SMALL, mnist)
    assert _until(lambda: not service.running())


# --- TensorFlow stays out of the app -----------------------------------------------------------

def test_tensorflow_is_not_imported_here():
    # after all of the above, in this process (the app server's place)
    assert "tensorflow" not in sys.modules and "keras" not in sys.modules


def test_importing_the_package_does_not_import_tensorflow():
    code = ("import digitlib.neural.service, digitlib.neural.files, digitlib.neural.forward, digitlib.neural.budget, "
            "digitlib.neural.spec, digitlib.neural.augment; import sys; "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# --- when the worker misbehaves: fake workers, no TensorFlow ------------------------------------

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
    assert job.state == "failed" and job.event.is_set() and "Could not start" in job.error  # not queued for ever
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
    assert job.state == "failed" and "stopped answering" in job.error, job.error
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
    assert job.state == "failed" and "stopped answering" in job.error, job.error
    assert [r["spawn"] for r in fake.received()] == ([1] if started else [1, 2])  # a running job is not re-sent
    assert _inputs(service) == []
    assert until(lambda: not service.running())


def test_a_worker_without_tensorflow_makes_the_service_unavailable(faked):
    service, fake = faked(UNAVAILABLE)
    job = service.train(A, TINY)
    assert job.event.wait(60), f"the job is still {job.state}"
    assert job.state == "failed" and "TensorFlow is not installed here (tensorflow)" in job.error
    assert service.unavailable and "TensorFlow is not installed" in service.unavailable
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
    assert job.state == "failed" and "left before it was done" in job.error, job.error
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
    assert running.state == "failed" and "stopped unexpectedly" in running.error and "worker.log" in running.error
    assert until(lambda: {"spawn": 2, "job": waiting.key} in fake.received()), fake.received()
    assert waiting.state == "queued" and waiting.resent and waiting.worker is not running.worker
    assert not Path(running.request["input"]).exists() and Path(waiting.request["input"]).exists()  # still needed
    assert service.running() and service.worker_pid() == fake.pids()[1]
    service.stop()  # whatever waits fails, its input removed
    assert waiting.event.wait(30) and "stopped its worker" in waiting.error
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
    assert job.error.startswith("The neural network could not be trained")
    assert "kept in memory" not in job.error  # the models' message would say so: nothing was trained to keep
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
