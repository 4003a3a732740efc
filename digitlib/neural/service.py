"""The app's side of the neural worker: start it on demand, one training per setting, progress.

The app server holds one ``NeuralService`` (in ``st.cache_resource``). ``train`` writes
the sample to a file, starts the worker process if none is running and queues the
request; every session that asks for the same network gets the same ``Job``. A reader
thread turns the worker's events into the job's progress; a watchdog stops the worker
if it grows past its memory budget. The worker ends itself when idle. Trained networks
are read from disk with ``digitlib.neural.files``: this module never imports TensorFlow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import sampling, store
from ..errors import ModelCacheError, NeuralTrainingError, NeuralUnavailableError
from . import architecture, budget, files
from .files import TrainedNetwork
from .spec import NetSpec

ROOT = Path(__file__).resolve().parent.parent.parent
KEEP_IN_MEMORY = 8  # trained networks kept loaded (about 300 KB of weights each)


@dataclass
class Job:
    """One network being trained, with its progress; shared by every session that asked for it."""

    key: str
    spec: NetSpec
    state: str = "queued"  # queued, running, done, failed
    epoch: int = 0  # passes finished
    epochs: int = 1
    step: int = 0
    steps: int = 1
    history: list = field(default_factory=list)  # one dict per finished pass: loss, accuracy, val_accuracy
    error: str | None = None
    result: TrainedNetwork | None = None
    request: dict = field(default_factory=dict, repr=False)  # what the worker was asked
    worker: subprocess.Popen | None = field(default=None, repr=False)  # the process asked to do it
    started: float = field(default_factory=time.monotonic)
    event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def fraction(self) -> float:
        if self.state == "done":
            return 1.0
        return min(1.0, (self.epoch + self.step / max(self.steps, 1)) / max(self.epochs, 1))

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class NeuralService:
    """Trains networks in a worker process and keeps the trained ones at hand."""

    def __init__(self, folder: Path | None = None, python: str = sys.executable):
        self.folder = Path(folder or files.default_dir())
        self.python = python
        self.unavailable: str | None = None  # why the worker cannot run here, once known
        self.notices: list[str] = []
        self.worker_peak_mb = 0.0
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}
        self._loaded: OrderedDict[str, TrainedNetwork] = OrderedDict()
        self._proc: subprocess.Popen | None = None
        self._killed: set[int] = set()  # workers the watchdog stopped for their memory
        self._stopping = False
        store.sweep(self.folder)

    # --- trained networks ---------------------------------------------------------------

    def trained(self, spec: NetSpec, fingerprint: str, ready_made: bool = False) -> TrainedNetwork | None:
        """The network for ``spec`` if it was trained here before (or, with ``ready_made``, ships with
        the app: for servers that cannot train); else None."""
        key = spec.key(fingerprint)
        with self._lock:
            if key in self._loaded and (ready_made or not self._loaded[key].shipped):
                self._loaded.move_to_end(key)
                return self._loaded[key]
        net = self._read(key) or (self._shipped(spec, fingerprint) if ready_made else None)
        if net is not None:
            self._remember(key, net)
        return net

    def _remember(self, key: str, net: TrainedNetwork) -> None:
        with self._lock:
            self._loaded[key] = net
            while len(self._loaded) > KEEP_IN_MEMORY:
                self._loaded.popitem(last=False)

    def best(self, fingerprint: str) -> TrainedNetwork | None:
        """The network trained on the most images (on disk or shipped), for the Draw page."""
        candidates = []
        for meta_path in list(self.folder.glob("cnn-*.json")) + list(files.SHIPPED_DIR.glob("cnn-*.json")):
            try:
                meta = json.loads(meta_path.read_text())
            except (OSError, ValueError):
                continue
            if (meta.get("data") == fingerprint and isinstance(meta.get("n"), int)
                    and meta.get("architecture", 1) == architecture.VERSION):
                candidates.append((meta["n"], not meta.get("augment", False), meta_path))
        for _, _, meta_path in sorted(candidates, reverse=True):
            with self._lock:
                if meta_path.stem in self._loaded:
                    return self._loaded[meta_path.stem]
            try:
                net = files.load(meta_path.parent, meta_path.stem)
            except ModelCacheError:
                continue
            if net is not None:
                self._remember(meta_path.stem, net)
                return net
        return None

    def _read(self, key: str) -> TrainedNetwork | None:
        try:
            return files.load(self.folder, key)
        except ModelCacheError as exc:
            files.discard(self.folder, key)
            self.notices.append(str(exc))
            return None

    def _shipped(self, spec: NetSpec, fingerprint: str) -> TrainedNetwork | None:
        for net in files.shipped(spec.mode):
            meta = net.meta
            if (meta.get("data") == fingerprint and meta.get("architecture", 1) == architecture.VERSION
                    and net.n_train == spec.n and meta.get("seed") == spec.sample_seed
                    and bool(meta.get("augment")) == spec.augment and meta.get("epochs") == spec.passes):
                return net
        return None

    # --- training -------------------------------------------------------------------------

    def job(self, spec: NetSpec, fingerprint: str) -> Job | None:
        """The training of ``spec`` under way or just finished, if any."""
        with self._lock:
            return self._jobs.get(spec.key(fingerprint))

    def train(self, spec: NetSpec, mnist) -> Job:
        """Start training ``spec`` on ``mnist`` unless it is trained or training; return its job.

        Raises ``NeuralUnavailableError`` if this machine cannot run the worker.
        """
        key = spec.key(mnist.fingerprint)
        with self._lock:
            done = self.trained(spec, mnist.fingerprint)
            if done is not None:
                job = Job(key, spec, state="done", epoch=done.meta.get("epochs", 1), epochs=done.meta.get("epochs", 1),
                          result=done)
                job.event.set()
                return job
            job = self._jobs.get(key)
            if job is not None and not job.finished:
                return job
            if self.unavailable:
                raise NeuralUnavailableError(self.unavailable)
            budget.check()
            sample = sampling.choose(mnist.y_train, spec.n, spec.mode, spec.seed)
            job = Job(key, spec, epochs=spec.passes)
            job.request = {
                "op": "train", "job": key, "key": key, "folder": str(self.folder), "input": self._input(key, mnist, sample),
                "n": spec.n, "mode": spec.mode, "seed": spec.sample_seed, "augment": spec.augment,
                "epochs": spec.passes, "batch": spec.batch_size, "data": mnist.fingerprint,
                "description": spec.describe(),
            }
            self._jobs[key] = job
            self._send(job)
            return job

    def queued_before(self, job: Job) -> int:
        """How many other trainings the worker does before this one."""
        with self._lock:
            waiting = [j for j in self._jobs.values() if not j.finished and j.started < job.started]
        return len(waiting)

    def running(self) -> bool:
        """True while a worker process is alive."""
        with self._lock:
            return self._proc is not None and self._proc.poll() is None

    def worker_pid(self) -> int | None:
        with self._lock:
            return self._proc.pid if self.running() else None

    def stop(self) -> None:
        """End the worker now (tests, shutdown)."""
        with self._lock:
            proc, self._stopping = self._proc, True
        if proc is not None and proc.poll() is None:
            try:
                proc.stdin.write(b'{"op": "quit"}\n')
                proc.stdin.flush()
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()

    def _input(self, key: str, mnist, sample: sampling.Sample) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f".input-{key}.npz{store.TEMP_SUFFIX}"
        with open(path, "wb") as f:
            np.savez(f, x=mnist.x_train[sample.indices], y=mnist.y_train[sample.indices],
                     x_test=mnist.x_test, y_test=mnist.y_test)
        return str(path)

    def _send(self, job: Job) -> None:
        line = (json.dumps(job.request) + "\n").encode()
        for _ in range(2):
            proc = self._worker()
            try:
                proc.stdin.write(line)
                proc.stdin.flush()
                job.worker = proc
                return
            except OSError:  # it has just left, idle: start another
                self._proc = None
        raise NeuralUnavailableError("Could not reach the neural network's worker process.")

    def _worker(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
        self.folder.mkdir(parents=True, exist_ok=True)
        log = open(self.folder / "worker.log", "ab")  # TensorFlow's own chatter, for whoever runs the server
        try:
            proc = subprocess.Popen([self.python, "-m", "digitlib.neural.worker"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=log, cwd=ROOT, env=env)
        except OSError as exc:
            raise NeuralUnavailableError(f"Could not start the neural network's worker process ({exc.strerror}).") from exc
        finally:
            log.close()
        self._proc, self._stopping = proc, False
        threading.Thread(target=self._read_events, args=(proc,), daemon=True, name="neural-events").start()
        threading.Thread(target=self._watch_memory, args=(proc,), daemon=True, name="neural-memory").start()
        return proc

    def _read_events(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            self._on_event(event)
        code = proc.wait()
        with self._lock:
            if self._proc is proc:
                self._proc = None
            mine = [job for job in self._jobs.values() if job.worker is proc and not job.finished]
            over_budget = proc.pid in self._killed
            if code == 0 and not over_budget and not self._stopping:
                # It left idle just as a request arrived: nothing of it was started, so ask a new worker.
                for job in mine:
                    try:
                        self._send(job)
                    except NeuralUnavailableError as exc:
                        self._fail(job, str(exc))
                return
            if over_budget:
                reason = (f"it needed more than the {budget.budget_mb():,} MB of memory this server allows "
                          "(DIGITS_NEURAL_MEMORY_MB); try a smaller N")
            elif self._stopping:
                reason = "the server stopped its worker"
            else:
                reason = f"its worker process stopped unexpectedly (exit code {code})"
            for job in mine:
                self._fail(job, reason)

    def _on_event(self, event: dict) -> None:
        kind = event.get("event")
        with self._lock:
            if kind == "unavailable":
                self.unavailable = f"This server cannot train a neural network: {event.get('message', '')}"
                for job in self._jobs.values():
                    if not job.finished:
                        job.state, job.error = "failed", self.unavailable
                        job.event.set()
                return
            job = self._jobs.get(str(event.get("job", "")))
            if job is None or job.finished:
                return
            if kind == "progress":
                job.state, job.step, job.steps = "running", int(event.get("step", 0)), int(event.get("steps") or 1)
            elif kind == "epoch":
                job.state, job.epoch, job.step = "running", int(event["epoch"]), 0
                job.history.append({k: event[k] for k in files.HISTORY_KEYS if k in event})
            elif kind == "failed":
                self._fail(job, event.get("message", "unknown error"))
            elif kind == "done":
                self.worker_peak_mb = max(self.worker_peak_mb, float(event.get("peak_rss_mb", 0)))
                try:
                    job.result = files.load(self.folder, job.key)
                except ModelCacheError as exc:
                    self._fail(job, str(exc))
                    return
                job.state = "done"
                job.event.set()

    def _fail(self, job: Job, reason: str) -> None:
        job.state, job.error = "failed", f"The neural network could not be trained: {reason}."
        job.event.set()
        Path(self.folder / f".input-{job.key}.npz{store.TEMP_SUFFIX}").unlink(missing_ok=True)

    def _watch_memory(self, proc: subprocess.Popen) -> None:
        while proc.poll() is None:
            rss = _rss_mb(proc.pid)
            self.worker_peak_mb = max(self.worker_peak_mb, rss)
            if rss > budget.budget_mb():
                self._killed.add(proc.pid)
                proc.kill()
                return
            time.sleep(0.25)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def failed(job: Job) -> NeuralTrainingError:
    """The job's failure as an error to show."""
    return NeuralTrainingError(job.error or "The neural network could not be trained.")
