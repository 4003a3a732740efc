"""Inside the model: the training images an SVM keeps (its support vectors), and those behind an answer.

Train shows how many it keeps of each digit, a gallery of them, and how the count changes
with N and C (from models this server already has: nothing is trained for it). Draw and
Evaluate show, for one image, the support vectors that pushed hardest for and against the
answer (``digitlib.svm.support_vectors.reasons``), kept per session for the image on show.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from digitlib.display import charts, magnify, model_links
from digitlib.language import N_, _, formats
from digitlib.mnist import sampling
from digitlib.svm import shipped, support_vectors
from digitlib.svm.model import DigitModel
from digitlib.svm.model_spec import ModelSpec
from ui import resources

GALLERY_SIZE = 30
_WHY = "why_last"  # session key: the last "Why this answer?", for the image on show


def what_they_are(model: DigitModel) -> None:
    """One sentence: what a support vector is, and how many this model keeps."""
    kept, n = int(model.estimator.support_.size), model.n_train
    st.markdown(_("**Support vectors** are the training images the model keeps and compares every new image with; "
                  "the rest it forgets. This model keeps **{kept}** of its {n} training images ({share}).").format(
        kept=formats.count(kept), n=formats.count(n), share=formats.percent(kept / n, 0)))


def kept_per_digit(model: DigitModel) -> None:
    """Bars: of each digit's training images, how many the model keeps and how many it forgets."""
    table, spec = charts.kept_per_digit(support_vectors.per_digit(model), model.train_label_counts)
    st.markdown(_("**:blue[Kept]** and **:gray[forgotten]** training images, per digit"))
    st.vega_lite_chart(table, spec, width="stretch", height=300)


@st.fragment
def gallery(model: DigitModel, spec: ModelSpec, mnist) -> None:
    """A digit picker and that digit's support vectors, the ones the model leans on most first;
    picking a digit reruns only this part of the page."""
    digit = st.segmented_control(_("Show the support vectors of"), list(range(10)), default=0, key="sv_gallery_digit")
    digit = 0 if digit is None else int(digit)
    found = support_vectors.gallery(model, digit, GALLERY_SIZE)
    if not len(found.images):
        st.info(_("There is no {digit} among these training images.").format(digit=digit))
        return
    rows = sampling.choose(mnist.y_train, spec.n, spec.mode, spec.seed).indices[found.support]
    st.image([255 - magnify.enlarge(i, 48) for i in found.images], caption=[f"#{i}" for i in rows], width=48,
             alt=[_("Support vector, training image {index}: a {digit}.").format(index=i, digit=digit) for i in rows])
    kept, shown = int(support_vectors.per_digit(model)[digit]), len(found.images)
    values = dict(shown=formats.count(shown), kept=formats.count(kept), digit=digit,
                  trained=formats.count(int(model.train_label_counts[digit])))
    if shown == kept:
        caption = _("All {kept} images of {digit} it keeps, out of {trained} it trained on; #index is the image's "
                    "place in the training set (see **Explore**). First come those the model relies on most: often "
                    "odd-looking ones, easy to mistake for another digit.")
    else:
        caption = _("{shown} of the {kept} images of {digit} it keeps, out of {trained} it trained on; #index is the "
                    "image's place in the training set (see **Explore**). First come those the model relies on most: "
                    "often odd-looking ones, easy to mistake for another digit.")
    st.caption(caption.format(**values))


def kept_against(spec: ModelSpec, curve: list[ModelSpec]) -> None:
    """How many support vectors models with other N (``curve``) and other C keep, from models already here."""
    registry = resources.registry()
    others = [model_links.spec(spec.n, spec.mode, spec.seed, C, spec.gamma, spec.kernel) for C in model_links.C_VALUES]
    by_c = [s for s in others if s == spec or registry.cached(s) is not None or registry.on_disk(s)]
    left, right = st.columns([3, 2])
    with left:
        st.markdown(_("**Against the number of training images (N)**"))
        _table(spec, curve or [spec], "N")
    with right:
        st.markdown(_("**Against C** (N = {n})").format(n=formats.count(spec.n)))
        _table(spec, by_c, "C")
    st.caption(_("More training images: more are kept, but a smaller share. A smaller C (how hard the model tries "
                 "to fit every training image) lets it keep more. Only models this server already has are listed; "
                 "train others (Sampling and SVM settings) to add rows."))


