"""MNIST through keras, in a short-lived child process: ``python -m digitlib.mnist.keras_source OUT.npz``.

Importing tensorflow costs about 7 s and 750 MB, so the app server never does it:
``data.load_keras()`` runs this module as a child, which imports tensorflow, calls
``tf.keras.datasets.mnist.load_data()`` and writes the four uint8 arrays to OUT.npz
with keras's keys. The exit code says what happened; each failure prints one line on stderr.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

OK = 0
USAGE = 2
NO_TENSORFLOW = 3
DOWNLOAD_FAILED = 4
WRITE_FAILED = 5
KEYS = ("x_train", "y_train", "x_test", "y_test")  # the same as data.NPZ_KEYS


def fetch() -> dict[str, np.ndarray]:
    """The four arrays from ``tf.keras.datasets.mnist.load_data()`` (imports tensorflow now)."""
    import tensorflow as tf  # only ever in this child process

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def write_npz(arrays: dict[str, np.ndarray], out: Path) -> None:
    """Write the arrays to ``out`` atomically (a temp file beside it, then os.replace)."""
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name + ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fp:
            np.savez(fp, **{k: np.asarray(arrays[k]) for k in KEYS})  # keras gives uint8; the parent checks
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Fetch MNIST through keras into the file named by the one argument; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m digitlib.mnist.keras_source OUT.npz", file=sys.stderr)
        return USAGE
    out = Path(argv[0])
    try:
        arrays = fetch()
    except ImportError as exc:
        print(f"tensorflow is not installed ({exc})", file=sys.stderr)
        return NO_TENSORFLOW
    except Exception as exc:  # keras raises several types when the download fails
        print(f"keras could not download MNIST ({type(exc).__name__}: {exc})", file=sys.stderr)
        return DOWNLOAD_FAILED
    try:
        write_npz(arrays, out)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        print(f"could not write {out} ({type(exc).__name__}: {exc})", file=sys.stderr)
        return WRITE_FAILED
    return OK


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # the parent sets it too; quiet TF's C++ logs
    sys.exit(main())
