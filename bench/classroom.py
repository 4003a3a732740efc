"""A classroom against one real server: S students, each acting every 2-6 s, for a bounded time.

Usage: python bench/classroom.py [--students 30] [--duration 120] [--browsers 0] [--pretrain]
       python bench/classroom.py --class-space [--postgres | --database-url URL] [--students 30] [--duration 120]
       python bench/classroom.py --neural 60000 [--students 30] [--duration 120]

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

--class-space: the whole class uses the class space. The bench starts a class itself
(``ClassStore.create_class()`` on the server's database: a fresh SQLite file in a new
DIGITS_DATA_DIR, or --database-url, or --postgres: a private PostgreSQL server on 127.0.0.1
started from Debian's binaries as tests/support/databases.py does, stopped at the end). A teacher
session opens /Class?class=CODE&teacher=TOKEN, asks the class a question and keeps the page open
(its board refreshes every 5 s, its guesses every 4 s). Each student, in a loop: opens the
students' link /Class?class=CODE and submits a guess; opens /Train?class=CODE&n=100 and n=500
(each model lands on the board) and moves the slider; follows the sidebar to Evaluate and to Draw;
draws three digits, each followed by "Save to our class set" (correcting "The digit I drew" first
if the model misread it); follows the sidebar to Our class and stays there --linger seconds, while
its board (every 15 s) and guesses (every 10 s) refresh themselves. Fragment auto-reruns are
timed too ("(auto)"). Afterwards the bench reads the class back from the database: the saves the
page acknowledged must be there, each once, pixel for pixel; so must the models the pages said were
on the board and the guesses acknowledged. The server's log is searched for tracebacks.

--neural N: a neural network is trained during the lesson. Before the students come in, a teacher
light client opens /Neural?n=N and presses "Train the neural network", then keeps the page open
(its progress fragment reruns every second and reruns the page when the network is ready; the
page is opened again only if it stops refreshing itself) until the metric "Neural network
accuracy" is on it, however long after the lesson that is (at most --neural-wait). Each student,
on its first round, opens /Neural?n=N once after Home ("Neural": until the page's title, or the
accuracy if it is there); the bench counts what those visits showed (progress, the accuracy, or a
training button: then the page did not see the teacher's training). Afterwards: the time from the
click to the accuracy on the teacher's page, both accuracies, the worker's peak RSS and CPU (the
child of the server whose command line names digitlib.neural.worker, sampled with the server), the
networks trained (cnn-*.json in <cache-dir>/neural/: 1 expected) and whether the server ever
loaded TensorFlow (its /proc/<pid>/maps at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.streamlit_client import StreamlitClient, canvas_value  # noqa: E402
from digitlib.drawing import handwriting, preprocess  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server  # noqa: E402

PEN = 18  # the Draw page's default pen width: both kinds of client draw with it
PAGES = ["Home", "Class", "Class guess", "Train ?n=100", "Train ?n=500", "Train slider", "Evaluate", "Draw",
         "Draw stroke", "Draw label", "Draw Save", "Draw Clear", "Class by link", "Class board (auto)",
         "Class guess (auto)", "Train progress (auto)", "Neural", "Neural progress (auto)", "Teacher Class",
         "Teacher ask", "Teacher Neural", "Teacher train network"]
SAVE, SAVED = "Save to our class set", re.compile(r"^Saved your (\d) to the class set")
ON_BOARD = "This model is on class"
POST = "Post to the class board"
# Which fragment an auto-rerun was, from its interval (pages/5_Class.py: students' board 15 s and
# guesses 10 s, the teacher's 5 s and 4 s; pages/2_Train.py: training progress 1 s).
AUTO = {15.0: "Class board (auto)", 5.0: "Class board (auto)", 10.0: "Class guess (auto)",
        4.0: "Class guess (auto)", 1.0: "Train progress (auto)"}
AUTO_PAGES = {"Neural": "Neural progress (auto)"}  # pages/6_Neural.py's progress reruns every 1 s too
NEURAL_TITLE, TRAIN_NET = "Compare with a neural network", "Train the neural network"
NET_METRIC, SVM_METRIC = "Neural network accuracy", "SVM accuracy"
NEURAL_STALE = 10.0  # s: the teacher's page is opened again if no run has started for this long


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
    saved: tuple[int, bytes] | None = None  # a save the page acknowledged: its digit and expected 28 x 28 pixels
    posted: bool = False  # after "Post to the class board", the Train page said this model is on the board
    guessed: bool = False  # the Class page acknowledged a guess
    at: float | None = None  # when it was asked for (time.perf_counter())
    neural: str | None = None  # what /Neural showed: "accuracy", "progress", "button" or "nothing"


def is_metric(label_start: str):
    return lambda el: el.kind == "metric" and el.label.startswith(label_start)


def is_confirm(el) -> bool:
    """Draw's "Yes, save it as N", shown once when the digit chosen is not the model's reading."""
    return el.kind == "button" and (el.label or "").startswith("Yes, save it as")


ANSWERS = {  # what "answered" means on each page, for the light client
    "Home": lambda el: el.kind == "markdown" and el.text.startswith("**Loaded:**"),
    "Train": is_metric("Accuracy"),
    "Train post": lambda el: el.kind == "markdown" and el.text.startswith(ON_BOARD),
    "Evaluate": is_metric("Accuracy"),
    "Draw": lambda el: el.kind == "bidi_component",
    "Draw stroke": lambda el: el.kind == "metric" and el.label == "Prediction",
    "Class": lambda el: el.kind == "metric" and el.label == "Drawings saved",
    "Draw Save": lambda el: el.kind == "alert" and bool(SAVED.match(el.text)),
    "Class guess": lambda el: el.kind == "toast",
    "Neural": lambda el: el.kind == "heading" and el.text == NEURAL_TITLE,
}


def net_metric(elements):
    """The metric "Neural network accuracy" among a page's elements, or None."""
    return next((el for el in elements if el.kind == "metric" and el.label == NET_METRIC), None)


