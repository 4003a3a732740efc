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


def remove_lines(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``mask`` without its horizontal and vertical paper lines, and the line pixels taken out."""
    removed_h = _thin_lines(mask, axis=1)
    cleaned = mask & ~removed_h
    removed_v = _thin_lines(cleaned, axis=0)
    cleaned &= ~removed_v
    return cleaned, removed_h | removed_v


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


def _thin_lines(mask: np.ndarray, axis: int) -> np.ndarray:
    """Pixels of long, thin lines along ``axis`` (1: horizontal, 0: vertical) that no stroke thickens."""
    along = mask.shape[axis]
    window = max(15, int(WINDOW * along))
    across = (2 * SLACK + 1, 1) if axis == 1 else (1, 2 * SLACK + 1)
    widened = ndimage.binary_dilation(mask, structure=np.ones(across, bool))
    coverage = ndimage.uniform_filter1d(widened.astype(np.float32), window, axis=axis)
    zone = coverage >= COVERAGE
    if not zone.any():
        return np.zeros_like(mask)
    labels, n = ndimage.label(zone)
    spans = ndimage.find_objects(labels)
    long_ones = np.zeros(n + 1, bool)
    for i, box in enumerate(spans, start=1):
        extent = box[axis].stop - box[axis].start + window  # the window's own reach at both ends
        long_ones[i] = extent >= LINE_SPAN * along
    lines = mask & long_ones[labels]
    if not lines.any():
        return np.zeros_like(mask)
    thickness = _run_thickness(lines, axis)
    limit = max(2, int(np.ceil(1.6 * thickness)) + 1)
    run = (limit + 1, 1) if axis == 1 else (1, limit + 1)
    thick = ndimage.binary_opening(mask, structure=np.ones(run, bool))  # ink thicker across than a line
    return lines & ~thick


def _run_thickness(lines: np.ndarray, axis: int) -> float:
    """The median thickness across the lines: the length of their runs perpendicular to ``axis``."""
    across = np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]], bool) if axis == 1 else np.array(
        [[0, 0, 0], [1, 1, 1], [0, 0, 0]], bool)
    labels, n = ndimage.label(lines, structure=across)
    if n == 0:
        return 1.0
    sizes = np.bincount(labels.ravel())[1:]
    return float(np.median(sizes))
