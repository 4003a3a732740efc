"""Turning a drawing into the 28x28 image the model expects, the way MNIST was made.

MNIST digits were cropped to their ink, scaled so the longer side is 20 pixels
(with anti-aliasing, keeping the aspect ratio), and placed in a 28x28 frame so
that their centre of mass sits at the centre. A drawing prepared differently
looks foreign to the model: a plain resize of the canvas gets about one in five
drawings right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from digitlib.errors import BlankDrawingError
from digitlib.language import N_

# A canvas pixel counts as ink above this grey level (0-255).
INK_THRESHOLD = 40
# The pen must travel at least this fraction of the canvas side (56 px of 280) to write a digit;
# see ``ink_travel`` for the measurements behind it.
MIN_TRAVEL_FRACTION = 0.2
# The widest pen the Draw page offers is 32 px; with the anti-aliased edge a stroke is at most 34 px wide.
WIDEST_PEN = 34
EMPTY_CANVAS = N_("The canvas is empty: draw a digit first.")
TOO_LITTLE_INK = N_("That looks like a dot or a slip, not a digit: draw it bigger, across most of the square "
                    "(press Clear to start again).")
BOX = 20
FRAME = 28


@dataclass(frozen=True)
class Prepared:
    """Each step from drawing to model input, all as uint8 grey images (ink bright)."""

    ink: np.ndarray  # the whole canvas as grey levels
    cropped: np.ndarray  # the ink's bounding box
    evened: np.ndarray  # straightened and with MNIST's stroke width (if asked for)
    scaled: np.ndarray  # longer side 20 px, anti-aliased
    centred: np.ndarray  # 28x28, centre of mass in the middle: what the model sees


def ink_from_canvas(rgba: np.ndarray) -> np.ndarray:
    """Grey ink levels (0-255) of a canvas image, white-on-black or with transparency."""
    rgba = np.asarray(rgba)
    if rgba.ndim == 2:
        return rgba.astype(np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4):
        raise BlankDrawingError(N_("The drawing has an unexpected shape {shape}; draw a digit on the canvas."),
                                shape=str(rgba.shape))
    grey = rgba[..., :3].astype(np.float32).mean(axis=2)
    if rgba.shape[2] == 4:
        grey *= rgba[..., 3].astype(np.float32) / 255.0
    return np.clip(grey, 0, 255).astype(np.uint8)


def ink_travel(ink: np.ndarray) -> float:
    """How far the pen travelled, in canvas pixels: 0 for a blank canvas or a tap.

    The lesser of two estimates that do not depend on the pen's width ``w`` (read from the ink: twice
    the median distance to the background along the middle of the strokes, at most ``WIDEST_PEN``):
    the ink's longest extent (its widest projection over 16 directions) less ``w``, and its area over
    ``w`` less one round cap. A tap measures 0-1 px whatever the pen, a straight or bent slip of up to
    50 px its length within 4 px, two taps 5-26 px wherever they are.

    Measured on ``digitlib.drawing.handwriting``'s drawings (tests/unit/drawing/test_preprocess.py checks these kinds):
    all 316 of ``bench/draw.py``'s drawings travel 76-262 px. Its random and sloppy digits (76)
    redrawn with each of the Draw page's pens (8, 12, 18, 24, 32 px) at 25, 30, 35 and 40 % of the
    canvas travel at least 67, 82, 97 and 111 px: all 1,520 pass, small 1s included, and the
    60,000-image SVC reads 91-100 % of them right per pen and size. Taps (150), two taps (150) and
    slips of 5-50 px in 16 directions (480), with every pen, travel at most 53 px: all refused.
    ``MIN_TRAVEL_FRACTION`` (56 px) lies between. At 20 % (56 px tall) 331 of 380 digits pass (with
    the 32 px pen the SVC reads only 70 % of those right), at 15 % none.
    """
    mask = ink > INK_THRESHOLD
    if not mask.any():
        return 0.0
    rows, cols = np.nonzero(mask)
    box = np.pad(mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1], 1)
    depth = ndimage.distance_transform_edt(box)
    ridge = (depth == ndimage.maximum_filter(depth, 3)) & (depth >= depth.max() / 2)
    pen = min(2.0 * float(np.median(depth[ridge])), WIDEST_PEN)
    outline = np.nonzero(depth == 1)  # ink beside the background: the extent is the outline's
    projections = np.outer(outline[1], _DIRECTIONS[0]) + np.outer(outline[0], _DIRECTIONS[1])
    extent = float((projections.max(axis=0) - projections.min(axis=0)).max()) + 1
    return float(min(extent - pen, mask.sum() / pen - np.pi * pen / 4))


_ANGLES = np.radians(np.arange(0, 180, 11.25))
_DIRECTIONS = (np.cos(_ANGLES), np.sin(_ANGLES))


def not_a_digit(ink: np.ndarray) -> str | None:
    """Why ``ink`` (grey levels of the whole canvas) cannot be a digit, or None when it can:
    ``EMPTY_CANVAS``, or ``TOO_LITTLE_INK`` for a tap, a few taps or a short slip."""
    if not (ink > INK_THRESHOLD).any():
        return EMPTY_CANVAS
    if ink_travel(ink) < MIN_TRAVEL_FRACTION * max(ink.shape):
        return TOO_LITTLE_INK
    return None


def prepare(canvas: np.ndarray, stroke: bool = True, deskew: bool = True) -> Prepared:
    """MNIST-style preprocessing of a canvas image (RGBA, RGB or grey).

    ``stroke`` evens out the pen width to MNIST's; ``deskew`` straightens slanted
    writing. ``bench/draw.py`` measures each: on its drawing set they raise
    accuracy from about 98% (plain MNIST-style) to 100%, so both are on by default.
    Raises ``BlankDrawingError`` with ``not_a_digit``'s sentence when the canvas holds no digit.
    """
    ink = ink_from_canvas(canvas)
    if problem := not_a_digit(ink):
        raise BlankDrawingError(problem)
    rows, cols = np.nonzero(ink > INK_THRESHOLD)
    cropped = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    evened = _deskew(cropped) if deskew else cropped
    if stroke:
        evened = _even_stroke(evened)
    scaled = _fit_box(evened, BOX)
    centred = _centre_by_mass(scaled, FRAME)
    return Prepared(ink=ink, cropped=cropped, evened=evened, scaled=scaled, centred=centred)


def adjust(image: np.ndarray, dx: int = 0, dy: int = 0, angle: float = 0.0, thicken: int = 0) -> np.ndarray:
    """Shift, rotate (degrees, anticlockwise) and thicken a 28x28 model input.

    For the Draw page's "how sensitive is the model" sliders; the defaults change nothing.
    """
    out = image.astype(np.float32)
    if thicken > 0:
        out = ndimage.grey_dilation(out, size=(thicken + 1, thicken + 1))
    elif thicken < 0:
        out = ndimage.grey_erosion(out, size=(1 - thicken, 1 - thicken))
    if angle:
        out = ndimage.rotate(out, angle, reshape=False, order=1, mode="constant")
    if dx or dy:
        out = ndimage.shift(out, (dy, dx), order=0, mode="constant")
    return np.clip(out, 0, 255).astype(np.uint8)


def naive_resize(canvas: np.ndarray) -> np.ndarray:
    """The whole canvas squeezed to 28x28: the baseline that MNIST-style preparation beats."""
    ink = ink_from_canvas(canvas)
    return np.asarray(Image.fromarray(ink).resize((FRAME, FRAME), Image.Resampling.BILINEAR))


def _fit_box(image: np.ndarray, box: int) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio."""
    h, w = image.shape
    scale = box / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # LANCZOS on a grey image is the anti-aliased reduction MNIST's grey levels come from.
    resized = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS), dtype=np.float32)
    peak = resized.max()
    if peak > 0:
        resized *= 255.0 / peak  # MNIST's strokes reach full intensity
    return np.clip(resized, 0, 255).astype(np.uint8)


