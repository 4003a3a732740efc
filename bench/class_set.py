"""A class set drawn in the browser: does the default model read it, and does "MNIST + our class" help?

A teacher starts a class on a fresh server; each student (a headless chromium page) draws every
digit a few times on Draw with real mouse strokes and saves it with the digit meant. Half of the
students write European-style: 1s with a flag and a foot, crossed 7s. Then the Class page gives
"Accuracy on our drawings" for the default model, and "MNIST + our class" for each N, as a class
would read them. Figures come from the page itself.

Usage: python -m bench.class_set [--students 6] [--per-digit 2] [--sizes 500 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from digitlib.drawing import handwriting
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_server,
    draw_and_save,
    metric_value,
    new_page,
    start_class,
    wait_for_run,
)

# Styles in digitlib.drawing.handwriting: a 1 with a flag and a foot, and a crossed 7.
EUROPEAN = {1: 2, 7: 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--per-digit", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rng = np.random.default_rng(args.seed)
    read_right = {"european": [0, 0], "mixed": [0, 0]}
    european_ones_sevens = [0, 0]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        cache = Path(tmp) / "models"
        cache.mkdir()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with app_server(cache) as base:
            teacher, code = start_class(browser, base)
            started = time.perf_counter()
            for student in range(args.students):
                european = student % 2 == 0
                page = new_page(browser, f"{base}/Draw?class={code}")
                digits = [d for d in range(10) for _ in range(args.per_digit)]
                rng.shuffle(digits)
                for digit in digits:
                    style = EUROPEAN.get(digit) if european else None
                    drawing = handwriting.random_drawing(int(digit), rng, style=style)
                    read = draw_and_save(page, drawing)
                    tally = read_right["european" if european else "mixed"]
                    tally[0] += read == str(digit)
                    tally[1] += 1
                    if european and digit in EUROPEAN:
                        european_ones_sevens[0] += read == str(digit)
                        european_ones_sevens[1] += 1
                page.context.close()
            seconds = time.perf_counter() - started
            total = sum(t[1] for t in read_right.values())
            print(f"{total} drawings by {args.students} students saved in {seconds:.0f} s "
                  f"({seconds / total:.2f} s each, drawing included)")
            for kind, (right, count) in read_right.items():
                print(f"  read right while drawing, {kind} writers: {right}/{count} = {right / count:.2f}")
            right, count = european_ones_sevens
            print(f"  European 1s and crossed 7s read right: {right}/{count} = {right / max(count, 1):.2f}")

            teacher.goto(f"{base}/Class?class={code}")
            wait_for_run(teacher)
            print(f"Class page: Drawings saved {metric_value(teacher, 'Drawings saved')}, "
                  f"Accuracy on our drawings {metric_value(teacher, 'Accuracy on our drawings')}, "
                  f"Accuracy on MNIST test images {metric_value(teacher, 'Accuracy on MNIST test images')}")
            teacher.get_by_role("tab", name="MNIST + our class").click()
            for n in args.sizes:
                slider = teacher.get_by_role("slider").last
                slider.focus()
                for _ in range(8):
                    slider.press("Home")  # back to the smallest, then step up to n
                wait_for_run(teacher)
                options = [100, 500, 1000, 2000, 5000]
                for _ in range(options.index(n)):
                    slider.press("ArrowRight")
                wait_for_run(teacher)
                teacher.get_by_role("button", name="Train MNIST + our class").click()
                wait_for_run(teacher)
                print(f"MNIST + our class, N={n:,}: MNIST only {metric_value(teacher, 'MNIST only')}, "
                      f"MNIST + our class {metric_value(teacher, 'MNIST + our class')}")
        browser.close()


if __name__ == "__main__":
    main()
