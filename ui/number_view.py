"""A number read from a photo or the wide canvas, shown as Draw shows a digit: the number, each step of
the reading, and every digit's 28 × 28 input with the model's scores and a control to correct it."""

from __future__ import annotations

import numpy as np
import streamlit as st

from digitlib.display import charts, magnify
from digitlib.language import N_, _, formats
from digitlib.paper.reading import NumberReading
from ui import spoken

NUMBER_READ = N_("Number read")
BOXED = N_("Each digit boxed and numbered, left to right")


def answer(where, reading: NumberReading) -> None:
    """The metric "Number read" (the digits left to right, nothing between them) and the inputs the model saw,
    in a row (it wraps on a phone)."""
    row = where.container(horizontal=True, vertical_alignment="center", gap="small")
    row.metric(_(NUMBER_READ), reading.text, width="content")
    for i, read in enumerate(reading.read, start=1):
        row.image(magnify.enlarge(read.image, 56), width=56, caption=f"{i}: {read.digit}",
                  alt=_("Digit {i} as the model sees it, 28 × 28, read as {digit}").format(i=i, digit=read.digit))
    spoken.say(_("The model reads the number {number}.").format(number=reading.text), where=row)  # read out


def boxes(where, reading: NumberReading, caption: str | None = None) -> None:
    """The photo (or the strip) with a numbered box around each digit; ``caption`` already translated."""
    caption = caption or _(BOXED)
    where.image(reading.boxes_image(), caption=caption, width="stretch", output_format="JPEG", alt=caption)


def steps(reading: NumberReading, photo: bool) -> None:
    """How the digits were found: the photo, the paper's lines and the ink left (the digits boxed in reading
    order sit beside the answer, ``boxes``), or for the strip, its digits boxed."""
    st.subheader(_("Step by step"))
    if not photo:
        boxes(st, reading)
        st.caption(_("The canvas's ink is cut into digits where a gap runs from top to bottom; digits that "
                     "touch are cut where the ink is thinnest. Each one is then prepared as a drawn digit."))
        return
    shown = [
        (reading.photo, _("1 · The photo, in grey and upright"), "JPEG"),
        (reading.lines_image(), _("2 · The paper's lines and grid found, to remove"), "PNG"),
        (reading.ink, _("3 · The ink found: paper, lines and shadows removed"), "PNG"),
    ]
    for column, (image, caption, kind) in zip(st.columns(3), shown, strict=True):
        column.image(image, caption=caption, width="stretch", output_format=kind, alt=caption)
    if abs(reading.angle) >= 0.1:
        angle = ("+" if reading.angle >= 0 else "") + formats.decimal(reading.angle, 1)
        st.caption(_("The light is evened out, the page straightened (it was turned {angle}° to straighten it), "
                     "and whatever is as long as a line and thinner than a stroke is taken out; what is left is "
                     "cut into digits, and each digit is prepared exactly as a drawn one.").format(angle=angle))
    else:
        st.caption(_("The light is evened out, the page straightened, and whatever is as long as a line and "
                     "thinner than a stroke is taken out; what is left is cut into digits, and each digit is "
                     "prepared exactly as a drawn one."))


def digits(reading: NumberReading, key: str) -> list[int | None]:
    """Each digit's 28 × 28 input, the model's answer and scores, and a control preset to the answer to
    correct it; the labels chosen, in reading order (None where one was unset)."""
    st.subheader(_("Each digit"))
    labels = []
    for i, read in enumerate(reading.read, start=1):
        with st.container(border=True, horizontal=True, vertical_alignment="center", gap="medium"):
            st.image(magnify.enlarge(read.image, 84), width=84,
                     caption=_("Digit {i}: the model read {digit}").format(i=i, digit=read.digit),
                     alt=_("Digit {i}, 28 × 28, as the model sees it").format(i=i))
            table, spec = _bars(reading.score_kind, read.scores, read.digit)
            st.vega_lite_chart(table, spec, width=260, height=130)
            labels.append(st.segmented_control(_("Digit {i} is").format(i=i), list(range(10)), default=read.digit,
                                               wrap=True, key=f"{key}-digit-{i}"))
    if labels != reading.digits:
        chosen = "".join("?" if d is None else str(d) for d in labels)
        st.caption(_("With your corrections the number is **{chosen}** (the model read {text}).").format(
            chosen=chosen, text=reading.text))
    return labels


def _bars(kind: str, scores: np.ndarray, digit: int):
    """The votes or probabilities of one digit as small bars, without the big chart's titles (the caption under
    the digits says which they are)."""
    table, spec = charts.probabilities(scores, digit) if kind == "probabilities" else charts.votes(scores, digit)
    spec = {key: value for key, value in spec.items() if key != "title"}
    y = spec["encoding"]["y"]
    spec["encoding"]["y"] = {**y, "title": None, "axis": {**y.get("axis", {}), "tickCount": 3}}
    spec["encoding"]["x"] = {**spec["encoding"]["x"], "title": None}
    return table, spec
