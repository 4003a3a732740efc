"""The neural network's worker process: the only place TensorFlow is ever imported.

``digitlib.neural.service`` starts it as ``python -m digitlib.neural.worker`` when a
network must be trained. It reads one JSON request per line on stdin and writes one
JSON event per line on stdout; it leaves when stdin closes, on ``{"op": "quit"}``, or
after ``DIGITS_NEURAL_IDLE_SECONDS`` (default 120) without work, giving its memory back.
It runs at a lower priority than the app server, so students' pages stay quick while
it trains.

Requests: ``train`` (a network from an input ``.npz`` of uint8 images, saved with
``digitlib.neural.files``) and ``verify`` (load a saved ``.keras`` file with
``safe_mode`` and compare its predictions with the saved ones).
Events: ``ready``, ``unavailable``, ``progress``, ``epoch``, ``done``, ``failed``,
``verified``, ``idle``, ``waiting`` (another server trains this network: ``digitlib.servers.model_lock``).
A ``message`` is English, marked for translation, with its placeholders' ``values``: the app translates it
for whoever reads it.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import sys
import time
import traceback
from pathlib import Path

import numpy as np

from digitlib.errors import ModelCacheError
from digitlib.language import N_, _
from digitlib.servers import model_lock

from . import architecture, files
from .augment import augment as augmented
from .budget import rss_mb
from .worker_process import LOG_NAME

KEY = re.compile(r"^cnn-[a-z]+-\d+(-aug)?-[0-9a-f]{16}$")
VALIDATION_IMAGES = 1_000  # the curve's test accuracy per pass: cheap, and shows overfitting


def main() -> int:
    idle = float(os.environ.get("DIGITS_NEURAL_IDLE_SECONDS", "120"))
    os.nice(int(os.environ.get("DIGITS_NEURAL_NICE", "10")))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    started = time.perf_counter()
    try:
        import keras  # this process exists to import it
        import tensorflow as tf
    except ImportError as exc:
        _emit("unavailable", message=N_("TensorFlow is not installed here ({name})."),
              values={"name": str(exc.name or exc)})
        return 3
    threads = _threads()
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    _emit("ready", tensorflow=tf.__version__, keras=keras.__version__, threads=threads,
          import_seconds=round(time.perf_counter() - started, 2), rss_mb=round(rss_mb(), 1))
    for request in _requests(idle):
        if request is None:
            _emit("idle")
            return 0
        op = request.get("op")
        if op == "quit":
            return 0
        job = str(request.get("job", ""))
        try:
            if op == "train":
                _train_once(keras, request)
            elif op == "verify":
                _verify(keras, request)
            else:
                _emit("failed", job=job, message=N_("unknown request {op}"), values={"op": repr(op)})
        except MemoryError:
            _emit("failed", job=job, message=N_("the worker ran out of memory; try a smaller N"))
        except Exception:  # the details go to the log, the teacher gets a sentence
            traceback.print_exc(file=sys.stderr)
            _emit("failed", job=job, message=N_("something went wrong inside the worker (the details are in {log} "
                                                "beside the saved networks)"), values={"log": LOG_NAME})
    return 0


def _train(keras, request: dict) -> None:
    key, folder = _key_and_folder(request)
    with np.load(request["input"], allow_pickle=False) as data:
        x, y, x_test, y_test = (data[k] for k in ("x", "y", "x_test", "y_test"))
    Path(request["input"]).unlink(missing_ok=True)
    epochs, batch, seed = int(request["epochs"]), int(request["batch"]), int(request["seed"])
    keras.backend.clear_session()  # a worker that stays up would otherwise keep every earlier network's graph
    keras.utils.set_random_seed(seed)
    model = architecture.build(keras)
    steps = math.ceil(len(x) / batch) * epochs
    schedule = keras.optimizers.schedules.CosineDecay(architecture.LEARNING_RATE, steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    batches = _batches(keras)(x, y, batch, seed, bool(request.get("augment")))
    validation = (x_test[:VALIDATION_IMAGES, :, :, None], y_test[:VALIDATION_IMAGES])
    start = time.perf_counter()
    model.fit(batches, epochs=epochs, validation_data=validation, verbose=0,
              callbacks=[_progress(keras)(request["job"], epochs)])
    fit_seconds = time.perf_counter() - start

    start = time.perf_counter()
    probabilities = model.predict(x_test[:, :, :, None], batch_size=1_000, verbose=0)
    predict_seconds = time.perf_counter() - start
    predictions = probabilities.argmax(axis=1)

    target = files.paths(folder, key)
    tmp = target["keras"].with_name(f".{key}.{os.getpid()}.keras")  # Keras insists on the suffix
    plain = architecture.build(keras)  # the trained layers without the optimizer's state: a third the size
    plain.set_weights(model.get_weights())
    try:
        plain.save(tmp)
        os.replace(tmp, target["keras"])
    finally:
        tmp.unlink(missing_ok=True)
    files.write_arrays(folder, key, architecture.weights_of(model), predictions)
    history = model.history.history
    meta = {
        "key": key, "architecture": architecture.VERSION, "n": len(x), "mode": request.get("mode"), "seed": seed,
        "augment": bool(request.get("augment")),
        "epochs": epochs, "batch": batch, "description": request.get("description", ""),
        "fit_seconds": round(fit_seconds, 3), "predict_seconds": round(predict_seconds, 3),
        "n_test": len(y_test), "test_accuracy": float((predictions == y_test).mean()),
        "keras_bytes": target["keras"].stat().st_size, "parameters": int(model.count_params()),
        "history": {k: [round(float(v), 5) for v in history.get(k, [])] for k in files.HISTORY_KEYS},
        "tensorflow": keras.backend.backend() + " " + _tf_version(), "keras": keras.__version__,
        "threads": _threads(),
        "data": request.get("data", ""), "peak_rss_mb": round(rss_mb(field="VmHWM"), 1),  # the worker's peak so far
    }
    files.write_meta(folder, key, meta)
    _emit("done", job=request["job"], key=key, accuracy=meta["test_accuracy"], fit_seconds=meta["fit_seconds"],
          peak_rss_mb=meta["peak_rss_mb"])


def _train_once(keras, request: dict) -> None:
    """``_train`` under the model lock, unless another server trained this network while we waited."""
    key, folder = _key_and_folder(request)
    with model_lock.held(key, folder, waiting=lambda: _emit("waiting", job=request["job"])):
        try:
            trained = files.load(folder, key)
        except ModelCacheError:
            trained = None  # damaged: trained again
        if trained is None:
            model_lock.announce(key)
            _train(keras, request)
            return
    Path(request["input"]).unlink(missing_ok=True)
    _emit("done", job=request["job"], key=key, accuracy=trained.meta["test_accuracy"],
          fit_seconds=trained.meta["fit_seconds"], peak_rss_mb=round(rss_mb(field="VmHWM"), 1))


def _verify(keras, request: dict) -> None:
    key, folder = _key_and_folder(request)
    model = keras.saving.load_model(files.paths(folder, key)["keras"], safe_mode=True, compile=False)
    with np.load(request["input"], allow_pickle=False) as data:
        x_test = data["x_test"]
    Path(request["input"]).unlink(missing_ok=True)
    saved = files.load(folder, key)
    predicted = model.predict(x_test[:, :, :, None], batch_size=1_000, verbose=0).argmax(axis=1)
    agree = float((predicted == saved.predictions[: len(predicted)]).mean())
    _emit("verified", job=request["job"], key=key, agree=agree)


def _batches(keras):
    class Batches(keras.utils.PyDataset):
        """The sample in a seeded new order each pass, augmented afresh each pass if asked."""

        def __init__(self, x, y, batch, seed, augment):
            super().__init__()
            self.x, self.y, self.batch, self.seed, self.augment = x, y, batch, seed, augment
            self.epoch = 0
            self._shuffle()

        def _shuffle(self):
            self.order = np.random.default_rng([self.seed, self.epoch]).permutation(len(self.x))
            self.images = augmented(self.x, self.seed, self.epoch) if self.augment else self.x

        def __len__(self):
            return math.ceil(len(self.x) / self.batch)

        def __getitem__(self, i):
            idx = self.order[i * self.batch:(i + 1) * self.batch]
            return self.images[idx][:, :, :, None], self.y[idx]

        def on_epoch_end(self):
            self.epoch += 1
            self._shuffle()

    return Batches


def _progress(keras):
    class Progress(keras.callbacks.Callback):
        """Events for the app: a step count at most twice a second, and each pass's figures."""

        def __init__(self, job, epochs):
            super().__init__()
            self.job, self.epochs, self.epoch, self.last = job, epochs, 0, 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            now = time.monotonic()
            if now - self.last >= 0.5:
                self.last = now
                _emit("progress", job=self.job, epoch=self.epoch, step=batch + 1, steps=self.params.get("steps"))

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            _emit("epoch", job=self.job, epoch=epoch + 1, epochs=self.epochs,
                  **{k: round(float(logs[k]), 5) for k in files.HISTORY_KEYS if k in logs})

    return Progress


def _key_and_folder(request: dict) -> tuple[str, Path]:
    key = str(request.get("key", ""))
    if not KEY.match(key):
        raise ValueError(_("malformed network key"))
    return key, Path(request["folder"])


def _requests(idle: float):
    """Requests from stdin, one JSON object per line; None after ``idle`` seconds without one."""
    buffer = b""
    while True:
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)
        ready, _writable, _failed = select.select([0], [], [], idle)
        if not ready:
            yield None
            return
        chunk = os.read(0, 65536)
        if not chunk:
            return
        buffer += chunk


def _emit(event: str, **fields) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def _threads() -> int:
    """TensorFlow's threads: DIGITS_NEURAL_THREADS, else the cores this process may use."""
    return int(os.environ.get("DIGITS_NEURAL_THREADS", "0")) or len(os.sched_getaffinity(0)) or 1


def _tf_version() -> str:
    import tensorflow as tf  # already imported by main

    return tf.__version__


if __name__ == "__main__":
    sys.exit(main())
