"""A model's settings as URL parameters, and numbers read strictly from a link."""

import pytest

from digitlib.display import model_links
from digitlib.svm.model_spec import ModelSpec


@pytest.mark.parametrize("spec, params", [
    (ModelSpec(n=100), {"n": "100"}),  # the lesson's settings: only the size
    (ModelSpec(n=500, mode="balanced", seed=3), {"n": "500", "mode": "balanced", "seed": "3"}),
    (ModelSpec(n=500, mode="random"), {"n": "500", "mode": "random", "seed": "0"}),
    (ModelSpec(n=2000, C=0.3, gamma=0.0301, kernel="poly"),
     {"n": "2000", "C": "0.3", "gamma": "0.0301", "kernel": "poly"}),
    (ModelSpec(n=200, C=100.0, gamma="auto"), {"n": "200", "C": "100", "gamma": "auto"}),
])
def test_params_write_what_differs_from_the_lesson(spec, params):
    assert model_links.params(spec) == params
    assert list(model_links.params(spec)) == [k for k in model_links.MODEL_PARAMS if k in params]


def test_spec_drops_the_seed_of_the_first_n_and_rounds_gamma_as_shown():
    assert model_links.spec(100, "first", 7) == ModelSpec(n=100)
    assert model_links.spec(100, "random", 7, 3, 0.039999999999999994, "rbf") == ModelSpec(n=100, mode="random", seed=7,
                                                                                       C=3.0, gamma=0.04)
    custom = model_links.spec(100, gamma=0.012345)
    assert custom.gamma == 0.0123 and model_links.params(custom)["gamma"] == "0.0123"


@pytest.mark.parametrize("text, value", [("1", 1.0), (" 0.5 ", 0.5), (".5", 0.5), ("5.", 5.0), ("1e-1", 0.1),
                                         ("+2", 2.0), ("1E1", 10.0)])
def test_read_number_takes_plain_decimals(text, value):
    assert model_links.read_number(text, 0.1, 10) == value


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1_000", "٣", "", " ", "1e",
                                  "1.2.3", "<b>1</b>", "1,5"])
def test_read_number_refuses_what_is_not_a_plain_decimal(text):
    with pytest.raises(ValueError, match="not a number"):
        model_links.read_number(text, 0, 10)


@pytest.mark.parametrize("text", ["1e309", "9" * 5000, "-1e309", "10.0001", "-0.1"])
def test_read_number_refuses_what_is_out_of_range(text):
    with pytest.raises(ValueError, match="outside 0–10"):
        model_links.read_number(text, 0, 10)


def test_nearest_option():
    assert model_links.nearest(170, [100, 200, 500]) == 200
    assert model_links.nearest(0.5, model_links.C_VALUES, log=True) == 0.3
    assert model_links.nearest(0.6, model_links.C_VALUES, log=True) == 1.0


def test_share_url_encodes_the_query():
    assert model_links.share_url("http://localhost:8501/Train", {"class": "ABCD", "n": "100"}) == \
        "http://localhost:8501/Train?class=ABCD&n=100"
    assert model_links.share_url("", {"gamma": "a b&c"}) == "?gamma=a+b%26c"
    assert model_links.share_url("http://x/Evaluate", {}) == "http://x/Evaluate"


@pytest.mark.parametrize("text, cell", [("6-2", (6, 2)), (" 0-9 ", (0, 9)), ("4-4", (4, 4))])
def test_a_square_of_the_confusion_matrix_from_a_link(text, cell):
    assert model_links.read_cell(text) == cell and model_links.cell_text(*cell) == text.strip()


@pytest.mark.parametrize("text", ["", "6", "6-", "-2", "10-2", "6-10", "6_2", "6 - 2", "a-b", "٣-2", "6-2-1", "+6-2"])
def test_odd_squares_are_refused(text):
    with pytest.raises(ValueError, match="not a square"):
        model_links.read_cell(text)


def test_file_name_names_the_settings():
    assert model_links.file_name(ModelSpec(n=500), ".skops") == "digits-svc-n500.skops"
    named = model_links.file_name(ModelSpec(n=200, C=3.0, kernel="poly"), ".skops")
    assert named == "digits-svc-n200-C3-kernelpoly.skops"
