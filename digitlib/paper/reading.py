"""A number read from a photo of paper or from a wide canvas: the digits, and every step to show.

``read_photo(data, model)`` takes an uploaded file's bytes (checked and decoded by ``photo_bounds``),
``read_number(grey, model)`` a grey photo already decoded, ``read_canvas_number(canvas, model)`` a wide
drawing (white ink on black). Each returns a ``NumberReading``; each digit is prepared as a drawn one
(``digitlib.drawing.preprocess.prepare``; a pen already bolder than MNIST's is not thinned) and read by
``model``: an SVM ``DigitModel`` (``.votes``) or the numpy neural network (``.probabilities``), both taking
(n, 28, 28) uint8 images.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from digitlib.drawing import preprocess
from digitlib.errors import BlankDrawingError, NoDigitsFoundError, TooManyDigitsError
from digitlib.language import N_
from digitlib.paper import digit_scores, photo_bounds, segmentation, split_choice
from digitlib.paper import ink as paper_ink

MAX_DIGITS = 12
# A wide piece is read as touching digits only when the least sure of them is this much surer than the piece
# read whole: in the SVM's sureness (0-1), and in log-odds for the network (its top probability is often
# 0.99-1.0 either way, where log-odds still tell the two apart) where ``split_choice`` has no say.
SPLIT_DOUBT = {"votes": 0.02, "probabilities": 1.0}
# A pen at least this share of a digit's size (0.8 of MNIST's) is kept as written (bold print, a marker); a
# thinner one is fattened to MNIST's, as Draw does (thinning bold fonts too cost them digits, on the tuning splits).
FAT_STROKE = 0.1
# Photos are read with their longest side at most this many pixels (the result's boxes are in the
# coordinates of the grey image given).
PROCESS_SIDE = 1000
# The step images are sized for a picture shown about this many pixels wide (a column of the page, a phone):
# box lines ``BOX_LINE`` and paper lines ``LINE_SHOWN`` screen pixels wide, labels ``LABEL_SIZE`` tall.
SHOWN_WIDTH = 380
BOX_LINE = 2.5
LINE_SHOWN = 2.0
LABEL_SIZE = 15
LINE_COLOUR = (20, 60, 170)
NO_DIGITS = N_("No digits were found in this photo: write the number large and dark on white paper, "
               "and photograph the paper itself, close enough for the number to fill about half the picture.")
TOO_DARK = N_("This does not look like a photo of paper (it is mostly dark, like a screen or a dark room): "
              "photograph the paper in good light.")
NO_DIGITS_CANVAS = N_("The canvas is empty: write a number first, its digits side by side.")
TOO_MANY = N_("This holds {count} digits: write a number of at most {limit} digits, on its own.")


@dataclass(frozen=True)
class ReadDigit:
    """One digit of the number: where it is, what the model saw and what it answered."""

    box: tuple[int, int, int, int]  # x, y, w, h in the coordinates of the image read
    prepared: preprocess.Prepared  # every preprocessing step, as Draw shows them; .centred is the input
    scores: np.ndarray  # the model's votes (ints) or probabilities (floats), length 10
    digit: int

    @property
    def image(self) -> np.ndarray:
        """The 28 x 28 input the model read."""
        return self.prepared.centred


@dataclass(frozen=True)
class NumberReading:
    """A number read, left to right, with the images of each step for the page to show."""

    digits: list[int]
    read: list[ReadDigit]
    score_kind: str  # "votes" (SVM) or "probabilities" (neural network)
    photo: np.ndarray  # the image read, grey uint8 (paper bright), or the canvas's ink (ink bright)
    ink: np.ndarray  # uint8, ink bright on black, paper and lines removed, in the photo's frame
    lines: np.ndarray  # bool, the paper's lines removed (all False for a canvas)
    angle: float  # degrees the page was turned to straighten it
    extras: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The digits joined, nothing between them: ``"407"``."""
        return "".join(str(d) for d in self.digits)

    @property
    def boxes(self) -> list[tuple[int, int, int, int]]:
        return [r.box for r in self.read]

    @property
    def inputs(self) -> np.ndarray:
        """The model's inputs, (n, 28, 28) uint8, in reading order."""
        return np.stack([r.image for r in self.read])

    @property
    def scores(self) -> np.ndarray:
        return np.stack([r.scores for r in self.read])

    def boxes_image(self, shown_width: int = SHOWN_WIDTH) -> np.ndarray:
        """The photo in colour with a numbered box around each digit, in reading order (RGB uint8): its lines
        and numbers sized to stay readable when the picture is shown ``shown_width`` pixels wide."""
        base = self.photo if self.photo.ndim == 2 else preprocess.ink_from_canvas(self.photo)
        picture = Image.fromarray(base).convert("RGB")
        pen = ImageDraw.Draw(picture)
        factor = max(1.0, picture.width / shown_width)  # photo pixels per pixel on the screen
        width = max(2, round(BOX_LINE * factor))
        font = label_font(max(10, round(LABEL_SIZE * factor)))
        outline = max(1, round(factor))
        taken: list[tuple[float, float, float, float]] = []  # the labels placed so far, never overlapped
        for order, r in enumerate(self.read, start=1):
            x, y, w, h = r.box
            pen.rectangle((x, y, x + w, y + h), outline=(230, 80, 0), width=width)
            label = f"{order}: {r.digit}"
            left, top, right, bottom = pen.textbbox((0, 0), label, font=font, stroke_width=outline)
            tall, wide = bottom - top, right - left
            # Above the box, else below it, else inside it: where it overlaps no label already placed.
            spots = [(x, y - tall - width), (x, y + h + width), (x + width + 1, y + width + 1)]
            fits = [(sx, sy) for sx, sy in spots if sy >= 0 and sy + tall <= picture.height]
            free = [s for s in fits if not any(s[0] < a + c and a < s[0] + wide and s[1] < b + d and b < s[1] + tall
                                               for a, b, c, d in taken)]
            sx, sy = (free or fits or spots[-1:])[0]
            taken.append((sx, sy, wide, tall))
            pen.text((sx - left, sy - top), label, fill=(0, 90, 200), font=font, stroke_width=outline,
                     stroke_fill=(255, 255, 255))
        return np.asarray(picture)

    def lines_image(self, shown_width: int = SHOWN_WIDTH) -> np.ndarray:
        """The paper's lines found (and taken out), ready to show (RGB uint8): drawn dark blue over the photo
        faded to a light grey, thickened so a line stays at least ~2 pixels wide when the picture is shown
        ``shown_width`` pixels wide. A canvas, which has no lines, is its faded ink."""
        base = self.photo if self.photo.ndim == 2 else 255 - preprocess.ink_from_canvas(self.photo)
        faded = (170 + base.astype(np.float32) * (85 / 255)).astype(np.uint8)
        found = self.lines
        factor = max(1.0, base.shape[1] / shown_width)
        radius = int(round(LINE_SHOWN * factor / 2))
        if radius >= 1 and found.any():  # a square dilation, done as two running maxima (cheap at any size)
            thick = ndimage.maximum_filter1d(found.view(np.uint8), 2 * radius + 1, axis=0)
            found = ndimage.maximum_filter1d(thick, 2 * radius + 1, axis=1) > 0
        picture = np.repeat(faded[..., None], 3, axis=2)
        picture[found] = LINE_COLOUR
        return picture


