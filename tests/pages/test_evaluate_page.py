"""Evaluate's views (AppTest): the clickable matrix first, a confusion square's images and the viewer on the
first of them, a pinned model compared, the model's download."""

from tests.support.apptest import copy_link_text, metric, page


def button(at, label):
    return next(b for b in at.button if b.label == label)


def captions(at):
    return [c for image in at.image for c in image.captions if c and c.startswith("#")]  # test images: "#index: …"


def viewer_caption(at):
    """The caption under the viewer's image ("True or predicted?")."""
    return next(c for image in at.image for c in image.captions if c and c.startswith("Test image "))


def shown(at):
    """The page's elements in order, without the containers that lay them out."""
    return [node for node in at.main if node.type not in ("main", "vertical", "horizontal", "flex_container",
                                                          "column", "columns", "popover")]


def test_the_clickable_matrix_comes_first_below_the_accuracy():
    at = page("pages/3_Evaluate.py", n="500")
    assert not at.exception and not at.tabs  # nothing hidden behind a tab
    elements = shown(at)
    kinds = [(node.type, getattr(node, "label", None) or getattr(node, "value", None)) for node in elements]
    accuracy = kinds.index(("metric", "Accuracy"))
    matrix = next(i for i, node in enumerate(elements) if node.type == "vega_lite_chart")
    assert elements[matrix].key == "eval_cell_chart_none"
    between = [kind for kind, _ in kinds[accuracy + 1:matrix]]
    assert between == ["metric", "metric", "caption"]  # Wrong, Predict time, the model's description
    later = ["Why this answer?", "Per digit, and the lesson's heatmap", "Images the model got wrong"]
    sections = [i for i, kind in enumerate(kinds) if kind[0] == "subheader" and kind[1] in later]
    assert len(sections) == 3 and min(sections) > matrix
    after = [kind for kind in kinds[matrix + 1:] if kind[0] != "html"]  # not the matrix's keyboard script
    assert after[0] == ("caption", "Click a square of the confusion matrix to see its test images here.")
    assert viewer_caption(at) == "Test image 6"  # no square chosen: the lesson's image


def test_a_square_from_the_link_opens_the_viewer_on_its_first_image():
    at = page("pages/3_Evaluate.py", n="500", cell="6-2")
    assert not at.exception and not at.info
    assert at.number_input[0].value == 11 and viewer_caption(at) == "Test image 11"  # #11 is a 6 read as a 2
    assert at.query_params == {"n": "500", "test": "100", "index": "11", "cell": "6-2"}
    assert button(at, "#11").proto.type == "primary"
    at = page("pages/3_Evaluate.py", n="500", cell="6-2", index="54")  # the link's own image wins
    assert at.number_input[0].value == 54 and viewer_caption(at) == "Test image 54"
    at = page("pages/3_Evaluate.py", n="500", cell="9-4")  # an empty square: the lesson's image
    assert at.number_input[0].value == 6


def test_a_square_from_the_link_shows_its_images_and_one_opens_in_the_viewer():
    at = page("pages/3_Evaluate.py", n="500", cell="6-2")
    assert not at.exception and not at.info
    assert "##### Square: true 6, predicted 2" in [m.value for m in at.markdown]
    assert any(m.value.startswith("3 test images of a 6 that the model read as a 2.") for m in at.markdown)
    assert [b.label for b in at.button if b.label.startswith("#")] == ["#11", "#54", "#66"]
    button(at, "#54").click().run()
    assert viewer_caption(at) == "Test image 54"
    assert at.number_input[0].value == 54
    assert at.query_params == {"n": "500", "test": "100", "index": "54", "cell": "6-2"}
    assert button(at, "#54").proto.type == "primary"  # the one on show
    button(at, "Close").click().run()
    assert not [b for b in at.button if b.label.startswith("#")]
    assert at.query_params == {"n": "500", "test": "100", "index": "54"}
    assert any("to see its test images here" in c.value for c in at.caption)


def test_a_square_on_the_diagonal_and_an_empty_one():
    at = page("pages/3_Evaluate.py", n="500", cell="0-0")
    assert any(m.value.startswith("8 test images of a 0 that the model read right.") for m in at.markdown)
    at = page("pages/3_Evaluate.py", n="500", cell="9-4")
    assert any(m.value == "No test image of a 9 was read as a 4." for m in at.markdown)


