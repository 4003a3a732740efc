"""AppTest: Draw's photo of paper and wide canvas (issue 18). A synthetic photo uploaded shows "Number read"
with its digits, each step and each digit; a file that is no photo gets one sentence and the page works on;
a photo is read once per photo and model; in a class its digits (as corrected) go to the class set; the
wide canvas reads a number written on it and refuses anything but its own 840 × 280 PNG."""

import base64
import importlib
import io
import sys

import numpy as np
import pytest
from PIL import Image

from digitlib.drawing import handwriting
from digitlib.errors import ClassLimitError
from digitlib.paper import reading, synthetic
from tests.support.apptest import page

DRAW = "pages/4_Draw.py"
LABEL = "Photo of a handwritten number"
SAVE = "Save to our class set"
SLOPPY = handwriting.sloppy_drawings()  # each read right by every model the page offers


@pytest.fixture(scope="module")
def photo():
    """A phone-sized JPEG of a number on ruled paper, which the engine reads right."""
    made = synthetic.make_photo(1, paper="ruled", pen="pen")
    assert len(made.number) >= 2
    return made


def upload(at, name, data, mime="image/jpeg"):
    next(u for u in at.file_uploader if u.label == LABEL).set_value((name, data, mime))
    return at.run()


def number_read(at):
    return [m.value for m in at.metric if m.label == "Number read"]


def texts(elements):
    return " ".join(e.value for e in elements)


def button(at, label):
    return next((b for b in at.button if b.label == label), None)


def digit_controls(at):
    return [b for b in at.button_group if b.label.startswith("Digit ") and b.label.endswith(" is")]


def test_the_default_view_is_the_square_canvas_and_the_photo_view_has_the_uploader():
    at = page(DRAW)
    assert not at.exception
    assert not at.file_uploader and not at.camera_input  # the default Draw view is unchanged
    at = page(DRAW, read="photo")
    assert not at.exception
    uploader = next(u for u in at.file_uploader if u.label == LABEL)
    assert {".jpg", ".jpeg", ".png", ".webp"} <= set(uploader.allowed_type)
    assert not at.camera_input  # the camera is asked for only when turned on
    next(t for t in at.toggle if t.label == "Use the camera").set_value(True).run()
    assert [c.label for c in at.camera_input] == ["Take a photo"] and not at.exception


def test_a_photo_shows_the_number_read_each_step_and_each_digit(photo):
    at = upload(page(DRAW, read="photo"), "number.jpg", photo.jpeg)
    assert not at.exception
    assert number_read(at) == [photo.number]
    assert at.radio[0].value == "neural"  # a photo is read by the network first
    captions = texts(at.caption)
    assert "Read by: the convolutional neural network trained on the" in captions
    shown = [c for image in at.image for c in image.captions]
    for step in ("1 · The photo", "2 · The paper's lines", "3 · The ink found", "4 · Each digit boxed"):
        assert any(c.startswith(step) for c in shown), (step, shown)
    controls = digit_controls(at)
    assert [c.value for c in controls] == [int(d) for d in photo.number]  # preset to what the model read
    assert len(at.get("vega_lite_chart")) == len(photo.number)  # each digit's probabilities
    assert SAVE not in [b.label for b in at.button]  # outside a class, nothing to save to


def test_the_student_can_read_the_photo_with_the_svm_and_a_drawing_still_starts_with_it(photo):
    at = upload(page(DRAW, read="photo"), "number.jpg", photo.jpeg)
    at.radio[0].set_value("best").run()
    assert not at.exception
    assert number_read(at) == [photo.number]
    assert "Read by: SVC on the" in texts(at.caption)
    assert page(DRAW).radio[0].value == "best"  # the square canvas starts with the best SVM, as before


def test_a_photo_is_read_once_and_the_session_keeps_no_bytes(photo, monkeypatch):
    calls = []
    real = reading.read_photo
    monkeypatch.setattr(reading, "read_photo", lambda data, model: calls.append(1) or real(data, model))
    at = upload(page(DRAW, read="photo"), "number.jpg", photo.jpeg)
    digit_controls(at)[0].set_value((int(photo.number[0]) + 1) % 10).run()  # a correction reruns the page
    at.run()
    assert calls == [1]
    assert "With your corrections the number is" in texts(at.caption)
    kept = at.session_state["photo_last"]
    assert not any(isinstance(value, (bytes, bytearray)) for value in kept)