def label_font(size: int) -> ImageFont.ImageFont:
    """A bold sans font of ``size`` pixels: DejaVu from matplotlib's font folder, else Pillow's own."""
    return _label_font(int(size))


@cache
def _label_font(size: int):
    try:
        import matplotlib  # only its font folder: no plotting

        return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"),
                                  size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def read_photo(data: bytes, model) -> NumberReading:
    """The number in an uploaded photo's bytes; ``UnreadablePhotoError`` before decoding when it cannot be."""
    return read_number(photo_bounds.decode_photo(data), model)


def read_number(grey: np.ndarray, model) -> NumberReading:
    """The number written on the paper photographed in ``grey`` (uint8, paper bright, any size).

    Raises ``NoDigitsFoundError`` (nothing like a digit, or not a photo of paper) and ``TooManyDigitsError``
    (more than ``MAX_DIGITS``)."""
    grey = np.asarray(grey, dtype=np.uint8)
    if grey.ndim == 3:
        grey = np.asarray(Image.fromarray(grey).convert("L"))
    if float(np.median(grey)) < 50:
        raise NoDigitsFoundError(TOO_DARK)
    scale = min(1.0, PROCESS_SIDE / max(grey.shape))
    small = grey if scale == 1.0 else np.asarray(
        Image.fromarray(grey).resize((max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale))),
                                     Image.Resampling.BOX))
    found = paper_ink.find_ink(small)
    if found.mask.mean() > 0.25:
        raise NoDigitsFoundError(TOO_DARK)
    slots = segmentation.digit_slots(found.mask, edge=found.edge, track=found.track)
    read, kind, kept = _read_pieces(slots, found.levels, model, NO_DIGITS)
    boxes = [_box_in_photo(p, found.angle, small.shape, 1 / scale, grey.shape) for p in kept]
    read = [ReadDigit(box, r.prepared, r.scores, r.digit) for box, r in zip(boxes, read, strict=True)]
    ink_img, removed = found.levels, found.lines
    if found.angle:
        ink_img = ndimage.rotate(ink_img, -found.angle, reshape=False, order=1)
        removed = ndimage.rotate(removed, -found.angle, reshape=False, order=0)
    return NumberReading(digits=[r.digit for r in read], read=read, score_kind=kind, photo=grey,
                         ink=_resize(ink_img, grey.shape), lines=_resize(removed.astype(np.uint8), grey.shape) > 0,
                         angle=found.angle)


