"""The app's start time and memory with the 60,000-image model loaded, as a hosted demo runs it.

Usage: python -m bench.memory [--n 60000]   (needs /usr/bin/chromium and playwright)

It starts a fresh ``streamlit run app.py`` with an empty model store, as a new hosted server
has (the learning-curve models come with the repository; another --n is trained into the
store first), opens the Draw page by URL, draws a digit with the mouse, and reports the
server's resident memory (now and peak) and timings.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from digitlib.mnist import data
from digitlib.svm.model_spec import ModelSpec
from digitlib.svm.registry import Registry
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server, draw_strokes, wait_for_run

SEVEN = [[(70, 60), (210, 60), (150, 150), (110, 235)]]


def rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=60_000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name) / "models"
    start = time.perf_counter()
    registry = Registry(data.load(), folder)
    registry.ensure(ModelSpec(n=args.n))
    how = "shipped with the repository" if ModelSpec(n=args.n) in registry.shipped else f"trained into {folder}"
    print(f"model for N={args.n:,} {how} ({time.perf_counter() - start:.1f} s)")

    start = time.perf_counter()
    with tmp, app_server(folder, DIGITS_WARMUP="0") as base, sync_playwright() as p:
        print(f"server answering after {time.perf_counter() - start:.1f} s; RSS {rss_mb(base.pid)[0]:.0f} MB")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t = time.perf_counter()
        page.goto(base + "/")
        wait_for_run(page)
        print(f"Home rendered in {time.perf_counter() - t:.1f} s (first session: loads MNIST); "
              f"RSS {rss_mb(base.pid)[0]:.0f} MB")
        page.goto(base + "/Draw")
        wait_for_run(page)
        t = time.perf_counter()
        draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, SEVEN)
        expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=300_000)
        wait_for_run(page)
        caption = page.get_by_text("Model: SVC on the").first.inner_text()
        print(f"first drawing answered in {time.perf_counter() - t:.1f} s ({caption.strip()})")
        now, peak = rss_mb(base.pid)
        print(f"server memory with the model loaded and MNIST in memory: RSS {now:.0f} MB, peak {peak:.0f} MB")
        browser.close()


if __name__ == "__main__":
    main()
