"""Train's model: trained while the student waits, or in the background with a progress bar; its scores."""

from __future__ import annotations

import streamlit as st

from digitlib.mnist import sampling
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import ModelSpec
from ui import class_board, class_session, resources


@st.fragment(run_every=1.0)
def _progress(job, spec: ModelSpec) -> None:
    """Redrawn every second while the background worker trains; reruns the page when done."""
    if job.event.is_set():
        st.rerun(scope="app")
    st.progress(job.fraction, text=f"Training on {spec.n:,} images: {job.done} of {job.total} steps done…")
    st.caption("You can move the slider or use other pages meanwhile; the model is kept for everyone once trained.")


def model_or_progress(spec: ModelSpec, registry) -> DigitModel | None:
    """The model for ``spec``: ready, trained now (small N), or None while a progress bar shows the background run."""
    model = registry.cached(spec) or registry.get(spec)
    if model is None and spec.n <= resources.WAIT_LIMIT:
        with st.status(f"Training on the {sampling.describe(spec.mode, spec.n, spec.seed)}…") as status:
            model = registry.ensure(spec)
            status.update(label=f"Trained on {spec.n:,} images in {model.fit_seconds:.2f} s", state="complete")
    if model is None:
        job = registry.request(spec)
        if job.state == "failed":
            st.error(job.error)
        else:
            _progress(job, spec)
    return model


def scores(spec: ModelSpec, model: DigitModel, accuracy: float, mnist) -> None:
    """The lesson's accuracy, fit time and support vectors; in a class, the button that posts them to the board."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Accuracy on the first 100 test images", f"{accuracy:.2f}")
    c2.metric("Fit time", f"{model.fit_seconds:.2f} s",
              help="Measured when this model was made for the app; this server loaded it ready-made."
              if model.precomputed else "How long this server took to train it.")
    c3.metric("Support vectors", f"{len(model.estimator.support_):,}")
    st.caption(f"{spec.describe()}. Open **Evaluate** for the details, "
               "or **Draw** to test it on your own handwriting.")
    if class_session.code():
        class_board.post_button(spec, model, accuracy,
                                lambda: resources.evaluation(spec, min(10_000, len(mnist.y_test)), mnist).accuracy)
