"""The frame every page shares: page config, sidebar navigation, error display."""

from __future__ import annotations

import contextlib
import os

import streamlit as st

from digitlib.display import model_links as url_links
from digitlib.errors import DigitsError
from digitlib.language import _, formats, ngettext
from ui import class_session, cookies, keyboard, motion, page_language, settings, site_map, url_params, warm_up

# Parameters every page accepts: the class a session belongs to, the teacher's secret, and the
# model settings, which every page link carries (ui/settings.py).
GLOBAL_PARAMS = (class_session.CLASS_PARAM, class_session.TEACHER_PARAM, page_language.PARAM, *url_links.MODEL_PARAMS)
# Up to Streamlit's "md" breakpoint the sidebar covers the page, and it stays open after one of its
# page links is followed. This script closes it then with Streamlit's own collapse control, once the
# click has reached the link (it listens on the document, where the click arrives last).
NARROW_PX = 768
_CLOSE_SIDEBAR_SCRIPT = """<script>
(() => {
  if (window.digitsSidebarCloses) return;
  window.digitsSidebarCloses = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] [data-testid="stPageLink"] a');
    if (!link || window.innerWidth > %d) return;
    const collapse = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (collapse) collapse.click();
  });
})();
</script>""" % NARROW_PX  # noqa: UP031 (JavaScript's braces stay single)
# Streamlit draws captions in the text colour at opacity 0.6, #797c83 on white: 4.18:1, under WCAG's
# 4.5:1 (axe-core's color-contrast, issue 19). Opaque #656973 keeps them grey: 5.5:1 on white, 4.95:1
# on the secondary background. No theme option sets it in Streamlit 1.67.
CAPTION_COLOR = "#656973"
_STYLE = "<style>[data-testid='stCaptionContainer']{color:%s;opacity:1}</style>" % CAPTION_COLOR  # noqa: UP031


def page(this: site_map.Page, params: tuple[str, ...] = ()) -> None:
    """Configure ``this`` page (an entry of ``site_map``) and draw the sidebar; call first on every page.

    ``params`` are the URL parameters the page reads; any other one gets a notice.
    """
    warm_up.data()  # once per server: MNIST is read beside this run's imports (ui/warm_up.py)
    page_language.choose()
    st.set_page_config(page_title=_(this.title) + " · digits", page_icon=this.icon, layout="wide")
    # Community Cloud forces showErrorDetails to a value that shows tracebacks; the script has the last word.
    st.set_option("client.showErrorDetails", os.environ.get("DIGITS_ERROR_DETAILS", "none"))
    settings.note_page(this.path)
    class_session.keep_in_url()
    with st.sidebar:
        st.markdown(_("### Handwritten digits"))
        settings.sidebar_links()
        if class_session.code():
            class_session.drawer()  # a student keeps one anonymous id across reloads (a cookie)
            if class_session.is_teacher():
                st.caption(_("Class **{code}** · teacher").format(code=class_session.code()))
            else:
                st.caption(_("Class **{code}**").format(code=class_session.code()))
        cookies.flush()
        page_language.selector()
        st.divider()
        st.caption(_("MNIST by Yann LeCun and Corinna Cortes, CC BY-SA 3.0."))
        motion.watch()  # whether the browser prefers reduced motion (ui/motion.py)
        # last: its empty element adds no gap; focus rings (ui/keyboard.py), no animation if motion is reduced
        st.html(_STYLE + keyboard.FOCUS_STYLE + motion.STYLE + page_language.frontend_style() + _CLOSE_SIDEBAR_SCRIPT
                + page_language.document_script(), unsafe_allow_javascript=True)
    page_language.notice()
    unknown = [key for key in st.query_params if key not in params + GLOBAL_PARAMS]
    if unknown:
        named = ", ".join(url_params.echo(key) for key in unknown[:3])
        if len(unknown) > 3:
            st.info(ngettext("This page does not use {named} and {more} more from the link; ignoring them.",
                             "This page does not use {named} and {more} more from the link; ignoring them.",
                             len(unknown) - 3).format(named=named, more=formats.count(len(unknown) - 3)))
        else:
            st.info(ngettext("This page does not use {named} from the link; ignoring it.",
                             "This page does not use {named} from the link; ignoring them.",
                             len(unknown)).format(named=named))
    warm_up.lesson()  # once per server, after this run: what the other pages need (ui/warm_up.py)


def link_params() -> dict[str, str]:
    """What every link between pages carries: the class code and the view's model settings."""
    return settings.page_link_params()


@contextlib.contextmanager
def friendly_errors(stop: bool = False):
    """Show digitlib's errors as a message on the page instead of a traceback; with ``stop``,
    the page ends there (for what the rest of the page cannot do without)."""
    try:
        yield
    except DigitsError as exc:
        st.error(str(exc), icon=":material/error:")
        if stop:
            st.stop()
