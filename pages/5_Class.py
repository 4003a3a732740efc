"""Our class: a class code, the class's own handwriting, and a board of its experiments."""

import hashlib

import streamlit as st

from digitlib import charts, preprocess
from digitlib.classroom import board, transfer
from digitlib.registry import CURVE_SIZES, ModelSpec
from ui import class_admin, class_data, classroom, frame, resources, thumbnails

frame.page("Our class", ":material/groups:")
mnist = resources.current_data()

st.title("Our class")
store = classroom.open_store()
if flash := st.session_state.pop(class_admin.FLASH, None):
    st.success(flash, icon=":material/check:")

if not classroom.code():
    st.markdown(
        "MNIST was written by American census staff and students. Does a model trained on it read "
        "**your class's** handwriting? Start a class, save drawings from the **Draw** page, and find out — "
        "then train on MNIST plus your own drawings and see whether it helps."
    )
    teacher_side, student_side = st.columns(2)
    with teacher_side.container(border=True):
        st.subheader("I am the teacher")
        st.caption("You get a short code for the class and a private link that holds your controls.")
        if st.button("Start a new class", type="primary", icon=":material/add:"):
            with frame.friendly_errors():
                classroom.start_class()
                st.rerun()
    with student_side.container(border=True), st.form("join", border=False):
        st.subheader("I am a student")
        typed = st.text_input("Class code", max_chars=12, placeholder="for example K7QX3M9P",
                              value=st.session_state.get("join_prefill", ""))
        if st.form_submit_button("Join the class", icon=":material/login:"):
            with frame.friendly_errors():
                classroom.join(typed)
                st.rerun()
    st.stop()

code = classroom.code()
teacher = classroom.is_teacher()
if teacher:
    # Bigger numbers for a projector at the back of the room.
    st.html("<style>[data-testid='stMetricValue']{font-size:3.4rem;line-height:1.1}</style>")

with frame.friendly_errors(stop=True):
    drawings, version = class_data.class_set(code)

students = sorted(set(drawings.drawers) - {"import"})
top = st.columns(3)
top[0].metric("Class code", code, help="Students join with this code, or with the students' link.")
top[1].metric("Drawings saved", f"{len(drawings):,}")
top[2].metric("Students who saved", f"{len(students):,}", help="Browsers that saved drawings; no names are kept.")

if teacher:
    students_link, teacher_link = classroom.links()
    if not st.session_state.get("keep_link_told", True):
        st.session_state["keep_link_told"] = True
        st.info("**Keep your teacher link** (under “Links to share”) somewhere only you can see it, such as your "
                "e-mail. This browser remembers that you are the teacher; on another computer, the link gives you "
                "your controls back.", icon=":material/key:")
    with st.expander("Links to share", icon=":material/link:"):
        st.markdown("**For students** — put it on the board, or read the code out:")
        st.code(students_link, language=None)
        # Off by default: this page is often on a projector.
        if st.toggle("Show my private teacher link"):
            st.markdown("**For you only** — it opens the teacher's controls on any browser. It never stays in the "
                        "address bar or the browser's history, so the class never sees it.")
            st.code(teacher_link, language=None)
    if store.durability_note:
        st.caption(store.durability_note)
    class_admin.this_class(store, code)
else:
    left, right = st.columns([4, 1])
    left.caption(f"You are in class **{code}** as a student. Save drawings on the **Draw** page; "
                 "models you train appear on the board.")
    if right.button("Leave this class", icon=":material/logout:"):
        classroom.leave()
        st.rerun()
    with frame.friendly_errors():
        if not classroom.status(code).saving_open:
            st.info("Your teacher has paused saving: drawings and guesses wait until it opens again.",
                    icon=":material/pause_circle:")

handwriting, mixed_tab, board_tab, guess_tab = st.tabs(
    ["Our handwriting", "MNIST + our class", "Board", "Guess first"])

