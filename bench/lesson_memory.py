"""The server's memory at the lesson's heaviest moments: a whole class doing the same thing at once.

Usage: python -m bench.lesson_memory [--students 30] [--moments draw evaluate neural mixed models]
                                     [--spread 3] [--repeat 1]

It starts a fresh ``streamlit run app.py`` (an empty model store, background training off,
DIGITS_NEURAL=0 so /Neural shows the ready-made networks without TensorFlow, a new class in a fresh
SQLite file) and lets --students light clients (bench/loadtest/client.py: the browser's websocket
protocol, no browser) go through these moments, one after the other, each student starting within
--spread seconds of the others:

  draw      each opens the class's Draw page, draws a digit and saves it to the class set
            (the 60,000-image model comes into memory; the class set fills)
  evaluate  each opens /Evaluate?n=60000&test=10000: the 60,000-image model on all 10,000 test images
  neural    each opens /Neural?n=60000: the ready-made network beside that SVM, on all 10,000 test images
  mixed     each opens the class page, sets "MNIST training images (N)" to 5,000 and presses
            "Train MNIST + our class"
  models    student k opens /Train?n=2000&C=<1 + k/10> (a model of its own, trained while it waits),
            then /Evaluate with that model at 1,000 test images: as many distinct models as students

For each moment it prints the answers' p50/p95, errors, and the server's memory: RSS before, the
largest sampled (every 0.1 s) and the kernel's own peak (VmHWM, reset through /proc/PID/clear_refs
at the moment's start, so each moment's peak is its own), RSS after. --repeat N goes through the
moments N times on the same server (what a second lesson adds). At the end it splits the server's RSS
into its heap and its mapped files (/proc/PID/smaps_rollup); the last line is the run's peak.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bench.loadtest.canvas import canvas_value
from bench.loadtest.client import StreamlitClient
from bench.loadtest.pages import ANSWERS, PEN, SAVE, SAVED
from bench.loadtest.processes import memory_mb as memory
from bench.loadtest.processes import memory_parts_mb, reset_peak
from digitlib.drawing import handwriting
from tests.support.browser import app_server

MOMENTS = ("draw", "evaluate", "neural", "mixed", "models")
MIXED_N = "5,000"  # the select slider's option as the page shows it


@dataclass
class Moment:
    name: str
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unanswered: int = 0


def _count(answer, what: str, moment: Moment) -> None:
    """Record one answer's time, or that none came."""
    moment.errors.extend(answer.errors)
    if answer.element is None:
        moment.unanswered += 1
        moment.errors.append(f"{what}: no answer shown")
    else:
        moment.seconds.append(answer.answer_seconds)


def _metric(label: str):
    return lambda el: el.kind == "metric" and el.label == label


async def draw(c, k, args, moment):
    drawing = args.drawings[k % len(args.drawings)]
    await c.open("Draw", f"class={args.code}", until=ANSWERS["Draw"])
    canvas = c.widget(key="canvas-", kind="bidi_component")
    c.set(canvas, canvas_value(handwriting.render(drawing), drawing.strokes, drawing.width))
    answer = await c.rerun(until=ANSWERS["Draw stroke"])
    _count(answer, "the drawing", moment)
    c.set(c.widget(label=SAVE, kind="button"), True)
    answer = await c.rerun(until=ANSWERS["Draw Save"])
    if answer.element is None or not SAVED.match(answer.element.text):
        moment.errors.append("the save was not acknowledged")


async def evaluate(c, k, args, moment):
    _count(await c.open("Evaluate", "n=60000&test=10000", until=ANSWERS["Evaluate"]), "Evaluate", moment)


async def neural(c, k, args, moment):
    _count(await c.open("Neural", "n=60000", until=_metric("Neural network accuracy")), "Neural", moment)


async def mixed(c, k, args, moment):
    await c.open("Class", f"class={args.code}", until=ANSWERS["Class"])
    c.set(c.widget(label="MNIST training images (N)", kind="slider"), MIXED_N)
    await c.rerun()
    started = time.perf_counter()
    c.set(c.widget(label="Train MNIST + our class", kind="button"), True)
    answer = await c.rerun(until=_metric("MNIST + our class"))
    answer.sent = started
    _count(answer, "MNIST + our class", moment)


