import hashlib
import re

import pytest

from digitlib.classroom import codes
from digitlib.errors import ClassCodeError


def test_alphabet_has_no_look_alikes():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 32
    assert not set("0O1I") & set(codes.ALPHABET)
    assert re.fullmatch("[A-Z2-9]+", codes.ALPHABET)


def test_new_codes_are_valid_and_distinct():
    made = [codes.new_code() for _ in range(2000)]
    assert codes.CODE_LENGTH == 8
    assert all(len(c) == 8 and codes.normalise_code(c) == c for c in made)
    assert len(set(made)) == 2000  # 32^8 codes: a repeat among 2,000 has a chance of 2e-6
    assert set("".join(made)) == set(codes.ALPHABET)


@pytest.mark.parametrize("text, code", [
    (" abc234 ", "ABC234"), ("abcd2345", "ABCD2345"),  # the old six characters and the new eight
    ("wxyz", "WXYZ"), ("23456789", "23456789"), ("\tHjKm\n", "HJKM"),
])
def test_normalise_accepts_codes(text, code):
    assert codes.normalise_code(text) == code


@pytest.mark.parametrize("text", [
    "", "   ", "ABC", "ABCDEFGHJ", "ABC0DE", "ABCODE", "ABC1DE", "ABCIDE", "AB CD", "ABC-DE", "ÄBCDEF",
    None, 123456, b"ABCDEF",
])
def test_normalise_rejects_non_codes(text):
    with pytest.raises(ClassCodeError):
        codes.normalise_code(text)


def test_a_rejected_code_is_barely_echoed():
    secret = "hunter2-PASSWORD-9f8e7d6c5b4a"
    with pytest.raises(ClassCodeError) as caught:
        codes.normalise_code(secret)
    message = str(caught.value)
    assert "HUNTER2" not in message and "PASSWORD" not in message and "9F8E" not in message
    assert "HUNT" not in message and "check it with your teacher" in message
    with pytest.raises(ClassCodeError) as caught:
        codes.normalise_code("<b>x</b>")
    assert "<" not in str(caught.value)


@pytest.mark.parametrize("typed, says", [
    ("zz0zz9", "'ZZ0ZZ9' is not a class code: it has 0, which codes never use"),
    ("ZZZZ99I1", "it has I and 1, which codes never use"),
    ("ABC", "a code has 4 to 8 characters, this one 3"),
])
def test_a_mistyped_code_is_shown_whole_with_what_is_wrong(typed, says):
    with pytest.raises(ClassCodeError, match=says):
        codes.normalise_code(typed)


def test_tokens_are_long_random_and_url_safe():
    tokens = {codes.new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)


def test_drawer_ids_fit_the_drawer_column():
    drawers = {codes.new_drawer() for _ in range(100)}
    assert len(drawers) == 100 and all(re.fullmatch(r"[A-Za-z0-9_-]{22}", d) for d in drawers)


def test_hash_is_sha256_hex():
    assert codes.hash_token("abc") == hashlib.sha256(b"abc").hexdigest()


def test_token_matches_only_its_own_hash():
    token = codes.new_token()
    stored = codes.hash_token(token)
    assert codes.token_matches(token, stored)
    assert not codes.token_matches(codes.new_token(), stored)
    assert not codes.token_matches(token[:-1], stored)
    assert not codes.token_matches(stored, stored)  # the hash itself is not a token


@pytest.mark.parametrize("token, stored", [
    (None, "0" * 64), ("", codes.hash_token("")), (123, "0" * 64), ("x" * 1000, codes.hash_token("x" * 1000)),
    ("\ud800", "0" * 64), ("abc", None), ("abc", ""), ("abc", "abc"), ("abc", codes.hash_token("abc").upper()),
])
def test_token_matches_is_false_for_odd_input(token, stored):
    assert codes.token_matches(token, stored) is False


def test_token_comparison_is_constant_time(monkeypatch):
    calls = []
    real = codes.hmac.compare_digest
    monkeypatch.setattr(codes.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert codes.token_matches("abc", codes.hash_token("abc"))
    assert not codes.token_matches("abd", codes.hash_token("abc"))
    assert len(calls) == 2