def why_this_answer(model: DigitModel, image: np.ndarray, digit: int | None = None, what: str = N_("this image"),
                    on_white: bool = False) -> None:
    """The "Why this answer?" block for one uint8 image (28, 28): the support vectors that pushed
    hardest for and against the model's answer (or ``digit``), with what each one added.

    ``what`` names the image in the text ("your drawing"); ``on_white`` shows the support vectors
    with dark ink on white (Evaluate's pictures) instead of white on black (Draw's canvas). ``what`` is
    translated here: pass it marked (or already translated)."""
    what = _(what)
    found = _reasons(model, image, digit)
    d = found.digit
    kept = int(model.estimator.support_.size)
    st.subheader(_("Why this answer?"))
    # TRANSLATORS: {what} names the image: "this test image", "your drawing"
    st.markdown(_("To decide, the model compares {what} with each of the {kept} training images it kept, its "
                  "*support vectors*. Each one pushes toward its own digit: harder the more it looks like {what} "
                  "and the more the model relies on it. The number under each is how hard it pushed.").format(
        what=what, kept=formats.count(kept)))
    st.markdown(_("**Pushed hardest for {digit}**").format(digit=d))
    _row(found.for_digit, "+", on_white)
    st.markdown(_("**Pushed hardest against {digit}**, toward another digit").format(digit=d))
    _row(found.against, "−", on_white)
    st.caption(_("{digit} won {votes} of its {duels} one-on-one duels with the other digits. Many small pushes add "
                 "up: in all, images pushed {pushed_for} toward {digit} and {pushed_against} away from it.").format(
        digit=d, votes=found.votes, duels=len(found.rivals), pushed_for=formats.decimal(found.total_for, 1),
        pushed_against=formats.decimal(-found.total_against, 1)))


# -- internals ----------------------------------------------------------------------------


def _row(images: support_vectors.Images, sign: str, on_white: bool) -> None:
    if not len(images.images):
        st.caption(_("None."))
        return
    st.image([255 - magnify.enlarge(i, 84) if on_white else magnify.enlarge(i, 84) for i in images.images],
             caption=[_("a {digit} · {push}").format(digit=label, push=sign + formats.decimal(abs(v), 2))
                      for label, v in zip(images.labels, images.values, strict=True)],
             width=84, alt=[(_("A training image of a {digit}, pushing for the answer by {push}.") if sign == "+" else
                             _("A training image of a {digit}, pushing against the answer by {push}.")).format(
                                 digit=label, push=formats.decimal(abs(v), 2))
                            for label, v in zip(images.labels, images.values, strict=True)])


def _reasons(model: DigitModel, image: np.ndarray, digit: int | None) -> support_vectors.Reasons:
    """``support_vectors.reasons``, kept per session for the last image and model: Draw's sliders rerun it."""
    image = np.asarray(image)
    key = (hashlib.blake2b(image.tobytes(), digest_size=16).digest(), model.sample_description,
           model.settings, model.n_train, model.fit_seconds, digit)
    last = st.session_state.get(_WHY)
    if last is not None and last[0] == key:
        return last[1]
    found = support_vectors.reasons(model, image, digit=digit)
    st.session_state[_WHY] = (key, found)
    return found


def _table(current: ModelSpec, specs: list[ModelSpec], by: str) -> None:
    specs = sorted({s for s in specs}, key=lambda s: s.n if by == "N" else s.C)
    counts = [_counts(s) for s in specs]
    table = support_vectors.counts_table([s for s, c in zip(specs, counts, strict=True) if c is not None],
                                         [c for c in counts if c is not None])
    here = table[by] == (current.n if by == "N" else current.C)
    table["share"] *= 100
    shown = table[[by, "kept", "share"]].style.apply(
        lambda row: ["background-color: #e7ecff" if here[row.name] else ""] * len(row), axis=1)
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "N": st.column_config.NumberColumn("N", format="localized", help=_("Training images.")),
        "C": st.column_config.NumberColumn("C", format="%g"),
        "kept": st.column_config.NumberColumn(_("support vectors"), format="localized",
                                              help=_("Training images the model keeps.")),
        "share": st.column_config.ProgressColumn(_("share of N kept"), min_value=0.0, max_value=100.0,
                                                 format="%.0f%%"),
    })


def _counts(spec: ModelSpec) -> np.ndarray | None:
    """Support vectors per digit of ``spec``'s model: from memory, else its file (read once per server)."""
    registry = resources.registry()
    model = registry.cached(spec)
    if model is not None:
        return support_vectors.per_digit(model)
    return _stored_counts(registry.mnist.fingerprint, spec, registry)


@st.cache_data(max_entries=256, show_spinner=False)
def _stored_counts(fingerprint: str, spec: ModelSpec, _registry) -> np.ndarray | None:
    if spec in _registry.shipped:  # read from the file, without rebuilding its support vectors
        counts = shipped.support_counts(_registry.mnist, spec.n, spec.mode, spec.seed, _registry.shipped_folder)
        if counts is not None:
            return counts
    model = _registry.get(spec)
    return None if model is None else support_vectors.per_digit(model)

