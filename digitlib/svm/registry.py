"""Trained models shared by everyone using the app: in memory, on disk, or in training.

A ``Registry`` answers "the model for this spec" from memory first, then from the
disk store, and otherwise trains it once, however many sessions ask at the same
moment. Long trainings run on a background worker that reports progress, so a page
can show a progress bar instead of freezing; the worker also warms up the
learning-curve sizes after the app starts. Memory is bounded by the bytes of the
models' support vectors, evicting the least recently used.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitlib import serving
from digitlib.errors import DigitsError, ModelCacheError, ShippedModelError
from digitlib.language import N_
from digitlib.language.messages import Message
from digitlib.mnist import sampling
from digitlib.servers import model_lock
from digitlib.svm import model_files, shipped
from digitlib.svm.model import DigitModel, train
from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec


@dataclass
class TrainingJob:
    """One model being loaded or trained, with its progress."""

    spec: ModelSpec
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 45
    error: Message | None = None  # why it failed, written in the reader's language when shown (str())
    model: DigitModel | None = None
    started: float | None = None
    finished: float | None = None
    event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def fraction(self) -> float:
        return 1.0 if self.state == "done" else self.done / max(self.total, 1)


# Trainings at once in one server (DIGITS_TRAININGS, default 2: the cores). Thirty students each training
# a model of their own would otherwise hold thirty trainings' kernel blocks at the same moment.
_TRAINING_SLOTS = threading.BoundedSemaphore(max(1, int(os.environ.get("DIGITS_TRAININGS", "2"))))


def _recorded_accuracy(spec: ModelSpec, folder: Path | None) -> float | None:
    try:
        path = Path(folder or shipped.SHIPPED_DIR) / shipped.file_name(spec.n, spec.mode, spec.seed)
        meta = shipped.read_metadata(path)
        return float(meta["accuracy"]["first_100"])
    except (ShippedModelError, KeyError, TypeError, ValueError):
        return None


def _model_bytes(model: DigitModel) -> int:
    """Memory a model holds: float64 support vectors, their pixel and float32 copies for prediction, coefficients.
    A shipped model's float64 support vectors are mapped from a file and stay on disk (``shipped._mapped``)."""
    est = model.estimator
    mapped = isinstance(getattr(est.support_vectors_, "base", None), np.memmap)
    return est.support_vectors_.nbytes * (1 if mapped else 3) // 2 + est.dual_coef_.nbytes


