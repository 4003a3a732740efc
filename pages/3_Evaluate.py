"""Evaluate: how the model does on test images it has never seen."""

import streamlit as st

from digitlib.registry import ModelSpec
from ui import frame, resources, settings

frame.page("Evaluate", ":material/fact_check:", params=("test", "index"))
mnist = resources.current_data()

st.title("Evaluate the model")
share = st.container()  # "Copy link", once the whole view is known
spec = settings.chosen()  # the link's model settings, else this session's
if spec is None:
    spec = ModelSpec()
    st.info(f"No model trained in this session yet, so this page uses the lesson's: SVC on the first "
            f"{spec.n:,} training images. Train another on the **Train** page.")
settings.keep(spec)

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

    left, right = st.columns([1, 1])
    left.image(resources.figure("confusion", result.confusion, f"Confusion matrix, first {n_test:,} test images"))
    with right:
        st.markdown("**Per digit**")
        st.dataframe(
            result.per_digit_table(),
            column_config={
                "test images": st.column_config.NumberColumn("images", width="small",
                                                             help="Test images of this digit."),
                "precision": st.column_config.ProgressColumn("precision", min_value=0.0, max_value=1.0, format="%.2f",
                                                             help="Of the images predicted as this digit, the share that were right."),
                "recall": st.column_config.ProgressColumn("recall", min_value=0.0, max_value=1.0, format="%.2f",
                                                          help="Of the images of this digit, the share the model found."),
            },
        )

    st.subheader("True or predicted?")
    settings.start_int("eval_index", "index", 6 if n_test > 6 else 0, 0, n_test - 1)
    index = st.number_input(f"Test image index (0 – {n_test - 1:,})", min_value=0, max_value=n_test - 1, step=1,
                            key="eval_index")
    settings.keep(spec, test=n_test, index=index)
    with share:
        settings.copy_link("test", "index")
    c1, _ = st.columns([1, 3])
    c1.image(resources.figure("digit", mnist.x_test[index], int(result.y_true[index]), int(result.y_pred[index])))

    st.subheader("Images the model got wrong")
    wrong = result.misclassified[:40]
    if len(wrong):
        titles = [f"#{i}: {result.y_true[i]}→{result.y_pred[i]}" for i in wrong]
        st.image(resources.figure("gallery", mnist.x_test[wrong], titles, columns=10))
        st.caption("Each caption reads #index: true → predicted." +
                   (f" Showing the first 40 of {len(result.misclassified):,}." if len(result.misclassified) > 40 else ""))
    else:
        st.success("Every one of these test images was read correctly.")
