"""AppTest: the Draw page with a drawing on its canvas (the canvas's value stands in for the browser's),
in a class: a dot is no digit, a label the model did not read asks once, a save shows what was saved,
and a new session of the same browser still shows its count and Undo."""

import numpy as np
import pytest

from digitlib.classroom import codes
from digitlib.drawing import handwriting, preprocess
from tests.support.apptest import page
from tests.support.drawn import DRAW, SEVEN, as_sent  # the canvas fixture: tests/pages/conftest.py
from ui import class_session, cookies

SAVE = "Save to our class set"


@pytest.fixture
def student(monkeypatch):
    """This browser's anonymous id, as its cookie would bring it to every new session."""
    kept = codes.new_drawer()
    real = cookies.read
    monkeypatch.setattr(cookies, "read", lambda name: kept if name == class_session.STUDENT_COOKIE else real(name))
    return kept


def draw_page(new_class):
    return page(DRAW, **{"class": new_class.code})


def button(at, label):
    return next((b for b in at.button if b.label == label), None)


def labels(at):
    return [d for d in at.get("button_group") if d.label == "The digit I drew"]


def texts(elements):
    return " ".join(e.value for e in elements)


@pytest.mark.parametrize("pen", [8, 18, 32])
def test_a_dot_gets_no_prediction_no_votes_and_no_save(canvas, new_class, pen):
    canvas["sent"] = as_sent(handwriting.Drawing(0, [[(150.0, 120.0)]], pen, "a tap"))
    at = draw_page(new_class)
    assert not at.exception
    assert "That looks like a dot or a slip, not a digit: draw it bigger" in texts(at.warning)
    assert not [m for m in at.metric if m.label == "Prediction"]
    assert not at.get("vega_lite_chart") and not labels(at) and button(at, SAVE) is None
    # A real digit drawn after it is read again.
    canvas["sent"] = as_sent(SEVEN)
    at.run()
    assert at.get("vega_lite_chart")  # the votes, which the dot had none of
    assert [m.value for m in at.metric if m.label == "Prediction"] == ["7"]
    assert button(at, SAVE) is not None and "dot or a slip" not in texts(at.warning)


def test_the_predicted_label_saves_at_once_and_shows_what_was_saved(canvas, new_class, store):
    canvas["sent"] = as_sent(SEVEN)
    at = draw_page(new_class)
    assert labels(at)[0].value == 7  # preset to the prediction
    button(at, SAVE).click().run()
    assert not at.exception
    assert store.drawings(new_class.code).labels.tolist() == [7]
    assert "Saved your 7 to the class set. Draw the next one!" in texts(at.success)
    # The canvas cleared itself; the only image left is the saved 28 × 28 input beside the message.
    assert [m for m in at.metric if m.label == "Prediction"] == []
    assert len(at.image) == 1
    assert "You have saved 1 drawing." in texts(at.caption)
    at.run()  # the message and its image were for that moment
    assert not at.success and not at.image


def test_a_label_the_model_did_not_read_asks_once_then_saves(canvas, new_class, store):
    canvas["sent"] = as_sent(SEVEN)
    at = draw_page(new_class)
    labels(at)[0].set_value(1).run()
    button(at, SAVE).click().run()
    assert not at.exception
    assert store.drawings(new_class.code).labels.tolist() == []  # not yet: it asks first
    assert "The model read 7. Save it as a 1?" in texts(at.warning)
    assert button(at, SAVE) is None
    labels(at)[0].set_value(8).run()  # another digit: the question is about 1, so Save comes back
    assert button(at, "Yes, save it as 1") is None and button(at, SAVE) is not None
    button(at, SAVE).click().run()
    assert "The model read 7. Save it as an 8?" in texts(at.warning)
    button(at, "Yes, save it as 8").click().run()
    assert not at.exception
    assert store.drawings(new_class.code).labels.tolist() == [8]
    assert "Saved your 8 to the class set" in texts(at.success)
    assert "Save it as" not in texts(at.warning)


def test_a_new_session_of_the_same_browser_keeps_its_count_and_undo(canvas, student, new_class, store):
    canvas["sent"] = as_sent(SEVEN)
    at = draw_page(new_class)
    button(at, SAVE).click().run()
    assert store.drawings(new_class.code).labels.tolist() == [7]
    canvas.update(round=0, sent=None)  # a reload: a new session, an empty canvas, the same cookie
    again = draw_page(new_class)
    assert not again.exception
    assert "You have saved 1 drawing." in texts(again.caption)
    button(again, "Undo my last save").click().run()
    assert store.drawings(new_class.code).labels.tolist() == []
    assert "Removed your last saved drawing." in texts(again.success)
    assert button(again, "Undo my last save") is None
    assert "You have saved" not in texts(again.caption)


def test_another_browser_has_saved_nothing(canvas, new_class, store):
    store.save_drawing(new_class.code, codes.new_drawer(), 3, preprocess.prepare(handwriting.render(SEVEN)).centred)
    at = draw_page(new_class)
    assert "You have saved" not in texts(at.caption) and button(at, "Undo my last save") is None
    assert np.array_equal(store.drawings(new_class.code).labels, [3])


def test_the_closer_look_is_filled_only_once_opened_and_stays_open(canvas):
    """Why this answer, the closest images and the sensitivity sliders: one click away, then there on every stroke."""
    canvas["sent"] = as_sent(SEVEN)
    at = page(DRAW)
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "Prediction"] == ["7"]
    headings = [h.value for h in at.subheader]
    assert "Step by step" in headings and "Why this answer?" not in headings and not at.slider
    at.session_state["draw_closer"] = True  # the student opens it (the expander reruns the page)
    at.run()
    assert not at.exception
    headings = [h.value for h in at.subheader]
    closer = {"Why this answer?", "The training images closest to your drawing", "How sensitive is the model?"}
    assert closer <= set(headings)
    assert "Shift right (pixels)" in [s.label for s in at.slider]
    assert [m.value for m in at.metric if m.label == "Prediction after the change"] == ["7"]
