"""Canvas values as the Draw page's component sends them, and crafted ones an outsider could send."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image


def canvas_value(image: np.ndarray, strokes, pen: int, background: str = "#000000") -> dict:
    """What streamlit-drawable-canvas 0.13 sends when a stroke ends (``return_image_data=True``).

    A Components v2 widget value (``WidgetState.json_value``): ``{"drawing": {"raw": <Fabric.js
    canvas JSON, one Path per stroke>, "data": "data:image/png;base64,<the canvas as PNG>"}}``.
    The app reads only the PNG; the paths here are polylines where the browser sends curves.
    """
    buf = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buf, format="PNG")
    objects = []
    for stroke in strokes:
        xs, ys = [p[0] for p in stroke], [p[1] for p in stroke]
        objects.append({
            "type": "Path", "version": "7.4.0", "originX": "center", "originY": "center",
            "left": (min(xs) + max(xs)) / 2, "top": (min(ys) + max(ys)) / 2,
            "width": max(xs) - min(xs), "height": max(ys) - min(ys), "fill": None, "stroke": "#FFFFFF",
            "strokeWidth": pen, "strokeLineCap": "round", "strokeLineJoin": "round", "scaleX": 1, "scaleY": 1,
            "path": [["M", *stroke[0]], *[["L", x, y] for x, y in stroke[1:]]],
        })
    data = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return {"drawing": {"raw": {"version": "7.4.0", "objects": objects, "background": background}, "data": data}}


# Crafted canvas values: what a small websocket client can send in the drawing's place (issue 16).

def data_url(raw: bytes, mime: str = "image/png") -> str:
    """``raw`` as a data URL, whatever it holds (the canvas's own are ``image/png``)."""
    return f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")


def crafted_canvas_value(data) -> dict:
    """A canvas value with ``data`` where the canvas puts its PNG data URL (any JSON value goes)."""
    return {"drawing": {"raw": {"version": "7.4.0", "objects": [], "background": "#000000"}, "data": data}}
