import numpy as np
import pytest

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.svm import model


@pytest.fixture(scope="module")
def lesson_models(mnist):
    return {n: model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, n)) for n in (100, 500)}


def test_lesson_numbers(mnist, lesson_models):
    first100 = mnist.y_test[:100]
    p100 = lesson_models[100].predict(mnist.x_test[:100])
    p500 = lesson_models[500].predict(mnist.x_test[:100])
    assert (p100 == first100).mean() == pytest.approx(0.68)
    assert (p500 == first100).mean() == pytest.approx(0.88)
    assert p100[6] == 9 and p500[6] == 4 and mnist.y_test[6] == 4


def test_model_records_its_training(lesson_models):
    m = lesson_models[500]
    assert m.n_train == 500 and m.fit_seconds > 0
    assert m.sample_description == "first 500 training images"
    assert m.train_label_counts.sum() == 500
    assert m.estimator.get_params()["C"] == 1.0 and m.estimator.get_params()["gamma"] == "scale"


def test_batched_predict_matches_sklearn_on_all_test_images(mnist):
    m = model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 1000, "random", seed=1))
    fast = m.predict(mnist.x_test)
    assert np.array_equal(fast, m.estimator.predict(model.features(mnist.x_test)))


def test_votes_count_45_duels(lesson_models, mnist):
    votes = lesson_models[500].votes(mnist.x_test[:20])
    assert votes.shape == (20, 10)
    assert (votes.sum(axis=1) == 45).all()


def test_other_kernels_and_settings(mnist):
    m = model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 300),
                    model.SvmSettings(C=10, gamma=0.02, kernel="poly"))
    assert np.array_equal(m.predict(mnist.x_test[:50]), m.estimator.predict(model.features(mnist.x_test[:50])))


def test_sample_missing_digits_still_predicts_digit_values(mnist):
    idx = np.flatnonzero(np.isin(mnist.y_train, [3, 8]))[:200]
    m = model.train(mnist.x_train, mnist.y_train, sampling.Sample(indices=idx, mode="first", seed=0))
    assert set(m.predict(mnist.x_test[:50]).tolist()) <= {3, 8}


@pytest.mark.parametrize("kwargs", [{"C": 0}, {"gamma": "big"}, {"kernel": "cubic"}, {"gamma": -1.0}])
def test_bad_svm_settings(kwargs):
    with pytest.raises(InvalidSettingError):
        model.SvmSettings(**kwargs)


def test_one_digit_sample_is_refused(mnist):
    idx = np.flatnonzero(mnist.y_train == 1)[:20]
    with pytest.raises(InvalidSettingError, match="only one digit"):
        model.train(mnist.x_train, mnist.y_train, sampling.Sample(indices=idx, mode="first", seed=0))


def test_features_accepts_flat_or_square(mnist):
    assert model.features(mnist.x_test[:3]).shape == (3, 784)
    assert model.features(mnist.x_test[0]).shape == (1, 784)
    assert model.features(mnist.x_test[:3].reshape(3, 784)).max() <= 1.0
    with pytest.raises(InvalidSettingError):
        model.features(np.zeros((3, 27, 27), dtype=np.uint8))
    with pytest.raises(InvalidSettingError):
        model.features(np.zeros((3, 28, 28)))  # pixels must be whole numbers 0-255


def test_sklearn_version_is_the_installed_one():
    import sklearn

    assert model.sklearn_version() == sklearn.__version__


def test_reading_models_and_scoring_import_no_scikit_learn():
    """A page showing a shipped model's recorded answers must not wait 0.7-2 s for scikit-learn (issue 20)."""
    import subprocess
    import sys

    code = ("import sys\nfrom digitlib.svm import fast_predict, model_files, registry, shipped, support_vectors\n"
            "from digitlib.scoring import evaluate, shipped_answers\nfrom digitlib.neural import service\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
