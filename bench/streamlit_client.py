"""Transitional: the light client moved to bench.loadtest.client (and its canvas values to bench.loadtest.canvas).

Only tests/test_image_bounds.py and tests/test_crafted_inputs_browser.py still import it from here;
delete this file once they import from bench.loadtest.
"""

from bench.loadtest.canvas import canvas_value, crafted_canvas_value, data_url
from bench.loadtest.client import StreamlitClient

__all__ = ["StreamlitClient", "canvas_value", "crafted_canvas_value", "data_url"]
