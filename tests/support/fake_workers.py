"""Fake neural workers: tiny executables that stand in for ``python -m digitlib.neural.worker``.

``NeuralService(folder, python=fake.python)`` and ``WorkerProcess(folder, fake.python, ...)`` run
``<python> -m digitlib.neural.worker``; the fake ignores its arguments and runs ``body`` instead,
with no TensorFlow anywhere. Each start appends the fake's pid to a file (``fake.pids()``: how
many workers were started) and each request it keeps is recorded (``fake.received()``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

PREAMBLE = """
import json, os, sys, time
SPAWNS, RECEIVED = __SPAWNS__, __RECEIVED__
with open(SPAWNS, "a") as f:
    f.write(f"{os.getpid()}\\n")
with open(SPAWNS) as f:
    SPAWN = len(f.read().split())  # 1 for the first worker started, 2 for the next...

def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\\n")
    sys.stdout.flush()

def requests():
    # requests until stdin closes or the service says quit
    for line in iter(sys.stdin.readline, ""):
        if line.strip():
            request = json.loads(line)
            if request.get("op") == "quit":
                return
            yield request

def keep(request):
    with open(RECEIVED, "a") as f:
        f.write(json.dumps({"spawn": SPAWN, "job": request.get("job")}) + "\\n")

"""

# Says nothing at all, not even ready; reads and ignores requests.
NEVER_READY = "for request in requests():\n    keep(request)\n"
# Ready, then takes every request and never answers: a training that hangs, or a long one.
SILENT = "emit('ready')\nfor request in requests():\n    keep(request)\n"
# What the real worker says without TensorFlow.
UNAVAILABLE = "emit('unavailable', message='TensorFlow is not installed here (tensorflow).')\nsys.exit(3)\n"
# Ready, and takes one request just as its idle time runs out: leaves (exit 0) without starting it.
LEAVES_IDLE = "emit('ready')\nfor request in requests():\n    keep(request)\n    sys.exit(0)\n"
# The first worker starts a job, takes a second one and crashes; later ones keep requests and stay silent.
CRASHES_FIRST = """
emit('ready')
for number, request in enumerate(requests()):
    keep(request)
    if SPAWN == 1 and number == 0:
        emit('progress', job=request['job'], epoch=0, step=1, steps=10)  # the first job is running
    elif SPAWN == 1:
        sys.exit(1)  # a second request arrived while the first was running: crash
"""
# Fails every request as the real worker does when training raises.
FAILS = ("emit('ready')\nfor request in requests():\n    keep(request)\n"
         "    emit('failed', job=request['job'], message='no room')\n")


class FakeWorker:
    def __init__(self, folder: Path, body: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.spawns_file, self.received_file = folder / "spawns", folder / "received"
        script = folder / "worker.py"
        script.write_text(PREAMBLE.replace("__SPAWNS__", repr(str(self.spawns_file)))
                          .replace("__RECEIVED__", repr(str(self.received_file))) + body)
        self.script = str(script)
        self.python = str(folder / "python")
        Path(self.python).write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}"\n')
        os.chmod(self.python, 0o755)

    def pids(self) -> list[int]:
        """The pid of each worker started so far, in order."""
        try:
            return [int(p) for p in self.spawns_file.read_text().split()]
        except FileNotFoundError:
            return []

    def received(self) -> list[dict]:
        """Each request a fake kept: ``{"spawn": which worker (1, 2...), "job": its job}``."""
        try:
            return [json.loads(line) for line in self.received_file.read_text().splitlines()]
        except FileNotFoundError:
            return []

    def kill_all(self) -> None:
        """Kill any of this fake's workers still running (a test's cleanup)."""
        for pid in self.pids():
            try:
                if self.script in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    os.kill(pid, signal.SIGKILL)  # still this fake, not a process that got its pid since
            except (OSError, ValueError):
                pass


def gone(pid: int) -> bool:
    """True once the process has ended and been reaped (or is a zombie: ended, not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def until(condition, seconds: float = 30.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a generous ceiling, not a measured speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())
