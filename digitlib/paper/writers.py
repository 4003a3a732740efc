"""Who writes the synthetic numbers: each writer turns a digit into ink coverage (0-1) of a given height.

* ``strokes``: ``digitlib.drawing.handwriting``'s pen strokes (its styles, slants, rotations, wobble),
  drawn with a round pen of the width asked.
* ``font``: a digit typeset in one of matplotlib's own fonts (italic and sans ones look the most written).
* ``mnist``: a real handwritten digit from MNIST's test images (never the training ones the SVM learned),
  enlarged smoothly, so the writers are real people.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitlib.drawing import handwriting

SUPERSAMPLE = 3


def font_folder() -> Path:
    import matplotlib  # only the fonts' folder: no plotting

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def stroke_digit(digit: int, height: int, pen: float, rng: np.random.Generator) -> np.ndarray:
    """A digit from the handwriting strokes, ``height`` pixels tall, drawn with a ``pen``-pixel round pen."""
    drawing = handwriting.random_drawing(digit, rng)
    points = np.vstack([np.asarray(s, float) for s in drawing.strokes])
    low, high = points.min(axis=0), points.max(axis=0)
    span_y = max(high[1] - low[1], 1.0)
    scale = SUPERSAMPLE * max(height - pen, 2) / span_y
    width_px = SUPERSAMPLE * pen
    pad = width_px
    size = (int((high[0] - low[0]) * scale + 2 * pad) + 1, int(span_y * scale + 2 * pad) + 1)
    picture = Image.new("L", size, 0)
    draw = ImageDraw.Draw(picture)
    radius = width_px / 2
    for stroke in drawing.strokes:
        xy = [((x - low[0]) * scale + pad, (y - low[1]) * scale + pad) for x, y in stroke]
        draw.line(xy, fill=255, width=max(1, round(width_px)), joint="curve")
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return _reduce(picture)


def font_digit(digit: int, height: int, font_file: str) -> np.ndarray:
    """A digit typeset in ``font_file`` (a name in matplotlib's font folder), ``height`` pixels tall."""
    font = _font(font_file, SUPERSAMPLE * height * 2)
    picture = Image.new("L", (SUPERSAMPLE * height * 3, SUPERSAMPLE * height * 3), 0)
    ImageDraw.Draw(picture).text((SUPERSAMPLE * height // 2, SUPERSAMPLE * height // 4), str(digit), fill=255,
                                 font=font)
    box = picture.getbbox()
    picture = picture.crop(box)
    target = SUPERSAMPLE * height
    picture = picture.resize((max(1, round(picture.width * target / picture.height)), target),
                             Image.Resampling.LANCZOS)
    return _reduce(picture)


def mnist_digit(image: np.ndarray, height: int) -> np.ndarray:
    """A 28 x 28 MNIST image (ink bright) enlarged to ``height`` pixels, its edges sharpened like a pen's."""
    rows, cols = np.nonzero(image > 30)
    crop = image[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    width = max(1, round(crop.shape[1] * height / crop.shape[0]))
    big = np.asarray(Image.fromarray(crop).resize((width, height), Image.Resampling.BICUBIC), np.float32) / 255
    return np.clip((big - 0.25) / 0.4, 0, 1).astype(np.float32)


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_folder() / name), size)


def _reduce(picture: Image.Image) -> np.ndarray:
    small = picture.resize((max(1, picture.width // SUPERSAMPLE), max(1, picture.height // SUPERSAMPLE)),
                           Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0
