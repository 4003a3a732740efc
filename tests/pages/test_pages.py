"""AppTest smoke tests: every page runs headless, with no exception, and shows the lesson."""

import time

import pytest

from tests.support.apptest import metric, page


def test_home_shows_the_loaded_data():
    at = page("app.py")
    assert not at.exception
    assert "Teaching a computer" in at.title[0].value
    assert at.radio[0].value == "bundled"
    table = at.table[0].value  # a plain table: no toolbar over the "Loaded:" line
    assert list(table["shape"]) == ["(60000, 28, 28)", "(60000,)", "(10000, 28, 28)", "(10000,)"]
    assert not at.dataframe


def test_home_cards_link_the_lessons_steps_with_the_sessions_settings():
    at = page("app.py")
    cards = at.main.get("page_link")
    assert [card.proto.label for card in cards] == ["1 · Explore", "2 · Train", "3 · Evaluate", "4 · Draw",
                                                    "5 · Neural network"]
    assert [card.proto.query_string for card in cards] == [""] * 5  # a fresh session has no settings to carry
    at = page("app.py", n="200", C="3")  # a link from another page
    assert [card.proto.query_string for card in at.main.get("page_link")] == ["n=200&C=3"] * 5


def test_home_upload_of_a_bad_file_explains_and_keeps_bundled():
    at = page("app.py")
    at.radio[0].set_value("upload").run()
    assert not at.exception
    assert "bundled" in at.markdown[-1].value or any("bundled" in m.value for m in at.markdown)


def test_explore_shows_image_and_pixels():
    at = page("pages/1_Explore.py")
    assert not at.exception
    assert any("(60000, 784)" in c.value for c in at.code)
    at.radio[0].set_value("test").run()
    at.number_input[0].set_value(6).run()
    assert not at.exception
    assert any("Label: **4**" in m.value for m in at.markdown)


def test_explore_deep_link_and_odd_parameters():
    at = page("pages/1_Explore.py", split="test", index="6")
    assert at.number_input[0].value == 6 and at.radio[0].value == "test"
    odd = page("pages/1_Explore.py", split="holiday", index="lots")
    assert not odd.exception
    assert len(odd.info) == 2 and odd.number_input[0].value == 0


def test_train_slider_reproduces_the_lesson():
    at = page("pages/2_Train.py")
    assert not at.exception
    assert metric(at, "Accuracy on the first 100 test images") == "0.88"
    at.select_slider[0].set_value(100).run()
    assert metric(at, "Accuracy on the first 100 test images") == "0.68"


def test_train_large_sample_trains_in_the_background_with_progress(monkeypatch):
    from ui import resources

    monkeypatch.setattr(resources, "WAIT_LIMIT", 100)  # so 750 images count as "large"
    at = page("pages/2_Train.py", n="750")
    assert not at.exception
    assert at.get("progress") and "steps done" in at.get("progress")[0].proto.text
    for _ in range(240):  # the background job reports back; poll for up to about two minutes
        if [m for m in at.metric if m.label.startswith("Accuracy")]:
            break
        time.sleep(0.5)
        at.run()
    assert not at.exception
    assert metric(at, "Support vectors") != "0"


def test_train_odd_n_falls_back():
    at = page("pages/2_Train.py", n="-5")
    assert not at.exception and at.info
    assert at.select_slider[0].value == 500


def test_evaluate_default_is_the_lessons_model():
    at = page("pages/3_Evaluate.py")
    assert not at.exception
    assert metric(at, "Accuracy") == "0.88"
    assert at.number_input[0].value == 6
    assert len(at.dataframe[0].value) == 10


def test_evaluate_uses_the_model_trained_on_train():
    at = page("pages/2_Train.py")
    at.select_slider[0].set_value(100).run()
    at.switch_page("pages/3_Evaluate.py").run()
    assert not at.exception
    assert metric(at, "Accuracy") == "0.68"


def test_evaluate_bigger_test_set():
    at = page("pages/3_Evaluate.py")
    at.select_slider[0].set_value(1000).run()
    assert not at.exception
    assert metric(at, "Wrong").endswith("of 1,000")


def test_draw_page_renders_with_a_hint_and_no_prediction():
    at = page("pages/4_Draw.py")
    assert not at.exception
    assert any("Draw a digit" in i.value for i in at.info)
    assert not [m for m in at.metric if m.label == "Prediction"]


@pytest.mark.parametrize("path", ["app.py", "pages/1_Explore.py", "pages/2_Train.py", "pages/3_Evaluate.py",
                                  "pages/4_Draw.py", "pages/5_Class.py", "pages/6_Neural.py"])
def test_sidebar_links_every_page_in_order(path):
    at = page(path)
    assert not at.exception
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels == ["Home", "Explore the data", "Train a model", "Evaluate", "Draw a digit", "Our class",
                      "Compare with a neural network"]


def test_train_above_the_configured_maximum_offers_only_ready_made_models(monkeypatch):
    from ui import resources

    monkeypatch.setattr(resources, "MAX_TRAIN", 5000)
    at = page("pages/2_Train.py", n="60000")
    assert not at.exception
    options = at.select_slider[0].options
    assert options[options.index("5,000") + 1:] == ["10,000", "20,000", "60,000"]  # shipped sizes only
    assert at.select_slider[0].value == 60_000
    assert metric(at, "Accuracy on the first 100 test images") == "0.99"  # loaded, not trained
    at.select_slider[1].set_value(3.0).run()  # C = 3: not shipped, and too big to train here
    assert not at.exception
    assert any("at most 5,000 images" in i.value for i in at.info)
    assert not [m for m in at.metric if m.label.startswith("Accuracy")]


