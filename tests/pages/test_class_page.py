"""The Class page (AppTest): start and join a class, the teacher's link and powers, the class's
drawings, the board, guessing, MNIST + our class, and a database that is down."""

import pytest

from digitlib.classroom.store import ClassStore
from tests.support.apptest import labels, metric, page
from tests.support.class_pages import CLASS, drawn, save_some, teacher_page


def tab(at, name):
    return next(t for t in at.tabs if t.label == name)


def test_start_a_new_class_makes_this_session_the_teacher(store):
    at = page(CLASS)
    assert not at.exception and labels(at.button) == ["Start a new class", "Join the class"]
    next(b for b in at.button if b.label == "Start a new class").click().run()
    assert not at.exception
    code = metric(at, "Class code")
    assert store.exists(code) and at.query_params["class"] == code and len(code) == 8
    shown = " ".join(str(e.value) for e in [*at.caption, *at.markdown, *at.info, *at.code])
    assert "digits.sqlite" not in shown and store.where not in shown  # where the data lives is the operator's
    assert any("Keep your teacher link" in i.value for i in at.info)  # said once, plainly
    [students] = [c.value for c in at.code]  # the private link waits behind a toggle: a projector shows this
    at.toggle[0].set_value(True).run()
    assert [c.value for c in at.code][0] == students
    teacher = at.code[1].value
    assert students.endswith(f"?class={code}") and "teacher=" not in students
    token = teacher.split("teacher=")[1]
    assert store.is_teacher(code, token)
    assert "Ask the class" in labels(at.button)


def test_a_student_joins_by_code_and_sees_no_teacher_controls(store, new_class):
    at = page(CLASS)
    at.text_input[0].input(new_class.code.lower())
    next(b for b in at.button if b.label == "Join the class").click().run()
    assert not at.exception and metric(at, "Class code") == new_class.code
    assert not at.code and not at.toggle  # no links, and certainly not the teacher's
    assert "sqlite" not in " ".join(c.value for c in at.caption).lower()  # where the data lives is the operator's
    for teacher_only in ("Ask the class", "Clear the class set", "Delete this drawing", "Add to our class set"):
        assert teacher_only not in labels(at.button)


@pytest.mark.parametrize("typed, problem", [("ABCDE0", "not a class code"), ("ZZZZZZZZ", "No class has the code"),
                                            ("<b>x</b>", "not a class code")])
def test_a_wrong_code_explains_and_stays_out(typed, problem):
    at = page(CLASS)
    at.text_input[0].input(typed)
    next(b for b in at.button if b.label == "Join the class").click().run()
    assert not at.exception and problem in at.error[0].value and "<b>" not in at.error[0].value
    assert not [m for m in at.metric if m.label == "Class code"]


def test_the_teacher_link_gives_the_controls_and_leaves_the_address_bar(new_class):
    at = teacher_page(new_class)
    assert not at.exception and "teacher" not in at.query_params
    assert at.query_params["class"] == new_class.code
    assert "Ask the class" in labels(at.button)
    assert all(new_class.token not in m.value for m in at.markdown)


def test_a_wrong_or_foreign_token_is_a_student(store, new_class):
    other = store.create_class()
    for token in ("x" * 32, other.token, ""):
        at = page(CLASS, **{"class": new_class.code, "teacher": token}).run()
        assert not at.exception and "Ask the class" not in labels(at.button)
        assert any("no longer works" in w.value for w in at.warning)


def test_the_code_stays_in_the_url_on_every_page(new_class):
    at = page("pages/2_Train.py", **{"class": new_class.code})
    for path in ("pages/1_Explore.py", "pages/3_Evaluate.py", "pages/4_Draw.py", CLASS, "app.py"):
        at.query_params.clear()  # moving between pages clears the parameters…
        at.switch_page(path).run()
        assert not at.exception
        assert at.query_params["class"] == new_class.code, path  # …and the page puts the code back
        links = at.sidebar.get("page_link")
        assert all(f"class={new_class.code}" in link.proto.query_string for link in links)


