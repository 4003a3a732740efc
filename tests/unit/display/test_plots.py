import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from digitlib.display import plots

ROOT = Path(__file__).resolve().parents[3]


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
    assert ax.texts[1].get_position() == (1.5, 0.5)  # row 0 (true 0), column 1 (predicted 1)
    assert ax.texts[10].get_position() == (0.5, 1.5) and ax.texts[10].get_text() == "10"
    assert ax.get_xlabel() == "Predicted digit" and ax.get_ylabel() == "True digit"


def test_learning_curve_sorted_by_size():
    fig = plots.learning_curve([500, 100, 1000], [0.88, 0.68, 0.9])
    xs, ys = fig.axes[0].lines[0].get_data()
    assert list(xs) == [100, 500, 1000] and list(ys) == [0.68, 0.88, 0.9]


def test_gallery_has_a_caption_per_image(mnist):
    fig = plots.gallery(mnist.x_test[:12], [str(i) for i in range(12)], columns=5)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [str(i) for i in range(12)]


def test_mean_digits_one_panel_per_digit_with_its_count():
    means = np.zeros((10, 28, 28))
    fig = plots.mean_digits(means, np.arange(10) * 1000)
    assert [ax.get_title() for ax in fig.axes] == [str(d) for d in range(10)]
    assert fig.axes[3].get_xlabel() == "3,000 images"


def test_ink_map_counts_blank_and_rare_pixels_in_its_legend():
    share = np.full((28, 28), 0.5)
    share[0, :3] = 0.0
    share[1, :2] = 0.0005
    fig = plots.ink_map(share)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["0 in every image: 3 pixels", "ink in fewer than 1 in 1,000 images: 2 more"]


def test_sampling_curves_one_line_per_mode():
    curves = {"first N": [0.68, 0.77], "balanced N": [0.71, 0.86], "random N (seed 0)": [0.66, 0.74]}
    fig = plots.sampling_curves([100, 200], curves, 100)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == list(curves)
    assert [list(line.get_ydata()) for line in ax.lines] == list(curves.values())
    assert "first 100 test images" in ax.get_title()


def test_sample_counts_groups_bars_by_digit():
    counts = {"first": np.arange(10), "balanced": np.full(10, 10)}
    fig = plots.sample_counts(counts, "Digits")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == list(range(10)) + [10] * 10


def test_a_zoom_shows_its_square_of_pixels_with_large_numbers_and_their_places(mnist):
    image = mnist.x_test[6]
    fig = plots.pixel_array(image, 9, 12, 10)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [str(v) for v in image[9:19, 12:22].ravel()]
    assert min(t.get_fontsize() for t in ax.texts) >= 14  # large type, readable on a phone
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(c) for c in range(12, 22)]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(r) for r in range(9, 19)]


def test_the_zoom_starts_on_the_ink(mnist):
    blank = np.zeros((28, 28), dtype=np.uint8)
    assert plots.ink_centre(blank, 10) == (9, 9)  # the middle
    corner = blank.copy()
    corner[25:, 26:] = 255
    assert plots.ink_centre(corner, 10) == (18, 18)  # as far as the square can go
    top, left = plots.ink_centre(mnist.x_test[6], 10)
    square = mnist.x_test[6][top:top + 10, left:left + 10]
    assert square.sum() > 0.4 * mnist.x_test[6].sum()  # it holds much of the ink


def test_the_picture_outlines_the_zoomed_square(mnist):
    fig = plots.digit(mnist.x_test[6], 4, box=(9, 12, 10))
    [outline] = fig.axes[0].patches
    assert (outline.get_x(), outline.get_y(), outline.get_width()) == (11.5, 8.5, 10)


def test_pixel_grid_holds_all_784_values_shaded_as_the_picture_and_scrolls(mnist):
    image = mnist.x_test[6]
    html = plots.pixel_grid(image, (9, 12, 10))
    cells = re.findall(r'<td style="background:#([0-9a-f]{6});color:([^;"]+)[^"]*">(\d+)</td>', html)
    assert [int(v) for _, _, v in cells] == image.ravel().tolist()
    for shade, ink, value in cells:
        assert shade == f"{255 - int(value):02x}" * 3  # 0 white, 255 black, as imshow shows them
        assert ink == ("#ffffff" if int(value) > 127 else "#1c2833")  # numbers readable on their shade
    assert ".pixel-grid{overflow-x:auto" in html  # a narrow screen scrolls the grid, never clips it
    assert html.count("box-shadow") == 36 and html.count(plots.ZOOM) == 40  # the zoom's edge: 4 sides of 10


def test_every_digit_picture_shows_paper_white_and_ink_black(mnist):
    """What Explore says: 0 is blank paper, shown white; 255 the darkest ink, shown black."""
    pictures = [plots.digit(mnist.x_test[6]), plots.pixel_array(mnist.x_test[6], 9, 12, 10),
                plots.gallery(mnist.x_test[:2], ["a", "b"]), plots.mean_digits(np.zeros((10, 28, 28)), range(10))]
    for fig in pictures:
        shown = [picture for ax in fig.axes for picture in [*ax.images, *ax.collections]]
        assert shown
        for picture in shown:
            assert tuple(picture.to_rgba(np.array([0.0]))[0]) == (1.0, 1.0, 1.0, 1.0)
            assert tuple(picture.to_rgba(np.array([255.0]))[0][:3]) == (0.0, 0.0, 0.0)


def test_the_lessons_figures_import_neither_seaborn_scipy_nor_pyplot():
    """A fresh server's first Train or Evaluate page draws these (and enlarges thumbnails); seaborn's import
    alone cost it 0.5 s."""
    code = ("import sys, numpy as np\nfrom digitlib.display import magnify, plots\n"
            "magnify.enlarge(np.zeros((28, 28), np.uint8), 64)\n"
            "plots.label_counts(np.arange(100) % 10).savefig(__import__('io').BytesIO())\n"
            "plots.confusion(np.eye(10, dtype=int)).savefig(__import__('io').BytesIO())\n"
            "plots.pixel_array(np.zeros((28, 28), np.uint8), 0, 0, 10).savefig(__import__('io').BytesIO())\n"
            "print(sorted({m for m in sys.modules if m.split('.')[0] in ('seaborn', 'scipy')}"
            " | ({'matplotlib.pyplot'} & set(sys.modules))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_heatmap_text_is_dark_on_light_cells_and_white_on_dark_ones():
    fig = plots.confusion(np.diag([50] * 10) + np.ones((10, 10), dtype=int))
    ax = fig.axes[0]
    inks = {(t.get_text(), t.get_color()) for t in ax.texts}
    assert inks == {("1", "0.15"), ("51", "white")}
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(d) for d in range(10)]
    assert ax.get_ylim() == (10, 0)  # row 0 (true digit 0) at the top


def test_a_heatmap_of_fractions_is_refused():
    import pytest

    with pytest.raises(TypeError):
        plots.confusion(np.eye(10) * 0.5)
