"""The teacher's controls on the Class page (AppTest): delete the class behind a second button, close
joining and pause saving, replace the link, remove one student's drawings or one board row or
nickname; and what students' pages say when the class is gone."""


from digitlib.language import formats
from tests.support.apptest import labels, page
from tests.support.class_pages import CLASS, drawn, save_some, teacher_page


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def toggle(at, label, value):
    next(t for t in at.toggle if t.label == label).set_value(value).run()
    assert not at.exception
    return at


def test_deleting_the_class_asks_twice_then_removes_everything(store, new_class):
    save_some(store, new_class.code, drawers=2, per_drawer=3)
    student = page(CLASS, **{"class": new_class.code})
    assert not student.exception
    at = teacher_page(new_class)
    press(at, "Delete this class")
    assert store.exists(new_class.code)  # the first button only asks
    assert "Delete the class and all its drawings" in labels(at.button)
    press(at, "Delete the class and all its drawings")
    assert not store.exists(new_class.code)
    assert any(f"Class {new_class.code} and all its drawings were deleted" in s.value for s in at.success)
    assert "class" not in at.query_params and labels(at.button)[:1] == ["Start a new class"]

    student.switch_page("pages/4_Draw.py").run()  # the student's next page says so, and leaves the class
    assert not student.exception
    assert any("no longer exists" in w.value for w in student.warning)
    assert "class" not in student.query_params


def test_keep_the_class_cancels_the_deletion(store, new_class):
    at = teacher_page(new_class)
    press(press(at, "Delete this class"), "Keep the class")
    assert store.exists(new_class.code) and "Delete the class and all its drawings" not in labels(at.button)


def test_closing_the_class_to_new_students(store, new_class):
    inside = page(CLASS, **{"class": new_class.code})  # joined before
    at = toggle(teacher_page(new_class), "New students can join", False)
    assert not store.status(new_class.code).joining_open
    late = page(CLASS)
    late.text_input[0].input(new_class.code)
    press(late, "Join the class")
    assert any("closed" in e.value for e in late.error) and not [m for m in late.metric if m.label == "Class code"]
    by_link = page("pages/2_Train.py", **{"class": new_class.code, "n": "100"})
    assert "class" not in by_link.query_params and any("closed" in w.value for w in by_link.warning)
    inside.run()
    assert not inside.exception and [m for m in inside.metric if m.label == "Class code"]
    toggle(at, "New students can join", True)
    assert store.status(new_class.code).joining_open


def test_pausing_saves_refuses_guesses_with_a_sentence(store, new_class):
    at = teacher_page(new_class)
    at.select_slider[-1].set_value(100).run()
    press(at, "Ask the class")
    toggle(at, "Students can save drawings and guesses", False)
    student = page(CLASS, **{"class": new_class.code})
    assert any("paused" in i.value for i in student.info)
    press(student, "Submit my guess")
    assert any("paused" in e.value.lower() for e in student.error)
    assert store.question(new_class.code).guesses == []


def test_replacing_the_link_stops_the_old_one(store, new_class):
    at = press(teacher_page(new_class), "Replace the teacher link")
    assert any("The old teacher link no longer works" in s.value for s in at.success)
    assert not store.is_teacher(new_class.code, new_class.token)
    assert "Ask the class" in labels(at.button)  # this session and browser keep the teacher's view
    at.toggle[0].set_value(True).run()
    new_token = at.code[1].value.split("teacher=")[1]
    assert new_token != new_class.token and store.is_teacher(new_class.code, new_token)
    again = page(CLASS, **{"class": new_class.code, "teacher": new_class.token}).run()
    assert "Ask the class" not in labels(again.button) and any("no longer works" in w.value for w in again.warning)


def test_the_teacher_removes_one_students_drawings(store, new_class):
    save_some(store, new_class.code, drawers=2, per_drawer=3)
    at = teacher_page(new_class)
    chooser = next(s for s in at.selectbox if s.label == "A student's drawings")
    assert chooser.options == ["student 1 (3 drawings)", "student 2 (3 drawings)"]
    chooser.set_value("drawer-1").run()
    press(at, "Delete this student's drawings")
    assert sorted(set(store.drawings(new_class.code).drawers)) == ["drawer-0"]