@pytest.mark.parametrize("name, data, sentence", [
    ("notes.jpg", b"these are not the pixels you are looking for", "The file is not an image this app can read"),
    ("empty.png", b"", "The file is empty"),
    ("blank.png", None, "No digits were found in this photo"),
])
def test_a_file_that_is_no_photo_of_a_number_gets_one_sentence_and_the_page_works_on(name, data, sentence):
    if data is None:  # a blank page: white paper, nothing written
        buffer = io.BytesIO()
        Image.new("L", (1200, 900), 235).save(buffer, format="PNG")
        data = buffer.getvalue()
    at = upload(page(DRAW, read="photo"), name, data, "image/png")
    assert not at.exception
    assert sentence in texts(at.warning)
    assert not number_read(at)
    # The rest of the page works: the model choice, the modes, and a real photo after it.
    assert at.radio[0].label == "Model"
    upload(at, "number.jpg", synthetic.make_photo(1, paper="ruled", pen="pen").jpeg)
    assert number_read(at) and sentence not in texts(at.warning)


def test_in_a_class_the_photos_digits_are_saved_with_their_corrected_labels(photo, new_class, store):
    at = upload(page(DRAW, read="photo", **{"class": new_class.code}), "number.jpg", photo.jpeg)
    assert button(at, SAVE) is not None
    wanted = [int(d) for d in photo.number]
    wanted[-1] = (wanted[-1] + 3) % 10  # the student corrects the last digit
    digit_controls(at)[-1].set_value(wanted[-1]).run()
    button(at, SAVE).click().run()
    assert not at.exception
    assert store.drawings(new_class.code).labels.tolist() == wanted
    assert f"Saved {len(wanted)} digits to the class set" in texts(at.success)
    assert f"You have saved {len(wanted)} drawings." in texts(at.caption)


def test_a_class_limit_reached_part_way_says_so_and_keeps_what_was_saved(photo, new_class, store, monkeypatch):
    from ui import class_session

    real, count = class_session.save_drawing, []

    def limited(prepared, label):
        if count:
            raise ClassLimitError("This class holds as many drawings as it can; ask your teacher to remove some.")
        count.append(1)
        return real(prepared, label)

    monkeypatch.setattr(class_session, "save_drawing", limited)
    at = upload(page(DRAW, read="photo", **{"class": new_class.code}), "number.jpg", photo.jpeg)
    button(at, SAVE).click().run()
    assert not at.exception
    assert "This class holds as many drawings as it can" in texts(at.error)
    assert f"Saved 1 digit to the class set ({photo.number[0]}). {len(photo.number) - 1} not saved" in texts(at.warning)
    assert len(store.drawings(new_class.code).labels) == 1
    assert number_read(at) == [photo.number]  # the reading is still there to try again


# --- the wide canvas --------------------------------------------------------------------------------------

def wide_url(digits: list[int], width: int = 840) -> str:
    """The data URL the wide canvas sends with ``digits`` drawn side by side, one per 280-px square."""
    strip = np.zeros((280, width, 4), np.uint8)
    strip[..., 3] = 255
    for i, d in enumerate(digits):
        strip[:, 280 * i : 280 * (i + 1)] = handwriting.render(SLOPPY[d])
    buffer = io.BytesIO()
    Image.fromarray(strip).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def strip(monkeypatch):
    """The wide canvas sends ``strip["sent"]``."""
    if "ui.number_canvas" not in sys.modules:  # the canvas component registers itself only under a runtime
        page(DRAW, read="number")
    number_canvas = importlib.import_module("ui.number_canvas")
    state = {"sent": None}
    monkeypatch.setattr(number_canvas, "drawing_canvas", lambda pen, key, size: state["sent"])
    return state


def test_a_number_written_on_the_wide_canvas_is_read(strip):
    at = page(DRAW, read="number")
    assert "Nothing written yet" in texts(at.info)
    strip["sent"] = wide_url([7, 3])
    at.run()
    assert not at.exception
    assert number_read(at) == ["73"]
    assert [c.value for c in digit_controls(at)] == [7, 3]


def test_the_wide_canvas_refuses_the_square_canvas_png_before_decoding(strip):
    strip["sent"] = wide_url([4], width=280)
    at = page(DRAW, read="number")
    assert not at.exception
    assert "it is 280 × 280 pixels; the canvas sends 840 × 280" in texts(at.warning)
    assert "Write on the black strip again." in texts(at.warning)
    assert not number_read(at)


def test_in_a_class_the_wide_canvas_saves_its_digits_and_clears(strip, new_class, store):
    strip["sent"] = wide_url([2, 5])
    at = page(DRAW, read="number", **{"class": new_class.code})
    button(at, SAVE).click().run()
    assert not at.exception
    assert store.drawings(new_class.code).labels.tolist() == [2, 5]
    assert "Saved 2 digits to the class set (2, 5). Write the next one!" in texts(at.success)
