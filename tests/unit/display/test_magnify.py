import numpy as np

from digitlib.display import magnify


def test_a_digit_keeps_square_pixels():
    image = np.zeros((28, 28), np.uint8)
    image[3, 5] = 255
    big = magnify.enlarge(image, 84)
    assert big.shape == (84, 84)
    assert (big[9:12, 15:18] == 255).all() and big.sum() == 255 * 9


def test_a_wide_piece_is_padded_to_a_square_and_centred():
    big = magnify.enlarge(np.full((10, 20), 200, np.uint8), 40)
    assert big.shape == (40, 40)
    assert (big[:10] == 0).all() and (big[-10:] == 0).all() and (big[10:30] == 200).all()