def test_the_teacher_removes_a_board_row_and_a_nickname(store, new_class):
    common = dict(mode="first", seed=0, C=1.0, gamma="scale", kernel="rbf", accuracy_10000=0.6, fit_seconds=0.1)
    first = store.record_experiment(new_class.code, "d1", n=100, accuracy_100=0.68, nickname="Rude name", **common)
    second = store.record_experiment(new_class.code, "d2", n=500, accuracy_100=0.88, **common)
    at = teacher_page(new_class)
    row = next(s for s in at.selectbox if s.label == "A row of the board")
    row.set_value(first).run()
    press(at, "Remove its nickname")
    assert [e.nickname for e in store.experiments(new_class.code)] == [None, None]
    row = next(s for s in at.selectbox if s.label == "A row of the board")
    row.set_value(second).run()
    press(at, "Remove this row")
    assert [e.id for e in store.experiments(new_class.code)] == [first]


def test_a_student_never_sees_the_teachers_controls(store, new_class):
    save_some(store, new_class.code, drawers=1, per_drawer=2)
    at = page(CLASS, **{"class": new_class.code})
    for teacher_only in ("Delete this class", "Replace the teacher link", "Delete this student's drawings",
                         "Remove this row"):
        assert teacher_only not in labels(at.button)
    assert not [t for t in at.toggle if t.label == "New students can join"]


def test_a_nickname_with_markup_is_refused_and_shown_as_text(store, new_class):
    at = page(CLASS, **{"class": new_class.code})
    box = next(t for t in at.text_input if t.label.startswith("My nickname"))
    box.input("[x](http://e.io)").run()
    assert any("nickname" in w.value.lower() for w in at.warning)
    at.switch_page("pages/2_Train.py")
    at.query_params["n"] = "100"
    at.run()
    next(b for b in at.button if b.label == "Post to the class board").click().run()
    [experiment] = store.experiments(new_class.code)
    assert experiment.nickname is None


def test_the_expiry_date_is_shown_to_the_teacher(store, new_class):
    at = teacher_page(new_class)
    status = store.status(new_class.code)
    assert any(formats.date(status.expires_at) in c.value for c in at.caption)  # Dec 5, 2026, as English writes it


def test_drawings_saved_in_a_class_keep_no_canvas_picture(store, new_class):
    store.save_drawing(new_class.code, "drawer-1", 3, drawn(3, 1))
    assert not hasattr(store, "canvas_png")


def test_the_projector_view_shows_only_the_board_and_the_question(store, new_class):
    common = dict(mode="first", seed=0, C=1.0, gamma="scale", kernel="rbf", accuracy_10000=None, fit_seconds=0.1)
    store.record_experiment(new_class.code, "d1", n=100, accuracy_100=0.68, **common)
    store.ask(new_class.code, new_class.token, 2000)
    at = press(teacher_page(new_class), "Projector view")
    assert any(m.value == f"# Class {new_class.code}: our models" for m in at.markdown)
    assert at.get("vega_lite_chart") and not at.dataframe  # the board's chart, big; no table
    assert any("What accuracy will N = 2,000 get" in h.value for h in at.subheader)
    assert labels(at.button) == ["Leave the projector view", "Reveal the answer"]
    assert not at.tabs and not at.text_input and not at.expander
    press(at, "Leave the projector view")
    assert [t.label for t in at.tabs] == ["Our handwriting", "MNIST + our class", "Board", "Guess first"]


def test_students_have_no_projector_view(store, new_class):
    at = page(CLASS, **{"class": new_class.code})
    assert "Projector view" not in labels(at.button)


def test_the_teacher_relabels_and_removes_drawings_from_the_gallery(store, new_class):
    save_some(store, new_class.code, drawers=1, per_drawer=3)
    ids = store.drawings(new_class.code).ids.tolist()
    at = teacher_page(new_class)
    gallery = next(d for d in at.dataframe if "drawing" in d.value.columns)
    assert gallery.value["#"].tolist() == ids[::-1]  # newest first
    state = {"selection": {"rows": [0, 2], "columns": [], "cells": []}}
    at.session_state[f"gallery-{len(ids)}"] = state
    at.run()
    next(s for s in at.button_group if s.label.startswith("The digit 2 chosen")).set_value(5).run()
    press(at, "Give them this digit")
    assert store.drawings(new_class.code).labels.tolist() == [5, 1, 5]
    at.session_state[f"gallery-{len(ids)}"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    press(at, "Remove the chosen drawings")
    assert store.drawings(new_class.code).ids.tolist() == [ids[0], ids[2]]


def test_a_comparison_on_a_few_drawings_says_so_and_shows_no_arrow(store, new_class):
    save_some(store, new_class.code, drawers=2, per_drawer=6)
    at = page(CLASS, **{"class": new_class.code})
    press(at, "Train MNIST + our class")
    both = next(m for m in at.metric if m.label == "MNIST + our class")
    assert not both.delta
    assert any("can be luck" in w.value for w in at.warning)
