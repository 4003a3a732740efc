"""Every setting lives in the URL: pages open from it, write it back, carry it across pages and share it."""

import pytest

from tests.support.apptest import click, copy_link_text, follow, link_queries, metric, page

ACCURACY = "Accuracy on the first 100 test images"
BASE = "http://localhost:8501"


def model_params(at):
    return {k: v for k, v in at.query_params.items() if k in ("n", "mode", "seed", "C", "gamma", "kernel")}


def test_train_opens_with_every_setting_from_its_link():
    at = page("pages/2_Train.py", n="300", mode="balanced", seed="3", C="3", gamma="0.05", kernel="poly")
    assert not at.exception and not at.info
    assert at.select_slider[0].value == 300 and at.radio[0].value == "balanced" and at.number_input[0].value == 3
    assert at.select_slider[1].value == 3.0 and at.selectbox[0].value == "poly" and at.selectbox[1].value == "custom"
    assert at.number_input[1].value == 0.05
    assert "SVC(kernel=poly, C=3, gamma=0.05) on the 300 training images, balanced across digits (seed 3)" \
        in " ".join(c.value for c in at.caption)
    assert at.query_params == {"n": "300", "mode": "balanced", "seed": "3", "C": "3", "gamma": "0.05", "kernel": "poly"}


def test_train_lesson_links_show_the_lessons_numbers():
    at = page("pages/2_Train.py", n="100")
    assert metric(at, ACCURACY) == "0.68" and at.query_params == {"n": "100"}
    at = page("pages/2_Train.py", n="500", mode="balanced", seed="3")
    assert at.radio[0].value == "balanced" and at.number_input[0].value == 3
    assert any("balanced across digits (seed 3)" in c.value for c in at.caption)
    assert metric(at, ACCURACY) != "0.88"  # not the lesson's model


def test_train_widgets_write_the_url_and_the_sidebar_links():
    at = page("pages/2_Train.py")
    assert at.query_params == {"n": "500"}
    at.select_slider[0].set_value(200).run()
    at.radio[0].set_value("random").run()
    at.number_input[0].set_value(7).run()
    at.select_slider[1].set_value(0.3).run()
    at.selectbox[1].set_value("custom").run()
    at.number_input[1].set_value(0.02).run()
    assert not at.exception
    assert at.query_params == {"n": "200", "mode": "random", "seed": "7", "C": "0.3", "gamma": "0.02"}
    # the links drawn before the widgets changed are redrawn in the same run
    assert set(link_queries(at).values()) == {"n=200&mode=random&seed=7&C=0.3&gamma=0.02"}
    at.selectbox[1].set_value("scale").run()
    at.radio[0].set_value("first").run()
    assert at.query_params == {"n": "200", "C": "0.3"} and at.number_input[0].value == 7  # the seed waits


@pytest.mark.parametrize("label, n, accuracy", [
    ("Step 1: 100 images", 100, "0.68"),
    ("Step 2: 500 images", 500, "0.88"),
    ("All 60,000", 60_000, "0.99"),  # ready-made with the app: loaded, not trained
])
def test_lesson_steps_set_the_lessons_settings(label, n, accuracy):
    at = page("pages/2_Train.py", n="1000", mode="balanced", seed="2", C="10", gamma="auto", kernel="linear")
    assert [b.proto.type for b in at.button if b.label.startswith(("Step", "All"))] == ["secondary"] * 3
    click(at, label)
    assert not at.exception
    assert at.select_slider[0].value == n and metric(at, ACCURACY) == accuracy
    assert at.query_params == {"n": str(n)}
    assert [b.label for b in at.button if b.proto.type == "primary"] == [label]
    assert any(f"on the first {n:,} training images" in c.value for c in at.caption)


def test_lesson_steps_are_labelled_as_in_the_lesson():
    at = page("pages/2_Train.py")
    assert [b.label for b in at.button][:3] == ["Step 1: 100 images", "Step 2: 500 images", "All 60,000"]
    assert [b.label for b in at.button if b.proto.type == "primary"] == ["Step 2: 500 images"]


