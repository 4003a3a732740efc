"""Our class: a class code, the class's own handwriting, and a board of its experiments."""

import streamlit as st

from digitlib.language import _, formats
from ui import (
    class_admin,
    class_board,
    class_data,
    class_guess,
    class_handwriting,
    class_mixed,
    class_session,
    frame,
    resources,
    site_map,
)

frame.page(site_map.CLASS)
mnist = resources.current_data()
store = class_session.open_store()
code = class_session.code()
teacher = class_session.is_teacher()
registry = resources.registry(mnist)

if code and teacher and class_board.projecting():
    class_board.projector(code, lambda: class_guess.live(store, code, teacher, registry, mnist))
    st.stop()

st.title(_("Our class"))
if flash := st.session_state.pop(class_admin.FLASH, None):
    st.success(flash, icon=":material/check:")

if not code:
    class_admin.start_or_join()
    st.stop()

if teacher:
    # Bigger numbers for a projector at the back of the room.
    st.html("<style>[data-testid='stMetricValue']{font-size:3.4rem;line-height:1.1}</style>")
with frame.friendly_errors(stop=True):
    drawings, version = class_data.class_set(code)

top = st.columns(3)
top[0].metric(_("Class code"), code, help=_("Students join with this code, or with the students' link."))
top[1].metric(_("Drawings saved"), formats.count(len(drawings)))
top[2].metric(_("Students who saved"), formats.count(len(set(drawings.drawers) - {"import"})),
              help=_("Browsers that saved drawings; no names are kept."))
if teacher:
    class_admin.links_to_share(store)
    class_admin.this_class(store, code)
else:
    class_admin.as_a_student(code)

handwriting, mixed_tab, board_tab, guess_tab = st.tabs(
    [_("Our handwriting"), _("MNIST + our class"), _("Board"), _("Guess first")])

with handwriting:
    if not len(drawings):
        st.info(_("No drawings yet. Open **Draw**, draw a digit, check “The digit I drew” and press "
                  "“Save to our class set”."), icon=":material/draw:")
        st.page_link(site_map.DRAW.path, label=_(site_map.DRAW.title), icon=site_map.DRAW.icon,
                     query_params=frame.link_params())
    else:
        class_handwriting.how_the_model_reads_them(mnist, drawings, version)
        class_handwriting.gallery(store, code, drawings, teacher)
    class_handwriting.keep_or_bring(store, code, drawings, teacher)
    if teacher and len(drawings):
        class_admin.remove_drawings(store, code, drawings)

with mixed_tab:
    class_mixed.tab(mnist, drawings, version)

with board_tab:
    class_board.tab(store, code, teacher)

with guess_tab:
    if teacher:
        class_guess.ask(store, code, registry)
    class_guess.live(store, code, teacher, registry, mnist)
