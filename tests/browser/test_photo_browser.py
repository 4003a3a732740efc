"""Draw's photo of paper and wide canvas in a real browser (issue 18): a synthetic phone photo uploaded shows
"Number read" with its digits; a number written with the mouse on the wide canvas is read, on a desktop and,
scaled to fit, on a phone; the wide canvas sends its own 840 × 280 PNG at every device-pixel ratio."""


import pytest

from digitlib.paper import synthetic
from tests.support.browser import draw_strokes, expect, metric_value, new_page, sent_png_sizes, wait_for_run

pytestmark = pytest.mark.browser
WIDE = (840, 280)  # ui.canvas.WIDE_SENT_SIZES (that module imports only under streamlit run)
# A 1 in the strip's first third and a 7 in its second, in the strip's own pixels.
ONE_SEVEN = [[(140, 40), (142, 140), (138, 240)], [(330, 50), (470, 50), (400, 150), (370, 245)]]


def strip(page):
    """The wide canvas's drawing surface."""
    return page.locator("[data-testid='stMain'] canvas").last


def write(page, strokes):
    """Write ``strokes`` (in the strip's own pixels) on the strip as shown, which may be scaled to fit."""
    box = strip(page).bounding_box()
    scale = box["width"] / WIDE[0]
    draw_strokes(page, strip(page), [[(x * scale, y * scale) for x, y in stroke] for stroke in strokes])


def test_an_uploaded_photo_shows_the_number_read(browser, server, tmp_path):
    photo = synthetic.make_photo(3, paper="ruled", pen="pen")
    path = tmp_path / "number.jpg"
    path.write_bytes(photo.jpeg)
    page = new_page(browser, server + "/Draw?read=photo")
    expect(page.get_by_text("Photo of a handwritten number")).to_be_visible()
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(path))
    assert metric_value(page, "Number read") == photo.number
    wait_for_run(page)
    expect(page.get_by_role("img", name="4 · Each digit boxed")).to_be_visible()
    expect(page.get_by_text("Read by: the convolutional neural network")).to_be_visible()  # a photo's first model
    assert page.locator("[data-testid='stException']").count() == 0
    # A file that is no photo gets one sentence; the page stays.
    other = tmp_path / "notes.jpg"
    other.write_bytes(b"not a photo")
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(other))
    expect(page.get_by_text("The file is not an image this app can read")).to_be_visible(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("ratio, phone", [(1, False), (1.5, False), (2, False), (3, True)])
def test_a_number_written_on_the_wide_canvas_is_read_and_sent_at_its_own_size(browser, server, ratio, phone):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=size, device_scale_factor=ratio, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    frames = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    page.goto(server + "/Draw?read=number")
    wait_for_run(page)
    expect(page.get_by_text("Write a number on the black strip, its digits side by side")).to_be_visible()
    box = strip(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box  # it fits, scaled on a phone
    write(page, ONE_SEVEN[:1])
    expect(page.locator("[data-testid='stMetric']").filter(has_text="Number read")).to_contain_text("1",
                                                                                                    timeout=60_000)
    wait_for_run(page)
    write(page, ONE_SEVEN[1:])
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("17", timeout=60_000)
    sizes = sent_png_sizes(frames)
    assert sizes and set(sizes) == {WIDE}, sizes
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()