def test_drawings_saved_show_their_count_accuracy_and_confusion(store, new_class):
    save_some(store, new_class.code)
    at = page(CLASS, **{"class": new_class.code})
    assert not at.exception
    assert metric(at, "Drawings saved") == "30" and metric(at, "Students who saved") == "3"
    ours = float(metric(at, "Accuracy on our drawings"))
    assert 0.0 <= ours <= 1.0 and float(metric(at, "Accuracy on MNIST test images")) > 0.9
    handwriting = tab(at, "Our handwriting")
    assert len(handwriting.get("vega_lite_chart")) == 2  # counts per digit, and the confusion matrix
    assert handwriting.get("image")  # the gallery of our drawings


def test_teacher_deletes_a_drawing_and_clears_behind_a_confirmation(store, new_class):
    save_some(store, new_class.code, drawers=1, per_drawer=4)
    at = teacher_page(new_class)
    next(b for b in at.button if b.label == "Delete this drawing").click().run()
    assert not at.exception and store.count(new_class.code) == 3
    clear = next(b for b in at.button if b.label == "Clear the class set")
    assert clear.disabled
    next(c for c in at.checkbox if c.label.startswith("Yes, delete all")).check().run()
    next(b for b in at.button if b.label == "Clear the class set").click().run()
    assert not at.exception and store.count(new_class.code) == 0


def test_a_model_goes_on_the_board_when_its_student_posts_it(store, new_class):
    at = page("pages/2_Train.py", **{"class": new_class.code, "n": "100"})
    assert not at.exception and metric(at, "Accuracy on the first 100 test images") == "0.68"
    assert store.experiments(new_class.code) == []  # opening Train posts nothing
    next(b for b in at.button if b.label == "Post to the class board").click().run()
    assert not at.exception and any(c.value.startswith("This model is on class") for c in at.caption)
    assert "Post to the class board" not in labels(at.button)
    at.run()  # opening it again posts nothing more
    [experiment] = store.experiments(new_class.code)
    assert (experiment.n, experiment.accuracy_100) == (100, 0.68)
    assert 0.6 < experiment.accuracy_10000 < 0.8
    at.switch_page(CLASS).run()
    board = tab(at, "Board")
    assert (not at.exception and board.get("vega_lite_chart") and board.dataframe
            and board.dataframe[0].value["N"].tolist() == [100])


def test_guess_first_asks_collects_and_reveals(store, new_class):
    teacher = teacher_page(new_class)
    teacher.select_slider[-1].set_value(100).run()
    next(b for b in teacher.button if b.label == "Ask the class").click().run()
    student = page(CLASS, **{"class": new_class.code})
    student.slider[0].set_value(0.75).run()
    next(b for b in student.button if b.label == "Submit my guess").click().run()
    assert not student.exception and store.question(new_class.code).guesses == [0.75]
    teacher.run()
    next(b for b in teacher.button if b.label == "Reveal the answer").click().run()
    assert not teacher.exception and metric(teacher, "The answer") == "0.68"
    assert store.question(new_class.code).answer == 0.68


def test_mnist_plus_our_class_shows_both_models(store, new_class):
    save_some(store, new_class.code, drawers=4, per_drawer=10)
    at = page(CLASS, **{"class": new_class.code})
    next(b for b in at.button if b.label == "Train MNIST + our class").click().run()
    assert not at.exception
    only, both = float(metric(at, "MNIST only")), float(metric(at, "MNIST + our class"))
    assert 0 <= only <= 1 and 0 <= both <= 1


def test_a_database_that_is_down_is_explained_and_the_app_goes_on(monkeypatch):
    monkeypatch.setenv("DIGITS_DATABASE_URL", "postgresql+psycopg://digits:secret-pw@127.0.0.1:9/digits")
    at = page(CLASS)
    assert not at.exception and at.error and "secret-pw" not in at.error[0].value
    draw = page("pages/4_Draw.py", **{"class": "K7QX3M9P"})
    assert not draw.exception


def test_a_nickname_stays_for_every_model_the_session_trains(store, new_class):
    at = page(CLASS, **{"class": new_class.code})
    next(t for t in at.text_input if t.label.startswith("My nickname")).input("Ada").run()
    for n in ("100", "200"):
        at.switch_page("pages/2_Train.py")
        at.query_params["n"] = n
        at.run()
        next(b for b in at.button if b.label == "Post to the class board").click().run()
        assert not at.exception
    assert [e.nickname for e in store.experiments(new_class.code)] == ["Ada", "Ada"]


