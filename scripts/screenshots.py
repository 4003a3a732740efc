"""Render the README's screenshots from the running app in headless chromium.

Usage: python scripts/screenshots.py   (writes docs/*.png)
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, app_server, draw_strokes, touch_stroke, wait_for_run  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

FOUR = [[(95, 45), (70, 160), (200, 160)], [(170, 60), (165, 250)]]


def main() -> None:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(base + "/Draw")
        wait_for_run(page)
        draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, FOUR)
        expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
        wait_for_run(page)
        page.screenshot(path=out / "screenshot-draw.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                 device_scale_factor=2)
        phone.goto(base + "/Draw")
        wait_for_run(phone)
        canvas = phone.locator("[data-testid='stMain'] canvas").last
        canvas.scroll_into_view_if_needed()
        for stroke in FOUR:
            touch_stroke(phone, canvas, stroke)
        expect(phone.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
        wait_for_run(phone)
        phone.screenshot(path=out / "screenshot-draw-phone.png")
        page.goto(base + "/Evaluate")
        wait_for_run(page)
        page.screenshot(path=out / "screenshot-evaluate.png")
        page.goto(base + "/Train")
        wait_for_run(page)
        page.screenshot(path=out / "screenshot-train.png")
        browser.close()
    print("wrote", ", ".join(str(p.relative_to(ROOT)) for p in sorted(out.glob("screenshot-*.png"))))


if __name__ == "__main__":
    main()
