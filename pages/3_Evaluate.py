"""Evaluate: how the model does on test images it has never seen."""

from functools import partial

import streamlit as st

from digitlib import charts, compare, links, store
from digitlib.registry import ModelSpec
from ui import cells, frame, inside, lesson_code, pinning, resources, settings, thumbnails

frame.page("Evaluate", ":material/fact_check:", params=("test", "index", cells.PARAM, *pinning.PARAMS))
mnist = resources.current_data()

st.title("Evaluate the model")
share = st.container(horizontal=True, vertical_alignment="center")  # "Copy link", pin, download: once the view is known
spec = settings.chosen()  # the link's model settings, else this session's
if spec is None:
    spec = ModelSpec()
    st.info(f"No model trained in this session yet, so this page uses the lesson's: SVC on the first "
            f"{spec.n:,} training images. Train another on the **Train** page.")
settings.keep(spec)
pinned = pinning.pinned()  # a model kept to compare with, from the link or this session

TEST_SIZES = [100, 500, 1000, 2000, 5000, 10_000]
with frame.friendly_errors():
    settings.start_int("eval_test", "test", 100, options=TEST_SIZES)
    n_test = st.select_slider("Test images (the first M)", options=TEST_SIZES, key="eval_test",
                              format_func=lambda v: f"{v:,}", help="The lesson uses the first 100.")
    settings.stop_if_out_of_reach(spec)
    with st.spinner("Training or loading the model…"):
        model = resources.model(spec, mnist)
    result = resources.evaluation(spec, n_test, mnist)

    c1, c2, c3 = st.columns(3)
    c1.metric("Accuracy", f"{result.accuracy:.2f}" if n_test <= 100 else f"{result.accuracy:.4f}")
    c2.metric("Wrong", f"{len(result.misclassified):,} of {n_test:,}")
    c3.metric("Predict time", f"{result.predict_seconds:.2f} s")
    st.caption(f"{model.settings.describe()} on the {model.sample_description}.")

    cell = cells.chosen()  # a square clicked, or the link's
    left, right = st.columns([1, 1])
    with left:
        lesson_tab, click_tab = st.tabs(["The lesson's heatmap", "Click a square"])
        lesson_tab.image(resources.figure("confusion", result.confusion,
                                          f"Confusion matrix, first {n_test:,} test images"))
        with click_tab:
            cells.chart(result)
        st.caption("Each square counts test images (pictures the model did not learn from): its row is the digit "
                   "written, its column the digit the model read, so every square off the diagonal is a mistake. "
                   "Open **Click a square** and click one to see its pictures under **True or predicted?**")
    with right:
        st.markdown("**Per digit**")
        st.dataframe(
            result.per_digit_table(),
            column_config={
                "test images": st.column_config.NumberColumn("images", width="small",
                                                             help="Test images of this digit."),
                "precision": st.column_config.ProgressColumn("precision", min_value=0.0, max_value=1.0, format="%.2f", width=115,
                                                             help="Of the images predicted as this digit, the share that were right."),
                "recall": st.column_config.ProgressColumn("recall", min_value=0.0, max_value=1.0, format="%.2f", width=115,
                                                          help="Of the images of this digit, the share the model found."),
            },
        )

    st.subheader("True or predicted?")
    settings.start_int("eval_index", "index", 6 if n_test > 6 else 0, 0, n_test - 1)
    index = st.number_input(f"Test image index (0 – {n_test - 1:,})", min_value=0, max_value=n_test - 1, step=1,
                            key="eval_index")
    settings.keep(spec, test=n_test, index=index, cell=cells.param(), **pinning.params())
    with share:
        settings.copy_link("test", "index", cells.PARAM, *pinning.PARAMS)
        if pinned != spec:
            st.button("Pin this model", icon=":material/push_pin:", on_click=pinning.pin, args=(spec,),
                      help="Keep this model here, then train another: this page will show what changed.")
        if pinned:
            st.button("Unpin", icon=":material/keep_off:", on_click=pinning.pin, args=(None,))
        st.download_button("Download the model (.skops)", partial(store.export, model), on_click="ignore",
                           file_name=links.file_name(spec, store.SUFFIX), mime="application/octet-stream",
                           icon=":material/download:",
                           help="The trained SVC as a file scikit-learn can load (see the README).")
        lesson_code.downloads(spec, n_test, index=index)
    viewer, square = st.columns([1, 3], gap="large")
    viewer.image(resources.figure("digit", mnist.x_test[index], int(result.y_true[index]), int(result.y_pred[index])))
    with square:
        if cell:
            true, predicted = cell
            count = len(result.cell_indices(true, predicted))
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"#### Square: true {true}, predicted {predicted}")
                st.button("Close", icon=":material/close:", type="tertiary", on_click=cells.clear)
            if not count:
                st.markdown(f"No test image of a {true} was read as a {predicted}.")
            else:
                st.markdown(f"{count:,} test image{'s' if count != 1 else ''} of a {true} that the model read "
                            + ("right." if true == predicted else f"as a {predicted}.")
                            + " Click a number to see that image on the left.")
                cells.images(result, mnist.x_test)
        else:
            st.caption("Click a square of the confusion matrix (under **Click a square**, above) to see its "
                       "test images here.")
    inside.why_this_answer(model, mnist.x_test[index], int(result.y_pred[index]), "this test image", on_white=True)

    st.subheader("Images the model got wrong")
    wrong = result.misclassified[:40]
    if len(wrong):
        titles = [f"#{i}: {result.y_true[i]}→{result.y_pred[i]}" for i in wrong]
        st.image(resources.figure("gallery", mnist.x_test[wrong], titles, columns=10))
        st.caption("Each caption reads #index: true → predicted." +
                   (f" Showing the first 40 of {len(result.misclassified):,}." if len(result.misclassified) > 40 else ""))
    else:
        st.success("Every one of these test images was read correctly.")

    if pinned:
        st.subheader("Compare with the pinned model")
        if pinned == spec:
            st.markdown("The pinned model is the one on this page. Train another on the **Train** page (or follow "
                        "a link to one), come back, and see here what changed.")
        elif not settings.reachable(pinned):
            st.markdown(f"This server cannot train the pinned model ({pinned.describe()}). Unpin it, or pin another.")
        else:
            with st.spinner("Training or loading the pinned model…"):
                resources.model(pinned, mnist)
            before = resources.evaluation(pinned, n_test, mnist)
            change = compare.compare(before, result)
            places = 2 if n_test <= 100 else 4
            c1, c2, c3 = st.columns(3)
            c1.metric("Pinned model", f"{change.pinned_accuracy:.{places}f}", help=pinned.describe())
            c2.metric("This model", f"{change.current_accuracy:.{places}f}", help=spec.describe(),
                      delta=f"{change.current_accuracy - change.pinned_accuracy:+.{places}f}")
            c3.metric("Answers that changed", f"{len(change.now_right) + len(change.now_wrong):,} of {n_test:,}")
            st.caption(f"Accuracy on the same first {n_test:,} test images. Pinned: {pinned.describe()}. "
                       f"This model: {spec.describe()}.")
            left, right = st.columns([2, 3], gap="large")
            with left:
                st.markdown("**How the confusion matrix changed**")
                table, chart = charts.confusion_change(change.change)
                st.vega_lite_chart(table, chart, width="stretch", height=400)
                st.caption("Each square: this model's count minus the pinned model's. Blue: more of these with "
                           "this model; red: fewer. On the diagonal (right answers) blue is good; off it, red is.")
            with right:
                for title, flipped in [("Now right", change.now_right), ("Now wrong", change.now_wrong)]:
                    was = "wrong" if title == "Now right" else "right"
                    st.markdown(f"**{title}: {len(flipped):,}** (the pinned model got these {was})")
                    if len(flipped):
                        shown = flipped[:30]
                        thumbnails.row(mnist.x_test[shown],
                                       [f"#{i}: {before.y_pred[i]}→{result.y_pred[i]}" for i in shown])
                        if len(flipped) > 30:
                            st.caption(f"Showing the first 30 of {len(flipped):,}.")
                st.caption("Each caption reads #index: the pinned model's answer → this model's answer.")

    lesson_code.the_code("Evaluate", spec, n_test, index=index)
