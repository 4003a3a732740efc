"""Checks on every value a page hands to the class space, before it reaches the database.

Each returns the value in the form that is stored, or raises ``InvalidSettingError`` with a
sentence that never repeats what was typed.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from numbers import Integral, Real

import numpy as np

from digitlib.errors import InvalidSettingError
from digitlib.language import N_
from digitlib.mnist.sampling import MODES

from .schema import DRAWER_LENGTH, NICKNAME_LENGTH, REQUEST_ID_LENGTH

MAX_SAMPLE = 1_000_000  # training sizes; MNIST has 60,000
MAX_SEED = 2**31 - 1
_DRAWER = re.compile(f"[A-Za-z0-9_-]{{1,{DRAWER_LENGTH}}}")
_REQUEST_ID = re.compile(f"[A-Za-z0-9_.:-]{{1,{REQUEST_ID_LENGTH}}}")
_KERNEL = re.compile("[a-z]{1,16}")
_GAMMA = re.compile("[A-Za-z0-9.+-]{1,32}")
CONNECTION_LENGTH = 100  # longer connection keys are kept as their sha256
_NICKNAME_MARKS = "-_.' "
# Letters that draw nothing (Hangul fillers): a nickname of them would look empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts that are written together (Japanese, Korean) count as one.
_SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK", "HANGUL": "CJK"}
_MAX_MARKS = 2  # combining marks in a row after a letter (Devanagari needs some; no "Zalgo")


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
    raise InvalidSettingError(N_("This browser session has no valid id; reload the page and try again."))


def request_id(value) -> str | None:
    """An optional id that makes a save idempotent (a uuid4 string fits)."""
    if value is None or (isinstance(value, str) and _REQUEST_ID.fullmatch(value)):
        return value
    raise InvalidSettingError(N_("The save had an invalid request id; reload the page and save again."))


def label(value) -> int:
    """A digit 0-9."""
    digit = _integer(value)
    if digit is None or not 0 <= digit <= 9:
        raise InvalidSettingError(N_("A drawing's label must be a digit from 0 to 9."))
    return digit


def image(value) -> bytes:
    """A 28 x 28 uint8 image, as its 784 bytes row by row."""
    if not (isinstance(value, np.ndarray) and value.shape == (28, 28) and value.dtype == np.uint8):
        raise InvalidSettingError(N_("A drawing must be a 28 x 28 image of uint8 pixels (0-255)."))
    return value.tobytes(order="C")


def images(values, labels_) -> tuple[list[bytes], list[int]]:
    """A stack of 28 x 28 uint8 images and one digit label each."""
    if not (isinstance(values, np.ndarray) and values.ndim == 3 and values.shape[1:] == (28, 28)
            and values.dtype == np.uint8):
        raise InvalidSettingError(N_("Drawings to import must be an array of 28 x 28 uint8 images."))
    digits = np.asarray(labels_)
    if digits.shape != (len(values),) or not (digits.dtype.kind in "iu" or len(digits) == 0):
        raise InvalidSettingError(
            N_("There must be one whole-number label for each of the {n} drawings to import."), n=len(values))
    if len(digits) and (digits.min() < 0 or digits.max() > 9):
        raise InvalidSettingError(N_("Every label of the drawings to import must be a digit from 0 to 9."))
    contiguous = np.ascontiguousarray(values)
    return [row.tobytes() for row in contiguous], [int(d) for d in digits]


def connection(value) -> str | None:
    """Who is asking, as the page knows it (an address, a session): a key for rate limits.
    None for unknown; a long value is kept as its sha256, so keys stay small."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidSettingError(N_("This page could not tell where it is opened from; reload the page."))
    value = value.strip()
    if len(value) > CONNECTION_LENGTH or not value.isprintable():
        return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return value or None


