"""The app's side of the neural worker: trained networks at hand, one training per setting, progress.

The app server holds one ``NeuralService`` (in ``st.cache_resource``). ``train`` writes
the sample to a file, starts a worker process (``worker_process``) if none is running
and queues the request; every session that asks for the same network gets the same
``NetworkJob``. The worker's events become the job's progress. If the worker dies, the job it
was training fails with the reason and the ones waiting behind it go to a new worker,
once. Trained networks are read from disk with ``digitlib.neural.files``: this module
never imports TensorFlow.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitlib.errors import ModelCacheError, NeuralBusyError, NeuralTrainingError, NeuralUnavailableError
from digitlib.language import N_
from digitlib.language.messages import Message
from digitlib.mnist import sampling
from digitlib.svm import model_files

from . import architecture, budget, files
from .files import TrainedNetwork
from .job_errors import Clause, told, why_it_ended
from .spec import NetSpec
from .worker_process import WorkerProcess

KEEP_IN_MEMORY = 8  # trained networks kept loaded (about 300 KB of weights each)
MOST_WAITING = 4  # trainings queued at once; more would keep a class waiting for minutes
FORGET_AFTER = 600  # seconds a finished job stays on record, for the pages that asked for it
STALE_SECONDS = 3600  # leftovers of a killed worker older than this are removed at start


@dataclass
class NetworkJob:
    """One network being trained, with its progress; shared by every session that asked for it."""

    key: str
    spec: NetSpec
    state: str = "queued"  # queued, running, done, failed
    epoch: int = 0  # passes finished
    epochs: int = 1
    step: int = 0
    steps: int = 1
    history: list = field(default_factory=list)  # one dict per finished pass: loss, accuracy, val_accuracy
    error: Message | None = None  # why it failed, translated when shown (str()) in the reader's language
    result: TrainedNetwork | None = None
    request: dict = field(default_factory=dict, repr=False)  # what the worker is asked
    worker: WorkerProcess | None = field(default=None, repr=False)  # the process asked to do it
    resent: bool = False  # already handed to a second worker once
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
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
        self.unavailable: Message | None = None  # why the worker cannot run here, once known
        self._notices: list[Message] = []
        self._lock = threading.RLock()
        self._jobs: dict[str, NetworkJob] = {}
        self._loaded: OrderedDict[str, TrainedNetwork] = OrderedDict()
        self._worker: WorkerProcess | None = None
        self._best: tuple[tuple, TrainedNetwork | None] | None = None
        self._shipped_nets: list[TrainedNetwork] | None = None
        self._peak_mb = 0.0  # of the workers that have ended
        self._sweep()

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

    def ready_made(self, fingerprint: str, mode: str = "first") -> list[TrainedNetwork]:
        """The networks that ship with the app for this data, smallest first."""
        return [net for net in self._all_shipped() if net.meta.get("data") == fingerprint
                and net.meta.get("mode", "first") == mode]

    def best(self, fingerprint: str) -> TrainedNetwork | None:
        """The network trained on the most images (on disk or shipped), for the Draw page."""
        stamp = (fingerprint, _mtime(self.folder), _mtime(files.SHIPPED_DIR))
        with self._lock:
            if self._best is not None and self._best[0] == stamp:
                return self._best[1]
        found = self._find_best(fingerprint)
        with self._lock:
            self._best = (stamp, found)
        return found

    def take_notices(self) -> list[Message]:
        """What went wrong reading saved networks since last asked (each told once; ``str()`` translates it)."""
        with self._lock:
            notices, self._notices = self._notices, []
        return notices

    def _find_best(self, fingerprint: str) -> TrainedNetwork | None:
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
            try:
                net = files.load(meta_path.parent, meta_path.stem)
            except ModelCacheError:
                continue
            if net is not None:
                return net
        return None

    def _remember(self, key: str, net: TrainedNetwork) -> None:
        with self._lock:
            self._loaded[key] = net
            self._loaded.move_to_end(key)
            while len(self._loaded) > KEEP_IN_MEMORY:
                self._loaded.popitem(last=False)

    def _read(self, key: str) -> TrainedNetwork | None:
        try:
            return files.load(self.folder, key)
        except ModelCacheError as exc:
            files.discard(self.folder, key)
            print(f"digits: removed the damaged neural network {key}: {exc}", file=sys.stderr)
            with self._lock:
                self._notices.append(
                    Message(N_("A saved neural network was damaged and has been removed; train it again.")))
            return None

    def _all_shipped(self) -> list[TrainedNetwork]:
        with self._lock:
            if self._shipped_nets is None:
                self._shipped_nets = [net for net in files.shipped()
                                      if net.meta.get("architecture", 1) == architecture.VERSION]
            return self._shipped_nets

    def _shipped(self, spec: NetSpec, fingerprint: str) -> TrainedNetwork | None:
        for net in self.ready_made(fingerprint, spec.mode):
            meta = net.meta
            if (net.n_train == spec.n and meta.get("seed") == spec.sample_seed
                    and bool(meta.get("augment")) == spec.augment and meta.get("epochs") == spec.passes):
                return net
        return None

    # --- training -------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why this server cannot train a network now, in the current language; None if it can."""
        reason = self._refusal()
        return None if reason is None else str(reason)

    def _refusal(self) -> Message | None:
        if self.unavailable:
            return self.unavailable
        try:
            budget.check(free_memory=not self.running())  # our own worker's memory is not a reason
        except NeuralUnavailableError as exc:
            return exc.message
        return None

    def job(self, spec: NetSpec, fingerprint: str) -> NetworkJob | None:
        """The training of ``spec`` under way or finished in the last minutes, if any."""
        with self._lock:
            return self._jobs.get(spec.key(fingerprint))

    def train(self, spec: NetSpec, mnist) -> NetworkJob:
        """Start training ``spec`` on ``mnist`` unless it is trained or training; return its job.

        Raises ``NeuralUnavailableError`` if this machine cannot run the worker, ``NeuralBusyError``
        if too many trainings wait, ``NeuralTrainingError`` if the sample cannot be handed over.
        """
        key = spec.key(mnist.fingerprint)
        with self._lock:
            self._forget_old()
            done = self.trained(spec, mnist.fingerprint)
            if done is not None:
                return self._finished_job(key, spec, done)
            job = self._jobs.get(key)
            if job is not None and not job.finished:
                return job
            if reason := self._refusal():
                raise NeuralUnavailableError(reason)
            if sum(not j.finished for j in self._jobs.values()) >= MOST_WAITING:
                raise NeuralBusyError(N_("{count} neural networks are already training or waiting on this server; "
                                         "try again when one is done."), count=MOST_WAITING)
            job = NetworkJob(key, spec, epochs=spec.passes)
            self._jobs[key] = job
        try:
            path = self._write_sample(key, mnist, sampling.choose(mnist.y_train, spec.n, spec.mode, spec.seed))
        except OSError as exc:  # not model_files.unwritable_message: nothing is "kept in memory" here
            reason = Message(N_("the disk is full") if exc.errno == errno.ENOSPC else
                             N_("the folder for networks cannot be written"))
            self._fail(job, Message(N_("its training images could not be handed to the worker ({reason})"),
                                    reason=reason))
            raise NeuralTrainingError(job.error) from exc
        job.request = {
            "op": "train", "job": key, "key": key, "folder": str(self.folder), "input": path,
            "n": spec.n, "mode": spec.mode, "seed": spec.sample_seed, "augment": spec.augment,
            "epochs": spec.passes, "batch": spec.batch_size, "data": mnist.fingerprint,
        }
        with self._lock:
            try:
                self._send(job)
            except NeuralUnavailableError as exc:
                self._fail(job, exc.message)
                raise
        return job

    def queued_before(self, job: NetworkJob) -> int:
        """How many other trainings the worker does before this one."""
        with self._lock:
            return sum(not j.finished and j.started < job.started for j in self._jobs.values())

    def running(self) -> bool:
        """True while a worker process is alive."""
        with self._lock:
            return self._worker is not None and self._worker.alive()

    @property
    def worker_peak_mb(self) -> float:
        """The largest memory any of this service's workers has held, in MB."""
        with self._lock:
            return max(self._peak_mb, self._worker.peak_mb if self._worker is not None else 0.0)

    def worker_pid(self) -> int | None:
        with self._lock:
            return self._worker.pid if self.running() else None

    def stop(self) -> None:
        """End the worker now (tests, shutdown); whatever it was doing fails."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.stop()

    def _finished_job(self, key: str, spec: NetSpec, net: TrainedNetwork) -> NetworkJob:
        epochs = int(net.meta.get("epochs", 1))
        job = NetworkJob(key, spec, state="done", epoch=epochs, epochs=epochs, result=net, ended=time.monotonic())
        job.event.set()
        return job

    def _write_sample(self, key: str, mnist, sample: sampling.Sample) -> str:
        """The training sample and the test images, in a file of this request's own."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.folder, prefix=f".input-{key}-", suffix=".npz" + model_files.TEMP_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, x=mnist.x_train[sample.indices], y=mnist.y_train[sample.indices],
                         x_test=mnist.x_test, y_test=mnist.y_test)
        except OSError:
            Path(path).unlink(missing_ok=True)
            raise
        return path

    def _send(self, job: NetworkJob) -> None:
        """Hand the job to the running worker, starting one if needed (called with the lock held)."""
        for _ in range(2):
            if self._worker is None or not self._worker.alive():
                self._worker = WorkerProcess(self.folder, self.python, self._on_event, self._on_exit)
            if self._worker.send(job.request):
                job.worker = self._worker
                return
            self._worker = None  # it has just left, idle: start another
        raise NeuralUnavailableError(N_("Could not reach the neural network's worker process."))

    def _on_exit(self, worker: WorkerProcess, code: int) -> None:
        with self._lock:
            self._peak_mb = max(self._peak_mb, worker.peak_mb)
            if self._worker is worker:
                self._worker = None
            mine = [job for job in self._jobs.values() if job.worker is worker and not job.finished]
            for job in mine:
                if job.state == "running" or job.resent or worker.stopped_because == "stopped":
                    self._fail(job, why_it_ended(worker, code))
                else:  # it never started this one: a new worker gets it, once
                    job.resent = True
                    try:
                        self._send(job)
                    except NeuralUnavailableError as exc:
                        self._fail(job, exc.message)

    def _on_event(self, event: dict) -> None:
        kind = event.get("event")
        with self._lock:
            if kind == "unavailable":
                self.unavailable = Message(N_("This server cannot train a neural network: {reason}"),
                                           reason=told(event, N_("the worker could not start")))
                for job in self._jobs.values():
                    if not job.finished:
                        self._fail(job, self.unavailable, whole=True)
                return
            job = self._jobs.get(str(event.get("job", "")))
            if job is None or job.finished:
                return
            if kind == "progress":
                job.state, job.step, job.steps = "running", int(event.get("step", 0)), int(event.get("steps") or 1)
            elif kind == "epoch":
                job.state, job.epoch, job.step = "running", int(event.get("epoch", job.epoch + 1)), 0
                job.history.append({k: event[k] for k in files.HISTORY_KEYS if k in event})
            elif kind == "failed":
                self._fail(job, told(event, N_("something went wrong in the worker")))
            elif kind == "done":
                try:
                    job.result = files.load(self.folder, job.key)
                except ModelCacheError as exc:
                    self._fail(job, exc.message)
                    return
                if job.result is None:
                    self._fail(job, Message(N_("its files were not found after training")))
                    return
                self._remember(job.key, job.result)
                job.state, job.ended = "done", time.monotonic()
                job.event.set()

    def _fail(self, job: NetworkJob, reason: Message, whole: bool = False) -> None:
        """Mark ``job`` failed because of ``reason`` (a clause, or with ``whole`` the sentence itself); its error
        stays a Message, written in the language of whoever reads it."""
        job.state, job.ended = "failed", time.monotonic()
        clause = Clause(reason)
        job.error = (Message("{reason}.", reason=clause) if whole else
                     Message(N_("The neural network could not be trained: {reason}."), reason=clause))
        if job.request.get("input"):
            Path(job.request["input"]).unlink(missing_ok=True)
        job.event.set()  # last: whoever waits on it finds the job's input already gone

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, j in self._jobs.items() if j.finished and now - (j.ended or now) > FORGET_AFTER]:
            del self._jobs[key]

    def _sweep(self) -> None:
        """Remove what killed workers left: temporary inputs and half-written Keras files."""
        model_files.sweep(self.folder, older_than=STALE_SECONDS)
        cutoff = time.time() - STALE_SECONDS
        for path in self.folder.glob(".cnn-*.keras") if self.folder.is_dir() else []:
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0
