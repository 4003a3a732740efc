"""A whole lesson in real browsers, as a teacher runs it: the teacher's laptop on a projector
(1280 × 800), two students on phones (390 × 844, touch) and one on a laptop, on one fresh server.
Each step checks one of the twelve things that hurt a lesson (issue 22)."""

import re

import numpy as np
import pytest

from digitlib.drawing import handwriting, preprocess
from tests.support.browser import (
    SAVE,
    app_server,
    draw_strokes,
    expect,
    metric_value,
    prediction,
    require_chromium,
    server_store,
    touch_stroke,
    wait_for_run,
)
from tests.support.evaluate_page import click_square, most_frequent_mistake

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TEACHER_ONLY = "Teacher: this class"


def opened(browser, url, **context):
    tab = browser.new_context(**context).new_page()
    tab.goto(url)
    wait_for_run(tab)
    return tab


def draw(tab, strokes):
    canvas = tab.locator("[data-testid='stMain'] canvas").last
    if tab.viewport_size == PHONE["viewport"]:  # a finger
        canvas.scroll_into_view_if_needed()
        for stroke in strokes:
            touch_stroke(tab, canvas, stroke)
    else:
        draw_strokes(tab, canvas, strokes)


def draw_and_save(tab, digit, rng):
    """Draw a ``digit`` (with a finger on a phone), say which digit it is, save it; confirm if asked."""
    drawing = handwriting.random_drawing(digit, rng)
    draw(tab, drawing.strokes)
    read = prediction(tab)
    if read != str(digit):
        group = tab.locator("[data-testid='stButtonGroup']").filter(has_text="0").last
        group.get_by_role("radio", name=str(digit), exact=True).click()
        wait_for_run(tab)
    tab.get_by_role("button", name=SAVE).click()
    if read != str(digit):  # asked once: "The model read 3. Save it as an 8?"
        tab.get_by_role("button", name=f"Yes, save it as {digit}").click(timeout=60_000)
    expect(tab.get_by_text(f"Saved your {digit}")).to_be_visible(timeout=60_000)
    wait_for_run(tab)


def post_with_nickname(tab, base, code, nickname, n):
    tab.goto(f"{base}/Class?class={code}")
    wait_for_run(tab)
    tab.get_by_role("tab", name="Board").click()
    box = tab.get_by_role("textbox", name="My nickname on the board (optional)")
    box.fill(nickname)
    box.press("Enter")
    wait_for_run(tab)
    tab.goto(f"{base}/Train?class={code}&n={n}")
    wait_for_run(tab)
    tab.get_by_role("button", name="Post to the class board").click(timeout=120_000)
    expect(tab.get_by_text(f"This model is on class {code}'s board")).to_be_visible(timeout=60_000)


