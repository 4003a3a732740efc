import numpy as np
import pytest

from digitlib.classroom import mixed
from digitlib.drawing import handwriting, preprocess
from digitlib.errors import InvalidSettingError
from digitlib.scoring import evaluate

# The class writes the European way: 1 with a flag and a foot, 7 crossed (handwriting's styles).
EUROPEAN_STYLE = {1: 2, 7: 1}


def _drawing(digit: int, rng: np.random.Generator) -> handwriting.Drawing:
    while True:
        try:
            drawing = handwriting.random_drawing(digit, rng)
        except ValueError:  # now and then a big, tilted digit does not fit the canvas: draw another
            continue
        if digit not in EUROPEAN_STYLE or drawing.description.startswith(f"style {EUROPEAN_STYLE[digit]},"):
            return drawing


def synthetic_class(drawers: int = 8, per_drawer: int = 30, seed: int = 0):
    """Each drawer writes every digit twice, then ten at random; as the Draw page saves them."""
    rng = np.random.default_rng(seed)
    images, labels, ids = [], [], []
    for _ in range(drawers):
        drawer = f"{rng.integers(16**8):08x}"  # anonymous, one per student session
        for digit in [*range(10), *range(10), *rng.integers(0, 10, per_drawer - 20)]:
            images.append(preprocess.prepare(handwriting.render(_drawing(int(digit), rng))).centred)
            labels.append(digit)
            ids.append(drawer)
    return np.stack(images), np.array(labels, np.uint8), np.array(ids)


@pytest.fixture(scope="module")
def klass():
    return synthetic_class()


@pytest.fixture(scope="module")
def comparisons(mnist, klass):
    return {n: mixed.compare_with_class(mnist.x_train, mnist.y_train, n, *klass) for n in (100, 500)}


def test_split_keeps_each_drawer_on_one_side():
    rng = np.random.default_rng(3)
    drawers = rng.choice([f"s{i}" for i in range(7)], size=120)
    train, test = mixed.split_by_drawer(drawers, seed=5)
    assert set(drawers[train]).isdisjoint(drawers[test])
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(120))
    assert len(set(drawers[test])) == 2  # 30% of 7 drawers
    again = mixed.split_by_drawer(list(drawers), seed=5)
    assert all(np.array_equal(a, b) for a, b in zip((train, test), again, strict=True))
    others = {tuple(mixed.split_by_drawer(drawers, seed=s)[1]) for s in range(10)}
    assert len(others) > 1  # the seed matters


@pytest.mark.parametrize("names, share", [(["a", "b"], 0.3), (["a", "b"], 0.9), (["a", "b", "c"], 0.01)])
def test_split_leaves_a_drawer_on_each_side(names, share):
    drawers = np.array(names * 4)
    train, test = mixed.split_by_drawer(drawers, test_share=share)
    assert len(set(drawers[train])) >= 1 and len(set(drawers[test])) >= 1


def test_split_needs_two_drawers():
    for drawers in (["me"] * 12, []):
        with pytest.raises(InvalidSettingError, match="at least two students"):
            mixed.split_by_drawer(drawers)
    with pytest.raises(InvalidSettingError, match="between 0 and 1"):
        mixed.split_by_drawer(["a", "b"], test_share=1.0)


def test_comparison_adds_up(klass, comparisons):
    images, labels, drawers = klass
    for n, c in comparisons.items():
        assert c.n == n and c.model_mnist_only.n_train == n
        assert c.class_train + c.class_test == len(images)
        assert c.model_with_class.n_train == n + c.class_train
        assert c.class_test == len(c.test_indices) == len(c.y_true) == len(c.pred_mnist_only) == len(c.pred_with_class)
        np.testing.assert_array_equal(c.y_true, labels[c.test_indices])
        assert c.mnist_only == pytest.approx(np.mean(c.pred_mnist_only == c.y_true))
        assert c.with_class == pytest.approx(np.mean(c.pred_with_class == c.y_true))
        test_drawers = set(drawers[c.test_indices])
        train_drawers = set(np.delete(drawers, c.test_indices))
        assert test_drawers.isdisjoint(train_drawers) and c.test_drawers == len(test_drawers) == 2
        # the models answer as their predictions say
        np.testing.assert_array_equal(c.model_with_class.predict(images[c.test_indices]), c.pred_with_class)
        assert "class drawings" in c.model_with_class.sample_description


def test_class_drawings_help_with_other_students_handwriting(comparisons):
    """On this synthetic class MNIST alone gets about half right at n=100 and over 90% at n=500;
    with the other students' drawings both reach about 100%."""
    for n, c in comparisons.items():
        print(f"n={n}: MNIST only {c.mnist_only:.3f}, with the class {c.with_class:.3f} "
              f"({c.class_train} class drawings added, {c.class_test} held out)")
    assert comparisons[100].with_class > comparisons[100].mnist_only + 0.2
    assert comparisons[500].with_class >= comparisons[500].mnist_only
    assert comparisons[500].mnist_only > comparisons[100].mnist_only


def test_accuracy_on_the_whole_class_comes_from_evaluate(klass, comparisons):
    images, labels, _ = klass
    c = comparisons[500]
    score = evaluate.evaluate(c.model_mnist_only, images, labels, n_test=len(images))
    assert score.accuracy == pytest.approx(np.mean(c.model_mnist_only.predict(images) == labels))


def test_too_few_drawings_or_drawers(mnist, klass):
    images, labels, drawers = klass
    with pytest.raises(InvalidSettingError, match="at least 10 saved drawings from at least 2 students; "
                                                  "the class has 9 from 2"):
        mixed.compare_with_class(mnist.x_train, mnist.y_train, 100, images[25:34], labels[25:34], drawers[25:34])
    with pytest.raises(InvalidSettingError, match="the class has 30 from 1"):
        mixed.compare_with_class(mnist.x_train, mnist.y_train, 100, images[:30], labels[:30], drawers[:30])
    with pytest.raises(InvalidSettingError, match="one label and one drawer"):
        mixed.compare_with_class(mnist.x_train, mnist.y_train, 100, images, labels[:-1], drawers)
