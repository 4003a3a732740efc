"""What each student does, in a loop until the lesson ends: the plain lesson, the class space's, or the mix."""

from __future__ import annotations

import asyncio
import time

import numpy as np

from bench.loadtest.pages import MIX_SIZES
from bench.loadtest.samples import Sample

MIX_ROLES = ("draw", "train", "draw", "board")  # --mix: what a student does after its first round, by index

async def student(actor, rng, drawings, args, deadline, samples, pixels=None, index=0):
    """Follow the lesson in a loop until the deadline, pausing 2-6 s between actions (``index``: the
    student's place in the class, which sets its size and role in --mix)."""
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

    size, role = MIX_SIZES[index % len(MIX_SIZES)], MIX_ROLES[index % len(MIX_ROLES)]

    def drawing():
        return drawings[int(rng.integers(len(drawings)))]

    async def mix(first: bool):
        """Home, Train and Evaluate at the student's own size, then Draw with 4 drawings; then its role:
        drawing, training at other sizes, or (in a class) reading the board on Our class."""
        if first:
            yield "Home", lambda: actor.home()
            yield f"Train ?n={size}", lambda: actor.train(size)
            yield f"Evaluate ?n={size}", lambda: actor.evaluate(f"Evaluate ?n={size}")
            yield "Draw", lambda: actor.draw_page()
            for k in range(4):
                if k:
                    yield "Draw Clear", lambda: actor.clear()
                yield "Draw stroke", lambda: actor.draw(drawing(), pause)
        elif role == "train" or (role == "board" and not actor.code):
            n = int(rng.choice(MIX_SIZES))
            yield f"Train ?n={n}", lambda: actor.train(n)
            yield "Train slider", lambda: actor.slider(int(rng.choice([-1, 1])))
            yield "Evaluate", lambda: actor.evaluate()
        elif role == "board":
            yield "Class by link", lambda: actor.class_page()
            yield "linger", None
        else:
            for _ in range(3):
                yield "Draw Clear", lambda: actor.clear()
                yield "Draw stroke", lambda: actor.draw(drawing(), pause)

    await asyncio.sleep(rng.uniform(0, args.arrive if args.mix else args.think[1]))
    try:
        first = True
        while time.perf_counter() < deadline:
            rounds = mix(first) if args.mix else class_lesson() if actor.code else lesson(first)
            failed = False
            async for page, act in rounds:
                if time.perf_counter() >= deadline and not (args.mix and first):  # --mix: the first round whole
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
                    failed = True
                    break  # start the lesson again from Home (a fresh session)
                await asyncio.sleep(think())
            first = args.mix and failed  # --mix: a student whose round failed starts from its first round
    finally:
        await actor.close()


async def _keep(into: list, action):
    sample = await action
    into.append(sample)
    return sample
