"""One student on Draw, in headless chromium: pen-up to prediction, and how long the page stays busy.

Times are taken inside the page (performance.now()): from the mouse button's release to the
moment the "Prediction" metric shows the new answer, and to the moment the app's script is
no longer running after it. The server's CPU-seconds per stroke come from /proc.

Usage: python -m bench.draw_latency [--strokes 20] [--model-size 10000]
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
                         sent: null, run: null});
}, true);
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  const s = window.__strokes[window.__strokes.length - 1];
  if (s && s.sent === null) s.sent = performance.now();
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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20, help="drawings to time (one stroke each)")
    args = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright

    drawings = [d for d in handwriting.drawing_set(per_digit=4, seed=5) if len(d.strokes) == 1][: args.strokes]
    with (tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models", DIGITS_WARMUP="0") as base,
          sync_playwright() as p):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(WATCH)
        page.goto(base + "/Draw")
        wait_for_run(page)
        canvas = page.locator("[data-testid='stMain'] canvas").last
        draw_strokes(page, canvas, drawings[0].strokes)  # the first answer loads the model; not timed
        expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
        wait_for_run(page)
        results, cpu = [], []
        for d in drawings:
            page.get_by_role("button", name="Clear").click()
            expect(page.locator("[data-testid='stMetricValue']")).to_have_count(0, timeout=30_000)
            wait_for_run(page)
            page.wait_for_timeout(500)  # the new canvas attaches its pen
            page.evaluate("window.__strokes = []")
            before = cpu_seconds(base.pid)
            draw_strokes(page, canvas, d.strokes, steps=6)
            for _ in range(600):
                if page.evaluate("window.__strokes.length > 0 "
                                 "&& window.__strokes[window.__strokes.length - 1].idle !== null"):
                    break
                page.wait_for_timeout(100)
            else:
                raise SystemExit(f"no answer recorded: {page.evaluate('JSON.stringify(window.__strokes)')}")
            page.wait_for_timeout(200)
            cpu.append(cpu_seconds(base.pid) - before)
            results.append(page.evaluate("window.__strokes[window.__strokes.length - 1]"))
        browser.close()

    print("sent, run, answer, idle after pen-up (ms):",
          [tuple(round(r[k] - r["up"]) if r[k] else None for k in ("sent", "run", "answer", "idle")) for r in results])
    answer = [(r["answer"] - r["up"]) / 1000 for r in results]
    busy = [(r["idle"] - r["up"]) / 1000 for r in results]
    print(f"{len(results)} strokes, one student, default Draw model")
    print(f"pen-up to prediction on screen: p50 {statistics.median(answer):.3f} s, "
          f"p95 {percentile(answer, 0.95):.3f} s")
    print(f"pen-up to page idle:            p50 {statistics.median(busy):.3f} s, p95 {percentile(busy, 0.95):.3f} s")
    print(f"server CPU per stroke:          p50 {statistics.median(cpu) * 1000:.0f} ms, "
          f"max {max(cpu) * 1000:.0f} ms (/proc, 10 ms ticks)")


if __name__ == "__main__":
    main()
