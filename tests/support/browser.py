"""Helpers for the browser tests: a real app server and headless Debian chromium."""

from __future__ import annotations

import base64
import itertools
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    """Skip on a laptop without chromium; fail in CI, where it must be installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run should have installed Debian's chromium")
        pytest.skip(f"browser tests need {CHROMIUM} (Debian package 'chromium')")


class ServerURL(str):
    """The app's base URL, carrying the server's process id and its model folder."""

    def __new__(cls, url: str, pid: int, cache_dir: Path | None = None):
        obj = super().__new__(cls, url)
        obj.pid, obj.cache_dir = pid, cache_dir
        return obj


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(cache_dir: Path, **env_vars: str):
    """Start ``streamlit run app.py`` on a free port; yield its base URL (``.pid`` names the process)."""
    port = free_port()
    env = {**os.environ, "DIGITS_CACHE_DIR": str(cache_dir), "DIGITS_DATA_DIR": str(cache_dir.parent / "data"),
           **env_vars}
    log = open(cache_dir.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"the app did not start; see {log.name}") from None
                time.sleep(0.3)
        yield ServerURL(base, proc.pid, cache_dir)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_run(page, timeout: float = 120_000) -> None:
    """Wait until the app has rendered and its script has finished running."""
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=timeout)
    # Before the first run, placeholders (skeletons) stand where the elements will be.
    page.wait_for_function("!document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout)


def open_draw(browser, server, **context):
    """A new browser context (desktop-sized unless ``context`` says otherwise) on the Draw page, ready."""
    ctx = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | context))
    page = ctx.new_page()
    page.goto(server + "/Draw")
    wait_for_run(page)
    return page


def draw_strokes(page, canvas, strokes, steps: int = 12) -> None:
    """Draw polylines (canvas pixel coordinates) with real mouse strokes."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
            for t in range(1, steps + 1):
                page.mouse.move(box["x"] + x0 + (x1 - x0) * t / steps, box["y"] + y0 + (y1 - y0) * t / steps)
        page.mouse.up()


def touch_stroke(page, canvas, stroke, steps: int = 12) -> None:
    """Draw one polyline with a finger: real touch events through the DevTools protocol."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    cdp = page.context.new_cdp_session(page)

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": box["x"] + x, "y": box["y"] + y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", *stroke[0])
    for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
        for t in range(1, steps + 1):
            touch("touchMove", x0 + (x1 - x0) * t / steps, y0 + (y1 - y0) * t / steps)
    touch("touchEnd", 0, 0)


def expect(locator):
    """Playwright's retrying assertions, imported only when a browser test runs."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def prediction(page) -> str:
    """The Draw page's predicted digit, once it shows and the run has finished."""
    value = page.locator("[data-testid='stMetricValue']").first
    expect(value).to_be_visible(timeout=120_000)
    wait_for_run(page)
    return value.inner_text().strip()


# The class space: a teacher's page and students' drawings saved to the class set.
SAVE = "Save to our class set"


def new_page(browser, url):
    """A new desktop-sized browser context on ``url``, its first run finished."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url)
    wait_for_run(page)
    return page


def metric_value(page, label):
    """The shown value of the metric labelled ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    expect(box).to_be_visible(timeout=60_000)
    return box.locator("[data-testid='stMetricValue']").inner_text()


def start_class(browser, base):
    """Press "Start a new class" on a new page; the page (now the teacher's) and the class code."""
    page = new_page(browser, base + "/Class")
    page.get_by_role("button", name="Start a new class").click()
    wait_for_run(page)
    return page, metric_value(page, "Class code")


def draw_and_save(page, drawing):
    """Draw ``drawing``, mark the digit meant (when the model misread it: one click, and after Save
    one more to confirm), save it; the model's reading while drawing."""
    canvas = page.locator("[data-testid='stMain'] canvas").last
    draw_strokes(page, canvas, drawing.strokes)
    read = prediction(page)
    if read != str(drawing.digit):
        group = page.locator("[data-testid='stButtonGroup']").filter(has_text="0").last
        group.get_by_role("radio", name=str(drawing.digit), exact=True).click()  # a segmented control's options
        wait_for_run(page)
    page.get_by_role("button", name=SAVE).click()
    if read != str(drawing.digit):  # the page asks once: "The model read 3. Save it as an 8?"
        page.get_by_role("button", name=f"Yes, save it as {drawing.digit}").click(timeout=60_000)
    expect(page.get_by_text(f"Saved your {drawing.digit}")).to_be_visible(timeout=60_000)
    wait_for_run(page)  # the canvas clears itself for the next drawing
    return read


def server_store(server):
    """The class store of a server started by ``app_server`` (its SQLite file, shared with the test)."""
    from digitlib.classroom.store import ClassStore

    folder = server.cache_dir.parent / "data"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return ClassStore(f"sqlite:///{folder / 'digits.sqlite'}")


def sent_png_sizes(frames) -> list[tuple[int, int]]:
    """Width and height of each drawing PNG in the websocket frames a page sent (from the PNG header)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sizes = []
    for frame in frames:
        if isinstance(frame, str):
            continue
        msg = BackMsg()
        msg.ParseFromString(frame)
        for state in msg.rerun_script.widget_states.widgets:
            if state.WhichOneof("value") == "json_value" and '"drawing"' in state.json_value:
                url = (json.loads(state.json_value).get("drawing") or {}).get("data")
                if url:
                    png = base64.b64decode(url.split(",", 1)[1])
                    sizes.append(struct.unpack(">II", png[16:24]))
    return sizes
