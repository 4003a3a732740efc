"""The lesson by keyboard only (issue 19): Tab, Shift+Tab, Enter, Space and the arrow keys, never a click
(Shift+Space chooses a row of the teacher's table of drawings).
Every control reached shows where the keyboard is (a focus ring: an outline, a box-shadow, or the ring
drawn over a square of the confusion matrix)."""

import re

import pytest

from tests.support.browser import expect, metric_value, new_page, server_store, wait_for_run
from tests.support.class_store import digit
from tests.support.evaluate_page import most_frequent_mistake

pytestmark = pytest.mark.browser

ACCURACY = "Accuracy on the first 100 test images"

# What has the focus, and whether it shows: its own outline or box-shadow, its slider thumb's (the slider's
# input is visually hidden), a text box's frame, or the ring over a matrix square.
_FOCUSED = """() => {
  const e = document.activeElement;
  const shows = (el) => {
    const s = getComputedStyle(el);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  };
  let ring = shows(e);
  const thumb = e.closest("[data-focus-visible]");
  if (!ring && thumb) ring = shows(thumb);
  const frame = e.closest("[data-testid='stTextInputRootElement'],[data-testid='stNumberInputContainer']");
  if (!ring && frame) ring = shows(frame);
  const square = e.dataset ? e.dataset.square : undefined;
  if (!ring && square !== undefined) ring = document.querySelectorAll(".digits-focus-ring").length === 2;
  return {tag: e.tagName, role: e.getAttribute("role") || "", type: e.getAttribute("type") || "",
          testid: e.getAttribute("data-testid") || "",
          label: e.getAttribute("aria-label") || "", text: (e.innerText || "").trim(), ring,
          square: square === undefined ? null : Number(square)};
}"""


def focused(page) -> dict:
    return page.evaluate(_FOCUSED)


def press_until(page, found, key: str = "Tab", limit: int = 120) -> dict:
    """Press ``key`` until the focused element is ``found`` (a test on ``focused()``); that element."""
    for _press in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if found(now):
            return now
    raise AssertionError(f"{limit} presses of {key} never reached it; last focused: {now}")


def named(text: str):
    """A test: the focused element reads exactly ``text`` (its visible text without icon names, or its label)."""
    return lambda f: text in (f["label"], f["text"].split("\n")[-1])


def after_run(page, url_part: str | None = None) -> None:
    """Wait for the rerun a key started (and for the address to say ``url_part``)."""
    if url_part:
        page.wait_for_url(re.compile(re.escape(url_part)), timeout=120_000)
    page.wait_for_timeout(300)
    wait_for_run(page)


