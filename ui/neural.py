"""The neural network's Streamlit glue: the shared worker service, training progress, the comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from digitlib.display import charts
from digitlib.errors import DigitsError
from digitlib.neural import architecture, files
from digitlib.neural.files import TrainedNetwork
from digitlib.neural.forward import Network
from digitlib.neural.service import NetworkJob, NeuralService
from digitlib.neural.spec import NetSpec
from digitlib.scoring import comparison, evaluate
from digitlib.scoring.evaluate import Evaluation
from digitlib.svm import model_files
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import ModelSpec
from ui import resources, thumbnails

SHOWN = 24  # disagreeing test images shown per side


@st.cache_resource(show_spinner=False)
def service() -> NeuralService:
    """The server's one neural service: its worker process starts when a network must be trained."""
    return NeuralService()


def shown(spec: NetSpec, mnist, refusal: str | None) -> tuple[TrainedNetwork | None, NetworkJob | None]:
    """The network to show for ``spec`` (trained here, or ready-made where this server cannot train)
    and its training, if one is under way or just ended; shows notices about damaged files."""
    svc = service()
    net = svc.trained(spec, mnist.fingerprint, ready_made=refusal is not None)
    for notice in svc.take_notices():
        st.warning(notice, icon=":material/info:")
    job = svc.job(spec, mnist.fingerprint)
    if net is None and job is not None and job.state == "done":
        net = job.result
    return net, job


def svm_beside(spec: ModelSpec, mnist) -> DigitModel | None:
    """The SVM to compare with: in memory, on disk, ready-made, or trained now if small (as Train would while
    the page waits); None if it is big and not trained yet."""
    registry = resources.registry(mnist)
    model = registry.cached(spec) or registry.get(spec)
    if model is None and spec.n <= resources.WAIT_LIMIT:
        model = registry.ensure(spec)
    return model


def refusal() -> str | None:
    """Why this server cannot train a network now (memory, TensorFlow missing, turned off); None if it can."""
    return service().refusal()


def cannot_train(reason: str, mnist) -> None:
    """Why not, and what works here instead."""
    ready = ", ".join(f"{net.n_train:,}" for net in service().ready_made(mnist.fingerprint))
    offer = (f"The app comes with networks ready-made for N = {ready} (first N images, no augmentation): "
             "choose one of those to compare. " if ready else "")
    st.info(f"{reason} {offer}The SVM pages work as usual.", icon=":material/memory:")


def start(spec: NetSpec, mnist) -> None:
    """Button callback: queue the training (once, however many sessions click)."""
    try:
        service().train(spec, mnist)
    except DigitsError as exc:
        st.session_state["neural_refused"] = str(exc)


def refused() -> None:
    """Say why the last click could not start a training, once."""
    if message := st.session_state.pop("neural_refused", None):
        st.error(message, icon=":material/error:")


@st.fragment(run_every=1.0)
def progress(job: NetworkJob) -> None:
    """Redrawn every second while the worker trains; reruns the page when the network is ready."""
    if job.finished:
        st.rerun(scope="app")
    ahead = service().queued_before(job)
    if job.state == "queued":
        text = (f"Waiting for {ahead} other network{'s' if ahead != 1 else ''} to finish…" if ahead else
                "Starting the worker (TensorFlow takes a few seconds to load)…")
    else:
        text = f"Training: pass {min(job.epoch + 1, job.epochs)} of {job.epochs} over the {job.spec.n:,} images…"
    st.progress(job.fraction, text=text)
    if job.history:
        curve(job.history)
    st.caption("The network trains in a separate process, so the app stays quick; "
               "once trained it is kept for everyone.")


