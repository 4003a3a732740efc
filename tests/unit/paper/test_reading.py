"""digitlib.paper.reading: numbers read from made photos of paper and from a wide canvas.

The photos are ``digitlib.paper.synthetic``'s (2400 x 1800 JPEGs with light, shadow, tilt, blur and noise);
``python -m bench.paper`` measures the rates on many, these pin a few as they are read today.
"""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitlib.drawing import handwriting
from digitlib.errors import NoDigitsFoundError, TooManyDigitsError
from digitlib.paper import reading, synthetic
from digitlib.svm import shipped


@pytest.fixture(scope="module")
def svm(mnist):
    return shipped.load(mnist, 60000)


def wide_canvas(number: str, width: int = 840, height: int = 280, seed: int = 0) -> np.ndarray:
    """A drawing of ``number`` on a wide canvas: handwriting's digits side by side, white on black (RGBA)."""
    rng = np.random.default_rng(seed)
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    cell = width // len(number)
    for i, ch in enumerate(number):
        drawing = handwriting.random_drawing(int(ch), rng, canvas=height)
        digit = Image.fromarray(handwriting.render(drawing, canvas=height))
        box = digit.getbbox()
        digit = digit.crop(box)
        scale = min(0.8 * cell / digit.width, 0.8 * height / digit.height, 1.0)
        digit = digit.resize((max(1, int(digit.width * scale)), max(1, int(digit.height * scale))))
        canvas.paste(digit, (i * cell + (cell - digit.width) // 2, (height - digit.height) // 2))
    return np.asarray(canvas)


@pytest.mark.parametrize("paper", synthetic.PAPERS)
@pytest.mark.parametrize("pen", synthetic.PENS)
def test_a_photographed_number_is_read_on_every_paper(svm, paper, pen):
    photo = synthetic.make_photo(8, paper, pen, "strokes")
    result = reading.read_photo(photo.jpeg, svm)
    assert result.text == photo.number == "3291"
    assert result.digits == [3, 2, 9, 1] and result.score_kind == "votes"
    assert result.inputs.shape == (4, 28, 28) and result.scores.shape == (4, 10)
    lefts = [x for x, _, _, _ in result.boxes]
    assert lefts == sorted(lefts)
    height, width = result.photo.shape
    for x, y, w, h in result.boxes:  # each box in the photo's coordinates, around dark ink
        assert 0 <= x < x + w <= width and 0 <= y < y + h <= height
        inside = result.photo[y : y + h, x : x + w]
        assert inside.min() < np.median(inside) - 25
    assert result.ink.shape == result.photo.shape and result.boxes_image().shape == (height, width, 3)


def test_fonts_and_real_mnist_writers_are_read(svm, mnist):
    for writer, seed in (("font", 4), ("mnist", 5)):
        photo = synthetic.make_photo(seed, "ruled", "pen", writer, mnist=mnist)
        assert reading.read_photo(photo.jpeg, svm).text == photo.number


def test_the_neural_network_reads_with_its_probabilities():
    class Uniform:
        def probabilities(self, images):
            out = np.full((len(images), 10), 0.05)
            out[:, 7] = 0.55
            return out

    photo = synthetic.make_photo(9, "plain", "pen", "strokes")
    result = reading.read_photo(photo.jpeg, Uniform())
    assert result.score_kind == "probabilities" and result.text == "777"


@pytest.mark.parametrize("paper", ["plain", "ruled", "squared"])
def test_a_blank_page_has_no_digits(svm, paper):
    photo = synthetic.make_photo(3, paper, "pen", digits="")
    with pytest.raises(NoDigitsFoundError, match="No digits were found"):
        reading.read_photo(photo.jpeg, svm)


def test_a_dark_picture_like_a_screen_is_not_paper(svm):
    screen = np.random.default_rng(0).integers(0, 40, (900, 1200), dtype=np.uint8)
    with pytest.raises(NoDigitsFoundError, match="does not look like a photo of paper"):
        reading.read_number(screen, svm)


def test_fifty_digits_are_too_many(svm):
    page = Image.new("L", (2400, 800), 240)
    for row in range(2):
        ImageDraw.Draw(page).text((100, 150 + 300 * row), " ".join("0123456789" * 2 + "01234"), fill=20,
                                  font_size=80)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    with pytest.raises(TooManyDigitsError, match=f"at most {reading.MAX_DIGITS} digits"):
        reading.read_photo(buffer.getvalue(), svm)
    with pytest.raises(TooManyDigitsError):
        reading.read_canvas_number(wide_canvas("31415926535897932384" * 2 + "6264338327", width=5000), svm)


def test_a_wide_canvas_number_is_read_left_to_right(svm):
    for number, seed in (("407", 0), ("1958", 1), ("62", 2)):
        result = reading.read_canvas_number(wide_canvas(number, seed=seed), svm)
        assert result.text == number
        lefts = [x for x, _, _, _ in result.boxes]
        assert lefts == sorted(lefts)
        assert result.photo.shape == (280, 840) and not result.lines.any()


def test_an_empty_canvas_says_so(svm):
    with pytest.raises(NoDigitsFoundError, match="canvas is empty"):
        reading.read_canvas_number(np.zeros((280, 840, 4), np.uint8), svm)