def neural_state(elements) -> str:
    """What the Neural page shows: the network's accuracy, its training's progress, or the button to train it."""
    elements = list(elements)
    if net_metric(elements) is not None:
        return "accuracy"
    if any(el.kind == "progress" for el in elements):
        return "progress"
    return "button" if any(el.kind == "button" and el.label == TRAIN_NET for el in elements) else "nothing"


class Light:
    """The lesson's actions for one light-client student."""

    kind = "light"

    def __init__(self, base: str, timeout: float, code: str | None = None, kind: str | None = None):
        """``code``: a class the student belongs to (its links carry ``?class=CODE``)."""
        self.c = StreamlitClient(base, timeout=timeout)
        self.code, self.kind = code, kind or self.kind

    def _query(self, *more: str) -> str:
        return "&".join(([f"class={self.code}"] if self.code else []) + list(more))

    async def home(self):
        return self._sample("Home", await self.c.open("", until=ANSWERS["Home"]))

    async def train(self, n: int):
        answer = await self.c.open("Train", self._query(f"n={n}"), until=ANSWERS["Train"])
        return await self._post(self._sample(f"Train ?n={n}", answer))

    async def _post(self, sample):
        """In a class, press "Post to the class board" if the model is not on it yet; ``sample.posted``
        says whether the page then said it is."""
        try:
            button = self.c.widget(label=POST, kind="button")
        except LookupError:  # not in a class, or this model is on the board already
            return sample
        self.c.set(button, True)
        answer = await self.c.rerun(until=ANSWERS["Train post"])
        sample.posted = answer.element is not None
        sample.errors = sample.errors + answer.errors
        return sample

    async def slider(self, step: int):
        w = self.c.widget(label="Training images (N)")
        options = list(w.proto.options)
        at = int(w.proto.default[0]) if len(w.proto.default) else 0  # an index into the options
        self.c.set(w, options[min(max(at + step, 0), len(options) - 1)])
        answer = await self.c.rerun(until=ANSWERS["Train"])
        return await self._post(self._sample("Train slider", answer))

    async def _link(self, page, label, until):
        """In a class, click the sidebar link (it carries the class and the view's settings)."""
        return await (self.c.follow(label, until=until) if self.code else self.c.goto(page, until=until))

    async def evaluate(self):
        return self._sample("Evaluate", await self._link("Evaluate", "Evaluate", ANSWERS["Evaluate"]))

    async def draw_page(self):
        return self._sample("Draw", await self._link("Draw", "Draw a digit", ANSWERS["Draw"]))

    # -- the neural network -------------------------------------------------------------------

    async def neural(self, n: int, page: str = "Neural"):
        """Open /Neural?n=N: answered by the page's title, or by the network's accuracy if it is there."""
        answer = await self.c.open("Neural", f"n={n}", until=ANSWERS["Neural"])
        sample = self._sample(page, answer)
        sample.neural = neural_state(self.c.elements.values())
        metric = net_metric(self.c.elements.values())
        if metric is not None:
            sample.answer = metric.at - answer.sent
        return sample

    async def train_network(self):
        """Teacher, on /Neural: press "Train the neural network"."""
        try:
            button = self.c.widget(label=TRAIN_NET, kind="button")
        except LookupError:
            raise SystemExit(f"/Neural shows no \"{TRAIN_NET}\" button (it shows: "
                             f"{neural_state(self.c.elements.values())}); use a fresh --cache-dir") from None
        if button.proto.disabled:
            raise SystemExit(f"/Neural cannot train here: {' '.join(self.c.texts('alert'))}")
        self.c.set(button, True)
        return self._sample("Teacher train network", await self.c.rerun())

    async def await_network(self, n: int, limit: float, samples: list):
        """Teacher: keep /Neural open until the network's accuracy is on it and that run has finished.

        Returns the metric and when its run finished (None, None at ``limit``). The page refreshes
        itself (its progress fragment, then a full rerun); if no run started for NEURAL_STALE
        seconds, it is opened again, as a teacher would reload it.
        """
        opened = time.perf_counter()
        while time.perf_counter() < limit:
            metric = net_metric(self.c.elements.values())
            run = metric and next((r for r in self.c.runs if r.run_id == metric.run_id), None)
            if metric is not None and (run is None or run.finished is not None):
                return metric, run.finished if run else None
            latest = max([opened] + [r.started for r in self.c.runs[-1:]])
            if metric is None and time.perf_counter() - latest > NEURAL_STALE:
                opened = time.perf_counter()
                try:
                    samples.append(await self.neural(n, "Teacher Neural"))
                except Exception as exc:  # a timeout, a lost connection: try again after NEURAL_STALE
                    samples.append(Sample(self.kind, "Teacher Neural", None, None,
                                          [f"Teacher Neural failed: {type(exc).__name__}: {exc}"[:300]], failed=True))
            await asyncio.sleep(0.2)
        return None, None

    # -- the class space --------------------------------------------------------------------

    async def join(self, teacher_token: str | None = None):
        """Open the students' link (or, with the token, the teacher's)."""
        more = [f"teacher={teacher_token}"] if teacher_token else []
        page = "Teacher Class" if teacher_token else "Class"
        if not teacher_token:
            return self._sample(page, await self.c.open("Class", self._query(*more), until=ANSWERS["Class"]))
        # A browser keeps the token in a cookie and reloads without it; this client runs no script, so the
        # session's second run takes the token out of the address instead (ui/class_session.py).
        opened = await self.c.open("Class", self._query(*more))
        answer = await self.c.rerun(until=ANSWERS["Class"])
        answer.sent = opened.sent
        return self._sample(page, answer)

    async def class_page(self):
        return self._sample("Class by link", await self.c.follow("Our class", until=ANSWERS["Class"]))

    async def ask(self):
        """Teacher: press "Ask the class" (the question's N is the page's default)."""
        self.c.set(self.c.widget(label="Ask the class", kind="button"), True)
        return self._sample("Teacher ask", await self.c.rerun())

    async def guess(self):
        """Press "Submit my guess" (the slider's default), if the teacher's question is showing."""
        try:
            button = self.c.widget(label="Submit my guess", kind="button")
        except LookupError:
            return None
        self.c.set(button, True)
        answer = await self.c.rerun(until=ANSWERS["Class guess"])
        sample = self._sample("Class guess", answer)
        sample.guessed = answer.element is not None and answer.element.text.startswith("Guess submitted")
        return sample

    async def label(self, digit: int):
        """Set "The digit I drew" (preset to the prediction) to the digit really drawn."""
        self.c.set(self.c.widget(label="The digit I drew", kind="button_group"), digit)
        return self._sample("Draw label", await self.c.rerun())

    async def save(self, pixels: bytes):
        """Press "Save to our class set"; ``pixels``: the 28 x 28 input the drawing should be saved as."""
        self.c.set(self.c.widget(label=SAVE, kind="button"), True)
        answer = await self.c.rerun(until=lambda el: ANSWERS["Draw Save"](el) or is_confirm(el))
        if answer.element is not None and is_confirm(answer.element):  # a corrected label is asked about once
            first = answer.sent
            self.c.set(answer.element, True)
            answer = await self.c.rerun(until=ANSWERS["Draw Save"])
            answer.sent = first
        sample = self._sample("Draw Save", answer)
        if answer.element is not None:
            sample.saved = (int(SAVED.match(answer.element.text).group(1)), pixels)
        return sample

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
        return Sample(self.kind, page, shown, answer.seconds, answer.errors, at=answer.sent)

    async def close(self):
        await self.c.close()


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


