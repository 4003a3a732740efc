"""Home: what the lesson is, which data is loaded, and where to go next."""

import streamlit as st

from digitlib.language import N_, _, formats
from ui import frame, resources, site_map

frame.page(site_map.HOME)

st.title(_("Teaching a computer to read handwritten digits"))
st.markdown(
    _("""
This app follows a classic lesson. We take **MNIST** — {total} photos of handwritten digits, each
28 × 28 grey pixels — and teach a **support-vector machine** (`sklearn.svm.SVC`) to name the digit.

The moral of the lesson: **the more examples a model learns from, the better it gets.**
Trained on the first 100 images it gets 68 of the first 100 test images right; on 500 images it gets 88.
""").format(total=formats.count(70000))
)

st.subheader(_("How to use it"))
steps = site_map.STEPS
# Three cards a row: five in one row leave a label too little room beside the sidebar (1280 px).
for row in (steps[:3], steps[3:]):
    for col, step in zip(st.columns(3), row, strict=False):
        with col, st.container(border=True, height="stretch"):
            st.page_link(step.path, label=_(step.card), query_params=frame.link_params())
            st.caption(_(step.card_text))

st.subheader(_("The data"))
source_labels = {
    "bundled": N_("Bundled copy of MNIST (works offline)"),
    "keras": N_("tf.keras.datasets.mnist.load_data() — as in the lesson (needs internet and TensorFlow)"),
    "upload": N_("My own files (.npz, or the four IDX files gzipped)"),
}
choice = st.radio(
    _("Where the images come from"),
    list(source_labels),
    format_func=lambda key: _(source_labels[key]),
    index=list(source_labels).index(st.session_state.get("data_source", "bundled")),
)
if choice == "keras":
    st.caption(_("Loading through keras starts TensorFlow in a separate process for a moment: about 7 s and 700 MB "
                 "of memory, too much for a small hosted server."))
if choice == "upload":
    uploads = st.file_uploader(
        _("MNIST files"), type=["npz", "gz", "ubyte", "idx1-ubyte", "idx3-ubyte"], accept_multiple_files=True
    )
    st.caption(_("keras's `mnist.npz` (11 MB), or the four IDX files gzipped as MNIST publishes them (`.gz`): "
                 "the training images are 9.5 MB gzipped, too big to upload unpacked (45 MB)."))
    if uploads:
        with frame.friendly_errors():
            resources.use_uploads(uploads)  # checked before the session switches to them
else:
    st.session_state["data_source"] = choice

mnist = resources.current_data()
st.markdown(_("**Loaded:** {source}").format(source=mnist.source))
st.table(  # a plain table: no toolbar to float over the line above it
    {
        # TRANSLATORS: the column headers of the table of loaded arrays (x_train, y_train, …)
        _("array"): list(mnist.shapes()),
        _("shape"): [str(s) for s in mnist.shapes().values()],
        _("type"): [str(getattr(mnist, k).dtype) for k in mnist.shapes()],
    },
    hide_index=True,
)
st.caption(
    _("MNIST: Yann LeCun and Corinna Cortes (with Christopher J.C. Burges), "
      "licensed under Creative Commons Attribution-Share Alike 3.0.")
)
