"""Data augmentation: before each pass over the training images, every digit is moved a little
at random (shifted a pixel or two, tilted a few degrees, drawn slightly thinner or thicker), so
the network sees digits written a little differently, like children's drawings on the canvas.

Plain numpy and scipy: the training worker calls this, and the app can import it for
``describe()`` without TensorFlow. The three changes are those of the Draw page's sliders
(``digitlib.drawing.preprocess.adjust``) and are applied in the same order: stroke width, then rotation
about the image centre, then the shift. ``augment`` changes all 60,000 training images in
under a second on one core (see the measurement in its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage, sparse

from digitlib.language import _, formats

FRAME = 28
# The largest shift, in whole pixels, along each axis (left/right and up/down separately).
MAX_SHIFT = 2
# The largest rotation, in degrees, either way.
MAX_ANGLE = 12.0
# Angles are drawn in steps of this many degrees (97 angles from -12 to +12), so the images that
# share an angle are rotated together by one sparse matrix; rounding to a quarter degree moves no
# pixel of the 28x28 frame by more than 0.05 px.
ANGLE_STEP = 0.25
# Stroke width changes, in pixels: thinner, the same, thicker.
STROKE_STEPS = (-1, 0, 1)
# Thinning a digit whose strokes are already thin can wipe most of it out; an image that would
# keep less than this share of its ink keeps its own width instead.
MIN_INK_KEPT = 0.25


@dataclass(frozen=True)
class Limits:
    """The ranges of the random changes."""

    shift: int  # pixels, each direction, whole pixels
    angle: float  # degrees, each way
    stroke: tuple[int, ...]  # pixels thinner (-) or thicker (+)


LIMITS = Limits(shift=MAX_SHIFT, angle=MAX_ANGLE, stroke=STROKE_STEPS)


def describe() -> str:
    """One sentence for the page: what augmentation does to each training image."""
    return _(
        "Before each pass, every training image is moved at random: shifted by up to "
        "{shift} pixels left or right and up or down, rotated by up to {angle} degrees "
        "either way, and drawn {thinner} pixel thinner, as it is, or {thicker} pixel thicker."
    ).format(shift=formats.count(LIMITS.shift), angle=formats.number(LIMITS.angle),
             thinner=formats.count(-min(LIMITS.stroke)), thicker=formats.count(max(LIMITS.stroke)))


def augment(images: np.ndarray, seed: int, epoch: int) -> np.ndarray:
    """A randomly moved copy of each 28x28 uint8 image, the same for the same ``(seed, epoch)``.

    Each image gets its own shift (whole pixels, up to ``LIMITS.shift`` each way along each axis),
    rotation (up to ``LIMITS.angle`` degrees, in steps of ``ANGLE_STEP``) and stroke width change
    (one of ``LIMITS.stroke``). ``images`` is never modified. Blank images stay blank.
    Measured on all 60,000 MNIST training images, one core: 0.45 s (0.8 s on the first call,
    which builds the 97 rotation matrices).
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (FRAME, FRAME) or images.dtype != np.uint8:
        raise ValueError(_("augment expects uint8 images of shape (n, 28, 28), not {dtype} {shape}").format(
            dtype=images.dtype, shape=images.shape))
    return _apply(images, *_draw(len(images), seed, epoch))


def _draw(n: int, seed: int, epoch: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each image's random (dy, dx, angle in degrees, stroke change), from ``(seed, epoch)``."""
    rng = np.random.default_rng([int(seed), int(epoch)])
    steps = int(round(MAX_ANGLE / ANGLE_STEP))
    angle = rng.integers(-steps, steps + 1, size=n) * ANGLE_STEP
    dy = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=n)
    dx = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=n)
    stroke = rng.choice(np.array(STROKE_STEPS), size=n)
    return dy, dx, angle, stroke


def _apply(images: np.ndarray, dy: np.ndarray, dx: np.ndarray, angle: np.ndarray, stroke: np.ndarray) -> np.ndarray:
    """Change each image's stroke width, rotate it (degrees, anticlockwise) and shift it by (dy, dx).

    The same result as ``preprocess.adjust`` image by image (to within rounding), for a batch.
    """
    out = _restroke(images, np.asarray(stroke))
    out = _rotate(out, np.asarray(angle, dtype=np.float64))
    return _shift(out, np.asarray(dy), np.asarray(dx))


