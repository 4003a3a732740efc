import dataclasses
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.svm import SVC

from digitlib.errors import ModelCacheError, ShippedModelError
from digitlib.mnist import sampling
from digitlib.svm import fast_fit, fast_predict, ready_svc, shipped
from digitlib.svm.model import SvmSettings, train
from digitlib.svm.model_spec import CURVE_SIZES


@pytest.fixture(scope="module")
def pixels_test(mnist):
    return mnist.x_test.reshape(len(mnist.x_test), -1)


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "models"


def copy_shipped(n, folder):
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(shipped.SHIPPED_DIR / shipped.file_name(n), folder))


def rewrite(path, change_meta=None, change_arrays=None):
    """Write the file again with its metadata and/or arrays changed (as a tampered copy would be)."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    meta = json.loads(arrays.pop("metadata").tobytes())
    if change_meta:
        change_meta(meta)
    if change_arrays:
        change_arrays(arrays)
    np.savez_compressed(path, metadata=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)


@pytest.mark.parametrize("n", [100, 500, 2000])
def test_shipped_model_is_a_fresh_training_bit_for_bit(mnist, pixels_test, n):
    fresh = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, n))
    loaded = shipped.load(mnist, n)
    a, b = fresh.estimator, loaded.estimator
    assert shipped.differing_attributes(a, b) == []  # every attribute, to the byte
    assert a.support_vectors_.tobytes() == b.support_vectors_.tobytes()
    assert a._dual_coef_.tobytes() == b._dual_coef_.tobytes() and a.dual_coef_.tobytes() == b.dual_coef_.tobytes()
    assert a._intercept_.tobytes() == b._intercept_.tobytes() and a.intercept_.tobytes() == b.intercept_.tobytes()
    x_test = fast_fit.to_features(pixels_test)
    assert b.decision_function(x_test).tobytes() == a.decision_function(x_test).tobytes()
    votes = fast_predict.votes(a, pixels_test)
    assert np.array_equal(fast_predict.votes(b, pixels_test), votes)
    expected = fresh.predict(mnist.x_test)  # the app's labels for the fresh model
    assert np.array_equal(b.predict(x_test), expected)  # sklearn's own predict on the shipped one
    assert np.array_equal(loaded.predict(mnist.x_test), expected)
    assert loaded.sample_description == fresh.sample_description and loaded.n_train == n
    assert np.array_equal(loaded.train_label_counts, fresh.train_label_counts)
    assert loaded.settings == SvmSettings()


def test_rebuilt_svc_has_what_svc_fit_sets(mnist):
    """The same attributes, types and values as scikit-learn's own SVC.fit, so its methods work unchanged."""
    pixels = mnist.x_train[:100].reshape(100, -1)
    reference = SVC().fit(fast_fit.to_features(pixels), mnist.y_train[:100])
    rebuilt = ready_svc.as_sklearn(shipped.load(mnist, 100).estimator)
    assert isinstance(rebuilt, SVC)
    assert set(vars(rebuilt)) == set(vars(reference))
    for name, value in vars(reference).items():
        mine = vars(rebuilt)[name]
        assert type(mine) is type(value), name
        if isinstance(value, np.ndarray):
            # np.array_equal: libsvm writes some zero coefficients as -0.0, fast_fit as 0.0
            assert mine.dtype == value.dtype and np.array_equal(mine, value), name
        else:
            assert mine == value, name
    assert rebuilt._dual_coef_ is rebuilt.dual_coef_  # as SVC.fit leaves them
    assert np.array_equal(rebuilt.n_support_, reference.n_support_)


def test_every_curve_size_is_shipped_in_a_few_hundred_kb(mnist):
    assert shipped.shipped_sizes(mnist) == sorted(CURVE_SIZES)
    assert shipped.shipped_sizes() == sorted(CURVE_SIZES)
    total = sum(p.stat().st_size for p in shipped.SHIPPED_DIR.glob("*" + shipped.SUFFIX))
    assert total < 2 * 2**20


