"""A classroom against one real server: S students, each acting every 2-6 s, for a bounded time.

Usage: python bench/classroom.py [--students 30] [--duration 120] [--browsers 0] [--pretrain]

It starts ``streamlit run app.py`` on 127.0.0.1 (a free port, background training off, models
kept in --cache-dir; --pretrain first trains the learning-curve sizes up to 10,000 there). Each
student follows the lesson in a loop, waiting a seeded 2-6 s between actions: opens Home, opens
Train?n=100 and Train?n=500 by their links, moves the slider one step, follows the sidebar to
Evaluate and to Draw, and draws three digits (stroke by stroke, Clear between them).

Students are light clients (bench/streamlit_client.py: the browser's websocket protocol, no
browser), plus --browsers K headless chromium pages (Playwright) doing the same, to check the
light client against real browsers. It prints, per client and page, p50/p95 of the time until the
answer is on screen (light: the answer's delta arrived; chromium: visible and the run finished)
and until the run finished; for Draw the pen-up-to-prediction time; the drawings answered and
read right; every exception or error box seen; and the server's CPU-seconds per action, its
sampled RSS and peak RSS (/proc/<pid>/stat, VmRSS, VmHWM). It stops by itself: after --duration
each student finishes its action (at most --timeout more) and the server is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.streamlit_client import StreamlitClient, canvas_value  # noqa: E402
from browser import CHROMIUM, CHROMIUM_ARGS, app_server  # noqa: E402
from digitlib import handwriting  # noqa: E402

PEN = 18  # the Draw page's default pen width: both kinds of client draw with it
PAGES = ["Home", "Train ?n=100", "Train ?n=500", "Train slider", "Evaluate", "Draw", "Draw stroke", "Draw Clear"]


@dataclass
class Sample:
    client: str
    page: str
    answer: float | None  # seconds until the answer was on screen
    done: float | None  # seconds until the run finished
    errors: list[str] = field(default_factory=list)
    digit: int | None = None
    read: str | None = None
    element: object = None
    failed: bool = False
    lag: float | None = None  # chromium: until the page sent its rerun (the canvas's own work, for a stroke)


def is_metric(label_start: str):
    return lambda el: el.kind == "metric" and el.label.startswith(label_start)


ANSWERS = {  # what "answered" means on each page, for the light client
    "Home": lambda el: el.kind == "markdown" and el.text.startswith("**Loaded:**"),
    "Train": is_metric("Accuracy"),
    "Evaluate": is_metric("Accuracy"),
    "Draw": lambda el: el.kind == "bidi_component",
    "Draw stroke": lambda el: el.kind == "metric" and el.label == "Prediction",
}


class Light:
    """The lesson's actions for one light-client student."""

    kind = "light"

    def __init__(self, base: str, timeout: float):
        self.c = StreamlitClient(base, timeout=timeout)

    async def home(self):
        return self._sample("Home", await self.c.open("", until=ANSWERS["Home"]))

    async def train(self, n: int):
        return self._sample(f"Train ?n={n}", await self.c.open("Train", f"n={n}", until=ANSWERS["Train"]))

    async def slider(self, step: int):
        w = self.c.widget(label="Training images (N)")
        options = list(w.proto.options)
        at = int(w.proto.default[0]) if len(w.proto.default) else 0  # an index into the options
        self.c.set(w, options[min(max(at + step, 0), len(options) - 1)])
        return self._sample("Train slider", await self.c.rerun(until=ANSWERS["Train"]))

    async def evaluate(self):
        return self._sample("Evaluate", await self.c.goto("Evaluate", until=ANSWERS["Evaluate"]))

    async def draw_page(self):
        return self._sample("Draw", await self.c.goto("Draw", until=ANSWERS["Draw"]))

    async def clear(self):
        self.c.set(self.c.widget(label="Clear", kind="button"), True)
        return self._sample("Draw Clear", await self.c.rerun())

    async def draw(self, drawing, pause):
        canvas = self.c.widget(key="canvas-", kind="bidi_component")
        for k in range(1, len(drawing.strokes) + 1):
            part = replace(drawing, strokes=drawing.strokes[:k])
            self.c.set(canvas, canvas_value(handwriting.render(part), part.strokes, drawing.width))
            if k < len(drawing.strokes):  # the pen goes down again without waiting for the answer
                await self.c.rerun(wait="start")
                await asyncio.sleep(pause())
        answer = await self.c.rerun(until=ANSWERS["Draw stroke"])
        sample = self._sample("Draw stroke", answer)
        sample.digit, sample.read = drawing.digit, answer.element.text if answer.element else None
        return sample

    def _sample(self, page, answer):
        shown = answer.seconds if answer.answer_seconds is None else answer.answer_seconds
        return Sample(self.kind, page, shown, answer.seconds, answer.errors)

    async def close(self):
        await self.c.close()


