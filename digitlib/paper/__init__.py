"""A number written on paper and photographed, or written on a wide canvas, read digit by digit.

* ``photo_bounds``: an uploaded photo checked from its header (format, bytes, pixels), then decoded small and upright.
* ``ink``: a grey photo of paper to its ink: light and shadow evened out, the page straightened.
* ``lines``: ruled lines, squared grids and margins found and taken out, the digits' strokes kept.
* ``segmentation``: the ink cut into digits left to right: broken ones joined, touching ones split, specks dropped.
* ``reading``: ``read_photo``, ``read_number`` and ``read_canvas_number``, and the ``NumberReading`` they return (its
  steps' pictures sized to be read when shown small: ``boxes_image``, ``lines_image``).
* ``split_choice``: whether a wide piece is one digit or touching ones, for the network: a logistic regression
  fitted on MNIST's training digits (``scripts/fit_split_choice.py``, ``assets/paper/split_choice.json``).
* ``digit_scores``: the model's scores for each digit, and how sure it is (the SVM's weakest duel, top probability).
* ``naive``: the straightforward pipeline (local threshold, components, the SVM) that ``reading`` is measured against.
* ``writers``: who writes the synthetic numbers: handwriting strokes, matplotlib's fonts, MNIST's test digits.
* ``synthetic``: photographed numbers made here (handwriting strokes and fonts on generated paper), to test and measure.
"""
