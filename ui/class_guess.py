"""The Class page's "Guess first": the teacher asks what accuracy N images will get, students guess,
the teacher reveals the answer."""

from __future__ import annotations

import streamlit as st

from digitlib.display import charts
from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec
from ui import class_data, class_session, frame, resources


def ask(store, code: str, registry) -> None:
    """The teacher's question: a size among those that come ready-made (the answer is then instant)."""
    askable = [n for n in CURVE_SIZES if ModelSpec(n=n) in registry.shipped] or [100, 500]
    ask_n = st.select_slider("Ask the class: what accuracy will N training images get?",
                             options=askable, value=2000 if 2000 in askable else askable[0],
                             format_func=lambda v: f"{v:,}")
    if st.button("Ask the class", icon=":material/help:"):
        with frame.friendly_errors():
            store.ask(code, class_session.token(), ask_n)
            class_data.question.clear()


def live(store, code: str, teacher: bool, registry, mnist) -> None:
    """The question, the guesses so far and, once revealed, the answer; refreshing itself."""

    @st.fragment(run_every=4 if teacher else 10)
    def guessing():
        with frame.friendly_errors():
            question = class_data.question(code)
            if question is None:
                st.info("The teacher has not asked a question yet.")
                return
            st.subheader(f"What accuracy will N = {question.n:,} get on the first 100 test images?")
            if question.answer is None and not teacher:
                mine = st.slider("My guess", 0.0, 1.0, 0.8, step=0.01, key=f"guess-{question.n}")
                if st.button("Submit my guess", icon=":material/send:"):
                    class_session.guess(mine)
                    class_data.question.clear()
                    st.toast("Guess submitted.")
                    question = class_data.question(code)
            if question.answer is None and teacher and st.button("Reveal the answer", icon=":material/visibility:"):
                spec = ModelSpec(n=question.n)
                answer = registry.recorded_accuracy(spec) or resources.evaluation(spec, 100, mnist).accuracy
                store.reveal(code, class_session.token(), answer)
                class_data.question.clear()
                question = class_data.question(code)
            g1, g2 = st.columns(2)
            g1.metric("Guesses", len(question.guesses))
            if question.answer is not None:
                g2.metric("The answer", f"{question.answer:.2f}")
            if question.guesses:
                table, spec = charts.guesses(question.guesses, question.answer)
                st.vega_lite_chart(table, spec, width="stretch", height=240)

    guessing()
