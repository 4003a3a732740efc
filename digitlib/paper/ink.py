"""From a grey photo of paper to its ink: light evened out, the page straightened, lines taken out.

* The paper's own brightness is estimated everywhere (a grey closing, coarse and smoothed, removes every
  stroke narrower than ``BACKGROUND_WINDOW`` of the page), and each pixel's *darkness* is how much darker
  than its paper it is (``1 - grey / paper``): a shadow or uneven light darkens paper and ink alike, so
  the ratio stays.
* Ink is darkness above a threshold set from the photo itself: a few times the paper's noise, and a share
  of the darkest ink (pencil is faint, pen dark). Faint pixels count only when joined to clearly dark ones
  (hysteresis), after the lines are gone, so a faint ruled line never carries ink into a digit.
* The page is turned upright by its lines' tilt (``lines.line_angle``), and ``lines.remove_lines`` takes
  out ruled lines, squares and margins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from digitlib.paper import lines

BACKGROUND_WINDOW = 1 / 25
# Below this many noise deviations nothing is ink; and at least this darkness.
NOISE_FACTOR = 4.0
MIN_DARKNESS = 0.06
# Clear ink is at least this share of the darkest ink's darkness.
STRONG_SHARE = 0.4
# Pieces within this share of the picture's longest side from its border are the paper's edge or the desk.
EDGE_BAND = 0.015
# Ink levels reach full strength (255) at this share of the darkest ink.
FULL_SHARE = 0.6


@dataclass(frozen=True)
class Ink:
    """A photo's ink, in the straightened frame (the photo turned by ``angle`` degrees about its centre)."""

    darkness: np.ndarray  # float32, 0 paper to 1 black, straightened
    mask: np.ndarray  # bool, the ink kept (lines, specks of paper removed)
    lines: np.ndarray  # bool, the line pixels removed
    track: np.ndarray  # bool, every ink pixel along a line (what is left of a line lies on it)
    edge: np.ndarray  # bool, a band along the photo's own border (turned with it)
    levels: np.ndarray  # uint8, ink bright (255) on black, as the canvas draws: what the digits are cut from
    angle: float  # degrees the photo was turned (``ndimage.rotate``, anticlockwise as seen) to straighten it
    ink_level: float  # the darkest ink's darkness (0-1)


def paper_darkness(grey: np.ndarray) -> np.ndarray:
    """How much darker than its surrounding paper each pixel is, 0 (paper) to 1 (black), float32."""
    g = grey.astype(np.float32)
    h, w = g.shape
    factor = max(1, int(max(h, w) / 300))
    small = np.asarray(Image.fromarray(grey).resize((max(1, w // factor), max(1, h // factor)),
                                                    Image.Resampling.BOX), dtype=np.float32)
    size = max(3, int(round(BACKGROUND_WINDOW * max(h, w) / factor)) | 1)
    paper = ndimage.grey_closing(small, size=(size, size))
    paper = ndimage.uniform_filter(paper, 3)
    paper = np.asarray(Image.fromarray(paper).resize((w, h), Image.Resampling.BILINEAR))
    return np.clip(1.0 - g / np.maximum(paper, 1.0), 0.0, 1.0)


def find_ink(grey: np.ndarray, remove_lines: bool = True) -> Ink:
    """The ink of a photo of paper (grey uint8, paper bright); see the module's description."""
    darkness = paper_darkness(grey)
    noise = _noise(darkness)
    ink_level = _ink_level(darkness, noise)
    low = max(NOISE_FACTOR * noise, MIN_DARKNESS, 0.2 * ink_level)
    high = max(low * 1.5, STRONG_SHARE * ink_level)
    faint = darkness > low
    angle = -lines.line_angle(faint[::2, ::2]) if remove_lines else 0.0  # turning the lines' tilt back
    inside = np.ones(darkness.shape, bool)
    if abs(angle) >= 0.3:
        darkness = ndimage.rotate(darkness, angle, reshape=False, order=1, mode="constant", cval=0.0)
        inside = ndimage.rotate(inside, angle, reshape=False, order=0, mode="constant", cval=False)
        faint = darkness > low
    else:
        angle = 0.0
    removed = track = np.zeros_like(faint)
    if remove_lines:
        faint, removed, track = lines.remove_lines(faint, inside)
    mask = _hysteresis(faint, darkness > high)
    levels = np.clip(darkness / max(FULL_SHARE * ink_level, 1e-3), 0, 1) * 255
    levels = np.where(ndimage.binary_dilation(mask), levels, 0).astype(np.uint8)
    band = max(2, round(EDGE_BAND * max(grey.shape)))
    edge = ~ndimage.binary_erosion(inside, iterations=band, border_value=0)
    return Ink(darkness=darkness, mask=mask, lines=removed, track=track, edge=edge, levels=levels, angle=angle,
               ink_level=ink_level)


def _noise(darkness: np.ndarray) -> float:
    """The paper's noise: the robust spread of darkness over a sample of pixels (mostly paper)."""
    sample = darkness[::3, ::3].ravel()
    median = float(np.median(sample))
    return float(1.4826 * np.median(np.abs(sample - median))) + 1e-3


def _ink_level(darkness: np.ndarray, noise: float) -> float:
    """The darkness of the darkest ink: a high percentile of the pixels clearly darker than paper."""
    dark = darkness[darkness > max(NOISE_FACTOR * noise, MIN_DARKNESS)]
    if dark.size < 20:
        return 0.0
    return float(np.percentile(dark, 95))


def _hysteresis(faint: np.ndarray, strong: np.ndarray) -> np.ndarray:
    """The faint mask's pieces that hold at least a few strong pixels."""
    labels, n = ndimage.label(faint, structure=np.ones((3, 3), bool))
    if n == 0:
        return faint
    strong_count = np.bincount(labels[strong & faint], minlength=n + 1)
    keep = strong_count >= 3
    keep[0] = False
    return keep[labels]
