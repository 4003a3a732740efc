"""The Class page's "Guess first": the teacher asks what accuracy N images will get, students guess,
the teacher reveals the answer."""

from __future__ import annotations

import streamlit as st

from digitlib.display import charts
from digitlib.language import _, current, formats, use
from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec
from ui import class_data, class_session, frame, resources


def ask(store, code: str, registry) -> None:
    """The teacher's question: a size among those that come ready-made (the answer is then instant)."""
    askable = [n for n in CURVE_SIZES if ModelSpec(n=n) in registry.shipped] or [100, 500]
    ask_n = st.select_slider(_("Ask the class: what accuracy will N training images get?"),
                             options=askable, value=2000 if 2000 in askable else askable[0],
                             format_func=formats.count)
    # TRANSLATORS: the teacher's button that puts the question to the students.
    if st.button(_("Ask the class"), icon=":material/help:"):
        with frame.friendly_errors():
            store.ask(code, class_session.token(), ask_n)
            class_data.question.clear()


def live(store, code: str, teacher: bool, registry, mnist) -> None:
    """The question, the guesses so far and, once revealed, the answer; refreshing itself."""
    lang = current()

    @st.fragment(run_every=4 if teacher else 10)
    def guessing():
        use(lang)  # a fragment's own rerun does not pass the page's top, where the language is chosen
        with frame.friendly_errors():
            question = class_data.question(code)
            if question is None:
                st.info(_("The teacher has not asked a question yet."))
                return
            st.subheader(_("What accuracy will N = {n} get on the first {test} test images?").format(
                n=formats.count(question.n), test=formats.count(100)))
            if question.answer is None and not teacher:
                mine = st.slider(_("My guess"), 0.0, 1.0, 0.8, step=0.01, key=f"guess-{question.n}")
                if st.button(_("Submit my guess"), icon=":material/send:"):
                    class_session.guess(mine)
                    class_data.question.clear()
                    st.toast(_("Guess submitted."))
                    question = class_data.question(code)
            reveal = _("Reveal the answer")
            if question.answer is None and teacher and st.button(reveal, icon=":material/visibility:"):
                spec = ModelSpec(n=question.n)
                answer = registry.recorded_accuracy(spec) or resources.evaluation(spec, 100, mnist).accuracy
                store.reveal(code, class_session.token(), answer)
                class_data.question.clear()
                question = class_data.question(code)
            g1, g2 = st.columns(2)
            g1.metric(_("Guesses"), formats.count(len(question.guesses)))
            if question.answer is not None:
                g2.metric(_("The answer"), formats.decimal(question.answer, 2))
            if question.guesses:
                table, spec = charts.guesses(question.guesses, question.answer)
                st.vega_lite_chart(table, spec, width="stretch", height=240)

    guessing()
