"""The language a page speaks, chosen once at its top: the link's ``lang``, the sidebar's choice, the browser's.

A language chosen by a link or in the sidebar stays with the session and goes into every link the app makes
(page links, "Copy link", the class's links), so a teacher's choice travels to the class.
"""

from __future__ import annotations

import streamlit as st

from digitlib.language import LANGUAGES, N_, _, catalogs, choice, use
from ui import url_params

PARAM = choice.PARAM
_CHOSEN = "language"  # session_state: the language a link or the sidebar chose, if any
_UNKNOWN = "language_unknown"  # this run's link asked for a language the app does not have
_SPOKEN = "language_spoken"  # the language the last full run spoke


def _session_language() -> str | None:
    """The language this session spoke last: what a fragment's own rerun or a callback speaks."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None  # not a session's thread (a training job): English
    return st.session_state.get(_SPOKEN)


catalogs.when_unset(_session_language)


def choose() -> str:
    """Speak this session's language from here on in this run; call before anything is written."""
    raw = st.query_params.get(PARAM)
    lang, unknown = choice.pick(raw, st.context.locale)
    st.session_state[_UNKNOWN] = raw if unknown else None
    if raw is not None and not unknown:
        st.session_state[_CHOSEN] = lang
    elif raw is None and st.session_state.get(_CHOSEN):
        lang = st.session_state[_CHOSEN]
        st.query_params[PARAM] = lang  # a page link without it: the session's choice goes back into the URL
    use(lang)
    st.session_state[_SPOKEN] = lang
    return lang


def notice() -> None:
    """Say once, in English, that the link's language is not one the app has."""
    raw = st.session_state.get(_UNKNOWN)
    if raw is not None:
        st.info(_("The link asks for the language {value}, which this app does not have; showing English. "
                  "It speaks English (en), German (de), Spanish (es) and French (fr).").format(
                      value=url_params.echo(f"{PARAM}={raw}")), icon=":material/translate:")


def document_script() -> str:
    """A script that names the page's language on the document (``<html lang>``), for screen readers'
    pronunciation and the browser's translation offer (WCAG 3.1.1); Streamlit's page says "en"."""
    from digitlib.language import current

    return f'<script>document.documentElement.lang = "{current()}";</script>'


# Words Streamlit 1.67's own widgets write in English whatever the page's language (it has no translations):
# in another language a style writes ours over them, size for size (14 px, as Streamlit draws them).
_FRONTEND = (
    ("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p", N_("Upload")),
    ("[data-testid='stFileUploaderDropzoneInstructions'] span", N_("At most {size} MB per file")),
    ("[data-testid='stCameraInputWebcamComponent']:has(video) [data-testid='stCameraInputButton']",
     N_("Take photo")),
    ("[data-testid='stCameraInputWebcamComponent'] p", N_("This app would like to use your camera.")),
    ("[data-testid='stCameraInputWebcamComponent'] p a", N_("Learn how to allow access.")),
)


def frontend_style() -> str:
    """A style that writes Streamlit's own English words (Upload, Take photo…) in the page's language."""
    from digitlib.language import current, formats

    if current() == catalogs.DEFAULT:
        return ""
    size = formats.count(int(st.get_option("server.maxUploadSize")))
    rules = []
    for selector, english in _FRONTEND:
        words = _(english).format(size=size) + (" " if selector.endswith(" p") else "")  # a space before its link
        words = words.replace("\\", "\\\\").replace('"', '\\"')
        rules.append(f'{selector}{{font-size:0 !important}}{selector}::before{{content:"{words}";font-size:14px}}')
    return "<style>" + "".join(rules) + "</style>"


def link_params() -> dict[str, str]:
    """What every link carries for the language: ``lang``, when a link or the sidebar chose one."""
    chosen = st.session_state.get(_CHOSEN)
    return {PARAM: chosen} if chosen else {}


def selector() -> None:
    """The sidebar's language list; choosing one puts it into the URL and every link."""
    from digitlib.language import current

    st.session_state["language_select"] = current()  # the URL may have changed it since the last run
    st.selectbox(_("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language_select",
                 on_change=_chosen_in_sidebar)


def _chosen_in_sidebar() -> None:
    lang = st.session_state["language_select"]
    st.session_state[_CHOSEN] = lang
    st.query_params[PARAM] = lang
