"""Draw's details under the answer: the preparation step by step, then, when the student opens them, why the
model answered, the closest training images, and how the answer changes when the drawing is shifted, turned or
thickened.

Those three are filled only while their expander is open (it stays open for the session once opened): they were
about 60% of a stroke's server CPU and 22 of its 26 images (``python -m bench.action_cpu``)."""

from __future__ import annotations

import streamlit as st

from digitlib.display import magnify
from digitlib.drawing import preprocess
from digitlib.language import N_, _
from digitlib.svm.model import DigitModel
from ui import alt_text, neural, resources, support_vector_view


def details(prepared: preprocess.Prepared, model, digit: int, mnist) -> None:
    """How the drawing became the model's input, why the model answered ``digit``, what the drawing resembles,
    and how fragile the answer is."""
    st.subheader(_("Step by step"))
    steps = st.columns(4)
    steps[0].image(magnify.enlarge(prepared.cropped), caption=_("1 · Crop to the ink"), width=140,
                   alt=_("Your drawing cropped to its ink."))
    steps[1].image(magnify.enlarge(prepared.evened), caption=_("2 · Straighten, even the stroke"), width=140,
                   clamp=True, alt=_("Your drawing straightened, its stroke evened."))
    steps[2].image(magnify.enlarge(prepared.scaled), caption=_("3 · Shrink to 20 pixels"), width=140,
                   alt=_("Your drawing shrunk to fit 20 × 20 pixels."))
    steps[3].image(magnify.enlarge(prepared.centred), caption=_("4 · Centre in 28 × 28"), width=140,
                   alt=_("Your drawing centred in 28 × 28 pixels, as the model sees it."))

    closer = st.expander(_("Look closer: why this answer, the closest training images, how sensitive it is"),
                         icon=":material/zoom_in:", key="draw_closer", on_change="rerun")
    if closer.open:
        with closer:
            _closer(prepared, model, digit, mnist)


def _closer(prepared: preprocess.Prepared, model, digit: int, mnist) -> None:
    if isinstance(model, DigitModel):  # the support vectors that pushed hardest
        support_vector_view.why_this_answer(model, prepared.centred, digit, N_("your drawing"))
    else:  # a network has none: what its first layer finds instead
        st.subheader(_("What the network's first layer finds"))
        neural.filter_grid(model, prepared.centred, "drawing")

    st.subheader(_("The training images closest to your drawing"))
    near = resources.neighbour_index(mnist).closest(prepared.centred, k=8)
    st.image([magnify.enlarge(mnist.x_train[i], 84) for i in near],
             caption=[f"#{i}: {mnist.y_train[i]}" for i in near], width=84,
             alt=alt_text.digits(mnist.y_train[near], N_("A training image close to your drawing")))
    st.caption(_("Closest by pixel distance. Each caption reads #index: label."))

    st.subheader(_("How sensitive is the model?"))
    s1, s2, s3, s4 = st.columns(4)
    dx = s1.slider(_("Shift right (pixels)"), -6, 6, 0)
    dy = s2.slider(_("Shift down (pixels)"), -6, 6, 0)
    angle = s3.slider(_("Rotate (degrees)"), -45, 45, 0, step=5)
    thicken = s4.slider(_("Thicken (pixels)"), -1, 3, 0)
    moved = preprocess.adjust(prepared.centred, dx, dy, angle, thicken)
    m1, m2 = st.columns([1, 3])
    m1.image(magnify.enlarge(moved), caption=_("Changed input"), width=140,
             alt=_("Your drawing shifted {dx} right and {dy} down, rotated {angle} degrees, thickened {thicken}."
                   ).format(dx=dx, dy=dy, angle=angle, thicken=thicken))
    m2.metric(_("Prediction after the change"), int(model.predict(moved)[0]))
