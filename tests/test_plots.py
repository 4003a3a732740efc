import numpy as np
from matplotlib.figure import Figure

from digitlib import plots


def test_digit_title_reads_true_and_prediction(mnist):
    fig = plots.digit(mnist.x_test[6], 4, 9)
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title() == "True: 4, Prediction: 9"


def test_pixel_array_is_annotated_with_the_values(mnist):
    fig = plots.pixel_array(mnist.x_train[0])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 784
    assert texts[5 * 28 + 12] == str(mnist.x_train[0][5, 12])


def test_countplot_bars_are_the_label_counts(mnist):
    labels = mnist.y_train[:500]
    fig = plots.label_counts(labels)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == np.bincount(labels, minlength=10).tolist()


def test_confusion_heatmap_is_annotated():
    cm = np.arange(100).reshape(10, 10)
    fig = plots.confusion(cm)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts][:3] == ["0", "1", "2"]
    assert ax.get_xlabel() == "Predicted digit" and ax.get_ylabel() == "True digit"


def test_learning_curve_sorted_by_size():
    fig = plots.learning_curve([500, 100, 1000], [0.88, 0.68, 0.9])
    xs, ys = fig.axes[0].lines[0].get_data()
    assert list(xs) == [100, 500, 1000] and list(ys) == [0.68, 0.88, 0.9]


def test_gallery_has_a_caption_per_image(mnist):
    fig = plots.gallery(mnist.x_test[:12], [str(i) for i in range(12)], columns=5)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [str(i) for i in range(12)]
