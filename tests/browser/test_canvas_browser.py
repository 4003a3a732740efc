"""The Draw page's canvas in a real browser: a stroke starting anywhere on it leaves ink.

The canvas component's toolbar once sat, invisible, over the top-right of the drawing and
swallowed presses there (issue 8); ui/canvas.py keeps it in a strip above the canvas.
Ink is read back from the canvas's own pixels. What the canvas sends is a 280 x 280 PNG at
every device-pixel ratio, the only size the server decodes (digitlib/drawing/image_bounds.py).
"""


import pytest

from tests.support.browser import draw_strokes, open_draw, prediction, sent_png_sizes, touch_stroke, wait_for_run

pytestmark = pytest.mark.browser
SIZE = 280
SENT_SIZES = {(SIZE, SIZE)}  # ui.canvas.SENT_SIZES (that module imports only under streamlit run)
# Short inward strokes starting 3-9 px from an edge: six along the top (four right of centre),
# the other three edges and the four corners. No stroke comes within 12 px of another's start.
EDGE_STROKES = {
    "top 30": [(30, 4), (30, 34)],
    "top 95": [(95, 8), (95, 38)],
    "top 145": [(145, 3), (145, 33)],
    "top 185": [(185, 6), (185, 36)],
    "top 220": [(220, 4), (220, 34)],
    "top 248": [(248, 9), (248, 39)],
    "left": [(4, 140), (34, 140)],
    "right": [(276, 140), (246, 140)],
    "bottom": [(140, 276), (140, 246)],
    "top-left corner": [(4, 4), (28, 28)],
    "top-right corner": [(276, 4), (252, 28)],
    "bottom-left corner": [(4, 276), (28, 252)],
    "bottom-right corner": [(276, 276), (252, 252)],
}
# A 4 drawn quickly: the angle first, starting near the top right, then the upright.
# Alone, the angle reads as 6 and the upright as 1.
FOUR = [[(150, 10), (70, 165), (225, 165)], [(185, 60), (185, 268)]]
# White pixels in a (2r+1)-square around (x, y), summed over the canvas's layers.
INK = """(canvases, [x, y, r]) => canvases.reduce((n, c) => {
  const d = c.getContext('2d').getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
  for (let i = 0; i < d.length; i += 4) n += d[i] > 200 && d[i + 3] > 200;
  return n;
}, 0)"""


def canvases(page):
    """The drawing component's canvas layers (the one holding the Undo button)."""
    component = page.locator("[data-testid='stMain'] [data-testid='stBidiComponentIsolated']").filter(
        has=page.get_by_role("button", name="Undo"))
    return component.locator("canvas")


def ink(page, x, y, r=2, until=bool, wait_ms=5000):
    """White pixels around (x, y), once ``until(count)`` holds or after ``wait_ms``.

    A stroke reaches the canvas's pixels a frame or so after the pen lifts."""
    for _ in range(max(1, wait_ms // 100)):
        found = canvases(page).evaluate_all(INK, [x, y, r])
        if until(found):
            break
        page.wait_for_timeout(100)
    return found


def test_strokes_starting_at_every_edge_and_corner_leave_ink(browser, server):
    page = open_draw(browser, server)
    missing = []
    for name, stroke in EDGE_STROKES.items():
        x, y = stroke[0]
        assert ink(page, x, y, wait_ms=0) == 0, f"{name}: ink before the stroke"
        page.mouse.move(1, 1)  # the pen comes from outside the canvas, as a hand does
        draw_strokes(page, canvases(page).last, [stroke], steps=4)
        if not ink(page, x, y):
            missing.append(name)
    assert not missing, f"strokes starting here left no ink: {missing}"


def test_a_fast_two_stroke_four_keeps_both_strokes(browser, server):
    page = open_draw(browser, server)
    draw_strokes(page, canvases(page).last, FOUR, steps=3)
    for stroke in FOUR:
        assert ink(page, *stroke[0]), f"no ink where the stroke from {stroke[0]} starts"
    assert prediction(page) == "4"


def test_on_a_phone_the_canvas_and_its_controls_fit_and_work(browser, server):
    page = open_draw(browser, server, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                     device_scale_factor=2)
    layers = canvases(page)
    touch_stroke(page, layers.last, [(270, 5), (260, 120), (250, 250)], steps=4)
    assert ink(page, 270, 5), "a finger stroke starting at the top right left no ink"
    undo, clear = page.get_by_role("button", name="Undo"), page.get_by_role("button", name="Clear")
    for what, box in [("canvas", layers.last.bounding_box()), ("Undo", undo.bounding_box()),
                      ("Clear", clear.bounding_box())]:
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390, f"{what} is off screen: {box}"
    # Undo is on top where it is drawn, and a tap on it takes the stroke back.
    undo.tap()
    assert ink(page, 260, 120, until=lambda n: n == 0) == 0, "Undo left the stroke on the canvas"


@pytest.mark.parametrize("ratio, phone", [(1, False), (2, False), (3, True)])
def test_the_canvas_sends_its_own_size_at_every_device_pixel_ratio_and_is_read(browser, server, ratio, phone):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(viewport=size, device_scale_factor=ratio, is_mobile=phone, has_touch=phone).new_page()
    frames = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    page.goto(server + "/Draw")
    wait_for_run(page)
    draw_strokes(page, canvases(page).last, FOUR, steps=3)
    assert prediction(page) == "4"
    sizes = sent_png_sizes(frames)
    assert sizes and set(sizes) <= SENT_SIZES, sizes
    page.context.close()


def test_the_answers_code_is_loaded_before_the_first_stroke(browser, server):
    """The frontend's chunks for the metric, the images and the Vega-Lite chart come while the student
    draws, not after the first stroke (ui/canvas.py's ANSWER_CHUNKS)."""
    page = open_draw(browser, server)
    loaded = "performance.getEntriesByType('resource').map((e) => e.name.split('/').pop().split('.')[0])"
    page.wait_for_function(f"['Metric', 'ImageList', 'ArrowVegaLiteChart', 'embed'].every((n) => {loaded}.includes(n))",
                           timeout=10_000)
    assert page.locator("[data-testid='stMetricValue'], [data-testid='stVegaLiteChart']").count() == 0
    page.evaluate("performance.clearResourceTimings()")
    draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, FOUR)
    assert prediction(page)
    after = page.evaluate(loaded)
    assert not {"Metric", "ImageList", "ArrowVegaLiteChart", "embed"} & set(after), after
