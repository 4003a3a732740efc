"""Two models on the same test images (digitlib.compare), and the clickable and difference heatmaps (charts)."""

import numpy as np
import pytest

from digitlib import charts, compare, evaluate, model, sampling
from digitlib.errors import InvalidSettingError


@pytest.fixture(scope="module")
def lesson(mnist):
    """The lesson's two steps, N=100 and N=500, scored on the first 100 test images."""
    return [evaluate.evaluate(model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, n)),
                              mnist.x_test, mnist.y_test) for n in (100, 500)]


def test_the_lessons_two_steps(lesson):
    pinned, current = lesson
    change = compare.compare(pinned, current)
    assert (change.pinned_accuracy, change.current_accuracy) == (0.68, 0.88)
    assert len(change.now_right) == 22 and list(change.now_wrong) == [44, 65]
    assert 6 in change.now_right  # the lesson's image 6: a 4 read as 9 with 100 images, as 4 with 500


def test_flipped_images_agree_with_accuracies_and_matrices(lesson):
    pinned, current = lesson
    change = compare.compare(pinned, current)
    gained = len(change.now_right) - len(change.now_wrong)
    assert gained == round((change.current_accuracy - change.pinned_accuracy) * change.n_test)
    assert np.trace(change.change) == gained and change.change.sum() == 0
    assert np.array_equal(change.change, current.confusion - pinned.confusion)
    for i in change.now_right:
        assert pinned.y_pred[i] != pinned.y_true[i] and current.y_pred[i] == current.y_true[i]
    for i in change.now_wrong:
        assert pinned.y_pred[i] == pinned.y_true[i] and current.y_pred[i] != current.y_true[i]
    same = compare.compare(current, current)
    assert not same.change.any() and not len(same.now_right) and not len(same.now_wrong)


def test_only_the_same_test_images_compare(mnist, lesson):
    bigger = evaluate.Evaluation(**{**lesson[0].__dict__, "n_test": 500})
    with pytest.raises(InvalidSettingError):
        compare.compare(bigger, lesson[1])


def test_clickable_confusion_chart(lesson):
    table, spec = charts.confusion(lesson[1].confusion, chosen=(6, 2))
    assert len(table) == 100 and table["images"].sum() == 100
    assert table.loc[table["chosen"], ["true", "predicted", "images"]].values.tolist() == [[6, 2, 3]]
    squares = spec["layer"][0]
    assert squares["params"] == [{"name": charts.SELECTION,
                                  "select": {"type": "point", "fields": ["true", "predicted"], "clear": False}}]
    assert not charts.confusion(lesson[1].confusion)[0]["chosen"].any()


def test_difference_chart_is_diverging_and_signed(lesson):
    table, spec = charts.confusion_change(lesson[1].confusion - lesson[0].confusion)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["scheme"] == "redblue" and scale["domain"][0] == -scale["domain"][1]
    labels = dict(zip(zip(table["true"], table["predicted"]), table["label"]))
    assert labels[(9, 4)] == "−6" and labels[(5, 5)] == "+6" and labels[(0, 0)] == ""