def curve(history: dict | list) -> None:
    """Loss and accuracy after each pass over the training images: columns of values, or one dict per pass."""
    if not isinstance(history, dict):  # a job's list, which the worker's events add to meanwhile: copy it
        passes = list(history)
        history = {key: [p[key] for p in passes if key in p] for key in files.HISTORY_KEYS}
    left, right = st.columns(2)
    left.markdown("**Loss**: how wrong, on the training images (lower is better)")
    table, spec = charts.passes(history, {"loss": "training images"})
    left.vega_lite_chart(table, spec, width="stretch", height=260)
    right.markdown("**Accuracy** after each pass")
    table, spec = charts.passes(history, {"accuracy": "training images", "val_accuracy": "1,000 test images"},
                                zero=False)
    right.vega_lite_chart(table, spec, width="stretch", height=260)


def scored(net: TrainedNetwork, mnist, n_test: int | None = None) -> Evaluation:
    """The network's predictions on the first ``n_test`` test images (all it has), scored like the SVM's;
    once per network for every session, not on every rerun."""
    return _scored(net.key, mnist.fingerprint, n_test or net.n_test, net, mnist)


@st.cache_resource(max_entries=32, show_spinner=False)
def _scored(key: str, fingerprint: str, n: int, _net: TrainedNetwork, _mnist) -> Evaluation:
    seconds = _net.predict_seconds if n == _net.n_test else 0.0
    return evaluate.score(_mnist.y_test[:n], _net.predictions[:n], seconds)


def scoreboard(net_result: Evaluation, svm_result: Evaluation, lesson: tuple[float, float]) -> None:
    """The two accuracies side by side, on the same test images."""
    c1, c2, c3 = st.columns(3)
    delta = net_result.accuracy - svm_result.accuracy
    c1.metric("Neural network accuracy", f"{net_result.accuracy:.4f}", f"{delta:+.4f} against the SVM",
              delta_color="normal" if abs(delta) >= 0.00005 else "off")
    c2.metric("SVM accuracy", f"{svm_result.accuracy:.4f}")
    c3.metric("They disagree on", f"{int((net_result.y_pred != svm_result.y_pred).sum()):,} images")
    st.caption(f"On all {svm_result.n_test:,} test images. On the lesson's first 100: neural network "
               f"{lesson[0]:.2f}, SVM {lesson[1]:.2f}.")


def confusions(net_result: Evaluation, svm_result: Evaluation) -> None:
    """Both confusion matrices: true digits down, predictions across."""
    left, right = st.columns(2)
    for column, title, result in ((left, "Neural network", net_result), (right, "SVM", svm_result)):
        table, spec = charts.confusion(result.confusion, selectable=False)
        column.markdown(f"**{title}** · {len(result.misclassified):,} wrong")
        column.vega_lite_chart(table, spec, height=330, width="stretch")


def disagreements(svm_result: Evaluation, net_result: Evaluation, x_test) -> None:
    """The test images one model reads right and the other wrong."""
    both = comparison.compare_models(svm_result, net_result)
    for title, indices, right, wrong in (
            ("The network right, the SVM wrong", both.now_right, net_result, svm_result),
            ("The SVM right, the network wrong", both.now_wrong, svm_result, net_result)):
        st.markdown(f"**{title}: {len(indices):,}**" + (f" (the first {SHOWN} shown)" if len(indices) > SHOWN else ""))
        if len(indices):
            shown = indices[:SHOWN]
            thumbnails.row([x_test[i] for i in shown],
                           [f"#{i}: {right.y_pred[i]} / {wrong.y_pred[i]}" for i in shown],
                           what="Test image, right answer / the other model's,")
    st.caption("Each caption reads #test index: right answer / the other model's wrong one.")


@st.cache_data(max_entries=16, show_spinner=False)
def _svm_file_bytes(fingerprint: str, spec: ModelSpec, _model: DigitModel) -> int:
    return len(model_files.export(_model))