def test_the_teacher_clears_the_board_behind_a_confirmation(store, new_class):
    store.record_experiment(new_class.code, "d1", n=100, mode="first", seed=0, C=1.0, gamma="scale", kernel="rbf",
                            accuracy_100=0.68, accuracy_10000=0.66, fit_seconds=0.1)
    at = teacher_page(new_class)
    assert next(b for b in at.button if b.label == "Clear the board").disabled
    next(c for c in at.checkbox if c.label.startswith("Yes, remove every experiment")).check().run()
    next(b for b in at.button if b.label == "Clear the board").click().run()
    assert not at.exception and store.experiments(new_class.code) == []


def test_questions_offer_only_sizes_that_come_ready_made(new_class):
    at = teacher_page(new_class)
    asked = next(s for s in at.select_slider if s.label.startswith("Ask the class"))
    assert "7,500" not in asked.options and "30,000" not in asked.options and "60,000" in asked.options


def test_a_database_failure_while_reading_is_a_message(monkeypatch, new_class):
    from digitlib.errors import StorageUnavailableError

    def down(self, code):
        raise StorageUnavailableError("The class database is busy; try again in a moment.")

    monkeypatch.setattr(ClassStore, "revision", down)
    at = page(CLASS, **{"class": new_class.code})
    assert not at.exception and "busy" in at.error[0].value


def test_comparing_again_after_the_class_set_changes(store, new_class):
    save_some(store, new_class.code, drawers=3, per_drawer=5)
    at = page(CLASS, **{"class": new_class.code})
    next(b for b in at.button if b.label == "Train MNIST + our class").click().run()
    assert [m for m in at.metric if m.label == "MNIST only"]
    store.save_drawing(new_class.code, "drawer-9", 3, drawn(3, 999))
    at.run()
    assert not [m for m in at.metric if m.label == "MNIST only"]
    assert any("changed since" in i.value for i in at.info)


def test_misread_drawings_are_shown_with_what_was_meant_and_read(store, new_class):
    save_some(store, new_class.code, drawers=1, per_drawer=5)
    store.save_drawing(new_class.code, "drawer-x", 8, drawn(3, 77))  # a 3, saved as "8"
    at = page(CLASS, **{"class": new_class.code})
    assert not at.exception
    assert "**Drawings the model misread: 1**" in [m.value for m in at.markdown]
    [caption] = [c for image in at.image for c in image.captions if c and "→" in c]
    assert caption.endswith(": 8→3")


def curve_caption(at):
    return next(c.value for c in at.caption if "trained with these settings" in c.value or "each size you" in c.value)


def test_the_learning_curve_grows_with_what_the_session_trains():
    at = page("pages/2_Train.py", n="100")
    assert "each size you train adds a point" in curve_caption(at)  # one point: nothing ahead is given away
    at.query_params["n"] = "500"
    at.run()
    assert "Every size you trained" in curve_caption(at)


def test_the_learning_curve_hides_while_the_question_is_open(store, new_class):
    store.ask(new_class.code, new_class.token, 2000)
    at = page("pages/2_Train.py", **{"class": new_class.code, "n": "100"})
    assert not at.exception and any("hidden while your teacher's question is open" in i.value for i in at.info)
    store.reveal(new_class.code, new_class.token, 0.9)
    from ui import class_data

    class_data.question.clear()
    at.run()
    assert not any("hidden while" in i.value for i in at.info) and curve_caption(at)


def test_the_learning_curve_holds_the_class_boards_models(store, new_class):
    store.record_experiment(new_class.code, "someone", n=2000, mode="first", seed=0, C=1.0, gamma="scale",
                            kernel="rbf", accuracy_100=0.96, accuracy_10000=None, fit_seconds=1.0)
    at = page("pages/2_Train.py", **{"class": new_class.code, "n": "100"})
    assert "Every size you and your class trained" in curve_caption(at)
