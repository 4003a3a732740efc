"""Evaluate's pinned model: kept in the session and in the URL (``pin_n``, ``pin_C``… like the model's own),
its buttons, and the comparison with the model on the page."""

from __future__ import annotations

import streamlit as st

from digitlib.display import charts, model_links
from digitlib.language import N_, _, formats
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
        st.button(_("Pin this model"), icon=":material/push_pin:", on_click=pin, args=(spec,),
                  help=_("Keep this model here, then train another: this page will show what changed."))
    if pinned_spec:
        st.button(_("Unpin"), icon=":material/keep_off:", on_click=pin, args=(None,))


def against_pinned(spec: ModelSpec, result: Evaluation, mnist) -> None:
    """"Compare with the pinned model": both accuracies on the same test images, how the confusion
    matrix changed (one colour for better, one for worse) and the images now right and now wrong."""
    pinned_spec = st.session_state.get(_PINNED)
    if not pinned_spec:
        return
    st.subheader(_("Compare with the pinned model"))
    if pinned_spec == spec:
        st.markdown(_("The pinned model is the one on this page. Train another on the **Train** page (or follow "
                      "a link to one), come back, and see here what changed."))
        return
    if not settings.reachable(pinned_spec):
        st.markdown(_("This server cannot train the pinned model ({model}). Unpin it, or pin another.").format(
            model=pinned_spec.describe()))
        return
    n_test = result.n_test
    with st.spinner(_("Training or loading the pinned model…")):
        resources.model(pinned_spec, mnist)
    before = resources.evaluation(pinned_spec, n_test, mnist)
    change = compare_models(before, result)
    places = 2 if n_test <= 100 else 4
    with st.container(horizontal=True, gap="medium"):  # side by side on a phone too
        st.metric(_("Pinned model"), formats.decimal(change.pinned_accuracy, places), help=pinned_spec.describe(),
                  width="content")
        delta = change.current_accuracy - change.pinned_accuracy
        st.metric(_("This model"), formats.decimal(change.current_accuracy, places), help=spec.describe(),
                  width="content", delta=("-" if delta < 0 else "+") + formats.decimal(abs(delta), places))
        st.metric(_("Answers that changed"), _("{count} of {total}").format(
            count=formats.count(len(change.now_right) + len(change.now_wrong)), total=formats.count(n_test)),
                  width="content")
    st.caption(_("Accuracy on the same first {n} test images. Pinned: {pinned}. This model: {current}.").format(
        n=formats.count(n_test), pinned=pinned_spec.describe(), current=spec.describe()))
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown(_("**How the confusion matrix changed**"))
        table, chart = charts.confusion_change(change.change)
        st.vega_lite_chart(table, chart, width="stretch", height=460)
        st.caption(_("Each square: this model's count minus the pinned model's. **Blue: better** than the pinned "
                     "model, **orange: worse**, stronger the bigger the change. On the diagonal (right answers) "
                     "more is better (+); off it (mistakes), fewer is better (−)."))
    with right:
        for heading, flipped in [(N_("**Now right: {count}** (the pinned model got these wrong)"), change.now_right),
                                 (N_("**Now wrong: {count}** (the pinned model got these right)"), change.now_wrong)]:
            st.markdown(_(heading).format(count=formats.count(len(flipped))))
            if len(flipped):
                shown = flipped[:30]
                thumbnails.row(mnist.x_test[shown], [f"#{i}: {before.y_pred[i]}→{result.y_pred[i]}" for i in shown],
                               what=_("Test image, pinned model's answer → this model's,"))
                if len(flipped) > 30:
                    st.caption(_("Showing the first 30 of {total}.").format(total=formats.count(len(flipped))))
        st.caption(_("Each caption reads #index: the pinned model's answer → this model's answer."))
