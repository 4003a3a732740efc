"""Evaluate's clickable confusion matrix: the chosen square (``?cell=t-p``) and its test images."""

from __future__ import annotations

from functools import partial

import streamlit as st

from digitlib import charts, links
from digitlib.evaluate import Evaluation
from ui import frame, settings, thumbnails

PARAM = "cell"
_CHOSEN = "eval_cell"  # session key: the chosen square (true, predicted), or None
_CHART = "eval_cell_chart"
_INDEX = "eval_index"  # the viewer's number input ("True or predicted?")
SHOWN = 40  # images of one square shown at most


def chosen() -> tuple[int, int] | None:
    """The square chosen by a click or the link's ``cell``; None if none."""
    settings.start_value(_CHOSEN, (PARAM,), lambda: frame.parsed_query_param(PARAM, links.read_cell))
    return st.session_state[_CHOSEN]


def param() -> str | None:
    """The chosen square as the URL writes it."""
    cell = st.session_state.get(_CHOSEN)
    return links.cell_text(*cell) if cell else None


def chart(result: Evaluation) -> None:
    """The confusion matrix as squares to click; the chosen one outlined."""
    table, spec = charts.confusion(result.confusion, st.session_state.get(_CHOSEN))
    # A new chart for each square chosen: its selection starts empty, so a click on any square
    # (the one just closed too) is a change that reaches the server.
    key = f"{_CHART}_{param() or 'none'}"
    st.vega_lite_chart(table, spec, width="stretch", height=400, key=key, on_select=partial(_clicked, key),
                       selection_mode=charts.SELECTION)


def _clicked(key: str) -> None:
    picked = st.session_state[key]["selection"][charts.SELECTION]
    if picked:
        st.session_state[_CHOSEN] = (int(picked[0]["true"]), int(picked[0]["predicted"]))


def images(result: Evaluation, x_test) -> None:
    """The chosen square's test images, each with its index; a click shows one in the viewer."""
    true, predicted = st.session_state[_CHOSEN]
    found = result.cell_indices(true, predicted)
    with st.container(horizontal=True, key="eval_cell_images", gap="small"):
        for i in found[:SHOWN]:
            with st.container(width=thumbnails.SIZE + 8, gap=None, horizontal_alignment="center"):
                st.image(thumbnails.picture(x_test[i]), width=thumbnails.SIZE)
                st.button(f"#{i}", key=f"eval_cell_image_{i}", on_click=show, args=(int(i),),
                          type="primary" if st.session_state.get(_INDEX) == i else "tertiary",
                          help=f"Show test image {i} in the viewer")
    if len(found) > SHOWN:
        st.caption(f"Showing the first {SHOWN} of {len(found):,}.")


def show(index: int) -> None:
    """Make the viewer show test image ``index``."""
    st.session_state[_INDEX] = index


def clear() -> None:
    """Choose no square."""
    st.session_state[_CHOSEN] = None
