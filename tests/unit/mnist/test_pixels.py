import numpy as np

from digitlib.mnist import pixels


def test_mean_images_equal_a_direct_float64_mean(mnist):
    images, labels = mnist.x_train[:3000], mnist.y_train[:3000]
    summary = pixels.summarize(images, labels)
    direct = np.stack([images[labels == d].astype(np.float64).mean(axis=0) for d in range(10)])
    assert summary.means.shape == (10, 28, 28)
    np.testing.assert_allclose(summary.means, direct, rtol=0, atol=1e-12)
    assert summary.digit_counts.tolist() == np.bincount(labels, minlength=10).tolist()


def test_blank_and_rare_pixels_of_a_synthetic_set():
    images = np.zeros((2000, 28, 28), np.uint8)
    labels = np.arange(2000) % 10
    images[:, 10:20, 10:20] = 200  # inked in every image: 100 pixels
    images[0, 0, :5] = 1  # inked once (1 in 2,000): 5 rare pixels
    images[:3, 27, 27] = 9  # inked in 3 of 2,000 (more than 1 in 1,000): not rare
    summary = pixels.summarize(images, labels)
    assert summary.n_images == 2000
    assert summary.blank_count == 784 - 100 - 5 - 1
    assert summary.rare_count() == summary.blank_count + 5
    assert summary.ink_share[15, 15] == 1.0 and summary.ink_share[0, 0] == 1 / 2000
    assert summary.blank[27, 0] and not summary.blank[27, 27]


def test_a_digit_without_images_has_no_mean():
    summary = pixels.summarize(np.full((4, 28, 28), 255, np.uint8), np.array([0, 0, 1, 1]))
    assert np.all(summary.means[0] == 255) and np.all(np.isnan(summary.means[2]))


def test_mnist_training_set(mnist):
    summary = pixels.summarize(mnist.x_train, mnist.y_train)
    # The issue said "a quarter of the pixels are always blank": 67 of 784 (8.5%) are; a
    # quarter (189, 24%) have ink in fewer than 1 in 1,000 images.
    assert summary.blank_count == 67
    assert summary.rare_count() == 189
    assert summary.n_images == 60_000
    assert summary.digit_counts.tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert summary.blank[0, 0] and summary.ink_share[14, 14] > 0.5
