"""A drawing on Draw's canvas in AppTest: the canvas's value stands in for what the browser sends."""

import base64
import importlib
import io
import sys

import pytest
from PIL import Image

from digitlib.drawing import handwriting
from tests.support.apptest import page

DRAW = "pages/4_Draw.py"
SEVEN = handwriting.sloppy_drawings()[7]  # read as 7 by every model the page offers


def as_sent(picture: handwriting.Drawing) -> str:
    """The data URL the canvas sends for ``picture``: a 280 × 280 RGBA PNG."""
    buffer = io.BytesIO()
    Image.fromarray(handwriting.render(picture)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def canvas(monkeypatch):
    """The canvas of round ``canvas["round"]`` sends ``canvas["sent"]``; a cleared one (the next round) nothing."""
    if "ui.drawing" not in sys.modules:  # the canvas component registers itself only under a Streamlit runtime
        page(DRAW)
    drawing = importlib.import_module("ui.drawing")
    state = {"round": 0, "sent": None}
    monkeypatch.setattr(drawing, "drawing_canvas",
                        lambda pen, key: state["sent"] if key == f"canvas-{state['round']}" else None)
    return state
