import shutil
from pathlib import Path

import numpy as np
import pytest

from digitlib.errors import DigitsError
from digitlib.svm import model_files
from digitlib.svm.model_spec import ModelSpec
from digitlib.svm.registry import Registry
from tests.support.threads import ask_from_threads, count_calls

# Most tests here are about training and the disk store, so they see no shipped models.
NO_SHIPPED = Path("/nonexistent/no-shipped-models")


@pytest.fixture
def registry(mnist, tmp_path):
    return Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)


def test_ensure_trains_once_then_serves_from_memory(registry):
    spec = ModelSpec(n=300)
    seen = []
    model = registry.ensure(spec, progress=lambda done, total: seen.append((done, total)))
    assert model.n_train == 300 and seen[-1] == (55, 55)  # 10 digit blocks + 45 pairs
    assert registry.cached(spec) is model and registry.ensure(spec) is model
    assert spec in registry.known()


def test_known_lists_models_whatever_their_gamma(registry):
    specs = [ModelSpec(n=100), ModelSpec(n=100, gamma=0.05), ModelSpec(n=100, gamma="auto")]
    for spec in specs:
        registry.ensure(spec)
    assert set(registry.known()) == set(specs)


def test_a_new_registry_loads_from_disk(mnist, registry, tmp_path):
    spec = ModelSpec(n=250, mode="balanced", seed=3)
    first = registry.ensure(spec)
    fresh = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert fresh.cached(spec) is None and fresh.on_disk(spec)
    again = fresh.get(spec)
    assert np.array_equal(again.predict(mnist.x_test[:200]), first.predict(mnist.x_test[:200]))


def test_concurrent_sessions_share_one_training(registry, monkeypatch):
    import digitlib.svm.registry as reg

    calls = count_calls(monkeypatch, reg, "train")
    results = ask_from_threads(4, lambda: registry.ensure(ModelSpec(n=800)))
    assert len(calls) == 1 and len({id(m) for m in results}) == 1


def test_background_request_reports_progress_and_finishes(registry):
    spec = ModelSpec(n=1000)
    job = registry.request(spec)
    assert job.event.wait(120)
    assert job.state == "done" and job.fraction == 1.0 and registry.cached(spec) is job.model


def test_warm_up_and_best(registry):
    specs = [ModelSpec(n=n) for n in (100, 200, 400)]
    registry.warm_up(specs)
    for spec in specs:
        registry.request(spec, urgent=False).event.wait(120)
    assert registry.best(ModelSpec().family()).n_train == 400
    assert registry.best(ModelSpec(kernel="linear").family()) is None


def test_memory_is_bounded_by_model_size(mnist, tmp_path):
    small = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path, max_bytes=1)
    a, b = ModelSpec(n=150), ModelSpec(n=160)
    small.ensure(a)
    small.ensure(b)
    assert small.cached(a) is None and small.cached(b) is not None
    assert small.get(a) is not None  # still on disk


def test_damaged_file_is_retrained(registry, tmp_path, mnist):
    spec = ModelSpec(n=120)
    registry.ensure(spec)
    path = next(tmp_path.glob("*" + model_files.SUFFIX))
    path.write_bytes(b"garbage")
    fresh = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert fresh.get(spec) is None and not path.exists()
    assert fresh.ensure(spec).n_train == 120


def test_failure_is_reported_not_raised_in_the_worker(registry):
    job = registry.request(ModelSpec(n=10**6))
    assert job.event.wait(30) and job.state == "failed" and "between 1 and 60,000" in str(job.error)
    with pytest.raises(DigitsError, match="between 1 and 60,000"):
        registry.ensure(ModelSpec(n=10**6))


def test_best_finds_models_an_earlier_server_saved(mnist, registry, tmp_path):
    registry.ensure(ModelSpec(n=200))
    registry.ensure(ModelSpec(n=100))
    fresh = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert fresh.best(ModelSpec().family()).n_train == 200


def test_thirty_sessions_asking_for_a_saved_model_read_it_once(mnist, registry, tmp_path, monkeypatch):
    spec = ModelSpec(n=400)
    registry.ensure(spec)
    fresh = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    reads = count_calls(monkeypatch, model_files, "load")
    results = ask_from_threads(30, lambda: fresh.get(spec))
    assert len(reads) == 1
    assert len(results) == 30 and len({id(m) for m in results}) == 1 and results[0].n_train == 400