class Chromium:
    """The same actions in a real headless chromium page, timed from its own websocket frames.

    A StreamlitClient observes the page's frames, so a run is recognised exactly as for the light
    client; the answer counts once its delta has arrived and the element is visible in the page.
    """

    kind = "chromium"

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
            for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
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


async def student(actor, rng, drawings, args, deadline, samples):
    """Follow the lesson in a loop until the deadline, pausing 2-6 s between actions."""
    def think():
        return rng.uniform(*args.think)

    def pause():  # between two strokes of one digit
        return rng.uniform(0.3, 0.8)

    async def lesson():  # (page, action); the slider moves one step from the link's 500
        yield "Home", lambda: actor.home()
        yield "Train ?n=100", lambda: actor.train(100)
        yield "Train ?n=500", lambda: actor.train(500)
        yield "Train slider", lambda: actor.slider(int(rng.choice([-1, 1])))
        yield "Evaluate", lambda: actor.evaluate()
        yield "Draw", lambda: actor.draw_page()
        for k in range(3):
            if k:
                yield "Draw Clear", lambda: actor.clear()
            yield "Draw stroke", lambda: actor.draw(drawings[int(rng.integers(len(drawings)))], pause)

    await asyncio.sleep(rng.uniform(0, args.think[1]))
    try:
        while time.perf_counter() < deadline:
            async for page, act in lesson():
                if time.perf_counter() >= deadline:
                    return
                try:
                    samples.append(await act())
                except Exception as exc:  # a timeout, a lost connection, a widget not found
                    error = f"{page} failed: {type(exc).__name__}: {exc}"[:300]
                    samples.append(Sample(actor.kind, page, None, None, [error], failed=True))
                    break  # start the lesson again from Home (a fresh session)
                await asyncio.sleep(think())
    finally:
        await actor.close()