def costs(net: TrainedNetwork, svm: DigitModel, svm_spec: ModelSpec, svm_result: Evaluation, mnist) -> None:
    """Fit and predict times and the size of each model."""
    n_sv = len(svm.estimator.support_)
    table = pd.DataFrame({
        "model": ["Neural network", "SVM"],
        "fit time (s)": [net.fit_seconds, svm.fit_seconds],
        f"predict {svm_result.n_test:,} images (s)": [net.predict_seconds, svm_result.predict_seconds],
        "file size (KB)": [net.file_bytes / 1024, _svm_file_bytes(mnist.fingerprint, svm_spec, svm) / 1024],
        "what it keeps": [f"{net.network.parameters:,} weights", f"{n_sv:,} training images (support vectors)"],
    })
    st.dataframe(table, hide_index=True, width="content", column_config={
        "fit time (s)": st.column_config.NumberColumn(format="%.2f"),
        f"predict {svm_result.n_test:,} images (s)": st.column_config.NumberColumn(format="%.2f"),
        "file size (KB)": st.column_config.NumberColumn(format="%.0f")})
    machine = net.meta.get("threads")
    st.caption(f"The network's times were measured by its worker with TensorFlow ({machine} threads) "
               + ("when it was made for the app" if net.shipped else "on this server")
               + "; the SVM's fit time " + ("when it was made for the app" if svm.precomputed else "on this server")
               + ". The network's file is Keras's `.keras` format; the SVM's is skops.")


def layers() -> None:
    """The network's layers, in words."""
    st.table(pd.DataFrame(architecture.LAYERS, columns=["layer", "what it does"]).set_index("layer"))


def first_layer(net: TrainedNetwork, mnist) -> None:
    """The first layer's filters, each above what it finds in one test image (picked here)."""
    left, right = st.columns([1, 4], gap="large")
    index = left.number_input("Test image", min_value=0, max_value=len(mnist.x_test) - 1, value=0,
                              key="neural_filter_image")
    left.image(thumbnails.picture(mnist.x_test[index], 112), caption=f"Test image #{index}: {mnist.y_test[index]}",
               width=112, alt=f"Test image {index}: a {mnist.y_test[index]}.")
    with right:
        filter_grid(net.network, mnist.x_test[index], "this image")


def filter_grid(network: Network, image: np.ndarray, what: str) -> None:
    """Each first-layer filter above its response to ``image``, and what a filter does."""
    filters, responses = network.filters, network.first_layer(image)
    peak = responses.max() or 1.0
    st.markdown(f"Each **filter** (5 × 5 weights: blue adds, red takes away) above **where it lights up** "
                f"on {what} (dark = strong).")
    with st.container(horizontal=True, gap="small"):
        for k, (weights, response) in enumerate(zip(filters, responses, strict=True)):
            with st.container(gap=None, width=72):
                st.image(_diverging(weights), width=72,
                         alt=f"Filter {k + 1}: 5 × 5 weights, blue adds, red takes away.")
                st.image(thumbnails.picture(np.clip(response / peak * 255, 0, 255).astype(np.uint8), 72),
                         caption=f"{k + 1}", width=72, alt=f"Where filter {k + 1} lights up on {what}.")
    st.caption("A filter is a tiny picture. The layer slides it over the image and adds up pixel × weight at "
               "every place: the sum is big where the image looks like the filter. Some filters find the "
               "edge on one side of a stroke, some the stroke itself, some its ends or corners.")


def _diverging(weights: np.ndarray, size: int = 72) -> np.ndarray:
    """A filter as an RGB picture: white at 0, blue for positive weights, red for negative."""
    w = weights / (np.abs(weights).max() or 1.0)
    pos, neg = np.clip(w, 0, 1), np.clip(-w, 0, 1)
    rgb = np.stack([1 - pos * 0.8, 1 - 0.55 * (pos + neg), 1 - neg * 0.8], axis=-1)
    big = np.kron((rgb * 255).astype(np.uint8), np.ones((size // 5, size // 5, 1), dtype=np.uint8))
    return big
