"""Render the README's screenshots from the running app in headless chromium.

Usage: python -m scripts.screenshots [--only draw photo explore evaluate class pages neural languages]   (writes docs/)
"""

import re
import tempfile
from pathlib import Path

import numpy as np
from playwright.sync_api import expect, sync_playwright

from digitlib.classroom.store import ClassStore
from digitlib.drawing import handwriting, preprocess
from digitlib.paper import synthetic
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server, draw_strokes, touch_stroke, wait_for_run
from tests.support.paths import ROOT

FOUR = [[(95, 45), (70, 160), (200, 160)], [(170, 60), (165, 250)]]


def draw_a_four(page, touch: bool, answer_on_top: bool = False) -> None:
    """Draw FOUR on the Draw page (with a finger or the mouse) and wait for its answer; with
    ``answer_on_top``, scroll the answer to the top of the screen, clear of Streamlit's header."""
    canvas = page.locator("[data-testid='stMain'] canvas").last
    canvas.scroll_into_view_if_needed()
    for stroke in FOUR:
        (touch_stroke if touch else draw_strokes)(page, canvas, *([stroke] if touch else [[stroke]]))
    expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
    wait_for_run(page)
    if answer_on_top:
        page.locator("[data-testid='stMain'] [data-testid='stMetric']").first.evaluate(
            "e => { e.scrollIntoView({block: 'start'}); let s = e.parentElement;"
            " while (s && s.scrollTop === 0) s = s.parentElement; if (s) s.scrollTop -= 90; }")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = ["draw", "photo", "explore", "evaluate", "class", "pages", "neural", "languages"]
    parser.add_argument("--only", nargs="+", choices=names,
                        help="render only these views (default: all)")
    only = parser.parse_args().only
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    views = {"draw": draw_views, "photo": photo_views, "explore": pixels_and_sampling, "evaluate": evaluate_views,
             "class": class_pages, "pages": every_page, "neural": neural_views, "languages": language_views}
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        database = Path(tmp) / "data" / "digits.sqlite"
        for name, view in views.items():
            if only is None or name in only:
                view(browser, base, out, database)
        browser.close()
    print("wrote", ", ".join(str(p.relative_to(ROOT)) for p in sorted(out.rglob("*.png"))))


def draw_views(browser, base, out, database) -> None:
    """Draw with a 4 on a laptop and with a finger on a phone; Evaluate and Train as they open."""
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
    draw_a_four(phone, touch=True)
    phone.screenshot(path=out / "screenshot-draw-phone.png")
    page.goto(base + "/Evaluate")
    wait_for_run(page)
    page.screenshot(path=out / "screenshot-evaluate.png")
    page.goto(base + "/Train")
    wait_for_run(page)
    page.screenshot(path=out / "screenshot-train.png")
    phone.close()
    page.close()


def photo_views(browser, base, out, database) -> None:
    """Draw's photo of paper: a ruled-paper phone photo read, then its steps, on a laptop and on a phone."""
    photo = synthetic.make_photo(3, paper="ruled", pen="pen")
    path = Path(tempfile.mkdtemp()) / "number.jpg"
    path.write_bytes(photo.jpeg)
    for name, viewport, phone in (("draw-photo", {"width": 1280, "height": 800}, False),
                                  ("draw-photo-phone", {"width": 390, "height": 844}, True)):
        page = browser.new_page(viewport=viewport, has_touch=phone, is_mobile=phone,
                                device_scale_factor=2 if phone else 1)
        page.goto(base + "/Draw?read=photo")
        wait_for_run(page)
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(path))
        expect(page.get_by_text("Number read")).to_be_visible(timeout=120_000)
        wait_for_run(page)
        page.screenshot(path=out / "pages" / f"{name}.png")
        page.get_by_text("Step by step").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=out / "pages" / f"{name}-steps.png")
        page.close()


def pixels_and_sampling(browser, base, out, database) -> None:
    """Explore's mean digits and ink map; Train's "Sampling matters" after "Compare sampling"."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def from_heading(name):
        page.get_by_role("heading", name=name).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.mouse.move(5, 5)  # no hover toolbar on a table or picture
        page.wait_for_timeout(600)

    page.goto(base + "/Explore")
    wait_for_run(page)
    from_heading("The average digit, and the pixels that matter")
    page.screenshot(path=out / "screenshot-explore-pixels.png")
    page.goto(base + "/Train")
    wait_for_run(page)
    page.get_by_role("button", name="Compare sampling").click()
    expect(page.get_by_text("balanced model, which saw")).to_be_visible(timeout=120_000)
    wait_for_run(page)
    from_heading("Sampling matters")
    page.screenshot(path=out / "screenshot-train-sampling.png")
    page.close()


def neural_views(browser, base, out, database) -> None:
    """/Neural?n=2000 while the network trains and once done; Draw reading with the network."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/Neural?n=2000")
    wait_for_run(page)
    page.get_by_role("button", name="Train the neural network").click()
    expect(page.get_by_text("Training: pass 12 of 30")).to_be_visible(timeout=300_000)
    page.mouse.move(5, 5)
    page.screenshot(path=out / "screenshot-neural-training.png")
    expect(page.get_by_text("Neural network accuracy")).to_be_visible(timeout=300_000)
    wait_for_run(page)
    page.mouse.move(5, 5)
    page.wait_for_timeout(800)
    page.screenshot(path=out / "screenshot-neural.png")
    for heading, name in (("Where each one goes wrong", "neural-disagree"),
                          ("What the network looks for", "neural-filters")):
        page.get_by_role("heading", name=heading).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.mouse.move(5, 5)
        page.wait_for_timeout(800)
        page.screenshot(path=out / f"screenshot-{name}.png")
    page.goto(base + "/Draw")
    wait_for_run(page)
    page.get_by_text(re.compile(r"^The neural network \(")).click()
    wait_for_run(page)
    draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, FOUR)
    expect(page.get_by_text("The bars are its probabilities")).to_be_visible(timeout=120_000)
    wait_for_run(page)
    page.mouse.move(5, 5)
    page.screenshot(path=out / "screenshot-draw-neural.png")
    page.close()


