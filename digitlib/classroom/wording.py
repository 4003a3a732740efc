"""Parts of the class space's messages that are written only when shown, in the reader's language.

A ``DigitsError`` keeps its message and values and translates them when it becomes text, maybe in another
language than the one it was raised in; ``Later`` is such a value made of words (a wait, a list of letters).
"""

from __future__ import annotations

from collections.abc import Callable

from digitlib.language import _


class Later:
    """Text that ``make()`` writes each time it is shown (a value of a ``Message``)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], str]):
        self._make = make

    def __str__(self) -> str:
        return self._make()

    def __repr__(self) -> str:
        return f"Later({self._make()!r})"

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def joined(items) -> Later:
    """``items`` as "a and b and c" in the reader's language."""
    items = [str(item) for item in items]

    def make() -> str:
        text = items[0] if items else ""
        for item in items[1:]:
            # TRANSLATORS: joins characters of a mistyped class code, as in "0 and O".
            text = _("{first} and {second}").format(first=text, second=item)
        return text

    return Later(make)
