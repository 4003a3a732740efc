"""Train's learning curve: the sizes this session, or its class, has trained, never the answers ahead.

The curve grows as the lesson goes ("watch accuracy climb"): it holds the sizes this browser
session opened on Train and, in a class, the models its students posted to the board, with the
same settings as the model shown. While the teacher's "Guess first" question is open, the curve
hides, since it would give the answer away.
"""

from __future__ import annotations

import streamlit as st

from digitlib.display import model_links
from digitlib.language import _, formats
from digitlib.scoring import evaluate
from ui import alt_text, class_data, class_session, resources

_SEEN = "curve_specs"


def seen(spec) -> None:
    """Remember that this session opened ``spec`` on Train."""
    st.session_state.setdefault(_SEEN, set()).add(spec)


def _class_points(spec) -> dict[int, float]:
    """The class board's accuracies (first 100 test images) with ``spec``'s settings, by size."""
    points = {}
    for row in class_data.experiments(class_session.code()):
        gamma = row.gamma if row.gamma in ("scale", "auto") else float(row.gamma)
        other = model_links.spec(row.n, row.mode, row.seed, row.C, gamma, row.kernel)
        if other.family() == spec.family():
            points[other.n] = row.accuracy_100
    return points


def show(spec, registry, mnist) -> None:
    """The curve of accuracy against N for ``spec``'s settings, with a caption; or why it is hidden."""
    question = None
    if class_session.code():
        try:
            question = class_data.question(class_session.code())
        except Exception:  # the database is down: the curve does not need it
            question = None
    if question is not None and question.answer is None:
        st.info(_("The learning curve is hidden while your teacher's question is open: what accuracy will "
                  "N = {n} get? Guess first on **Our class**.").format(n=formats.count(question.n)),
                icon=":material/visibility_off:")
        return
    points = _class_points(spec) if class_session.code() else {}
    for other in st.session_state.get(_SEEN, ()):
        if other.family() == spec.family() and other.n not in points:
            points[other.n] = (registry.recorded_accuracy(other)
                               or resources.evaluation(other, evaluate.LESSON_TEST_SIZE, mnist).accuracy)
    sizes = sorted(points)
    accuracies = [points[n] for n in sizes]
    st.image(resources.figure("learning_curve", sizes, accuracies, evaluate.LESSON_TEST_SIZE),
             alt=alt_text.learning_curve(sizes, accuracies))
    if len(sizes) <= 1:
        st.caption(_("Move the slider to another N: each size you train adds a point here."))
    elif class_session.code():
        st.caption(_("Every size you and your class trained with these settings. Move the slider to add another."))
    else:
        st.caption(_("Every size you trained with these settings. Move the slider to add another."))