def evaluate_views(browser, base, out, database) -> None:
    """Evaluate with a confusion square clicked and one of its images opened; the lesson's two steps compared."""
    page = browser.new_page(viewport={"width": 1280, "height": 1240})  # the square and the viewer beside its images
    page.goto(base + "/Evaluate?n=500&cell=6-2&index=54")
    wait_for_run(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart.locator("g.mark-rect path")).to_have_count(100 + 1)  # and the outline
    chart.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    page.screenshot(path=out / "screenshot-evaluate-square.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/Evaluate?n=500&pin_n=100")
    wait_for_run(page)
    page.get_by_role("heading", name="Compare with the pinned model").evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    page.screenshot(path=out / "screenshot-evaluate-compare.png")
    page.close()


def class_pages(browser, base, out, database) -> None:
    """A class with forty drawings by four students and four experiments, seen by its teacher."""
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(base + "/Class")
    wait_for_run(page)
    page.get_by_role("button", name="Start a new class").click()
    wait_for_run(page)
    code = page.locator("[data-testid='stMetricValue']").first.inner_text()
    store, rng = ClassStore(f"sqlite:///{database}"), np.random.default_rng(3)
    for i in range(40):
        drawing = handwriting.random_drawing(i % 10, rng, style={1: 2, 7: 1}.get(i % 10) if i % 20 < 10 else None)
        store.save_drawing(code, f"student-{i % 4}", i % 10, preprocess.prepare(handwriting.render(drawing)).centred)
    student = browser.new_page(viewport={"width": 1280, "height": 900})
    for query in ("n=100", "n=500", "n=2000", "n=500&mode=balanced"):
        student.goto(f"{base}/Train?class={code}&{query}")
        wait_for_run(student)
        student.get_by_role("button", name="Post to the class board").click(timeout=120_000)
        expect(student.get_by_text(f"This model is on class {code}")).to_be_visible(timeout=120_000)
    page.get_by_role("link", name="Our class").click()  # the same session: still the teacher
    wait_for_run(page)
    page.screenshot(path=out / "screenshot-class.png")
    page.get_by_role("tab", name="Board").click()
    wait_for_run(page)
    page.locator("[data-testid='stVegaLiteChart']:visible").scroll_into_view_if_needed()
    page.screenshot(path=out / "screenshot-class-board.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("tab", name="Guess first").click()
    page.get_by_role("button", name="Ask the class").click()
    wait_for_run(page)
    page.get_by_role("tab", name="Board").click()
    page.get_by_role("button", name="Projector view").click()
    wait_for_run(page)
    page.mouse.move(5, 5)
    page.wait_for_timeout(800)
    page.screenshot(path=out / "screenshot-class-projector.png")
    page.close()
    student.close()


# Every page as a student opens it, on a 390 x 844 phone and on a 1280 x 800 projector.
PAGES = {"home": "/", "explore": "/Explore", "train": "/Train?n=500", "evaluate": "/Evaluate?n=500&cell=4-9",
         "draw": "/Draw", "class": "/Class", "neural": "/Neural?n=2000"}
SCREENS = {"phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
                     "device_scale_factor": 2},
           "projector": {"viewport": {"width": 1280, "height": 800}}}


def every_page(browser, base, out, database) -> None:
    """docs/pages/PAGE-SCREEN.png: the first screen of every page at both sizes (Draw with a 4 drawn)."""
    folder = out / "pages"
    folder.mkdir(exist_ok=True)
    for screen, options in SCREENS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(base + path)
            wait_for_run(page)
            if name == "draw":
                draw_a_four(page, touch=screen == "phone", answer_on_top=True)
            page.mouse.move(2, 2) if screen == "projector" else None
            page.wait_for_timeout(800)
            page.screenshot(path=folder / f"{name}-{screen}.png")
        context.close()


def language_views(browser, base, out, database) -> None:
    """docs/pages/: Train in German on a projector and a phone, Draw in Spanish on a phone with a 4 drawn."""
    folder = out / "pages"
    folder.mkdir(exist_ok=True)
    for name, path, screen in (("train-de", "/Train?n=100&lang=de", "projector"),
                               ("train-de-phone", "/Train?n=100&lang=de", "phone"),
                               ("draw-es-phone", "/Draw?lang=es", "phone")):
        context = browser.new_context(**SCREENS[screen])
        page = context.new_page()
        page.goto(base + path)
        wait_for_run(page)
        if name.startswith("draw"):
            draw_a_four(page, touch=True, answer_on_top=True)
        page.wait_for_timeout(800)
        page.screenshot(path=folder / f"{name}.png")
        context.close()


if __name__ == "__main__":
    main()