def read_canvas_number(canvas: np.ndarray, model) -> NumberReading:
    """The number written on a wide canvas (RGBA, RGB or grey; white ink on black), e.g. 840 x 280."""
    ink = preprocess.ink_from_canvas(canvas)
    mask = ink > preprocess.INK_THRESHOLD
    if not mask.any():
        raise NoDigitsFoundError(NO_DIGITS_CANVAS)
    slots = segmentation.digit_slots(mask, close=1)
    read, kind, _kept = _read_pieces(slots, ink, model, NO_DIGITS_CANVAS)
    return NumberReading(digits=[r.digit for r in read], read=read, score_kind=kind, photo=ink, ink=ink,
                         lines=np.zeros(ink.shape, bool), angle=0.0)


def _read_pieces(slots, levels: np.ndarray, model, empty_message: str):
    """Each slot's readings prepared and read, one kept (``_choice``); pieces that ``prepare`` refuses as a dot
    or a slip are dropped. Returns the digits read, the score kind, their pieces."""
    if len(slots) > MAX_DIGITS:  # each slot holds at least one digit: refused before any is prepared
        raise TooManyDigitsError(TOO_MANY, count=len(slots), limit=MAX_DIGITS)
    readings, kind = scored_slots(slots, levels, model)
    if not any(r[1] is not None for found in readings.values() for r in found):
        raise NoDigitsFoundError(empty_message)
    read, kept = [], []
    height = float(np.median([slot[0][0].height for slot in slots]))  # the number's digits' height
    for s, slot in enumerate(slots):
        options = [[r for r in readings[(s, o)] if r[1] is not None] for o in range(len(slot))]
        best = _choice(options, kind, slot[0][0].width, height)
        for piece, prep, score, _ in options[best]:
            read.append(ReadDigit((piece.left, piece.top, piece.width, piece.height), prep, score,
                                  int(np.argmax(score))))
            kept.append(piece)
    if not read:
        raise NoDigitsFoundError(empty_message)
    if len(read) > MAX_DIGITS:
        raise TooManyDigitsError(TOO_MANY, count=len(read), limit=MAX_DIGITS)
    return read, kind, kept


