"""One timed action of one client (a ``Sample``), and the fragment auto-reruns a light client timed."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.loadtest.pages import AUTO, AUTO_PAGES


@dataclass
class Sample:
    client: str
    page: str
    answer: float | None  # seconds until the answer was on screen
    done: float | None  # seconds until the run finished
    errors: list[str] = field(default_factory=list)
    digit: int | None = None
    read: str | None = None
    element: object = None
    failed: bool = False
    lag: float | None = None  # chromium: until the page sent its rerun (the canvas's own work, for a stroke)
    saved: tuple[int, bytes] | None = None  # a save the page acknowledged: its digit and expected 28 x 28 pixels
    posted: bool = False  # after "Post to the class board", the Train page said this model is on the board
    guessed: bool = False  # the Class page acknowledged a guess
    at: float | None = None  # when it was asked for (time.perf_counter())
    neural: str | None = None  # what /Neural showed: "accuracy", "progress", "button" or "nothing"
    route: str | None = None  # behind nginx: the client's route cookie (which server it reached)


def auto_samples(actor) -> list[Sample]:
    """The fragment auto-reruns one client sent, as samples (those cut short by leaving the page left out)."""
    out = []
    for auto in actor.c.auto_runs:
        page = AUTO_PAGES.get(auto.page) or AUTO.get(auto.interval, f"{auto.page} (auto {auto.interval:g} s)")
        if auto.answer is not None:
            out.append(Sample(actor.kind, page, auto.answer.seconds, auto.answer.seconds, auto.answer.errors,
                              at=auto.answer.sent, route=actor.c.cookies.values.get("digits_route")))
        elif auto.error is not None and auto.error.startswith("no answer"):
            out.append(Sample(actor.kind, page, None, None, [f"{page}: {auto.error}"], failed=True))
    return out
