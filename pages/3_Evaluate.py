"""Evaluate: how the model does on test images it has never seen."""

from functools import partial

import streamlit as st

from digitlib.display import model_links
from digitlib.language import _, formats
from digitlib.mnist import sampling
from digitlib.svm import model_files
from digitlib.svm.model_spec import ModelSpec
from ui import (
    alt_text,
    code_panel,
    confusion_picker,
    frame,
    pinning,
    resources,
    settings,
    site_map,
    support_vector_view,
)

frame.page(site_map.EVALUATE, params=("test", "index", confusion_picker.PARAM, *pinning.PARAMS))
mnist = resources.current_data()

st.title(_("Evaluate the model"))
share = st.container(horizontal=True, vertical_alignment="center", gap="small")  # filled once the view is known
spec = settings.chosen()  # the link's model settings, else this session's
if spec is None:
    spec = ModelSpec()
    st.info(_("No model trained in this session yet, so this page uses the lesson's: SVC on the first "
              "{n} training images. Train another on the **Train** page.").format(n=formats.count(spec.n)))
settings.keep(spec)
pinning.pinned()  # a model kept to compare with, from the link or this session

TEST_SIZES = [100, 500, 1000, 2000, 5000, 10_000]
with frame.friendly_errors():
    settings.start_int("eval_test", "test", 100, options=TEST_SIZES)
    n_test = st.select_slider(_("Test images (the first M)"), options=TEST_SIZES, key="eval_test",
                              format_func=formats.count, help=_("The lesson uses the first 100."))
    settings.stop_if_out_of_reach(spec)
    with st.spinner(_("Training or loading the model…")):
        model = resources.model(spec, mnist)
    result = resources.evaluation(spec, n_test, mnist)

    with st.container(horizontal=True, gap="medium"):  # side by side on a phone too
        st.metric(_("Accuracy"), formats.decimal(result.accuracy, 2 if n_test <= 100 else 4), width="content")
        # TRANSLATORS: a metric: how many test images the model read wrong; its value reads "32 of 100"
        st.metric(_("Wrong"), _("{count} of {total}").format(count=formats.count(len(result.misclassified)),
                                                             total=formats.count(n_test)), width="content")
        st.metric(_("Predict time"), _("{seconds} s").format(seconds=formats.decimal(result.predict_seconds, 2)),
                  width="content", help=_("Measured when this model was made for the app; this server loaded it "
                                          "ready-made.") if result.recorded else None)
    # TRANSLATORS: {model} is the model's settings (SVC(C=1, gamma='scale')); {sample} its training images
    st.caption(_("{model} on the {sample}.").format(model=model.settings.describe(),
                                                   sample=sampling.describe(spec.mode, spec.n, spec.seed)))

    confusion_picker.chosen()  # a square clicked, or the link's
    matrix, beside = st.columns([5, 4], gap="medium")  # on a phone, one under the other
    with matrix:
        confusion_picker.chart(result)
    with beside:
        confusion_picker.square(result, mnist.x_test)
        index = confusion_picker.viewer(result, mnist.x_test)
    settings.keep(spec, test=n_test, index=index, cell=confusion_picker.param(), **pinning.params())

    with share:
        settings.copy_link("test", "index", confusion_picker.PARAM, *pinning.PARAMS)
        pinning.buttons(spec)
        # TRANSLATORS: a button that opens the downloads (the model, the code, the notebook)
        with st.popover(_("Download"), icon=":material/download:"):
            st.download_button(_("Download the model (.skops)"), partial(resources.model_file, spec, model, mnist),
                               on_click="ignore",
                               file_name=model_links.file_name(spec, model_files.SUFFIX),
                               mime="application/octet-stream",
                               icon=":material/download:",
                               help=_("The trained SVC as a file scikit-learn can load (see the README)."))
            code_panel.downloads(spec, n_test, index=index)

    support_vector_view.why_this_answer(model, mnist.x_test[index], int(result.y_pred[index]), _("this test image"),
                                        on_white=True)

    st.subheader(_("Per digit, and the lesson's heatmap"))
    left, right = st.columns([1, 1], gap="large")
    per_digit = result.per_digit_table()
    per_digit.index.name = _("digit")  # the table's keys stay English; its headers are the reader's
    left.dataframe(
        per_digit,
        column_config={
            "test images": st.column_config.NumberColumn(_("images"), width="small",
                                                         help=_("Test images of this digit.")),
            "precision": st.column_config.ProgressColumn(
                _("precision"), min_value=0.0, max_value=1.0, format="%.2f", width=115,
                help=_("Of the images predicted as this digit, the share that were right.")),
            "recall": st.column_config.ProgressColumn(
                _("recall"), min_value=0.0, max_value=1.0, format="%.2f", width=115,
                help=_("Of the images of this digit, the share the model found.")),
        },
    )
    title = _("Confusion matrix, first {n} test images").format(n=formats.count(n_test))
    right.image(resources.figure("confusion", result.confusion, title), alt=alt_text.confusion(result.confusion, title))

    st.subheader(_("Images the model got wrong"))
    wrong = result.misclassified[:40]
    if len(wrong):
        titles = [f"#{i}: {result.y_true[i]}→{result.y_pred[i]}" for i in wrong]
        st.image(resources.figure("gallery", mnist.x_test[wrong], titles, columns=10),
                 alt=_("The first {n} test images the model got wrong, each titled {titles}.").format(
                     n=len(wrong), titles="; ".join(titles)))
        caption = _("Each caption reads #index: true → predicted.")
        if len(result.misclassified) > 40:
            caption += " " + _("Showing the first 40 of {total}.").format(
                total=formats.count(len(result.misclassified)))
        st.caption(caption)
    else:
        st.success(_("Every one of these test images was read correctly."))

    pinning.against_pinned(spec, result, mnist)

    code_panel.the_code("Evaluate", spec, n_test, index=index)
