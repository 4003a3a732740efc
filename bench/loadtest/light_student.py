"""One light-client student (or teacher): the lesson's actions through ``StreamlitClient``."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from bench.loadtest.canvas import canvas_value
from bench.loadtest.client import StreamlitClient
from bench.loadtest.pages import (
    ANSWERS,
    NEURAL_STALE,
    POST,
    SAVE,
    SAVED,
    TRAIN_NET,
    is_confirm,
    net_metric,
    neural_state,
)
from bench.loadtest.samples import Sample
from digitlib.drawing import handwriting


class Light:
    """The lesson's actions for one light-client student."""

    kind = "light"

    def __init__(self, base: str, timeout: float, code: str | None = None, kind: str | None = None,
                 proxied: bool = False):
        """``code``: a class the student belongs to (its links carry ``?class=CODE``); ``proxied``: behind
        nginx, so each opened page's HTML is loaded first and its route cookie kept, as a browser does."""
        self.c = StreamlitClient(base, timeout=timeout, load_page=proxied)
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

    async def evaluate(self, page: str = "Evaluate"):
        return self._sample(page, await self._link("Evaluate", "Evaluate", ANSWERS["Evaluate"]))

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
        return Sample(self.kind, page, shown, answer.seconds, answer.errors, at=answer.sent,
                      route=self.c.cookies.values.get("digits_route"))

    async def close(self):
        await self.c.close()
