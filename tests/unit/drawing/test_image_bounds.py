"""digitlib.drawing.image_bounds: only the canvas's own small PNG is decoded; anything else is refused first."""

import base64
import io
import random
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image

from bench.crafted_inputs import jpeg_claiming, large_gif, large_png, small_png
from bench.loadtest.canvas import data_url
from digitlib.drawing import handwriting, image_bounds, preprocess
from digitlib.errors import UnreadableDrawingError

CANVAS = {(280, 280)}
SEVEN = handwriting.Drawing(7, [[(70.0, 60.0), (210.0, 60.0), (150.0, 150.0), (110.0, 235.0)]], 18, "a plain 7")


def png(image: Image.Image, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", **options)
    return buf.getvalue()


def canvas_png() -> bytes:
    """The canvas's own kind of PNG: 280 x 280, 8-bit RGBA, a white 7 on black."""
    return png(Image.fromarray(handwriting.render(SEVEN)))


@pytest.fixture
def decodes(monkeypatch):
    """Counts Pillow's Image.open calls made by image_bounds."""
    calls = []
    real = Image.open

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(image_bounds.Image, "open", counting)
    return calls


def test_the_canvas_png_is_decoded_to_its_own_pixels_and_reads_as_a_seven():
    raw = canvas_png()
    rgba = image_bounds.canvas_image(data_url(raw), CANVAS)
    assert rgba.shape == (280, 280, 4) and rgba.dtype == np.uint8
    assert np.array_equal(rgba, np.asarray(Image.open(io.BytesIO(raw))))
    assert preprocess.prepare(rgba).centred.shape == (28, 28)


@pytest.mark.parametrize("mode", ["L", "RGB", "P", "LA"])
def test_other_8_bit_colour_types_of_the_right_size_come_back_as_rgba(mode):
    drawn = handwriting.render(SEVEN)  # RGBA
    rgba = image_bounds.canvas_image(data_url(png(Image.fromarray(drawn).convert(mode))), CANVAS)
    assert rgba.shape == (280, 280, 4)
    assert np.array_equal(rgba[..., 0] > 128, drawn[..., 0] > 128)


@pytest.mark.parametrize("raw, mime, reason", [
    (large_png(4000), "image/png", "it is 4,000 × 4,000 pixels; the canvas sends 280 × 280"),
    (small_png(28), "image/png", "it is 28 × 28 pixels"),
    (large_gif(6000), "image/gif", "it is a GIF, not a PNG"),
    (large_gif(6000), "image/png", "it is a GIF, not a PNG"),
    (jpeg_claiming(20000), "image/jpeg", "it is a JPEG, not a PNG"),
    (jpeg_claiming(20000), "image/png", "it is a JPEG, not a PNG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "it is something else, not a PNG"),
])
def test_crafted_images_are_refused_before_pillow_sees_them(decodes, raw, mime, reason):
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableDrawingError) as err:
            image_bounds.canvas_image(data_url(raw, mime), CANVAS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason in str(err.value) and "was ignored" in str(err.value)
    assert decodes == []
    assert peak < 4 * len(raw) + 2**20  # the base64 text and its bytes, never pixels


def ihdr(width=280, height=280, depth=8, colour=6, interlace=0, crc=None) -> bytes:
    body = b"IHDR" + struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    return image_bounds.PNG_SIGNATURE + struct.pack(">I", 13) + body + struct.pack(">I", crc or zlib.crc32(body))


@pytest.mark.parametrize("raw, reason", [
    (ihdr(depth=16), "16-bit samples"),
    (ihdr(depth=1, colour=0), "1-bit samples"),
    (ihdr(colour=5), "colour type 5"),
    (ihdr(interlace=2), "colour type 6"),
    (ihdr(crc=12345), "header chunk is damaged"),
    (ihdr()[:20], "cut short"),
    (ihdr() + b"\0\0\0\0IEND\xaeB`\x82", "pixels are damaged"),  # the right header, no pixels
    (ihdr(width=2**31 - 1, height=2**31 - 1), "2,147,483,647 × 2,147,483,647 pixels"),
])
def test_headers_are_checked_from_the_first_33_bytes(decodes, raw, reason):
    with pytest.raises(UnreadableDrawingError, match=reason):
        image_bounds.canvas_image(data_url(raw), CANVAS)
    assert decodes == ([1] if reason == "pixels are damaged" else [])


@pytest.mark.parametrize("url, reason", [
    (None, "not a data URL"),
    (5, "not a data URL"),
    ({"data": "x"}, "not a data URL"),
    ("data:image/png;base64,%%%%", "base64 text is damaged"),
    ("data:image/png;base64,iVBORw0KGgo\u00e9", "base64 text is damaged"),
    ("data:image/png,rawbytes", "something else, not a PNG"),
    ("javascript:alert(1)", "something else, not a PNG"),
])
def test_values_that_are_not_png_data_urls_are_refused(url, reason):
    with pytest.raises(UnreadableDrawingError, match=reason):
        image_bounds.canvas_image(url, CANVAS)


def test_an_overlong_data_url_is_refused_before_base64_decoding(monkeypatch):
    longest = image_bounds.max_png_bytes(280, 280)
    monkeypatch.setattr(image_bounds.base64, "b64decode", lambda *a, **k: pytest.fail("decoded"))
    url = "data:image/png;base64," + "A" * (4 * (longest // 3 + 2))
    with pytest.raises(UnreadableDrawingError, match="characters long"):
        image_bounds.canvas_image(url, CANVAS)


def test_a_right_sized_png_padded_past_any_real_drawing_is_refused(decodes):
    raw = canvas_png()
    filler = b"x" * (image_bounds.max_png_bytes(280, 280) - len(raw) + 1)
    padded = raw[:33] + struct.pack(">I", len(filler)) + b"tEXt" + filler + b"\0\0\0\0" + raw[33:]
    with pytest.raises(UnreadableDrawingError, match="bytes, more than a 280 × 280 drawing"):
        image_bounds.decode_png(padded, CANVAS)
    assert decodes == []


def test_the_largest_legitimate_canvas_png_is_accepted():
    """Random pixels barely compress: the longest 280 x 280 RGBA PNG there is, well inside the bounds."""
    noise = np.random.default_rng(0).integers(0, 256, (280, 280, 4), dtype=np.uint8)
    raw = png(Image.fromarray(noise), compress_level=0)
    assert len(raw) <= image_bounds.max_png_bytes(280, 280)
    assert np.array_equal(image_bounds.canvas_image(data_url(raw), CANVAS), noise)


def test_fuzzed_canvas_pngs_decode_to_the_canvas_size_or_are_refused():
    raw = canvas_png()
    rng = random.Random(16)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(400):
        mutated = bytearray(raw)
        op = rng.randrange(3)
        if op == 0:
            for _ in range(rng.randint(1, 6)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        elif op == 1:
            del mutated[rng.randrange(len(mutated)):]
        else:
            at = rng.randrange(len(mutated))
            mutated[at:at] = rng.randbytes(rng.randint(1, 16))
        try:
            rgba = image_bounds.canvas_image(data_url(bytes(mutated)), CANVAS)
            assert rgba.shape == (280, 280, 4)
            outcomes["read"] += 1
        except UnreadableDrawingError as exc:
            assert str(exc).startswith("This drawing could not be read (") and len(str(exc)) < 200
            outcomes["refused"] += 1
    assert outcomes["refused"] > 200


def test_base64_of_the_canvas_png_round_trips_through_the_data_url():
    raw = canvas_png()
    url = "data:image/png;base64," + base64.b64encode(raw).decode()
    assert image_bounds.png_from_data_url(url, len(raw)) == raw


# The wide canvas for writing a number (ui/canvas.py's WIDE_SENT_SIZES): accepted only where the caller allows it.
WIDE = {(840, 280)}


def wide_png() -> bytes:
    """The wide canvas's own kind of PNG: 840 x 280, 8-bit RGBA, a 7 in its first square."""
    strip = np.zeros((280, 840, 4), np.uint8)
    strip[..., 3] = 255
    strip[:, :280] = handwriting.render(SEVEN)
    return png(Image.fromarray(strip))


def test_the_wide_canvas_png_is_decoded_where_the_wide_size_is_allowed():
    rgba = image_bounds.canvas_image(data_url(wide_png()), WIDE)
    assert rgba.shape == (280, 840, 4)
    assert np.array_equal(rgba[:, :280], handwriting.render(SEVEN))


@pytest.mark.parametrize("raw, sizes, reason", [
    (wide_png(), CANVAS, "it is 840 × 280 pixels; the canvas sends 280 × 280"),  # the square's mode
    (canvas_png(), WIDE, "it is 280 × 280 pixels; the canvas sends 840 × 280"),  # the strip's mode
    (large_png(4000), WIDE, "it is 4,000 × 4,000 pixels; the canvas sends 840 × 280"),
    (ihdr(width=840 * 280, height=1), WIDE, "235,200 × 1 pixels"),
])
def test_each_mode_refuses_the_other_sizes_from_the_header(decodes, raw, sizes, reason):
    with pytest.raises(UnreadableDrawingError, match=reason):
        image_bounds.canvas_image(data_url(raw), sizes)
    assert decodes == []


def test_the_notice_ends_with_what_the_caller_asks_for():
    with pytest.raises(UnreadableDrawingError) as err:
        image_bounds.canvas_image(data_url(canvas_png()), WIDE, "Write on the black strip again.")
    assert str(err.value) == ("This drawing could not be read (it is 280 × 280 pixels; the canvas sends 840 × 280) "
                              "and was ignored. Write on the black strip again.")
    with pytest.raises(UnreadableDrawingError, match="Draw on the black square again.$"):
        image_bounds.canvas_image(data_url(wide_png()), CANVAS)


def test_a_wide_png_padded_past_any_real_drawing_is_refused_unread(decodes):
    raw = wide_png()
    filler = b"x" * (image_bounds.max_png_bytes(840, 280) - len(raw) + 1)
    padded = raw[:33] + struct.pack(">I", len(filler)) + b"tEXt" + filler + b"\0\0\0\0" + raw[33:]
    with pytest.raises(UnreadableDrawingError, match="more than a 840 × 280 drawing"):
        image_bounds.decode_png(padded, WIDE)
    assert decodes == []
