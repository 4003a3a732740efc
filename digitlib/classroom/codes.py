"""Class codes that are easy to read aloud and type, and the teacher's secret token.

A code uses uppercase letters and digits without the look-alikes 0/O and 1/I. New codes have
``CODE_LENGTH`` (8) characters, 32^8 = 1.1e12 of them, too many to find by guessing (see
``limits``); codes of 4 to 8 characters are still accepted, so older 6-character classes work. The teacher
token is a bearer secret: only its sha256 is stored, and it is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from digitlib.errors import ClassCodeError
from digitlib.language import N_

from .wording import joined

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MIN_LENGTH, MAX_LENGTH = 4, 8
_CODE = re.compile(f"[{ALPHABET}]{{{MIN_LENGTH},{MAX_LENGTH}}}")
_HEX64 = re.compile("[0-9a-f]{64}")


def new_code() -> str:
    """A fresh random class code of ``CODE_LENGTH`` characters (32^8, about 1.1e12 codes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text) -> str:
    """``text`` as a class code (spaces around it dropped, upper case); ``ClassCodeError`` if it cannot be one."""
    code = text.strip().upper() if isinstance(text, str) else ""
    if _CODE.fullmatch(code):
        return code
    if not code:
        raise ClassCodeError(N_("Type the class code your teacher gave you."))
    if code.isascii() and code.isalnum() and len(code) <= 12:
        # A code as typed: short and plain, so it is safe to show whole, with what is wrong in it.
        wrong = sorted({c for c in code if c not in ALPHABET}, key=code.index)
        if wrong:
            raise ClassCodeError(N_("'{code}' is not a class code: it has {letters}, which codes never use "
                                    "(no 0, O, 1 or I). Check it with your teacher."), code=code, letters=joined(wrong))
        raise ClassCodeError(N_("'{code}' is not a class code: a code has {low} to {high} characters, this one "
                                "{length}. Check it with your teacher."),
                             code=code, low=MIN_LENGTH, high=MAX_LENGTH, length=len(code))
    # Anything else (a pasted secret, markup, another script) is never repeated on the page.
    raise ClassCodeError(
        N_("That is not a class code. A code has {low} to {high} letters and digits "
           "(no 0, O, 1 or I); check it with your teacher."), low=MIN_LENGTH, high=MAX_LENGTH)


def new_drawer() -> str:
    """A fresh anonymous id for one student's session (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A fresh teacher token (32 URL-safe characters, 192 random bits)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The sha256 hex digest that is stored in place of ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token, stored_hash) -> bool:
    """Whether ``token`` hashes to ``stored_hash``, compared in constant time; False for anything odd."""
    if not isinstance(token, str) or not token or len(token) > 256:
        return False
    if not isinstance(stored_hash, str) or not _HEX64.fullmatch(stored_hash):
        return False
    try:
        return hmac.compare_digest(hash_token(token), stored_hash)
    except UnicodeEncodeError:  # a lone surrogate cannot be hashed, so it matches nothing
        return False
