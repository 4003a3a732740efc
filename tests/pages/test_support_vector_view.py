"""The support vectors on the pages (AppTest): Train's "Inside the model" and the "Why this answer?" block."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.paths import ROOT

TIMEOUT = 120


def test_train_shows_the_support_vectors_inside_the_model():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/2_Train.py")
    at.query_params["n"] = "100"
    at.run()
    assert not at.exception
    inside = next(e for e in at.expander if e.label == "Inside the model: support vectors")
    assert not inside.markdown and not inside.dataframe  # filled only when opened
    at.session_state["train_inside"] = True  # the student opens it (the expander reruns the page)
    at.run()
    assert not at.exception
    inside = next(e for e in at.expander if e.label == "Inside the model: support vectors")
    assert any("keeps **99** of its 100 training images" in m.value for m in inside.markdown)
    tables = [d.value for d in inside.dataframe]
    # other tests may have left models with other C on disk: the table lists what the server has
    assert len(tables) == 2 and 100 in list(tables[0]["N"]) and 1.0 in list(tables[1]["C"])
    assert inside.get("vega_lite_chart")
    picker = at.segmented_control(key="sv_gallery_digit")
    assert picker.value == 0
    picker.set_value(7).run()
    assert not at.exception
    assert any("images of 7 it keeps" in c.value for c in at.caption)


def _why_script(on_white):
    from digitlib.mnist import data
    from digitlib.svm import shipped
    from ui import support_vector_view

    mnist = data.load("bundled")
    support_vector_view.why_this_answer(shipped.load(mnist, 500), mnist.x_test[0], on_white=on_white)  # a 7, read right


@pytest.mark.parametrize("on_white", [False, True])
def test_why_this_answer_block_renders(on_white):
    """Draw's and Evaluate's block, for a test image (AppTest cannot draw; the browser test does)."""
    at = AppTest.from_function(_why_script, default_timeout=TIMEOUT, args=(on_white,)).run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["Why this answer?"]
    assert any("Pushed hardest for 7" in m.value for m in at.markdown)
    assert any("Pushed hardest against 7" in m.value for m in at.markdown)
    assert any("7 won 9 of its 9" in c.value for c in at.caption)
    rows = at.get("image")  # a row for, a row against
    assert [len(row.proto.imgs) for row in rows] == [6, 6]
    assert all(img.caption.startswith("a 7 · +") for img in rows[0].proto.imgs)
    assert all(img.caption.startswith("a ") and " · −" in img.caption for img in rows[1].proto.imgs)