def test_stored_accuracies_are_the_readme_figures_and_the_60k_model_reproduces_them(mnist):
    meta = {n: shipped.read_metadata(shipped.SHIPPED_DIR / shipped.file_name(n)) for n in (100, 500, 60_000)}
    assert meta[100]["accuracy"]["first_100"] == 0.68
    assert meta[500]["accuracy"]["first_100"] == 0.88
    assert round(meta[60_000]["accuracy"]["all_10000"], 3) == 0.979
    model = shipped.load(mnist, 60_000)
    predicted = model.predict(mnist.x_test)
    assert np.mean(predicted[:100] == mnist.y_test[:100]) == meta[60_000]["accuracy"]["first_100"]
    assert np.mean(predicted == mnist.y_test) == meta[60_000]["accuracy"]["all_10000"]
    assert model.estimator.support_.size == meta[60_000]["n_support_vectors"]


def test_other_sklearn_version_is_ignored(mnist, folder, monkeypatch):
    copy_shipped(100, folder)
    assert shipped.load(mnist, 100, folder=folder) is not None
    monkeypatch.setattr(shipped, "sklearn_version", lambda: "0.24.2")
    assert shipped.load(mnist, 100, folder=folder) is None
    assert shipped.shipped_sizes(mnist, folder=folder) == []


def test_file_written_by_another_version_is_ignored(mnist, folder):
    rewrite(copy_shipped(100, folder), change_meta=lambda m: m.update(sklearn_version="1.3.0"))
    assert shipped.load(mnist, 100, folder=folder) is None


def test_other_data_is_ignored(mnist, folder):
    copy_shipped(100, folder)
    x_test = mnist.x_test.copy()
    x_test[0, 0, 0] ^= 1
    other = dataclasses.replace(mnist, x_test=x_test)
    assert other.fingerprint != mnist.fingerprint
    assert shipped.load(other, 100, folder=folder) is None
    assert shipped.shipped_sizes(other, folder=folder) == []


def test_other_settings_or_missing_sizes_are_not_shipped(mnist, folder):
    assert shipped.load(mnist, 100, settings=SvmSettings(C=10)) is None
    assert shipped.load(mnist, 100, mode="balanced") is None
    assert shipped.load(mnist, 123) is None
    assert shipped.load(mnist, 100, folder=folder) is None


@pytest.mark.parametrize("damage", ["not a zip", "truncated", "flipped coefficient", "wrong digit", "no metadata",
                                    "misnamed"])
