import numpy as np
import pytest

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.scoring import evaluate, sampling_curves
from digitlib.svm.model import train
from digitlib.svm.model_spec import ModelSpec


def test_specs_cover_three_modes_at_every_size_with_the_lessons_settings():
    specs = sampling_curves.specs(60_000)
    assert list(specs) == ["first", "balanced", "random"]
    assert [s.n for s in specs["balanced"]] == [100, 200, 500, 1000, 2000]
    assert specs["random"][0] == ModelSpec(n=100, mode="random", seed=0)
    assert sampling_curves.sizes(700) == [100, 200, 500]


def test_first_100_hold_few_fives_and_many_ones(mnist):
    counts = sampling_curves.label_counts(mnist.y_train, 100)
    assert counts["first"].tolist() == [13, 14, 6, 11, 11, 5, 11, 10, 8, 11]
    assert counts["balanced"].tolist() == [10] * 10
    assert counts["random"].tolist() == [17, 18, 7, 7, 7, 11, 11, 5, 9, 8]


def test_too_few_images_to_compare_is_a_clear_error():
    with pytest.raises(InvalidSettingError, match="at least 100"):
        sampling_curves.compare_samplings(np.arange(99) % 10, lambda spec: None)


def test_comparison_on_mnist(mnist):
    def evaluation(spec):
        sample = sampling.choose(mnist.y_train, spec.n, spec.mode, spec.seed)
        return evaluate.evaluate(train(mnist.x_train, mnist.y_train, sample), mnist.x_test, mnist.y_test, 100)

    compared = sampling_curves.compare_samplings(mnist.y_train, evaluation)
    accuracies = compared.accuracies()
    assert list(accuracies) == ["first N", "balanced N", "random N (seed 0)"]
    assert [round(a[0], 2) for a in accuracies.values()] == [0.68, 0.71, 0.66]  # N = 100
    assert [round(a[1], 2) for a in accuracies.values()] == [0.77, 0.86, 0.74]  # N = 200
    assert np.all(np.abs(np.array([a[-1] for a in accuracies.values()]) - 0.96) <= 0.011)  # N = 2,000: they meet
    assert compared.rarest() == (5, 1)
    why = compared.why()
    assert "14 ones but only 5 fives" in why and "reads none of the 7 fives" in why
    assert "which saw 10 fives, reads 5." in why
    assert compared.table().shape == (5, 4)
