import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from digitlib.errors import ModelCacheError
from digitlib.neural import architecture, files

KEY = "cnn-first-300-0123456789abcdef"
REQUIRED = ("test_accuracy", "fit_seconds", "predict_seconds", "keras_bytes", "history", "n", "description")


def weights(seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.standard_normal(shape).astype(np.float32) for name, shape in architecture.WEIGHTS.items()}


def meta(n=300, **extra):
    return {"key": KEY, "n": n, "mode": "first", "seed": 0, "augment": False, "epochs": 7, "batch": 32,
            "description": f"7 passes, on the first {n:,} training images", "fit_seconds": 1.5,
            "predict_seconds": 0.25, "n_test": 50, "test_accuracy": 0.9, "keras_bytes": 1234,
            "history": {"loss": [1.0, 0.5], "accuracy": [0.6, 0.8], "val_accuracy": [0.7, 0.85]},
            "data": "fedcba9876543210", **extra}


def save(folder, key=KEY, n=300, seed=0):
    predictions = np.random.default_rng(seed).integers(0, 10, 50)
    files.paths(folder, key)["keras"].parent.mkdir(parents=True, exist_ok=True)
    files.paths(folder, key)["keras"].write_bytes(b"keras file")
    files.write_arrays(folder, key, weights(seed), predictions)
    files.write_meta(folder, key, meta(n))
    return predictions


def test_round_trip(tmp_path):
    predictions = save(tmp_path)
    net = files.load(tmp_path, KEY)
    assert net.key == KEY
    np.testing.assert_array_equal(net.predictions, predictions)
    assert net.predictions.dtype == np.int64 and net.n_test == 50
    for name, value in weights().items():
        np.testing.assert_array_equal(net.network.weights[name], value)
    assert net.meta == meta()
    assert (net.accuracy, net.fit_seconds, net.predict_seconds, net.file_bytes) == (0.9, 1.5, 0.25, 1234)
    assert net.history == meta()["history"] and net.n_train == 300 and not net.shipped
    assert "first 300 training images" in net.sample_description
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{KEY}.json", f"{KEY}.keras", f"{KEY}.npz"]  # no temporaries


def test_history_misses_nothing_the_page_reads(tmp_path):
    save(tmp_path)
    data = json.loads(files.paths(tmp_path, KEY)["json"].read_text())
    data["history"] = {"loss": [0.3]}
    files.write_meta(tmp_path, KEY, data)
    assert files.load(tmp_path, KEY).history == {"loss": [0.3], "accuracy": [], "val_accuracy": []}


def test_predictions_are_stored_small(tmp_path):
    save(tmp_path)
    with np.load(files.paths(tmp_path, KEY)["npz"], allow_pickle=False) as arrays:
        assert arrays["predictions"].dtype == np.uint8
        assert set(arrays.files) == set(architecture.WEIGHTS) | {"predictions"}


def test_missing_json_is_not_trained(tmp_path):
    assert files.load(tmp_path, KEY) is None and not files.exists(tmp_path, KEY)
    files.write_arrays(tmp_path, KEY, weights(), np.zeros(5, np.int64))  # the worker writes the facts last
    assert files.load(tmp_path, KEY) is None and not files.exists(tmp_path, KEY)
    files.write_meta(tmp_path, KEY, meta())
    assert files.exists(tmp_path, KEY) and files.load(tmp_path, KEY) is not None


def test_missing_folder_is_not_trained(tmp_path):
    assert files.load(tmp_path / "nowhere", KEY) is None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "missing"])
