"""digitlib.svm.support_vectors: what the SVM keeps, and the support vectors behind an answer.

The reasons must be the SVM's own: per duel, the support vectors' terms plus the intercept
are libsvm's decision values (``decision_function_shape="ovo"``).
"""

import numpy as np
import pytest
from sklearn.svm import SVC

from digitlib.display import charts
from digitlib.mnist import sampling
from digitlib.svm import fast_fit, shipped, support_vectors
from digitlib.svm.model import DigitModel, SvmSettings, features, train
from digitlib.svm.model_spec import ModelSpec


@pytest.fixture(scope="module", params=[100, 500])
def small(request, mnist):
    """The lesson's model on the first N images, trained here (fast_fit)."""
    return train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, request.param))


def as_model(est, n):
    return DigitModel(estimator=est, settings=SvmSettings(kernel=est.kernel), sample_description=f"first {n}",
                      n_train=n, fit_seconds=0.0)


def ovo_decisions(est, image):
    """sklearn's one-vs-one decision values (45,) for one uint8 image."""
    return est.set_params(decision_function_shape="ovo").decision_function(features(image.reshape(1, 784)))[0]


def toward(decisions, digit, rival, n_class=10):
    """The decision of the duel of ``digit`` and ``rival``, positive when ``digit`` wins it."""
    i, j = min(digit, rival), max(digit, rival)
    value = decisions[support_vectors.duel_index(i, j, n_class)]
    return value if digit == i else -value


def test_duel_index_is_libsvms_pair_order():
    pairs = [(i, j) for i in range(10) for j in range(i + 1, 10)]
    assert [support_vectors.duel_index(i, j, 10) for i, j in pairs] == list(range(45))


# -- what the model keeps ------------------------------------------------------------------


def test_per_digit_counts_the_support_vectors_of_each_digit(small):
    counts = support_vectors.per_digit(small)
    assert counts.shape == (10,)
    assert np.array_equal(counts, small.estimator.n_support_)
    assert counts.sum() == small.estimator.support_.size
    assert np.all(counts <= small.train_label_counts) and np.all(counts > 0)


def test_gallery_shows_training_images_of_that_digit_most_relied_on_first(mnist, small):
    sample = sampling.choose(mnist.y_train, small.n_train)
    for digit in (0, 7):
        found = support_vectors.gallery(small, digit, k=5)
        assert len(found.images) == 5 and found.images.dtype == np.uint8 and found.images.shape[1:] == (28, 28)
        assert np.all(found.labels == digit)
        # the support vectors are training images: the very pixels of those rows of the sample
        assert np.array_equal(found.images, mnist.x_train[sample.indices[found.support]])
        assert np.array_equal(found.support, small.estimator.support_[found.positions])
        assert np.all(np.diff(found.values) <= 0)  # weight: sum of |dual coefficient|, largest first
        column = np.abs(small.estimator.dual_coef_[:, found.positions]).sum(axis=0)
        assert np.allclose(found.values, column, rtol=1e-12, atol=0)
        assert found.values.max() <= 9 * small.settings.C
    everything = support_vectors.gallery(small, 3, k=10_000)
    assert len(everything.images) == support_vectors.per_digit(small)[3]


def test_a_digit_the_model_never_saw(mnist):
    keep = np.flatnonzero(mnist.y_train[:600] != 9)
    model = train(mnist.x_train, mnist.y_train, sampling.Sample(keep, "first", 0))
    counts = support_vectors.per_digit(model)
    assert counts[9] == 0 and counts[:9].min() > 0
    assert len(support_vectors.gallery(model, 9).images) == 0
    with pytest.raises(ValueError, match="never saw the digit 9"):
        support_vectors.reasons(model, mnist.x_test[0], digit=9)
    # nine digits, 36 duels: each digit's reasons still rebuild its 8 duels
    image = mnist.x_test[1]
    found = support_vectors.reasons(model, image)
    assert len(found.rivals) == 8 and 9 not in found.rivals
    decisions = ovo_decisions(model.estimator, image)
    classes = list(model.estimator.classes_)
    expected = [toward(decisions, classes.index(found.digit), classes.index(r), 9) for r in found.rivals]
    assert np.allclose(found.duels, expected, rtol=0, atol=1e-9)


def test_counts_table_and_shipped_counts(mnist, small):
    spec = ModelSpec(n=small.n_train)
    table = support_vectors.counts_table([spec, ModelSpec(n=small.n_train, C=10.0)],
                                         [support_vectors.per_digit(small), np.arange(10)])
    assert list(table.columns) == ["N", "C", "kept", "share", *map(str, range(10))]
    first = table.iloc[0]
    assert first["kept"] == small.estimator.support_.size and first["share"] == first["kept"] / small.n_train
    assert table.iloc[1]["kept"] == 45 and table.iloc[1]["C"] == 10.0
    # a shipped model's counts, read from its file without rebuilding it, are the loaded model's
    stored = shipped.support_counts(mnist, small.n_train)
    assert np.array_equal(stored, support_vectors.per_digit(shipped.load(mnist, small.n_train)))
    assert np.array_equal(stored, support_vectors.per_digit(small))
    assert shipped.support_counts(mnist, 123) is None