with handwriting:
    if not len(drawings):
        st.info("No drawings yet. Open **Draw**, draw a digit, check “The digit I drew” and press "
                "“Save to our class set”.", icon=":material/draw:")
        st.page_link("pages/4_Draw.py", label="Draw a digit", icon=":material/draw:",
                     query_params=classroom.link_params())
    else:
        table, spec = charts.digit_counts(drawings.counts())
        st.vega_lite_chart(table, spec, width="stretch", height=200)
        with frame.friendly_errors():
            spec = resources.session_spec()
            with st.spinner("Getting the model ready…"):
                model = resources.model(spec, mnist) if spec else resources.draw_model(mnist)
            spec = spec or ModelSpec(n=model.n_train)
            ours = class_data.evaluation(model, mnist, drawings, version)
            n_test = min(1000, len(mnist.y_test))
            theirs = resources.evaluation(spec, n_test, mnist)
            m1, m2 = st.columns(2)
            m1.metric("Accuracy on our drawings", f"{ours.accuracy:.2f}",
                      help=f"Of our {len(drawings):,} drawings, the share the model reads as the digit we meant.")
            m2.metric("Accuracy on MNIST test images", f"{theirs.accuracy:.2f}",
                      help=f"The same model on the first {n_test:,} MNIST test images.")
            st.caption(f"Model: SVC on the {model.sample_description} (your model from Train, or else the Draw page's).")

            # Drawn in the browser: every save changes the class set, and a PNG per change would
            # cost the server ~0.5 s per figure per student under a whole class (bench/classroom.py).
            left, right = st.columns(2)
            with left:
                st.markdown("**Our drawings: the digit meant (down) against the model's reading (across)**")
                table, chart = charts.confusion(ours.confusion)
                st.vega_lite_chart(table, chart, width="stretch", height=340)
            with right:
                wrong = ours.misclassified
                if len(wrong):
                    st.markdown(f"**Drawings the model misread: {len(wrong):,}**")
                    thumbnails.row(drawings.images[wrong[:30]],
                                   [f"#{drawings.ids[i]}: {drawings.labels[i]}→{ours.y_pred[i]}" for i in wrong[:30]])
                    st.caption("Each caption reads #drawing: what we meant → what the model read."
                               + (" Showing the first 30." if len(wrong) > 30 else ""))
                else:
                    st.success("The model reads every one of our drawings right.")

        st.subheader("Our drawings")
        newest = list(range(len(drawings)))[::-1][:60]
        st.image([preprocess.enlarge(drawings.images[i], 56) for i in newest],
                 caption=[f"#{drawings.ids[i]}: {drawings.labels[i]}" for i in newest], width=56)
        st.caption("The newest 60, as the model sees them (28 × 28). Each caption reads #drawing: digit.")

    with st.expander("Keep or bring a class set", icon=":material/download:"):
        d1, d2 = st.columns(2)
        # The files are built only when a button is pressed, and pressing one does not rerun the page.
        d1.download_button("Download our drawings (.npz)", lambda: class_data.export_npz(drawings),
                           file_name=f"class-{code}.npz", mime="application/octet-stream",
                           disabled=not len(drawings), on_click="ignore")
        d2.download_button("Download the labels (.csv)", lambda: class_data.export_csv(drawings),
                           file_name=f"class-{code}-labels.csv", mime="text/csv",
                           disabled=not len(drawings), on_click="ignore")
        st.caption("The .npz has keras's MNIST layout: our drawings are `x_train`, their digits `y_train` "
                   "(`np.load(path)` reads it). The .csv lists each drawing's digit, time and drawer "
                   "as “student 1”, “student 2”…")
        if teacher:
            with st.form("import", clear_on_submit=True, border=False):
                npz = st.file_uploader("A class set (.npz)", type=["npz"])
                labels_csv = st.file_uploader("Its labels (.csv, optional)", type=["csv"])
                if st.form_submit_button("Add to our class set", icon=":material/upload:"):
                    with frame.friendly_errors():
                        if npz is None:
                            st.warning("Choose an .npz file first.")
                        else:
                            raw = npz.getvalue()
                            digest = hashlib.sha256(raw + (labels_csv.getvalue() if labels_csv else b"")).hexdigest()
                            imported = st.session_state.setdefault("imported", set())
                            if digest in imported:
                                st.info("This file has already been added to the class set.")
                            else:
                                images, labels = transfer.from_npz(raw, labels_csv.getvalue() if labels_csv else None)
                                added = store.add_drawings(code, classroom.token(), images, labels)
                                imported.add(digest)
                                st.session_state["class_page_flash"] = f"Added {added:,} drawings to the class set."
                                st.rerun()

    if teacher and len(drawings):
        class_admin.remove_drawings(store, code, drawings)

