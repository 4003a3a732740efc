"""digitlib: the computations behind the digits app (no streamlit here).

Modules, one per concern: ``data`` (loading MNIST), ``sampling`` (choosing training
images), ``model`` (training and predicting), ``evaluate`` (scores), ``plots``
(figures), ``preprocess`` (drawings to 28x28), ``store`` (models on disk).
"""

__version__ = "0.1.0"
