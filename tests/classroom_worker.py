"""A separate process that uses a ClassStore, for the class-space tests.

    python classroom_worker.py URL save CODE WRITER COUNT   # saves COUNT drawings as drawer wWRITER
    python classroom_worker.py URL open                     # opens (and so migrates) the database

It prints "ready" once the store is open, waits for a line on standard input, then works,
printing "saved I ID" as each save returns (or "limit I" on ClassLimitError), then "done".
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def pattern(writer: int, i: int) -> np.ndarray:
    """A 28 x 28 image that only (writer, i) produces: both in the first pixels, noise after."""
    image = np.random.default_rng([writer, i]).integers(0, 256, (28, 28), dtype=np.uint8)
    image[0, :3] = (writer, i // 256, i % 256)
    return image


def decode(image: np.ndarray) -> tuple[int, int]:
    return int(image[0, 0]), int(image[0, 1]) * 256 + int(image[0, 2])


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from digitlib.classroom.store import ClassStore
    from digitlib.errors import ClassLimitError

    url, command, *args = argv
    if command == "open":
        print("ready", flush=True)
        sys.stdin.readline()
        ClassStore(url)
    elif command == "save":
        code, writer, count = args[0], int(args[1]), int(args[2])
        store = ClassStore(url, saves_per_minute=1_000_000)
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(count):
            try:
                drawing = store.save_drawing(code, f"w{writer}", i % 10, pattern(writer, i))
            except ClassLimitError:
                print(f"limit {i}", flush=True)
            else:
                print(f"saved {i} {drawing}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