def nickname(value) -> str | None:
    """An optional name for the board; blank means none.

    NFKC-normalised and trimmed, at most ``NICKNAME_LENGTH`` characters: letters (all from one
    script, so no Latin and Cyrillic look-alikes mixed), digits 0-9, spaces and ``- _ . '``,
    nothing that is markup.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidSettingError(N_("A nickname must be text."))
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    if len(text) > NICKNAME_LENGTH or not _plain_name(text):
        raise InvalidSettingError(
            N_("A nickname has at most {n} characters: letters of one alphabet, digits 0-9, "
               "spaces and - _ . ' (no other signs); choose another one."), n=NICKNAME_LENGTH)
    return text


def _plain_name(text: str) -> bool:
    scripts, marks, previous, named = set(), 0, None, False
    for char in text:
        kind = unicodedata.category(char)
        if kind[0] == "L" and char not in _BLANK_LETTERS:
            try:
                script = unicodedata.name(char).split()[0]
            except ValueError:
                return False
            scripts.add(_SCRIPT_FAMILIES.get(script, script))
            marks, named = 0, True
        elif kind in ("Mn", "Mc"):
            marks += 1
            if previous is None or previous not in ("letter", "mark") or marks > _MAX_MARKS:
                return False
            previous = "mark"
            continue
        elif "0" <= char <= "9":
            marks, named = 0, True
        elif char in _NICKNAME_MARKS:
            marks = 0
        else:
            return False
        previous = "letter" if kind[0] == "L" else "other"
    return named and len(scripts) <= 1


# Each check's message for each thing it checks: whole sentences, so a translation can agree with its subject.
_SWITCHES = {
    "joining": N_("Joining can only be switched on (True) or off (False)."),
    "saving": N_("Saving can only be switched on (True) or off (False)."),
}
_FRACTIONS = {
    "accuracy": N_("The accuracy must be a number from 0 to 1 (0.9 means 90%)."),
    "guess": N_("A guess must be a number from 0 to 1 (0.9 means 90%)."),
    "answer": N_("The answer must be a number from 0 to 1 (0.9 means 90%)."),
}
_ROWS = {
    "drawing": N_("That drawing does not exist; reload the page."),
    "experiment": N_("That experiment does not exist; reload the page."),
}


def switch(value, what: str) -> bool:
    """True or False (open or closed); ``what`` ("joining", "saving") says which in the message."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InvalidSettingError(_SWITCHES[what])


def fraction(value, what: str) -> float:
    """A number from 0 to 1; ``what`` ("accuracy", "guess", "answer") says which in the message."""
    number = _number(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise InvalidSettingError(_FRACTIONS[what])
    return number


def sample_size(value) -> int:
    """A number of training images."""
    n = _integer(value)
    if n is None or not 1 <= n <= MAX_SAMPLE:
        raise InvalidSettingError(
            N_("The number of training images must be a whole number from 1 to {high}."), high=MAX_SAMPLE)
    return n


def seed(value) -> int:
    n = _integer(value)
    if n is None or not 0 <= n <= MAX_SEED:
        raise InvalidSettingError(N_("The random seed must be a whole number from 0 to {high}."), high=MAX_SEED)
    return n


def mode(value) -> str:
    if not isinstance(value, str) or value not in MODES:
        raise InvalidSettingError(N_("The sampling mode must be one of {modes}."), modes=", ".join(MODES))
    return value


def kernel(value) -> str:
    if isinstance(value, str) and _KERNEL.fullmatch(value):
        return value
    raise InvalidSettingError(N_("The kernel must be a name such as rbf or linear."))


def gamma(value) -> str:
    """'scale', 'auto' or a positive number, stored as text."""
    if isinstance(value, str) and _GAMMA.fullmatch(value.strip()):
        return value.strip()
    number = _number(value)
    if number is not None and number > 0:
        return repr(number)
    raise InvalidSettingError(N_("gamma must be 'scale', 'auto' or a positive number."))


def positive(value, what: str) -> float:
    """A number above 0; ``what`` is its name in the lesson's code (C), the same in every language."""
    number = _number(value)
    if number is None or number <= 0:
        raise InvalidSettingError(N_("{name} must be a positive number."), name=what)
    return number


def seconds(value) -> float:
    number = _number(value)
    if number is None or not 0 <= number < 1e7:
        raise InvalidSettingError(N_("The training time must be a number of seconds, 0 or more."))
    return number


def row_id(value, what: str = "drawing") -> int:
    """The id of a row (a "drawing", an "experiment"); ``what`` says which in the message."""
    n = _integer(value)
    if n is None or n < 1:
        raise InvalidSettingError(_ROWS[what])
    return n
