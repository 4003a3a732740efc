"""A shipped model's fitted SVC, ready before scikit-learn is imported (issue 20).

A fresh server's first Train or Evaluate page loads a shipped model, and building ``sklearn.svm.SVC`` for it
meant importing scikit-learn: 0.7-2 s of that first answer. The page needs only the model's arrays (prediction
goes through ``fast_predict``, the test answers were recorded with the model). ``ReadySVC`` holds the
attributes ``SVC.fit`` sets, read as an SVC's; anything else it is asked (libsvm's own predict for a near tie,
``decision_function``, ``get_params``) goes to a real ``SVC`` made from the same arrays on first need.
``as_sklearn`` gives that real SVC, for a download or a comparison attribute by attribute.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sklearn.svm import SVC


class ReadySVC:
    """A fitted SVC's parameters and fitted attributes; scikit-learn's ``SVC`` behind them when first needed."""

    def __init__(self, params: dict, fitted: dict):
        self.__dict__.update(params)
        self.__dict__.update(fitted)
        self._ready_params = dict(params)
        self._ready_fitted = tuple(fitted)
        self._ready_svc = None
        self._ready_lock = threading.Lock()

    @property
    def n_support_(self):
        """Support vectors per class, as ``SVC.n_support_`` gives them for a fitted classifier."""
        return self._n_support

    def sklearn(self) -> SVC:
        """The real ``SVC``: the same parameters, its fitted attributes the same arrays (not copies)."""
        with self._ready_lock:
            if self._ready_svc is None:
                from sklearn.svm import SVC

                est = SVC(**self._ready_params)
                for name in self._ready_fitted:
                    setattr(est, name, self.__dict__[name])
                self._ready_svc = est
            return self._ready_svc

    def __getattr__(self, name: str):  # only for what is not held here: SVC's methods and other parameters
        if name.startswith(("_ready_", "__")):  # copy, pickle and numpy probe dunders: not an SVC's business
            raise AttributeError(name)
        return getattr(self.sklearn(), name)


def as_sklearn(est) -> SVC:
    """``est`` as scikit-learn's own ``SVC`` (the real one behind a ``ReadySVC``)."""
    return est.sklearn() if isinstance(est, ReadySVC) else est