class Registry:
    """Models for one data set, shared across sessions; thread-safe."""

    def __init__(self, mnist, folder: Path | None = None, max_bytes: int | None = None,
                 shipped_folder: Path | None = None):
        self.mnist = mnist
        self.folder = folder
        self.shipped_folder = shipped_folder
        # Models that come ready-made with the repository (the lesson's learning curve).
        self.shipped = frozenset(ModelSpec(n=n) for n in shipped.shipped_sizes(mnist, folder=shipped_folder))
        self._recorded = {spec: _recorded_accuracy(spec, shipped_folder) for spec in self.shipped}
        # DIGITS_MODEL_MEMORY_MB bounds the models kept in memory (default 100 MB: the shipped
        # 60,000-image model takes about 40 MB, its float64 support vectors mapped from disk, which
        # leaves 60 MB: seven 2,000-image models or fifteen 500-image ones, within a 600 MB class server).
        self.max_bytes = max_bytes or int(os.environ.get("DIGITS_MODEL_MEMORY_MB", "100")) * 2**20
        self._models: OrderedDict[ModelSpec, DigitModel] = OrderedDict()
        self._jobs: dict[ModelSpec, TrainingJob] = {}
        self._queue: list = []
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self._trained: set[ModelSpec] = set()
        self._load_locks: dict[ModelSpec, threading.Lock] = {}
        self._notices: list[Message] = []
        model_files.sweep(folder)

    # -- looking up ---------------------------------------------------------------
    def cached(self, spec: ModelSpec) -> DigitModel | None:
        """The model if it is in memory, else None; never touches the disk."""
        with self._lock:
            model = self._models.get(spec)
            if model is not None:
                self._models.move_to_end(spec)
            return model

    def get(self, spec: ModelSpec) -> DigitModel | None:
        """The model from memory or disk, or None if it has not been trained.

        Single flight: however many sessions ask at once, a file is read once and the
        others wait for that copy (thirty parallel reads of the 60,000-image model
        once took 4.4 GB).
        """
        model = self.cached(spec)
        if model is not None:
            return model
        with self._load_lock(spec):
            model = self.cached(spec)
            if model is None:
                model = self._read(spec)
                if model is not None:
                    self._keep(spec, model)
        return model

    def _load_lock(self, spec: ModelSpec) -> threading.Lock:
        with self._lock:
            return self._load_locks.setdefault(spec, threading.Lock())

    def _read(self, spec: ModelSpec) -> DigitModel | None:
        """The model shipped with the repository or from the disk store.

        A damaged shipped file is skipped, a damaged or untrusted stored file is discarded:
        either way with a notice, and the model is trained instead.
        """
        if spec in self.shipped:
            try:
                model = shipped.load(self.mnist, spec.n, spec.mode, spec.seed, spec.settings, self.shipped_folder,
                                     mapped_dir=Path(self.folder or model_files.default_dir()) / "mapped")
            except ShippedModelError as exc:
                self._notify(exc.message)
                model = None
            if model is not None:
                model.precomputed = True
                return model
        try:
            return model_files.load(self._key(spec), self.folder)
        except ModelCacheError as exc:
            self._notify(exc.message)
            model_files.discard(self._key(spec), self.folder)
            return None

    def notices(self) -> list[Message]:
        """What went wrong quietly (a discarded file, a disk that cannot be written), oldest first; each a
        Message, written in the reader's language by ``str()``."""
        with self._lock:
            return list(self._notices)

    def _notify(self, text: Message) -> None:
        with self._lock:
            if text not in self._notices:
                self._notices.append(text)

    def on_disk(self, spec: ModelSpec) -> bool:
        """Whether the model can be read rather than trained: shipped, or in the disk store."""
        return (spec in self.shipped
                or (Path(self.folder or model_files.default_dir()) / (self._key(spec) + model_files.SUFFIX)).exists())

    def recorded_accuracy(self, spec: ModelSpec) -> float | None:
        """A shipped model's accuracy on the first 100 test images, as recorded when it was made."""
        return self._recorded.get(spec)

    def known(self) -> list[ModelSpec]:
        """Specs trained or loaded by this registry so far, or in memory."""
        with self._lock:
            # repr: a custom gamma (a number) and 'scale' cannot be compared with each other
            return sorted(set(self._models) | self._trained, key=lambda s: (repr(s.family()), s.n))

    def job(self, spec: ModelSpec) -> TrainingJob | None:
        with self._lock:
            return self._jobs.get(spec)

    def available_along(self, spec: ModelSpec) -> list[ModelSpec]:
        """The models on ``spec``'s learning curve (its settings, any N) held in memory or on disk, by size."""
        family = {s for s in self.known() + list(self.shipped) if s.family() == spec.family()}
        return sorted((s for s in family if self.cached(s) is not None or self.on_disk(s)), key=lambda s: s.n)

    def jobs(self) -> list[TrainingJob]:
        with self._lock:
            return list(self._jobs.values())

    # -- getting a model ------------------------------------------------------------
    def ensure(self, spec: ModelSpec, progress=None) -> DigitModel:
        """The model for ``spec``, loading or training it in this thread if needed.

        If another thread is already producing it, wait for that instead of training twice.
        """
        model = self.get(spec)
        if model is not None:
            return model
        with self._lock:
            job = self._jobs.get(spec)
            # A job still waiting in the queue is taken over, so nobody waits behind the worker.
            mine = job is None or job.state in ("queued", "failed")
            if mine:
                job = self._jobs[spec] = job if job is not None and job.state == "queued" else TrainingJob(spec)
                job.state = "running"
        if mine:
            self._run(job, progress)
        else:
            job.event.wait()
        if job.error:
            raise DigitsError(job.error)
        return job.model

    def request(self, spec: ModelSpec, urgent: bool = True) -> TrainingJob:
        """Have the background worker produce ``spec``; returns its job to watch."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is None or job.state == "failed":
                job = self._jobs[spec] = TrainingJob(spec)
                heapq.heappush(self._queue, (0 if urgent else 1, next(self._order), spec))
                self._start_worker()
                self._wake.notify()
            elif urgent and job.state == "queued":
                heapq.heappush(self._queue, (0, next(self._order), spec))
                self._wake.notify()
            return job

    def warm_up(self, specs) -> None:
        """Queue ``specs`` for background training after any user's request."""
        for spec in specs:
            if self.cached(spec) is None and spec not in self.shipped:
                self.request(spec, urgent=False)

    def best(self, family: tuple) -> DigitModel | None:
        """The model with the most training images in ``family``, from memory or disk.

        Looks at every spec this registry has seen and at the learning-curve sizes on disk,
        so a restarted server finds the models an earlier one trained.
        """
        mode, seed, C, gamma, kernel = family
        on_disk = [ModelSpec(n, mode, seed, C, gamma, kernel) for n in CURVE_SIZES] + list(self.shipped)
        candidates = {s for s in self.known() + on_disk if s.family() == family and
                      (self.cached(s) is not None or self.on_disk(s) or s in self._trained)}
        for spec in sorted(candidates, key=lambda s: -s.n):
            model = self.get(spec)
            if model is not None:
                return model
        return None

    # -- internals ----------------------------------------------------------------------
    def _key(self, spec: ModelSpec) -> str:
        return model_files.model_key(self.mnist.fingerprint, spec.mode, spec.n, spec.seed, spec.settings)

    def _keep(self, spec: ModelSpec, model: DigitModel) -> None:
        with self._lock:
            self._models[spec] = model
            self._models.move_to_end(spec)
            self._trained.add(spec)
            total = sum(_model_bytes(m) for m in self._models.values())
            while total > self.max_bytes and len(self._models) > 1:
                _, evicted = self._models.popitem(last=False)
                total -= _model_bytes(evicted)

    def _run(self, job: TrainingJob, progress=None) -> None:
        def report(done, total):
            job.done, job.total = done, total
            if progress is not None:
                progress(done, total)

        job.state, job.started = "running", time.monotonic()
        try:
            model = self.get(job.spec)
            if model is None:
                # Servers sharing the model folder train a model once: the second looks again after the lock.
                with model_lock.held(self._key(job.spec), self.folder or model_files.default_dir()):
                    model = self.get(job.spec) or self._train(job.spec, report)
            job.model, job.state = model, "done"
        except DigitsError as exc:
            job.error, job.state = exc.message, "failed"
        except Exception as exc:  # a worker must report, never die silently
            job.error = Message(N_("Training failed unexpectedly ({problem})."), problem=f"{type(exc).__name__}: {exc}")
            job.state = "failed"
        finally:
            job.finished = time.monotonic()
            serving.release_memory()  # training's kernel blocks, freed but still held by malloc
            with self._lock:
                if job.state == "done":
                    self._jobs.pop(job.spec, None)
            job.event.set()

    def _train(self, spec: ModelSpec, report) -> DigitModel:
        model_lock.announce(self._key(spec))
        sample = sampling.choose(self.mnist.y_train, spec.n, spec.mode, spec.seed)
        with _TRAINING_SLOTS:
            model = train(self.mnist.x_train, self.mnist.y_train, sample, spec.settings, progress=report)
        try:
            model_files.save(model, self._key(spec), self.folder)
        except OSError as exc:
            # A read-only or full disk only means models are not kept across restarts.
            self._notify(model_files.unwritable_message(exc))
        self._keep(spec, model)
        return model

    def _start_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="digits-trainer", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._wake.wait()
                _, _, spec = heapq.heappop(self._queue)
                job = self._jobs.get(spec)
                if job is None or job.state != "queued":
                    continue  # already produced, or queued twice
            self._run(job)
