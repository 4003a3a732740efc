"""Reduced motion (issue 19): when the browser asks for it (``prefers-reduced-motion: reduce``), nothing on
the page moves or redraws itself on its own every second.

The browser's wish reaches the server through a tiny component (``watch()``, in the sidebar of every
page): its script reads the media query and, only when it says "reduce" (or changes), sends that back,
which reruns the page once. ``reduced()`` then says so for the rest of the session, and:

* the class board does not refresh itself; a "Refresh the board" button does it (``every``);
* training progress (Train, Neural) is redrawn every 5 s instead of every second (``every``);
* ``STYLE`` stops CSS animations and transitions (spinners, progress bars, expanders) in such a browser.
"""

from __future__ import annotations

import streamlit as st

_KEY = "motion_preference"  # the component's state: {"reduce": bool}
_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const query = window.matchMedia("(prefers-reduced-motion: reduce)");
  const tell = () => { if (query.matches !== Boolean(data && data.reduce)) setStateValue("reduce", query.matches); };
  tell();
  query.addEventListener("change", tell);
  return () => query.removeEventListener("change", tell);
}
"""
# Animations and transitions end at once; the page still changes, it only does not move to get there.
STYLE = ("<style>@media (prefers-reduced-motion: reduce){*,*::before,*::after{"
         "animation-duration:0.01ms !important;animation-iteration-count:1 !important;"
         "transition-duration:0.01ms !important;scroll-behavior:auto !important}}</style>")
GENTLE_SECONDS = 5.0  # progress redrawn this often at most when motion is reduced


@st.cache_resource
def _component():
    import streamlit.components.v2 as components

    return components.component("digits_motion", js=_JS)


def watch() -> None:
    """Ask the browser whether it prefers reduced motion (once a session, unless it changes its mind)."""
    _component()(key=_KEY, data={"reduce": reduced()}, default={"reduce": reduced()}, on_reduce_change=lambda: None)


def reduced() -> bool:
    """Whether this session's browser prefers reduced motion (False until it has said so)."""
    state = st.session_state.get(_KEY)
    try:
        return bool(state["reduce"])
    except (KeyError, TypeError):
        return bool(getattr(state, "reduce", False))


def every(seconds: float, gentle: float | None = None) -> float | None:
    """How often something redraws itself: ``seconds``, or with reduced motion ``gentle`` (None: never)."""
    return gentle if reduced() else seconds