def test_a_lesson_with_a_teacher_two_phones_and_a_laptop(browser, tmp_path, lesson_500):
    require_chromium()
    cache = tmp_path / "models"
    cache.mkdir()
    rng = np.random.default_rng(22)
    with app_server(cache) as base:
        store = server_store(base)

        # 1. The teacher starts a class, is told once to keep the link, reloads and stays the teacher.
        teacher = opened(browser, base + "/Class", **LAPTOP)
        teacher.get_by_role("button", name="Start a new class").click()
        wait_for_run(teacher)
        code = metric_value(teacher, "Class code")
        expect(teacher.get_by_text("Keep your teacher link")).to_be_visible()
        teacher.reload()
        wait_for_run(teacher)
        expect(teacher.get_by_text(TEACHER_ONLY)).to_be_visible(timeout=60_000)
        expect(teacher.get_by_text("Keep your teacher link")).to_have_count(0)

        # 7. A link with a wrong code leads to the Join form, the code filled in; a bad character is named.
        laptop = opened(browser, f"{base}/Draw?class=ZZZZ9999", **LAPTOP)
        expect(laptop.get_by_text("No class has the code ZZZZ9999")).to_be_visible()
        expect(laptop.get_by_role("button", name=SAVE)).to_have_count(0)
        laptop.get_by_role("link", name="Join a class with its code").click()
        wait_for_run(laptop)
        expect(laptop.get_by_label("Class code")).to_have_value("ZZZZ9999")
        laptop.goto(f"{base}/Draw?class=ZZ0ZZ999")
        wait_for_run(laptop)
        expect(laptop.get_by_text("'ZZ0ZZ999' is not a class code: it has 0")).to_be_visible()
        laptop.goto(f"{base}/Class")
        wait_for_run(laptop)
        laptop.get_by_label("Class code").fill(code.lower())
        laptop.get_by_role("button", name="Join the class").click()
        wait_for_run(laptop)
        assert metric_value(laptop, "Class code") == code

        # 3. A tap is no digit: no prediction, nothing to save. 2. A reload keeps the same student.
        phone_a = opened(browser, f"{base}/Draw?class={code}", **PHONE)
        draw(phone_a, [[(140, 140), (142, 141)]])
        expect(phone_a.get_by_text(re.compile("That looks like a dot or a slip"))).to_be_visible(timeout=60_000)
        expect(phone_a.get_by_role("button", name=SAVE)).to_have_count(0)
        expect(phone_a.locator("[data-testid='stMetric']").filter(has_text="Prediction")).to_have_count(0)
        draw_and_save(phone_a, 1, rng)
        phone_a.reload()
        wait_for_run(phone_a)
        expect(phone_a.get_by_text("You have saved 1 drawing")).to_be_visible(timeout=60_000)
        draw_and_save(phone_a, 4, rng)
        expect(phone_a.get_by_text("You have saved 2 drawings")).to_be_visible()
        expect(phone_a.get_by_role("button", name="Undo my last save")).to_be_visible()
        teacher.reload()
        wait_for_run(teacher)
        assert metric_value(teacher, "Drawings saved") == "2" and metric_value(teacher, "Students who saved") == "1"

        # 3. A label the model did not read asks once, then saves; the saved message shows the drawing.
        phone_b = opened(browser, f"{base}/Draw?class={code}", **PHONE)
        draw(phone_b, handwriting.random_drawing(7, rng).strokes)
        read = prediction(phone_b)
        other = "1" if read != "1" else "2"
        phone_b.locator("[data-testid='stButtonGroup']").filter(has_text="0").last.get_by_role(
            "radio", name=other, exact=True).click()
        wait_for_run(phone_b)
        phone_b.get_by_role("button", name=SAVE).click()
        expect(phone_b.get_by_text(f"The model read {read}.")).to_be_visible(timeout=60_000)
        assert store.count(code) == 2  # asked, not saved yet
        phone_b.get_by_role("button", name=f"Yes, save it as {other}").click()
        expect(phone_b.get_by_text(f"Saved your {other}")).to_be_visible(timeout=60_000)
        assert store.count(code) == 3

        # 4. On a phone the sidebar gets out of the way after a page link.
        sidebar = phone_a.locator("[data-testid='stSidebar']")
        phone_a.locator("[data-testid='stExpandSidebarButton']").tap()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        phone_a.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Explore the data").tap()
        wait_for_run(phone_a)
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        # 10. Explore's pixel numbers fit a phone (or scroll inside their own box), and say what 0 is.
        assert phone_a.evaluate("document.documentElement.scrollWidth") <= 390
        pixels_said = phone_a.get_by_text(re.compile(r"0 is blank paper \(white\), 255 the darkest ink"))
        expect(pixels_said.first).to_be_visible()

        # 5. Guess first is not spoiled: while the question is open, Train's curve hides.
        teacher.get_by_role("tab", name="Guess first").click()
        teacher.get_by_role("button", name="Ask the class").click()
        wait_for_run(teacher)
        laptop.goto(f"{base}/Train?class={code}&n=500")
        wait_for_run(laptop)
        expect(laptop.get_by_text("The learning curve is hidden while your teacher's question is open")).to_be_visible(
            timeout=120_000)

        # 6. The board: a model goes on it when its student posts it, once; two Sams are told apart.
        assert store.experiments(code) == []  # opening Train posted nothing
        post_with_nickname(phone_a, base, code, "Sam", 100)
        post_with_nickname(laptop, base, code, "Sam", 500)
        laptop.reload()
        wait_for_run(laptop)
        expect(laptop.get_by_role("button", name="Post to the class board")).to_have_count(0)
        assert sorted(e.nickname for e in store.experiments(code)) == ["Sam", "Sam 2"]

        # 11. From Train at N = 500, the sidebar's link opens the neural network page at 500.
        laptop.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a",
                       has_text="Compare with a neural network").click()
        wait_for_run(laptop)
        laptop.wait_for_url(re.compile(r"/Neural\?.*n=500"))
        assert laptop.locator("[data-testid='stSliderThumbValue']").first.inner_text() == "500"

        # 8. Evaluate: the clicked square's images are in sight, and the viewer shows the first of them.
        laptop.goto(f"{base}/Evaluate?class={code}&n=500")
        wait_for_run(laptop)
        true, predicted, found = most_frequent_mistake(lesson_500)
        click_square(laptop, true, predicted)
        expect(laptop.get_by_role("heading", name=f"Square: true {true}, predicted {predicted}")).to_be_in_viewport()
        expect(laptop.locator(".st-key-eval_cell_images img").first).to_be_in_viewport()
        expect(laptop.get_by_text(f"Test image {found[0]}", exact=True)).to_be_visible()  # the viewer: its first

        # 12. MNIST + our class on a handful of drawings says so and shows no arrow.
        for k in range(12):
            picture = handwriting.render(handwriting.random_drawing(k % 10, rng))
            store.save_drawing(code, f"extra-{k % 3}", k % 10, preprocess.prepare(picture).centred)
        teacher.reload()
        wait_for_run(teacher)
        teacher.get_by_role("tab", name="MNIST + our class").click()
        teacher.get_by_role("button", name="Train MNIST + our class").click()
        wait_for_run(teacher)
        expect(teacher.get_by_text("can be luck")).to_be_visible(timeout=120_000)
        expect(teacher.locator("[data-testid='stMetricDelta']")).to_have_count(0)

        # 9. The projector view: the board and the question, big, nothing else.
        teacher.get_by_role("tab", name="Board").click()
        teacher.get_by_role("button", name="Projector view").click()
        wait_for_run(teacher)
        expect(teacher.get_by_role("heading", name=f"Class {code}: our models")).to_be_visible()
        expect(teacher.get_by_text("What accuracy will N = 2,000 get")).to_be_visible()
        expect(teacher.locator("[data-testid='stSidebar']")).to_be_hidden()
        expect(teacher.get_by_role("tab")).to_have_count(0)
        assert teacher.locator("[data-testid='stException']").count() == 0
        for tab in (teacher, laptop, phone_a, phone_b):
            assert tab.locator("[data-testid='stException']").count() == 0
            tab.context.close()
