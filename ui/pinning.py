"""Evaluate's pinned model: kept in the session and in the URL (``pin_n``, ``pin_C``… like the model's own),
its buttons, and the comparison with the model on the page."""

from __future__ import annotations

import streamlit as st

from digitlib.display import charts, model_links
from digitlib.scoring.comparison import compare_models
from digitlib.scoring.evaluate import Evaluation
from digitlib.svm.model_spec import ModelSpec
from ui import resources, settings, thumbnails

PREFIX = "pin_"
PARAMS = tuple(PREFIX + name for name in model_links.MODEL_PARAMS)
_PINNED = "eval_pin"  # session key: the pinned ModelSpec, or None


def pinned() -> ModelSpec | None:
    """The pinned model: from the link's ``pin_…`` settings, else the session's; None if none."""
    settings.start_value(_PINNED, PARAMS, lambda: settings.from_url(PREFIX))
    return st.session_state[_PINNED]


def params() -> dict[str, str | None]:
    """The pinned model's settings as URL parameters (None: absent), for ``settings.keep``."""
    spec = st.session_state.get(_PINNED)
    written = {PREFIX + k: v for k, v in model_links.params(spec).items()} if spec else {}
    return {name: written.get(name) for name in PARAMS}


def pin(spec: ModelSpec | None) -> None:
    """Pin ``spec`` (None: unpin)."""
    st.session_state[_PINNED] = spec


def buttons(spec: ModelSpec) -> None:
    """"Pin this model" (unless it is the pinned one) and "Unpin" (when one is pinned)."""
    pinned_spec = st.session_state.get(_PINNED)
    if pinned_spec != spec:
        st.button("Pin this model", icon=":material/push_pin:", on_click=pin, args=(spec,),
                  help="Keep this model here, then train another: this page will show what changed.")
    if pinned_spec:
        st.button("Unpin", icon=":material/keep_off:", on_click=pin, args=(None,))


def against_pinned(spec: ModelSpec, result: Evaluation, mnist) -> None:
    """"Compare with the pinned model": both accuracies on the same test images, how the confusion
    matrix changed (one colour for better, one for worse) and the images now right and now wrong."""
    pinned_spec = st.session_state.get(_PINNED)
    if not pinned_spec:
        return
    st.subheader("Compare with the pinned model")
    if pinned_spec == spec:
        st.markdown("The pinned model is the one on this page. Train another on the **Train** page (or follow "
                    "a link to one), come back, and see here what changed.")
        return
    if not settings.reachable(pinned_spec):
        st.markdown(f"This server cannot train the pinned model ({pinned_spec.describe()}). Unpin it, or pin another.")
        return
    n_test = result.n_test
    with st.spinner("Training or loading the pinned model…"):
        resources.model(pinned_spec, mnist)
    before = resources.evaluation(pinned_spec, n_test, mnist)
    change = compare_models(before, result)
    places = 2 if n_test <= 100 else 4
    with st.container(horizontal=True, gap="medium"):  # side by side on a phone too
        st.metric("Pinned model", f"{change.pinned_accuracy:.{places}f}", help=pinned_spec.describe(), width="content")
        st.metric("This model", f"{change.current_accuracy:.{places}f}", help=spec.describe(), width="content",
                  delta=f"{change.current_accuracy - change.pinned_accuracy:+.{places}f}")
        st.metric("Answers that changed", f"{len(change.now_right) + len(change.now_wrong):,} of {n_test:,}",
                  width="content")
    st.caption(f"Accuracy on the same first {n_test:,} test images. Pinned: {pinned_spec.describe()}. "
               f"This model: {spec.describe()}.")
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown("**How the confusion matrix changed**")
        table, chart = charts.confusion_change(change.change)
        st.vega_lite_chart(table, chart, width="stretch", height=460)
        st.caption("Each square: this model's count minus the pinned model's. **Blue: better** than the pinned "
                   "model, **orange: worse**, stronger the bigger the change. On the diagonal (right answers) "
                   "more is better (+); off it (mistakes), fewer is better (−).")
    with right:
        for title, flipped in [("Now right", change.now_right), ("Now wrong", change.now_wrong)]:
            was = "wrong" if title == "Now right" else "right"
            st.markdown(f"**{title}: {len(flipped):,}** (the pinned model got these {was})")
            if len(flipped):
                shown = flipped[:30]
                thumbnails.row(mnist.x_test[shown], [f"#{i}: {before.y_pred[i]}→{result.y_pred[i]}" for i in shown],
                               what="Test image, pinned model's answer → this model's,")
                if len(flipped) > 30:
                    st.caption(f"Showing the first 30 of {len(flipped):,}.")
        st.caption("Each caption reads #index: the pinned model's answer → this model's answer.")
