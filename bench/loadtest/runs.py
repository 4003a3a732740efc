"""What the light client records of a session: the elements on the page, each run, each answer.

``StreamlitClient`` (client.py) fills these from the server's ``ForwardMsg`` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EARLY = "FINISHED_EARLY_FOR_RERUN"  # a run's status when another run follows (``st.rerun``)
_KEY = re.compile(r"^\$\$ID-[0-9a-f]+-(.*)$")


@dataclass
class Element:
    """One element (or block) as last sent by the server."""

    path: tuple[int, ...]
    kind: str
    proto: object
    fragment_id: str
    run_id: str
    at: float

    @property
    def id(self) -> str:
        return getattr(self.proto, "id", "") if self.kind != "block" else ""

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "") if self.kind != "block" else ""

    @property
    def key(self) -> str | None:
        match = _KEY.match(self.id)
        return match.group(1) if match and match.group(1) != "None" else None

    @property
    def text(self) -> str:
        """The visible text: a metric's value, an alert's or heading's body, an exception's message."""
        if self.kind == "exception":  # with client.showErrorDetails = "none" the type is left out
            return f"{self.proto.type or 'exception'}: {self.proto.message}"
        return str(getattr(self.proto, "body", ""))


@dataclass
class Run:
    """One script run (or fragment run) and what it sent."""

    run_id: str
    fragment_ids: tuple[str, ...]
    seq: int
    started: float
    finished: float | None = None
    status: str | None = None
    elements: list[Element] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """What one request led to: the runs after it, when the awaited element came, when it ended."""

    sent: float
    finished: float
    status: str
    runs: list[Run]
    answered: float | None = None
    element: Element | None = None

    @property
    def seconds(self) -> float:
        return self.finished - self.sent

    @property
    def answer_seconds(self) -> float | None:
        return None if self.answered is None else self.answered - self.sent

    @property
    def errors(self) -> list[str]:
        return [e for run in self.runs for e in run.errors]


@dataclass
class AutoRun:
    """One auto-rerun of a fragment (``st.fragment(run_every=interval)``) and its answer.

    ``answer`` is None when none came (``error`` says why: the page was left, or a timeout).
    """

    page: str
    fragment_id: str
    interval: float
    answer: Answer | None = None
    error: str | None = None