def test_damaged_npz(tmp_path, damage):
    save(tmp_path)
    npz = files.paths(tmp_path, KEY)["npz"]
    if damage == "missing":
        npz.unlink()
    else:
        data = npz.read_bytes()
        npz.write_bytes({"garbage": b"not a zip file at all" * 50, "truncated": data[: len(data) // 2],
                         "empty": b""}[damage])
    with pytest.raises(ModelCacheError, match=f"{KEY} is damaged.*trained again"):
        files.load(tmp_path, KEY)


@pytest.mark.parametrize("drop", ["predictions", "conv2_kernel"])
def test_npz_missing_an_array(tmp_path, drop):
    save(tmp_path)
    npz = files.paths(tmp_path, KEY)["npz"]
    with np.load(npz) as arrays:
        kept = {k: arrays[k] for k in arrays.files if k != drop}
    np.savez(npz, **kept)
    with pytest.raises(ModelCacheError):
        files.load(tmp_path, KEY)


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2, 3]", '"a string"', "null"])
def test_damaged_json(tmp_path, text):
    save(tmp_path)
    files.paths(tmp_path, KEY)["json"].write_text(text)
    with pytest.raises(ModelCacheError, match="damaged"):
        files.load(tmp_path, KEY)


@pytest.mark.parametrize("field", REQUIRED)
def test_json_missing_a_field(tmp_path, field):
    save(tmp_path)
    data = meta()
    del data[field]
    files.write_meta(tmp_path, KEY, data)
    with pytest.raises(ModelCacheError, match="damaged"):
        files.load(tmp_path, KEY)


def test_weights_damaged_inside_the_npz(tmp_path):
    save(tmp_path)
    bad = weights()
    bad["hidden_bias"][:] = np.nan
    files.write_arrays(tmp_path, KEY, bad, np.zeros(50, np.int64))
    with pytest.raises(ModelCacheError, match="hidden_bias weights are damaged"):
        files.load(tmp_path, KEY)


def test_discard_removes_all_three(tmp_path):
    save(tmp_path)
    other = "cnn-first-400-0123456789abcdef"
    save(tmp_path, other, n=400)
    files.discard(tmp_path, KEY)
    assert not any(p.exists() for p in files.paths(tmp_path, KEY).values())
    assert all(p.exists() for p in files.paths(tmp_path, other).values())  # only that network's files
    files.discard(tmp_path, KEY)  # nothing left to remove is fine


def test_shipped_skips_damaged_and_sorts_by_size(tmp_path):
    save(tmp_path, "cnn-first-900-0123456789abcdef", n=900)
    save(tmp_path, "cnn-first-100-0123456789abcdef", n=100)
    save(tmp_path, "cnn-first-500-0123456789abcdef", n=500)
    save(tmp_path, "cnn-random-200-0123456789abcdef", n=200)
    files.paths(tmp_path, "cnn-first-500-0123456789abcdef")["npz"].write_bytes(b"damaged")
    files.paths(tmp_path, "cnn-first-777-0123456789abcdef")["npz"].write_bytes(b"no facts: not trained")
    nets = files.shipped("first", folder=tmp_path)
    assert [net.n_train for net in nets] == [100, 900]
    assert [net.n_train for net in files.shipped("random", folder=tmp_path)] == [200]
    assert files.shipped("balanced", folder=tmp_path) == []
    assert files.shipped("first", folder=tmp_path / "none") == []


def test_default_dir_is_beside_the_svms(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITS_CACHE_DIR", str(tmp_path / "models"))
    assert files.default_dir() == tmp_path / "models" / "neural"


class Payload:
    """Unpickling this creates the marker file: proof that code from the file ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.mark.parametrize("where", ["conv1_kernel", "predictions"])
def test_npz_is_read_without_pickle(tmp_path, where):
    save(tmp_path)
    marker = tmp_path / "code-ran"
    arrays = {**weights(), "predictions": np.zeros(50, np.uint8)}
    arrays[where] = np.array([Payload(marker)], dtype=object)
    npz = files.paths(tmp_path, KEY)["npz"]
    with open(npz, "wb") as f:
        np.savez(f, **arrays)
    with pytest.raises(ModelCacheError):
        files.load(tmp_path, KEY)
    assert not marker.exists()
    with np.load(npz, allow_pickle=True) as unsafe:  # the payload is live: unpickling it runs it
        unsafe[where]
    assert marker.exists()


def test_payload_really_runs_when_unpickled(tmp_path):
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.exists()
