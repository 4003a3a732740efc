"""Draw: write a digit with the mouse or a finger and see what the model reads."""

import streamlit as st

from digitlib.display import charts
from digitlib.drawing import preprocess
from digitlib.svm.model import DigitModel
from ui import class_session, drawing, frame, neural, resources, settings, site_map, support_vector_view

frame.page(site_map.DRAW)
mnist = resources.current_data()

st.title("Draw a digit")
st.markdown("Draw one digit on the black square. The model answers each time you lift the pen; "
            "use the arrow above the square to undo a stroke.")

own = settings.own_model()  # the model settings in the link, else the session's from Train
choices = {"best": "The best model trained so far"}
if own is not None:
    choices["own"] = f"Your model from Train ({own.n:,} images)"
network = neural.service().best(mnist.fingerprint)  # the biggest trained here or ready-made
if network is not None:
    choices["neural"] = f"The neural network ({network.n_train:,} images)"
c1, c2 = st.columns([3, 2])
picked = c1.radio("Model", list(choices), format_func=choices.get, horizontal=True)
pen = c2.select_slider("Pen width", options=[8, 12, 18, 24, 32], value=18)


@st.fragment
def drawing_area(picked: str, pen: int) -> None:
    """Everything a stroke changes; a stroke reruns only this part of the page."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        # The answer sits above the canvas, so a phone shows it while the finger draws.
        answer = st.container(height=170, border=False, horizontal=True, vertical_alignment="center", gap="large")
        canvas = drawing.canvas(pen)
        if st.button("Clear", icon=":material/delete:"):
            drawing.clear()
            drawing.rerun()

    with frame.friendly_errors():
        prepared = drawing.prepared(canvas)
        if prepared is None:
            if reason := drawing.ignored():  # not the canvas's own drawing: nothing was decoded
                answer.warning(reason, icon=":material/block:")
            elif refusal := drawing.refused():  # a dot or a slip: no prediction, nothing to save
                answer.warning(refusal, icon=":material/gesture:")
            else:
                answer.info("Draw a digit on the black square to see what the model thinks it is.",
                            icon=":material/draw:")
            if class_session.code():
                with right:
                    class_set_box(None, None)
            return
        if picked == "neural":
            model = network.network
            chances = model.probabilities(prepared.centred)[0]
            digit = int(chances.argmax())
            table, spec = charts.probabilities(chances, digit)
            about = (f"Model: a convolutional neural network trained on the {network.sample_description}. "
                     "The bars are its probabilities (they add up to 1), not the SVM's votes.")
        else:
            with right, st.spinner("Getting the model ready…"):
                model = resources.model(own, mnist) if picked == "own" else resources.draw_model(mnist)
            counts = model.votes(prepared.centred)[0]
            digit = int(counts.argmax())
            table, spec = charts.votes(counts, digit)
            about = f"Model: SVC on the {model.sample_description}."
        answer.metric("Prediction", digit, width="content")
        answer.image(preprocess.enlarge(prepared.centred, 84), caption="What the model sees", width=112)
        with right:
            st.vega_lite_chart(table, spec, width="stretch", height=240)
            st.caption(about)
            if class_session.code():
                class_set_box(prepared, digit)
        details(prepared, model, digit)


def class_set_box(prepared: preprocess.Prepared | None, prediction: int | None) -> None:
    """Label the drawing (preset to the prediction: a right answer needs one click) and save it; a label
    the model did not read asks once more. The canvas then clears for the next one. Undo takes back this
    browser's newest save, after a reload too."""
    with st.container(border=True):
        st.markdown(f"**Class {class_session.code()}** · add your drawings to the class set")
        if flash := st.session_state.pop("class_flash", None):
            text, saved_image = flash
            with st.container(horizontal=True, wrap=False, vertical_alignment="center"):
                if saved_image is not None:  # what went into the class set, as the model sees it
                    st.image(preprocess.enlarge(saved_image, 56), width=56, alt="The drawing you saved, 28 × 28")
                st.success(text, icon=":material/check:")
        if prepared is not None:
            # A new drawing gets a fresh control, preset to the new prediction.
            key = f"drew-{hash(prepared.centred.tobytes())}"
            label = st.segmented_control("The digit I drew", list(range(10)), default=prediction, key=key)
            if label is not None and label != prediction and st.session_state.get("class_asking") == (key, label):
                st.warning(f"The model read {prediction}. Save it as {'an' if label == 8 else 'a'} {label}?",
                           icon=":material/help:")
                if st.button(f"Yes, save it as {label}", icon=":material/save:", type="primary", width="stretch"):
                    save(prepared, label)
            elif st.button("Save to our class set", icon=":material/save:", type="primary", disabled=label is None,
                           width="stretch"):
                if label == prediction:
                    save(prepared, label)
                else:  # the next run asks once
                    st.session_state["class_asking"] = (key, label)
                    drawing.rerun()
        saved = class_session.saved_here()  # this browser's drawings in the class, from the database
        if saved and st.button("Undo my last save", icon=":material/undo:", type="tertiary"):
            with frame.friendly_errors():
                if class_session.undo_save() is not None:
                    st.session_state["class_flash"] = ("Removed your last saved drawing.", None)
                    drawing.rerun()
        st.caption((f"You have saved {saved} drawing{'s' if saved != 1 else ''}. " if saved else "") +
                   "The class set keeps the 28 × 28 image, the digit, the time and an anonymous number "
                   "for this browser — no names.")


def save(prepared: preprocess.Prepared, label: int) -> None:
    """Save the drawing as ``label``, say so with its 28 × 28 image, and clear the canvas."""
    with frame.friendly_errors():
        class_session.save_drawing(prepared, int(label))
        st.session_state.pop("class_asking", None)
        st.session_state["class_flash"] = (f"Saved your {label} to the class set. Draw the next one!",
                                           prepared.centred)
        drawing.clear()
        drawing.rerun()


def details(prepared: preprocess.Prepared, model, digit: int) -> None:
    """How the drawing became the model's input, why the model answered ``digit``, what the drawing resembles,
    and how fragile the answer is."""
    st.subheader("Step by step")
    steps = st.columns(4)
    steps[0].image(preprocess.enlarge(prepared.cropped), caption="1 · Crop to the ink", width=140)
    steps[1].image(preprocess.enlarge(prepared.evened), caption="2 · Straighten, even the stroke", width=140,
                   clamp=True)
    steps[2].image(preprocess.enlarge(prepared.scaled), caption="3 · Shrink to 20 pixels", width=140)
    steps[3].image(preprocess.enlarge(prepared.centred), caption="4 · Centre in 28 × 28", width=140)

    if isinstance(model, DigitModel):  # the support vectors that pushed hardest
        support_vector_view.why_this_answer(model, prepared.centred, digit, "your drawing")
    else:  # a network has none: what its first layer finds instead
        st.subheader("What the network's first layer finds")
        neural.filter_grid(model, prepared.centred, "your drawing")

    st.subheader("The training images closest to your drawing")
    near = resources.neighbour_index(mnist).closest(prepared.centred, k=8)
    st.image([preprocess.enlarge(mnist.x_train[i], 84) for i in near],
             caption=[f"#{i}: {mnist.y_train[i]}" for i in near], width=84)
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


drawing_area(picked, pen)
