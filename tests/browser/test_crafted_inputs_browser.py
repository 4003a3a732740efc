"""Crafted inputs through a real server (issue 16): refused before anything is decoded.

An outsider's small websocket client sent, in the Draw canvas's place, a 127 KiB PNG of
4000 × 4000 (the server's peak memory rose by about 700 MB), a GIF of 6000 × 6000 (+1.6 GB) and
a JPEG whose header claims 20000 × 20000 (an exception box). Here the light client
(bench/loadtest/client.py) sends each, and chromium sends one in place of a real stroke: the
server's peak memory (VmHWM) stays within 100 MB, the page says why the drawing was ignored,
and the next normal stroke is read. Home's data uploads likewise: hostile files are refused
from their headers, and an upload is held once for all sessions, by its hash.
"""

import asyncio
import gzip
import json
import struct
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from bench.crafted_inputs import jpeg_claiming, large_gif, large_png, small_png
from bench.loadtest.canvas import canvas_value, crafted_canvas_value, data_url
from bench.loadtest.client import StreamlitClient
from digitlib.drawing.handwriting import Drawing, render
from digitlib.mnist import data
from tests.support.browser import draw_strokes, expect, new_page, prediction, wait_for_run

pytestmark = pytest.mark.browser
MB = 1024  # kB per MB, as /proc counts
RISE_LIMIT_MB = 100
SEVEN = Drawing(7, [[(70.0, 60.0), (210.0, 60.0), (150.0, 150.0), (110.0, 235.0)]], 18, "a plain 7")
IGNORED = "could not be read"


def crafted():
    """Name -> (canvas value, what the notice names)."""
    return {
        "PNG 4000 x 4000": (crafted_canvas_value(data_url(large_png(4000))), "4,000 × 4,000 pixels"),
        "GIF 6000 x 6000": (crafted_canvas_value(data_url(large_gif(6000), "image/gif")), "a GIF"),
        "GIF 6000 x 6000 labelled PNG": (crafted_canvas_value(data_url(large_gif(6000))), "a GIF"),
        "JPEG claiming 20000 x 20000": (crafted_canvas_value(data_url(jpeg_claiming(20000), "image/jpeg")), "a JPEG"),
        "PNG 28 x 28": (crafted_canvas_value(data_url(small_png(28))), "28 × 28 pixels"),
        "data not text": (crafted_canvas_value({"x": 1}), "not a data URL"),
        "drawing not an object": ({"drawing": "x"}, "not a data URL"),
    }


def peak_mb(pid: int) -> float:
    """The server's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / MB
    raise LookupError("no VmHWM")


def restart_peak(pid: int) -> float:
    """Start the server's VmHWM afresh from its current memory where Linux allows; the peak now."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass  # the peak then includes loading MNIST: a rise is still seen if it goes beyond that
    return peak_mb(pid)


def test_crafted_canvas_values_are_refused_unread_and_the_next_drawing_is_read(server):
    async def session():
        client = StreamlitClient(server, fetch_media=False, timeout=180)
        try:
            await client.open("Draw")
            seven = canvas_value(render(SEVEN), SEVEN.strokes, SEVEN.width)
            client.set(client.widget(key="canvas-", kind="bidi_component"), seven)
            await client.rerun()
            assert client.metric("Prediction") == "7"  # MNIST and the model are in memory now
            for name, (value, named) in crafted().items():
                before = restart_peak(server.pid)
                client.set(client.widget(key="canvas-", kind="bidi_component"), value)
                answer = await client.rerun()
                rise = peak_mb(server.pid) - before
                assert answer.errors == [], name
                assert rise < RISE_LIMIT_MB, f"{name}: the server's peak memory rose by {rise:.0f} MB"
                assert client.metric("Prediction") is None, name
                notices = [t for t in client.texts("alert") if IGNORED in t]
                assert len(notices) == 1 and named in notices[0] and "was ignored" in notices[0], (name, notices)
                client.set(client.widget(key="canvas-", kind="bidi_component"), seven)
                await client.rerun()
                assert client.metric("Prediction") == "7", f"after {name}"
                assert not any(IGNORED in t for t in client.texts("alert")), f"after {name}"
            assert client.errors == []
        finally:
            await client.close()

    asyncio.run(session())


def crafting_route(page, data: str):
    """Route the page's websocket so that its next drawing reaches the server with ``data``
    in place of its PNG; later drawings pass unchanged. Returns a list that records each swap."""
    swapped = []

    def handle(ws):
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(swap(message)))
        server.on_message(ws.send)

    def swap(message):
        if swapped or isinstance(message, str):
            return message
        msg = BackMsg()
        msg.ParseFromString(message)
        for state in msg.rerun_script.widget_states.widgets:
            if state.WhichOneof("value") == "json_value" and '"drawing"' in state.json_value:
                value = json.loads(state.json_value)
                if value.get("drawing", {}).get("data"):
                    value["drawing"]["data"] = data
                    state.json_value = json.dumps(value)
                    swapped.append(True)
                    return msg.SerializeToString()
        return message

    page.route_web_socket("**/_stcore/stream", handle)
    return swapped


