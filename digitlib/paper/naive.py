"""The straightforward pipeline that issue 18 measured (4 of 24 numbers read), kept to compare against.

Threshold each pixel against its local background (the mean of a window around it, less a margin),
take the connected components big enough not to be noise, prepare each as a drawing and read them left
to right. Nothing knows about paper lines, pencil, tilt, broken or touching digits.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from digitlib.drawing import preprocess
from digitlib.errors import BlankDrawingError, NoDigitsFoundError
from digitlib.paper import digit_scores, reading

WINDOW = 51
MARGIN = 15
MIN_AREA = 60


def naive_read(grey: np.ndarray, model) -> str:
    """The digits the naive pipeline reads in a grey photo (paper bright), joined: ``"407"``."""
    scale = min(1.0, reading.PROCESS_SIDE / max(grey.shape))
    if scale < 1:
        size = (round(grey.shape[1] * scale), round(grey.shape[0] * scale))
        grey = np.asarray(Image.fromarray(grey).resize(size, Image.Resampling.BOX))
    g = grey.astype(np.float32)
    ink = g < ndimage.uniform_filter(g, WINDOW) - MARGIN
    labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
    found = []
    for i, box in enumerate(ndimage.find_objects(labels), start=1):
        piece = labels[box] == i
        if piece.sum() < MIN_AREA:
            continue
        try:
            found.append((box[1].start, preprocess.prepare(np.pad(piece.astype(np.uint8) * 255, 4)).centred))
        except BlankDrawingError:
            continue
    if not found:
        raise NoDigitsFoundError(reading.NO_DIGITS)
    found.sort(key=lambda item: item[0])
    scores, _, _ = digit_scores.model_scores(model, np.stack([image for _, image in found]))
    return "".join(str(int(d)) for d in scores.argmax(axis=1))
