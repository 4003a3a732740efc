"""The drawing canvas: streamlit-drawable-canvas with its toolbar kept off the drawing.

The component (0.13) renders in a shadow root and positions its toolbar (send, undo,
redo, edit, reset) at ``top: -1rem`` over the canvas's top right: 141 x 46 px, its
lower 30 px on the drawing, invisible (``opacity: 0``) but still catching presses.
Only after the pointer has hovered the canvas for 0.1-0.2 s does it rise to
``-2.65rem``, where its bottom 4 px still cover the drawing. A stroke starting there
leaves no ink, or clicks an unseen button (undo, edit, reset). Page CSS cannot reach
into the shadow root, so a small script adopts a stylesheet there that gives the
component a strip above the canvas and keeps the toolbar, always visible, in it.

The component also waits 200 ms after a stroke before sending it, in case another
stroke follows. A student waits for the answer instead, so the script presses the
component's own "Update the app" button as the pen lifts, which sends at once. The
Edit button (it stops drawing) and the now redundant Update button are hidden.

Streamlit's frontend fetches the code for a kind of element the first time a page shows one: the
first answer on a freshly opened Draw page fetched 27 files (0.8 MB) for the metric, the images and
the Vega-Lite chart before showing it. The script loads those chunks while the student draws, once
the page is idle (``ANSWER_CHUNKS``).

What the component sends back is read with care: its ``CanvasResult.image_data`` decodes
whatever image the value holds (a crafted 4000 × 4000 PNG cost 550-700 MB), and a value
of the wrong shape makes ``st_canvas`` itself raise. So this module hands the page the data
URL exactly as sent, for ``digitlib.drawing.image_bounds`` to check before anything decodes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from digitlib.language import N_, _
from ui import spoken

SIZE = 280  # canvas width and height in pixels
# The PNG sizes the canvas sends: its own size whatever the device-pixel ratio (it exports
# with multiplier 1 and no retina scaling; checked in chromium at ratios 1, 1.5, 2 and 3).
SENT_SIZES = frozenset({(SIZE, SIZE)})
# The wide canvas for writing a number: three squares side by side. It too sends its own size at
# every ratio (tests/browser/test_photo_browser.py); on a narrow screen it is shown scaled to fit.
WIDE = (3 * SIZE, SIZE)
WIDE_SENT_SIZES = frozenset({WIDE})
# Stands for a value the component could not even unpack (not the shape it sends).
MALFORMED = object()

# Applies inside the canvas's shadow root only; every selector is one of the component's own classes.
TOOLBAR_CSS = """
.dc-root { padding-top: 2.4rem; }  /* the toolbar's strip, not part of the drawing */
.dc-toolbar { top: 0 !important; opacity: 1 !important; transition: none !important;
              padding: 0 !important; }
.dc-icon-button[aria-label="Edit"], .dc-icon-button[aria-label="Update the app with this drawing"],
.dc-toolbar-separator { display: none !important; }
"""
# Added to a wide canvas's shadow root only: it shrinks to the column's width (a phone's 358 px) instead
# of scrolling sideways, which a finger drawing cannot do; the drawing keeps its own pixels, and the
# canvas library maps a pointer through the displayed size.
WIDE_CSS = """
.dc-root { width: %dpx; max-width: 100%%; }  /* its own width, or the column's when narrower */
.dc-scroll { overflow: visible !important; }
.dc-container { width: 100%% !important; height: auto !important; aspect-ratio: %d / %d; }
.dc-container .canvas-container, .dc-container canvas { width: 100%% !important; height: 100%% !important; }
""" % (WIDE[0], WIDE[0], WIDE[1])  # noqa: UP031 (CSS's percent signs)

SEND_LABEL = "Update the app with this drawing"
# What a screen reader says the canvas is, and how to use it (issue 19).
SQUARE_LABEL = N_("Drawing canvas, a black square: draw one digit on it with the mouse, a finger or a pen; the model "
                  "reads it each time you lift the pen. If you cannot draw, pick a test image under it instead, "
                  "or choose “Photo of paper” above to read a digit written on paper.")
WIDE_LABEL = N_("Drawing canvas, a wide black strip: write a number on it with the mouse, a finger or a pen; the "
                "model reads it each time you lift the pen. If you cannot draw, choose “Photo of paper” above to "
                "read a number written on paper.")

# The frontend's code for what Draw's answer shows (Streamlit builds them as static/js/<name>.<hash>.js):
# the metric, images and the Vega-Lite chart, which brings vega-embed with it.
ANSWER_CHUNKS = ("Metric", "ImageList", "ArrowVegaLiteChart")


def _chunk_files(folder: Path = Path(st.__file__).parent / "static" / "static" / "js") -> list[str]:
    """The installed Streamlit's file names of ``ANSWER_CHUNKS`` (none if its build names them otherwise)."""
    return sorted(path.name for name in ANSWER_CHUNKS for path in folder.glob(f"{name}.*.js"))


