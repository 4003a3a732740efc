"""Draw: write a digit (or a number) with the mouse or a finger, or photograph one on paper, and see what the
model reads."""

import streamlit as st

from digitlib.display import charts, magnify
from digitlib.language import _, formats
from digitlib.mnist import sampling
from ui import (
    class_saving,
    class_session,
    draw_reader,
    drawing,
    drawing_details,
    frame,
    neural,
    number_canvas,
    photo_reading,
    reading_modes,
    resources,
    settings,
    site_map,
    spoken,
    stand_in,
)

frame.page(site_map.DRAW, params=(reading_modes.PARAM,))
mnist = resources.current_data()

st.title(_("Draw a digit"))
mode = reading_modes.picker()  # one digit on the square (the default), a number on a wide strip, a photo of paper

own = settings.own_model()  # the model settings in the link, else the session's from Train
choices = {"best": _("The best model trained so far")}
if own is not None:
    choices["own"] = _("Your model from Train ({n} images)").format(n=formats.count(own.n))
network = neural.service().best(mnist.fingerprint)  # the biggest trained here or ready-made
if network is not None:
    choices["neural"] = _("The neural network ({n} images)").format(n=formats.count(network.n_train))
c1, c2 = st.columns([3, 2])
picked = c1.radio(_("Model"), list(choices), index=reading_modes.first_model(mode, list(choices)),
                  format_func=choices.get, horizontal=True)  # a photo: the network first, where there is one
pen = 18 if mode == "photo" else c2.select_slider(_("Pen width"), options=[8, 12, 18, 24, 32], value=18)


def reader() -> draw_reader.Reader:
    """The model picked above, for reading a number."""
    return draw_reader.reader(picked, own, network, mnist)


@st.fragment
def drawing_area(picked: str, pen: int) -> None:
    """Everything a stroke changes; a stroke reruns only this part of the page."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        # The answer sits above the canvas, so a phone shows it while the finger draws.
        answer = st.container(height=170, border=False, horizontal=True, vertical_alignment="center", gap="large")
        canvas = drawing.canvas(pen)
        # TRANSLATORS: a button that wipes the drawing canvas
        if st.button(_("Clear"), icon=":material/delete:"):
            drawing.clear()
            drawing.rerun()
        test_image = stand_in.picker(mnist)  # for a student who cannot draw: the model reads a test image instead

    with frame.friendly_errors():
        prepared = drawing.prepared(canvas) or test_image  # a drawing first
        if prepared is None:
            if reason := drawing.ignored():  # not the canvas's own drawing: nothing was decoded
                answer.warning(reason, icon=":material/block:")
            elif refusal := drawing.refused():  # a dot or a slip: no prediction, nothing to save
                answer.warning(refusal, icon=":material/gesture:")
            else:
                answer.info(_("Draw a digit on the black square to see what the model thinks it is."),
                            icon=":material/draw:")
            if class_session.code():
                with right:
                    class_saving.box(None, None)
            return
        if picked == "neural":
            model = network.network
            chances = model.probabilities(prepared.centred)[0]
            digit = int(chances.argmax())
            table, spec = charts.probabilities(chances, digit)
            about = _("Model: a convolutional neural network trained on the {sample}. "
                      "The bars are its probabilities (they add up to 1), not the SVM's votes.").format(
                          sample=network.sample_description)
        else:
            with right, st.spinner(_("Getting the model ready…")):
                model = resources.model(own, mnist) if picked == "own" else resources.draw_model(mnist)
            counts = model.votes(prepared.centred)[0]
            digit = int(counts.argmax())
            table, spec = charts.votes(counts, digit)
            about = _("Model: SVC on the {sample}.").format(sample=sampling.shown(model.sample_description))
        answer.metric(_("Prediction"), digit, width="content")
        answer.image(magnify.enlarge(prepared.centred, 84), caption=_("What the model sees"), width=112,
                     alt=_("Your drawing as the model sees it, 28 × 28 pixels; it reads {digit}.").format(digit=digit))
        with right:
            st.vega_lite_chart(table, spec, width="stretch", height=240)
            st.caption(about)
            spoken.say(_("The model reads {digit}.").format(digit=digit))  # read out by a screen reader
            if class_session.code() and prepared is not test_image:  # a test image is nobody's handwriting
                class_saving.box(prepared, digit)
        drawing_details.details(prepared, model, digit, mnist)


if mode == "number":
    number_canvas.section(pen, reader)  # the number read, the wide strip, each step and digit, the class box
elif mode == "photo":
    photo_reading.section(reader)  # the photo (file or camera), the number read, each step and digit, the class box
else:
    drawing_area(picked, pen)
