"""digitlib: the computations behind the digits app; it never imports streamlit or TensorFlow.

Packages, one per topic (each ``__init__`` is the map of its modules):

* ``mnist``: loading the images and choosing the training sample.
* ``svm``: the lesson's support-vector classifier: training, predicting, files, the shared registry.
* ``neural``: a small convolutional network, trained in a separate process.
* ``drawing``: a drawing or a canvas image turned into the 28 x 28 input.
* ``scoring``: accuracy, confusion, comparisons and learning curves.
* ``display``: charts, figures, the lesson's code and model links.
* ``classroom``: the class space (codes, drawings, the board, questions) in SQLite or PostgreSQL.
* ``servers``: several app servers sharing one database and one model folder (a model trained once).

Modules at the top: ``errors`` (one error type per failure, each with a teacher's sentence),
``serving`` (process settings for a server with many sessions) and ``cli`` (``python -m digitlib``).
"""

__version__ = "0.1.0"
