"""Fixtures of the page tests: a drawing on Draw's canvas (tests/support/drawn.py)."""

from tests.support.drawn import canvas  # noqa: F401 (a fixture, found by name)
