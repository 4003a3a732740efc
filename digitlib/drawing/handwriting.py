"""Synthetic handwriting: pen strokes for each digit, to test the Draw page as people use it.

Each digit has a few styles, written as polylines in a unit square (x right, y down).
``random_drawing`` places one on a canvas with random size, position, slant, rotation,
wobble and pen width; ``render`` rasterises it the way the canvas does (white round-capped
strokes on black). The same strokes can be replayed with a real mouse in a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 280


def _arc(cx, cy, rx, ry, start_deg, end_deg, steps=14):
    t = np.radians(np.linspace(start_deg, end_deg, steps))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


# Angles: 0 deg points right, 90 deg points down (y grows downwards).
STYLES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [
        [_arc(0.5, 0.5, 0.32, 0.48, -90, 270, 24)],
        [_arc(0.5, 0.5, 0.4, 0.46, -100, 255, 24)],
    ],
    1: [
        [[(0.5, 0.0), (0.5, 1.0)]],
        [[(0.3, 0.22), (0.55, 0.0), (0.55, 1.0)]],
        [[(0.32, 0.2), (0.55, 0.0), (0.55, 1.0)], [(0.3, 1.0), (0.8, 1.0)]],
    ],
    2: [
        [_arc(0.5, 0.3, 0.34, 0.3, 200, 360, 10) + _arc(0.5, 0.3, 0.34, 0.3, 0, 50, 4) + [(0.12, 1.0), (0.9, 1.0)]],
        [_arc(0.48, 0.28, 0.36, 0.28, 190, 400, 14) + [(0.15, 0.98), (0.88, 0.96)]],
    ],
    3: [
        [_arc(0.48, 0.26, 0.34, 0.26, 200, 450, 14) + _arc(0.48, 0.74, 0.38, 0.26, -90, 160, 14)],
        [[(0.15, 0.05), (0.85, 0.05), (0.45, 0.45)] + _arc(0.5, 0.7, 0.38, 0.3, -80, 160, 14)],
    ],
    4: [
        [[(0.6, 0.0), (0.05, 0.68), (0.95, 0.68)], [(0.68, 0.25), (0.68, 1.0)]],
        [[(0.25, 0.0), (0.15, 0.55), (0.9, 0.55)], [(0.72, 0.0), (0.72, 1.0)]],
    ],
    5: [
        [[(0.85, 0.02), (0.25, 0.02), (0.2, 0.45)] + _arc(0.48, 0.68, 0.36, 0.3, -120, 150, 14)],
        [[(0.25, 0.02), (0.2, 0.45)] + _arc(0.48, 0.68, 0.36, 0.3, -120, 150, 14), [(0.25, 0.02), (0.85, 0.02)]],
    ],
    6: [
        [[(0.72, 0.02)] + _arc(0.72, 0.62, 0.55, 0.6, 265, 180, 8)[1:] + _arc(0.48, 0.7, 0.33, 0.3, 180, 540, 18)],
        [[(0.7, 0.0), (0.35, 0.4)] + _arc(0.5, 0.7, 0.32, 0.3, 200, 560, 18)],
    ],
    7: [
        [[(0.08, 0.02), (0.92, 0.02), (0.38, 1.0)]],
        [[(0.08, 0.1), (0.1, 0.02), (0.92, 0.02), (0.45, 1.0)], [(0.35, 0.52), (0.85, 0.52)]],
    ],
    8: [
        [_arc(0.5, 0.26, 0.28, 0.26, 90, 450, 18) + _arc(0.5, 0.74, 0.34, 0.26, -90, 270, 18)],
        [_arc(0.5, 0.25, 0.3, 0.25, 0, 360, 18), _arc(0.5, 0.75, 0.36, 0.25, 0, 360, 18)],
    ],
    9: [
        [_arc(0.45, 0.28, 0.33, 0.28, 0, 360, 18) + [(0.78, 0.28), (0.72, 1.0)]],
        [_arc(0.5, 0.28, 0.34, 0.28, -10, 350, 18) + [(0.83, 0.3), (0.6, 1.0)]],
    ],
}


@dataclass(frozen=True)
class Drawing:
    """One drawn digit: strokes in canvas pixels, the pen width, and what it shows."""

    digit: int
    strokes: list[list[tuple[float, float]]]
    width: int
    description: str


def random_drawing(digit: int, rng: np.random.Generator, canvas: int = CANVAS, style: int | None = None) -> Drawing:
    """A digit in a random style (or the given one), size, place, slant, rotation, wobble and pen width."""
    styles = STYLES[digit]
    drawn = int(rng.integers(len(styles)))
    style = drawn if style is None else style
    height = rng.uniform(0.35, 0.85) * canvas
    width = height * rng.uniform(0.55, 0.8)
    slant = rng.uniform(-0.25, 0.3)  # shear: positive leans right, as most people write
    angle = np.radians(rng.uniform(-12, 12))
    pen = int(rng.integers(8, 31))
    wobble = rng.uniform(0, 0.02)
    cos, sin = np.cos(angle), np.sin(angle)
    strokes = []
    for stroke in styles[style]:
        pts = np.asarray(stroke, dtype=float)
        pts = pts + rng.normal(0, wobble, pts.shape)
        x = (pts[:, 0] - 0.5) * width - slant * (pts[:, 1] - 0.5) * height
        y = (pts[:, 1] - 0.5) * height
        strokes.append(np.column_stack([x * cos - y * sin, x * sin + y * cos]))
    allpts = np.vstack(strokes)
    margin = pen / 2 + 2
    span = (allpts.max(axis=0) - allpts.min(axis=0)).max()
    room = canvas - 2 * margin - 1
    if span > room:  # a big, tilted digit with a thick pen: shrink it to fit
        factor = room / span
        strokes = [s * factor for s in strokes]
        allpts = allpts * factor
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    offset = rng.uniform(margin - lo, canvas - margin - hi)  # anywhere it fits
    placed = [[(float(px), float(py)) for px, py in s + offset] for s in strokes]
    desc = (f"style {style}, {height:.0f}px tall, slant {slant:+.2f}, rotation {np.degrees(angle):+.0f} deg, "
            f"pen {pen}px")
    return Drawing(digit=digit, strokes=placed, width=pen, description=desc)


def drawing_set(per_digit: int = 20, seed: int = 0, canvas: int = CANVAS) -> list[Drawing]:
    """A reproducible set of ``per_digit`` random drawings of every digit, plus the sloppy ones."""
    rng = np.random.default_rng(seed)
    drawings = [random_drawing(d, rng, canvas) for _ in range(per_digit) for d in range(10)]
    return drawings + sloppy_drawings()


def sloppy_drawings() -> list[Drawing]:
    """Hand-authored, deliberately careless digits in canvas pixels (280 x 280)."""
    raw = [
        (0, [[(150, 60), (110, 70), (90, 130), (95, 200), (135, 230), (180, 200), (190, 120), (165, 65),
              (140, 70)]], 16),
        (1, [[(120, 70), (135, 50), (140, 120), (138, 230)]], 14),
        (2, [[(90, 90), (120, 60), (170, 65), (180, 110), (150, 160), (95, 220), (190, 215)]], 18),
        (3, [[(95, 70), (150, 55), (175, 90), (135, 135), (180, 165), (170, 215), (100, 225)]], 16),
        (4, [[(140, 50), (90, 160), (185, 160)], [(160, 100), (155, 235)]], 18),
        (5, [[(180, 55), (110, 60), (100, 130), (160, 125), (180, 175), (150, 225), (95, 215)]], 16),
        (6, [[(165, 50), (110, 110), (95, 180), (125, 225), (170, 205), (165, 160), (110, 165)]], 18),
        (7, [[(80, 65), (195, 60), (150, 140), (125, 230)]], 16),
        (8, [[(170, 70), (130, 50), (100, 85), (175, 165), (150, 225), (100, 200), (115, 150), (175, 90),
              (165, 65)]], 16),
        (9, [[(175, 80), (130, 55), (100, 95), (130, 130), (175, 95), (170, 160), (160, 235)]], 18),
        (4, [[(100, 40), (85, 130), (175, 130)], [(165, 40), (160, 240)]], 24),
        (7, [[(60, 80), (170, 70), (105, 210)]], 10),
        (1, [[(200, 60), (195, 140), (205, 215)]], 22),
        (0, [[(60, 40), (40, 70), (35, 110), (60, 130), (90, 105), (90, 60), (60, 40)]], 10),  # small, top left
        (3, [[(140, 120), (175, 110), (160, 140), (180, 155), (165, 180), (135, 175)]], 8),  # small, thin
        (9, [[(150, 70), (100, 80), (110, 130), (160, 120), (155, 70), (150, 160), (130, 240)]], 20),
    ]
    return [Drawing(d, [[(float(x), float(y)) for x, y in s] for s in strokes], w, "hand-authored sloppy")
            for d, strokes, w in raw]


def render(drawing: Drawing, canvas: int = CANVAS) -> np.ndarray:
    """The RGBA canvas image of a drawing: white, round-capped strokes on black."""
    img = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 255))
    pen = ImageDraw.Draw(img)
    r = drawing.width / 2
    for stroke in drawing.strokes:
        pen.line(stroke, fill=(255, 255, 255, 255), width=drawing.width, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            pen.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 255))
    return np.asarray(img)
