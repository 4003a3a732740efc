"""A class in real browsers: a teacher starts it, two students save drawings and train models,
the server is killed with SIGKILL and restarted, and every drawing and experiment is still there.
The same with the class database on PostgreSQL (``DIGITS_DATABASE_URL``)."""

import os
import signal

import numpy as np
import pytest

from digitlib.classroom.store import ClassStore
from digitlib.drawing import handwriting
from tests.support.browser import (
    app_server,
    draw_and_save,
    expect,
    metric_value,
    new_page,
    require_chromium,
    start_class,
    wait_for_run,
)
from tests.support.databases import fresh_postgres_schema

pytestmark = pytest.mark.browser


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request):
    if request.param == "sqlite":
        yield {}
        return
    with fresh_postgres_schema(request.getfixturevalue("postgres_test_url")) as url:
        yield {"DIGITS_DATABASE_URL": url}


def test_a_class_survives_a_killed_server(browser, tmp_path, database_env):
    require_chromium()
    cache = tmp_path / "models"
    cache.mkdir()
    rng = np.random.default_rng(5)
    saved = {}
    with app_server(cache, **database_env) as base:
        teacher, code = start_class(browser, base)
        for student, digits in (("a", [1, 7, 4]), ("b", [7, 1, 2])):
            page = new_page(browser, f"{base}/Draw?class={code}")
            expect(page.get_by_role("button", name="Save to our class set")).to_have_count(0)  # it comes with a drawing
            for digit in digits:
                draw_and_save(page, handwriting.random_drawing(digit, rng))
                expect(page.get_by_text("Draw a digit on the black square")).to_be_visible()  # ready for the next
            if student == "a":  # a slip, saved and taken back
                draw_and_save(page, handwriting.random_drawing(9, rng))
                page.get_by_role("button", name="Undo my last save").click()
                expect(page.get_by_text("Removed your last saved drawing")).to_be_visible(timeout=60_000)
            saved[student] = digits
            page.goto(f"{base}/Train?class={code}&n={100 if student == 'a' else 200}")
            wait_for_run(page)
            page.get_by_role("button", name="Post to the class board").click(timeout=120_000)
            expect(page.get_by_text(f"This model is on class {code}'s board")).to_be_visible(timeout=120_000)
        os.kill(base.pid, signal.SIGKILL)

    with app_server(cache, **database_env) as base:
        page = new_page(browser, f"{base}/Class?class={code}")
        assert metric_value(page, "Drawings saved") == "6"
        assert metric_value(page, "Students who saved") == "2"
        page.get_by_role("tab", name="Board").click()
        expect(page.locator("[data-testid='stVegaLiteChart']:visible")).to_have_count(1, timeout=60_000)
        page.screenshot(path=str(tmp_path / "board.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0

    store = ClassStore(database_env.get("DIGITS_DATABASE_URL")
                       or f"sqlite:///{cache.parent / 'data' / 'digits.sqlite'}")
    drawings = store.drawings(code)
    assert sorted(drawings.labels.tolist()) == sorted(saved["a"] + saved["b"])
    assert len(set(drawings.drawers)) == 2
    assert sorted(e.n for e in store.experiments(code)) == [100, 200]
    assert len({e.drawer for e in store.experiments(code)}) == 2