def test_an_odd_square_in_the_link_is_ignored_with_a_notice():
    at = page("pages/3_Evaluate.py", n="500", cell="10-2")
    assert not at.exception
    assert any("`cell=10-2`" in i.value and "not a square" in i.value for i in at.info)
    assert "cell" not in at.query_params and not [b for b in at.button if b.label.startswith("#")]


def test_pin_the_lessons_first_step_then_compare_with_the_second():
    at = page("pages/3_Evaluate.py", n="100")
    assert not [h for h in at.subheader if h.value == "Compare with the pinned model"]
    button(at, "Pin this model").click().run()
    assert at.query_params == {"n": "100", "test": "100", "index": "6", "pin_n": "100"}
    assert any(m.value.startswith("The pinned model is the one on this page.") for m in at.markdown)
    assert not [b for b in at.button if b.label == "Pin this model"]

    at.query_params["n"] = "500"  # another model, by its link
    at.run()
    assert not at.exception
    assert (metric(at, "Pinned model"), metric(at, "This model")) == ("0.68", "0.88")
    assert metric(at, "Answers that changed") == "24 of 100"
    now_right = next(m.value for m in at.markdown if m.value.startswith("**Now right"))
    now_wrong = next(m.value for m in at.markdown if m.value.startswith("**Now wrong"))
    assert now_right.startswith("**Now right: 22**") and now_wrong.startswith("**Now wrong: 2**")
    flipped = captions(at)
    assert len(flipped) == 24 and flipped[-2:] == ["#44: 3→5", "#65: 4→9"]
    assert "#6: 9→4" in flipped  # the lesson's image 6: read as 9 by the pinned model, as 4 now
    assert copy_link_text(at).endswith("?n=500&test=100&index=6&pin_n=100")

    button(at, "Unpin").click().run()
    assert "pin_n" not in at.query_params and not [m for m in at.metric if m.label == "Pinned model"]


def test_a_comparison_opens_from_its_link():
    at = page("pages/3_Evaluate.py", n="500", pin_n="100", test="500")
    assert not at.exception and not at.info
    pinned, current = float(metric(at, "Pinned model")), float(metric(at, "This model"))
    assert pinned < current
    counts = [m.value.split("**")[1] for m in at.markdown if m.value.startswith(("**Now right", "**Now wrong"))]
    right, wrong = (int(text.split(": ")[1]) for text in counts)
    assert right - wrong == round((current - pinned) * 500)


def test_odd_pinned_settings_fall_back_like_the_models_own():
    at = page("pages/3_Evaluate.py", n="100", pin_n="lots", pin_C="0.5")
    assert not at.exception
    assert any("`pin_n=lots`" in i.value for i in at.info)
    assert at.query_params["pin_n"] == "500" and at.query_params["pin_C"] == "0.3"  # as n and C would be read
    assert metric(at, "Pinned model") and metric(at, "This model") == "0.68"


def test_the_pin_survives_a_visit_to_train():
    at = page("pages/3_Evaluate.py", n="100")
    button(at, "Pin this model").click().run()
    at.switch_page("pages/2_Train.py").run()
    button(at, "Step 2: 500 images").click().run()
    at.query_params.clear()  # Streamlit drops a page's parameters on a page switch
    at.switch_page("pages/3_Evaluate.py").run()
    assert at.query_params["pin_n"] == "100" and at.query_params["n"] == "500"
    assert (metric(at, "Pinned model"), metric(at, "This model")) == ("0.68", "0.88")


def test_the_model_downloads_built_on_click():
    at = page("pages/3_Evaluate.py", n="100", C="3")
    download = next(d for d in at.get("download_button") if d.label == "Download the model (.skops)")
    assert download.proto.ignore_rerun  # on_click="ignore": clicking does not run the page again
    # the file itself: tests/unit/svm/test_model_files.py (loads as the README says),
    # tests/browser/test_evaluate_browser.py (downloaded)


def test_a_shipped_model_is_scored_from_its_recorded_answers_and_says_so():
    at = page("pages/3_Evaluate.py", n="60000", test="10000")
    assert not at.exception and metric(at, "Accuracy") == "0.9792"
    predict = next(m for m in at.metric if m.label == "Predict time")
    assert predict.proto.help.startswith("Measured when this model was made for the app")
    at = page("pages/3_Evaluate.py", n="100", C="3")  # trained here: timed here
    assert not next(m for m in at.metric if m.label == "Predict time").proto.help
