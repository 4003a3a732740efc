"""Two models on the same test images (digitlib.scoring.comparison); the clickable and difference heatmaps."""

import numpy as np
import pytest

from digitlib.display import charts
from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.scoring import comparison, evaluate
from digitlib.svm import model


@pytest.fixture(scope="module")
def lesson(mnist):
    """The lesson's two steps, N=100 and N=500, scored on the first 100 test images."""
    return [evaluate.evaluate(model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, n)),
                              mnist.x_test, mnist.y_test) for n in (100, 500)]


def test_the_lessons_two_steps(lesson):
    pinned, current = lesson
    change = comparison.compare_models(pinned, current)
    assert (change.pinned_accuracy, change.current_accuracy) == (0.68, 0.88)
    assert len(change.now_right) == 22 and list(change.now_wrong) == [44, 65]
    assert 6 in change.now_right  # the lesson's image 6: a 4 read as 9 with 100 images, as 4 with 500


def test_flipped_images_agree_with_accuracies_and_matrices(lesson):
    pinned, current = lesson
    change = comparison.compare_models(pinned, current)
    gained = len(change.now_right) - len(change.now_wrong)
    assert gained == round((change.current_accuracy - change.pinned_accuracy) * change.n_test)
    assert np.trace(change.change) == gained and change.change.sum() == 0
    assert np.array_equal(change.change, current.confusion - pinned.confusion)
    for i in change.now_right:
        assert pinned.y_pred[i] != pinned.y_true[i] and current.y_pred[i] == current.y_true[i]
    for i in change.now_wrong:
        assert pinned.y_pred[i] == pinned.y_true[i] and current.y_pred[i] != current.y_true[i]
    same = comparison.compare_models(current, current)
    assert not same.change.any() and not len(same.now_right) and not len(same.now_wrong)


def test_only_the_same_test_images_compare(mnist, lesson):
    bigger = evaluate.Evaluation(**{**lesson[0].__dict__, "n_test": 500})
    with pytest.raises(InvalidSettingError):
        comparison.compare_models(bigger, lesson[1])


def test_clickable_confusion_chart(lesson):
    table, spec = charts.confusion(lesson[1].confusion, chosen=(6, 2))
    assert len(table) == 100 and table["images"].sum() == 100
    assert table.loc[table["chosen"], ["true", "predicted", "images"]].values.tolist() == [[6, 2, 3]]
    squares = spec["layer"][0]
    assert squares["params"] == [{"name": charts.SELECTION,
                                  "select": {"type": "point", "fields": ["true", "predicted"], "clear": False}}]
    assert not charts.confusion(lesson[1].confusion)[0]["chosen"].any()


def test_better_and_worse_follow_one_rule_on_and_off_the_diagonal():
    change = np.zeros((10, 10), dtype=int)
    change[5, 5], change[4, 4] = 6, -2  # right answers: more is better, fewer worse
    change[9, 4], change[3, 5] = -6, 2  # mistakes: fewer is better, more worse
    verdict = comparison.verdicts(change)
    assert (verdict[5, 5], verdict[9, 4]) == (comparison.BETTER, comparison.BETTER)
    assert (verdict[4, 4], verdict[3, 5]) == (comparison.WORSE, comparison.WORSE)
    assert np.count_nonzero(verdict) == 4  # unchanged squares are neither


def test_the_lessons_two_steps_change_for_the_better_where_accuracy_rose(lesson):
    pinned, current = lesson
    verdict = comparison.verdicts(comparison.compare_models(pinned, current).change)
    assert verdict[9, 4] == comparison.BETTER  # six fewer 9s read as 4
    assert verdict[5, 5] == comparison.BETTER  # six more 5s read right
    right = np.eye(10, dtype=bool)
    gained = (current.confusion - pinned.confusion)[right]
    assert np.array_equal(verdict[right], np.sign(gained))  # on the diagonal, the sign of the change


def test_difference_chart_one_colour_for_better_one_for_worse_with_a_legend_and_signs(lesson):
    change = lesson[1].confusion - lesson[0].confusion
    table, spec = charts.confusion_change(change)
    blank, changed = spec["layer"][:2]
    colour = changed["encoding"]["color"]
    assert colour["scale"] == {"domain": ["better than the pinned model", "worse than the pinned model"],
                               "range": [charts.BETTER_COLOUR, charts.WORSE_COLOUR]}
    assert colour["legend"] is not None  # the legend says which colour is which
    assert changed["transform"] == [{"filter": "datum.images != 0"}] and blank["encoding"]["color"] == {
        "value": charts.UNCHANGED}
    by_square = table.set_index(["true", "predicted"])
    assert by_square.loc[(9, 4), "verdict"] == by_square.loc[(5, 5), "verdict"] == "better than the pinned model"
    assert by_square.loc[(9, 4), "label"] == "−6" and by_square.loc[(5, 5), "label"] == "+6"  # signed counts
    assert by_square.loc[(0, 0), "label"] == "" and by_square.loc[(0, 0), "verdict"] == "no change"
    words = {comparison.BETTER: "better than the pinned model", comparison.WORSE: "worse than the pinned model",
             comparison.SAME: "no change"}
    assert list(table["verdict"]) == [words[v] for v in comparison.verdicts(change).ravel()]
    assert {"field": "verdict", "title": "this model"} in spec["encoding"]["tooltip"]


def test_blue_and_orange_are_told_apart_without_red_green_vision():
    """Protanopia and deuteranopia (Viénot, Brettel and Mollon 1999) keep the two colours far apart."""
    def rgb(colour):
        return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255

    def simulate(colour, matrix):
        linear = np.where(rgb(colour) <= 0.04045, rgb(colour) / 12.92, ((rgb(colour) + 0.055) / 1.055) ** 2.4)
        return matrix @ linear

    protan = np.array([[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]])
    deutan = np.array([[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]])
    for matrix in (protan, deutan, np.eye(3)):
        better, worse = simulate(charts.BETTER_COLOUR, matrix), simulate(charts.WORSE_COLOUR, matrix)
        assert np.abs(better - worse).max() > 0.2