async def student(actor, rng, drawings, args, deadline, samples, pixels=None):
    """Follow the lesson in a loop until the deadline, pausing 2-6 s between actions."""
    def think():
        return rng.uniform(*args.think)

    def pause():  # between two strokes of one digit
        return rng.uniform(0.3, 0.8)

    order = iter(np.tile(rng.permutation(len(drawings)), 100))  # a session never draws the same one twice

    async def class_lesson():
        yield "Class", lambda: actor.join()
        yield "Class guess", lambda: actor.guess()
        yield "Train ?n=100", lambda: actor.train(100)
        yield "Train ?n=500", lambda: actor.train(500)
        yield "Train slider", lambda: actor.slider(int(rng.choice([-1, 1])))
        yield "Evaluate", lambda: actor.evaluate()
        yield "Draw", lambda: actor.draw_page()
        for _ in range(3):
            i = int(next(order))
            drawn = []
            yield "Draw stroke", lambda drawn=drawn, i=i: _keep(drawn, actor.draw(drawings[i], pause))
            if drawn and drawn[0].read != str(drawings[i].digit):
                yield "Draw label", lambda i=i: actor.label(drawings[i].digit)
            yield "Draw Save", lambda i=i: actor.save(pixels[i])
        yield "Class by link", lambda: actor.class_page()
        yield "linger", None  # reads the board while it refreshes itself

    async def lesson(first: bool):  # (page, action); the slider moves one step from the link's 500
        yield "Home", lambda: actor.home()
        if first and args.neural:  # once per student: the network the teacher is training
            yield "Neural", lambda: actor.neural(args.neural)
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
        first = True
        while time.perf_counter() < deadline:
            async for page, act in (class_lesson() if actor.code else lesson(first)):
                if time.perf_counter() >= deadline:
                    return
                if act is None:  # stay on the page
                    await asyncio.sleep(rng.uniform(*args.linger))
                    continue
                try:
                    sample = await act()
                    if sample is not None:
                        samples.append(sample)
                except Exception as exc:  # a timeout, a lost connection, a widget not found
                    error = f"{page} failed: {type(exc).__name__}: {exc}"[:300]
                    samples.append(Sample(actor.kind, page, None, None, [error], failed=True))
                    break  # start the lesson again from Home (a fresh session)
                await asyncio.sleep(think())
            first = False
    finally:
        await actor.close()


