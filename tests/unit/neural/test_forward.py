import numpy as np
import pytest
from scipy import signal

from digitlib.errors import ModelCacheError
from digitlib.neural import architecture, forward
from digitlib.neural.forward import Network


def random_weights(seed=0):
    """Weights of the right shapes, scaled so that every layer passes something on."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in architecture.WEIGHTS.items():
        fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 10
        out[name] = (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)
    return out


@pytest.fixture(scope="module")
def net():
    return Network.from_arrays(random_weights())


@pytest.fixture(scope="module")
def images():
    from digitlib.mnist import data

    return data.load("bundled").x_test[:40]


# --- from_arrays ---------------------------------------------------------------------

@pytest.mark.parametrize("name", list(architecture.WEIGHTS))
def test_refuses_missing_weights(name):
    weights = random_weights()
    del weights[name]
    with pytest.raises(ModelCacheError, match=f"no {name} weights"):
        Network.from_arrays(weights)


@pytest.mark.parametrize("name", list(architecture.WEIGHTS))
def test_refuses_wrongly_shaped_weights(name):
    weights = random_weights()
    weights[name] = np.zeros(weights[name].shape + (1,), np.float32)
    with pytest.raises(ModelCacheError, match=f"{name} weights are damaged"):
        Network.from_arrays(weights)
    weights[name] = weights[name].reshape(-1)[:-1]  # flat, one short
    with pytest.raises(ModelCacheError, match="damaged"):
        Network.from_arrays(weights)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_refuses_weights_that_are_not_finite(bad):
    weights = random_weights()
    weights["hidden_kernel"][3, 7] = bad
    with pytest.raises(ModelCacheError, match="hidden_kernel weights are damaged"):
        Network.from_arrays(weights)


def test_refuses_weights_that_are_not_floats():
    weights = random_weights()
    weights["output_bias"] = np.zeros(10, np.int64)
    with pytest.raises(ModelCacheError, match="output_bias"):
        Network.from_arrays(weights)
    weights["output_bias"] = np.array(["x"] * 10)
    with pytest.raises(ModelCacheError, match="output_bias"):
        Network.from_arrays(weights)


def test_keeps_float32_copies_and_ignores_extra_arrays():
    weights = {k: v.astype(np.float64) for k, v in random_weights().items()}
    net = Network.from_arrays({**weights, "predictions": np.zeros(5, np.uint8)})
    assert set(net.weights) == set(architecture.WEIGHTS)
    assert all(w.dtype == np.float32 for w in net.weights.values())
    np.testing.assert_allclose(net.weights["conv2_kernel"], weights["conv2_kernel"], rtol=1e-6)
    assert net.parameters == 416 + 12_832 + 51_300 + 1_010  # Keras's count for these layers


# --- predictions ---------------------------------------------------------------------

def test_probabilities_rows_sum_to_one(net, images):
    p = net.probabilities(images)
    assert p.shape == (len(images), 10)
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert len(np.unique(net.predict(images))) > 1  # the random network does not answer one digit for all


def test_accepts_one_image_a_stack_or_flat_rows(net, images):
    stack = net.probabilities(images[:5])
    np.testing.assert_allclose(net.probabilities(images[0]), stack[:1], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(net.probabilities(images[:5].reshape(5, 784)), stack, rtol=1e-5, atol=1e-7)
    assert net.predict(images[0]).shape == (1,)
    np.testing.assert_array_equal(net.predict(images[:5].reshape(5, 784)), stack.argmax(axis=1))
    assert net.probabilities(images[:0]).shape == (0, 10)


@pytest.mark.parametrize("shape", [(28, 27), (27, 28), (784,), (3, 28), (3, 783), (2, 28, 28, 1), (2, 14, 56)])
def test_refuses_other_shapes(net, shape):
    with pytest.raises(ValueError, match="28x28"):
        net.probabilities(np.zeros(shape, np.uint8))


def test_big_batches_give_the_same_answers_as_single_images(net, images):
    many = np.concatenate([images] * 14)[: forward.BATCH + 37]  # more than one step
    p = net.probabilities(many)
    assert p.shape == (forward.BATCH + 37, 10)
    for i in (0, 39, forward.BATCH - 1, forward.BATCH, forward.BATCH + 36):
        np.testing.assert_allclose(p[i], net.probabilities(many[i])[0], rtol=1e-4, atol=1e-6)


def test_filters_and_first_layer_shapes(net, images):
    assert net.filters.shape == (16, 5, 5)
    for k in (0, 9, 15):
        np.testing.assert_array_equal(net.filters[k], net.weights["conv1_kernel"][:, :, 0, k])
    maps = net.first_layer(images[0])
    assert maps.shape == (16, 24, 24)
    assert (maps >= 0).all() and (maps > 0).any()
    np.testing.assert_array_equal(net.first_layer(images[:3]), maps)  # the first image of a stack


# --- independent references ------------------------------------------------------------

def slow_conv_relu(x, kernel, bias):
    """Keras's 'valid' Conv2D (cross-correlation, channels last) and ReLU, one output at a time."""
    h, w, _ = x.shape
    kh, kw, _, cout = kernel.shape
    out = np.zeros((h - kh + 1, w - kw + 1, cout))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            for c in range(cout):
                out[i, j, c] = max(0.0, float((x[i:i + kh, j:j + kw, :] * kernel[:, :, :, c]).sum() + bias[c]))
    return out


