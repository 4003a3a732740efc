import numpy as np
import pytest

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.scoring import evaluate
from digitlib.svm import model


@pytest.fixture(scope="module")
def m500(mnist):
    return model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 500))


def test_lesson_evaluation(mnist, m500):
    r = evaluate.evaluate(m500, mnist.x_test, mnist.y_test)
    assert r.n_test == 100 and r.accuracy == pytest.approx(0.88)
    assert r.confusion.shape == (10, 10) and r.confusion.sum() == 100
    assert np.trace(r.confusion) == 88
    assert len(r.misclassified) == 12 and 6 not in r.misclassified
    assert r.predict_seconds >= 0


def test_precision_recall_agree_with_confusion(mnist, m500):
    r = evaluate.evaluate(m500, mnist.x_test, mnist.y_test, 1000)
    cm = r.confusion
    assert np.allclose(r.recall, np.diag(cm) / cm.sum(axis=1))
    col = cm.sum(axis=0)
    assert np.allclose(r.precision[col > 0], (np.diag(cm) / np.maximum(col, 1))[col > 0])
    table = r.per_digit_table()
    assert list(table.columns) == ["precision", "recall", "test images"] and table["test images"].sum() == 1000


@pytest.mark.parametrize("n_test", [0, 10_001])
def test_test_size_is_checked(mnist, m500, n_test):
    with pytest.raises(InvalidSettingError):
        evaluate.evaluate(m500, mnist.x_test, mnist.y_test, n_test)


def test_cell_indices_are_the_squares_of_the_confusion_matrix(mnist, m500):
    r = evaluate.evaluate(m500, mnist.x_test, mnist.y_test)
    found = [r.cell_indices(t, p) for t in range(10) for p in range(10)]
    assert [len(f) for f in found] == r.confusion.ravel().tolist()
    assert sorted(np.concatenate(found).tolist()) == list(range(100))  # every image in exactly one square
    assert r.cell_indices(6, 2).tolist() == [11, 54, 66]
    assert all(r.y_true[i] == 6 and r.y_pred[i] == 2 for i in r.cell_indices(6, 2))


@pytest.mark.parametrize("seed", range(20))
def test_scores_are_scikit_learns(seed):
    """score counts with numpy what sklearn.metrics gives, bit for bit, digits missing from either side too."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    rng = np.random.default_rng(seed)
    n, shown = int(rng.integers(1, 300)), int(rng.integers(1, 11))  # some digits never in the truth
    y_true = rng.integers(0, shown, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 10, n))
    got = evaluate.score(y_true.astype(np.uint8), y_pred)
    precision, recall, _fscore, support = precision_recall_fscore_support(
        y_true, y_pred, labels=evaluate.DIGITS, zero_division=0)
    expected = {"confusion": confusion_matrix(y_true, y_pred, labels=evaluate.DIGITS), "precision": precision,
                "recall": recall, "support": support}
    for name, want in expected.items():
        have = getattr(got, name)
        assert have.dtype == want.dtype and have.tobytes() == want.tobytes(), name
    assert got.accuracy == accuracy_score(y_true, y_pred)
