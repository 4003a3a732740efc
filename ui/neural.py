"""The neural network's Streamlit glue: the shared worker service, training progress, the comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from digitlib.display import charts
from digitlib.errors import DigitsError
from digitlib.language import N_, _, formats, ngettext
from digitlib.neural import architecture, files
from digitlib.neural.files import TrainedNetwork
from digitlib.neural.forward import Network
from digitlib.neural.service import NetworkJob, NeuralService
from digitlib.neural.spec import NetSpec
from digitlib.scoring import comparison, evaluate
from digitlib.scoring.evaluate import Evaluation
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import ModelSpec
from ui import motion, resources, thumbnails

SHOWN = 24  # disagreeing test images shown per side
# What the filters are shown on: the Draw page's drawing, or the test image picked here.
_ON = {
    "drawing": (N_("Each **filter** (5 × 5 weights: blue adds, red takes away) above **where it lights up** "
                   "on your drawing (dark = strong)."), N_("Where filter {k} lights up on your drawing.")),
    "image": (N_("Each **filter** (5 × 5 weights: blue adds, red takes away) above **where it lights up** "
                 "on this image (dark = strong)."), N_("Where filter {k} lights up on this image.")),
}


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
        st.warning(str(notice), icon=":material/info:")
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
    ready = ", ".join(formats.count(net.n_train) for net in service().ready_made(mnist.fingerprint))
    offer = (_("The app comes with networks ready-made for N = {sizes} (first N images, no augmentation): "
               "choose one of those to compare.").format(sizes=ready) + " " if ready else "")
    st.info(f"{reason} {offer}" + _("The SVM pages work as usual."), icon=":material/memory:")


def start(spec: NetSpec, mnist) -> None:
    """Button callback: queue the training (once, however many sessions click)."""
    try:
        service().train(spec, mnist)
    except DigitsError as exc:
        st.session_state["neural_refused"] = exc  # the error, written in the language of the run that shows it


def refused() -> None:
    """Say why the last click could not start a training, once."""
    if error := st.session_state.pop("neural_refused", None):
        st.error(str(error), icon=":material/error:")


def progress(job: NetworkJob) -> None:
    """Redrawn every second (every 5 s when the browser prefers reduced motion) while the worker trains; reruns
    the page when the network is ready."""
    st.fragment(_progress_now, run_every=motion.every(1.0, motion.GENTLE_SECONDS))(job)


def _progress_now(job: NetworkJob) -> None:
    if job.finished:
        st.rerun(scope="app")
    ahead = service().queued_before(job)
    if job.state == "queued":
        text = (ngettext("Waiting for {n} other network to finish…", "Waiting for {n} other networks to finish…",
                         ahead).format(n=formats.count(ahead)) if ahead else
                _("Starting the worker (TensorFlow takes a few seconds to load)…"))
    else:
        text = _("Training: pass {current} of {total} over the {n} images…").format(
            current=formats.count(min(job.epoch + 1, job.epochs)), total=formats.count(job.epochs),
            n=formats.count(job.spec.n))
    st.progress(job.fraction, text=text)
    if job.history:
        curve(job.history)
    st.caption(_("The network trains in a separate process, so the app stays quick; "
                 "once trained it is kept for everyone."))


def curve(history: dict | list) -> None:
    """Loss and accuracy after each pass over the training images: columns of values, or one dict per pass."""
    if not isinstance(history, dict):  # a job's list, which the worker's events add to meanwhile: copy it
        passes = list(history)
        history = {key: [p[key] for p in passes if key in p] for key in files.HISTORY_KEYS}
    left, right = st.columns(2)
    left.markdown(_("**Loss**: how wrong, on the training images (lower is better)"))
    # TRANSLATORS: a line of the loss and accuracy charts (its legend)
    table, spec = charts.passes(history, {"loss": _("training images")})
    left.vega_lite_chart(table, spec, width="stretch", height=260)
    right.markdown(_("**Accuracy** after each pass"))
    table, spec = charts.passes(history, {"accuracy": _("training images"),
                                          "val_accuracy": _("{n} test images").format(n=formats.count(1000))},
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
    signed = ("+" if delta >= 0 else "") + formats.decimal(delta, 4)  # the sign first: Streamlit colours by it
    c1.metric(_("Neural network accuracy"), formats.decimal(net_result.accuracy, 4),
              _("{delta} against the SVM").format(delta=signed),
              delta_color="normal" if abs(delta) >= 0.00005 else "off")
    c2.metric(_("SVM accuracy"), formats.decimal(svm_result.accuracy, 4))
    disagree = int((net_result.y_pred != svm_result.y_pred).sum())
    c3.metric(_("They disagree on"), ngettext("{n} image", "{n} images", disagree).format(n=formats.count(disagree)))
    st.caption(_("On all {n} test images. On the lesson's first 100: neural network {net}, SVM {svm}.").format(
        n=formats.count(svm_result.n_test), net=formats.decimal(lesson[0], 2), svm=formats.decimal(lesson[1], 2)))


def confusions(net_result: Evaluation, svm_result: Evaluation) -> None:
    """Both confusion matrices: true digits down, predictions across."""
    left, right = st.columns(2)
    for column, title, result in ((left, _("Neural network"), net_result), (right, _("SVM"), svm_result)):
        table, spec = charts.confusion(result.confusion, selectable=False)
        column.markdown(_("**{model}** · {n} wrong").format(model=title, n=formats.count(len(result.misclassified))))
        column.vega_lite_chart(table, spec, height=330, width="stretch")


def disagreements(svm_result: Evaluation, net_result: Evaluation, x_test) -> None:
    """The test images one model reads right and the other wrong."""
    both = comparison.compare_models(svm_result, net_result)
    for (title, some), indices, right, wrong in (
            ((N_("**The network right, the SVM wrong: {n}**"),
              N_("**The network right, the SVM wrong: {n}** (the first {shown} shown)")),
             both.now_right, net_result, svm_result),
            ((N_("**The SVM right, the network wrong: {n}**"),
              N_("**The SVM right, the network wrong: {n}** (the first {shown} shown)")),
             both.now_wrong, svm_result, net_result)):
        st.markdown(_(some if len(indices) > SHOWN else title).format(n=formats.count(len(indices)), shown=SHOWN))
        if len(indices):
            shown = indices[:SHOWN]
            thumbnails.row([x_test[i] for i in shown],
                           [f"#{i}: {right.y_pred[i]} / {wrong.y_pred[i]}" for i in shown],
                           what=N_("Test image, right answer / the other model's,"))
    st.caption(_("Each caption reads #test index: right answer / the other model's wrong one."))


def costs(net: TrainedNetwork, svm: DigitModel, svm_spec: ModelSpec, svm_result: Evaluation, mnist) -> None:
    """Fit and predict times and the size of each model."""
    n_sv, weights = len(svm.estimator.support_), net.network.parameters
    # The columns' names are what a reader reads: in the page's language.
    fit, predict = _("fit time (s)"), _("predict {n} images (s)").format(n=formats.count(svm_result.n_test))
    size = _("file size (KB)")
    table = pd.DataFrame({
        _("model"): [_("Neural network"), _("SVM")],
        fit: [net.fit_seconds, svm.fit_seconds],
        predict: [net.predict_seconds, svm_result.predict_seconds],
        size: [net.file_bytes / 1024, resources.model_file_bytes(svm_spec, svm, mnist) / 1024],
        _("what it keeps"): [ngettext("{n} weight", "{n} weights", weights).format(n=formats.count(weights)),
                             ngettext("{n} training image (support vectors)", "{n} training images (support vectors)",
                                      n_sv).format(n=formats.count(n_sv))],
    })
    st.dataframe(table, hide_index=True, width="content", column_config={
        fit: st.column_config.NumberColumn(format="%.2f"),
        predict: st.column_config.NumberColumn(format="%.2f"),
        size: st.column_config.NumberColumn(format="%.0f")})
    machine = net.meta.get("threads")
    measured = {  # (the network made for the app, the SVM made for the app): where each was timed
        (True, True): N_("The network's times were measured by its worker with TensorFlow ({threads} threads) when "
                         "it was made for the app; the SVM's fit time when it was made for the app."),
        (True, False): N_("The network's times were measured by its worker with TensorFlow ({threads} threads) when "
                          "it was made for the app; the SVM's fit time on this server."),
        (False, True): N_("The network's times were measured by its worker with TensorFlow ({threads} threads) on "
                          "this server; the SVM's fit time when it was made for the app."),
        (False, False): N_("The network's times were measured by its worker with TensorFlow ({threads} threads) on "
                           "this server; the SVM's fit time on this server."),
    }[(bool(net.shipped), bool(svm.precomputed))]
    st.caption(_(measured).format(threads=formats.count(machine) if isinstance(machine, int) else machine) + " "
               + _("The network's file is Keras's `.keras` format; the SVM's is skops."))


def layers() -> None:
    """The network's layers, in words."""
    layer = _("layer")
    st.table(pd.DataFrame(architecture.describe_layers(), columns=[layer, _("what it does")]).set_index(layer))


