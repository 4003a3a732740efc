"""The Class page's "Our handwriting": how the model reads the class's drawings, the gallery (where the
teacher relabels or removes drawings), and the class set's export and import."""

from __future__ import annotations

import base64
import hashlib
import io

import pandas as pd
import streamlit as st
from PIL import Image

from digitlib.classroom import transfer
from digitlib.display import charts, magnify
from digitlib.language import N_, _, formats, ngettext
from digitlib.mnist import sampling
from digitlib.svm.model_spec import ModelSpec
from ui import class_admin, class_data, class_session, frame, resources, thumbnails

GALLERY = 200  # the newest drawings the teacher's gallery lists


def how_the_model_reads_them(mnist, drawings, version: str) -> None:
    """Counts per digit, the model's accuracy on our drawings beside MNIST's, our confusion and misreadings."""
    table, spec = charts.digit_counts(drawings.counts())
    st.vega_lite_chart(table, spec, width="stretch", height=200)
    with frame.friendly_errors():
        spec = resources.session_spec()
        with st.spinner(_("Getting the model ready…")):
            model = resources.model(spec, mnist) if spec else resources.draw_model(mnist)
        spec = spec or ModelSpec(n=model.n_train)
        ours = class_data.evaluation(model, mnist, drawings, version)
        n_test = min(1000, len(mnist.y_test))
        theirs = resources.evaluation(spec, n_test, mnist)
        m1, m2 = st.columns(2)
        m1.metric(_("Accuracy on our drawings"), formats.decimal(ours.accuracy, 2),
                  help=ngettext("Of our {n} drawing, the share the model reads as the digit we meant.",
                                "Of our {n} drawings, the share the model reads as the digit we meant.",
                                len(drawings)).format(n=formats.count(len(drawings))))
        m2.metric(_("Accuracy on MNIST test images"), formats.decimal(theirs.accuracy, 2),
                  help=_("The same model on the first {n} MNIST test images.").format(n=formats.count(n_test)))
        st.caption(_("Model: SVC on the {sample} (your model from Train, or else the Draw page's).").format(
            sample=sampling.shown(model.sample_description)))

        # Drawn in the browser: every save changes the class set, and a PNG per change would
        # cost the server ~0.5 s per figure per student under a whole class (bench/class_set.py).
        left, right = st.columns(2)
        with left:
            st.markdown(_("**Our drawings: the digit meant (down) against the model's reading (across)**"))
            table, chart = charts.confusion(ours.confusion, selectable=False)
            st.vega_lite_chart(table, chart, width="stretch", height=340)
        with right:
            wrong = ours.misclassified
            if len(wrong):
                st.markdown(_("**Drawings the model misread: {n}**").format(n=formats.count(len(wrong))))
                thumbnails.row(drawings.images[wrong[:30]],
                               [f"#{drawings.ids[i]}: {drawings.labels[i]}→{ours.y_pred[i]}" for i in wrong[:30]],
                               what=N_("Class drawing, meant → read,"))
                st.caption(_("Each caption reads #drawing: what we meant → what the model read. Showing the first "
                             "{n}.").format(n=formats.count(30)) if len(wrong) > 30 else
                           _("Each caption reads #drawing: what we meant → what the model read."))
            else:
                st.success(_("The model reads every one of our drawings right."))


