import subprocess
import sys

import numpy as np
from sklearn.svm import SVC

from digitlib.svm import fast_fit, model_files, ready_svc, shipped
from digitlib.svm.model import features


def test_a_shipped_model_is_read_and_predicts_without_scikit_learn():
    """A fresh server's first Train or Evaluate page loads a shipped model; scikit-learn is not imported for it."""
    code = ("import sys\nfrom digitlib.mnist import data\nfrom digitlib.svm import shipped\n"
            "mnist = data.load()\nmodel = shipped.load(mnist, 100)\n"
            "print(list(model.predict(mnist.x_test[:100])), len(model.estimator.support_), "
            "list(model.estimator.n_support_))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[-1] == "[]"
    assert out[0].startswith("[") and len(out[0].split(",")) > 100


def test_what_it_does_not_hold_is_asked_of_the_real_svc(mnist, pixels_test):
    est = shipped.load(mnist, 100).estimator
    assert isinstance(est, ready_svc.ReadySVC)
    real = ready_svc.as_sklearn(est)
    assert isinstance(real, SVC) and ready_svc.as_sklearn(est) is real and ready_svc.as_sklearn(real) is real
    assert real.support_vectors_ is est.support_vectors_ and real._dual_coef_ is real.dual_coef_  # shared, as fit
    assert np.array_equal(est.n_support_, real.n_support_) and est.get_params() == real.get_params()
    assert est.degree == 3  # a parameter it does not hold
    x = fast_fit.to_features(pixels_test[:200])
    assert est.predict(x).tobytes() == real.predict(x).tobytes()
    images = mnist.x_test[:200]
    assert np.array_equal(shipped.load(mnist, 100).predict(images), real.predict(features(images)))


def test_a_download_is_scikit_learns_svc(mnist):
    import skops.io as sio

    model = shipped.load(mnist, 100)
    loaded = sio.loads(model_files.export(model), trusted=model_files.TRUSTED_TYPES)
    assert type(loaded) is SVC
    assert shipped.differing_attributes(loaded, model.estimator) == []
