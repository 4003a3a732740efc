import os
import time

import numpy as np
import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from digitlib.errors import ModelCacheError
from digitlib.mnist import sampling
from digitlib.svm import model_files
from digitlib.svm.model import SvmSettings, train
from tests.support.readme import readme_load


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "models"


def test_save_then_load_round_trip(mnist, folder):
    model = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 200))
    path = model_files.save(model, "svc-first-200-test", folder)
    assert path.exists() and not list(folder.glob("*.tmp"))
    again = model_files.load("svc-first-200-test", folder)
    assert np.array_equal(model.predict(mnist.x_test[:100]), again.predict(mnist.x_test[:100]))
    assert again.sample_description == "first 200 training images" and again.n_train == 200
    assert again.fit_seconds == model.fit_seconds and again.train_label_counts.sum() == 200


def test_key_depends_on_everything_that_decides_the_model(mnist):
    base = model_files.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings())
    assert base != model_files.model_key(mnist.fingerprint, "first", 501, 0, SvmSettings())
    assert base != model_files.model_key(mnist.fingerprint, "random", 500, 0, SvmSettings())
    assert base != model_files.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings(C=2))
    assert base != model_files.model_key("another-data-set", "first", 500, 0, SvmSettings())
    assert base == model_files.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings())


def test_corrupt_file_is_reported(folder):
    folder.mkdir()
    (folder / ("svc-first-5-x" + model_files.SUFFIX)).write_bytes(b"not a zip at all")
    with pytest.raises(ModelCacheError, match="damaged"):
        model_files.load("svc-first-5-x", folder)


def test_file_naming_untrusted_types_is_not_loaded(mnist, folder):
    folder.mkdir()
    key = "svc-first-1-tampered"
    # A tampered file that would hand os.system to whoever loads it: it must never be built.
    payload = {"format": model_files.FORMAT_VERSION, "estimator": FunctionTransformer(func=os.system)}
    sio.dump(payload, folder / (key + model_files.SUFFIX))
    with pytest.raises(ModelCacheError, match="not trusted.*system"):
        model_files.load(key, folder)


def test_missing_model_is_none(folder):
    assert model_files.load("svc-first-9-none", folder) is None


def test_model_from_another_scikit_learn_is_refused(mnist, folder, monkeypatch):
    model = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 100))
    monkeypatch.setattr(model_files, "sklearn_version", lambda: "1.0.0")
    model_files.save(model, "svc-first-100-old", folder)
    monkeypatch.undo()
    with pytest.raises(ModelCacheError, match="scikit-learn 1.0.0"):
        model_files.load("svc-first-100-old", folder)


def test_truncated_file_is_reported(mnist, folder):
    model = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 100))
    path = model_files.save(model, "svc-first-100-cut", folder)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelCacheError):
        model_files.load("svc-first-100-cut", folder)


def test_exported_model_loads_in_plain_scikit_learn_as_the_readme_says(mnist, tmp_path, capsys):
    from sklearn.svm import SVC

    model = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 500))
    data = model_files.export(model)
    assert model_files.TRUSTED_TYPES == [] and sio.get_untrusted_types(data=data) == []  # the README's rule holds
    (tmp_path / "model.skops").write_bytes(data)
    readme = readme_load(tmp_path / "model.skops")
    assert type(readme["model"]) is SVC and capsys.readouterr().out.strip() == "0.88"
    assert np.array_equal(readme["predicted"], model.predict(mnist.x_test[:100]))
    images = mnist.x_test[:1000]
    read_back = model_files.read_export(data)
    assert np.array_equal(read_back.predict(images.reshape(1000, 784) / 255.0), model.predict(images))


def test_export_of_a_shipped_model_loads_too(mnist):
    from digitlib.svm import shipped

    model = shipped.load(mnist, 100, "first", 0, SvmSettings())
    loaded = model_files.read_export(model_files.export(model))
    images = mnist.x_test[:100]
    assert np.array_equal(loaded.predict(images.reshape(100, 784) / 255.0), model.predict(images))


def test_a_tampered_download_is_refused_by_the_app_and_by_the_readme(tmp_path):
    data = sio.dumps(FunctionTransformer(func=os.system))
    with pytest.raises(ModelCacheError, match="not trusted.*system"):
        model_files.read_export(data)
    (tmp_path / "tampered.skops").write_bytes(data)
    with pytest.raises(ValueError, match="not loading a model file that names.*system"):
        readme_load(tmp_path / "tampered.skops")


def test_sweep_removes_old_half_written_files_only(tmp_path):
    """A killed server's temporary files (a model's, a mapped copy's) go at the next start; fresh ones and
    finished files stay: another server sharing the folder may be writing them now."""
    (tmp_path / "mapped").mkdir()
    old = [tmp_path / "tmpa1b2.tmp", tmp_path / "mapped" / "tmpc3d4.tmp"]
    kept = [tmp_path / "tmpe5f6.tmp", tmp_path / "svc-first-500.skops", tmp_path / "mapped" / "svc-first-500-ab.f64"]
    for path in old + kept:
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    for path in old + kept[1:]:
        os.utime(path, (hours_ago, hours_ago))
    assert model_files.sweep(tmp_path) == 2
    assert not any(p.exists() for p in old) and all(p.exists() for p in kept)