def proc_stats(pid: int) -> tuple[float, float, float]:
    """The server's CPU seconds (user + system), RSS and peak RSS in MB."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


async def sample_server(pid, rss, stop):
    while not stop.is_set():
        rss.append(proc_stats(pid)[1])
        await asyncio.sleep(0.5)


def pct(values, q):
    return f"{np.percentile(values, q):6.2f}s" if values else "     -"


def report(samples, args, cpu, seconds, rss, start_rss, peak):
    print(f"\n{'client':9}{'page':15}{'n':>5}  {'answer p50':>10} {'p95':>7}  {'done p50':>9} {'p95':>7}  failed  with errors")
    groups = defaultdict(list)
    for s in samples:
        groups[(s.client, s.page)].append(s)
    order = {p: i for i, p in enumerate(PAGES)}
    for (client, page), group in sorted(groups.items(), key=lambda kv: (kv[0][0] != "light", kv[0][0], order[kv[0][1]])):
        answers = [s.answer for s in group if s.answer is not None]
        dones = [s.done for s in group if s.done is not None]
        errors, failed = sum(bool(s.errors) for s in group), sum(s.failed for s in group)
        print(f"{client:9}{page:15}{len(group):5}  {pct(answers, 50):>10} {pct(answers, 95):>7}  "
              f"{pct(dones, 50):>9} {pct(dones, 95):>7}  {failed:6}  {errors}")
    for client in sorted({s.client for s in samples}):
        drawn = [s for s in samples if s.client == client and s.page == "Draw stroke"]
        answered = [s for s in drawn if s.read is not None]
        right = sum(s.read == str(s.digit) for s in answered)
        ups = [s.answer for s in drawn if s.answer is not None]
        lags = [s.lag for s in drawn if s.lag is not None]
        sent = f" (of which the page took p50 {pct(lags, 50).strip()} to send the drawing)" if lags else ""
        print(f"{client}: pen-up to prediction p50 {pct(ups, 50).strip()}, p95 {pct(ups, 95).strip()}{sent}; "
              f"drawings answered {len(answered)} of {len(drawn)}, read right {right}"
              + (f" ({right / len(answered):.0%})" if answered else ""))
    errors = Counter(e for s in samples for e in s.errors)
    print("errors seen:" + ("" if errors else " none"))
    for text, count in errors.most_common():
        print(f"  {count:4} x {text}")
    actions = sum(not s.failed for s in samples)
    print(f"server: {actions} actions in {seconds:.0f} s ({actions / seconds:.1f}/s); CPU {cpu:.1f} s = "
          f"{cpu / max(actions, 1):.3f} CPU-s per action ({cpu / seconds:.2f} cores busy on average)")
    print(f"server memory: RSS {start_rss:.0f} MB before the students, max sampled {max(rss, default=0):.0f} MB, "
          f"peak (VmHWM) {peak:.0f} MB")


async def classroom(base, pid, args):
    rng = np.random.default_rng(args.seed)
    drawings = [replace(d, width=PEN) for d in handwriting.drawing_set(per_digit=10, seed=args.seed)]
    rng.shuffle(drawings)
    samples: list[Sample] = []
    actors = [Light(base, args.timeout) for _ in range(args.students)]
    playwright = browser = None
    if args.browsers:
        from playwright.async_api import async_playwright

        playwright = await async_playwright().start()
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(args.browsers):
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            actors.append(Chromium(base, args.timeout, context))
    load0 = os.getloadavg()[0]
    cpu0, start_rss, _ = proc_stats(pid)
    rss, stop = [], asyncio.Event()
    sampler = asyncio.ensure_future(sample_server(pid, rss, stop))
    t0 = time.perf_counter()
    deadline = t0 + args.duration
    tasks = [student(a, np.random.default_rng([args.seed, i]), drawings, args, deadline, samples)
             for i, a in enumerate(actors)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.duration + args.timeout + 30)
    finally:
        seconds = time.perf_counter() - t0
        cpu1, _, peak = proc_stats(pid)
        stop.set()
        await sampler
        if browser is not None:
            await browser.close()
            await playwright.stop()
    report(samples, args, cpu1 - cpu0, seconds, rss, start_rss, peak)
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"this script's own CPU (the light clients): {own.ru_utime + own.ru_stime:.1f} s")
    print(f"machine load average (1 min; {os.cpu_count()} cores, shared): {load0:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")


def pretrain(folder: Path, largest: int) -> None:
    from digitlib import data
    from digitlib.registry import CURVE_SIZES, ModelSpec, Registry

    start = time.perf_counter()
    registry = Registry(data.load(), folder)
    sizes = [n for n in CURVE_SIZES if n <= largest]
    for n in sizes:
        registry.ensure(ModelSpec(n=n))
    print(f"learning-curve models {', '.join(f'{n:,}' for n in sizes)} in {folder} "
          f"({time.perf_counter() - start:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30, help="light-client students (default 30)")
    parser.add_argument("--browsers", type=int, default=0, help="headless chromium students besides them")
    parser.add_argument("--duration", type=float, default=120, help="seconds of lesson (default 120)")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 6.0], help="pause between actions, s")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120, help="longest wait for one answer, s")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/digits-classroom/models"))
    parser.add_argument("--pretrain", action="store_true", help="train the curve sizes up to 10,000 first")
    parser.add_argument("--warmup", action="store_true", help="let the server train the learning curve too")
    args = parser.parse_args()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.pretrain:
        pretrain(args.cache_dir, 10_000)
    print(f"classroom: {args.students} light students + {args.browsers} chromium, {args.duration:.0f} s, "
          f"a pause of {args.think[0]:g}-{args.think[1]:g} s between actions, seed {args.seed}")
    with app_server(args.cache_dir, DIGITS_WARMUP="1" if args.warmup else "0") as base:
        print(f"server {base} (pid {base.pid}), models in {args.cache_dir}")
        asyncio.run(classroom(base, base.pid, args))


if __name__ == "__main__":
    main()
