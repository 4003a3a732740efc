"""Odd links: every URL parameter a page reads gets odd values, and unknown pages and keys.

Each odd value is ignored or clamped with a notice (st.info) that repeats at most a short,
harmless piece of it; no page raises.
"""

import pytest

from digitlib.display.model_links import MODEL_PARAMS
from tests.support.apptest import page
from ui.url_params import ECHO_LIMIT

# page -> {parameter: (widget, which of its kind, what it shows when the parameter is ignored)};
# no widget: the page only uses it (Evaluate's model settings); the URL then shows the lesson's.
PARAMS = {
    "pages/1_Explore.py": {"split": ("radio", 0, "train"), "index": ("number_input", 0, 0)},
    "pages/2_Train.py": {"n": ("select_slider", 0, 500), "mode": ("radio", 0, "first"), "seed": ("number_input", 0, 0),
                         "C": ("select_slider", 1, 1.0), "gamma": ("selectbox", 1, "scale"),
                         "kernel": ("selectbox", 0, "rbf")},
    "pages/3_Evaluate.py": {"n": (None, 0, 500), "mode": (None, 0, "first"), "seed": (None, 0, 0), "C": (None, 0, 1.0),
                            "gamma": (None, 0, "scale"), "kernel": (None, 0, "rbf"),
                            "test": ("select_slider", 0, 100), "index": ("number_input", 0, 6), "cell": (None, 0, None),
                            **{"pin_" + name: (None, 0, None) for name in MODEL_PARAMS}},  # the pinned model's
    "pages/4_Draw.py": {name: (None, 0, None) for name in MODEL_PARAMS},
    "pages/6_Neural.py": {"n": ("select_slider", 0, 500), "mode": ("radio", 0, "first"),
                          "seed": ("number_input", 0, 0), "C": (None, 0, 1.0), "gamma": (None, 0, "scale"),
                          "kernel": (None, 0, "rbf"), "augment": ("toggle", 0, False)},
}
# Odd values that are fine for some parameters: C=3.5 is read as 3 (the nearest choice), gamma=3.5 as it is.
VALID = {("C", "3.5"), ("gamma", "3.5"), ("pin_C", "3.5"), ("pin_gamma", "3.5")}
LONG = 5000
ODD = ["-1", "-99999", "99999999999999999999", "1e3", "3.5", "0x10", "1_000", "nan", "NaN", "inf", "-inf",
       "Infinity", "lots", "", " ", "\n\t", "٣", "`**bold**` :red[x] $x$ <b>", "<script>alert(1)</script>",
       "9" * LONG, "x" * LONG]


def widget_value(at, kind, which=0):
    return getattr(at, kind)[which].value


def assert_safe_notices(at, value=""):
    """No exception, and no notice repeats more than ECHO_LIMIT characters of ``value``."""
    assert not at.exception
    for notice in at.info:
        assert len(notice.value) < 300
        if len(value) > ECHO_LIMIT:
            assert value[:ECHO_LIMIT + 1] not in notice.value


@pytest.mark.parametrize("value", ODD, ids=lambda v: repr(v[:12]) + (f"…{len(v)}" if len(v) > 12 else ""))
@pytest.mark.parametrize("path", list(PARAMS))
def test_odd_values_fall_back_with_a_short_notice(path, value):
    at = page(path, **{name: value for name in PARAMS[path]})
    assert_safe_notices(at, value)
    for name, (kind, which, default) in PARAMS[path].items():
        if (name, value) in VALID:
            continue
        if kind:
            assert widget_value(at, kind, which) == default
        assert [n for n in at.info if f"`{name}=" in n.value], f"no notice for {name}={value[:20]!r}"
    assert "`**bold**`" not in " ".join(n.value for n in at.info)  # backticks never reach the markdown
    if path != "pages/1_Explore.py":  # the URL now links to what the page shows: the lesson's model
        model = {k: v for k, v in at.query_params.items() if k in MODEL_PARAMS}
        assert model == ({"n": "500"} if value != "3.5" else {"n": "500", "C": "3", "gamma": "3.5"})


