"""Draw without a pointer (issue 19): a student who cannot draw with a mouse, a finger or a pen picks a
test image by its index, and the model reads it as it reads a drawing (a photo of paper is the other
way in: Draw's "Photo" mode). A drawing on the canvas comes first; a test image is never saved to the
class set as the student's handwriting."""

from __future__ import annotations

import numpy as np
import streamlit as st

from digitlib.drawing import preprocess
from digitlib.language import _, formats

KEY = "draw_test_image"  # the number input: a test image's index, or None


def picker(mnist) -> preprocess.Prepared | None:
    """"Or pick a test image": the chosen test image as the model's input (every step of preparing it is the
    image itself: MNIST's images are prepared already), or None while none is chosen."""
    last = len(mnist.y_test) - 1
    index = st.number_input(
        _("Or pick a test image (0 – {last})").format(last=formats.count(last)), min_value=0, max_value=last,
        value=None, step=1, key=KEY, placeholder=_("Its index, such as 6"),
        help=_("If you cannot draw on the canvas, the model reads one of the MNIST test images instead. "
               "A drawing on the canvas comes first."))
    if index is None:
        return None
    image = np.asarray(mnist.x_test[int(index)], dtype=np.uint8).reshape(28, 28)
    return preprocess.Prepared(ink=image, cropped=image, evened=image, scaled=image, centred=image)
