"""An ink mask cut into digits, left to right: broken digits joined, touching ones split, specks dropped.

* Pieces are the mask's 8-connected components after a small closing (pencil's grain, pen skips).
* The digits' height is the median height of the large pieces; pieces much smaller in both directions
  are dots and specks, and pieces far above or below the number's row are stray marks.
* Pieces that overlap in x by half the narrower one (a 5's flag over its body, a 4's open top, an
  i-dot-like 1 foot) are one digit; so is a small piece close beside a larger one.
* A piece much wider than a digit is several touching digits, cut at the columns with the least ink, each
  part about as tall as the digits.
* In a photo, pieces whose strokes are far thinner than the largest pieces' (a grid line's stretch that
  was never found as a line, a hair) are dropped.
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
# A piece with more than this share of its pixels on a paper line's track is what is left of the line
# (measured: remnants 0.97-1.0, digits crossing or along a line at most 0.67).
TRACK_SHARE = 0.85
# In a photo, a piece whose strokes are thinner than this share of the largest pieces' is no writing.
THIN_SHARE = 0.3
# A piece lying along a paper line is a digit written on it when its strokes are this share of the pen's.
ON_LINE_SHARE = 0.7
# In a photo, a digit is at least this share of the picture's longest side tall (a speck otherwise).
MIN_HEIGHT_SHARE = 0.015
# Pieces that overlap in x by this share of the narrower are one digit.
OVERLAP_SHARE = 0.5
# A piece wider than this for its height may be touching digits (each about ``PITCH`` wide); it is also
# read split in two at its ``TWO_WAY_CUTS`` likeliest columns, and in as many as the pitch says when 3 or more.
SPLIT_FROM = 0.9
PITCH = 0.6
TWO_WAY_CUTS = 3
# Touching digits are each at least this share of the piece's height (or the digits', if taller): a cut
# that leaves a 5's flag or a 7's bar on its own is no reading.
PART_SHARE = 0.6


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


def digit_pieces(mask: np.ndarray, close: int = 3, edge: np.ndarray | None = None,
                 track: np.ndarray | None = None) -> list[Piece]:
    """The digits in ``mask`` (bool), in reading order (left to right); [] when there are none.

    Pieces touching ``edge`` (bool, the photo's border, e.g. its desk or the paper's edge) are dropped:
    a digit cut by the picture's edge cannot be read anyway. A wide piece is split (``digit_slots`` keeps
    the choice open instead)."""
    return [piece for slot in digit_slots(mask, close, edge, track) for piece in slot[-1]]


def digit_slots(mask: np.ndarray, close: int = 3, edge: np.ndarray | None = None,
                track: np.ndarray | None = None) -> list[list[list[Piece]]]:
    """The digits in ``mask`` as slots in reading order, each slot its readings: ``[[piece]]`` for one digit,
    ``[[wide piece], [left, right]]`` for a piece wide enough to be touching digits (or one wide digit:
    the model's confidence decides, see ``reading``). Pieces lying mostly on ``track`` (bool, the paper's
    lines, ``lines.remove_lines``) are what is left of a line; digits shorter than ``MIN_HEIGHT_SHARE`` of
    the picture are specks."""
    joined = ndimage.binary_closing(mask, structure=np.ones((close, close), bool)) | mask if close > 1 else mask
    labels, n = ndimage.label(joined, structure=np.ones((3, 3), bool))
    if n == 0:
        return []
    boxes = ndimage.find_objects(labels)
    areas = np.bincount(labels.ravel())[1:]
    junk = _not_writing(boxes, mask.shape)
    if edge is not None:
        junk[np.unique(labels[edge & (labels > 0)]) - 1] = True
    on_line = np.zeros(n, bool)
    if track is not None:
        on_track = np.bincount(labels[track & (labels > 0)], minlength=n + 1)[1:]
        on_line = (on_track > TRACK_SHARE * areas) & ~junk
        junk |= on_line
    if junk.all():
        return []
    height = _digit_height([b for b, j in zip(boxes, junk, strict=True) if not j], areas[~junk])
    groups = [g for g in _candidates(boxes, height) if not junk[g[0]]]
    if track is not None:  # a photo: what is left of a line that was never found is much thinner than the pen;
        # a piece lying along a line as thick as the pen is a digit written on it (a 1 on a grid's column)
        lying = [g for g in _candidates(boxes, height) if on_line[g[0]]]
        groups = _pen_thick(groups, lying, labels, boxes, areas)
        if not groups:
            return []
        height = _digit_height([boxes[g[0]] for g in groups], areas[[g[0] for g in groups]])
    groups = _merge(groups, boxes, height)
    shortest = max(DIGIT_SHARE * height, MIN_HEIGHT_SHARE * max(mask.shape) if track is not None else 0)
    pieces = [piece for piece in (_piece(labels, boxes, members) for members in groups) if piece.height >= shortest]
    pieces = _on_the_row(pieces, height)
    slots = []
    for piece in sorted(pieces, key=lambda p: (p.left + p.right) / 2):
        slots.append([[piece], *split_options(piece, height)])
    return slots


def _not_writing(boxes: list, shape: tuple[int, int]) -> np.ndarray:
    """Pieces that are no digit whatever their neighbours: the paper's edge, a desk, a long stroke or fold.

    Far wider than tall and long (a digit, or even 12 touching ones, is never 5 times wider than tall over
    a third of the page), as tall as the whole picture, or touching its border while spanning much of it."""
    h, w = shape
    out = np.zeros(len(boxes), bool)
    for i, (rows, cols) in enumerate(boxes):
        bh, bw = rows.stop - rows.start, cols.stop - cols.start
        border = rows.start == 0 or cols.start == 0 or rows.stop == h or cols.stop == w
        out[i] = ((bw > 5 * bh and bw > w / 3) or bh > 0.9 * h or bw > 0.9 * w
                  or (border and (bw > 0.4 * w or bh > 0.6 * h)))
    return out


def _pen_thick(groups: list[list[int]], lying: list[list[int]], labels: np.ndarray, boxes: list,
               areas: np.ndarray) -> list[list[int]]:
    """The pieces written with the number's pen: a piece whose strokes are thinner than ``THIN_SHARE`` of the
    largest pieces' (a faint line's stretch, a hair) is dropped; of the pieces ``lying`` along a paper line,
    those at least ``ON_LINE_SHARE`` as thick are taken back."""
    if not groups:
        return groups
    members = [g[0] for g in groups]
    widths = np.array([_stroke_width(labels[boxes[i]] == i + 1) for i in members])
    big = areas[members] >= 0.5 * areas[members].max()
    pen = float(np.median(widths[big]))
    kept = [g for g, w in zip(groups, widths, strict=True) if w >= THIN_SHARE * pen]
    kept += [g for g in lying if _stroke_width(labels[boxes[g[0]]] == g[0] + 1) >= ON_LINE_SHARE * pen]
    return kept


def _stroke_width(mask: np.ndarray) -> float:
    """A piece's stroke width: the median length of its runs across, the smaller of rows' and columns'."""
    def runs(m: np.ndarray) -> float:
        padded = np.pad(m, ((0, 0), (1, 1))).view(np.int8)
        change = np.diff(padded, axis=1)
        lengths = np.nonzero(change.ravel() == -1)[0] - np.nonzero(change.ravel() == 1)[0]
        return float(np.median(lengths)) if lengths.size else 0.0

    return min(runs(mask), runs(mask.T))


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
        return joined_width <= 1.2 * height
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


