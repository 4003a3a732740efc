"""The real worker: TensorFlow trains one tiny network (1,000 images, 3 passes) in a separate process."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from digitlib.errors import NeuralUnavailableError
from digitlib.neural import budget, files
from digitlib.neural.service import NeuralService
from digitlib.neural.spec import NetSpec
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
    assert "DIGITS_NEURAL_MEMORY_MB" in str(job.error) and "300 MB" in str(job.error) and "smaller N" in str(job.error)
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
    assert job.state == "failed" and "TensorFlow is not installed" in str(job.error)
    assert service.unavailable and "TensorFlow is not installed" in str(service.unavailable)
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
