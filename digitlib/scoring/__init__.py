"""How well a model does on the test images, and against another model.

* ``evaluate``: accuracy, confusion matrix and per-digit scores on the first M test images.
* ``shipped_answers``: the shipped models' answers on the test images, recorded with them, so scoring
  one predicts nothing.
* ``comparison``: two models on the same test images: what got better and what got worse.
* ``sampling_curves``: learning curves for the first N, a balanced N and a random N.
"""
