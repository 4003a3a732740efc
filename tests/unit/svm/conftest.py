"""The test images as the SVM tests need them: scaled features for scikit-learn, raw pixel rows for fast_predict."""

import pytest

from digitlib.svm import model


@pytest.fixture(scope="module")
def x_test(mnist):
    return model.features(mnist.x_test)


@pytest.fixture(scope="module")
def pixels_test(mnist):
    return mnist.x_test.reshape(-1, 784)