def split_options(piece: Piece, height: float) -> list[list[Piece]]:
    """Ways to read a wide piece as touching digits: in two at each of the few columns with the least ink
    near its middle, and in ``round(width / pitch)`` at the least-ink columns near each expected cut."""
    scale = max(piece.height, 0.8 * height)
    if piece.width <= SPLIT_FROM * scale:
        return []
    columns = ndimage.uniform_filter1d(piece.mask.sum(axis=0).astype(np.float32), 3)
    options = []
    lo, hi = int(0.2 * piece.width), int(0.8 * piece.width)
    near_lo, near_hi = int(0.4 * piece.width), int(0.6 * piece.width)
    if near_hi > near_lo:  # the least ink near the middle: two digits of about the same width
        options.append(_cut(piece, [0, near_lo + int(np.argmin(columns[near_lo:near_hi])), piece.width]))
    if hi > lo + 1:
        middle = columns[lo:hi]
        minima = [i for i in range(len(middle)) if middle[i] <= middle[max(0, i - 3) : i + 4].min()]
        for cut in sorted(minima, key=lambda i: middle[i])[:TWO_WAY_CUTS]:
            options.append(_cut(piece, [0, lo + cut, piece.width]))
    count = int(round(piece.width / (PITCH * scale)))
    if count >= 3:
        cuts, step = [0], piece.width / count
        for k in range(1, count):
            centre = int(k * step)
            a, b = max(cuts[-1] + 1, int(centre - 0.3 * step)), min(piece.width - 1, int(centre + 0.3 * step))
            if b > a:
                cuts.append(a + int(np.argmin(columns[a:b])))
        options.append(_cut(piece, cuts + [piece.width]))
    tall = PART_SHARE * max(piece.height, height)
    return [option for option in options if len(option) > 1 and all(part.height >= tall for part in option)]


def _cut(piece: Piece, cuts: list[int]) -> list[Piece]:
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
    """The pieces on the number's row: the row (middles within a digit's height) holding the most pieces,
    the largest ink first when two rows hold as many."""
    if len(pieces) < 3:
        return pieces
    middles = np.array([(p.top + p.bottom) / 2 for p in pieces])
    near = np.abs(middles[:, None] - middles[None, :]) <= 0.9 * height
    ink = np.array([p.mask.sum() for p in pieces], float)
    best = max(range(len(pieces)), key=lambda i: (near[i].sum(), ink[near[i]].sum()))
    centre = float(np.median(middles[near[best]]))
    return [p for p, m in zip(pieces, middles, strict=True) if abs(m - centre) <= 0.9 * height]
