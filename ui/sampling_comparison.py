"""Train's "Sampling matters": the first N, a balanced N and a random N side by side, trained only when asked."""

from __future__ import annotations

import streamlit as st

from digitlib.language import _, formats
from digitlib.scoring import evaluate, sampling_curves
from ui import frame, resources


def section(mnist) -> None:
    """The button, then the three learning curves, the samples' digit counts, why they differ and the table."""
    st.subheader(_("Sampling matters"))
    st.markdown(_("Does it matter *which* N images the model learns from? Compare the first N in the file, a "
                  "**balanced** N (the same number of each digit) and a **random** N, for N from {low} to {high}, "
                  "with the lesson's settings.").format(low=formats.count(100), high=formats.count(2000)))
    if not st.session_state.get("sampling_shown"):  # trains nothing until asked
        st.button(_("Compare sampling"), icon=":material/compare_arrows:", key="compare_sampling",
                  on_click=lambda: st.session_state.update(sampling_shown=True))
        return
    with (frame.friendly_errors(stop=True),
          st.spinner(_("Training the models to compare (a second or two, once for everyone)…"))):
        compared = sampling_curves.compare_samplings(
            mnist.y_train, lambda s: resources.evaluation(s, evaluate.LESSON_TEST_SIZE, mnist))
    left, right = st.columns(2)
    left.image(resources.figure("sampling_curves", compared.sizes, compared.accuracies(), evaluate.LESSON_TEST_SIZE),
               alt=_("Line chart: accuracy against training images for the first N, a balanced N and a random N; "
                     "the table below gives each value."))
    title = _("Digits in each sample of {n} training images").format(n=formats.count(compared.sizes[0]))
    right.image(resources.figure("sample_counts", compared.counts, title),
                alt=_("Bar chart, {title}: the first, balanced and random samples side by side per digit.").format(
                    title=title))
    st.markdown(compared.why())
    accuracy = st.column_config.NumberColumn(format="%.2f")
    st.dataframe(compared.table(), hide_index=True, width="content",
                 column_config={"N": st.column_config.NumberColumn(format="localized")}
                 | dict.fromkeys(compared.accuracies(), accuracy))
