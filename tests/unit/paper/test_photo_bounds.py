"""digitlib.paper.photo_bounds: an upload is checked from its header, then decoded small and upright."""

import io
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from bench.crafted_inputs import jpeg_claiming
from digitlib.errors import UnreadablePhotoError
from digitlib.paper import photo_bounds


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header (IHDR, with a correct CRC) claims ``width`` x ``height`` pixels."""
    raw = bytearray(encoded(Image.new("L", (8, 8), 255), "PNG"))
    at = raw.index(b"IHDR")
    raw[at + 4 : at + 12] = struct.pack(">II", width, height)
    raw[at + 17 : at + 21] = struct.pack(">I", zlib.crc32(bytes(raw[at : at + 17])))
    return bytes(raw)


def test_a_100_megapixel_png_is_refused_from_its_header_with_its_size():
    with pytest.raises(UnreadablePhotoError, match=r"10000 × 10000 pixels \(100 megapixels\)"):
        photo_bounds.check_photo(png_claiming(10_000, 10_000))


def test_a_decompression_bomb_is_refused_without_decoding_it():
    tracemalloc.start()
    try:
        for bomb in (jpeg_claiming(30_000), png_claiming(40_000, 40_000)):
            with pytest.raises(UnreadablePhotoError, match="pixels"):
                photo_bounds.decode_photo(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_truncated_jpeg_says_it_is_damaged():
    page = Image.fromarray(np.random.default_rng(0).integers(0, 255, (600, 800), dtype=np.uint8))
    whole = encoded(page, "JPEG", quality=90)
    with pytest.raises(UnreadablePhotoError, match="damaged or cut short"):
        photo_bounds.decode_photo(whole[: len(whole) // 2])


@pytest.mark.parametrize("payload", [b"Dear teacher, here is my number: 42\n" * 20, b"", b"\x00" * 1000])
def test_a_file_that_is_no_image_is_refused(payload):
    with pytest.raises(UnreadablePhotoError, match="not an image|empty"):
        photo_bounds.check_photo(payload)


def test_another_format_is_named():
    with pytest.raises(UnreadablePhotoError, match="GIF"):
        photo_bounds.check_photo(encoded(Image.new("L", (50, 50), 255), "GIF"))


def test_more_bytes_than_the_upload_limit_are_refused_before_opening():
    with pytest.raises(UnreadablePhotoError, match="12 MB"):
        photo_bounds.check_photo(b"\xff\xd8" + b"\x00" * photo_bounds.MAX_BYTES)


def test_an_exif_rotated_photo_is_turned_upright():
    stored = np.full((100, 200), 240, np.uint8)
    stored[:, :100] = 20  # dark on the stored image's left
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: show it turned 90 degrees clockwise
    grey = photo_bounds.decode_photo(encoded(Image.fromarray(stored), "JPEG", exif=exif, quality=95))
    assert grey.shape == (200, 100)
    assert grey[:90].mean() < 60 and grey[110:].mean() > 200  # the stored left is now the top


def test_a_phone_photo_is_decoded_small_in_bounded_memory():
    rng = np.random.default_rng(1)
    photo = Image.fromarray(rng.integers(200, 256, (3000, 4000), dtype=np.uint8)).convert("RGB")
    payload = encoded(photo, "JPEG", quality=80)
    del photo
    tracemalloc.start()
    try:
        grey = photo_bounds.decode_photo(payload)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert grey.shape == (1200, 1600) and grey.dtype == np.uint8
    assert peak < 12_000_000  # draft mode: never the 12 MP (36 MB RGB) image


def test_transparency_is_read_as_white_paper():
    rgba = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    grey = photo_bounds.decode_photo(encoded(rgba, "PNG"))
    assert grey.shape == (80, 120) and grey.min() == 255


def test_a_real_oversized_png_is_refused_without_decoding_its_pixels(monkeypatch):
    buffer = io.BytesIO()
    Image.new("L", (8000, 8000), 235).save(buffer, format="PNG", compress_level=1)  # 64 MP, a real IDAT
    payload = buffer.getvalue()

    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    # Pillow's pixel memory is not Python's (tracemalloc misses it): check that nothing decodes instead.
    # (PNG's getexif() decodes the whole image to look for EXIF after the pixels; photo_bounds never calls it.)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(UnreadablePhotoError, match="64 megapixels"):
        photo_bounds.decode_photo(payload)