def first_layer(net: TrainedNetwork, mnist) -> None:
    """The first layer's filters, each above what it finds in one test image (picked here)."""
    left, right = st.columns([1, 4], gap="large")
    index = left.number_input(_("Test image"), min_value=0, max_value=len(mnist.x_test) - 1, value=0,
                              key="neural_filter_image")
    label = mnist.y_test[index]
    left.image(thumbnails.picture(mnist.x_test[index], 112),
               caption=_("Test image #{index}: {label}").format(index=index, label=label),
               width=112, alt=_("Test image {index}: a {label}.").format(index=index, label=label))
    with right:
        filter_grid(net.network, mnist.x_test[index], "image")


def filter_grid(network: Network, image: np.ndarray, on: str) -> None:
    """Each first-layer filter above its response to ``image``, and what a filter does; ``on`` says what the
    image is: "drawing" (the Draw page's) or "image" (a test image)."""
    filters, responses = network.filters, network.first_layer(image)
    peak = responses.max() or 1.0
    about, where = _ON[on]
    st.markdown(_(about))
    with st.container(horizontal=True, gap="small"):
        for k, (weights, response) in enumerate(zip(filters, responses, strict=True)):
            with st.container(gap=None, width=72):
                st.image(_diverging(weights), width=72,
                         alt=_("Filter {k}: 5 × 5 weights, blue adds, red takes away.").format(k=k + 1))
                st.image(thumbnails.picture(np.clip(response / peak * 255, 0, 255).astype(np.uint8), 72),
                         caption=f"{k + 1}", width=72, alt=_(where).format(k=k + 1))
    st.caption(_("A filter is a tiny picture. The layer slides it over the image and adds up pixel × weight at "
                 "every place: the sum is big where the image looks like the filter. Some filters find the "
                 "edge on one side of a stroke, some the stroke itself, some its ends or corners."))


def _diverging(weights: np.ndarray, size: int = 72) -> np.ndarray:
    """A filter as an RGB picture: white at 0, blue for positive weights, red for negative."""
    w = weights / (np.abs(weights).max() or 1.0)
    pos, neg = np.clip(w, 0, 1), np.clip(-w, 0, 1)
    rgb = np.stack([1 - pos * 0.8, 1 - 0.55 * (pos + neg), 1 - neg * 0.8], axis=-1)
    big = np.kron((rgb * 255).astype(np.uint8), np.ones((size // 5, size // 5, 1), dtype=np.uint8))
    return big