def test_repeated_keys_use_the_last_value_with_a_notice():
    at = page("pages/1_Explore.py", split=["train", "test"], index=["9", "7"])
    assert_safe_notices(at)
    assert widget_value(at, "radio") == "test" and widget_value(at, "number_input") == 7
    assert len([n for n in at.info if "2 times; using the last" in n.value]) == 2
    at = page("pages/2_Train.py", n=["100", "-5"])
    assert widget_value(at, "select_slider") == 500
    assert "2 times" in at.info[0].value and "outside" in at.info[0].value
    at = page("pages/3_Evaluate.py", index=[str(i) for i in range(300)])
    assert widget_value(at, "number_input") == 6  # the last, 299, is outside the first 100 test images
    assert any("300 times" in n.value for n in at.info)


@pytest.mark.parametrize("path, name, value, shown, noted", [
    ("pages/1_Explore.py", "index", "59999", 59999, False),  # the last training image
    ("pages/1_Explore.py", "index", "60000", 0, True),
    ("pages/1_Explore.py", "index", " +12 ", 12, False),
    ("pages/1_Explore.py", "index", "-0", 0, False),
    ("pages/2_Train.py", "n", "170", 200, False),  # between slider stops: clamped to the nearest
    ("pages/2_Train.py", "n", "+3000", 3000, False),
    ("pages/2_Train.py", "n", "99", 500, True),
    ("pages/3_Evaluate.py", "index", "99", 99, False),  # the last of the first 100 test images
    ("pages/3_Evaluate.py", "index", "100", 6, True),
    ("pages/2_Train.py", "seed", "10000", 10_000, False),
    ("pages/2_Train.py", "seed", "10001", 0, True),
    ("pages/2_Train.py", "C", "0.1", 0.1, False),
    ("pages/2_Train.py", "C", "100.0", 100.0, False),
    ("pages/2_Train.py", "C", "0.5", 0.3, False),  # between choices: the nearest on a log scale
    ("pages/2_Train.py", "C", "1e2", 100.0, False),
    ("pages/2_Train.py", "C", "0.09", 1.0, True),
    ("pages/2_Train.py", "C", "100.001", 1.0, True),
    ("pages/2_Train.py", "gamma", "auto", "auto", False),
    ("pages/2_Train.py", "gamma", "0.0001", "custom", False),
    ("pages/2_Train.py", "gamma", "10", "custom", False),
    ("pages/2_Train.py", "gamma", "0", "scale", True),
    ("pages/2_Train.py", "gamma", "10.5", "scale", True),
    ("pages/3_Evaluate.py", "test", "10000", 10_000, False),
    ("pages/3_Evaluate.py", "test", "700", 500, False),  # between choices: the nearest
    ("pages/3_Evaluate.py", "test", "10001", 100, True),
    ("pages/3_Evaluate.py", "test", "99", 100, True),
])
def test_edges_of_each_range(path, name, value, shown, noted):
    at = page(path, **{name: value}, **({"mode": "random"} if name == "seed" else {}))  # the first N need no seed
    assert_safe_notices(at)
    kind, which, _ = PARAMS[path][name]
    assert widget_value(at, kind, which) == shown
    assert any("outside" in n.value for n in at.info) == noted


@pytest.mark.parametrize("path", ["app.py", *PARAMS, "pages/4_Draw.py"])
def test_unknown_keys_are_ignored_with_a_notice(path):
    keys = {"utm_source": "newsletter", "k" * LONG: "v" * LONG, "x\ny": "1", "`code`": "2", "embed": "true"}
    at = page(path, **keys)
    assert_safe_notices(at, "k" * LONG)
    notice = next(n.value for n in at.info if "does not use" in n.value)
    assert "`utm_source`" in notice and "and 1 more" in notice  # four unknown keys; embed is Streamlit's
