"""Train: choose how many images the model learns from, and watch accuracy change."""

import streamlit as st

from digitlib import evaluate, plots, sampling
from digitlib.model import KERNELS
from ui import frame, resources
from ui.resources import ModelSpec

frame.page("Train a model", ":material/model_training:")
mnist = resources.current_data()

st.title("Train a model")
st.markdown(
    "The support-vector machine learns from the first **N** training images. "
    "Move the slider and see how the number of examples changes what it gets right."
)

sizes = [n for n in resources.SLIDER_SIZES if n <= len(mnist.x_train)]
start = frame.int_query_param("n", resources.LESSON_SIZE, sizes[0], sizes[-1])
if start not in sizes:
    start = min(sizes, key=lambda s: abs(s - start))
n = st.select_slider("Training images (N)", options=sizes, value=start, format_func=lambda v: f"{v:,}")

with st.expander("Sampling and SVM settings"):
    c1, c2 = st.columns(2)
    mode = c1.radio("Which images", sampling.MODES, format_func=sampling.MODE_LABELS.get)
    seed = c1.number_input("Seed", min_value=0, max_value=10_000, value=0, disabled=mode == "first",
                           help="The same seed always picks the same images.")
    kernel = c2.selectbox("Kernel", KERNELS, help="The lesson uses the default, rbf.")
    C = c2.select_slider("C (how hard it tries to fit every training image)",
                         options=[0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0], value=1.0)
    gamma_choice = c2.selectbox("gamma", ["scale", "auto", "custom"],
                                help="'scale' is scikit-learn's default and the lesson's.")
    gamma = "scale" if gamma_choice == "scale" else "auto" if gamma_choice == "auto" else c2.number_input(
        "custom gamma", min_value=0.0001, max_value=10.0, value=0.03, step=0.01, format="%.4f")

spec = ModelSpec(n=n, mode=mode, seed=int(seed) if mode != "first" else 0, C=float(C), gamma=gamma, kernel=kernel)

with frame.friendly_errors():
    ready = resources.is_ready(spec, mnist)
    go = True
    if not ready and n > resources.AUTO_TRAIN_LIMIT:
        st.warning(
            f"Training on {n:,} images takes a while (plain scikit-learn needs minutes at 60,000). "
            "Click to start; everyone else can keep using the app."
        )
        go = st.button(f"Train on {n:,} images", type="primary")
    if go:
        with st.status(f"Training on the {sampling.describe(mode, n, spec.seed)}…", expanded=False) as status:
            model = resources.model(spec, mnist)
            status.update(label=f"Model ready: trained on {n:,} images", state="complete")
        resources.remember(spec)
        result = resources.evaluation(spec, evaluate.LESSON_TEST_SIZE, mnist)

        c1, c2, c3 = st.columns(3)
        c1.metric("Accuracy on the first 100 test images", f"{result.accuracy:.2f}")
        c2.metric("Fit time", f"{model.fit_seconds:.2f} s")
        c3.metric("Support vectors", f"{len(model.estimator.support_):,}")
        st.caption(f"{model.settings.describe()} on the {model.sample_description}. "
                   "Open **Evaluate** for the details, or **Draw** to test it on your own handwriting.")

        left, right = st.columns(2)
        labels = mnist.y_train[sampling.choose(mnist.y_train, n, mode, spec.seed).indices]
        left.pyplot(plots.label_counts(labels, f"Digits in the {n:,} training images"), width="stretch")
        curve = [s for s in st.session_state["trained_specs"]
                 if (s.mode, s.seed, s.C, s.gamma, s.kernel) == (spec.mode, spec.seed, spec.C, spec.gamma, spec.kernel)]
        accuracies = [resources.evaluation(s, evaluate.LESSON_TEST_SIZE, mnist).accuracy for s in curve]
        right.pyplot(plots.learning_curve([s.n for s in curve], accuracies, evaluate.LESSON_TEST_SIZE), width="stretch")
        if len(curve) < 2:
            right.caption("Train more sizes to draw the learning curve.")
