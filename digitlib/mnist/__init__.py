"""The MNIST images: where they come from and which of them a model learns from.

* ``data``: loading MNIST (the bundled copy, keras, or a file the user names) and checking it.
* ``keras_source``: the lesson's ``mnist.load_data()``, run in a short-lived child process.
* ``sampling``: choosing the training images (the first N, a balanced N, a random N).
* ``pixels``: what the training images share, pixel by pixel (mean images, ink per pixel).
"""