def test_evaluate_opens_with_every_setting_from_its_link():
    at = page("pages/3_Evaluate.py", n="100", test="500", index="7")
    assert not at.exception and not at.info
    assert at.select_slider[0].value == 500 and at.number_input[0].value == 7
    assert metric(at, "Wrong").endswith("of 500")
    assert any("on the first 100 training images" in c.value for c in at.caption)
    assert at.query_params == {"n": "100", "test": "500", "index": "7"}


def test_evaluate_widgets_write_the_url():
    at = page("pages/3_Evaluate.py", n="100")
    at.select_slider[0].set_value(1000).run()
    at.number_input[0].set_value(999).run()
    assert at.query_params == {"n": "100", "test": "1000", "index": "999"}
    at.select_slider[0].set_value(100).run()  # image 999 is not among the first 100: back to the lesson's 6
    assert not at.exception and at.number_input[0].value == 6
    assert at.query_params == {"n": "100", "test": "100", "index": "6"} and not at.info


def test_settings_survive_moving_between_pages():
    at = page("pages/2_Train.py")
    at.select_slider[0].set_value(200).run()
    at.radio[0].set_value("balanced").run()
    at.number_input[0].set_value(3).run()
    wanted = {"n": "200", "mode": "balanced", "seed": "3"}

    follow(at, "Evaluate", "pages/3_Evaluate.py")
    assert not at.exception and not at.info and model_params(at) == wanted
    assert any("balanced across digits (seed 3)" in c.value for c in at.caption)
    at.select_slider[0].set_value(1000).run()
    at.number_input[0].set_value(42).run()

    for label, path in [("Home", "app.py"), ("Explore the data", "pages/1_Explore.py"),
                        ("Draw a digit", "pages/4_Draw.py")]:
        follow(at, label, path)
        assert not at.exception and model_params(at) == wanted
        assert not [i for i in at.info if "does not use" in i.value]

    follow(at, "Train a model", "pages/2_Train.py")
    assert at.query_params == wanted and not at.info
    assert at.select_slider[0].value == 200 and at.radio[0].value == "balanced" and at.number_input[0].value == 3

    at.query_params.clear()  # Streamlit drops a page's parameters on a page switch: they are put back
    at.switch_page("pages/3_Evaluate.py").run()
    assert at.query_params == {**wanted, "test": "1000", "index": "42"}
    assert at.select_slider[0].value == 1000 and at.number_input[0].value == 42


def test_a_link_to_the_open_page_with_other_settings_changes_the_widgets():
    at = page("pages/2_Train.py", n="100")
    at.query_params.clear()
    at.query_params.update(n="1000", C="3")
    at.run()
    assert at.select_slider[0].value == 1000 and at.select_slider[1].value == 3.0
    assert at.query_params == {"n": "1000", "C": "3"}


def test_a_page_opened_with_settings_passes_them_on():
    at = page("pages/1_Explore.py", n="100", split="test")
    assert not [i for i in at.info if "does not use" in i.value]
    assert link_queries(at)["Train a model"] == "n=100"
    follow(at, "Train a model", "pages/2_Train.py")
    assert metric(at, ACCURACY) == "0.68"


def test_evaluate_with_settings_this_server_cannot_train_says_so(monkeypatch):
    from ui import resources

    monkeypatch.setattr(resources, "MAX_TRAIN", 5000)
    at = page("pages/3_Evaluate.py", n="60000", C="3")
    assert not at.exception
    assert any("at most 5,000 images" in i.value for i in at.info)
    assert not [m for m in at.metric if m.label == "Accuracy"]


@pytest.fixture
def draw_stub(tmp_path):
    """The app with stub pages; its Draw page wires the settings as the real one is to: ``settings.own_model()``."""
    from ui import site_map

    for name, entry in vars(site_map).items():
        if isinstance(entry, site_map.Page):
            (tmp_path / entry.path).parent.mkdir(exist_ok=True)
            (tmp_path / entry.path).write_text(f"from ui import frame, site_map\nframe.page(site_map.{name})\n")
    (tmp_path / "pages/4_Draw.py").write_text(
        "import streamlit as st\nfrom ui import frame, settings, site_map\n"
        "frame.page(site_map.DRAW)\nst.write(repr(settings.own_model()))\n")
    return tmp_path


