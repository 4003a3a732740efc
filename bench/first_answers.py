"""The first answers of a fresh server (issue 20): each page opened first on a new ``streamlit run app.py``.

Every measurement starts its own server (``tests.support.browser.app_server``: an empty model folder, the
production settings), waits until it answers its health check, then opens one page in a new chromium context
(empty browser cache, as a newcomer's) and times it inside the page from the navigation's start until a known
element of the page's content is on screen, and until the page's script run has finished. The pages: Home
(its table of loaded arrays), ``/Train?n=100`` (the accuracy 0.68), ``/Evaluate`` (the accuracy), ``/Draw``
(the canvas), and the first stroke on that fresh Draw page: the student looks at the page for ``--think``
seconds, draws a 7, and the time from pen-up to the prediction on screen is taken as bench.draw_latency does.
Each page is then opened once more on the now warm server in a new context (a second newcomer): what the
browser itself takes. ``--client light`` opens the pages with the light websocket client
(bench/loadtest/client.py) instead and times until the page's run has finished. The server's CPU-seconds
for each answer come from /proc.

Usage: python -m bench.first_answers [--runs 3] [--only home,train,evaluate,draw,stroke] [--client chromium]
       [--think 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from bench.draw_latency import WATCH, cpu_seconds
from digitlib.drawing import handwriting
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server, draw_strokes, wait_for_run

# name: (path and query, what shows the page's content: a CSS selector, and text it must hold)
PAGES = {
    "home": ("", "[data-testid='stMain'] [data-testid='stTable']", "x_train"),
    "train": ("Train?n=100", "[data-testid='stMetric']", "0.68"),
    "evaluate": ("Evaluate", "[data-testid='stMetric']", "Accuracy"),
    "draw": ("Draw", "[data-testid='stMain'] [data-testid='stBidiComponentIsolated']", ""),
}
# Records performance.now() (ms from the navigation's start) when the content is first on screen, and when
# the script has finished running after that.
SEEN = """
window.__first = {content: null, done: null};
const seen = () => {
  const want = window.__want;
  if (!want) return;
  const f = window.__first;
  if (f.content === null) {
    for (const el of document.querySelectorAll(want.selector)) {
      const box = el.getBoundingClientRect();
      const text = want.text ? el.innerText.includes(want.text) : true;
      const filled = want.selector.includes("stBidiComponentIsolated")
        ? !!(el.shadowRoot && el.shadowRoot.querySelector("canvas")) : true;
      if (box.width > 0 && box.height > 0 && text && filled) { f.content = performance.now(); break; }
    }
  }
  const state = document.querySelector("[data-test-script-state]");
  if (f.content !== null && f.done === null && state && state.getAttribute("data-test-script-state") === "notRunning"
      && !document.querySelector("[data-testid='stSkeleton']")) f.done = performance.now();
};
new MutationObserver(seen).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
setInterval(seen, 20);
"""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def open_first(browser, base, name: str, think: float = 0) -> dict:
    """Open page ``name`` as the fresh server's first visitor; times in seconds and the server's CPU. With
    ``think``, then draw a stroke after that many seconds: the stroke's times and CPU instead."""
    path, selector, text = PAGES[name]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(f"window.__want = {{selector: {selector!r}, text: {text!r}}};" + SEEN
                         + (WATCH if think else ""))
    before = cpu_seconds(base.pid)
    page.goto(f"{base}/{path}")
    page.wait_for_function("window.__first && window.__first.done !== null", timeout=120_000)
    first = page.evaluate("window.__first")
    result = {"content": first["content"] / 1000, "done": first["done"] / 1000, "cpu": cpu_seconds(base.pid) - before}
    if think:
        wait_for_run(page)
        page.wait_for_timeout(think * 1000)  # the student looks at the page before drawing
        seven = handwriting.sloppy_drawings()[7]
        before = cpu_seconds(base.pid)
        page.evaluate("window.__strokes = []")
        draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, seven.strokes, steps=6)
        page.wait_for_function("window.__strokes.length > 0 && window.__strokes[window.__strokes.length - 1].idle",
                               timeout=120_000)
        page.wait_for_timeout(200)
        stroke = page.evaluate("window.__strokes[window.__strokes.length - 1]")
        result = {"content": (stroke["answer"] - stroke["up"]) / 1000, "done": (stroke["idle"] - stroke["up"]) / 1000,
                  "cpu": cpu_seconds(base.pid) - before}
    context.close()
    return result


