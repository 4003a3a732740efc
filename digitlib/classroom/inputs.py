"""Checks on every value a page hands to the class space, before it reaches the database.

Each returns the value in the form that is stored, or raises ``InvalidSettingError`` with a
sentence that never repeats what was typed.
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real

import numpy as np

from ..errors import InvalidSettingError
from ..sampling import MODES
from .schema import DRAWER_LENGTH, MAX_PNG_BYTES, NICKNAME_LENGTH, REQUEST_ID_LENGTH

MAX_SAMPLE = 1_000_000  # training sizes; MNIST has 60,000
MAX_SEED = 2**31 - 1
_DRAWER = re.compile(f"[A-Za-z0-9_-]{{1,{DRAWER_LENGTH}}}")
_REQUEST_ID = re.compile(f"[A-Za-z0-9_.:-]{{1,{REQUEST_ID_LENGTH}}}")
_KERNEL = re.compile("[a-z]{1,16}")
_GAMMA = re.compile("[A-Za-z0-9.+-]{1,32}")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _integer(value) -> int | None:
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value)
    return None


def _number(value) -> float | None:
    if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value)):
        return float(value)
    return None


def drawer(value) -> str:
    """An anonymous session id (``codes.new_drawer()``): 1-32 letters, digits, '-' or '_'."""
    if isinstance(value, str) and _DRAWER.fullmatch(value):
        return value
    raise InvalidSettingError("This browser session has no valid id; reload the page and try again.")


def request_id(value) -> str | None:
    """An optional id that makes a save idempotent (a uuid4 string fits)."""
    if value is None or (isinstance(value, str) and _REQUEST_ID.fullmatch(value)):
        return value
    raise InvalidSettingError("The save had an invalid request id; reload the page and save again.")


def label(value) -> int:
    """A digit 0-9."""
    digit = _integer(value)
    if digit is None or not 0 <= digit <= 9:
        raise InvalidSettingError("A drawing's label must be a digit from 0 to 9.")
    return digit


def image(value) -> bytes:
    """A 28 x 28 uint8 image, as its 784 bytes row by row."""
    if not (isinstance(value, np.ndarray) and value.shape == (28, 28) and value.dtype == np.uint8):
        raise InvalidSettingError("A drawing must be a 28 x 28 image of uint8 pixels (0-255).")
    return value.tobytes(order="C")


def images(values, labels_) -> tuple[list[bytes], list[int]]:
    """A stack of 28 x 28 uint8 images and one digit label each."""
    if not (isinstance(values, np.ndarray) and values.ndim == 3 and values.shape[1:] == (28, 28)
            and values.dtype == np.uint8):
        raise InvalidSettingError("Drawings to import must be an array of 28 x 28 uint8 images.")
    digits = np.asarray(labels_)
    if digits.shape != (len(values),) or not (digits.dtype.kind in "iu" or len(digits) == 0):
        raise InvalidSettingError(
            f"There must be one whole-number label for each of the {len(values)} drawings to import.")
    if len(digits) and (digits.min() < 0 or digits.max() > 9):
        raise InvalidSettingError("Every label of the drawings to import must be a digit from 0 to 9.")
    contiguous = np.ascontiguousarray(values)
    return [row.tobytes() for row in contiguous], [int(d) for d in digits]


def png(value) -> bytes | None:
    """An optional PNG of the canvas, at most ``MAX_PNG_BYTES``."""
    if value is None:
        return None
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidSettingError("The canvas picture must be PNG bytes.")
    data = bytes(value)
    if len(data) > MAX_PNG_BYTES:
        raise InvalidSettingError(
            f"The canvas picture is over {MAX_PNG_BYTES // 1024} KB, too large to keep; save the drawing without it.")
    if not data.startswith(_PNG_SIGNATURE):
        raise InvalidSettingError("The canvas picture is not a PNG file.")
    return data


def nickname(value) -> str | None:
    """An optional name for the board: at most 20 printable characters; blank means none."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else None
    if text is None or len(text) > NICKNAME_LENGTH or not text.isprintable():
        raise InvalidSettingError(
            f"A nickname has at most {NICKNAME_LENGTH} letters, digits, spaces or punctuation marks.")
    return text or None


def fraction(value, what: str) -> float:
    """A number from 0 to 1, such as an accuracy; ``what`` names it in the message."""
    number = _number(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise InvalidSettingError(f"{what} must be a number from 0 to 1 (0.9 means 90%).")
    return number


def sample_size(value) -> int:
    """A number of training images."""
    n = _integer(value)
    if n is None or not 1 <= n <= MAX_SAMPLE:
        raise InvalidSettingError(f"The number of training images must be a whole number from 1 to {MAX_SAMPLE:,}.")
    return n


def seed(value) -> int:
    n = _integer(value)
    if n is None or not 0 <= n <= MAX_SEED:
        raise InvalidSettingError(f"The random seed must be a whole number from 0 to {MAX_SEED:,}.")
    return n


def mode(value) -> str:
    if not isinstance(value, str) or value not in MODES:
        raise InvalidSettingError(f"The sampling mode must be one of {', '.join(MODES)}.")
    return value


def kernel(value) -> str:
    if isinstance(value, str) and _KERNEL.fullmatch(value):
        return value
    raise InvalidSettingError("The kernel must be a name such as rbf or linear.")


def gamma(value) -> str:
    """'scale', 'auto' or a positive number, stored as text."""
    if isinstance(value, str) and _GAMMA.fullmatch(value.strip()):
        return value.strip()
    number = _number(value)
    if number is not None and number > 0:
        return repr(number)
    raise InvalidSettingError("gamma must be 'scale', 'auto' or a positive number.")


def positive(value, what: str) -> float:
    number = _number(value)
    if number is None or number <= 0:
        raise InvalidSettingError(f"{what} must be a positive number.")
    return number


def seconds(value) -> float:
    number = _number(value)
    if number is None or not 0 <= number < 1e7:
        raise InvalidSettingError("The training time must be a number of seconds, 0 or more.")
    return number


def row_id(value) -> int:
    n = _integer(value)
    if n is None or n < 1:
        raise InvalidSettingError("That drawing does not exist; reload the page.")
    return n
