"""What each student does, in a loop until the lesson ends: the plain lesson, or the class space's."""

from __future__ import annotations

import asyncio
import time

import numpy as np

from bench.loadtest.samples import Sample


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