def _restroke(images: np.ndarray, stroke: np.ndarray) -> np.ndarray:
    """Thicken (+1) or thin (-1) the strokes of the chosen images: a 2x2 grey dilation or erosion."""
    out = images.copy()
    thick = stroke > 0
    if thick.any():
        out[thick] = ndimage.grey_dilation(images[thick], size=(1, 2, 2))
    thin = np.flatnonzero(stroke < 0)
    if len(thin):
        eroded = ndimage.grey_erosion(images[thin], size=(1, 2, 2))
        before = images[thin].reshape(len(thin), -1).sum(axis=1, dtype=np.int64)
        after = eroded.reshape(len(thin), -1).sum(axis=1, dtype=np.int64)
        keep = after >= MIN_INK_KEPT * before  # a blank image (0 >= 0) counts as kept
        out[thin[keep]] = eroded[keep]
    return out


def _rotate(images: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate each image about its centre (bilinear, zero outside), grouped by angle."""
    out = images.copy()
    flat = images.reshape(len(images), FRAME * FRAME)
    for value in np.unique(angle):
        if value == 0:
            continue
        rows = np.flatnonzero(angle == value)
        rotated = sparse_rotation(float(value)) @ flat[rows].T.astype(np.float32)
        out[rows] = _to_uint8(rotated.T).reshape(len(rows), FRAME, FRAME)
    return out


def _shift(images: np.ndarray, dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Move each image by whole pixels (dy down, dx right); what leaves the frame is lost."""
    m = MAX_SHIFT
    padded = np.pad(images, ((0, 0), (m, m), (m, m)))
    out = np.empty_like(images)
    for sy in range(-m, m + 1):
        for sx in range(-m, m + 1):
            rows = np.flatnonzero((dy == sy) & (dx == sx))
            if len(rows):
                out[rows] = padded[rows, m - sy : m - sy + FRAME, m - sx : m - sx + FRAME]
    return out


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


_ROTATIONS: dict[float, sparse.csr_array] = {}


def sparse_rotation(angle: float) -> sparse.csr_array:
    """The 784x784 matrix that rotates a flattened 28x28 image by ``angle`` degrees anticlockwise.

    Bilinear, about the centre (13.5, 13.5), with zero outside the frame: the same as
    ``scipy.ndimage.rotate(image, angle, reshape=False, order=1)``. Cached per angle.
    """
    if angle in _ROTATIONS:
        return _ROTATIONS[angle]
    centre = (FRAME - 1) / 2
    theta = np.deg2rad(angle)
    cos, sin = np.cos(theta), np.sin(theta)
    r, c = np.mgrid[:FRAME, :FRAME].reshape(2, -1) - centre
    # Output pixel (r, c) reads the input at the point that the rotation carries onto it.
    src_r = cos * r + sin * c + centre
    src_c = -sin * r + cos * c + centre
    # ndimage's "constant" mode: a point outside [0, 27] on either axis reads zero.
    inside = (src_r >= 0) & (src_r <= FRAME - 1) & (src_c >= 0) & (src_c <= FRAME - 1)
    r0 = np.minimum(np.floor(src_r), FRAME - 2).astype(np.int64)
    c0 = np.minimum(np.floor(src_c), FRAME - 2).astype(np.int64)
    fr, fc = src_r - r0, src_c - c0
    out_rows, cols, weights = [], [], []
    for dr, dc, w in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc), (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):
        use = inside & (w > 0)
        out_rows.append(np.flatnonzero(use))
        cols.append(((r0 + dr) * FRAME + (c0 + dc))[use])
        weights.append(w[use])
    matrix = sparse.csr_array(
        (np.concatenate(weights).astype(np.float32), (np.concatenate(out_rows), np.concatenate(cols))),
        shape=(FRAME * FRAME, FRAME * FRAME),
    )
    _ROTATIONS[angle] = matrix
    return matrix