def test_the_lesson_by_keyboard(browser, server, lesson_500):
    page = new_page(browser, server + "/Train")
    try:
        # Train's steps: buttons, pressed with Enter and Space.
        step = press_until(page, named("Step 1: 100 images"))
        assert step["tag"] == "BUTTON" and step["ring"], step
        page.keyboard.press("Enter")
        after_run(page, "n=100")
        at_100 = metric_value(page, ACCURACY)
        step = press_until(page, named("Step 2: 500 images"))
        assert step["ring"], step
        page.keyboard.press("Space")
        after_run(page, "n=500")
        at_500 = metric_value(page, ACCURACY)
        assert at_500 == f"{lesson_500.accuracy:.2f}" and at_500 != at_100

        # The N slider: reached by Tab, its thumb ringed, moved with the arrow keys; the accuracy follows.
        slider = press_until(page, lambda f: f["type"] == "range" and f["label"] == "Training images (N)")
        assert slider["ring"], slider
        page.keyboard.press("ArrowLeft")
        after_run(page, "n=300")
        assert metric_value(page, ACCURACY) != at_500
        assert focused(page)["type"] == "range"  # the rerun kept the focus on the slider
        page.keyboard.press("ArrowRight")
        after_run(page, "n=500")
        assert metric_value(page, ACCURACY) == at_500

        # To Evaluate through the sidebar's page link, ringed too.
        link = press_until(page, named("Evaluate"), key="Shift+Tab")
        assert link["tag"] == "A" and link["ring"], link
        page.keyboard.press("Enter")
        after_run(page, "/Evaluate")
        expect(page.get_by_role("heading", name="Evaluate the model")).to_be_visible()

        # The confusion matrix: one tab stop, a ring on the square, arrows to the most frequent mistake, Enter.
        true, predicted, found = most_frequent_mistake(lesson_500)
        square = press_until(page, lambda f: f["square"] is not None)
        assert square["role"] == "button" and square["ring"], square
        assert square["square"] == 0 and "True digit: 0" in square["label"]
        for _row in range(true):
            page.keyboard.press("ArrowDown")
        for _column in range(predicted):
            page.keyboard.press("ArrowRight")
        square = focused(page)
        assert square["square"] == 10 * true + predicted and square["ring"], square
        assert f"True digit: {true}" in square["label"] and f"Predicted digit: {predicted}" in square["label"]
        page.keyboard.press("Enter")
        after_run(page, f"cell={true}-{predicted}")
        expect(page.get_by_role("heading", name=f"Square: true {true}, predicted {predicted}")).to_be_visible()
        expect(page.locator(".st-key-eval_cell_images img")).to_have_count(min(len(found), 40))
        page.wait_for_function("document.activeElement && document.activeElement.dataset.square !== undefined")
        assert focused(page)["square"] == 10 * true + predicted  # the new chart gave the square its focus back

        # Its images: Tab goes on to them; Enter shows one in the viewer.
        last = found[min(len(found), 40) - 1]
        image = press_until(page, named(f"#{last}"))
        assert image["tag"] == "BUTTON" and image["ring"], image
        page.keyboard.press("Enter")
        after_run(page, f"index={last}")
        expect(page.get_by_text(f"Test image {last}", exact=True)).to_be_visible()
    finally:
        page.context.close()


def test_the_class_page_by_keyboard(browser, server):
    teacher = new_page(browser, server + "/Class")
    student = new_page(browser, server + "/Class")
    try:
        start = press_until(teacher, named("Start a new class"))
        assert start["tag"] == "BUTTON" and start["ring"], start
        teacher.keyboard.press("Enter")
        after_run(teacher)
        code = metric_value(teacher, "Class code")
        expect(teacher.get_by_text("Teacher: this class")).to_be_visible()
        # The teacher's tabs: one tab stop, the arrow keys go from tab to tab.
        tab = press_until(teacher, lambda f: f["role"] == "tab")
        assert tab["ring"], tab
        teacher.keyboard.press("ArrowRight")
        moved = focused(teacher)
        assert moved["role"] == "tab" and moved["text"] != tab["text"], moved
        teacher.keyboard.press("Enter")
        expect(teacher.get_by_role("tab", name=moved["text"])).to_have_attribute("aria-selected", "true")

        # The teacher's gallery of drawings: Tab into the table, Shift+Space chooses a row, Enter removes it.
        store = server_store(server)
        for k in range(2):
            store.save_drawing(code, f"student-{k}", k, digit(9))
        teacher.reload()
        wait_for_run(teacher)
        press_until(teacher, lambda f: f["testid"] == "data-grid-canvas")  # the table's cells
        teacher.keyboard.press("ArrowDown")
        teacher.keyboard.press("Shift+Space")
        remove = press_until(teacher, named("Remove the chosen drawings"))
        assert remove["ring"], remove
        teacher.keyboard.press("Enter")
        expect(teacher.get_by_text("Removed 1 drawing(s).")).to_be_visible(timeout=60_000)
        assert store.count(code) == 1

        # A student joins by typing the code; the box is outlined while it has the focus.
        box = press_until(student, named("Class code"))
        assert box["tag"] == "INPUT" and box["ring"], box
        student.keyboard.type(code.lower())
        join = press_until(student, named("Join the class"))
        assert join["ring"], join
        student.keyboard.press("Enter")
        after_run(student)
        assert metric_value(student, "Class code") == code
    finally:
        teacher.context.close()
        student.context.close()
