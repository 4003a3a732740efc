"""Train: choose how many images the model learns from, and watch accuracy change."""

import streamlit as st

from digitlib.display import model_links
from digitlib.mnist import sampling
from digitlib.scoring import evaluate, sampling_curves
from digitlib.svm.model import KERNELS
from ui import (
    class_board,
    class_session,
    code_panel,
    frame,
    learning_curve,
    resources,
    settings,
    site_map,
    support_vector_view,
)

frame.page(site_map.TRAIN)
mnist = resources.current_data()
registry = resources.registry(mnist)

st.title("Train a model")
st.markdown(
    "The support-vector machine learns from the first **N** training images. "
    "Move the slider and see how the number of examples changes what it gets right."
)
steps = st.container(horizontal=True, vertical_alignment="center")  # the lesson's steps and "Copy link", below

# Sizes this server may train, and any bigger ones that come ready-made with the app.
sizes = settings.sizes(mnist)
settings.train_widgets(sizes)  # from the link: every setting below lives in the URL
widget = settings.WIDGETS
n = st.select_slider("Training images (N)", options=sizes, format_func=lambda v: f"{v:,}", key=widget["n"])

with st.expander("Sampling and SVM settings"):
    c1, c2 = st.columns(2)
    mode = c1.radio("Which images", sampling.MODES, format_func=sampling.MODE_LABELS.get, key=widget["mode"])
    seed = c1.number_input("Seed", min_value=model_links.SEED_RANGE[0], max_value=model_links.SEED_RANGE[1],
                           disabled=mode == "first", help="The same seed always picks the same images.",
                           key=widget["seed"])
    kernel = c2.selectbox("Kernel", KERNELS, help="The lesson uses the default, rbf.", key=widget["kernel"])
    C = c2.select_slider("C (how hard it tries to fit every training image)", options=model_links.C_VALUES,
                         key=widget["C"])
    gamma_choice = c2.selectbox("gamma", settings.GAMMA_CHOICES, key=widget["gamma"],
                                help="'scale' is scikit-learn's default and the lesson's.")
    gamma = gamma_choice if gamma_choice != "custom" else c2.number_input(
        "custom gamma", min_value=model_links.GAMMA_RANGE[0], max_value=model_links.GAMMA_RANGE[1], step=0.01,
        format="%.4f",
        key=widget["gamma_value"])

spec = model_links.spec(n, mode, seed, C, gamma, kernel)
settings.keep(spec)  # the address bar and the sidebar links now lead to this view
with steps:
    settings.lesson_steps(spec, sizes)
    settings.copy_link()


@st.fragment(run_every=1.0)
def training_progress(job):
    """Redrawn every second while the background worker trains; reruns the page when done."""
    if job.event.is_set():
        st.rerun(scope="app")
    st.progress(job.fraction, text=f"Training on {spec.n:,} images: {job.done} of {job.total} steps done…")
    st.caption("You can move the slider or use other pages meanwhile; the model is kept for everyone once trained.")


with frame.friendly_errors():
    settings.stop_if_out_of_reach(spec)
    model = registry.cached(spec) or registry.get(spec)
    if model is None and spec.n <= resources.WAIT_LIMIT:
        with st.status(f"Training on the {sampling.describe(mode, n, spec.seed)}…") as status:
            model = registry.ensure(spec)
            status.update(label=f"Trained on {n:,} images in {model.fit_seconds:.2f} s", state="complete")
    if model is None:
        job = registry.request(spec)
        if job.state == "failed":
            st.error(job.error)
        else:
            training_progress(job)
    else:
        resources.remember(spec)
        result = resources.evaluation(spec, evaluate.LESSON_TEST_SIZE, mnist)

        c1, c2, c3 = st.columns(3)
        c1.metric("Accuracy on the first 100 test images", f"{result.accuracy:.2f}")
        c2.metric("Fit time", f"{model.fit_seconds:.2f} s",
                  help="Measured when this model was made for the app; this server loaded it ready-made."
                  if model.precomputed else "How long this server took to train it.")
        c3.metric("Support vectors", f"{len(model.estimator.support_):,}")
        st.caption(f"{spec.describe()}. Open **Evaluate** for the details, "
                   "or **Draw** to test it on your own handwriting.")
        if class_session.code():
            class_board.post_button(spec, model, result.accuracy,
                                    lambda: resources.evaluation(spec, min(10_000, len(mnist.y_test)), mnist).accuracy)

        left, right = st.columns(2)
        labels = mnist.y_train[sampling.choose(mnist.y_train, n, mode, spec.seed).indices]
        left.image(resources.figure("label_counts", labels, f"Digits in the {n:,} training images"))
        learning_curve.seen(spec)
        with right:
            learning_curve.show(spec, registry, mnist)  # what this session and its class trained so far
        curve = sorted({s for s in registry.known() + list(registry.shipped) if s.family() == spec.family()
                        and (registry.cached(s) is not None or registry.on_disk(s))}, key=lambda s: s.n)

        with st.expander("Inside the model: support vectors", icon=":material/grid_view:"):
            support_vector_view.what_they_are(model)
            left, right = st.columns([1, 2], gap="large")
            with left:
                support_vector_view.kept_per_digit(model)  # kept and forgotten, per digit
            with right:
                support_vector_view.gallery(model, spec, mnist)  # a digit picker and its support vectors
            support_vector_view.kept_against(spec, curve)  # how many models with other N and other C keep
        code_panel.the_code("Train", spec)

st.subheader("Sampling matters")
st.markdown("Does it matter *which* N images the model learns from? Compare the first N in the file, a **balanced** N "
            "(the same number of each digit) and a **random** N, for N from 100 to 2,000, with the lesson's settings.")
if not st.session_state.get("sampling_shown"):  # trains nothing until asked
    st.button("Compare sampling", icon=":material/compare_arrows:", key="compare_sampling",
              on_click=lambda: st.session_state.update(sampling_shown=True))
else:
    with (frame.friendly_errors(stop=True),
          st.spinner("Training the models to compare (a second or two, once for everyone)…")):
        compared = sampling_curves.compare_samplings(mnist.y_train,
                                           lambda s: resources.evaluation(s, evaluate.LESSON_TEST_SIZE, mnist))
    left, right = st.columns(2)
    left.image(resources.figure("sampling_curves", compared.sizes, compared.accuracies(), evaluate.LESSON_TEST_SIZE))
    right.image(resources.figure("sample_counts", compared.counts,
                                 f"Digits in each sample of {compared.sizes[0]} training images"))
    st.markdown(compared.why())
    accuracy = st.column_config.NumberColumn(format="%.2f")
    st.dataframe(compared.table(), hide_index=True, width="content",
                 column_config={"N": st.column_config.NumberColumn(format="localized")}
                 | dict.fromkeys(compared.accuracies(), accuracy))
