"""Small test images in rows that wrap, dark ink on white as the lesson's ``imshow`` shows them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from digitlib.display import magnify
from digitlib.language import N_, _

SIZE = 64  # pixels on screen, for 28 × 28 images


def picture(image: np.ndarray, size: int = SIZE) -> np.ndarray:
    """``image`` enlarged with square pixels, ink dark on white."""
    return 255 - magnify.enlarge(image, size)


def row(images, captions: list[str], key: str | None = None, what: str = N_("Image")) -> None:
    """The images side by side, each with its caption (also its text alternative, after ``what``),
    wrapping onto more lines as needed. ``what`` is translated here (pass it marked, or translated)."""
    with st.container(horizontal=True, gap="xsmall", key=key):
        for image, caption in zip(images, captions, strict=True):
            st.image(picture(image), caption=caption, width=SIZE, alt=f"{_(what)} {caption}")