@pytest.fixture
def broken_bundle(tmp_path, monkeypatch):
    """The bundled MNIST replaced by a damaged file, with the loaded copy forgotten."""
    from digitlib.mnist import data
    from ui import resources

    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"PK\x03\x04 half a download")
    monkeypatch.setattr(data, "BUNDLED_PATH", bad)
    resources._bundled.clear()
    yield bad
    resources._bundled.clear()


@pytest.mark.parametrize("path", ["app.py", "pages/1_Explore.py", "pages/2_Train.py", "pages/3_Evaluate.py",
                                  "pages/4_Draw.py"])
def test_damaged_data_file_gives_one_clear_error_on_every_page(broken_bundle, path):
    at = page(path)
    assert not at.exception
    assert len(at.error) == 1
    assert "mnist.npz" in at.error[0].value and "python -m scripts.bundle_mnist" in at.error[0].value


def test_missing_data_file_still_lets_home_load_other_files(broken_bundle):
    broken_bundle.unlink()
    at = page("app.py")
    assert "does not exist" in at.error[0].value
    assert at.radio[0].value == "bundled"
    at.radio[0].set_value("upload").run()
    assert not at.exception and at.get("file_uploader")


def test_an_unexpected_error_shows_no_traceback_even_where_the_host_forces_details(monkeypatch):
    from streamlit import config

    from ui import resources

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail from /srv/app")

    monkeypatch.setattr(resources, "figure", broken)
    monkeypatch.delenv("DIGITS_ERROR_DETAILS", raising=False)
    config.set_option("client.showErrorDetails", "full")  # what a host may force
    try:
        at = page("pages/1_Explore.py")
    finally:
        config.set_option("client.showErrorDetails", "none")
    assert at.exception
    shown = at.exception[0]
    assert "secret" not in shown.message and not shown.stack_trace


def test_explore_shows_mean_digits_and_blank_pixels():
    at = page("pages/1_Explore.py")
    assert not at.exception
    assert any(h.value == "The average digit, and the pixels that matter" for h in at.subheader)
    assert metric(at, "Pixels that are 0 in every training image") == "67 of 784"
    assert metric(at, "Pixels with ink in fewer than 1 in 1,000 images") == "189 of 784"
    assert any("189 (24%)" in m.value for m in at.markdown)


def test_explore_says_how_ink_is_shown_as_its_pictures_show_it(mnist):
    import re

    import matplotlib

    from digitlib.display import plots

    at = page("pages/1_Explore.py", split="test", index="6")
    words = " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)
    assert "0 (blank paper, shown white) to 255 (the darkest ink, shown black)" in words
    assert "0 is blank paper (white), 255 the darkest ink (black)" in words
    assert "black paper" not in words
    shades = matplotlib.colormaps[plots.CMAP]  # every digit picture on the page is drawn with it, from 0 to 255
    assert shades(0.0)[:3] == (1.0, 1.0, 1.0) and shades(1.0)[:3] == (0.0, 0.0, 0.0)
    [grid] = [h.proto.body for h in at.get("html") if "pixel-grid" in h.proto.body]
    cells = re.findall(r'background:#([0-9a-f]{6});[^>]*>(\d+)</td>', grid)
    assert [int(v) for _, v in cells] == mnist.x_test[6].ravel().tolist()  # all 784 numbers, shaded alike
    assert all(shade == f"{255 - int(v):02x}" * 3 for shade, v in cells)  # 0 white, 255 would be black


def test_explore_zoom_opens_on_the_ink_and_moves_with_its_sliders():
    at = page("pages/1_Explore.py", split="test", index="6")
    rows, columns = at.select_slider
    assert (rows.label, columns.label) == ("Zoom on rows", "Zoom on columns")
    assert (rows.value, columns.value) == (9, 9)  # around the ink of test image 6
    assert any(m.value.startswith("**Zoom: rows 9 – 18, columns 9 – 18**") for m in at.markdown)
    at.select_slider[1].set_value(15).run()
    assert not at.exception
    assert any(m.value.startswith("**Zoom: rows 9 – 18, columns 15 – 24**") for m in at.markdown)


def test_train_compares_sampling_only_when_asked():
    def comparison(at):
        return [d.value for d in at.dataframe if "balanced N" in d.value.columns]

    at = page("pages/2_Train.py")
    assert not at.exception
    assert not comparison(at)  # opening Train trains nothing for the comparison
    at.button(key="compare_sampling").click().run()
    assert not at.exception
    table = comparison(at)[0]
    assert list(table.columns) == ["N", "first N", "balanced N", "random N (seed 0)"]
    assert list(table["N"]) == [100, 200, 500, 1000, 2000]
    assert table.iloc[0, 1:].round(2).tolist() == [0.68, 0.71, 0.66]  # first, balanced, random at N = 100
    assert any("14 ones but only 5 fives" in m.value for m in at.markdown)
    at.run()  # stays shown, without the button
    assert not at.exception and comparison(at) and not [b for b in at.button if b.key == "compare_sampling"]
