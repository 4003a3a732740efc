import os

import numpy as np
import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from digitlib import sampling, store
from digitlib.errors import ModelCacheError
from digitlib.model import SvmSettings


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "models"


def test_load_or_train_saves_then_loads(mnist, folder):
    sample = sampling.choose(mnist.y_train, 200)
    first, loaded = store.load_or_train(mnist, sample, folder=folder)
    assert not loaded and len(list(folder.glob("*.skops"))) == 1
    again, loaded = store.load_or_train(mnist, sample, folder=folder)
    assert loaded
    assert np.array_equal(first.predict(mnist.x_test[:100]), again.predict(mnist.x_test[:100]))
    assert again.sample_description == "first 200 training images" and again.n_train == 200


def test_key_depends_on_everything_that_decides_the_model(mnist):
    base = store.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings())
    assert base != store.model_key(mnist.fingerprint, "first", 501, 0, SvmSettings())
    assert base != store.model_key(mnist.fingerprint, "random", 500, 0, SvmSettings())
    assert base != store.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings(C=2))
    assert base != store.model_key("another-data-set", "first", 500, 0, SvmSettings())
    assert base == store.model_key(mnist.fingerprint, "first", 500, 0, SvmSettings())


def test_corrupt_file_is_reported_then_retrained(mnist, folder):
    sample = sampling.choose(mnist.y_train, 150)
    store.load_or_train(mnist, sample, folder=folder)
    path = next(folder.glob("*.skops"))
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ModelCacheError, match="damaged"):
        store.load(path.stem, folder)
    model, loaded = store.load_or_train(mnist, sample, folder=folder)
    assert not loaded and model.n_train == 150
    assert store.load(path.stem, folder) is not None  # rewritten


def test_file_naming_untrusted_types_is_not_loaded(mnist, folder):
    folder.mkdir()
    key = "svc-first-1-tampered"
    # A tampered file that would hand os.system to whoever loads it: it must never be built.
    payload = {"format": store.FORMAT_VERSION, "estimator": FunctionTransformer(func=os.system)}
    sio.dump(payload, folder / (key + store.SUFFIX))
    with pytest.raises(ModelCacheError, match="not trusted.*system"):
        store.load(key, folder)


def test_missing_model_is_none(folder):
    assert store.load("svc-first-9-none", folder) is None
