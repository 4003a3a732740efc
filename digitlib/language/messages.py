"""A message translated when it is shown, not when it is made.

An error raised in a background thread (a training job) is read on a page, maybe in another language than the
thread's: ``Message`` keeps the English text and its values and translates both each time it becomes a string.
"""

from __future__ import annotations

from digitlib.language.catalogs import _
from digitlib.language.formats import localize


class Message:
    """``msgid`` (marked with ``N_``) with ``{name}`` placeholders filled from ``values`` when shown."""

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, **values):
        self.msgid = msgid
        self.values = values

    def __str__(self) -> str:
        text = _(self.msgid)
        if not self.values:
            return text
        return text.format(**{name: localize(value) for name, value in self.values.items()})

    def __repr__(self) -> str:
        return f"Message({self.msgid!r})"

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.msgid)
