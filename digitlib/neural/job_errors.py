"""Why a network's training failed, as Messages: each written in the language of whoever reads it.

The worker sends its reasons in English, marked for translation, with their values (``told``); the service
adds its own (``why_it_ended``) and puts a reason inside its sentence without the reason's full stop (``Clause``).
"""

from __future__ import annotations

from digitlib.language import N_
from digitlib.language.messages import Message

from . import budget
from .worker_process import LOG_NAME, WorkerProcess


class Clause:
    """A reason put inside a sentence: its own full stop left out, in the language of whoever reads it."""

    def __init__(self, reason):
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason).rstrip(".")


def told(event: dict, default: str) -> Message:
    """The worker's ``message`` (English, marked in the worker) with its ``values``, to translate when shown."""
    values = event.get("values")
    return Message(str(event.get("message") or default), **(values if isinstance(values, dict) else {}))


def why_it_ended(worker: WorkerProcess, code: int) -> Message:
    if worker.stopped_because == "memory":
        return Message(N_("it needed more than the {budget} MB of memory this server allows "
                          "(DIGITS_NEURAL_MEMORY_MB); try a smaller N"), budget=budget.budget_mb())
    if worker.stopped_because == "silent":
        return Message(N_("its worker process stopped answering, so the server stopped it; try again"))
    if worker.stopped_because == "stopped":
        return Message(N_("the server stopped its worker"))
    if code:
        return Message(N_("its worker process stopped unexpectedly (it may have run out of memory; the details are "
                          "in {log} beside the saved networks)"), log=LOG_NAME)
    return Message(N_("its worker process left before it was done"))