def test_kept_per_digit_chart_splits_each_digits_images():
    table, spec = charts.kept_per_digit(np.arange(10), np.full(10, 12))
    assert len(table) == 20 and spec["encoding"]["y"]["stack"] == "zero"
    per_digit = table.groupby("digit")["images"].sum()
    assert (per_digit == 12).all()


# -- the reasons: the SVM's own decision, split into its terms -------------------------------


def test_sklearn_layout_rebuilds_decision_function_exactly(mnist):
    """sklearn's own SVC (not ours): for every digit, each duel's terms plus intercept are its decision value."""
    n = 100
    est = SVC().fit(features(mnist.x_train[:n]), mnist.y_train[:n])
    for image in mnist.x_test[:5]:
        decisions = ovo_decisions(est, image)
        kernel = support_vectors.kernel_row(est, image.reshape(1, 784))
        for digit in range(10):
            rivals, terms, intercepts = support_vectors.duel_contributions(est, kernel, digit)
            assert terms.shape == (9, est.support_.size)
            expected = [toward(decisions, digit, r) for r in rivals]
            assert np.abs(terms.sum(axis=1) + intercepts - expected).max() <= 1e-9


def test_reasons_are_the_models_decision_values(mnist, small):
    for index in range(8):
        image = mnist.x_test[index]
        decisions = ovo_decisions(small.estimator, image)
        for digit in range(10):
            found = support_vectors.reasons(small, image, digit=digit)
            expected = [toward(decisions, digit, r) for r in found.rivals]
            assert np.abs(found.duels - expected).max() <= 1e-9
            assert found.votes == int(small.votes(image)[0][digit])


def test_for_is_the_winners_own_images_and_against_the_others(mnist, small):
    est = small.estimator
    for index in range(10):
        image = mnist.x_test[index]
        found = support_vectors.reasons(small, image, k=6)
        assert found.digit == int(small.predict(image)[0]) and found.votes == int(small.votes(image)[0].max())
        assert len(found.for_digit.images) == 6 and len(found.against.images) == 6
        # positive: toward the winner, largest first; negative: away from it, most negative first
        assert np.all(found.for_digit.values > 0) and np.all(np.diff(found.for_digit.values) <= 0)
        assert np.all(found.against.values < 0) and np.all(np.diff(found.against.values) >= 0)
        # with the RBF kernel every kernel value is positive: a support vector always pushes toward its own digit
        assert np.all(found.for_digit.labels == found.digit) and np.all(found.against.labels != found.digit)
        # the contributions shown are those of the whole sum, and its largest
        kernel = support_vectors.kernel_row(est, image.reshape(1, 784))
        _, terms, intercepts = support_vectors.duel_contributions(est, kernel, found.digit)
        push = terms.sum(axis=0)
        assert np.array_equal(found.for_digit.values, np.sort(push)[::-1][:6])
        assert np.array_equal(found.against.values, np.sort(push)[:6])
        assert found.total_for + found.total_against + intercepts.sum() == pytest.approx(found.duels.sum(), abs=1e-9)
        np.testing.assert_array_equal(
            found.for_digit.images, np.rint(est.support_vectors_[found.for_digit.positions] * 255).reshape(-1, 28, 28))


def test_support_vectors_outside_the_winners_duels_push_not_at_all(mnist, small):
    """An image kept only for duels without the winner (a 3 kept for 3 against 5, say) adds nothing to its duels."""
    est = small.estimator
    image = mnist.x_test[0]
    found = support_vectors.reasons(small, image, k=10_000)
    w = found.digit
    starts = np.concatenate([[0], np.cumsum(est.n_support_)])
    idle = []
    for other in set(range(10)) - {w}:
        row = w if w < other else w - 1  # the row of other's coefficients in its duel with w
        own = np.arange(starts[other], starts[other + 1])
        idle += list(own[est.dual_coef_[row, own] == 0])
    assert idle, "this model should keep some images only for duels without the winner"
    kernel = support_vectors.kernel_row(est, image.reshape(1, 784))
    _, terms, _ = support_vectors.duel_contributions(est, kernel, w)
    assert np.all(terms[:, idle] == 0)
    shown = set(found.for_digit.positions) | set(found.against.positions)
    assert not shown & set(idle)
    # every other support vector of the other digits pushes against w
    assert len(found.against.positions) == est.support_.size - est.n_support_[w] - len(idle)


def test_reasons_with_another_kernel(mnist):
    n = 200
    est = fast_fit.fit(mnist.x_train[:n].reshape(n, 784), mnist.y_train[:n], kernel="poly")
    model = as_model(est, n)
    image = mnist.x_test[2]
    found = support_vectors.reasons(model, image)
    decisions = ovo_decisions(est, image)
    assert np.abs(found.duels - [toward(decisions, found.digit, r) for r in found.rivals]).max() <= 1e-9
    assert found.digit == int(est.predict(features(image.reshape(1, 784)))[0])


def test_kernel_row_is_the_rbf_kernel_with_the_models_gamma(mnist, small):
    est = small.estimator
    image = mnist.x_test[3].reshape(1, 784)
    row = support_vectors.kernel_row(est, image)
    squared = ((est.support_vectors_ - features(image)) ** 2).sum(axis=1)
    assert np.allclose(row, np.exp(-est._gamma * squared), rtol=1e-12, atol=0)
