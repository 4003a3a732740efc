"""Separate processes that use a ClassStore each, for the class-space tests.

They come from a multiprocessing *forkserver*: a clean process that imported this module (and
so numpy and SQLAlchemy) once and forks a fresh child for each worker. No child inherits a
thread, an engine or a connection from the test process, and thirty of them start in a
fraction of a second instead of importing everything thirty times.

Each worker opens its own store, sends "ready", waits for ``release``, works, and sends a
message as each step returns: ("saved", i, id) once a save has committed, ("limit", i, None)
on ``ClassLimitError``.

Run as a script, it is a plain subprocess that saves and prints each acknowledged id:

    python -m tests.support.classroom_worker URL CODE WRITER COUNT   # "ready", then "saved I ID" per save
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import sys

import numpy as np

from digitlib.classroom.store import ClassStore
from digitlib.errors import ClassLimitError
from tests.support.paths import ROOT

CONTEXT = multiprocessing.get_context("forkserver")
# pytest too: a child started under the ``pytest`` script runs that script again as it starts.
CONTEXT.set_forkserver_preload(["tests.support.classroom_worker", "pytest"])


def _start_forkserver() -> None:
    """Start the fork server where it can import this module (it ignores our sys.path)."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([before] if before else []))
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def pattern(writer: int, i: int) -> np.ndarray:
    """A 28 x 28 image that only (writer, i) produces: both in the first pixels, noise after."""
    image = np.random.default_rng([writer, i]).integers(0, 256, (28, 28), dtype=np.uint8)
    image[0, :3] = (writer, i // 256, i % 256)
    return image


def decode(image: np.ndarray) -> tuple[int, int]:
    return int(image[0, 0]), int(image[0, 1]) * 256 + int(image[0, 2])


def save(link, go, url: str, code: str, writer: int, count: int, max_drawings: int | None = None) -> None:
    """Save ``count`` drawings as drawer ``w<writer>``, reporting each as it returns."""
    limit = {} if max_drawings is None else {"max_drawings": max_drawings}
    store = ClassStore(url, saves_per_minute=1_000_000, **limit)
    link.send("ready")
    go.wait()
    for i in range(count):
        try:
            drawing = store.save_drawing(code, f"w{writer}", i % 10, pattern(writer, i))
        except ClassLimitError:
            link.send(("limit", i, None))
        else:
            link.send(("saved", i, drawing))  # a pipe write: it is out of the process once sent


def open_store(link, go, url: str) -> None:
    """Open (and so migrate) the database at ``url`` once released."""
    link.send("ready")
    go.wait()
    ClassStore(url).close()


class Workers:
    """Processes running ``target(link, go, *args)``, one per argument list, all open and waiting."""

    def __init__(self, target, argument_lists):
        _start_forkserver()
        self.go = CONTEXT.Event()
        self.processes, self.links = [], []
        for args in argument_lists:
            ours, theirs = CONTEXT.Pipe(duplex=False)
            process = CONTEXT.Process(target=target, args=(theirs, self.go, *args), daemon=True)
            process.start()
            theirs.close()  # so a dead worker reads as the end of its messages
            self.processes.append(process)
            self.links.append(ours)
        for link in self.links:
            assert link.recv() == "ready"

    def release(self) -> None:
        self.go.set()

    @staticmethod
    def messages(link):
        """A worker's messages until it exits."""
        while True:
            try:
                yield link.recv()
            except EOFError:
                return

    def finish(self, timeout: float = 300) -> list[list]:
        """Every worker's messages; fails if one did not exit cleanly."""
        results = [list(self.messages(link)) for link in self.links]
        for process in self.processes:
            process.join(timeout)
            assert process.exitcode == 0, f"a worker exited with {process.exitcode}"
        return results


def main(url: str, code: str, writer: str, count: str) -> None:
    store = ClassStore(url, saves_per_minute=1_000_000)
    print("ready", flush=True)
    for i in range(int(count)):
        drawing = store.save_drawing(code, f"w{writer}", i % 10, pattern(int(writer), i))
        print(f"saved {i} {drawing}", flush=True)  # printed only once the save has returned


if __name__ == "__main__":
    main(*sys.argv[1:])