async def _keep(into: list, action):
    sample = await action
    into.append(sample)
    return sample


async def teacher(actor, token, deadline, samples):
    """The teacher: opens the teacher's link, asks the class a question, keeps the page open."""
    try:
        for act in (lambda: actor.join(token), lambda: actor.ask()):
            try:
                samples.append(await act())
            except Exception as exc:
                samples.append(Sample(actor.kind, "Teacher Class", None, None,
                                      [f"teacher failed: {type(exc).__name__}: {exc}"[:300]], failed=True))
                return
        await asyncio.sleep(max(0.0, deadline - time.perf_counter()))
    finally:
        await actor.close()


def auto_samples(actor) -> list[Sample]:
    """The fragment auto-reruns one client sent, as samples (those cut short by leaving the page left out)."""
    out = []
    for auto in actor.c.auto_runs:
        page = AUTO_PAGES.get(auto.page) or AUTO.get(auto.interval, f"{auto.page} (auto {auto.interval:g} s)")
        if auto.answer is not None:
            out.append(Sample(actor.kind, page, auto.answer.seconds, auto.answer.seconds, auto.answer.errors,
                              at=auto.answer.sent))
        elif auto.error is not None and auto.error.startswith("no answer"):
            out.append(Sample(actor.kind, page, None, None, [f"{page}: {auto.error}"], failed=True))
    return out


def proc_stats(pid: int) -> tuple[float, float, float]:
    """The server's CPU seconds (user + system), RSS and peak RSS in MB."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


@dataclass
class Worker:
    """The server's neural worker (a child whose command line names it), sampled beside the server."""

    server: int
    pid: int | None = None
    peak_rss: float = 0.0  # the largest VmRSS sampled, MB
    hwm: float = 0.0  # the largest VmHWM seen (the kernel's own peak), MB
    cpu: dict[int, float] = field(default_factory=dict)  # CPU seconds of each worker process, last seen

    def sample(self) -> None:
        if self.pid is None or not Path(f"/proc/{self.pid}").exists():
            self.pid = find_child(self.server, b"digitlib.neural.worker")
        if self.pid is None:
            return
        try:
            cpu, rss, hwm = proc_stats(self.pid)
        except (OSError, KeyError):  # it has just ended (a zombie has no VmRSS)
            self.pid = None
            return
        self.cpu[self.pid] = cpu
        self.peak_rss, self.hwm = max(self.peak_rss, rss), max(self.hwm, hwm)


