"""One chromium student: the same actions in a real headless page (Playwright)."""

from __future__ import annotations

import asyncio
import itertools
import re
import time

from bench.loadtest.client import StreamlitClient
from bench.loadtest.pages import ANSWERS, NEURAL_TITLE
from bench.loadtest.samples import Sample


class Chromium:
    """The same actions in a real headless chromium page, timed from its own websocket frames.

    A StreamlitClient observes the page's frames, so a run is recognised exactly as for the light
    client; the answer counts once its delta has arrived and the element is visible in the page.
    """

    kind = "chromium"
    code = None  # not in a class (--class-space drives light clients only)

    def __init__(self, base: str, timeout: float, context):
        self.base, self.timeout, self.context, self.page = base, timeout, context, None
        self.trackers: list[StreamlitClient] = []

    def _watch(self, ws):
        tracker = StreamlitClient(self.base, fetch_media=False, timeout=self.timeout)
        self.trackers.append(tracker)
        ws.on("framereceived", lambda payload: tracker.observe(_bytes(payload)))
        ws.on("framesent", lambda payload: tracker.observe(_bytes(payload), sent=True))

    async def _open(self, path):
        if self.page is None:
            self.page = await self.context.new_page()
            self.page.on("websocket", self._watch)
        await self.page.goto(self.base + path)

    async def _request_after(self, t):
        """The first rerun the page asked for after ``t`` (and the tracker of its connection)."""
        limit = time.perf_counter() + self.timeout
        while time.perf_counter() < limit:
            for tracker in reversed(self.trackers):
                request = next((r for r in tracker.requests if r[1] >= t), None)
                if request is not None:
                    return tracker, request
            await asyncio.sleep(0.01)
        raise TimeoutError("the page sent no rerun")

    def _metric(self, label):
        label_el = self.page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}"))
        return self.page.locator("[data-testid='stMetric']").filter(has=label_el).first

    def _canvas(self):  # the drawing component's top layer (a chart may be a canvas too)
        return self.page.locator("[data-testid='stMain'] [data-testid^='stBidiComponent'] canvas").last

    async def _timed(self, page, act, until=None, visible=None, t=None):
        t = time.perf_counter() if t is None else t
        await act()
        tracker, request = await self._request_after(t)
        answer = await tracker.answer_to(request, until)
        shown = answer.answered or answer.finished
        if visible is not None:  # a locator, or a function giving one once the page exists
            visible = visible() if callable(visible) else visible
            await visible.wait_for(timeout=self.timeout * 1000)
            shown = max(shown, time.perf_counter())
        sample = Sample(self.kind, page, shown - t, answer.finished - t, answer.errors)
        sample.element, sample.lag = answer.element, request[1] - t
        return sample

    async def home(self):
        return await self._timed("Home", lambda: self._open("/"), ANSWERS["Home"],
                                 lambda: self.page.get_by_text("Loaded:").first)

    async def train(self, n):
        return await self._timed(f"Train ?n={n}", lambda: self._open(f"/Train?n={n}"), ANSWERS["Train"],
                                 lambda: self._metric("Accuracy"))

    async def slider(self, step):
        async def move():
            await self.page.get_by_role("slider").first.focus()
            await self.page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
        return await self._timed("Train slider", move, ANSWERS["Train"], self._metric("Accuracy"))

    async def _link(self, name):
        await self.page.get_by_role("link", name=name).first.click()

    async def evaluate(self):
        return await self._timed("Evaluate", lambda: self._link("Evaluate"), ANSWERS["Evaluate"],
                                 self._metric("Accuracy"))

    async def draw_page(self):
        return await self._timed("Draw", lambda: self._link("Draw a digit"), ANSWERS["Draw"], self._canvas())

    async def neural(self, n):
        return await self._timed("Neural", lambda: self._open(f"/Neural?n={n}"), ANSWERS["Neural"],
                                 lambda: self.page.get_by_role("heading", name=NEURAL_TITLE))

    async def clear(self):
        return await self._timed("Draw Clear", lambda: self.page.get_by_role("button", name="Clear").click())

    async def draw(self, drawing, pause, steps=12):
        canvas = self._canvas()
        await canvas.scroll_into_view_if_needed()
        box = await canvas.bounding_box()
        mouse = self.page.mouse
        for k, stroke in enumerate(drawing.strokes):
            if k:
                await asyncio.sleep(pause())
            await mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            await mouse.down()
            for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
                for t in range(1, steps + 1):
                    await mouse.move(box["x"] + x0 + (x1 - x0) * t / steps, box["y"] + y0 + (y1 - y0) * t / steps)
            pen_up = time.perf_counter()
            await mouse.up()
        sample = await self._timed("Draw stroke", lambda: asyncio.sleep(0), ANSWERS["Draw stroke"],
                                   self._metric("Prediction$"), t=pen_up)
        sample.digit = drawing.digit
        sample.read = sample.element.text if sample.element is not None else None
        return sample

    async def close(self):
        await self.context.close()


def _bytes(payload) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode()
