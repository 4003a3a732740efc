"""Evaluate: how the model does on test images it has never seen."""

from functools import partial

import streamlit as st

from digitlib.display import model_links
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

st.title("Evaluate the model")
share = st.container(horizontal=True, vertical_alignment="center", gap="small")  # filled once the view is known
spec = settings.chosen()  # the link's model settings, else this session's
if spec is None:
    spec = ModelSpec()
    st.info(f"No model trained in this session yet, so this page uses the lesson's: SVC on the first "
            f"{spec.n:,} training images. Train another on the **Train** page.")
settings.keep(spec)
pinning.pinned()  # a model kept to compare with, from the link or this session

TEST_SIZES = [100, 500, 1000, 2000, 5000, 10_000]
with frame.friendly_errors():
    settings.start_int("eval_test", "test", 100, options=TEST_SIZES)
    n_test = st.select_slider("Test images (the first M)", options=TEST_SIZES, key="eval_test",
                              format_func=lambda v: f"{v:,}", help="The lesson uses the first 100.")
    settings.stop_if_out_of_reach(spec)
    with st.spinner("Training or loading the model…"):
        model = resources.model(spec, mnist)
    result = resources.evaluation(spec, n_test, mnist)

    with st.container(horizontal=True, gap="medium"):  # side by side on a phone too
        st.metric("Accuracy", f"{result.accuracy:.2f}" if n_test <= 100 else f"{result.accuracy:.4f}", width="content")
        st.metric("Wrong", f"{len(result.misclassified):,} of {n_test:,}", width="content")
        st.metric("Predict time", f"{result.predict_seconds:.2f} s", width="content")
    st.caption(f"{model.settings.describe()} on the {model.sample_description}.")

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
        with st.popover("Download", icon=":material/download:"):
            st.download_button("Download the model (.skops)", partial(model_files.export, model), on_click="ignore",
                               file_name=model_links.file_name(spec, model_files.SUFFIX),
                               mime="application/octet-stream",
                               icon=":material/download:",
                               help="The trained SVC as a file scikit-learn can load (see the README).")
            code_panel.downloads(spec, n_test, index=index)

    support_vector_view.why_this_answer(model, mnist.x_test[index], int(result.y_pred[index]), "this test image",
                                        on_white=True)

    st.subheader("Per digit, and the lesson's heatmap")
    left, right = st.columns([1, 1], gap="large")
    left.dataframe(
        result.per_digit_table(),
        column_config={
            "test images": st.column_config.NumberColumn("images", width="small", help="Test images of this digit."),
            "precision": st.column_config.ProgressColumn(
                "precision", min_value=0.0, max_value=1.0, format="%.2f", width=115,
                help="Of the images predicted as this digit, the share that were right."),
            "recall": st.column_config.ProgressColumn("recall", min_value=0.0, max_value=1.0, format="%.2f", width=115,
                                                      help="Of the images of this digit, the share the model found."),
        },
    )
    title = f"Confusion matrix, first {n_test:,} test images"
    right.image(resources.figure("confusion", result.confusion, title), alt=alt_text.confusion(result.confusion, title))

    st.subheader("Images the model got wrong")
    wrong = result.misclassified[:40]
    if len(wrong):
        titles = [f"#{i}: {result.y_true[i]}→{result.y_pred[i]}" for i in wrong]
        st.image(resources.figure("gallery", mnist.x_test[wrong], titles, columns=10),
                 alt=f"The first {len(wrong)} test images the model got wrong, each titled " + "; ".join(titles) + ".")
        st.caption("Each caption reads #index: true → predicted." +
                   (f" Showing the first 40 of {len(result.misclassified):,}."
                    if len(result.misclassified) > 40 else ""))
    else:
        st.success("Every one of these test images was read correctly.")

    pinning.against_pinned(spec, result, mnist)

    code_panel.the_code("Evaluate", spec, n_test, index=index)