def slow_pool(x):
    h, w, c = x.shape
    out = np.zeros((h // 2, w // 2, c))
    for i in range(h // 2):
        for j in range(w // 2):
            out[i, j] = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].max(axis=(0, 1))
    return out


def test_first_layer_matches_scipy_correlate(net, images):
    x = images[3].astype(np.float64) / 255
    maps = net.first_layer(images[3])
    for k in range(16):
        want = signal.correlate(x, net.filters[k].astype(np.float64), mode="valid") + net.weights["conv1_bias"][k]
        np.testing.assert_allclose(maps[k], np.maximum(want, 0), rtol=1e-4, atol=1e-5)


def test_conv_relu_matches_an_explicit_loop(net, images):
    x = images[5].astype(np.float32)[:, :, None] / 255
    got = forward._conv_relu(x[None], net.weights["conv1_kernel"], net.weights["conv1_bias"])[0]
    np.testing.assert_allclose(got, slow_conv_relu(x, net.weights["conv1_kernel"], net.weights["conv1_bias"]),
                               rtol=1e-4, atol=1e-5)
    deep = np.random.default_rng(1).random((12, 12, 16)).astype(np.float32)  # the second layer's many channels
    got = forward._conv_relu(deep[None], net.weights["conv2_kernel"], net.weights["conv2_bias"])[0]
    assert got.shape == (8, 8, 32)
    np.testing.assert_allclose(got, slow_conv_relu(deep, net.weights["conv2_kernel"], net.weights["conv2_bias"]),
                               rtol=1e-4, atol=1e-5)


def test_pool_matches_an_explicit_loop():
    x = np.random.default_rng(2).random((2, 9, 8, 3)).astype(np.float32)  # an odd size loses its last row
    got = forward._pool(x)
    assert got.shape == (2, 4, 4, 3)
    for i in range(2):
        np.testing.assert_array_equal(got[i], slow_pool(x[i]))


def test_whole_network_matches_an_explicit_computation(net, images):
    w = net.weights
    for image in images[:2]:
        x = image.astype(np.float64)[:, :, None] / 255
        x = slow_pool(slow_conv_relu(x, w["conv1_kernel"], w["conv1_bias"]))
        x = slow_pool(slow_conv_relu(x, w["conv2_kernel"], w["conv2_bias"]))
        x = np.maximum(x.reshape(-1) @ w["hidden_kernel"] + w["hidden_bias"], 0)
        logits = x @ w["output_kernel"] + w["output_bias"]
        want = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        np.testing.assert_allclose(net.probabilities(image)[0], want, rtol=1e-4, atol=1e-6)