def _centre_by_mass(image: np.ndarray, frame: int) -> np.ndarray:
    """Place ``image`` in a ``frame``-square so its centre of mass is at the middle."""
    h, w = image.shape
    cy, cx = ndimage.center_of_mass(image.astype(np.float64))
    top = int(round(frame / 2 - cy))
    left = int(round(frame / 2 - cx))
    # Keep the whole digit inside the frame even when its mass is far off-centre.
    top = min(max(top, 0), frame - h)
    left = min(max(left, 0), frame - w)
    out = np.zeros((frame, frame), dtype=np.uint8)
    out[top : top + h, left : left + w] = image
    return out


# MNIST strokes are about 2.5 px wide in a 20 px tall digit.
_STROKE_SHARE = 2.5 / BOX


def stroke_width(ink: np.ndarray) -> float:
    """The pen width in pixels, estimated as twice the ink's area over its outline."""
    mask = ink > INK_THRESHOLD
    outline = mask & ~ndimage.binary_erosion(mask)
    return 2.0 * mask.sum() / max(outline.sum(), 1)


def _even_stroke(cropped: np.ndarray) -> np.ndarray:
    """Thin a fat pen or fatten a thin one so the stroke has MNIST's share of the height."""
    target = _STROKE_SHARE * max(cropped.shape)
    width = stroke_width(cropped)
    steps = int(round((target - width) / 2))
    if steps == 0:
        return cropped
    padded = np.pad(cropped, max(steps, 0) + 1)
    mask = padded > INK_THRESHOLD
    if steps > 0:
        mask = ndimage.binary_dilation(mask, iterations=steps)
    else:
        thinned = ndimage.binary_erosion(mask, iterations=-steps)
        mask = thinned if thinned.any() else mask
    out = (mask * 255).astype(np.uint8)
    rows, cols = np.nonzero(out)
    return out[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _deskew(cropped: np.ndarray) -> np.ndarray:
    """Shear the ink so its main axis is vertical (from its second moments)."""
    img = cropped.astype(np.float64)
    total = img.sum()
    ys, xs = np.mgrid[: img.shape[0], : img.shape[1]]
    cy, cx = (ys * img).sum() / total, (xs * img).sum() / total
    var_y = (((ys - cy) ** 2) * img).sum() / total
    cov = (((ys - cy) * (xs - cx)) * img).sum() / total
    skew = cov / var_y if var_y > 0 else 0.0
    pad = int(abs(skew) * img.shape[0] / 2) + 2
    padded = np.pad(img, ((0, 0), (pad, pad)))
    # output (y, x) samples input (y, x + skew * (y - cy)): leaning strokes stand up
    matrix = np.array([[1.0, 0.0], [skew, 1.0]])
    offset = np.array([0.0, -skew * cy])
    out = ndimage.affine_transform(padded, matrix, offset=offset, order=1)
    mask = out > INK_THRESHOLD
    if not mask.any():
        return cropped
    rows, cols = np.nonzero(mask)
    return np.clip(out[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1], 0, 255).astype(np.uint8)


def thumbnail_png(ink: np.ndarray, size: int = 96) -> bytes:
    """A small grey PNG of the whole canvas, as a class set keeps it beside the 28 × 28 input."""
    import io

    picture = Image.fromarray(np.asarray(ink, dtype=np.uint8)).resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
