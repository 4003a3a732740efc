"""How long a class waits when its server dies mid-lesson (issue 20): two servers behind nginx, one killed.

Usage: python -m bench.failover [--students 5] [--runs 2] [--busy]

Each run starts two fresh app servers sharing one model folder and one class database (an SQLite file:
both servers are on this machine) behind Debian's nginx with the school's site (tests/support/nginx.py),
then, in headless chromium, a teacher starts a class and --students students open its Draw page, all
sent to the first server by their route cookie; each student draws and saves a digit. Then the first
server is killed (SIGKILL, as a crash or a pulled plug) and the bench watches every page, round-robin,
until the browser has reconnected by itself through nginx to the second server (its route cookie moved,
no "Connecting" status, the page's script has run again and finished there). It prints, per run and over all runs:
the seconds from the kill until each page was back (p50 and max), the seconds each student's first
drawing after that took from the first stroke to "Saved" (beside the same for their drawing before the
kill: the strokes themselves take most of it), whether the teacher still has the teacher's
controls, and the drawings in the database before and after (none may be lost). Without --busy the
second server has served nobody when the first dies, so the moved pages pay its first imports; with
--busy a student of another class has drawn on it first, as in a school where both servers are in use.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from digitlib.drawing import handwriting
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    draw_and_save,
    draw_strokes,
    metric_value,
    prediction,
    server_store,
    wait_for_run,
)
from tests.support.nginx import app_servers, nginx_proxy, open_through, route_of

TEACHER_CONTROLS = "Teacher: this class"
# Installed before the kill: notes when the page's script starts running again (on the new server).
_WATCH = """() => {
    window.digitsRanAgain = false;
    new MutationObserver(() => {
        if (document.querySelector("[data-test-script-state='running']")) window.digitsRanAgain = true;
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
}"""
# True when the page has run again since the kill and is connected and idle: no "Connecting…" status,
# the run finished.
_SETTLED = """() => window.digitsRanAgain && !document.querySelector("[data-testid='stStatusWidget']")
    && !!document.querySelector("[data-test-script-state='notRunning']")
    && !document.querySelector("[data-testid='stSkeleton']")"""


def one_run(browser, students: int, seed: int, busy: bool = False) -> dict:
    """One class on the first of two servers, that server killed; what each page waited."""
    rng = np.random.default_rng(seed)
    secret = "one secret for every server of the school"
    with (tempfile.TemporaryDirectory(prefix="digits-failover-") as folder,
          app_servers(2, Path(folder) / "models", DIGITS_WARMUP="0", STREAMLIT_SERVER_COOKIE_SECRET=secret) as servers):
        one, two = servers
        with nginx_proxy([s.port for s in servers]) as proxy:
            teacher = open_through(browser, proxy, one.port, "/Class")
            teacher.get_by_role("button", name="Start a new class").click()
            wait_for_run(teacher)
            code = metric_value(teacher, "Class code")
            pupils = [open_through(browser, proxy, one.port, f"/Draw?class={code}") for _ in range(students)]
            if busy:  # another class's student, drawing on the second server
                other = open_through(browser, proxy, two.port, "/Draw")
                draw_strokes(other, other.locator("[data-testid='stMain'] canvas").last,
                             handwriting.random_drawing(3, rng).strokes)
                prediction(other)
            earlier = []
            for page in pupils:
                start = time.monotonic()
                draw_and_save(page, handwriting.random_drawing(int(rng.integers(10)), rng))
                earlier.append(time.monotonic() - start)
            store = server_store(one)
            before = store.count(code)

            pages = [teacher, *pupils]
            for page in pages:
                page.evaluate(_WATCH)
            killed = time.monotonic()
            os.kill(one.pid, signal.SIGKILL)
            back: dict[int, float] = {}
            moved = proxy.route_to(two.port)
            while len(back) < len(pages) and time.monotonic() - killed < 120:
                for k, page in enumerate(pages):
                    if k not in back and route_of(page) == moved and page.evaluate(_SETTLED):
                        back[k] = time.monotonic() - killed
                pages[0].wait_for_timeout(50)
            if len(back) < len(pages):
                raise SystemExit(f"{len(pages) - len(back)} pages did not come back within 120 s")

            saves = []
            for page in pupils:
                start = time.monotonic()
                draw_and_save(page, handwriting.random_drawing(int(rng.integers(10)), rng))
                saves.append(time.monotonic() - start)
            teacher.reload()
            wait_for_run(teacher)
            controls = teacher.get_by_text(TEACHER_CONTROLS).count() > 0
            after = store.count(code)
            errors = sum(page.locator("[data-testid='stException']").count() for page in pages)
            for page in pages:
                page.context.close()
    return {"back": [back[k] for k in range(len(pages))], "saves": saves, "earlier": earlier, "controls": controls,
            "before": before, "after": after, "expected": before + students, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--busy", action="store_true", help="the second server already serves another student")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"two servers behind nginx, a teacher and {args.students} students on the first, which is killed; the "
          f"second {'serving another student' if args.busy else 'idle until then'}; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    backs, saves, earlier = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            r = one_run(browser, args.students, seed=run, busy=args.busy)
            backs += r["back"]
            saves += r["saves"]
            earlier += r["earlier"]
            print(f"run {run + 1}: pages back after p50 {statistics.median(r['back']):.2f} s, "
                  f"max {max(r['back']):.2f} s (teacher {r['back'][0]:.2f} s); first drawing saved after it "
                  f"p50 {statistics.median(r['saves']):.2f} s, max {max(r['saves']):.2f} s (before the kill p50 "
                  f"{statistics.median(r['earlier']):.2f} s); teacher's controls "
                  f"{'kept' if r['controls'] else 'LOST'}; drawings {r['before']} before, {r['after']} after "
                  f"(expected {r['expected']}); {r['errors']} errors on the pages")
        browser.close()
    print(f"over {args.runs} runs: pages back p50 {statistics.median(backs):.2f} s, max {max(backs):.2f} s; "
          f"first save p50 {statistics.median(saves):.2f} s, max {max(saves):.2f} s (before the kill: p50 "
          f"{statistics.median(earlier):.2f} s, max {max(earlier):.2f} s); load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