def find_child(parent: int, name: bytes) -> int | None:
    """A child process of ``parent`` whose command line contains ``name``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if int(text[text.rindex(")") + 2:].split()[1]) == parent and name in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, ValueError):
            continue  # it ended meanwhile
    return None


async def sample_server(pid, rss, stop, worker: Worker | None = None):
    while not stop.is_set():
        rss.append(proc_stats(pid)[1])
        if worker is not None:
            worker.sample()
        await asyncio.sleep(0.5)


def pct(values, q):
    return f"{np.percentile(values, q):6.2f}s" if values else "     -"


def report(samples, args, cpu, seconds, rss, start_rss, peak, t0):
    print(f"\n{'client':9}{'page':22}{'n':>5}  {'answer p50':>10} {'p95':>7}  {'done p50':>9} {'p95':>7}  "
          "failed  with errors")
    groups = defaultdict(list)
    for s in samples:
        groups[(s.client, s.page)].append(s)
    order = {p: i for i, p in enumerate(PAGES)}
    kinds = {"light": 0, "teacher": 1}
    for (client, page), group in sorted(groups.items(), key=lambda kv: (kinds.get(kv[0][0], 2), kv[0][0],
                                                                         order.get(kv[0][1], len(order)), kv[0][1])):
        answers = [s.answer for s in group if s.answer is not None]
        dones = [s.done for s in group if s.done is not None]
        errors, failed = sum(bool(s.errors) for s in group), sum(s.failed for s in group)
        print(f"{client:9}{page:22}{len(group):5}  {pct(answers, 50):>10} {pct(answers, 95):>7}  "
              f"{pct(dones, 50):>9} {pct(dones, 95):>7}  {failed:6}  {errors}")
    for client in sorted({s.client for s in samples if s.page == "Draw stroke"}):
        drawn = [s for s in samples if s.client == client and s.page == "Draw stroke"]
        answered = [s for s in drawn if s.read is not None]
        right = sum(s.read == str(s.digit) for s in answered)
        ups = [s.answer for s in drawn if s.answer is not None]
        lags = [s.lag for s in drawn if s.lag is not None]
        sent = f" (of which the page took p50 {pct(lags, 50).strip()} to send the drawing)" if lags else ""
        print(f"{client}: pen-up to prediction p50 {pct(ups, 50).strip()}, p95 {pct(ups, 95).strip()}{sent}; "
              f"drawings answered {len(answered)} of {len(drawn)}, read right {right}"
              + (f" ({right / len(answered):.0%})" if answered else ""))
    if args.slow is not None:
        slow = sorted((s for s in samples if s.done is not None and s.done > args.slow), key=lambda s: s.at or 0)
        print(f"slower than {args.slow:g} s ({len(slow)}):")
        for s in slow:
            print(f"  at {(s.at or t0) - t0:6.1f} s  {s.client:8} {s.page:22} answer {s.answer:5.2f} s, "
                  f"done {s.done:5.2f} s")
    errors = Counter(e for s in samples for e in s.errors)
    print("errors seen:" + ("" if errors else " none"))
    for text, count in errors.most_common():
        print(f"  {count:4} x {text}")
    lesson = [s for s in samples if s.at is None or s.at <= t0 + seconds]  # not what came after (--neural's teacher)
    actions = sum(not s.failed for s in lesson)
    auto = sum(not s.failed and s.page.endswith("(auto)") for s in lesson)
    print(f"server: {actions} actions in {seconds:.0f} s ({actions / seconds:.1f}/s"
          + (f"; {auto} of them fragment auto-reruns" if auto else "") + f"); CPU {cpu:.1f} s = "
          f"{cpu / max(actions, 1):.3f} CPU-s per action ({cpu / seconds:.2f} cores busy on average)")
    print(f"server memory: RSS {start_rss:.0f} MB before the students, max sampled {max(rss, default=0):.0f} MB, "
          f"peak (VmHWM) {peak:.0f} MB")


def check_class(store, code, samples) -> bool:
    """Read the class back from the database and hold it against what the pages acknowledged."""
    acked = Counter(s.saved for s in samples if s.saved is not None)
    presses = sum(s.page == "Draw Save" for s in samples)
    drawings = store.drawings(code)
    stored = Counter((int(label), image.tobytes())
                     for label, image in zip(drawings.labels, drawings.images, strict=True))
    lost, extra = acked - stored, stored - acked
    by_digit = lambda c: [sum(n for (d, _), n in c.items() if d == k) for k in range(10)]  # noqa: E731
    posted, experiments = sum(s.posted for s in samples), len(store.experiments(code))
    guessed = sum(s.guessed for s in samples)
    question = store.question(code)
    guesses = len(question.guesses) if question is not None else 0
    print(f"class {code} ({store.where}):")
    print(f"  saves: {presses} presses of \"{SAVE}\", {sum(acked.values())} acknowledged by the page; "
          f"{len(drawings)} drawings in the database afterwards, from {len(set(drawings.drawers))} tabs")
    print(f"  every acknowledged drawing in the database exactly once, digit and 28 x 28 pixels: "
          f"{'yes' if not lost and not extra else 'NO'} (lost {sum(lost.values())}, in the database but not "
          f"acknowledged or twice {sum(extra.values())}); per digit acknowledged {by_digit(acked)}, "
          f"stored {by_digit(stored)}")
    print(f"  board: the Train page said {posted} models were posted; {experiments} in the database")
    print(f"  guesses: {guessed} acknowledged by the page; {guesses} in the database")
    return not lost and not extra and posted == experiments and guessed == guesses


def log_problems(path: Path) -> None:
    """Tracebacks and warnings in the server's log, each kind once with its count, and where the first was."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", path.read_text(errors="replace")) if path.exists() else ""
    lines = text.splitlines()
    found, first = Counter(), {}
    for k, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            # Streamlit prints it in a box (rich); the exception's own line is the first outside the box.
            block = lines[k + 1:]
            end = next((x for x in block if x and not x[0].isspace() and x[0] not in "│─╭╰"), "?")
            frames = [x.strip(" │") for x in block[:block.index(end)] if re.search(r"(\.py:\d+|line \d+)", x)
                      and "site-packages" not in x] if end in block else []
            key = f"traceback: {end.strip()[:200]}"
            found[key] += 1
            ours = [x for x in frames if str(ROOT) in x] or frames  # the app's own innermost line
            first.setdefault(key, ours[-1] if ours else "")
        elif re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line):
            found[re.sub(r"^[\d\-: .,]+", "", line).strip()[:200]] += 1
    print(f"server log ({path}): " + ("no tracebacks, no warnings" if not found else ""))
    for key, count in found.most_common(8):
        print(f"  {count:4} x {key}" + (f" (at {first[key]})" if first.get(key) else ""))