def test_damaged_file_leaves_a_notice(registry, tmp_path, mnist):
    spec = ModelSpec(n=130)
    registry.ensure(spec)
    next(tmp_path.glob("*" + model_files.SUFFIX)).write_bytes(b"\x00" * 100)
    fresh = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert fresh.ensure(spec).n_train == 130
    assert len(fresh.notices()) == 1 and "damaged" in str(fresh.notices()[0])


def test_read_only_folder_works_from_memory(mnist, tmp_path, monkeypatch):
    import errno

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(model_files.tempfile, "NamedTemporaryFile", read_only)  # root ignores chmod, so simulate it
    reg = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert reg.ensure(ModelSpec(n=110)).n_train == 110
    assert len(reg.notices()) == 1 and "cannot be written" in str(reg.notices()[0])


def test_full_disk_keeps_the_model_in_memory_and_leaves_no_partial_file(mnist, tmp_path, monkeypatch):
    import errno

    import skops.io

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(skops.io, "dump", full)
    reg = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    spec = ModelSpec(n=140)
    model = reg.ensure(spec)
    assert model.n_train == 140 and reg.cached(spec) is model
    assert list(tmp_path.iterdir()) == []
    assert reg.notices() == [model_files.unwritable_message(OSError(errno.ENOSPC, "full"))]
    reg.ensure(ModelSpec(n=150))
    assert len(reg.notices()) == 1  # said once


def test_half_written_file_of_a_killed_server_is_never_loaded(mnist, tmp_path):
    import os

    partial = tmp_path / ("whatever" + model_files.TEMP_SUFFIX)
    partial.write_bytes(b"PK\x03\x04half a model")
    os.utime(partial, (0, 0))  # left by a server killed long ago
    reg = Registry(mnist, shipped_folder=NO_SHIPPED, folder=tmp_path)
    assert not partial.exists()
    assert reg.get(ModelSpec(n=160)) is None


def test_shipped_models_are_served_without_training(mnist, tmp_path, monkeypatch):
    import digitlib.svm.registry as reg

    monkeypatch.setattr(reg, "train", lambda *a, **k: pytest.fail("a shipped size was trained"))
    registry = Registry(mnist, folder=tmp_path)
    assert ModelSpec(n=60_000) in registry.shipped and registry.on_disk(ModelSpec(n=60_000))
    registry.warm_up([ModelSpec(n=n) for n in reg.CURVE_SIZES])
    assert registry.jobs() == []  # nothing to train in the background
    model = registry.ensure(ModelSpec(n=500))
    assert model.precomputed and model.n_train == 500
    assert (model.predict(mnist.x_test[:100]) == mnist.y_test[:100]).mean() == 0.88
    assert registry.best(ModelSpec().family()).n_train == 60_000
    assert not list(tmp_path.glob("*.skops"))  # shipped models are not copied to the disk store
    assert {p.suffix for p in (tmp_path / "mapped").iterdir()} == {".f64"}  # only their support vectors, mapped


def test_thirty_sessions_asking_for_a_shipped_model_load_it_once(mnist, tmp_path, monkeypatch):
    from digitlib.svm import shipped

    registry = Registry(mnist, folder=tmp_path)
    loads = count_calls(monkeypatch, shipped, "load")
    results = ask_from_threads(30, lambda: registry.get(ModelSpec(n=20_000)))
    assert len(loads) == 1 and len({id(m) for m in results}) == 1 and results[0].n_train == 20_000


def test_damaged_shipped_model_is_trained_instead_with_a_notice(mnist, tmp_path):
    from digitlib.svm import shipped

    folder = tmp_path / "shipped"
    shutil.copytree(shipped.SHIPPED_DIR, folder)
    registry = Registry(mnist, folder=tmp_path / "store", shipped_folder=folder)
    path = folder / shipped.file_name(100)
    path.write_bytes(path.read_bytes()[:-200])
    model = registry.ensure(ModelSpec(n=100))
    assert not model.precomputed and model.n_train == 100
    assert len(registry.notices()) == 1 and "damaged" in str(registry.notices()[0]).lower()


def test_at_most_two_trainings_run_at_once(mnist, tmp_path, monkeypatch):
    """Students each training a model of their own wait for a slot instead of all holding kernel blocks at once."""
    import threading
    import time

    import digitlib.svm.registry as reg

    running, most, lock, real = [0], [0], threading.Lock(), reg.train

    def counted(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.1)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(reg, "train", counted)
    registry = Registry(mnist, folder=tmp_path)
    specs = iter([ModelSpec(n=150, C=1 + k / 10) for k in range(6)])  # a model each

    def own():
        with lock:
            spec = next(specs)
        return registry.ensure(spec)

    models = ask_from_threads(6, own)
    assert len({id(m) for m in models}) == 6 and most[0] == 2
