"""The network's layers, written down once.

``build`` makes the Keras model (it is handed the ``keras`` module, so importing this
file never imports TensorFlow); ``digitlib.neural.forward`` runs the same layers in
numpy from the saved weights. Change a layer here and bump ``VERSION``: the cached
networks are then retrained.
"""

from __future__ import annotations

from digitlib.language import N_, _
from digitlib.language.formats import localize

VERSION = 1
IMAGE = 28
CONV1_FILTERS, CONV2_FILTERS, KERNEL = 16, 32, 5
HIDDEN = 100
LEARNING_RATE = 2e-3  # Adam's starting step, decayed to zero along a cosine over the training

# The weight arrays the numpy forward pass needs, with their shapes (Keras's layout).
WEIGHTS = {
    "conv1_kernel": (KERNEL, KERNEL, 1, CONV1_FILTERS),
    "conv1_bias": (CONV1_FILTERS,),
    "conv2_kernel": (KERNEL, KERNEL, CONV1_FILTERS, CONV2_FILTERS),
    "conv2_bias": (CONV2_FILTERS,),
    "hidden_kernel": (4 * 4 * CONV2_FILTERS, HIDDEN),
    "hidden_bias": (HIDDEN,),
    "output_kernel": (HIDDEN, 10),
    "output_bias": (10,),
}

# The layers for a student, in order: its name and what it does (both marked, translated where shown with
# ``describe_layers``), and the numbers the description's placeholders take.
LAYERS = [
    (N_("Input"), N_("28 × 28 pixels, scaled to 0–1"), {}),
    (N_("Convolution"), N_("{filters} filters of {kernel} × {kernel} pixels slide over the image; each lights up "
                           "where its small pattern (an edge, a curve's piece) appears → 16 maps of 24 × 24"),
     {"filters": CONV1_FILTERS, "kernel": KERNEL}),
    (N_("Max pooling"), N_("keeps the strongest response in each 2 × 2 square → 16 maps of 12 × 12"), {}),
    (N_("Convolution"), N_("{filters} filters combine the first maps into bigger shapes (loops, corners) → "
                           "32 maps of 8 × 8"), {"filters": CONV2_FILTERS}),
    (N_("Max pooling"), N_("→ 32 maps of 4 × 4"), {}),
    (N_("Dense"), N_("{units} units, each weighing all 512 numbers"), {"units": HIDDEN}),
    (N_("Output"), N_("10 units, one per digit; softmax turns them into probabilities that add up to 1"), {}),
]


def describe_layers() -> list[tuple[str, str]]:
    """Each layer's name and what it does, in the current language."""
    return [(_(name), _(text).format(**{k: localize(v) for k, v in values.items()})) for name, text, values in LAYERS]


def build(keras):
    """The Keras model (untrained). ``keras`` is the imported module, passed in by the worker."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((IMAGE, IMAGE, 1)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(CONV1_FILTERS, KERNEL, activation="relu", name="conv1"),
        layers.MaxPooling2D(),
        layers.Conv2D(CONV2_FILTERS, KERNEL, activation="relu", name="conv2"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(HIDDEN, activation="relu", name="hidden"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="digits_cnn")


def weights_of(model) -> dict:
    """The trained Keras model's weights by the names in ``WEIGHTS``."""
    out = {}
    for layer in ("conv1", "conv2", "hidden", "output"):
        kernel, bias = model.get_layer(layer).get_weights()
        out[f"{layer}_kernel"], out[f"{layer}_bias"] = kernel, bias
    return out