async def models(c, k, args, moment):
    C = f"{1 + (k + 1) / 10:g}"
    _count(await c.open("Train", f"n=2000&C={C}", until=ANSWERS["Train"]), "Train", moment)
    answer = await c.open("Evaluate", f"n=2000&C={C}&test=1000", until=ANSWERS["Evaluate"])
    _count(answer, "Evaluate", moment)


async def run_moment(name, base, pid, args) -> tuple[Moment, dict]:
    moment, action = Moment(name), globals()[name]
    before = memory(pid)[0]
    reset = reset_peak(pid)
    samples, stop = [], asyncio.Event()

    async def sample():
        while not stop.is_set():
            samples.append(memory(pid)[0])
            await asyncio.sleep(0.1)

    async def student(k):
        await asyncio.sleep(args.rng.uniform(0, args.spread))
        c = StreamlitClient(base, timeout=args.timeout)
        try:
            await action(c, k, args, moment)
        except Exception as exc:  # a timeout, a lost connection, a widget not found
            moment.unanswered += 1
            moment.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            await c.close()

    sampler = asyncio.ensure_future(sample())
    started = time.perf_counter()
    await asyncio.gather(*(student(k) for k in range(args.students)))
    took = time.perf_counter() - started
    stop.set()
    await sampler
    after, peak = memory(pid)
    return moment, {"before": before, "sampled": max(samples, default=before), "peak": peak if reset else None,
                    "after": after, "seconds": took}


def line(moment: Moment, mem: dict) -> str:
    times = moment.seconds
    answers = (f"answer p50 {np.percentile(times, 50):5.2f}s p95 {np.percentile(times, 95):5.2f}s"
               if times else "no answers")
    peak = f"{mem['peak']:6.0f}" if mem["peak"] is not None else "     -"
    return (f"{moment.name:9} {answers:30} {len(moment.errors):3} errors  RSS before {mem['before']:5.0f}  "
            f"max sampled {mem['sampled']:5.0f}  peak {peak}  after {mem['after']:5.0f} MB  ({mem['seconds']:.0f} s)")


async def lesson(base, pid, args) -> float:
    worst = 0.0
    print(f"server answering: RSS {memory(pid)[0]:.0f} MB")
    for _round in range(args.repeat):
        for name in args.moments:
            moment, mem = await run_moment(name, base, pid, args)
            print(line(moment, mem), flush=True)
            for text in sorted(set(moment.errors))[:5]:
                print(f"          {moment.errors.count(text)} x {text}")
            worst = max(worst, mem["peak"] or mem["sampled"])
            await asyncio.sleep(args.rest)
    try:
        parts = memory_parts_mb(pid)
    except (OSError, KeyError):  # the server has gone: its peaks above still stand
        return worst
    print(f"at the end: RSS {parts['rss']:.0f} MB = {parts['anon']:.0f} MB the process's own (heap) + "
          f"{parts['file']:.0f} MB mapped files (libraries, mapped support vectors); PSS {parts['pss']:.0f} MB")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--moments", nargs="+", choices=MOMENTS, default=list(MOMENTS))
    parser.add_argument("--spread", type=float, default=3.0, help="students start within this many seconds")
    parser.add_argument("--repeat", type=int, default=1, help="go through the moments this many times")
    parser.add_argument("--rest", type=float, default=2.0, help="seconds between two moments")
    parser.add_argument("--timeout", type=float, default=180.0, help="longest wait for one answer, s")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.rng = np.random.default_rng(args.seed)
    args.drawings = [replace(d, width=PEN) for d in handwriting.drawing_set(per_digit=4, seed=args.seed)]
    with tempfile.TemporaryDirectory(prefix="lesson-memory-") as tmp:
        models_dir, data_dir = Path(tmp) / "models", Path(tmp) / "data"
        models_dir.mkdir()
        data_dir.mkdir()
        os.environ.update(DIGITS_DATA_DIR=str(data_dir), DIGITS_DATABASE_URL="")
        from digitlib.classroom import database
        from digitlib.classroom.store import ClassStore

        store = ClassStore(database.default_url())
        args.code = store.create_class().code
        print(f"{args.students} light students; moments: {', '.join(args.moments)}"
              f"{f' (x{args.repeat})' if args.repeat > 1 else ''}; machine load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores, shared)")
        with app_server(models_dir, DIGITS_WARMUP="0", DIGITS_NEURAL="0", DIGITS_DATA_DIR=str(data_dir)) as base:
            worst = asyncio.run(lesson(base, base.pid, args))
        store.close()
    print(f"server peak over the run: {worst:.0f} MB; load average at the end "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