def postgres_cpu(data_dir: Path) -> float:
    """CPU seconds of a PostgreSQL server so far: the postmaster, its live and its ended children."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended meanwhile
        fields = text[text.rindex(")") + 2:].split()
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime
        elif ppid == postmaster:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def classroom(base, pid, args, klass=None, pg_data=None):
    """The lesson against the server at ``base``; ``klass``: (store, NewClass) for --class-space."""
    rng = np.random.default_rng(args.seed)
    drawings = [replace(d, width=PEN) for d in handwriting.drawing_set(per_digit=10, seed=args.seed)]
    rng.shuffle(drawings)
    # What each drawing becomes on the server (pages/4_Draw.py prepares the canvas's PNG the same way).
    pixels = [preprocess.prepare(handwriting.render(d)).centred.tobytes() for d in drawings] if klass else None
    samples: list[Sample] = []
    code = klass[1].code if klass else None
    actors = [Light(base, args.timeout, code) for _ in range(args.students)]
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
    pg0 = postgres_cpu(pg_data) if pg_data else 0.0
    rss, stop = [], asyncio.Event()
    worker = Worker(pid) if args.neural else None
    sampler = asyncio.ensure_future(sample_server(pid, rss, stop, worker))
    t0 = time.perf_counter()
    deadline = t0 + args.duration
    tasks = [student(a, np.random.default_rng([args.seed, i]), drawings, args, deadline, samples, pixels)
             for i, a in enumerate(actors)]
    head = click = network = None  # the teacher; the click on "Train the neural network"; waiting for it
    if klass:  # the teacher opens the class and asks a question before the students come in
        head = Light(base, args.timeout, code, kind="teacher")
        samples.append(await head.join(klass[1].token))
        if head.c.errors or not any(el.label == "Ask the class" for el in head.c.elements.values()):
            raise SystemExit(f"the teacher's link did not open the teacher's page: {head.c.errors}")
        samples.append(await head.ask())
        tasks.append(asyncio.sleep(max(0.0, deadline - time.perf_counter())))  # keeps the page open
    elif args.neural:  # the teacher starts the training before the students come in, and waits for it
        head = Light(base, args.timeout, kind="teacher")
        samples.append(await head.neural(args.neural, "Teacher Neural"))
        click = await head.train_network()
        samples.append(click)
        network = asyncio.ensure_future(head.await_network(args.neural, click.at + args.neural_wait, samples))
    if head is not None:
        actors.append(head)
    shown = lesson_end = tensorflow = None
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.duration + args.timeout + args.linger[1] + 30)
        lesson_end = time.perf_counter()
        seconds = lesson_end - t0
        cpu1 = proc_stats(pid)[0]
        pg1 = postgres_cpu(pg_data) if pg_data else 0.0
        if network is not None:  # the network may come after the lesson
            shown = await network
    finally:
        if network is not None:
            network.cancel()
        peak = proc_stats(pid)[2]
        if args.neural:  # the server's, and the worker's to show that the check sees TensorFlow where it is
            tensorflow = maps_naming(pid, "tensorflow"), worker.pid and maps_naming(worker.pid, "tensorflow")
        stop.set()
        await sampler
        if head is not None:
            await head.close()
        if browser is not None:
            await browser.close()
            await playwright.stop()
    for actor in actors:
        if isinstance(actor, Light):
            samples.extend(auto_samples(actor))
    report(samples, args, cpu1 - cpu0, seconds, rss, start_rss, peak, t0)
    if pg_data:
        print(f"PostgreSQL server: CPU {pg1 - pg0:.1f} s (all its processes)")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"this script's own CPU (the light clients): {own.ru_utime + own.ru_stime:.1f} s")
    print(f"machine load average (1 min; {os.cpu_count()} cores, shared): {load0:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    if args.neural:
        return report_neural(args, samples, head, click, shown, lesson_end, worker, pid, tensorflow)
    return check_class(klass[0], code, samples) if klass else True


def maps_naming(pid: int, word: str) -> int:
    """How many of a process's memory mappings name ``word`` (a library it loaded stays mapped); 0 if it is gone."""
    try:
        return sum(word in line for line in Path(f"/proc/{pid}/maps").read_text().splitlines())
    except OSError:
        return 0


