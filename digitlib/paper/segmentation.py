"""An ink mask cut into digits, left to right: broken digits joined, touching ones split, specks dropped.

* Pieces are the mask's 8-connected components after a small closing (pencil's grain, pen skips).
* The digits' height is the median height of the large pieces; pieces much smaller in both directions
  are dots and specks, and pieces far above or below the number's row are stray marks.
* Pieces that overlap in x by half the narrower one (a 5's flag over its body, a 4's open top, an
  i-dot-like 1 foot) are one digit; so is a small piece close beside a larger one.
* A piece much wider than a digit is several touching digits, cut at the columns with the least ink.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

# Pieces at least this share of the largest piece's area set the digits' height.
LARGE_SHARE = 0.15
# Smaller than this share of the digits' height, both ways: a speck or a dot.
SPECK_SHARE = 0.3
# A finished digit at least this share of the digits' height (a lone dash or dot is not a digit).
DIGIT_SHARE = 0.45
# Pieces that overlap in x by this share of the narrower are one digit.
OVERLAP_SHARE = 0.5
# A digit is at most this wide for its height; wider means touching digits, each about ``PITCH`` wide.
WIDEST = 1.2
PITCH = 0.75


@dataclass(frozen=True)
class Piece:
    """One digit: its box (top, left, bottom, right; bottom and right excluded) and its mask in that box."""

    top: int
    left: int
    bottom: int
    right: int
    mask: np.ndarray

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left


def digit_pieces(mask: np.ndarray, close: int = 3) -> list[Piece]:
    """The digits in ``mask`` (bool), in reading order (left to right); [] when there are none."""
    joined = ndimage.binary_closing(mask, structure=np.ones((close, close), bool)) | mask if close > 1 else mask
    labels, n = ndimage.label(joined, structure=np.ones((3, 3), bool))
    if n == 0:
        return []
    boxes = ndimage.find_objects(labels)
    areas = np.bincount(labels.ravel())[1:]
    height = _digit_height(boxes, areas)
    groups = _candidates(boxes, height)
    groups = _merge(groups, boxes, height)
    pieces = []
    for members in groups:
        piece = _piece(labels, boxes, members)
        if piece.height < DIGIT_SHARE * height:
            continue
        pieces.extend(_split(piece, height))
    pieces = _on_the_row(pieces, height)
    return sorted(pieces, key=lambda p: (p.left + p.right) / 2)


def _digit_height(boxes: list, areas: np.ndarray) -> float:
    large = areas >= LARGE_SHARE * areas.max()
    heights = [b[0].stop - b[0].start for b, big in zip(boxes, large, strict=True) if big]
    return float(np.median(heights))


def _candidates(boxes: list, height: float) -> list[list[int]]:
    """One group per piece that is not a speck (too small in both directions)."""
    small = SPECK_SHARE * height
    return [[i] for i, b in enumerate(boxes)
            if (b[0].stop - b[0].start) >= small or (b[1].stop - b[1].start) >= small]


def _extent(boxes: list, members: list[int]) -> tuple[int, int, int, int]:
    return (min(boxes[i][0].start for i in members), min(boxes[i][1].start for i in members),
            max(boxes[i][0].stop for i in members), max(boxes[i][1].stop for i in members))


def _merge(groups: list[list[int]], boxes: list, height: float) -> list[list[int]]:
    """Join groups that overlap in x, or a small group close beside a larger one, until none do."""
    changed = True
    while changed and len(groups) > 1:
        changed = False
        groups.sort(key=lambda g: _extent(boxes, g)[1])
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if _belong_together(_extent(boxes, groups[a]), _extent(boxes, groups[b]), height):
                    groups[a] = groups[a] + groups[b]
                    del groups[b]
                    changed = True
                    break
            if changed:
                break
    return groups


def _belong_together(a: tuple, b: tuple, height: float) -> bool:
    top_a, left_a, bottom_a, right_a = a
    top_b, left_b, bottom_b, right_b = b
    vertical_gap = max(top_a, top_b) - min(bottom_a, bottom_b)
    if vertical_gap > 0.4 * height:
        return False
    overlap = min(right_a, right_b) - max(left_a, left_b)
    narrower = min(right_a - left_a, right_b - left_b)
    if overlap >= OVERLAP_SHARE * narrower:
        joined_width = max(right_a, right_b) - min(left_a, left_b)
        return joined_width <= WIDEST * height
    small_a = (bottom_a - top_a) < 0.5 * height
    small_b = (bottom_b - top_b) < 0.5 * height
    if small_a != small_b and -overlap < 0.08 * height:  # a small piece touching or nearly touching
        joined_width = max(right_a, right_b) - min(left_a, left_b)
        return joined_width <= 0.9 * height
    return False


def _piece(labels: np.ndarray, boxes: list, members: list[int]) -> Piece:
    top, left, bottom, right = _extent(boxes, members)
    window = labels[top:bottom, left:right]
    return Piece(top, left, bottom, right, np.isin(window, np.asarray(members) + 1))


def _split(piece: Piece, height: float) -> list[Piece]:
    """Touching digits cut apart at the columns with the least ink near each expected cut."""
    scale = max(piece.height, 0.8 * height)
    if piece.width <= WIDEST * scale:
        return [piece]
    count = max(2, int(round(piece.width / (PITCH * scale))))
    columns = piece.mask.sum(axis=0).astype(np.float32)
    columns = ndimage.uniform_filter1d(columns, 3)
    cuts = [0]
    step = piece.width / count
    for k in range(1, count):
        centre = int(k * step)
        lo, hi = max(cuts[-1] + 1, int(centre - 0.3 * step)), min(piece.width - 1, int(centre + 0.3 * step))
        if hi <= lo:
            continue
        cuts.append(lo + int(np.argmin(columns[lo:hi])))
    cuts.append(piece.width)
    out = []
    for start, stop in zip(cuts[:-1], cuts[1:], strict=True):
        sub = piece.mask[:, start:stop]
        rows = np.nonzero(sub.any(axis=1))[0]
        if rows.size == 0:
            continue
        out.append(Piece(piece.top + rows[0], piece.left + start, piece.top + rows[-1] + 1, piece.left + stop,
                         sub[rows[0] : rows[-1] + 1]))
    return out


def _on_the_row(pieces: list[Piece], height: float) -> list[Piece]:
    """The pieces on the number's row: their middles within a digit's height of the median middle."""
    if len(pieces) < 3:
        return pieces
    middles = np.array([(p.top + p.bottom) / 2 for p in pieces])
    centre = float(np.median(middles))
    return [p for p, m in zip(pieces, middles, strict=True) if abs(m - centre) <= 0.9 * height]
