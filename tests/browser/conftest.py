"""Fixtures the browser tests share (the app server and chromium are in tests/conftest.py)."""

import pytest

from digitlib.mnist import sampling
from digitlib.scoring import evaluate
from digitlib.svm import model


@pytest.fixture(scope="module")
def lesson_500(mnist):
    """The lesson's second step on the first 100 test images, computed here, not by the app."""
    svc = model.train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, 500))
    return evaluate.evaluate(svc, mnist.x_test, mnist.y_test)
