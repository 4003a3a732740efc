import numpy as np
import pytest

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling


def test_first_n_is_the_lessons_way(mnist):
    s = sampling.choose(mnist.y_train, 500)
    assert s.indices.tolist() == list(range(500))
    assert s.describe() == "first 500 training images"


def test_balanced_has_equal_digits_and_is_reproducible(mnist):
    a = sampling.choose(mnist.y_train, 1000, "balanced", seed=3)
    b = sampling.choose(mnist.y_train, 1000, "balanced", seed=3)
    c = sampling.choose(mnist.y_train, 1000, "balanced", seed=4)
    assert np.bincount(mnist.y_train[a.indices]).tolist() == [100] * 10
    assert np.array_equal(a.indices, b.indices)
    assert not np.array_equal(a.indices, c.indices)
    assert len(np.unique(a.indices)) == 1000


def test_balanced_uneven_size_and_scarce_class():
    labels = np.array([0] * 3 + [1] * 50 + [2] * 50)
    s = sampling.choose(labels, 31, "balanced")
    counts = np.bincount(labels[s.indices], minlength=3)
    assert counts.sum() == 31 and counts[0] == 3 and abs(counts[1] - counts[2]) <= 1


def test_random_is_seeded(mnist):
    a = sampling.choose(mnist.y_train, 300, "random", seed=7)
    assert np.array_equal(a.indices, sampling.choose(mnist.y_train, 300, "random", seed=7).indices)
    assert len(np.unique(a.indices)) == 300 and a.indices.max() < 60000
    assert "seed 7" in a.describe()


@pytest.mark.parametrize("n, mode", [(0, "first"), (60001, "first"), (10, "sorted")])
def test_bad_settings_are_explained(mnist, n, mode):
    with pytest.raises(InvalidSettingError):
        sampling.choose(mnist.y_train, n, mode)


def test_a_stored_description_reads_back_in_the_readers_language():
    from digitlib.language import use

    stored = sampling.choose(np.arange(3000) % 10, 2000, "balanced", seed=3).describe()
    try:
        use("de")
        assert sampling.shown(stored) == sampling.describe("balanced", 2000, 3)
        assert sampling.shown(stored + " and 1,040 class drawings").startswith(sampling.describe("balanced", 2000, 3))
        assert "1.040" in sampling.shown(stored + " and 1,040 class drawings")
        assert sampling.shown("made by hand") == "made by hand"
    finally:
        use("en")
    assert sampling.shown("first 500 training images") == "first 500 training images"
