"""One running worker process, seen from the app: start it, send it requests, hear its events, watch it.

A watchdog thread stops the worker if it grows past its memory budget, never says it is
ready, or goes silent in the middle of a training; a reader thread hands each event to
the service and, when the process ends, says how it ended. Nothing here imports TensorFlow.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from digitlib import serving
from digitlib.errors import NeuralUnavailableError
from digitlib.language import N_

from . import budget

ROOT = serving.REPO_ROOT
READY_SECONDS = 180  # importing TensorFlow takes 5-7 s here; a worker silent this long has hung
SILENT_SECONDS = 180  # a training reports twice a second; this long without a word means it hung
LOG_NAME = "worker.log"


class WorkerProcess:
    """A ``python -m digitlib.neural.worker`` child; ``on_event(event)`` and ``on_exit(worker, code)`` are called
    from its reader thread."""

    def __init__(self, folder: Path, python: str, on_event, on_exit):
        self.stopped_because: str | None = None  # "memory", "silent", "stopped": why we ended it
        self.peak_mb = 0.0
        self.outstanding = 0  # requests sent that it has not finished
        self._last_word = time.monotonic()
        self._ready = False
        self._on_event, self._on_exit = on_event, on_exit
        env = serving.child_environment()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / LOG_NAME, "ab") as log:  # TensorFlow's own chatter and any worker traceback
                self.proc = subprocess.Popen([python, "-m", "digitlib.neural.worker"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=log, cwd=ROOT, env=env)
        except OSError as exc:
            raise NeuralUnavailableError(N_("Could not start the neural network's worker process ({problem})."),
                                         problem=str(exc.strerror or exc)) from exc
        threading.Thread(target=self._read, daemon=True, name="neural-events").start()
        threading.Thread(target=self._watch, daemon=True, name="neural-watchdog").start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, request: dict) -> bool:
        """Write one request; False if the process has gone (it may have just left, idle)."""
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (OSError, ValueError):  # a broken pipe, or stdin already closed
            return False
        if request.get("op") != "quit":
            self.outstanding += 1
            self._last_word = time.monotonic()
        return True

    def stop(self, reason: str = "stopped") -> None:
        """Ask it to leave; kill it if it does not within 10 s."""
        self.stopped_because = self.stopped_because or reason
        if self.alive():
            self.send({"op": "quit"})
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._last_word = time.monotonic()
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "ready":
                self._ready = True
            elif event.get("event") in ("done", "failed", "verified"):
                self.outstanding = max(0, self.outstanding - 1)
            try:
                self._on_event(event)
            except Exception as exc:  # a bad event must not stop the reading
                print(f"digits: could not handle the neural worker's event {event!r}: {exc!r}", file=sys.stderr)
        code = self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self._on_exit(self, code)

    def _watch(self) -> None:
        started = time.monotonic()
        while self.alive():
            rss = budget.rss_mb(self.pid)
            self.peak_mb = max(self.peak_mb, rss)
            quiet = time.monotonic() - self._last_word
            if rss > budget.budget_mb():
                self._kill("memory")
            elif not self._ready and time.monotonic() - started > READY_SECONDS:
                self._kill("silent")
            elif self._ready and self.outstanding and quiet > SILENT_SECONDS:
                self._kill("silent")
            time.sleep(0.25)

    def _kill(self, reason: str) -> None:
        self.stopped_because = reason
        self.proc.kill()
