"""Evaluate's clickable confusion matrix: the chosen square (``?cell=t-p``), its test images beside
the matrix (below it on a phone), and the viewer ("True: t, Prediction: p") that opens on the first."""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from digitlib.display import charts, model_links
from digitlib.language import _, formats, ngettext
from digitlib.scoring.evaluate import Evaluation
from ui import alt_text, keyboard, resources, settings, thumbnails, url_params

PARAM = "cell"
_CHOSEN = "eval_cell"  # session key: the chosen square (true, predicted), or None
_CHART = "eval_cell_chart"
_INDEX = "eval_index"  # the viewer's number input ("True or predicted?")
SHOWN = 40  # images of one square shown at most
_ROWS = 8  # images of one square shown without scrolling (two rows)
LESSON_IMAGE = 6  # the lesson's test image: a 4 the first 100 training images read as a 9
_CLICKS, _SIGHTED = "eval_cell_clicks", "eval_cell_sighted"  # session keys: squares clicked, and brought into sight
# After a click, the square's images are scrolled into sight if they are not (on a phone they are under the
# matrix); the count makes each click's script new, so it runs again.
_INTO_SIGHT = ("<script>setTimeout(() => document.querySelector('.st-key-eval_square')"
               "?.scrollIntoView({block: 'nearest'}), 150); /* click %d */</script>")


def chosen() -> tuple[int, int] | None:
    """The square chosen by a click or the link's ``cell``; None if none."""
    settings.start_value(_CHOSEN, (PARAM,), lambda: url_params.parsed_query_param(PARAM, model_links.read_cell))
    return st.session_state[_CHOSEN]


def param() -> str | None:
    """The chosen square as the URL writes it."""
    cell = st.session_state.get(_CHOSEN)
    return model_links.cell_text(*cell) if cell else None


def chart(result: Evaluation) -> None:
    """The confusion matrix as squares to click, or to reach with Tab and open with Enter; the chosen one outlined."""
    table, spec = charts.confusion(result.confusion, st.session_state.get(_CHOSEN))
    # A new chart for each square chosen: its selection starts empty, so a click on any square
    # (the one just closed too) is a change that reaches the server.
    key = f"{_CHART}_{param() or 'none'}"
    with st.container(key=keyboard.CONTAINER, gap=None):
        st.vega_lite_chart(table, spec, width="stretch", height=440, key=key, on_select=partial(_clicked, key, result),
                           selection_mode=charts.SELECTION)
        keyboard.squares_by_keyboard()  # Tab to the matrix, the arrow keys to a square, Enter to open it


def _clicked(key: str, result: Evaluation) -> None:
    picked = st.session_state[key]["selection"][charts.SELECTION]
    if picked:
        cell = (int(picked[0]["true"]), int(picked[0]["predicted"]))
        st.session_state[_CHOSEN] = cell
        st.session_state[_CLICKS] = st.session_state.get(_CLICKS, 0) + 1
        found = result.cell_indices(*cell)
        if len(found):
            show(int(found[0]))  # the viewer opens on the square's first image


def square(result: Evaluation, x_test: np.ndarray) -> None:
    """The chosen square: its heading, what it holds and its test images, brought into sight after a
    click; a hint when none is chosen."""
    _start_index(result)  # first, so the image on show is marked among the square's
    cell = st.session_state.get(_CHOSEN)
    if not cell:
        st.caption(_("Click a square of the confusion matrix to see its test images here."))
        return
    true, predicted = cell
    count = len(result.cell_indices(true, predicted))
    with st.container(key="eval_square"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(_("##### Square: true {true}, predicted {predicted}").format(true=true, predicted=predicted))
            st.button(_("Close"), icon=":material/close:", type="tertiary", on_click=clear)
        if not count:
            st.markdown(_("No test image of a {true} was read as a {predicted}.").format(true=true,
                                                                                        predicted=predicted))
        else:
            if true == predicted:
                held = ngettext("{count} test image of a {true} that the model read right.",
                                "{count} test images of a {true} that the model read right.", count)
            else:
                held = ngettext("{count} test image of a {true} that the model read as a {predicted}.",
                                "{count} test images of a {true} that the model read as a {predicted}.", count)
            st.markdown(held.format(count=formats.count(count), true=true, predicted=predicted) + " "
                        + _("Click a number to see that image in the viewer."))
            images(result, x_test)
    clicks = st.session_state.get(_CLICKS, 0)
    if clicks != st.session_state.get(_SIGHTED, 0):
        st.session_state[_SIGHTED] = clicks
        st.html(_INTO_SIGHT % clicks, unsafe_allow_javascript=True)


def images(result: Evaluation, x_test: np.ndarray) -> None:
    """The chosen square's test images, each with its index; a click shows one in the viewer.
    More than two rows scroll inside a box, so the viewer stays close."""
    true, predicted = st.session_state[_CHOSEN]
    found = result.cell_indices(true, predicted)
    height = thumbnails.SIZE * 4 + 60 if len(found) > _ROWS else "content"
    with st.container(horizontal=True, key="eval_cell_images", gap="small", height=height):
        for i in found[:SHOWN]:
            with st.container(width=thumbnails.SIZE + 8, gap=None, horizontal_alignment="center"):
                st.image(thumbnails.picture(x_test[i]), width=thumbnails.SIZE,
                         alt=alt_text.digit(true, predicted, _("Test image {index}").format(index=i)))
                st.button(f"#{i}", key=f"eval_cell_image_{i}", on_click=show, args=(int(i),),
                          type="primary" if st.session_state.get(_INDEX) == i else "tertiary",
                          help=_("Show test image {index} in the viewer").format(index=i))
    if len(found) > SHOWN:
        st.caption(_("Showing the first {shown} of {total}.").format(shown=SHOWN, total=formats.count(len(found))))


def viewer(result: Evaluation, x_test: np.ndarray) -> int:
    """"True or predicted?": a test image by its index, titled with its true and predicted digit; the
    index shown. It opens on the chosen square's first image, else on the lesson's image 6."""
    n_test = result.n_test
    _start_index(result)
    st.markdown(_("##### True or predicted?"))
    index = st.number_input(_("Test image index (0 – {last})").format(last=formats.count(n_test - 1)), min_value=0,
                            max_value=n_test - 1, step=1, key=_INDEX)
    true, predicted = int(result.y_true[index]), int(result.y_pred[index])
    st.image(resources.figure("digit", x_test[index], true, predicted),
             caption=_("Test image {index}").format(index=index), width=240,
             alt=alt_text.digit(true, predicted, _("Test image {index}").format(index=index)))
    return index


def _start_index(result: Evaluation) -> None:
    """The viewer's index from the link (``?index=``), else the chosen square's first image, else 6."""
    cell = st.session_state.get(_CHOSEN)
    first = result.cell_indices(*cell) if cell else []
    default = int(first[0]) if len(first) else (LESSON_IMAGE if result.n_test > LESSON_IMAGE else 0)
    settings.start_int(_INDEX, "index", default, 0, result.n_test - 1)


def show(index: int) -> None:
    """Make the viewer show test image ``index``."""
    st.session_state[_INDEX] = index


def clear() -> None:
    """Choose no square."""
    st.session_state[_CHOSEN] = None
