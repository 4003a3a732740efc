"""Checking an image a browser sent before anything decodes it.

The Draw page's canvas (streamlit-drawable-canvas 0.13) sends its drawing as a data URL,
``data:image/png;base64,…``, of a PNG exactly as big as the canvas: 280 × 280 at every
device-pixel ratio (it exports with ``multiplier: 1`` and no retina scaling; measured in
chromium at ratios 1, 1.5, 2 and 3), 8-bit RGBA. Anyone can send something else in its
place, and Pillow decodes whatever it is given: a 100 KiB PNG of 4000 × 4000 pixels cost the
server 550-700 MB, a GIF of 6000 × 6000 1.1-1.6 GB. So the length, the PNG signature and the IHDR
chunk (size, bit depth, colour type) are checked first, from the first 33 bytes; only a PNG of
an allowed size is decoded, so the allowed sizes are the cap on the pixels Pillow allocates.

The caller names the sizes its canvas sends: the square's 280 × 280, or, where the page offers the
wide canvas for writing a number, that canvas's 840 × 280 (``ui/canvas.py``, ``SENT_SIZES`` and
``WIDE_SENT_SIZES``); a wide PNG sent to the square's mode is refused like any other size.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
import zlib
from collections.abc import Collection

import numpy as np
from babel.lists import format_list
from PIL import Image

from digitlib.errors import UnreadableDrawingError
from digitlib.language import N_, current
from digitlib.language.formats import count
from digitlib.language.messages import Message

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
# PNG colour types allowed with 8 bits per sample: grey, RGB, palette, grey + alpha, RGBA.
COLOUR_TYPES = (0, 2, 3, 4, 6)
# What a crafted value most likely holds instead, named in the notice.
# Each a whole clause of the notice: "This drawing could not be read (it is a GIF, not a PNG) and was ignored."
IS_GIF, IS_JPEG = N_("it is a GIF, not a PNG"), N_("it is a JPEG, not a PNG")
IS_WEBP, IS_BMP = N_("it is a WebP image, not a PNG"), N_("it is a BMP image, not a PNG")
IS_RIFF, IS_OTHER = N_("it is a RIFF file, not a PNG"), N_("it is something else, not a PNG")
OTHER_TYPES = {"image/gif": IS_GIF, "image/jpeg": IS_JPEG, "image/webp": IS_WEBP, "image/bmp": IS_BMP}
OTHER_SIGNATURES = {b"GIF8": IS_GIF, b"\xff\xd8\xff": IS_JPEG, b"BM": IS_BMP, b"RIFF": IS_RIFF}
# Room for PNG chunks besides the pixels (zlib's block headers, text, gamma, ...).
CHUNK_ALLOWANCE = 64 * 1024
# What the notice asks for after a refused drawing: the square canvas's, unless the caller says another.
AGAIN = N_("Draw on the black square again.")


def max_png_bytes(width: int, height: int) -> int:
    """The longest a PNG of this size can legitimately be: every RGBA row stored uncompressed."""
    return height * (1 + 4 * width) + CHUNK_ALLOWANCE


def png_from_data_url(url: object, max_bytes: int) -> bytes:
    """The PNG bytes of a ``data:image/png;base64,`` URL, refused unread when longer than a
    PNG of ``max_bytes`` can be encoded."""
    if not isinstance(url, str):
        raise _unreadable(Message(N_("it is not a data URL")))
    if len(url) > len(DATA_URL_PREFIX) + 4 * (max_bytes // 3 + 1):
        raise _unreadable(Message(N_("it is {length} characters long, more than a drawing of this canvas takes"),
                                  length=len(url)))
    if not url.startswith(DATA_URL_PREFIX):
        kind = next((name for mime, name in OTHER_TYPES.items() if url.startswith(f"data:{mime};")), IS_OTHER)
        raise _unreadable(Message(kind))
    try:
        return base64.b64decode(url[len(DATA_URL_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise _unreadable(Message(N_("its base64 text is damaged"))) from None


def png_size(raw: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking its signature, checksum,
    bit depth (8) and colour type; nothing past the first 33 bytes is read."""
    if not raw.startswith(PNG_SIGNATURE):
        kind = next((name for magic, name in OTHER_SIGNATURES.items() if raw.startswith(magic)), IS_OTHER)
        raise _unreadable(Message(kind))
    if len(raw) < 33:
        raise _unreadable(Message(N_("it is cut short")))
    length, kind = struct.unpack(">I4s", raw[8:16])
    if length != 13 or kind != b"IHDR" or struct.unpack(">I", raw[29:33])[0] != zlib.crc32(raw[12:29]):
        raise _unreadable(Message(N_("its header chunk is damaged")))
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", raw[16:29])
    if depth != 8 or colour not in COLOUR_TYPES or compression or filtering or interlace > 1:
        raise _unreadable(Message(N_("it has {depth}-bit samples of colour type {colour}; the canvas sends 8-bit RGBA"),
                                  depth=depth, colour=colour))
    return width, height


def decode_png(raw: bytes, sizes: Collection[tuple[int, int]]) -> np.ndarray:
    """The RGBA pixels (uint8, height × width × 4) of a PNG whose size is one of ``sizes``.

    The size comes from the IHDR chunk; Pillow decodes only a PNG of an allowed size, and
    only as a PNG, so at most the largest allowed size's pixels are ever allocated.
    """
    width, height = png_size(raw)
    if (width, height) not in sizes:
        raise _unreadable(Message(N_("it is {width} × {height} pixels; the canvas sends {expected}"),
                                  width=width, height=height, expected=_Sizes(sizes)))
    if len(raw) > max_png_bytes(width, height):
        raise _unreadable(Message(N_("it is {length} bytes, more than a {width} × {height} drawing can take"),
                                  length=len(raw), width=width, height=height))
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG"]) as image:
            if image.size != (width, height):  # Pillow read another header than ours
                raise _unreadable(Message(N_("its header chunk is damaged")))
            image.load()
            return np.asarray(image.convert("RGBA"))
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error, struct.error, Image.DecompressionBombError):
        raise _unreadable(Message(N_("its pixels are damaged"))) from None


def canvas_image(url: object, sizes: Collection[tuple[int, int]], again: str = AGAIN) -> np.ndarray:
    """The RGBA pixels of a drawing the canvas sent as a data URL; ``UnreadableDrawingError``
    for anything but a PNG of one of ``sizes`` (width, height), its notice ending with ``again``."""
    limit = max(max_png_bytes(w, h) for w, h in sizes)
    try:
        return decode_png(png_from_data_url(url, limit), sizes)
    except UnreadableDrawingError as exc:
        if again == AGAIN:
            raise
        raise _unreadable(exc.reason, again) from None


def _unreadable(reason: Message, again: str = AGAIN) -> UnreadableDrawingError:
    """The notice for a refused drawing: ``reason`` a clause, ``again`` (marked with ``N_``) what to do now;
    both translated when the notice is shown."""
    error = UnreadableDrawingError(N_("This drawing could not be read ({reason}) and was ignored. {again}"),
                                   reason=reason, again=Message(again))
    error.reason = reason
    return error


class _Sizes:
    """The canvas sizes a notice names, "280 × 280" or "280 × 280 or 840 × 280", in the reader's language."""

    def __init__(self, sizes: Collection[tuple[int, int]]):
        self.sizes = sorted(sizes)

    def __str__(self) -> str:
        return format_list([f"{count(w)} × {count(h)}" for w, h in self.sizes], style="or", locale=current())