def scored_slots(slots, levels: np.ndarray, model) -> tuple[dict, str]:
    """Every piece of every reading of ``slots`` (``segmentation.digit_slots``) cut from ``levels``, prepared
    and read in one batch: ``{(slot, option): [(piece, prepared or None, scores, sureness)]}`` (None: refused
    as a dot or a slip, its sureness -inf; the network's sureness in log-odds), and the scores' kind."""
    flat, prepared = [], []
    for s, slot in enumerate(slots):
        for o, option in enumerate(slot):
            for piece in option:
                crop = np.where(piece.mask, levels[piece.top : piece.bottom, piece.left : piece.right], 0)
                crop = np.maximum(crop, piece.mask * 128).astype(np.uint8)  # every pixel of the piece is ink
                try:
                    prepared.append(_prepare(crop))
                except BlankDrawingError:
                    prepared.append(None)
                flat.append((s, o, piece))
    images = [p.centred for p in prepared if p is not None]
    scores, kind, confidence = (digit_scores.model_scores(model, np.stack(images)) if images
                                else (np.zeros((0, 10)), "", np.zeros(0)))
    if kind == "probabilities":
        top = np.clip(confidence.astype(np.float64), 1e-12, 1 - 1e-12)
        confidence = np.log(top) - np.log1p(-top)  # log-odds
    found = iter(zip(scores, confidence, strict=True))
    readings: dict = {}
    for (s, o, piece), prep in zip(flat, prepared, strict=True):
        score, sure = next(found) if prep is not None else (None, -np.inf)
        readings.setdefault((s, o), []).append((piece, prep, score, sure))
    return readings, kind


def _choice(options: list, kind: str, width: int, height: float) -> int:
    """Which reading of a slot is kept (0: the piece whole; after it, its splits), from each reading's
    ``(piece, prepared, scores, sureness)``. The SVM's: the one whose least sure digit is surest (a split
    ``SPLIT_DOUBT`` surer than whole). The network's: whole or split as ``split_choice`` decides, then the
    split whose least sure part is surest."""
    surest = max(range(len(options)), key=lambda o: (min(r[3] for r in options[o]) - SPLIT_DOUBT[kind] * (o > 0)
                                                     if options[o] else -np.inf))
    splits = [o for o in range(1, len(options)) if len(options[o]) >= 2]
    if kind != "probabilities" or not splits:
        return surest
    whole = options[0][0][2] if options[0] else None
    if not split_choice.read_as_several(whole, [[r[2] for r in options[o]] for o in splits], width, height):
        return 0 if options[0] else surest
    return max(splits, key=lambda o: min(split_choice.log_odds(r[2]) for r in options[o]))


def _prepare(crop: np.ndarray) -> preprocess.Prepared:
    """A digit's crop prepared as a drawn digit, its pen evened out to MNIST's only when thinner than
    ``FAT_STROKE`` of its size."""
    rows, cols = np.nonzero(crop > preprocess.INK_THRESHOLD)
    fat = rows.size > 0 and preprocess.stroke_width(crop) >= FAT_STROKE * max(np.ptp(rows) + 1, np.ptp(cols) + 1)
    return preprocess.prepare(np.pad(crop, 4), stroke=not fat)


def _box_in_photo(piece, angle: float, shape: tuple[int, int], factor: float, photo_shape) -> tuple[int, int, int, int]:
    """A piece's box in the photo's coordinates: turned back by ``angle`` and scaled by ``factor``."""
    ys = np.array([piece.top, piece.top, piece.bottom, piece.bottom], float)
    xs = np.array([piece.left, piece.right, piece.left, piece.right], float)
    if angle:
        cy, cx = (shape[0] - 1) / 2, (shape[1] - 1) / 2
        a = np.radians(angle)
        # ndimage.rotate(angle) turned the photo anticlockwise (as seen) about its centre; undo it on the corners.
        dy, dx = ys - cy, xs - cx
        ys, xs = cy + dy * np.cos(a) + dx * np.sin(a), cx - dy * np.sin(a) + dx * np.cos(a)
    x0, y0 = max(0, int(xs.min() * factor)), max(0, int(ys.min() * factor))
    x1, y1 = min(photo_shape[1], int(np.ceil(xs.max() * factor))), min(photo_shape[0], int(np.ceil(ys.max() * factor)))
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def _resize(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if image.shape == tuple(shape):
        return image
    return np.asarray(Image.fromarray(image).resize((shape[1], shape[0]), Image.Resampling.BILINEAR))
