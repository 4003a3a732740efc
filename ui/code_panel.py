"""The lesson's code beside what a page shows: the "The code" expander and Evaluate's downloads."""

from __future__ import annotations

from functools import partial

import streamlit as st

from digitlib.display import lesson_code
from digitlib.language import _
from digitlib.svm.model_spec import ModelSpec


def the_code(page: str, spec: ModelSpec | None, n_test: int = 100, index: int | None = None,
             split: str = "train") -> None:
    """An expander "The code" with the lesson's Python for ``page`` ("Explore", "Train", "Evaluate")."""
    with st.expander(_("The code"), icon=":material/code:"):
        st.caption(_("The lesson's Python for what this page shows, with its settings filled in."))
        for title, code in lesson_code.cells(spec, n_test, index=index, page=page, split=split):
            st.markdown(f"**{title}**")
            st.code(code, language="python")


def downloads(spec: ModelSpec, n_test: int, index: int | None = None) -> None:
    """Buttons that download this experiment as ``recognition.py`` and as a notebook (placed in the
    caller's container: Evaluate puts them in its toolbar)."""
    st.download_button(_("Download recognition.py"), lesson_code.script(spec, n_test, index),
                       file_name="recognition.py", mime="text/x-python", on_click="ignore",
                       icon=":material/download:",
                       help=_("Repeats this experiment and prints the same accuracy. "
                              "Offline: `python recognition.py --data mnist.npz`."))
    # built only when clicked: the notebook needs nbformat
    st.download_button(_("Download notebook"), partial(lesson_code.notebook, spec, n_test, index),
                       file_name="recognition.ipynb", mime="application/x-ipynb+json", on_click="ignore",
                       icon=":material/download:", help=_("The same steps as a Jupyter notebook."))
