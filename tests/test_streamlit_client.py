"""The light websocket client (bench/streamlit_client.py) against a real app server, no browser."""

import asyncio

import pytest

from bench.streamlit_client import StreamlitClient, canvas_value
from digitlib.handwriting import Drawing, render

SEVEN = Drawing(7, [[(70.0, 60.0), (210.0, 60.0), (150.0, 150.0), (110.0, 235.0)]], 18, "a plain 7")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from browser import app_server

    with app_server(tmp_path_factory.mktemp("light") / "models") as base:
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
