import numpy as np
import pytest

from digitlib.drawing import handwriting, neighbours, preprocess


@pytest.fixture(scope="module")
def index(mnist):
    return neighbours.Index(mnist.x_train)


def test_closest_finds_an_image_itself_first(mnist):
    assert neighbours.closest(mnist.x_train[123], mnist.x_train[:1000], k=3)[0] == 123


def test_index_agrees_with_the_exhaustive_search(mnist, index):
    drawings = [preprocess.prepare(handwriting.render(d)).centred
                for d in handwriting.drawing_set(per_digit=4, seed=11)]
    queries = drawings + list(mnist.x_test[:120])
    for image in queries:
        assert np.array_equal(index.closest(image, k=8), neighbours.closest(image, mnist.x_train, k=8))


def test_index_is_small_and_keeps_no_copy_of_the_pixels(mnist, index):
    assert index.nbytes < 12 * 2**20
    assert np.shares_memory(index.images, mnist.x_train)
