"""digitlib.svm.fast_fit must give scikit-learn's exact answers (checked through fast_predict's votes too):
the lesson's numbers depend on it."""

import numpy as np
import pytest
from sklearn.svm import SVC

from digitlib.svm import fast_fit, fast_predict, model


@pytest.mark.parametrize("n", [100, 500, 1000, 5000, 10_000, 20_000])
def test_same_model_and_labels_as_sklearn_on_all_test_images(mnist, x_test, pixels_test, n):
    pixels, y = mnist.x_train[:n].reshape(n, 784), mnist.y_train[:n]
    ref = SVC().fit(model.features(pixels), y)
    ours = fast_fit.fit(pixels, y)
    # the same optimisation problems, solved by the same code on the same rows:
    assert np.array_equal(ours.support_, ref.support_)
    assert np.array_equal(ours._dual_coef_, ref._dual_coef_)
    assert np.array_equal(ours._intercept_, ref._intercept_)
    expected = ref.predict(x_test)
    assert np.array_equal(ours.predict(x_test), expected)  # sklearn's own predict on our model
    assert np.array_equal(fast_predict.votes(ours, pixels_test).argmax(axis=1), expected)  # the batched path


def test_libsvm_path_when_memory_is_short(mnist, x_test):
    """Without memory for shared kernel blocks, libsvm computes the values itself: same model."""
    pixels, y = mnist.x_train[:3000].reshape(3000, 784), mnist.y_train[:3000]
    shared = fast_fit.fit(pixels, y)
    lean = fast_fit.fit(pixels, y, memory_mb=1)
    assert np.array_equal(lean.support_, shared.support_)
    assert np.array_equal(lean._dual_coef_, shared._dual_coef_)
    assert np.array_equal(lean._intercept_, shared._intercept_)


def test_memory_budget_sets_the_workers():
    counts = [6000] * 10
    one = fast_fit.kernel_memory_bytes(counts, 1)
    assert fast_fit.kernel_memory_bytes(counts, 2) > one
    assert fast_fit._workers_within(one, 2, counts) == 1
    assert fast_fit._workers_within(one - 1, 2, counts) == 0
    assert fast_fit._workers_within(10 * one, 2, counts) == 2
    labels = np.repeat(np.arange(10), 6000)
    assert fast_fit.shared_kernel_workers(labels, memory_mb=one / 2**20, threads=2) == 1
    assert fast_fit.shared_kernel_workers(labels, memory_mb=1, threads=2) == 0


def test_training_memory_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIGITS_TRAIN_MEMORY_MB", "300")
    assert fast_fit.training_memory_mb() == 300
    monkeypatch.delenv("DIGITS_TRAIN_MEMORY_MB")
    assert fast_fit.training_memory_mb() > 0


def test_settings_other_than_the_default(mnist, x_test, pixels_test):
    pixels, y = mnist.x_train[:1500].reshape(1500, 784), mnist.y_train[:1500]
    for kwargs in ({"C": 10.0, "gamma": 0.05}, {"C": 0.3, "gamma": "auto"}):
        ref = SVC(**kwargs).fit(model.features(pixels), y)
        ours = fast_fit.fit(pixels, y, **kwargs)
        assert np.array_equal(fast_predict.votes(ours, pixels_test[:3000]).argmax(axis=1), ref.predict(x_test[:3000]))
        assert ours.get_params()["C"] == kwargs["C"]


def test_progress_reports_every_step(mnist):
    """Shared path: 10 digit blocks, then 45 pairs; libsvm path: 45 pairs."""
    pixels, y = mnist.x_train[:300].reshape(300, 784), mnist.y_train[:300]
    for memory_mb, steps in ((None, 55), (0, 45)):
        seen = []
        fast_fit.fit(pixels, y, progress=lambda d, t, seen=seen: seen.append((d, t)), memory_mb=memory_mb)
        assert [d for d, _ in seen] == list(range(1, steps + 1)) and {t for _, t in seen} == {steps}


@pytest.mark.parametrize("n", [1, 7, 500, 60_000])
def test_variance_without_a_float_copy_is_bit_identical(mnist, n):
    pixels = mnist.x_train[:n].reshape(n, 784)
    assert fast_fit.exact_variance(pixels) == model.features(pixels).var()


def test_overlapping_trainings_share_the_blas_limit(mnist):
    """Two trainings at once both finish with sklearn's model, and BLAS gets its threads back."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    before = [p["num_threads"] for p in threadpool_info()]
    pixels, y = mnist.x_train[:2000].reshape(2000, 784), mnist.y_train[:2000]
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda n: fast_fit.fit(pixels[:n], y[:n]), [2000, 1500])
    assert [p["num_threads"] for p in threadpool_info()] == before
    assert np.array_equal(a._dual_coef_, fast_fit.fit(pixels, y, memory_mb=1)._dual_coef_)
    assert len(b.support_) > 0