def test_damaged_file_raises_a_clear_error(mnist, folder, damage):
    path = copy_shipped(100, folder)
    if damage == "not a zip":
        path.write_bytes(b"not a zip at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-500])
    elif damage == "flipped coefficient":
        rewrite(path, change_arrays=lambda a: a["dual_coef"].__setitem__((0, 0), -a["dual_coef"][0, 0]))
    elif damage == "wrong digit":  # consistent with its checksum, but a support vector of the wrong digit
        def swap(arrays):
            arrays["support"][[0, -1]] = arrays["support"][[-1, 0]]

        def checksum(meta):
            with np.load(path, allow_pickle=False) as archive:
                arrays = {k: archive[k] for k in shipped.ARRAYS}
            swap(arrays)
            meta["arrays_sha256"] = shipped._arrays_hash(arrays)

        rewrite(path, change_meta=checksum, change_arrays=swap)
    elif damage == "no metadata":
        np.savez_compressed(path, support=np.arange(3))
    else:
        path.rename(folder / shipped.file_name(200))
        path = folder / shipped.file_name(200)
    n = 200 if damage == "misnamed" else 100
    with pytest.raises(ShippedModelError, match=f"shipped model {path.name} is damaged") as info:
        shipped.load(mnist, n, folder=folder)
    assert isinstance(info.value, ModelCacheError)  # caught wherever a damaged model file is
    assert "python -m scripts.ship_models" in str(info.value)


def test_random_damage_never_escapes_as_another_error(mnist, folder):
    """Flipped bytes, cut files and overwritten runs: a model whose checksum holds, None, or ShippedModelError."""
    original = copy_shipped(500, folder).read_bytes()
    rng = np.random.default_rng(0)
    for trial in range(300):
        damaged = bytearray(original)
        if trial % 3 == 0:
            for at in rng.integers(len(damaged), size=rng.integers(1, 6)):
                damaged[at] = rng.integers(256)
        elif trial % 3 == 1:
            damaged = damaged[: rng.integers(len(damaged))]
        else:
            at = int(rng.integers(len(damaged)))
            noise = rng.integers(256, size=int(rng.integers(200))).astype(np.uint8).tobytes()
            damaged[at : at + int(rng.integers(1, 200))] = noise
        (folder / shipped.file_name(500)).write_bytes(bytes(damaged))
        try:
            model = shipped.load(mnist, 500, folder=folder)
        except ShippedModelError:
            continue
        assert model is not None  # bytes that do not count (zip padding): the arrays passed their checksum
        shipped.shipped_sizes(mnist, folder=folder)


UNPICKLED = []


class Planted:
    """Records it if it is ever unpickled."""

    def __reduce__(self):
        return (UNPICKLED.append, ("unpickled",))


@pytest.mark.parametrize("where", ["metadata", "support"])
def test_loading_never_unpickles(mnist, folder, where):
    path = copy_shipped(100, folder)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays[where] = np.array([Planted()], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=True, **arrays)  # a pickle inside the file
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ShippedModelError, match="damaged.*allow_pickle"):
        shipped.load(mnist, 100, folder=folder)
    assert shipped.shipped_sizes(mnist, folder=folder) == []
    assert UNPICKLED == []


def test_save_refuses_other_settings(mnist, folder):
    sample = sampling.choose(mnist.y_train, 100)
    model = train(mnist.x_train, mnist.y_train, sample, SvmSettings(C=10))
    with pytest.raises(ValueError, match="lesson's settings"):
        shipped.save(model, sample, mnist, folder)


def test_save_then_load_round_trip(mnist, folder):
    sample = sampling.choose(mnist.y_train, 300)
    model = train(mnist.x_train, mnist.y_train, sample)
    path = shipped.save(model, sample, mnist, folder, accuracy={"first_100": 0.5})
    assert path.name == "svc-first-300.npz" and not list(folder.glob("*.tmp"))
    assert shipped.read_metadata(path)["accuracy"] == {"first_100": 0.5}
    assert shipped.differing_attributes(model.estimator, shipped.load(mnist, 300, folder=folder).estimator) == []
    assert shipped.shipped_sizes(mnist, folder=folder) == [300]


def test_support_vectors_mapped_from_a_file_are_the_same_model(mnist, tmp_path, pixels_test):
    """Mapped, the float64 support vectors stay on disk until read; the model is the same bit for bit."""
    in_memory = shipped.load(mnist, 2000)
    mapped = shipped.load(mnist, 2000, mapped_dir=tmp_path / "mapped")
    assert isinstance(mapped.estimator.support_vectors_.base, np.memmap)
    assert [p.suffix for p in (tmp_path / "mapped").iterdir()] == [".f64"]
    assert shipped.differing_attributes(in_memory.estimator, mapped.estimator) == []
    features = pixels_test[:200] / 255.0
    assert np.array_equal(mapped.estimator.predict(features), in_memory.estimator.predict(features))  # libsvm's own


def test_a_folder_that_cannot_be_written_keeps_the_support_vectors_in_memory(mnist, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    model = shipped.load(mnist, 500, mapped_dir=blocked / "mapped")
    assert not isinstance(model.estimator.support_vectors_.base, np.memmap)
    assert shipped.differing_attributes(model.estimator, shipped.load(mnist, 500).estimator) == []
