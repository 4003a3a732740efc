"""The trained network's forward pass in plain numpy.

The worker trains with TensorFlow and saves the weights; the app server answers with
these few array operations instead, so it never imports TensorFlow (7 s and 750 MB).
Tests check the answers against Keras's own predictions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from digitlib.errors import ModelCacheError
from digitlib.language import N_, _

from . import architecture

BATCH = 500  # images per step: bounds the temporary window arrays to tens of MB


@dataclass(frozen=True)
class Network:
    """A trained network's weights, ready to read digits."""

    weights: dict

    @classmethod
    def from_arrays(cls, arrays) -> Network:
        """Check every weight array is present, float and the right shape; raise ``ModelCacheError`` if not."""
        weights = {}
        for name, shape in architecture.WEIGHTS.items():
            if name not in arrays:
                raise ModelCacheError(N_("The saved network has no {name} weights."), name=name)
            value = np.asarray(arrays[name])
            if value.shape != shape or value.dtype.kind != "f" or not np.isfinite(value).all():
                raise ModelCacheError(N_("The saved network's {name} weights are damaged."), name=name)
            weights[name] = value.astype(np.float32)
        return cls(weights)

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Each image's probability of being each digit, shape (n, 10); rows add up to 1."""
        x = _as_batch(images)
        return np.concatenate([self._forward(x[i:i + BATCH]) for i in range(0, len(x), BATCH)]) if len(x) else (
            np.zeros((0, 10), np.float32))

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Predicted digits for uint8 images, (n, 28, 28), (28, 28) or (n, 784)."""
        return self.probabilities(images).argmax(axis=1)

    @property
    def filters(self) -> np.ndarray:
        """The first layer's filters, shape (16, 5, 5): the small patterns it looks for."""
        return self.weights["conv1_kernel"][:, :, 0, :].transpose(2, 0, 1)

    def first_layer(self, image: np.ndarray) -> np.ndarray:
        """The first layer's response maps to one image, shape (16, 24, 24), after ReLU."""
        x = _as_batch(image)[:1, :, :, None] / np.float32(255)
        return _conv_relu(x, self.weights["conv1_kernel"], self.weights["conv1_bias"])[0].transpose(2, 0, 1)

    @property
    def parameters(self) -> int:
        return int(sum(w.size for w in self.weights.values()))

    def _forward(self, images: np.ndarray) -> np.ndarray:
        w = self.weights
        x = images[:, :, :, None].astype(np.float32) / np.float32(255)
        x = _pool(_conv_relu(x, w["conv1_kernel"], w["conv1_bias"]))
        x = _pool(_conv_relu(x, w["conv2_kernel"], w["conv2_bias"]))
        x = np.maximum(x.reshape(len(x), -1) @ w["hidden_kernel"] + w["hidden_bias"], 0)
        logits = x @ w["output_kernel"] + w["output_bias"]
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)


def _as_batch(images: np.ndarray) -> np.ndarray:
    x = np.asarray(images)
    if x.ndim == 2 and x.shape == (architecture.IMAGE, architecture.IMAGE):
        x = x[None]
    elif x.ndim == 2 and x.shape[1] == architecture.IMAGE ** 2:
        x = x.reshape(-1, architecture.IMAGE, architecture.IMAGE)
    if x.ndim != 3 or x.shape[1:] != (architecture.IMAGE, architecture.IMAGE):
        raise ValueError(_("expected 28x28 images, got shape {shape}").format(shape=x.shape))
    return x


def _conv_relu(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A 'valid' convolution (Keras's Conv2D, channels last) followed by ReLU."""
    kh, kw, cin, cout = kernel.shape
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))  # (n, h', w', cin, kh, kw), no copy
    out = np.tensordot(windows, kernel.transpose(2, 0, 1, 3), axes=([3, 4, 5], [0, 1, 2]))
    return np.maximum(out + bias, 0)


def _pool(x: np.ndarray) -> np.ndarray:
    """2 × 2 max pooling."""
    n, h, w, c = x.shape
    return x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
