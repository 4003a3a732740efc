"""digitlib.svm.fast_predict: the batched pair decisions stay within their margin of libsvm's, and rows
within it are settled by libsvm, so the labels are scikit-learn's."""

import numpy as np

from digitlib.svm import fast_fit, fast_predict


def test_near_ties_are_settled_by_libsvm(mnist, x_test, pixels_test, monkeypatch):
    """With a huge margin every row is re-checked, and labels stay libsvm's."""
    est = fast_fit.fit(mnist.x_train[:600].reshape(600, 784), mnist.y_train[:600])
    monkeypatch.setattr(fast_predict, "decision_margin", lambda est, dtype: np.full(45, 1e9))
    assert np.array_equal(fast_predict.votes(est, pixels_test[:500]).argmax(axis=1), est.predict(x_test[:500]))


def test_decisions_match_libsvm_within_the_margin(mnist, x_test, pixels_test):
    est = fast_fit.fit(mnist.x_train[:800].reshape(800, 784), mnist.y_train[:800])
    est.decision_function_shape = "ovo"
    expected = est.decision_function(x_test[:300])
    for dtype in (np.float32, np.float64):
        error = np.abs(fast_predict.pair_decisions(est, pixels_test[:300], dtype) - expected)
        assert np.all(error <= fast_predict.decision_margin(est, dtype))


def test_float32_exp_is_within_the_assumed_ulps():
    """decision_margin relies on numpy's float32 exp being within EXP32_ULPS ulps."""
    x = -np.random.default_rng(0).uniform(0, 87, 2_000_000).astype(np.float32)
    exact = np.exp(x.astype(np.float64))
    error = np.abs(np.exp(x).astype(np.float64) - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64)
    assert error.max() <= fast_predict.EXP32_ULPS


def test_a_big_model_scores_in_small_batches_with_the_same_votes(mnist, pixels_test, monkeypatch):
    """Batches shrink with the support vectors (their temporaries stay within BATCH_BYTES); votes do not change."""
    est = fast_fit.fit(mnist.x_train[:600].reshape(600, 784), mnist.y_train[:600])
    whole = fast_predict.votes(est, pixels_test[:700])
    assert fast_predict.batch_rows(est) == fast_predict.BATCH_ROWS
    monkeypatch.setattr(fast_predict, "BATCH_BYTES", 40 * len(est.support_) * fast_predict._BYTES_PER_KERNEL_VALUE)
    assert fast_predict.batch_rows(est) == 40
    assert np.array_equal(fast_predict.votes(est, pixels_test[:700]), whole)


def test_preparing_from_pixels_is_preparing_from_the_support_vectors(mnist):
    est = fast_fit.fit(mnist.x_train[:300].reshape(300, 784), mnist.y_train[:300])
    pixels = mnist.x_train[:300].reshape(300, 784)[est.support_]
    given = fast_predict.prepare(est, pixels)
    fast_predict._PREPARED.pop(est)
    found = fast_predict._prepared(est)
    assert found is not given
    for a, b in zip(given, found, strict=True):
        assert np.array_equal(a, b) and a.dtype == b.dtype


def test_sessions_reaching_a_new_model_at_once_prepare_it_once(mnist, pixels_test, monkeypatch):
    """Single flight: each preparation of the 60,000-image model takes a few hundred MB of temporaries."""
    import threading
    import time

    est = fast_fit.fit(mnist.x_train[:300].reshape(300, 784), mnist.y_train[:300])
    fast_predict._PREPARED.pop(est, None)
    calls, as_pixels = [], fast_predict._as_pixels

    def slow(sv):
        calls.append(1)
        time.sleep(0.2)  # a big model: the others arrive meanwhile
        return as_pixels(sv)

    monkeypatch.setattr(fast_predict, "_as_pixels", slow)
    start = threading.Barrier(8)
    answers = []

    def first_drawing():
        start.wait()
        answers.append(fast_predict.votes(est, pixels_test[:1]))

    threads = [threading.Thread(target=first_drawing) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(answers) == 8


def test_support_vector_pixels_come_from_the_prepared_copy_the_same(mnist):
    est = fast_fit.fit(mnist.x_train[:300].reshape(300, 784), mnist.y_train[:300])
    positions = np.array([0, 5, len(est.support_) - 1])
    unprepared = fast_predict.support_pixels(est, positions)  # not prepared yet: from the float64 rows
    fast_predict._prepared(est)
    prepared = fast_predict.support_pixels(est, positions)
    expected = mnist.x_train[:300].reshape(300, 784)[est.support_[positions]]
    assert np.array_equal(prepared, expected) and np.array_equal(unprepared, expected)