def report_neural(args, samples, head, click, shown, lesson_end, worker, pid, tensorflow) -> bool:
    """What the neural network's training did during the lesson; True if it was trained once, beside the server."""
    n = args.neural
    visits = Counter(s.neural for s in samples if s.page == "Neural" and s.neural)
    failed = sum(s.failed for s in samples if s.page == "Neural")
    print(f"\nneural network, /Neural?n={n}:")
    print(f"  the students' {sum(visits.values())} visits showed: "
          + ", ".join(f"{what} {visits[what]}" for what in ("progress", "accuracy", "button", "nothing"))
          + f" ({failed} failed)")
    metric, finished = shown or (None, None)
    reopened = sum(s.page == "Teacher Neural" for s in samples) - 1
    if metric is None:
        print(f"  the network's accuracy was not on the teacher's page {args.neural_wait:g} s after the click")
    else:
        print(f"  click to the network's accuracy on the teacher's page: {metric.at - click.at:.1f} s"
              + (f" (page complete after {finished - click.at:.1f} s)" if finished else "")
              + f"; the lesson ended {lesson_end - click.at:.1f} s after the click; the teacher's page opened "
              f"again because it had stopped refreshing itself: {reopened} times")
        print(f"  accuracy: neural network {metric.text}, SVM {head.c.metric(SVM_METRIC)} (on all the test images)")
    trained = sorted((args.cache_dir / "neural").glob("cnn-*.json"))
    print(f"  networks trained (cnn-*.json in {args.cache_dir / 'neural'}): {len(trained)}"
          + ("" if len(trained) == 1 else " (1 expected)"))
    for path in trained:
        meta = json.loads(path.read_text())
        print(f"    {path.stem}: {meta['n']:,} images, {meta['epochs']} passes, fit {meta['fit_seconds']:.1f} s "
              f"in the worker, test accuracy {meta['test_accuracy']:.4f}")
    print(f"  worker: {len(worker.cpu)} process(es), peak RSS sampled {worker.peak_rss:.0f} MB (VmHWM "
          f"{worker.hwm:.0f} MB), CPU {sum(worker.cpu.values()):.1f} s")
    server, in_worker = tensorflow
    print(f"  server's /proc/{pid}/maps at the end: "
          + (f"{server} mappings name tensorflow: THE SERVER LOADED TENSORFLOW" if server else "no tensorflow")
          + (f" (the worker's: {in_worker} mappings name it)" if in_worker else ""))
    return metric is not None and len(trained) == 1 and not server