def _data_url(image) -> str:
    buffer = io.BytesIO()
    Image.fromarray(thumbnails.picture(image, 56)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def gallery(store, code: str, drawings, teacher: bool) -> None:
    """The newest drawings. The teacher picks rows in a table to give them another digit or remove them."""
    st.subheader(_("Our drawings"))
    if not teacher:
        newest = list(range(len(drawings)))[::-1][:60]
        st.image([magnify.enlarge(drawings.images[i], 56) for i in newest],
                 caption=[f"#{drawings.ids[i]}: {drawings.labels[i]}" for i in newest], width=56,
                 alt=[_("Class drawing {number}: a {digit}.").format(number=drawings.ids[i], digit=drawings.labels[i])
                      for i in newest])
        st.caption(_("The newest {n}, as the model sees them (28 × 28). Each caption reads #drawing: digit.").format(
            n=formats.count(60)))
        return
    newest = list(range(len(drawings)))[::-1][:GALLERY]
    names = transfer.pseudonyms(drawings.drawers)
    table = pd.DataFrame({
        "drawing": [_data_url(drawings.images[i]) for i in newest],
        "#": [int(drawings.ids[i]) for i in newest],
        "digit": [int(drawings.labels[i]) for i in newest],
        "student": [transfer.shown(names[i]) for i in newest],
        "saved": [drawings.saved_at[i] for i in newest],
    })
    picked = st.dataframe(
        table, hide_index=True, on_select="rerun", selection_mode="multi-row", key=f"gallery-{len(drawings)}",
        row_height=60, column_config={  # the columns' keys stay; their titles are in the page's language
            # TRANSLATORS: the gallery's column of pictures of drawings.
            "drawing": st.column_config.ImageColumn(_("drawing"), width="small"),
            "digit": st.column_config.NumberColumn(_("digit")),
            "student": st.column_config.TextColumn(_("student")),
            # TRANSLATORS: the gallery's column of the times drawings were saved.
            "saved": st.column_config.DatetimeColumn(_("saved"), format="HH:mm:ss",
                                                     help=_("Time on the server (UTC).")),
        })
    chosen = [int(table["#"].iloc[row]) for row in picked.selection.rows]
    st.caption(ngettext("The newest {n} drawing. Tick rows (by keyboard: Shift+Space on a row) to give them another "
                        "digit or remove them.",
                        "The newest {n} drawings. Tick rows (by keyboard: Shift+Space on a row) to give them another "
                        "digit or remove them.",
                        len(newest)).format(n=formats.count(len(newest))))
    if chosen:
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        digit = left.segmented_control(
            _("The digit {n} chosen drawing(s) show").format(n=formats.count(len(chosen))), list(range(10)),
            key="relabel-digit")
        if left.button(_("Give them this digit"), icon=":material/edit:", disabled=digit is None):
            with frame.friendly_errors():
                changed = store.relabel(code, class_session.token(), chosen, digit)
                class_admin.done(_("{n} drawing(s) now say {digit}.").format(n=formats.count(changed), digit=digit))
        if right.button(_("Remove the chosen drawings"), icon=":material/delete:"):
            with frame.friendly_errors():
                removed = store.delete_drawings(code, class_session.token(), chosen)
                class_admin.done(_("Removed {n} drawing(s).").format(n=formats.count(removed)))


def keep_or_bring(store, code: str, drawings, teacher: bool) -> None:
    """Download the class set (.npz and .csv); the teacher can add one back."""
    with st.expander(_("Keep or bring a class set"), icon=":material/download:"):
        d1, d2 = st.columns(2)
        # The files are built only when a button is pressed, and pressing one does not rerun the page.
        d1.download_button(_("Download our drawings (.npz)"), lambda: class_data.export_npz(drawings),
                           file_name=f"class-{code}.npz", mime="application/octet-stream",
                           disabled=not len(drawings), on_click="ignore")
        d2.download_button(_("Download the labels (.csv)"), lambda: class_data.export_csv(drawings),
                           file_name=f"class-{code}-labels.csv", mime="text/csv",
                           disabled=not len(drawings), on_click="ignore")
        st.caption(_("The .npz has keras's MNIST layout: our drawings are `x_train`, their digits `y_train` "
                     "(`np.load(path)` reads it). The .csv lists each drawing's digit, time and drawer "
                     "as “student 1”, “student 2”…"))
        if teacher:
            _import(store, code)


def _import(store, code: str) -> None:
    with st.form("import", clear_on_submit=True, border=False):
        npz = st.file_uploader(_("A class set (.npz)"), type=["npz"])
        labels_csv = st.file_uploader(_("Its labels (.csv, optional)"), type=["csv"])
        if not st.form_submit_button(_("Add to our class set"), icon=":material/upload:"):
            return
    with frame.friendly_errors():
        if npz is None:
            st.warning(_("Choose an .npz file first."))
            return
        raw, labels = npz.getvalue(), labels_csv.getvalue() if labels_csv else None
        digest = hashlib.sha256(raw + (labels or b"")).hexdigest()
        imported = st.session_state.setdefault("imported", set())
        if digest in imported:
            st.info(_("This file has already been added to the class set."))
            return
        images, digits = transfer.from_npz(raw, labels)
        added = store.add_drawings(code, class_session.token(), images, digits)
        imported.add(digest)
        class_admin.done(ngettext("Added {n} drawing to the class set.", "Added {n} drawings to the class set.",
                                  added).format(n=formats.count(added)))
