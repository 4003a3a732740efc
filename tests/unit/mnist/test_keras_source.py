"""digitlib.mnist.keras_source: MNIST from keras in a child process, never TensorFlow in the app's;
every way the child can fail points to the bundled copy."""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from digitlib.errors import DataFileError, DataSourceUnavailable
from digitlib.mnist import data


def _fake_tensorflow(tmp_path, monkeypatch, body: str) -> None:
    """Put a fake ``tensorflow`` package (its __init__ is ``body``) first on the keras child's path."""
    package = tmp_path / "fake" / "tensorflow"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(body)
    monkeypatch.setenv("PYTHONPATH", str(package.parent))  # load_keras passes its env to the child


FAKE_KERAS = """
import types
def _namespace(load_data):
    return types.SimpleNamespace(datasets=types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=load_data)))
"""


def test_keras_source_without_tensorflow_points_to_bundled(tmp_path, monkeypatch):
    _fake_tensorflow(tmp_path, monkeypatch, "raise ImportError('No module named tensorflow')\n")
    with pytest.raises(DataSourceUnavailable, match="TensorFlow is not installed.*bundled"):
        data.load("keras")


def test_keras_source_offline_points_to_bundled(tmp_path, monkeypatch):
    _fake_tensorflow(tmp_path, monkeypatch, FAKE_KERAS + """
def _offline():
    raise OSError("URL fetch failure: network is unreachable")
keras = _namespace(_offline)
""")
    with pytest.raises(DataSourceUnavailable, match="offline.*bundled"):
        data.load("keras")


def test_keras_source_returns_what_keras_returns_and_leaves_no_temp_file(tmp_path, monkeypatch):
    _fake_tensorflow(tmp_path, monkeypatch, FAKE_KERAS + """
import numpy as np
def _load():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    return (x[:5], np.arange(5, dtype=np.uint8)), (x[5:], np.array([9, 0], dtype=np.uint8))
keras = _namespace(_load)
""")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    got = data.load("keras")
    x = np.random.default_rng(0).integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    assert got.source == "keras (tf.keras.datasets.mnist.load_data)"
    assert np.array_equal(got.x_train, x[:5]) and np.array_equal(got.x_test, x[5:])
    assert got.y_train.tolist() == [0, 1, 2, 3, 4] and got.y_test.tolist() == [9, 0]
    assert all(getattr(got, k).dtype == np.uint8 for k in data.NPZ_KEYS)
    assert list(temp.iterdir()) == []  # the child's .npz is gone


def test_keras_source_checks_what_the_child_wrote(tmp_path, monkeypatch):
    _fake_tensorflow(tmp_path, monkeypatch, FAKE_KERAS + """
import numpy as np
keras = _namespace(lambda: ((np.zeros((3, 28, 27), np.uint8), np.zeros(3, np.uint8)),
                            (np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8))))
""")
    with pytest.raises(DataFileError, match="'keras'.*x_train has shape"):
        data.load("keras")


def test_keras_child_that_dies_or_hangs_points_to_bundled(tmp_path, monkeypatch):
    _fake_tensorflow(tmp_path, monkeypatch, FAKE_KERAS + """
import os, sys, time
def _load():
    if os.environ.get("FAKE_HANG"):
        with open(os.environ["FAKE_HANG"], "w") as f:
            f.write(str(os.getpid()))
        time.sleep(600)
    print("Fatal Python error: Segmentation fault", file=sys.stderr, flush=True)
    os._exit(139)
keras = _namespace(_load)
""")
    with pytest.raises(DataSourceUnavailable, match=r"stopped unexpectedly \(exit code 139: Fatal.*bundled"):
        data.load("keras")
    pid_file = tmp_path / "hung.pid"
    monkeypatch.setenv("FAKE_HANG", str(pid_file))  # the hung child writes its pid here
    monkeypatch.setattr(data, "KERAS_TIMEOUT", 3)  # time for the child to start and write its pid
    with pytest.raises(DataSourceUnavailable, match="did not finish.*bundled"):
        data.load("keras")
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists(), "the hung keras child was left running"  # killed and reaped


def test_keras_child_usage_and_exit_codes():
    from digitlib.mnist import keras_source

    assert keras_source.main([]) == keras_source.USAGE
    assert len({keras_source.NO_TENSORFLOW, keras_source.DOWNLOAD_FAILED, keras_source.WRITE_FAILED, 0, 1}) == 5


def test_keras_source_never_imports_tensorflow_in_the_calling_process():
    """The real thing, in a fresh Python: offline (or without TensorFlow) a clear message,
    and tensorflow is imported only in the child, never in the process that asked."""
    code = (
        "import sys\n"
        "from digitlib.mnist import data\n"
        "from digitlib.errors import DataSourceUnavailable\n"
        "try:\n"
        "    print('loaded', data.load('keras').source)\n"
        "except DataSourceUnavailable as exc:\n"
        "    print('unavailable', exc)\n"
        "print('tensorflow' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(data.REPO_ROOT), timeout=300)
    outcome, imported = out.stdout.strip().splitlines()
    assert imported == "False"
    # Offline here: the download fails. With network or a keras cache, the load succeeds.
    assert ("offline" in outcome or "not installed" in outcome) and "bundled" in outcome \
        or outcome == "loaded keras (tf.keras.datasets.mnist.load_data)", outcome
