"""Train: choose how many images the model learns from, and watch accuracy change."""

import streamlit as st
from babel import numbers as babel_numbers

from digitlib.display import model_links
from digitlib.language import _, current, formats
from digitlib.mnist import sampling
from digitlib.scoring import evaluate
from digitlib.svm.model import KERNELS
from ui import (
    alt_text,
    code_panel,
    frame,
    learning_curve,
    resources,
    sampling_comparison,
    settings,
    site_map,
    support_vector_view,
    training,
)

frame.page(site_map.TRAIN)
mnist = resources.current_data()
registry = resources.registry(mnist)

st.title(_("Train a model"))
st.markdown(_(
    "The support-vector machine learns from the first **N** training images. "
    "Move the slider and see how the number of examples changes what it gets right."
))
steps = st.container(horizontal=True, vertical_alignment="center")  # the lesson's steps and "Copy link", below

# Sizes this server may train, and any bigger ones that come ready-made with the app.
sizes = settings.sizes(mnist)
settings.train_widgets(sizes)  # from the link: every setting below lives in the URL
widget = settings.WIDGETS
n = st.select_slider(_("Training images (N)"), options=sizes, format_func=formats.count, key=widget["n"])

with st.expander(_("Sampling and SVM settings")):
    c1, c2 = st.columns(2)
    mode = c1.radio(_("Which images"), sampling.MODES, format_func=lambda m: _(sampling.MODE_LABELS[m]),
                    key=widget["mode"])
    # TRANSLATORS: the random generator's seed, a number that picks the same random images each time
    seed = c1.number_input(_("Seed"), min_value=model_links.SEED_RANGE[0], max_value=model_links.SEED_RANGE[1],
                           disabled=mode == "first", help=_("The same seed always picks the same images."),
                           key=widget["seed"])
    # TRANSLATORS: the SVM's kernel function (rbf, linear, poly, sigmoid)
    kernel = c2.selectbox(_("Kernel"), KERNELS, help=_("The lesson uses the default, rbf."), key=widget["kernel"])
    C = c2.select_slider(_("C (how hard it tries to fit every training image)"), options=model_links.C_VALUES,
                         format_func=lambda c: str(c).replace(".", babel_numbers.get_decimal_symbol(current())),
                         key=widget["C"])
    gamma_choice = c2.selectbox("gamma", settings.GAMMA_CHOICES, key=widget["gamma"],
                                format_func=lambda g: _("custom") if g == "custom" else g,
                                help=_("'scale' is scikit-learn's default and the lesson's."))
    gamma = gamma_choice if gamma_choice != "custom" else c2.number_input(
        _("custom gamma"), min_value=model_links.GAMMA_RANGE[0], max_value=model_links.GAMMA_RANGE[1], step=0.01,
        format="%.4f",
        key=widget["gamma_value"])

spec = model_links.spec(n, mode, seed, C, gamma, kernel)
settings.keep(spec)  # the address bar and the sidebar links now lead to this view
with steps:
    settings.lesson_steps(spec, sizes)
    settings.copy_link()


with frame.friendly_errors():
    settings.stop_if_out_of_reach(spec)
    model = training.model_or_progress(spec, registry)  # None while it trains in the background
    if model is not None:
        resources.remember(spec)
        result = resources.evaluation(spec, evaluate.LESSON_TEST_SIZE, mnist)
        training.scores(spec, model, result.accuracy, mnist)

        left, right = st.columns(2)
        labels = mnist.y_train[sampling.choose(mnist.y_train, n, mode, spec.seed).indices]
        title = _("Digits in the {n} training images").format(n=formats.count(n))
        left.image(resources.figure("label_counts", labels, title), alt=alt_text.label_counts(labels, title))
        learning_curve.seen(spec)
        with right:
            learning_curve.show(spec, registry, mnist)  # what this session and its class trained so far

        inside = st.expander(_("Inside the model: support vectors"), icon=":material/grid_view:",
                             key="train_inside", on_change="rerun")
        if inside.open:  # filled only when opened: its tables and 30 images were most of every Train run's work
            with inside:
                support_vector_view.what_they_are(model)
                left, right = st.columns([1, 2], gap="large")
                with left:
                    support_vector_view.kept_per_digit(model)  # kept and forgotten, per digit
                with right:
                    support_vector_view.gallery(model, spec, mnist)  # a digit picker and its support vectors
                support_vector_view.kept_against(spec, registry.available_along(spec))  # other N and other C
        code_panel.the_code("Train", spec)

sampling_comparison.section(mnist)