def test_in_chromium_a_crafted_drawing_shows_a_notice_and_the_next_stroke_is_read(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    swapped = crafting_route(page, data_url(large_png(4000)))
    page.goto(server + "/Draw")
    canvas = page.locator("[data-testid='stMain'] canvas").last
    expect(canvas).to_be_visible(timeout=120_000)
    before = restart_peak(server.pid)
    draw_strokes(page, canvas, [[(140, 40), (140, 240)]])  # reaches the server as the 4000 x 4000 PNG
    expect(page.get_by_text(IGNORED)).to_be_visible(timeout=60_000)
    assert swapped == [True]
    assert peak_mb(server.pid) - before < RISE_LIMIT_MB
    assert page.get_by_text("4,000 × 4,000 pixels").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    draw_strokes(page, canvas, [[(60, 40), (140, 40)]])  # the canvas itself holds both strokes: a 7
    assert prediction(page) == "7"
    expect(page.get_by_text(IGNORED)).to_have_count(0)
    assert page.locator("[data-testid='stException']").count() == 0
    ctx.close()


# --- Home's uploads --------------------------------------------------------------------------

def idx_files(mnist, shift=0, **override):
    """The four IDX files of a small MNIST (labels shifted by ``shift``), gzipped; some replaced."""
    small = {"x_train": mnist.x_train[:8], "y_train": (mnist.y_train[:8] + shift) % 10,
             "x_test": mnist.x_test[:4], "y_test": mnist.y_test[:4]}
    files = {data.IDX_NAMES[k] + ".gz": gzip.compress(data.to_idx_bytes(v)) for k, v in small.items()}
    return files | {data.IDX_NAMES[k] + ".gz": v for k, v in override.items()}


def upload(page, files: dict[str, bytes]):
    """Choose "My own files" on Home and upload ``files``."""
    page.get_by_text("My own files").click()
    wait_for_run(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        [{"name": name, "mimeType": "application/octet-stream", "buffer": raw} for name, raw in files.items()])
    wait_for_run(page)


def member_listing(entries: int) -> bytes:
    """A zip whose central directory lists ``entries`` one-letter members (and holds nothing else)."""
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    return entry * entries + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, entries * 47, 0, 0)


def test_hostile_uploads_are_refused_from_their_headers(browser, server, mnist):
    header = struct.pack(">IIII", data.IMAGE_MAGIC, 10, 28, 28)  # 10 images, then 4 GiB of zeros
    bomb = gzip.compress(header) + gzip.compress(bytes(64 * 2**20), compresslevel=9) * 64
    hostile = {
        "a zip listing 65,535 members": ({"mnist.npz": member_listing(65535)}, "its list of members takes"),
        "a gzip bomb behind a 10-image header": (idx_files(mnist, x_train=bomb), "gzip bomb"),
    }
    for name, (files, message) in hostile.items():
        page = new_page(browser, server)
        before = restart_peak(server.pid)
        upload(page, files)
        expect(page.get_by_text(message)).to_be_visible()
        assert peak_mb(server.pid) - before < RISE_LIMIT_MB, name
        assert page.locator("[data-testid='stException']").count() == 0, name
        expect(page.get_by_text("Loaded: bundled copy")).to_be_visible()
        page.context.close()


def test_an_upload_is_held_once_for_all_sessions_and_a_dropped_one_says_so(browser, server, mnist):
    first = new_page(browser, server)
    upload(first, idx_files(mnist))
    expect(first.get_by_text("Loaded: uploaded IDX files")).to_be_visible()
    first.get_by_role("link", name="Explore the data").click()
    wait_for_run(first)
    expect(first.get_by_text("(8, 28, 28)").first).to_be_visible()  # the session's data, from the shared cache
    for shift in (1, 2):  # two other sets of files: the server keeps the latest two
        other = new_page(browser, server)
        upload(other, idx_files(mnist, shift))
        expect(other.get_by_text("Loaded: uploaded IDX files")).to_be_visible()
        other.context.close()
    first.get_by_role("link", name="Train a model").click()
    wait_for_run(first)
    expect(first.get_by_text("this server no longer holds them")).to_be_visible()
    assert first.locator("[data-testid='stException']").count() == 0
    first.get_by_role("link", name="Explore the data").click()
    wait_for_run(first)
    expect(first.get_by_text("(60000, 28, 28)").first).to_be_visible()  # back on the bundled copy
    first.context.close()
