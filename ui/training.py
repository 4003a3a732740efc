"""Train's model: trained while the student waits, or in the background with a progress bar; its scores."""

from __future__ import annotations

import streamlit as st

from digitlib.language import _, formats
from digitlib.mnist import sampling
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import ModelSpec
from ui import class_board, class_session, motion, resources


def _progress(job, spec: ModelSpec) -> None:
    """Redrawn every second (every 5 s when the browser prefers reduced motion) while the background worker
    trains; reruns the page when done."""
    st.fragment(_progress_now, run_every=motion.every(1.0, motion.GENTLE_SECONDS))(job, spec)


def _progress_now(job, spec: ModelSpec) -> None:
    if job.event.is_set():
        st.rerun(scope="app")
    st.progress(job.fraction, text=_("Training on {n} images: {done} of {total} steps done…").format(
        n=formats.count(spec.n), done=formats.count(job.done), total=formats.count(job.total)))
    st.caption(_("You can move the slider or use other pages meanwhile; the model is kept for everyone once "
                 "trained."))


def model_or_progress(spec: ModelSpec, registry) -> DigitModel | None:
    """The model for ``spec``: ready, trained now (small N), or None while a progress bar shows the background run."""
    model = registry.cached(spec) or registry.get(spec)
    if model is None and spec.n <= resources.WAIT_LIMIT:
        # TRANSLATORS: {sample} describes the training images, such as "first 500 training images"
        with st.status(_("Training on the {sample}…").format(
                sample=sampling.describe(spec.mode, spec.n, spec.seed))) as status:
            model = registry.ensure(spec)
            status.update(label=_("Trained on {n} images in {seconds} s").format(
                n=formats.count(spec.n), seconds=formats.decimal(model.fit_seconds, 2)), state="complete")
    if model is None:
        job = registry.request(spec)
        if job.state == "failed":
            st.error(str(job.error))
        else:
            _progress(job, spec)
    return model


def scores(spec: ModelSpec, model: DigitModel, accuracy: float, mnist) -> None:
    """The lesson's accuracy, fit time and support vectors; in a class, the button that posts them to the board."""
    c1, c2, c3 = st.columns(3)
    c1.metric(_("Accuracy on the first 100 test images"), formats.decimal(accuracy, 2))
    c2.metric(_("Fit time"), _("{seconds} s").format(seconds=formats.decimal(model.fit_seconds, 2)),
              help=_("Measured when this model was made for the app; this server loaded it ready-made.")
              if model.precomputed else _("How long this server took to train it."))
    c3.metric(_("Support vectors"), formats.count(len(model.estimator.support_)))
    # TRANSLATORS: {model} describes the model's settings, such as "SVC(C=1, gamma='scale') on the first 500 images"
    st.caption(_("{model}. Open **Evaluate** for the details, or **Draw** to test it on your own handwriting.").format(
        model=spec.describe()))
    if class_session.code():
        class_board.post_button(spec, model, accuracy,
                                lambda: resources.evaluation(spec, min(10_000, len(mnist.y_test)), mnist).accuracy)
