"""What decides a trained model (``ModelSpec``), a plain hashable value, and the learning curve's sizes."""

from __future__ import annotations

from dataclasses import dataclass

from digitlib.language import _
from digitlib.mnist import sampling
from digitlib.svm.model import SvmSettings

CURVE_SIZES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 60_000)


@dataclass(frozen=True)
class ModelSpec:
    """Everything that decides a trained model; hashable, so it can key caches."""

    n: int = 500
    mode: str = "first"
    seed: int = 0
    C: float = 1.0
    gamma: str | float = "scale"
    kernel: str = "rbf"

    @property
    def settings(self) -> SvmSettings:
        return SvmSettings(C=self.C, gamma=self.gamma, kernel=self.kernel)

    def family(self) -> tuple:
        """What stays the same along a learning curve: all but the sample size."""
        return (self.mode, self.seed, self.C, self.gamma, self.kernel)

    def describe(self) -> str:
        """``SVC(kernel=rbf, C=1, gamma=scale) on the first 500 training images``, in the reader's language."""
        # TRANSLATORS: {model} is the model's settings, SVC(…); {sample} its training images
        return _("{model} on the {sample}").format(model=self.settings.describe(),
                                                  sample=sampling.describe(self.mode, self.n, self.seed))
