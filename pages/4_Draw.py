"""Draw: write a digit with the mouse or a finger and see what the model reads."""

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from digitlib import neighbours, plots, preprocess
from digitlib.errors import BlankDrawingError
from ui import frame, resources

frame.page("Draw a digit", ":material/draw:")
mnist = resources.current_data()

st.title("Draw a digit")
st.markdown("Draw one digit on the black square. The model answers each time you lift the pen; "
            "use the arrow above the square to undo a stroke.")

own = resources.session_spec()
choices = {"best": "The best model trained so far"}
if own is not None:
    choices["own"] = f"Your model from Train ({own.n:,} images)"
c1, c2 = st.columns([3, 2])
picked = c1.radio("Model", list(choices), format_func=choices.get, horizontal=True)
pen = c2.select_slider("Pen width", options=[8, 12, 18, 24, 32], value=18)

st.session_state.setdefault("canvas_round", 0)
left, right = st.columns([1, 1], gap="large")
with left:
    st.write("")  # room for the canvas's own toolbar (undo, redo, delete)
    drawing = st_canvas(
        stroke_width=pen,
        stroke_color="#FFFFFF",
        background_color="#000000",
        width=280,
        height=280,
        drawing_mode="freedraw",
        return_image_data=True,
        update_streamlit=True,  # sends the drawing when a stroke ends, not on every move
        key=f"canvas-{st.session_state['canvas_round']}",
    )
    if st.button("Clear", icon=":material/delete:"):
        st.session_state["canvas_round"] += 1
        st.rerun()

prepared = None
with right, frame.friendly_errors():
    try:
        if drawing.image_data is None:
            raise BlankDrawingError("The canvas is empty: draw a digit first.")
        prepared = preprocess.prepare(drawing.image_data)
    except BlankDrawingError:
        st.info("Draw a digit on the black square to see what the model thinks it is.", icon=":material/draw:")
    else:
        with st.spinner("Getting the model ready…"):
            model = resources.model(own, mnist) if picked == "own" else resources.draw_model(mnist)
        counts = model.votes(prepared.centred)[0]
        digit = int(counts.argmax())
        a, b = st.columns(2)
        a.metric("Prediction", digit)
        b.image(preprocess.enlarge(prepared.centred), caption="What the model sees (28 × 28)", width=140)
        st.caption(f"Model: SVC on the {model.sample_description}.")
        st.pyplot(plots.votes(counts, digit), width="stretch")

if prepared is not None:
    with frame.friendly_errors():
        st.subheader("Step by step")
        steps = st.columns(4)
        steps[0].image(preprocess.enlarge(prepared.cropped), caption="1 · Crop to the ink", width=140)
        steps[1].image(preprocess.enlarge(prepared.evened), caption="2 · Straighten, even the stroke",
                       width=140, clamp=True)
        steps[2].image(preprocess.enlarge(prepared.scaled), caption="3 · Shrink to 20 pixels", width=140)
        steps[3].image(preprocess.enlarge(prepared.centred), caption="4 · Centre in 28 × 28", width=140)

        st.subheader("The training images closest to your drawing")
        near = neighbours.closest(prepared.centred, mnist.x_train, k=8)
        st.pyplot(plots.gallery(mnist.x_train[near], [f"#{i}: {mnist.y_train[i]}" for i in near], columns=8),
                  width="stretch")
        st.caption("Closest by pixel distance. Each caption reads #index: label.")

        st.subheader("How sensitive is the model?")
        s1, s2, s3, s4 = st.columns(4)
        dx = s1.slider("Shift right (pixels)", -6, 6, 0)
        dy = s2.slider("Shift down (pixels)", -6, 6, 0)
        angle = s3.slider("Rotate (degrees)", -45, 45, 0, step=5)
        thicken = s4.slider("Thicken (pixels)", -1, 3, 0)
        moved = preprocess.adjust(prepared.centred, dx, dy, angle, thicken)
        m1, m2 = st.columns([1, 3])
        m1.image(preprocess.enlarge(moved), caption="Changed input", width=140)
        m2.metric("Prediction after the change", int(model.predict(moved)[0]))
