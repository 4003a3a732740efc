"""What a screen reader says on Draw (issue 19): the prediction as soon as it changes, and what the
drawing canvas is and how to use it.

* ``say(text)``: a polite live region (``role="status"``) reads ``text`` out when it changes. The region
  is one element the script adds to the page once and keeps (a live region must be there before its
  text changes to be read; an element Streamlit draws anew each run is not), visually hidden.
* ``label_canvases(text)``: every drawing canvas becomes an image named ``text`` (the component draws it
  in a shadow root, out of the page's reach but not of a script's); its other layers (the background, the
  ink) are hidden from a screen reader.
"""

from __future__ import annotations

import json

import streamlit as st

REGION = "digits-live"  # the id of the live region
HIDDEN = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;"
          "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap")

_SAY = """<script>
(() => {
  let region = document.getElementById(%s);
  if (!region) {
    region = document.createElement("div");
    region.id = %s;
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.style.cssText = %s;
    document.body.appendChild(region);
  }
  const text = %s;
  if (region.textContent !== text) region.textContent = text;
})();
</script>"""

_LABEL = """<script>
(() => {
  window.digitsCanvasLabel = %s;
  const label = () => {
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')) {
      const root = host.shadowRoot;
      const surface = root && root.querySelector(".canvas-root canvas.upper-canvas");
      if (!surface) continue;
      if (surface.getAttribute("aria-label") !== window.digitsCanvasLabel) {
        surface.setAttribute("role", "img");
        surface.setAttribute("aria-label", window.digitsCanvasLabel);
      }
      for (const layer of root.querySelectorAll(".canvas-root canvas:not(.upper-canvas)")) {
        if (!layer.hasAttribute("aria-hidden")) layer.setAttribute("aria-hidden", "true");
      }
    }
  };
  label();
  if (window.digitsCanvasLabeller) return;
  let frames = 0;
  const again = () => { label(); if (--frames > 0) requestAnimationFrame(again); };
  const watch = () => { const idle = frames <= 0; frames = 60; if (idle) again(); };
  window.digitsCanvasLabeller = new MutationObserver(watch);
  window.digitsCanvasLabeller.observe(document.body, {childList: true, subtree: true});
})();
</script>"""


def _js(text: str) -> str:
    """``text`` as a JavaScript string that cannot end the script it stands in."""
    return json.dumps(text).replace("<", "\\u003c")


def say(text: str, where=st) -> None:
    """Have a screen reader read ``text`` out (politely: after what it is reading) whenever it changes; the
    script's empty element goes in ``where`` (a container, a column; the page by default)."""
    where.html(_SAY % (_js(REGION), _js(REGION), _js(HIDDEN), _js(text)), unsafe_allow_javascript=True)


def label_canvases(text: str) -> None:
    """Name every drawing canvas on the page ``text`` for a screen reader."""
    st.html(_LABEL % _js(text), unsafe_allow_javascript=True)
