"""Compare with a neural network: a small convolutional network beside the SVM, on the same images."""

import streamlit as st

from digitlib.display import model_links
from digitlib.language import _, formats, ngettext
from digitlib.mnist import sampling
from digitlib.neural import augment
from digitlib.neural.spec import NetSpec
from digitlib.scoring import evaluate
from digitlib.svm.model_spec import ModelSpec
from ui import frame, neural, resources, settings, site_map, url_params

frame.page(site_map.NEURAL, params=("augment",))
mnist = resources.current_data()

st.title(_("Compare with a neural network"))
st.markdown(_(
    "A **neural network** learns its own small patterns from the pixels instead of comparing whole images "
    "with the training images, as the SVM does. Train one on the same **N** images as the SVM and see "
    "which reads the {test} test images better, and where they disagree.").format(test=formats.count(10_000)))
steps = st.container(horizontal=True, vertical_alignment="center")

sizes = settings.sizes(mnist)
settings.train_widgets(sizes)  # the same N and sample as on Train, from the link
widget = settings.WIDGETS
n = st.select_slider(_("Training images (N)"), options=sizes, format_func=formats.count, key=widget["n"])
settings.start_value("neural_augment", ("augment",),
                     lambda: url_params.choice_query_param("augment", ["0", "1"], "0") == "1")
with st.expander(_("Sampling and network settings")):
    c1, c2 = st.columns(2)
    mode = c1.radio(_("Which images"), sampling.MODES, format_func=lambda m: _(sampling.MODE_LABELS[m]),
                    key=widget["mode"])
    # TRANSLATORS: the random seed that picks the sample of training images
    seed = c1.number_input(_("Seed"), min_value=model_links.SEED_RANGE[0], max_value=model_links.SEED_RANGE[1],
                           disabled=mode == "first", key=widget["seed"])
    augmented = c2.toggle(_("Augment the training images"), key="neural_augment")
    c2.caption(augment.describe())
    st.markdown(_("**The network's layers**"))
    neural.layers()

base = settings.chosen() or ModelSpec()  # the SVM's other settings (C, gamma, kernel) come from Train
svm_spec = model_links.spec(n, mode, seed, base.C, base.gamma, base.kernel)
net_spec = NetSpec(n=n, mode=mode, seed=svm_spec.seed, augment=augmented)
settings.keep(svm_spec, augment="1" if augmented else None)
with steps:
    settings.copy_link("augment")

reason = neural.refusal()  # None where this server can train networks
with frame.friendly_errors(stop=True):
    net, job = neural.shown(net_spec, mnist, reason)

if net is None:
    if job is not None and not job.finished:
        neural.progress(job)
    else:
        if job is not None and job.state == "failed":
            st.error(str(job.error), icon=":material/error:")  # a Message: in this reader's language
        neural.refused()
        if reason:
            neural.cannot_train(reason, mnist)
        st.button(_("Train the neural network"), type="primary", icon=":material/play_arrow:", disabled=bool(reason),
                  on_click=neural.start, args=(net_spec, mnist))
        over = (ngettext("{passes} pass over the {sample}, augmented.", "{passes} passes over the {sample}, augmented.",
                         net_spec.passes) if augmented else
                ngettext("{passes} pass over the {sample}.", "{passes} passes over the {sample}.", net_spec.passes))
        st.caption(over.format(passes=formats.count(net_spec.passes), sample=sampling.describe(mode, n, svm_spec.seed))
                   + " " + _("From a few seconds for small N to about a minute for all {all}, in a separate process; "
                             "once trained, the network is kept for everyone.").format(all=formats.count(60_000)))
    st.stop()

with frame.friendly_errors(stop=True), st.spinner(_("Getting the SVM ready…")):
    settings.stop_if_out_of_reach(svm_spec)
    svm = neural.svm_beside(svm_spec, mnist)  # None: a big one not trained yet, which Train does in the background
    if svm is None:
        st.info(_("The SVM with these settings ({settings}) is not trained yet. Train it on the "
                  "**Train** page (it trains in the background there), then come back to compare.").format(
                      settings=svm_spec.describe()), icon=":material/model_training:")
        st.page_link(site_map.TRAIN.path, label=_(site_map.TRAIN.title), icon=site_map.TRAIN.icon,
                     query_params=frame.link_params())
        st.stop()
    svm_result = resources.evaluation(svm_spec, net.n_test, mnist)
    svm_lesson = resources.evaluation(svm_spec, evaluate.LESSON_TEST_SIZE, mnist).accuracy
net_result = neural.scored(net, mnist)
net_lesson = neural.scored(net, mnist, evaluate.LESSON_TEST_SIZE).accuracy

neural.scoreboard(net_result, svm_result, (net_lesson, svm_lesson))
about = (_("Neural network: {network} (ready-made with the app). SVM: {svm}.") if net.shipped else
         _("Neural network: {network}. SVM: {svm}."))
st.caption(about.format(network=net_spec.describe(), svm=svm_spec.describe()))

st.subheader(_("How it learned"))
neural.curve(net.history)

st.subheader(_("Where each one goes wrong"))
neural.confusions(net_result, svm_result)
neural.disagreements(svm_result, net_result, mnist.x_test)

st.subheader(_("What each costs"))
neural.costs(net, svm, svm_spec, svm_result, mnist)

st.subheader(_("What the network looks for"))
st.markdown(_("The first layer holds 16 **filters**: tiny 5 × 5 pictures the network learned by itself. "
              "Each one looks for a small pattern everywhere in the image. The layers after it combine those "
              "patterns into bigger ones (a loop, a corner) and finally into a digit."))
neural.first_layer(net, mnist)
