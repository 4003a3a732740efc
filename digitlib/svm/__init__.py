"""The lesson's support-vector classifier, trained exactly as ``sklearn.svm.SVC().fit`` but faster.

* ``model_spec``: ``ModelSpec``, what decides a trained model (N, sampling, C, gamma, kernel), and the curve's sizes.
* ``model``: ``train`` and ``DigitModel``, the classifier with its predictions and votes.
* ``scaling``: ``to_features``, pixel bytes as the model's 0-1 input (numpy only, shared by fit and predict).
* ``fast_fit`` and ``fast_predict``: the exact fast fit and prediction, bit-identical to scikit-learn's.
* ``plans``: how the fit trains within a memory budget (``plan_for``, ``DIGITS_TRAIN_MEMORY_MB``).
* ``smo``: libsvm's pair solver repeated step for step, on kernel rows made on demand.
* ``kernel_rows``: those kernel rows, each digit's own ones shared by its 9 pairs.
* ``exact_kernel``: RBF kernel blocks with the very values libsvm trains on.
* ``support_vectors``: what the model keeps, and the ones behind an answer.
* ``model_files``: trained models on disk (skops, never pickle), and the downloads.
* ``shipped``: the learning-curve models that come with the repository.
* ``ready_svc``: a shipped model's fitted SVC, usable before scikit-learn is imported.
* ``registry``: models shared by every session: in memory, on disk, or training in the background.
"""
