import numpy as np
import pytest
from scipy import ndimage

from digitlib.drawing import preprocess
from digitlib.neural import augment as aug


@pytest.fixture(scope="module")
def images():
    from digitlib.mnist import data

    return data.load("bundled").x_train[:2000]


def ink(batch):
    return batch.reshape(len(batch), -1).sum(axis=1, dtype=np.int64)


def centres(batch):
    return np.array([ndimage.center_of_mass(img.astype(np.float64)) for img in batch])


def test_shape_dtype_and_input_untouched(images):
    before = images.copy()
    out = aug.augment(images, seed=0, epoch=0)
    assert out.shape == images.shape and out.dtype == np.uint8
    assert out is not images and not np.shares_memory(out, images)
    np.testing.assert_array_equal(images, before)
    assert aug.augment(images[:0], 0, 0).shape == (0, 28, 28)


def test_refuses_other_shapes_and_types(images):
    with pytest.raises(ValueError, match="28, 28"):
        aug.augment(images.reshape(len(images), 784), 0, 0)
    with pytest.raises(ValueError, match="uint8"):
        aug.augment(images.astype(np.float32), 0, 0)


def test_deterministic_per_seed_and_epoch(images):
    batch = images[:300]
    first = aug.augment(batch, seed=7, epoch=3)
    np.testing.assert_array_equal(first, aug.augment(batch, seed=7, epoch=3))
    for other in (aug.augment(batch, seed=7, epoch=4), aug.augment(batch, seed=8, epoch=3)):
        differs = (other != first).reshape(len(batch), -1).any(axis=1)
        assert differs.mean() > 0.9


def test_random_changes_stay_within_limits():
    dy, dx, angle, stroke = aug._draw(20000, seed=1, epoch=2)
    assert set(dy) == set(dx) == set(range(-aug.LIMITS.shift, aug.LIMITS.shift + 1))
    assert set(stroke) == set(aug.LIMITS.stroke) == {-1, 0, 1}
    assert np.abs(angle).max() == aug.LIMITS.angle == 12
    assert np.abs(angle).min() == 0 and len(np.unique(angle)) == 97  # every quarter degree
    assert abs(angle.mean()) < 0.3 and abs(dy.mean()) < 0.05 and abs(dx.mean()) < 0.05


def test_each_change_is_the_draw_pages_adjust(images):
    """Per image, augmentation is exactly Draw's sliders (preprocess.adjust), to within rounding."""
    rng = np.random.default_rng(0)
    for image in images[:60]:
        dy, dx = (int(v) for v in rng.integers(-2, 3, 2))
        angle = float(rng.integers(-48, 49) * 0.25)
        stroke = int(rng.choice([0, 1])) if ink(image[None])[0] < 15000 else int(rng.integers(-1, 2))
        got = aug._apply(image[None], np.array([dy]), np.array([dx]), np.array([angle]), np.array([stroke]))[0]
        want = preprocess.adjust(image, dx=dx, dy=dy, angle=angle, thicken=stroke)
        assert np.abs(got.astype(int) - want).max() <= 1, (dy, dx, angle, stroke)


def test_centre_of_mass_moves_by_the_shift(images):
    com = centres(images)
    centred = images[np.abs(com - 13.5).max(axis=1) < 1.0][:400]
    assert len(centred) > 200
    dy, dx, _, stroke = aug._draw(len(centred), seed=5, epoch=0)
    moved = centres(aug.augment(centred, seed=5, epoch=0)) - centres(centred)
    off = np.abs(moved - np.column_stack([dy, dx])).max(axis=1)
    # The shift itself (up to 2 px each way), give or take a little rotation and the half pixel
    # a 2x2 dilation moves the mass; a 2x2 erosion of uneven strokes can move it up to 2 px.
    assert off[stroke >= 0].max() <= 1.25
    assert off[stroke < 0].max() <= 2.5
    assert np.abs(moved[stroke >= 0]).max() <= aug.LIMITS.shift + 1.25
    assert np.abs(moved).max() > 1.5  # shifts happen


def test_stroke_width_changes_the_ink(images):
    batch = images[:600]
    ratio = ink(aug.augment(batch, seed=2, epoch=0)) / ink(batch)
    assert (ratio > 1.25).mean() > 0.2  # thicker
    assert (ratio < 0.8).mean() > 0.2  # thinner
    assert ratio.min() > 0.1  # no digit is wiped out


def test_thin_digit_keeps_its_width_rather_than_vanish():
    line = np.zeros((1, 28, 28), np.uint8)
    line[0, 4:24, 14] = 255  # a one-pixel "1"
    kept = aug._apply(line, np.array([0]), np.array([0]), np.array([0.0]), np.array([-1]))
    np.testing.assert_array_equal(kept, line)
    thick = aug._apply(line, np.array([0]), np.array([0]), np.array([0.0]), np.array([1]))
    assert ink(thick)[0] == 2 * 21 * 255  # a 2x2 dilation: one pixel wider and one longer


def test_blank_stays_blank_and_ink_stays_in_range(images):
    batch = images[:200].copy()
    batch[::4] = 0
    out = aug.augment(batch, seed=3, epoch=1)
    assert not out[::4].any()
    assert out.max() == 255 and out.min() == 0
    full = np.full((20, 28, 28), 255, np.uint8)
    assert aug.augment(full, seed=0, epoch=0).max() == 255


def test_images_really_change(images):
    out = aug.augment(images, seed=11, epoch=0)
    same = (out == images).reshape(len(images), -1).all(axis=1)
    assert same.mean() < 0.02


def test_a_whole_training_set_sized_batch(images):
    many = np.tile(images, (10, 1, 1))  # 20,000 images
    out = aug.augment(many, seed=0, epoch=0)
    assert out.shape == many.shape and out.dtype == np.uint8
    # Copies of the same digit each get their own random change.
    differs = (out[:2000] != out[2000:4000]).reshape(2000, -1).any(axis=1)
    assert differs.mean() > 0.9


def test_describe_names_the_limits():
    text = aug.describe()
    assert "2 pixels" in text and "12 degrees" in text and "thinner" in text and "thicker" in text
    assert text.count(".") == 1 and text.endswith(".")
