"""AppTest: the Compare with a neural network page (/Neural), headless."""

import time

import pytest
from streamlit.testing.v1 import AppTest

from digitlib.neural import budget, files
from tests.support.apptest import click, follow, link_queries
from tests.support.apptest import page as settings_page
from tests.support.paths import ROOT

TRAIN = "Train the neural network"


def page(**query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/6_Neural.py")
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def button(at, label):
    return next(b for b in at.button if b.label == label)


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_nothing_trains_until_asked_and_the_button_says_what_it_will_do():
    at = page(n="1000")
    assert not at.exception
    assert at.title[0].value == "Compare with a neural network"
    assert not button(at, TRAIN).disabled
    assert "Neural network accuracy" not in metrics(at)
    assert any("50 passes over the first 1,000 training images" in c.value for c in at.caption)


def test_training_shows_the_network_beside_the_svm():
    at = page(n="100")
    button(at, TRAIN).click().run()
    deadline = time.time() + 240
    while "Neural network accuracy" not in metrics(at) and time.time() < deadline:
        assert not at.exception and not at.error, [e.value for e in at.error]
        time.sleep(1)
        at.run()
    shown = metrics(at)
    assert float(shown["Neural network accuracy"]) > 0.5
    assert shown["SVM accuracy"] == "0.6559"  # SVC() on the first 100, scored on all 10,000 test images
    assert {s.value for s in at.subheader} >= {"How it learned", "Where each one goes wrong", "What each costs",
                                               "What the network looks for"}
    assert list(at.dataframe[0].value["model"]) == ["Neural network", "SVM"]


@pytest.mark.parametrize("env", [{"DIGITS_NEURAL_MEMORY_MB": "600"}, {"DIGITS_NEURAL": "0"}])
def test_a_server_that_cannot_afford_it_says_so_and_offers_the_ready_made_networks(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ready = [net.n_train for net in files.shipped()]
    assert 500 in ready  # the app ships networks for the lesson's sizes
    at = page(n="1000")
    assert not at.exception
    assert button(at, TRAIN).disabled
    assert any("ready-made for N = " in i.value for i in at.info)
    at = page(n="500")  # a ready-made size: the comparison works without TensorFlow
    assert not at.exception
    assert float(metrics(at)["Neural network accuracy"]) > 0.85
    assert any("(ready-made with the app)" in c.value for c in at.caption)


def test_a_worker_over_its_memory_budget_is_stopped_and_the_page_says_why(monkeypatch):
    monkeypatch.setattr(budget, "NEED_MB", 100)
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", "250")  # TensorFlow alone needs about 700 MB
    at = page(n="300", mode="balanced", seed="11")
    button(at, TRAIN).click().run()
    deadline = time.time() + 120
    while not at.error and time.time() < deadline:
        assert not at.exception
        time.sleep(1)
        at.run()
    assert "250 MB" in at.error[0].value and "DIGITS_NEURAL_MEMORY_MB" in at.error[0].value
    assert "Traceback" not in at.error[0].value


def test_odd_parameters_get_the_defaults():
    at = page(n="lots", augment="maybe", mode="sideways")
    assert not at.exception
    assert at.toggle[0].value is False
    assert at.select_slider[0].value == 500


def test_draw_offers_the_biggest_network_beside_the_svm():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/4_Draw.py")
    at.run()
    assert not at.exception
    assert "The neural network (60,000 images)" in at.radio[0].options  # the one that ships with the app


def test_a_big_svm_not_trained_yet_is_left_to_train_not_trained_here(mnist):
    from digitlib.neural.spec import NetSpec
    from ui import neural

    job = neural.service().train(NetSpec(n=7_500), mnist)  # N = 7,500: no ready-made SVM for it
    assert job.event.wait(300) and job.state == "done", job.error
    at = page(n="7500")
    assert not at.exception
    assert "Neural network accuracy" not in metrics(at)
    assert any("is not trained yet" in i.value for i in at.info)  # Train does it in the background
    assert [(link.proto.label, link.proto.query_string) for link in at.main.get("page_link")] == \
        [("Train a model", "n=7500")]


def test_the_sidebar_link_from_train_opens_the_network_at_trains_n():
    at = settings_page("pages/2_Train.py", n="100")
    click(at, "Step 2: 500 images")  # as in the lesson: the link then says n=500
    assert link_queries(at)["Compare with a neural network"] == "n=500"
    follow(at, "Compare with a neural network", "pages/6_Neural.py")
    assert not at.exception and not at.info
    assert at.select_slider[0].value == 500 and at.query_params == {"n": "500"}
    assert any("50 passes over the first 500 training images" in c.value for c in at.caption)


def test_every_setting_a_link_carries_is_honoured_between_train_and_neural():
    wanted = {"n": "300", "mode": "balanced", "seed": "3", "C": "3"}
    at = settings_page("pages/2_Train.py", **wanted)
    follow(at, "Compare with a neural network", "pages/6_Neural.py")
    assert not at.exception and at.query_params == wanted
    assert (at.select_slider[0].value, at.radio[0].value, at.number_input[0].value) == (300, "balanced", 3)
    at.select_slider[0].set_value(1000).run()
    follow(at, "Train a model", "pages/2_Train.py")  # Neural shows no C: the link carries it on
    assert not at.exception and at.query_params == {**wanted, "n": "1000"}
    assert at.select_slider[0].value == 1000 and at.radio[0].value == "balanced" and at.select_slider[1].value == 3.0


def test_a_direct_link_opens_at_its_n():
    at = page(n="500")
    assert not at.exception and at.select_slider[0].value == 500 and at.query_params == {"n": "500"}
