"""What decides a trained network, and the name its files are kept under."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from digitlib.errors import InvalidSettingError
from digitlib.language import N_, formats, ngettext
from digitlib.mnist import sampling

from . import architecture

FORMAT_VERSION = 1
# Small samples get more passes so the network sees enough examples to learn; big ones need few.
MIN_EPOCHS, MAX_EPOCHS, IMAGES_SEEN = 6, 50, 60_000
MAX_ALLOWED_EPOCHS = 100


@dataclass(frozen=True)
class NetSpec:
    """The training sample (as on Train), the passes over it, and whether its images are augmented."""

    n: int = 500
    mode: str = "first"
    seed: int = 0
    augment: bool = False
    epochs: int | None = None  # None: chosen from n by ``epochs_for``

    def __post_init__(self):
        if self.mode not in sampling.MODES:
            raise InvalidSettingError(N_("Unknown sampling mode {mode}; choose one of {modes}."),
                                      mode=repr(self.mode), modes=", ".join(sampling.MODES))
        if self.n < 1:
            raise InvalidSettingError(N_("The network needs at least one training image; got {n}."), n=self.n)
        if self.epochs is not None and not 1 <= self.epochs <= MAX_ALLOWED_EPOCHS:
            raise InvalidSettingError(N_("Passes over the data must be between 1 and {most}; got {epochs}."),
                                      most=MAX_ALLOWED_EPOCHS, epochs=self.epochs)

    @property
    def passes(self) -> int:
        """Epochs: passes over the training sample."""
        return self.epochs if self.epochs is not None else epochs_for(self.n)

    @property
    def batch_size(self) -> int:
        """Images per training step: small batches for small samples, so they still get many steps."""
        return 32 if self.n <= 2_000 else 64 if self.n <= 10_000 else 128

    @property
    def sample_seed(self) -> int:
        return self.seed if self.mode != "first" else 0

    def describe(self) -> str:
        sample = sampling.describe(self.mode, self.n, self.sample_seed)
        if self.augment:
            text = ngettext("{passes} pass, augmented, on the {sample}", "{passes} passes, augmented, on the {sample}",
                            self.passes)
        else:
            text = ngettext("{passes} pass, on the {sample}", "{passes} passes, on the {sample}", self.passes)
        return text.format(passes=formats.count(self.passes), sample=sample)

    def key(self, data_fingerprint: str) -> str:
        """A file-name-safe name for everything that decides the trained network."""
        text = json.dumps([FORMAT_VERSION, architecture.VERSION, data_fingerprint, self.mode, self.n, self.sample_seed,
                           bool(self.augment), self.passes, self.batch_size])
        aug = "-aug" if self.augment else ""
        return f"cnn-{self.mode}-{self.n}{aug}-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def epochs_for(n: int) -> int:
    """Passes over ``n`` images so the network sees about 60,000 images in all, between 6 and 50."""
    return max(MIN_EPOCHS, min(MAX_EPOCHS, math.ceil(IMAGES_SEEN / max(n, 1))))
