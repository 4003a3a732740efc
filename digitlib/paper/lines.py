"""Ruled lines, squared grids and margins found in an ink mask and taken out, digits kept.

A paper line is thin across and long along: far longer than any digit (a fraction ``LINE_SPAN`` of the
page). Its pixels are found as the mask's long horizontal (or vertical) runs, tolerant of a small tilt
and of gaps (the mask is widened across the line before its coverage along a window is measured). Only
the *thin* part of a line is removed: where a digit's stroke crosses or lies on the line, the ink is
thicker across than the line itself and stays, so a 4 crossing a ruled line keeps its stem whole.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# A line's coverage along a window of ``WINDOW`` of the page's side must reach ``COVERAGE`` ...
WINDOW = 0.1
COVERAGE = 0.85
# ... and the covered stretch must span this share of the page: digits never do.
LINE_SPAN = 0.3
# Across the line, the mask is widened by this many pixels each side before measuring (tilt, wobble).
SLACK = 2
# A line's zone (the line widened by the slack) is at most this thick on average, in pixels.
ZONE_THICKNESS = 2 * SLACK + 8


def remove_lines(mask: np.ndarray, inside: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``mask`` without its horizontal and vertical paper lines, the line pixels taken out, and the lines'
    tracks (every pixel of the mask along a line, the thick ones kept included): what is left of a line
    lies on its track, a digit mostly off it. ``inside`` (bool) is the photo's own area when it was turned:
    a line's coverage is measured over the part of each window inside it, so lines run out to the edges."""
    removed_h, track_h = _thin_lines(mask, axis=1, inside=inside)
    cleaned = mask & ~removed_h
    removed_v, track_v = _thin_lines(cleaned, axis=0, inside=inside)
    cleaned &= ~removed_v
    return cleaned, removed_h | removed_v, track_h | track_v


def line_angle(mask: np.ndarray, max_degrees: float = 8.0, step: float = 0.25) -> float:
    """The tilt (degrees, anticlockwise as seen) of the mask's dominant straight rows: its ruled lines.

    The projection of the ink across each candidate direction is sharpest (largest sum of squares) along
    the lines; 0 when nothing is sharper than the upright reading."""
    rows, cols = np.nonzero(mask)
    if rows.size < 50:
        return 0.0
    if rows.size > 60_000:  # a fixed sample keeps the cost bounded
        pick = np.random.default_rng(0).choice(rows.size, 60_000, replace=False)
        rows, cols = rows[pick], cols[pick]
    rows = rows.astype(np.float32)
    cols = cols.astype(np.float32) - mask.shape[1] / 2
    best, best_score = 0.0, -1.0
    for degrees in np.arange(-max_degrees, max_degrees + step / 2, step):
        a = np.radians(degrees)
        projected = rows * np.cos(a) + cols * np.sin(a)
        counts = np.bincount((projected - projected.min()).astype(np.int64))
        score = float(np.dot(counts, counts))
        if score > best_score * (1 + 1e-6):  # the upright reading wins ties (the loop passes it mid-way)
            best, best_score = float(degrees), score
        elif abs(score - best_score) <= best_score * 1e-6 and abs(degrees) < abs(best):
            best = float(degrees)
    return best


def _thin_lines(mask: np.ndarray, axis: int, inside: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pixels of long, thin lines along ``axis`` (1: horizontal, 0: vertical) that no stroke thickens,
    and the lines' whole track."""
    along = mask.shape[axis]
    window = max(15, int(WINDOW * along))
    across = (2 * SLACK + 1, 1) if axis == 1 else (1, 2 * SLACK + 1)
    widened = ndimage.binary_dilation(mask, structure=np.ones(across, bool))
    coverage = ndimage.uniform_filter1d(widened.astype(np.float32), window, axis=axis)
    if inside is not None:
        coverage /= np.maximum(ndimage.uniform_filter1d(inside.astype(np.float32), window, axis=axis), 0.3)
    zone = coverage >= COVERAGE
    if not zone.any():
        return np.zeros_like(mask), np.zeros_like(mask)
    labels, n = ndimage.label(zone)
    spans = ndimage.find_objects(labels)
    areas = np.bincount(labels.ravel(), minlength=n + 1)
    long_ones = np.zeros(n + 1, bool)
    for i, box in enumerate(spans, start=1):
        extent = box[axis].stop - box[axis].start
        # Long, and thin across (a row of digits side by side is long too, but as thick as a digit).
        long_ones[i] = extent + window >= LINE_SPAN * along and areas[i] / extent <= ZONE_THICKNESS
    # A line's last stretch, where the window reaches past its end, belongs to it too.
    reach = ndimage.maximum_filter1d(long_ones[labels].view(np.uint8), window, axis=axis) > 0
    lines = mask & reach
    if not lines.any():
        return lines, lines
    thickness = _run_thickness(lines, axis)
    limit = max(2, int(np.ceil(1.6 * thickness)) + 1)
    run = (limit + 1, 1) if axis == 1 else (1, limit + 1)
    thick = ndimage.binary_opening(mask, structure=np.ones(run, bool))  # ink thicker across than a line
    return lines & ~thick, lines


def _run_thickness(lines: np.ndarray, axis: int) -> float:
    """The median thickness across the lines: the length of their runs perpendicular to ``axis``."""
    across = np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]], bool) if axis == 1 else np.array(
        [[0, 0, 0], [1, 1, 1], [0, 0, 0]], bool)
    labels, n = ndimage.label(lines, structure=across)
    if n == 0:
        return 1.0
    sizes = np.bincount(labels.ravel())[1:]
    return float(np.median(sizes))
