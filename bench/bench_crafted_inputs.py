"""Transitional: this benchmark is now bench.crafted_inputs (``python -m bench.crafted_inputs``).

Only tests/test_image_bounds.py and tests/test_crafted_inputs_browser.py still import its images
from here; delete this file once they import from bench.crafted_inputs.
"""

from bench.crafted_inputs import jpeg_claiming, large_gif, large_png, small_png

__all__ = ["jpeg_claiming", "large_gif", "large_png", "small_png"]
