"""The lesson by keyboard (issue 19): a focus ring wherever Streamlit draws none, and Evaluate's
confusion matrix as a grid of squares to reach with Tab, move through with the arrow keys and open
with Enter or Space.

Streamlit's buttons, sliders, expanders and tabs are keyboard controls already, with a focus ring
(a blue box-shadow). Its page links in the sidebar and the charts' toolbar buttons get none: the
style below gives them an outline when the keyboard (not a click) focuses them.

The confusion matrix is a Vega-Lite chart: its squares are SVG paths a pointer clicks, not
controls. The script makes each square of the matrix inside the container ``CONTAINER`` a button a
screen reader names (Vega's own label: the true digit, the predicted digit and its number of
images) with one tab stop for the whole grid (a roving tabindex: the chosen square, else the top
left one). The arrow keys move between squares, Home and End along a row; Enter or Space does
what a click does (it sends the same click to Vega, so the chart's own selection reaches the
server). The page then draws a new chart; the script gives the square pressed the focus again, so
Tab goes on to the square's images. A ring drawn over the focused square (dark outside, white
inside: seen on pale and dark squares alike) shows where the keyboard is; SVG's own outline would
be hidden under the neighbouring squares.
"""

from __future__ import annotations

import json

import streamlit as st

CONTAINER = "eval_matrix"  # the key of the container holding the clickable confusion matrix
RING = "digits-focus-ring"  # class of the ring drawn over the focused square
FOCUS_COLOUR = "#3b5bdb"  # Streamlit's focus blue, opaque: 6.1:1 on white
# Outlines for what Streamlit leaves without a focus ring: the sidebar's page links, any page link, the
# charts' toolbar (fullscreen) buttons (:focus-visible: the keyboard shows it, a click does not), and the
# boxes one types in (a caret alone is hard to find), whose frame keeps its colour when focused.
FOCUS_STYLE = (
    "<style>[data-testid='stSidebarNav'] a:focus-visible,[data-testid='stPageLink'] a:focus-visible,"
    "[data-testid='stElementToolbar'] button:focus-visible,[data-testid='stMain'] a:focus-visible,"
    "[data-testid='stTextInputRootElement']:focus-within,[data-testid='stNumberInputContainer']:focus-within,"
    "[data-testid='stTextAreaRootElement']:focus-within,[data-baseweb='select']>div:focus-within"
    "{outline:3px solid " + FOCUS_COLOUR + " !important;outline-offset:1px}"
    "." + RING + "{pointer-events:none}</style>"
)

_SQUARES_SCRIPT = """<script>
(() => {
  if (window.digitsSquareKeys) return;
  window.digitsSquareKeys = true;
  const CHART = %s;
  const RING = %s;
  const SVG = "http://www.w3.org/2000/svg";
  let wanted = null;  // {index, until}: the square to focus again once the page has drawn its new chart
  const datum = (cell) => cell.__data__ && cell.__data__.datum;
  const cellsOf = (chart) => {
    const layer = chart.querySelector("g.mark-rect");
    const cells = layer ? [...layer.querySelectorAll(":scope > path")].filter(datum) : [];
    const grid = [];
    for (const cell of cells) grid[10 * datum(cell).true + datum(cell).predicted] = cell;
    return cells.length === 100 && grid.filter(Boolean).length === 100 ? grid : null;
  };
  const prepare = () => {
    for (const chart of document.querySelectorAll(CHART)) {
      const grid = cellsOf(chart);
      if (!grid) continue;
      if (!grid[0].hasAttribute("tabindex")) {
        let start = grid.findIndex((cell) => datum(cell).chosen);
        if (start < 0) start = 0;
        grid.forEach((cell, i) => {
          cell.setAttribute("tabindex", i === start ? "0" : "-1");
          cell.setAttribute("role", "button");
          cell.dataset.square = String(i);
        });
      }
      // The square pressed gets the focus back in the new chart, unless the focus has gone elsewhere.
      const now = document.activeElement;
      const stale = now && now.dataset && now.dataset.square !== undefined && !now.isConnected;
      const lost = !now || now === document.body || stale;
      if (wanted && lost && grid[wanted.index] !== now) {
        grid[wanted.index].focus();
        wanted = null;
      }
    }
    if (wanted && Date.now() > wanted.until) wanted = null;
  };
  const ring = (cell) => {
    const svg = cell.ownerSVGElement;
    for (const old of document.querySelectorAll("." + RING)) old.remove();
    if (!svg) return;
    const box = cell.getBoundingClientRect(), frame = svg.getBoundingClientRect();
    const scale = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width
      ? svg.viewBox.baseVal.width / frame.width : 1;
    for (const [colour, width] of [["#1c2833", 5], ["#ffffff", 2]]) {
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", RING);
      rect.setAttribute("aria-hidden", "true");
      rect.setAttribute("x", (box.left - frame.left) * scale + 1.5);
      rect.setAttribute("y", (box.top - frame.top) * scale + 1.5);
      rect.setAttribute("width", Math.max(box.width * scale - 3, 1));
      rect.setAttribute("height", Math.max(box.height * scale - 3, 1));
      rect.setAttribute("fill", "none");
      rect.setAttribute("stroke", colour);
      rect.setAttribute("stroke-width", width);
      svg.appendChild(rect);
    }
  };
  document.addEventListener("focusin", (event) => {
    const cell = event.target;
    if (cell.dataset && cell.dataset.square !== undefined && cell.closest(CHART)) ring(cell);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.dataset && event.target.dataset.square !== undefined) {
      for (const old of document.querySelectorAll("." + RING)) old.remove();
    }
  });
  document.addEventListener("keydown", (event) => {
    const cell = event.target;
    if (!cell.dataset || cell.dataset.square === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    const chart = cell.closest(CHART);
    const grid = chart && cellsOf(chart);
    if (!grid) return;
    const i = Number(cell.dataset.square), row = Math.floor(i / 10), column = i %% 10;
    const moves = {ArrowRight: [row, column + 1], ArrowLeft: [row, column - 1], ArrowDown: [row + 1, column],
                   ArrowUp: [row - 1, column], Home: [row, 0], End: [row, 9]};
    if (event.key in moves) {
      const [r, c] = moves[event.key];
      const next = grid[10 * Math.min(9, Math.max(0, r)) + Math.min(9, Math.max(0, c))];
      cell.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (event.repeat) return;
      wanted = {index: i, until: Date.now() + 20000};
      const box = cell.getBoundingClientRect();
      const at = {bubbles: true, cancelable: true, view: window,
                  clientX: box.left + box.width / 2, clientY: box.top + box.height / 2};
      cell.dispatchEvent(new MouseEvent("click", at));
    }
  });
  new MutationObserver(prepare).observe(document.body, {childList: true, subtree: true});
  prepare();
})();
</script>""" % (json.dumps(f".st-key-{CONTAINER} [data-testid='stVegaLiteChart']"), json.dumps(RING))  # noqa: UP031


def squares_by_keyboard() -> None:
    """Make the confusion matrix in the container ``CONTAINER`` a grid the keyboard can use (once per page)."""
    st.html(_SQUARES_SCRIPT, unsafe_allow_javascript=True)
