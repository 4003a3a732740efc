"""What ``ClassStore`` hands back: plain, frozen records of a class and its work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True)
class NewClass:
    """A class just created: the code to share with students and the teacher's secret token."""

    code: str
    token: str


@dataclass(frozen=True)
class ClassStatus:
    """A class's dates and switches. It is deleted at ``expires_at`` unless used before then."""

    code: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    joining_open: bool
    saving_open: bool


@dataclass(frozen=True)
class ClassSet:
    """A class's drawings, oldest first. The arrays are read-only."""

    ids: np.ndarray        # int64 (n,)
    images: np.ndarray     # uint8 (n, 28, 28)
    labels: np.ndarray     # uint8 (n,)
    drawers: np.ndarray    # str (n,) anonymous session ids
    saved_at: list[datetime]

    def __len__(self) -> int:
        return len(self.ids)

    def counts(self) -> np.ndarray:
        """How many drawings of each digit 0-9, shape (10,)."""
        return np.bincount(self.labels, minlength=10)


@dataclass(frozen=True)
class Experiment:
    """A model a student trained, as shown on the class board."""

    id: int
    drawer: str
    n: int
    mode: str
    seed: int
    C: float
    gamma: str
    kernel: str
    accuracy_100: float
    accuracy_10000: float | None
    fit_seconds: float
    nickname: str | None
    saved_at: datetime


@dataclass(frozen=True)
class Question:
    """The teacher's question "what accuracy will N = n get?"; ``answer`` is None until revealed."""

    n: int
    answer: float | None
    guesses: list[float]
