"""A digit drawn in the browser, turned into what the model reads.

* ``image_bounds``: checking the canvas's image before anything decodes it.
* ``preprocess``: a drawing to the 28 x 28 image, the way MNIST was made, with each step kept.
* ``neighbours``: the training images closest to a drawing.
* ``handwriting``: synthetic pen strokes for every digit, to test and measure Draw as people use it.
"""