def pretrain(folder: Path, largest: int) -> None:
    from digitlib.mnist import data
    from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec
    from digitlib.svm.registry import Registry

    start = time.perf_counter()
    registry = Registry(data.load(), folder)
    sizes = [n for n in CURVE_SIZES if n <= largest]
    for n in sizes:
        registry.ensure(ModelSpec(n=n))
    print(f"learning-curve models {', '.join(f'{n:,}' for n in sizes)} in {folder} "
          f"({time.perf_counter() - start:.1f} s)")


@contextmanager
def class_database(args):
    """The class database for the server: its environment variables, and PostgreSQL's data folder if private.

    A fresh DIGITS_DATA_DIR each run (removed at the end), so the SQLite file starts empty;
    --database-url, or --postgres: a private PostgreSQL server on 127.0.0.1, stopped at the end.
    """
    folder = Path(tempfile.mkdtemp(prefix="class-data-", dir=args.cache_dir.parent))
    env = {"DIGITS_DATA_DIR": str(folder), "DIGITS_DATABASE_URL": args.database_url or ""}
    try:
        if not args.postgres:
            yield env, None
            return
        from tests.support.databases import PrivateServer, _newest_binaries, fresh_postgres_database

        bindir = _newest_binaries()
        if bindir is None:
            raise SystemExit("--postgres needs Debian's postgresql (apt-get install postgresql)")
        server = PrivateServer(bindir)
        try:
            server.start()
            with fresh_postgres_database(server.url) as url:
                yield {**env, "DIGITS_DATABASE_URL": url}, server.data
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
    parser.add_argument("--slow", type=float, help="list every action that took longer than this, s")
    parser.add_argument("--class-space", action="store_true",
                        help="the students join one class: save drawings, post models, read the board")
    parser.add_argument("--linger", type=float, nargs=2, default=[16.0, 20.0],
                        help="--class-space: seconds a student stays on Our class (default 16-20)")
    parser.add_argument("--neural", type=int, metavar="N",
                        help="a teacher trains the neural network on N images during the lesson; students look once")
    parser.add_argument("--neural-wait", type=float, default=600,
                        help="--neural: longest wait for the network after the click, s (default 600)")
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--database-url",
                    help="--class-space: the class database, on 127.0.0.1 (default: a new SQLite file)")
    db.add_argument("--postgres", action="store_true",
                    help="--class-space: start a private PostgreSQL server on 127.0.0.1 for the run")
    args = parser.parse_args()
    if (args.database_url or args.postgres) and not args.class_space:
        parser.error("--database-url and --postgres go with --class-space")
    if args.class_space and args.browsers:
        parser.error("--class-space drives light clients only")
    if args.neural and args.class_space:
        parser.error("--neural goes with the plain lesson, not --class-space")
    if args.database_url:  # a load test talks to this machine only
        from sqlalchemy.engine import make_url

        if make_url(args.database_url).host not in (None, "", "127.0.0.1", "localhost", "::1"):
            parser.error("--database-url must name a database on 127.0.0.1 (a load test stays on this machine)")
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.pretrain:
        pretrain(args.cache_dir, 10_000)
    print(f"classroom: {args.students} light students + {args.browsers} chromium"
          + (" in one class, with a teacher" if args.class_space else "")
          + (f", a teacher training the neural network on {args.neural:,} images" if args.neural else "")
          + f", {args.duration:.0f} s, a pause of {args.think[0]:g}-{args.think[1]:g} s between actions, "
          f"seed {args.seed}")
    with ExitStack() as stack:
        env, pg_data, klass = {}, None, None
        if args.class_space:
            env, pg_data = stack.enter_context(class_database(args))
            os.environ.update(env)  # the bench opens the same database as the server
            from digitlib.classroom import database
            from digitlib.classroom.store import ClassStore

            store = ClassStore(database.default_url())
            stack.callback(store.close)
            klass = (store, store.create_class())
            print(f"class {klass[1].code} started in {store.where}")
        base = stack.enter_context(app_server(args.cache_dir, DIGITS_WARMUP="1" if args.warmup else "0", **env))
        print(f"server {base} (pid {base.pid}), models in {args.cache_dir}")
        ok = asyncio.run(classroom(base, base.pid, args, klass, pg_data))
        log_problems(args.cache_dir.parent / f"streamlit-{base.rsplit(':', 1)[1]}.log")
    if not ok:
        raise SystemExit("the neural network was not trained once, beside the server" if args.neural
                         else "the class's data does not match what the pages acknowledged")


if __name__ == "__main__":
    main()
