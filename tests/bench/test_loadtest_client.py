"""The load test's light websocket client (bench/loadtest/client.py) against a real app server, no browser."""

import asyncio
import time

import pytest

from bench.loadtest.canvas import canvas_value
from bench.loadtest.client import StreamlitClient
from digitlib.drawing.handwriting import Drawing, render

SEVEN = Drawing(7, [[(70.0, 60.0), (210.0, 60.0), (150.0, 150.0), (110.0, 235.0)]], 18, "a plain 7")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app, keeping its classes in a SQLite file the test can open too (``server.class_db``)."""
    from tests.support.browser import app_server

    folder = tmp_path_factory.mktemp("light")
    (folder / "data").mkdir()
    with app_server(folder / "models", DIGITS_DATA_DIR=str(folder / "data"), DIGITS_DATABASE_URL="") as base:
        base.class_db = f"sqlite:///{folder / 'data' / 'digits.sqlite'}"
        yield base


def is_prediction(el):
    return el.kind == "metric" and el.label == "Prediction"


def test_home_then_draw_a_seven(server):
    async def session():
        client = StreamlitClient(server, timeout=180)
        try:
            home = await client.open("")
            assert home.status == "FINISHED_SUCCESSFULLY"
            assert "Teaching a computer to read handwritten digits" in client.texts("heading")

            draw = await client.goto("Draw")
            assert draw.status == "FINISHED_SUCCESSFULLY"
            assert "Draw a digit" in client.texts("heading")
            assert client.metric("Prediction") is None

            canvas = client.widget(key="canvas-", kind="bidi_component")
            client.set(canvas, canvas_value(render(SEVEN), SEVEN.strokes, SEVEN.width))
            answer = await client.rerun(until=is_prediction)
            assert answer.element is not None and answer.element.text == "7"
            assert client.metric("Prediction") == "7"
            assert client.errors == []
        finally:
            await client.close()

    asyncio.run(session())


def test_a_class_follows_links_saves_and_times_auto_reruns(server):
    """What python -m bench.loadtest --class-space relies on: the query the page leaves in the address bar,
    sidebar links, a segmented control, a button in a fragment, and timed fragment auto-reruns."""
    from digitlib.classroom.store import ClassStore

    store = ClassStore(server.class_db)
    new = store.create_class()

    def saved(el):
        return el.kind == "alert" and el.text.startswith("Saved your")

    async def session():
        teacher, student = StreamlitClient(server, timeout=180), StreamlitClient(server, timeout=180)
        try:
            await teacher.open("Class", f"class={new.code}&teacher={new.token}")
            await teacher.rerun()  # a browser reloads without the token; this client runs no script
            assert teacher.query == f"class={new.code}"  # the token left the address
            teacher.widget(label="Ask the class", kind="button")  # the teacher's controls are there
            opened = time.perf_counter()

            await student.open("Draw", f"class={new.code}")
            student.set(student.widget(key="canvas-", kind="bidi_component"),
                        canvas_value(render(SEVEN), SEVEN.strokes, SEVEN.width))
            assert (await student.rerun(until=is_prediction)).element.text == "7"
            student.set(student.widget(label="The digit I drew", kind="button_group"), 1)  # say it is a 1
            await student.rerun()
            student.set(student.widget(label="Save to our class set", kind="button"), True)
            await student.rerun()  # the page asks once: the model read 7
            student.set(student.widget(label="Yes, save it as 1", kind="button"), True)
            answer = await student.rerun(until=saved)
            assert answer.element is not None and answer.element.text.startswith("Saved your 1 ")
            assert store.drawings(new.code).labels.tolist() == [1]

            await student.follow("Our class")
            assert (student.path, student.query) == ("Class", f"class={new.code}")
            assert student.metric("Drawings saved") == "1"

            # The teacher's board reruns itself every 5 s and its guesses every 4 s.
            await asyncio.sleep(max(0.0, 6.0 - (time.perf_counter() - opened)))
            timed = [run for run in teacher.auto_runs if run.answer is not None]
            assert {4.0, 5.0} <= {run.interval for run in timed}
            assert all(run.page == "Class" and run.answer.status.startswith("FINISHED") for run in timed)
            assert teacher.errors == [] and student.errors == []
        finally:
            await teacher.close()
            await student.close()
            store.close()

    asyncio.run(session())
