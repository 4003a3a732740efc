"""Server CPU per lesson action, and how it grows with the sessions a server holds.

Usage (from the repository root):
       python -m bench.action_cpu [--repeat 20] [--idle 0 50 100] [--size 1000]

It starts ``streamlit run app.py`` on 127.0.0.1 with the model folder of --cache-dir, warms it
(every action once, so models, figures and indexes are made before timing), then for each --idle
count S opens S more sessions that stay open on Draw after one drawing (as students between two
actions do), and lets one light client (bench/loadtest/client.py) do each action --repeat times in
a row: open Home, open /Train?n=SIZE, move Train's slider one step and back, open Evaluate, open
Draw, draw a digit (the answer awaited), press Clear. For each it prints the server's CPU per
action (user + system, /proc/<pid>/stat: 10 ms ticks, so --repeat 20 gives 0.5 ms), the time
until the answer (p50) and the images the page made the client fetch (each a separate HTTP request
and an entry in Streamlit's media file manager, which every script run scans across all sessions),
and the server's RSS with the S sessions open.
CPU is the server's own, whatever else the machine runs; answer times are not (they say how busy
the machine was). --no-images: the timed client does not fetch the images (what they cost the
server is the difference).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.loadtest.light_student import Light
from bench.loadtest.pages import ANSWERS, PEN
from bench.loadtest.processes import proc_stats
from digitlib.drawing import handwriting
from tests.support.browser import app_server

OPENED = ("Home", "Train ?n=")  # actions that open a page in a new session


def actions(student: Light, drawings, size: int):
    """(name, coroutine factory) for each action, in lesson order."""
    pick = iter(np.tile(np.arange(len(drawings)), 1000))
    return [
        ("Home", lambda: student.home()),
        (f"Train ?n={size}", lambda: student.train(size)),
        ("Train slider", lambda: student.slider(+1)),
        ("Train slider back", lambda: student.slider(-1)),
        ("Evaluate", lambda: student.evaluate()),
        ("Draw", lambda: student.draw_page()),
        ("Draw stroke", lambda: student.draw(drawings[int(next(pick))], lambda: 0.05)),
        ("Draw Clear", lambda: student.clear()),
    ]


async def idle_sessions(base: str, count: int, drawings) -> list[Light]:
    """``count`` sessions left open on Draw after one drawing each."""
    out = []
    for k in range(count):
        s = Light(base, 120)
        await s.c.open("Draw", until=ANSWERS["Draw"])
        await s.draw(drawings[k % len(drawings)], lambda: 0.05)
        out.append(s)
    return out


async def measure(base: str, pid: int, args) -> None:
    drawings = [replace(d, width=PEN) for d in handwriting.drawing_set(per_digit=2, seed=1)]
    student = Light(base, 120)
    student.c.fetch_media = not args.no_images
    for _, act in actions(student, drawings, args.size):  # warm: models, figures, indexes
        await act()
    idle: list[Light] = []
    print(f"{'idle sessions':>13}  {'action':18} {'CPU ms':>7} {'answer p50':>10} {'images':>7}")
    for count in args.idle:
        idle += await idle_sessions(base, count - len(idle), drawings)
        await asyncio.sleep(1)
        print(f"{count:13}  (server RSS {proc_stats(pid)[1]:.0f} MB with these sessions open)")
        for name, act in actions(student, drawings, args.size):
            cpu, times, images = 0.0, [], 0
            for _ in range(args.repeat):
                if name == "Draw Clear":  # a drawing to clear, as in the lesson (its CPU not counted)
                    await student.draw(drawings[0], lambda: 0.05)
                    await asyncio.sleep(0.2)
                before, media = proc_stats(pid)[0], len(student.c._media)
                sample = await act()
                cpu += proc_stats(pid)[0] - before
                # a page opened afresh (a new session) fetches all its images again; a rerun, the new ones
                images += len(student.c._media) - (0 if name.startswith(OPENED) else media)
                times.append(sample.answer)
            await asyncio.sleep(0.3)  # the run's last images
            print(f"{count:13}  {name:18} {cpu / args.repeat * 1000:7.1f} {np.median(times):9.3f}s "
                  f"{images / args.repeat:7.1f}")
    for s in [student, *idle]:
        await s.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="times each action is timed (default 20)")
    parser.add_argument("--idle", type=int, nargs="+", default=[0, 50, 100],
                        help="sessions held open meanwhile, in turn (default 0 50 100)")
    parser.add_argument("--size", type=int, default=1000, help="the model's training images (default 1000)")
    parser.add_argument("--no-images", action="store_true",
                        help="the timed client fetches no images (their HTTP requests' CPU left out)")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/digits-classroom/models"))
    args = parser.parse_args()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    with app_server(args.cache_dir, DIGITS_WARMUP="0") as base:
        start = time.perf_counter()
        asyncio.run(measure(base, base.pid, args))
        print(f"({time.perf_counter() - start:.0f} s; server peak RSS {proc_stats(base.pid)[2]:.0f} MB)")


if __name__ == "__main__":
    main()
