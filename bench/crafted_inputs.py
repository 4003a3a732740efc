"""Crafted Draw canvas values against a fresh server: its peak memory and answer time for each.

Usage (from the repository root): python -m bench.crafted_inputs [--repeat 1]

Starts ``streamlit run app.py`` on 127.0.0.1 with an empty model store, opens Draw with the light
websocket client (bench/loadtest/client.py) and draws a 7 (MNIST and the model load). Then it
sends, in the canvas's place, each crafted value an outsider could send (issue 16): a PNG of
4000 × 4000, a GIF of 6000 × 6000, a JPEG whose header claims 20000 × 20000, a valid PNG of the
wrong size, values the component cannot unpack and a message over ``server.maxMessageSize``
(the server closes the connection; the client opens Draw again); then a normal 7. For each it prints
the server's resident memory before, its peak (VmHWM) while the message is handled, the rise,
the answer time and what the page showed. The peak counter is reset before each message
(``/proc/PID/clear_refs``), so each peak is that message's own.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from bench.loadtest.canvas import canvas_value, crafted_canvas_value, data_url
from bench.loadtest.client import StreamlitClient
from bench.loadtest.processes import memory_mb, reset_peak
from digitlib.drawing.handwriting import Drawing, render

SEVEN = Drawing(7, [[(70.0, 60.0), (210.0, 60.0), (150.0, 150.0), (110.0, 235.0)]], 18, "a plain 7")


# The crafted images of issue 16 (the tests send them too: test_image_bounds, test_crafted_inputs_browser).

def large_png(side: int = 4000) -> bytes:
    """A PNG of ``side`` × ``side`` RGBA pixels, a few strokes on black: 4000 × 4000 is about 96 KiB."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 255))
    pen = ImageDraw.Draw(image)
    for k in range(1, 8):
        pen.line([(side * k // 9, side // 10), (side // 2, side * 9 // 10)], fill=(255, 255, 255, 255),
                 width=side // 50)
    return _encoded(image, "PNG", optimize=True)


def large_gif(side: int = 6000) -> bytes:
    """A GIF of ``side`` × ``side`` pixels, a few white strokes on black: 6000 × 6000 is about 100 KiB."""
    image = Image.new("L", (side, side), 0)
    pen = ImageDraw.Draw(image)
    for k in range(1, 8):
        pen.line([(side * k // 9, side // 10), (side // 2, side * 9 // 10)], fill=255, width=side // 50)
    return _encoded(image, "GIF", optimize=False)  # white stays palette index 255, read as ink


def jpeg_claiming(side: int = 20000) -> bytes:
    """A tiny JPEG whose header (its SOF0 frame) claims ``side`` × ``side`` pixels."""
    raw = bytearray(_encoded(Image.new("L", (8, 8), 0), "JPEG"))
    at = raw.index(b"\xff\xc0") + 5  # marker, length (2), precision (1), then height and width
    raw[at:at + 4] = side.to_bytes(2, "big") * 2
    return bytes(raw)


def small_png(side: int = 28) -> bytes:
    """A valid PNG of the wrong size: ``side`` × ``side`` RGBA with a stroke."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 255))
    ImageDraw.Draw(image).line([(side // 2, 2), (side // 2, side - 3)], fill=(255, 255, 255, 255), width=2)
    return _encoded(image, "PNG")


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **options)
    return buf.getvalue()


def crafted_values() -> dict[str, object]:
    """Name -> canvas value: the issue's crafted images, then values of the wrong shape."""
    png, gif, jpeg, small = large_png(4000), large_gif(6000), jpeg_claiming(20000), small_png(28)
    return {
        f"PNG 4000 x 4000 ({len(png) / 1024:.0f} KiB)": crafted_canvas_value(data_url(png)),
        f"GIF 6000 x 6000 ({len(gif) / 1024:.0f} KiB)": crafted_canvas_value(data_url(gif, "image/gif")),
        f"GIF 6000 x 6000 labelled PNG ({len(gif) / 1024:.0f} KiB)": crafted_canvas_value(data_url(gif)),
        "JPEG claiming 20000 x 20000": crafted_canvas_value(data_url(jpeg, "image/jpeg")),
        "PNG 28 x 28 (valid, wrong size)": crafted_canvas_value(data_url(small)),
        "drawing as a string": {"drawing": "x"},
        "data as a number": crafted_canvas_value(5),
        "2 MB of base64 (over maxMessageSize)": crafted_canvas_value(data_url(bytes(1_500_000))),
    }


def shown(client: StreamlitClient) -> str:
    """What the Draw page's answer area shows: the prediction, a notice, or an error."""
    if client.errors:
        return "ERROR: " + client.errors[-1][:90]
    prediction = client.metric("Prediction")
    if prediction is not None:
        return f"prediction {prediction}"
    notes = client.texts("alert")
    return notes[0][:110] if notes else "(nothing)"


async def run(base, pid: int, repeat: int) -> None:
    client = StreamlitClient(base, fetch_media=False, timeout=300)
    try:
        await client.open("Draw")
        seven = canvas_value(render(SEVEN), SEVEN.strokes, SEVEN.width)
        sends = [("normal 7 (warm-up: MNIST, model)", seven)]
        for _ in range(repeat):
            sends += [*crafted_values().items(), ("normal 7 again", seven)]
        resets = True
        print(f"{'message':38s} {'RSS before':>10s} {'peak during':>11s} {'rise':>8s} {'answer':>7s}  page")
        for name, value in sends:
            before, _ = memory_mb(pid)
            resets = reset_peak(pid) and resets
            client.errors.clear()
            client.set(client.widget(key="canvas-", kind="bidi_component"), value)
            started = time.perf_counter()
            try:
                await client.rerun()
                page = shown(client)
            except ConnectionError as exc:
                page = f"connection closed by the server ({exc})"[:110]
                await client.open("Draw")
            seconds = time.perf_counter() - started
            _, peak = memory_mb(pid)
            print(f"{name:38s} {before:8.0f} MB {peak:8.0f} MB {peak - before:+6.0f} MB {seconds:6.2f}s  {page}")
        if not resets:
            print("(VmHWM could not be reset: each peak is the server's highest so far)")
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="send the crafted values this many times")
    args = parser.parse_args()
    from tests.support.browser import app_server  # only to run the bench (tests import the images above)

    with tempfile.TemporaryDirectory() as folder, app_server(Path(folder) / "models", DIGITS_WARMUP="0") as base:
        print(f"server {base} (pid {base.pid}), app in {Path.cwd()}")
        asyncio.run(run(base, base.pid, args.repeat))


if __name__ == "__main__":
    main()
