"""One student on Draw, in headless chromium: pen-up to prediction, and how long the page stays busy.

Times are taken inside the page (performance.now()): from the mouse button's release to the
moment the drawing is sent, the server's first and last message after it, the "Prediction" metric
showing the new answer, and the app's script no longer running. The server's CPU-seconds per stroke
come from /proc. ``--fresh-pages K`` times the first stroke on each of K freshly opened Draw pages (a new
browser tab, the server already warm) apart from the later strokes.

Usage: python -m bench.draw_latency [--strokes 20] [--fresh-pages 0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from digitlib.drawing import handwriting
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server, draw_strokes, wait_for_run

# Records, for every release of the pointer, when the answer changed and when the run ended.
WATCH = """
window.__strokes = [];
const metricText = () => {
  const el = document.querySelector("[data-testid='stMetricValue']");
  return el ? el.innerText.trim() : null;
};
const state = () => {
  const el = document.querySelector("[data-test-script-state]");
  return el ? el.getAttribute("data-test-script-state") : null;
};
window.addEventListener("pointerup", () => {
  window.__strokes.push({up: performance.now(), before: metricText(), answer: null, idle: null, sawRun: false,
                         sent: null, reply: null, lastReply: null, run: null});
}, true);
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  const s = window.__strokes[window.__strokes.length - 1];
  if (s && s.sent === null) s.sent = performance.now();
  if (!this.__digitsHeard) {  // the server's first message after the drawing was sent
    this.__digitsHeard = true;
    this.addEventListener("message", () => {
      const last = window.__strokes[window.__strokes.length - 1];
      if (!last || last.sent === null || last.idle !== null) return;
      last.lastReply = performance.now();
      if (last.reply === null) last.reply = last.lastReply;
    });
  }
  return send.call(this, data);
};
new MutationObserver(() => {
  const s = window.__strokes[window.__strokes.length - 1];
  if (!s) return;
  const now = performance.now();
  if (state() === "running") { s.sawRun = true; if (s.run === null) s.run = now; }
  const text = metricText();
  if (s.answer === null && text !== null && (text !== s.before || s.sawRun)) s.answer = now;
  if (s.answer !== null && s.idle === null && state() === "notRunning") s.idle = now;
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ["data-test-script-state"]});
"""


STAGES = ("sent", "reply", "lastReply", "run", "answer", "idle")  # what WATCH records, in order


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_stroke(page, canvas, strokes, pid: int) -> tuple[dict, float]:
    """Draw ``strokes`` and wait for the answer; what the page recorded (ms since the page opened) and
    the server's CPU-seconds meanwhile."""
    page.evaluate("window.__strokes = []")
    before = cpu_seconds(pid)
    draw_strokes(page, canvas, strokes, steps=6)
    for _ in range(600):
        if page.evaluate("window.__strokes.length > 0 && window.__strokes[window.__strokes.length - 1].idle !== null"):
            break
        page.wait_for_timeout(100)
    else:
        raise SystemExit(f"no answer recorded: {page.evaluate('JSON.stringify(window.__strokes)')}")
    page.wait_for_timeout(200)
    return page.evaluate("window.__strokes[window.__strokes.length - 1]"), cpu_seconds(pid) - before


def report(title: str, results: list[dict], cpu: list[float]) -> None:
    print(f"{title}: {len(results)} strokes")
    print("  sent, first and last reply, run, answer, idle after pen-up (ms):",
          [tuple(round(r[k] - r["up"]) if r[k] else None for k in STAGES) for r in results])
    answer = [(r["answer"] - r["up"]) / 1000 for r in results]
    busy = [(r["idle"] - r["up"]) / 1000 for r in results]
    print(f"  pen-up to prediction on screen: p50 {statistics.median(answer):.3f} s, "
          f"p95 {percentile(answer, 0.95):.3f} s, max {max(answer):.3f} s")
    print(f"  pen-up to page idle:            p50 {statistics.median(busy):.3f} s, p95 {percentile(busy, 0.95):.3f} s")
    print(f"  server CPU per stroke:          p50 {statistics.median(cpu) * 1000:.0f} ms, "
          f"max {max(cpu) * 1000:.0f} ms (/proc, 10 ms ticks)")


def open_fresh(browser, base):
    """A new tab on Draw, its first run finished and its canvas ready for a pen."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH)
    page.goto(base + "/Draw")
    wait_for_run(page)
    canvas = page.locator("[data-testid='stMain'] canvas").last
    canvas.wait_for(state="attached")
    page.wait_for_timeout(500)  # the canvas attaches its pen
    return page, canvas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20, help="drawings to time (one stroke each)")
    parser.add_argument("--fresh-pages", type=int, default=0,
                        help="also time the first and second stroke on this many freshly opened Draw pages")
    args = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright

    drawings = [d for d in handwriting.drawing_set(per_digit=4, seed=5) if len(d.strokes) == 1]
    drawings = drawings[: max(args.strokes, 2)]
    with (tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models", DIGITS_WARMUP="0") as base,
          sync_playwright() as p):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page, canvas = open_fresh(browser, base)
        draw_strokes(page, canvas, drawings[0].strokes)  # the first answer loads the model; not timed
        expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
        wait_for_run(page)
        results, cpu = [], []
        for d in drawings[: args.strokes]:
            page.get_by_role("button", name="Clear").click()
            expect(page.locator("[data-testid='stMetricValue']")).to_have_count(0, timeout=30_000)
            wait_for_run(page)
            page.wait_for_timeout(500)  # the new canvas attaches its pen
            result, used = timed_stroke(page, canvas, d.strokes, base.pid)
            results.append(result)
            cpu.append(used)
        page.close()
        first, first_cpu, second, second_cpu = [], [], [], []
        for i in range(args.fresh_pages):
            page, canvas = open_fresh(browser, base)
            for d, into, used_into in ((drawings[i % len(drawings)], first, first_cpu),
                                       (drawings[(i + 1) % len(drawings)], second, second_cpu)):
                if into is second:
                    page.get_by_role("button", name="Clear").click()
                    expect(page.locator("[data-testid='stMetricValue']")).to_have_count(0, timeout=30_000)
                    wait_for_run(page)
                    page.wait_for_timeout(500)
                result, used = timed_stroke(page, canvas, d.strokes, base.pid)
                into.append(result)
                used_into.append(used)
            page.close()
        browser.close()

    if results:
        report("one student, default Draw model, later strokes", results, cpu)
    if first:
        report("the first stroke on a freshly opened Draw page", first, first_cpu)
        report("the second stroke on that page", second, second_cpu)


if __name__ == "__main__":
    main()
