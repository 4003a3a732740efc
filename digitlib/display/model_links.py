"""A model's settings as URL parameters, so that a link opens the same model.

The sample size is always written; the other settings only where they differ from the
lesson's, so the lesson's links stay short (``?n=100``). Numbers from a link are read
strictly: plain decimals in a range, never nan, inf, hex or other scripts' digits.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

from digitlib.language import _
from digitlib.svm.model_spec import ModelSpec

MODEL_PARAMS = ("n", "mode", "seed", "C", "gamma", "kernel")
C_VALUES = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
GAMMA_WORDS = ("scale", "auto")
GAMMA_RANGE = (0.0001, 10.0)
GAMMA_DECIMALS = 4  # what the custom-gamma input shows; a link rounds to it too
SEED_RANGE = (0, 10_000)

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def spec(n: int, mode: str = "first", seed: int = 0, C: float = 1.0, gamma: str | float = "scale",
         kernel: str = "rbf") -> ModelSpec:
    """The ModelSpec these settings decide: no seed for the first N, a custom gamma rounded as shown."""
    return ModelSpec(n=int(n), mode=mode, seed=int(seed) if mode != "first" else 0, C=float(C),
                     gamma=gamma if isinstance(gamma, str) else round(float(gamma), GAMMA_DECIMALS),
                     kernel=kernel)


def params(model: ModelSpec) -> dict[str, str]:
    """``model`` as URL parameters: ``n``, then whatever differs from the lesson's settings."""
    lesson = ModelSpec()
    out = {"n": str(model.n)}
    if model.mode != lesson.mode:
        out.update(mode=model.mode, seed=str(model.seed))
    if model.C != lesson.C:
        out["C"] = number(model.C)
    if model.gamma != lesson.gamma:
        out["gamma"] = model.gamma if isinstance(model.gamma, str) else number(model.gamma)
    if model.kernel != lesson.kernel:
        out["kernel"] = model.kernel
    return out


def number(value: float) -> str:
    """A number as a link writes it: ``1``, ``0.3``, ``0.0301``."""
    return f"{value:.10g}"


class NotANumber(ValueError):
    """A link's value that is not a plain decimal number."""


def read_number(text: str, low: float, high: float) -> float:
    """The decimal number ``text`` if it lies in low–high; ValueError saying what is wrong otherwise (a clause
    such as "which is not a number", in the reader's language: a notice puts it after the value)."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        raise NotANumber(_("which is not a number"))
    value = float(text)  # 1e309 or 400 nines: inf, outside any range
    if not low <= value <= high:
        # TRANSLATORS: said of a value in a link: "The link asked for C=500, outside 0.1–100"
        raise ValueError(_("outside {low}–{high}").format(low=_decimal(low), high=_decimal(high)))
    return value


def _decimal(value: float) -> str:
    """``number(value)`` with the reader's decimal sign: 0.3 · 0,3."""
    from babel import numbers as babel_numbers

    from digitlib.language import current

    return number(value).replace(".", babel_numbers.get_decimal_symbol(current()))


def nearest(value: float, options, log: bool = False):
    """The option closest to ``value``; on a log scale with ``log`` (0.5 is nearer 0.3 than 1)."""
    if log:
        return min(options, key=lambda o: abs(math.log(o) - math.log(value)))
    return min(options, key=lambda o: abs(o - value))


def share_url(base: str, query: dict[str, str]) -> str:
    """``base`` with ``query`` appended, percent-encoded."""
    encoded = urlencode(query)
    return f"{base}?{encoded}" if encoded else base


def cell_text(true: int, predicted: int) -> str:
    """A square of the confusion matrix as a link writes it: ``6-2`` (true digit, predicted digit)."""
    return f"{true}-{predicted}"


def read_cell(text: str) -> tuple[int, int]:
    """The square ``t-p`` from a link; ValueError saying what is wrong otherwise."""
    match = re.fullmatch(r"([0-9])-([0-9])", text.strip())
    if not match:
        # TRANSLATORS: said of a value in a link: "The link asked for cell=abc, which is not a square such as 6-2 …"
        raise ValueError(_("which is not a square such as 6-2 (true digit, then predicted digit)"))
    return int(match[1]), int(match[2])


def file_name(model: ModelSpec, suffix: str) -> str:
    """A file name naming ``model``'s settings: ``digits-svc-n500.skops``."""
    return "digits-svc-" + "-".join(f"{k}{v}" for k, v in params(model).items()) + suffix
