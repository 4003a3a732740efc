import gzip
import hashlib
import subprocess
import sys

import numpy as np
import pytest

from digitlib.errors import DataFileError
from digitlib.mnist import data

# sha256 of the uncompressed IDX files, as published in shared/mnist/README.md
PUBLISHED_SHA256 = {
    "x_train": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "y_train": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "x_test": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "y_test": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


def test_bundled_has_kerass_shapes_and_dtype(mnist):
    assert mnist.x_train.shape == (60000, 28, 28)
    assert mnist.y_train.shape == (60000,)
    assert mnist.x_test.shape == (10000, 28, 28)
    assert mnist.y_test.shape == (10000,)
    assert all(getattr(mnist, k).dtype == np.uint8 for k in data.NPZ_KEYS)


def test_bundled_class_counts_and_first_labels(mnist):
    assert np.bincount(mnist.y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert mnist.y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert mnist.y_test[:7].tolist() == [7, 2, 1, 0, 4, 1, 4]


@pytest.mark.parametrize("key", data.NPZ_KEYS)
def test_bundled_is_byte_for_byte_the_published_mnist(mnist, key):
    idx = data.to_idx_bytes(getattr(mnist, key))
    assert hashlib.sha256(idx).hexdigest() == PUBLISHED_SHA256[key]


def test_idx_round_trip_gzipped_and_plain(tmp_path, mnist):
    small = {"x_train": mnist.x_train[:50], "y_train": mnist.y_train[:50],
             "x_test": mnist.x_test[:20], "y_test": mnist.y_test[:20]}
    for i, (key, arr) in enumerate(small.items()):
        raw = data.to_idx_bytes(arr)
        name = tmp_path / data.IDX_NAMES[key]
        if i % 2:
            name.with_suffix(".gz").write_bytes(gzip.compress(raw))
        else:
            name.write_bytes(raw)
    loaded = data.load("file", tmp_path)
    assert np.array_equal(loaded.x_train, small["x_train"])
    assert np.array_equal(loaded.y_test, small["y_test"])


def test_npz_with_keras_keys_loads(tmp_path, mnist):
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=mnist.x_train[:30], y_train=mnist.y_train[:30],
             x_test=mnist.x_test[:10], y_test=mnist.y_test[:10])
    loaded = data.load("file", path)
    assert loaded.x_train.shape == (30, 28, 28) and loaded.x_train.dtype == np.uint8


def _idx_folder(tmp_path, mnist, **override):
    arrays = {"x_train": mnist.x_train[:10], "y_train": mnist.y_train[:10],
              "x_test": mnist.x_test[:5], "y_test": mnist.y_test[:5]}
    for key, arr in arrays.items():
        raw = override.get(key, data.to_idx_bytes(arr))
        (tmp_path / data.IDX_NAMES[key]).write_bytes(raw)
    return tmp_path


def test_wrong_magic_number_is_named(tmp_path, mnist):
    bad = b"\x00\x00\x09\x99" + data.to_idx_bytes(mnist.y_train[:10])[4:]
    with pytest.raises(DataFileError, match="wrong magic number 0x00000999") as err:
        data.load("file", _idx_folder(tmp_path, mnist, y_train=bad))
    assert "train-labels-idx1-ubyte" in str(err.value)


def test_truncated_file_is_named(tmp_path, mnist):
    cut = data.to_idx_bytes(mnist.x_test[:5])[:-100]
    with pytest.raises(DataFileError, match="truncated") as err:
        data.load("file", _idx_folder(tmp_path, mnist, x_test=cut))
    assert "t10k-images-idx3-ubyte" in str(err.value)


def test_mismatched_counts(tmp_path, mnist):
    with pytest.raises(DataFileError, match="10 train images but 9 train labels"):
        data.load("file", _idx_folder(tmp_path, mnist, y_train=data.to_idx_bytes(mnist.y_train[:9])))


def test_labels_outside_0_to_9(tmp_path, mnist):
    labels = mnist.y_test[:5].copy()
    labels[2] = 11
    with pytest.raises(DataFileError, match="labels up to 11"):
        data.load("file", _idx_folder(tmp_path, mnist, y_test=data.to_idx_bytes(labels)))


def test_damaged_gzip_and_missing_file(tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(DataFileError, match="not a readable .npz"):
        data.load("file", bad)
    with pytest.raises(DataFileError, match="does not exist"):
        data.load("file", tmp_path / "nothing.npz")
    gz = tmp_path / "train-images-idx3-ubyte.gz"
    gz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(DataFileError, match="damaged gzip"):
        data.read_idx(gz)


def test_uploads_accept_npz_or_four_idx(mnist):
    idx = {data.IDX_NAMES[k] + ".gz": gzip.compress(data.to_idx_bytes(getattr(mnist, k)[:12])) for k in data.NPZ_KEYS}
    assert data.from_uploads(idx).x_train.shape == (12, 28, 28)
    npz = data.to_npz_bytes(data.from_uploads(idx))
    assert data.from_uploads({"mine.npz": npz}).y_test.shape == (12,)
    with pytest.raises(DataFileError, match="exactly one file"):
        data.from_uploads({k: v for k, v in list(idx.items())[:3]})


def test_importing_digitlib_does_not_import_tensorflow():

    code = ("import sys, digitlib.cli, digitlib.mnist.data, digitlib.display.plots, digitlib.svm.model_files; "
            "print('tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(data.BUNDLED_PATH.parent.parent.parent))
    assert out.stdout.strip() == "False"
