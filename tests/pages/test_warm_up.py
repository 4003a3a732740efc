"""What a fresh server prepares in the background: once, after the run that asked, only when allowed."""

import threading

from digitlib.scoring import evaluate
from digitlib.svm.model_spec import ModelSpec
from ui import resources, warm_up


def test_the_warm_up_runs_once_after_the_run_that_asked_has_ended(monkeypatch):
    monkeypatch.setenv("DIGITS_WARMUP", "1")
    monkeypatch.setattr(warm_up, "_started", set())
    seen, ran, release = [], threading.Event(), threading.Event()

    def work():
        seen.append(run.is_alive())
        ran.set()

    def page_run():
        assert warm_up.after_run("test", work)
        assert not warm_up.after_run("test", lambda: seen.append("twice"))
        assert not ran.is_set()  # not while this run goes on
        release.wait(30)

    run = threading.Thread(target=page_run)
    run.start()
    release.set()
    assert ran.wait(30)
    run.join()
    assert seen == [False]


def test_nothing_is_warmed_up_when_turned_off(monkeypatch):
    monkeypatch.setenv("DIGITS_WARMUP", "0")
    monkeypatch.setattr(warm_up, "_started", set())
    assert not warm_up.after_run("test", lambda: None)
    assert warm_up._started == set()


def test_the_lessons_first_models_are_in_memory_after_the_warm_up():
    warm_up._lesson()
    mnist = resources._bundled()
    registry = resources._registry(mnist.fingerprint, mnist)
    assert all(registry.cached(spec) is not None for spec in warm_up.LESSON_SPECS)
    assert resources.evaluation(ModelSpec(n=100), evaluate.LESSON_TEST_SIZE, mnist).accuracy == 0.68
