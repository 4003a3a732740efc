"""Draw: write a digit with the mouse or a finger and see what the model reads."""

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from digitlib import preprocess
from digitlib.errors import BlankDrawingError
from ui import frame, resources

frame.page("Draw a digit", ":material/draw:")
mnist = resources.current_data()

st.title("Draw a digit")
st.markdown("Draw one digit, large and in the middle. The model answers when you lift the pen.")

own = resources.session_spec()
choices = {"best": "The best model trained so far"}
if own is not None:
    choices["own"] = f"Your model from Train ({own.n:,} images)"
picked = st.radio("Model", list(choices), format_func=choices.get, horizontal=True)

st.session_state.setdefault("canvas_round", 0)
left, right = st.columns([3, 2])
with left:
    drawing = st_canvas(
        stroke_width=18,
        stroke_color="#FFFFFF",
        background_color="#000000",
        width=280,
        height=280,
        drawing_mode="freedraw",
        return_image_data=True,
        update_streamlit=True,
        key=f"canvas-{st.session_state['canvas_round']}",
    )
    if st.button("Clear", icon=":material/delete:"):
        st.session_state["canvas_round"] += 1
        st.rerun()

with right, frame.friendly_errors():
    pixels = drawing.image_data
    try:
        if pixels is None:
            raise BlankDrawingError("The canvas is empty: draw a digit first.")
        prepared = preprocess.prepare(pixels)
    except BlankDrawingError:
        st.info("Draw a digit on the black square to see what the model thinks it is.", icon=":material/draw:")
    else:
        with st.spinner("Loading the model…"):
            model = resources.model(own, mnist) if picked == "own" else resources.draw_model(mnist)
        digit = int(model.predict(prepared.centred)[0])
        st.metric("Prediction", digit)
        st.image(prepared.centred, caption="What the model sees: 28 × 28 pixels", width=168, clamp=True)
        st.caption(f"{model.settings.describe()} on the {model.sample_description}.")