def open_stub(root, path, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.switch_page(path)
    at.query_params.update(query)
    return at.run()


def test_draw_uses_the_views_model_and_keeps_it_in_its_url(draw_stub):
    at = open_stub(draw_stub, "pages/4_Draw.py", n="200", mode="random", seed="4")
    assert not at.exception and not at.info
    assert at.markdown[0].value == "ModelSpec(n=200, mode='random', seed=4, C=1.0, gamma='scale', kernel='rbf')"
    follow(at, "Home", "app.py")
    at.query_params.clear()  # a page switch without parameters: Draw puts the view's back
    at.switch_page("pages/4_Draw.py").run()
    assert at.query_params == {"n": "200", "mode": "random", "seed": "4"}
    assert "n=200, mode='random', seed=4" in at.markdown[0].value


def test_draw_without_settings_has_no_own_model(draw_stub):
    at = open_stub(draw_stub, "pages/4_Draw.py")
    assert at.markdown[0].value == "None" and at.query_params == {}


def test_draw_refuses_a_model_this_server_may_not_train_but_keeps_the_link(draw_stub, monkeypatch):
    from ui import resources

    monkeypatch.setattr(resources, "MAX_TRAIN", 5000)
    at = open_stub(draw_stub, "pages/4_Draw.py", n="60000", C="3")
    assert at.markdown[0].value == "None" and at.query_params == {"n": "60000", "C": "3"}
    at = open_stub(draw_stub, "pages/4_Draw.py", n="60000")  # the lesson's: ready-made with the app
    assert at.markdown[0].value.startswith("ModelSpec(n=60000")


def test_draw_notes_odd_settings(draw_stub):
    at = open_stub(draw_stub, "pages/4_Draw.py", n="lots", C="nan")
    assert len(at.info) == 2 and at.markdown[0].value.startswith("ModelSpec(n=500,")
    assert at.query_params == {"n": "500"}


def test_copy_link_holds_the_view_and_the_class_code_but_never_the_teacher_token():
    from digitlib.classroom.store import ClassStore

    new = ClassStore().create_class()
    at = page("pages/2_Train.py")
    at.context["url"] = f"{BASE}/Train"
    at.query_params.update({"class": new.code, "teacher": new.token, "n": "100", "C": "3", "utm_source": "x"})
    at.run().run()  # the second run: no browser script took the token out of the address (ui/class_session.py)
    assert not at.exception and "teacher" not in at.query_params
    assert copy_link_text(at) == f"{BASE}/Train?class={new.code}&n=100&C=3"

    follow(at, "Evaluate", "pages/3_Evaluate.py")
    assert copy_link_text(at) == f"{BASE}/Evaluate?class={new.code}&n=100&C=3&test=100&index=6"
    everything = " ".join(str(e.value) for e in [*at.code, *at.caption, *at.markdown, *at.info])
    assert "teacher" not in everything.replace("· teacher", "") and new.token not in everything


def test_copy_link_without_a_known_address_is_the_query_alone():
    at = page("pages/2_Train.py", n="100")
    assert copy_link_text(at) == "?n=100"


def test_every_link_on_every_page_carries_the_class_code_and_the_model_settings():
    from digitlib.classroom.store import ClassStore

    code = ClassStore().create_class().code
    carried = f"class={code}&n=300&mode=random&seed=4&C=3&gamma=auto&kernel=poly"
    at = page("pages/2_Train.py", **{"class": code}, n="300", mode="random", seed="4", C="3", gamma="auto",
              kernel="poly")
    for label, path in [("Home", "app.py"), ("Explore the data", "pages/1_Explore.py"),
                        ("Evaluate", "pages/3_Evaluate.py"), ("Draw a digit", "pages/4_Draw.py"),
                        ("Our class", "pages/5_Class.py"),
                        ("Compare with a neural network", "pages/6_Neural.py"), ("Train a model", "pages/2_Train.py")]:
        follow(at, label, path)
        assert not at.exception, label
        assert set(link_queries(at).values()) == {carried}, label
        if path == "app.py":  # the lesson's steps, as cards
            assert {link.proto.query_string for link in at.main.get("page_link")} == {carried}
    assert at.select_slider[0].value == 300 and at.selectbox[0].value == "poly"