def open_light(base, name: str) -> dict:
    """Open page ``name`` with the light client; seconds until its run finished, and the server's CPU."""
    from bench.loadtest.client import StreamlitClient

    path, _, query = PAGES[name][0].partition("?")

    async def visit():
        client = StreamlitClient(base)
        before = cpu_seconds(base.pid)
        answer = await client.open(path, query)
        used = cpu_seconds(base.pid) - before
        await client.close()
        if client.errors:
            raise SystemExit(f"{name}: the page showed errors: {client.errors}")
        return {"content": answer.seconds, "done": answer.seconds, "cpu": used}

    return asyncio.run(visit())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh servers per page")
    parser.add_argument("--only", default="home,train,evaluate,draw,stroke", help="which first answers, by name")
    parser.add_argument("--client", choices=("chromium", "light"), default="chromium")
    parser.add_argument("--think", type=float, default=3.0,
                        help="seconds the student looks at a fresh Draw page before the first stroke")
    args = parser.parse_args()
    names = args.only.split(",")
    if args.client == "light" and "stroke" in names:
        names.remove("stroke")

    print(f"load average before: {load_average()}")
    results: dict[str, list[dict]] = {name: [] for name in names}
    with contextlib.ExitStack() as stack:
        browser = None
        if args.client == "chromium":  # Playwright's sync API holds an event loop, which the light client cannot share
            from playwright.sync_api import sync_playwright

            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stack.callback(browser.close)
        for run in range(args.runs):
            for name in names:
                with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models") as base:
                    started = time.perf_counter()
                    if browser is None:
                        got = open_light(base, name)
                        got["again"] = open_light(base, name)["content"]
                    elif name == "stroke":
                        got = open_first(browser, base, "draw", think=args.think)
                        got["again"] = open_first(browser, base, "draw", think=args.think)["content"]
                    else:
                        got = open_first(browser, base, name)
                        got["again"] = open_first(browser, base, name)["content"]
                    results[name].append(got)
                    print(f"  run {run + 1} {name:8s} content {got['content']:.2f} s, done {got['done']:.2f} s, "
                          f"server CPU {got['cpu']:.2f} s; the second visitor's content {got['again']:.2f} s "
                          f"({time.perf_counter() - started:.1f} s)", flush=True)

    what = "until the run finished (light client)" if args.client == "light" else "in chromium"
    print(f"\nfirst answers of a fresh server, {what}, {args.runs} fresh servers each:")
    print(f"{'':34s} {'on screen p50':>13s} {'max':>6s} {'done p50':>9s} {'max':>6s}",
          f"{'server CPU p50':>15s} {'max':>6s} {'2nd visitor p50':>16s}")
    labels = {"home": "first Home", "train": "first /Train?n=100", "evaluate": "first /Evaluate",
              "draw": "first /Draw", "stroke": f"first stroke, fresh Draw ({args.think:g} s look)"}
    for name in names:
        rows = results[name]
        content, done, cpu, again = ([r[k] for r in rows] for k in ("content", "done", "cpu", "again"))
        print(f"{labels[name]:34s} {statistics.median(content):12.2f}s {max(content):5.2f}s "
              f"{statistics.median(done):8.2f}s {max(done):5.2f}s {statistics.median(cpu):14.2f}s {max(cpu):5.2f}s "
              f"{statistics.median(again):15.2f}s")
    print("(the stroke: pen-up to the prediction on screen, and to the page idle; the second visitor: the same page\n"
          " opened again on the now warm server in a new browser context, what the browser itself takes)")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