# Adds TOOLBAR_CSS to the shadow root of every drawable canvas (marked by the package's
# <div class="canvas-root">), and WIDE_CSS to a wide one's, now and whenever one appears; a new root may
# take a few frames to fill (its drawing surface, which says whether it is wide, comes last).
_SCRIPT = """<script>
(() => {
  if (window.digitsCanvasToolbar) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(%s);
  const wide = new CSSStyleSheet();
  wide.replaceSync(%s);
  const isWide = (root) => {
    const surface = root.querySelector('canvas.upper-canvas');
    return surface && surface.width >= 2 * surface.height;
  };
  let frames = 0;
  const adopt = () => {
    let waiting = false;
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')) {
      const root = host.shadowRoot;
      if (!root || !root.querySelector('.canvas-root canvas.upper-canvas')) waiting = true;
      else {
        const wanted = isWide(root) ? [sheet, wide] : [sheet];
        const missing = wanted.filter((s) => !root.adoptedStyleSheets.includes(s));
        if (missing.length) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...missing];
      }
    }
    frames = waiting ? frames - 1 : 0;
    if (frames > 0) requestAnimationFrame(adopt);
  };
  const watch = () => { const idle = frames === 0; frames = 60; if (idle) adopt(); };
  window.digitsCanvasToolbar = new MutationObserver(watch);
  window.digitsCanvasToolbar.observe(document.body, {childList: true, subtree: true});
  watch();
  // Pen down on a drawing surface arms its Update button; the pen's release presses it,
  // after the component has recorded the stroke (it does so in its own release handler).
  let armed = null;
  window.addEventListener("pointerdown", (event) => {
    const surface = event.composedPath().find((el) => el.classList && el.classList.contains("upper-canvas"));
    const root = surface && surface.getRootNode();
    armed = root && root.querySelector ? root.querySelector(%s) : null;
  }, true);
  const release = () => {
    const button = armed;
    armed = null;
    if (button) setTimeout(() => button.click(), 0);
  };
  for (const kind of ["pointerup", "pointercancel"]) window.addEventListener(kind, release, true);
  // The answer's chunks, loaded where the app's own script was (the same modules the frontend imports later).
  const app = document.querySelector('script[type="module"][src*="/static/js/"]');
  const load = () => { for (const name of %s) import(new URL(name, app.src).href).catch(() => {}); };
  if (app) (window.requestIdleCallback || ((f) => setTimeout(f, 200)))(load, {timeout: 1000});
})();
</script>""" % (json.dumps(TOOLBAR_CSS), json.dumps(WIDE_CSS), json.dumps(f'button[aria-label="{SEND_LABEL}"]'),  # noqa: UP031 (JavaScript's braces stay single)
                json.dumps(_chunk_files()))


def drawing_canvas(pen_width: int, key: str, size: tuple[int, int] = (SIZE, SIZE)) -> object:
    """A black canvas, 280 x 280 unless ``size`` (width, height) says ``WIDE``, for white freehand strokes;
    the drawing is sent when a stroke ends.

    Returns the drawing as the browser sent it, unchecked: normally a ``data:image/png;base64,``
    URL, None before any drawing, ``MALFORMED`` for a value ``st_canvas`` cannot unpack.
    Read it with ``digitlib.drawing.image_bounds.canvas_image(sent, SENT_SIZES)`` (``WIDE_SENT_SIZES``).
    """
    with st.container(gap=None):
        st.html(_SCRIPT, unsafe_allow_javascript=True)
        spoken.label_canvases(_(SQUARE_LABEL) if size == (SIZE, SIZE) else _(WIDE_LABEL))  # for a screen reader
        try:
            result = st_canvas(
                stroke_width=pen_width,
                stroke_color="#FFFFFF",
                background_color="#000000",
                width=size[0],
                height=size[1],
                drawing_mode="freedraw",
                return_image_data=True,
                update_streamlit=True,  # sends the drawing when a stroke ends, not on every move
                key=key,
            )
        except (AttributeError, TypeError, KeyError, ValueError):  # the canvas is on the page already
            return MALFORMED
    # The data URL as received (0.13 keeps it here; its image_data and image_bytes decode it unchecked).
    return result._image_data_url