with mixed_tab:
    st.markdown("Train the lesson's SVC on the first **N** MNIST images, and again on the same images **plus "
                "our drawings**. Both are scored on drawings by students whose drawings neither model saw, "
                "so nobody's own handwriting marks a model they helped to train.")
    n = st.select_slider("MNIST training images (N)", options=[100, 500, 1000, 2000, 5000], value=500,
                         format_func=lambda v: f"{v:,}")
    if st.button("Train MNIST + our class", icon=":material/model_training:"):
        st.session_state["compare"] = (n, version)
    asked = st.session_state.get("compare")
    if asked == (n, version):
        with frame.friendly_errors(), st.spinner("Training both models…"):
            result = class_data.comparison(n, mnist, drawings, version)
            a, b = st.columns(2)
            a.metric("MNIST only", f"{result.mnist_only:.2f}")
            b.metric("MNIST + our class", f"{result.with_class:.2f}", delta=f"{result.gain:+.2f}")
            st.caption(f"Scored on {result.class_test:,} drawings by {result.test_drawers} students; "
                       f"the second model also learnt from {result.class_train:,} drawings by the others.")
    elif asked is not None and asked[0] == n:
        st.info("The class set has changed since; press the button again to compare with the new drawings.")

with board_tab:
    st.text_input("My nickname on the board (optional)", key="nickname_box", max_chars=20,
                  value=classroom.nickname() or "", on_change=classroom.set_nickname, args=("nickname_box",),
                  help="Models you train on the Train page from now on appear here with this name: "
                       "letters, digits and spaces.")
    if problem := st.session_state.get("nickname_problem"):
        st.warning(problem)

    @st.fragment(run_every=5 if teacher else 15)
    def experiments_board():
        with frame.friendly_errors():
            table = board.table(class_data.experiments(code))
            if not len(table):
                st.info("No experiments yet. Every model someone in the class trains on **Train** lands here.")
                return
            st.vega_lite_chart(table, charts.board(table), width="stretch", height=360)
            st.dataframe(table, hide_index=True, column_config={
                "accuracy": st.column_config.NumberColumn(format="%.2f"),
                "accuracy (10,000)": st.column_config.NumberColumn(format="%.4f"),
                "fit time (s)": st.column_config.NumberColumn(format="%.2f"),
                "saved": st.column_config.DatetimeColumn(format="HH:mm:ss", help="Time on the server (UTC)."),
            })

    experiments_board()
    if teacher:
        class_admin.tidy_board(store, code, class_data.experiments(code), class_data.experiments.clear)

with guess_tab:
    registry = resources.registry(mnist)
    # Only sizes that come ready-made: revealing the answer is then instant.
    askable = [n for n in CURVE_SIZES if ModelSpec(n=n) in registry.shipped] or [100, 500]
    if teacher:
        ask_n = st.select_slider("Ask the class: what accuracy will N training images get?",
                                 options=askable, value=2000 if 2000 in askable else askable[0],
                                 format_func=lambda v: f"{v:,}")
        if st.button("Ask the class", icon=":material/help:"):
            with frame.friendly_errors():
                store.ask(code, classroom.token(), ask_n)
                class_data.question.clear()

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
                    classroom.guess(mine)
                    class_data.question.clear()
                    st.toast("Guess submitted.")
                    question = class_data.question(code)
            if question.answer is None and teacher and st.button("Reveal the answer", icon=":material/visibility:"):
                spec = ModelSpec(n=question.n)
                answer = registry.recorded_accuracy(spec) or resources.evaluation(spec, 100, mnist).accuracy
                store.reveal(code, classroom.token(), answer)
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
