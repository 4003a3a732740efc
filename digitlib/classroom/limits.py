"""Rate limits kept in this process's memory: sliding windows, and the guard on joining by code.

``SlidingWindow`` counts events per key (a connection, a class) over the last ``window_s``
seconds. It is thread-safe and its memory is bounded: a key keeps at most ``limit`` times,
keys whose events have all left the window are dropped, and past ``max_keys`` keys the one
idle longest is forgotten (at worst that key gets a fresh window).

``JoinGuard`` throttles wrong class codes. Why these numbers: new codes have 8 characters
from 32, so there are 32^8 = 1,099,511,627,776 (about 1.1e12) codes. With 10,000 live
classes, one random guess in 109,951,163 (about 1.1e8) hits one. Server-wide, at most 100
wrong codes are answered per minute (``per_server``), so finding any class takes on average
1,099,512 minutes (764 days, about 2.1 years) of guessing at full speed. A class unused for
30 days is deleted (``ClassStore.expire``); within such a window a guesser gets at most
100 x 43,200 = 4,320,000 tries, for a 1 - (1 - 1/109,951,163)^4,320,000 = 3.9% chance of
hitting any class at all (about 4%), and a chance of 4,320,000 / 1.1e12 = 3.9e-6 of hitting a
given one. Per connection, 10 wrong codes in 10 minutes (``per_connection``) is plenty for a
student who mistypes, and stops one machine from using the whole server-wide allowance. The
price of the server-wide cap: while someone floods wrong codes, nobody can join by code for
up to a minute (students already in a class carry on).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque

from digitlib.errors import JoinThrottledError
from digitlib.language import N_, formats, ngettext

from .wording import Later

MAX_KEYS = 10_000
WRONG_CODES_PER_CONNECTION = 10
CONNECTION_WINDOW_S = 600.0
WRONG_CODES_PER_SERVER = 100
SERVER_WINDOW_S = 60.0
_SERVER = ""  # the key of the server-wide window


class SlidingWindow:
    """At most ``limit`` events per key in any ``window_s`` seconds; ``clock()`` gives seconds."""

    def __init__(self, limit: int, window_s: float, *, max_keys: int = MAX_KEYS, clock=time.monotonic):
        if limit < 1 or window_s <= 0 or max_keys < 1:
            raise ValueError("a sliding window needs limit >= 1, window_s > 0 and max_keys >= 1")  # English:
        self.limit, self.window_s, self.max_keys = int(limit), float(window_s), int(max_keys)
        self._clock = clock
        self._lock = threading.Lock()
        self._events: OrderedDict[str, deque] = OrderedDict()  # least recently active first

    def __len__(self) -> int:
        """How many keys are tracked (for tests of the memory bound)."""
        with self._lock:
            return len(self._events)

    def _wait(self, times: deque, now: float) -> float:
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) < self.limit:
            return 0.0
        return times[len(times) - self.limit] + self.window_s - now

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may act again; 0 if it may now."""
        with self._lock:
            times = self._events.get(key)
            return 0.0 if times is None else self._wait(times, self._clock())

    def hit(self, key: str) -> None:
        """Count one event for ``key`` now (even past the limit)."""
        with self._lock:
            self._record(key, self._clock())

    def take(self, key: str) -> float:
        """Count one event for ``key`` if it is allowed: 0; else, counting nothing, the seconds to wait."""
        with self._lock:
            now = self._clock()
            times = self._events.get(key)
            wait = 0.0 if times is None else self._wait(times, now)
            if wait <= 0:
                self._record(key, now)
            return wait

    def give_back(self, key: str) -> None:
        """Undo the newest event of ``key`` (an action counted by ``take`` that did not happen)."""
        with self._lock:
            times = self._events.get(key)
            if times:
                times.pop()

    def _record(self, key: str, now: float) -> None:
        times = self._events.get(key)
        if times is None:
            times = self._events[key] = deque(maxlen=self.limit)
        times.append(now)
        self._events.move_to_end(key)
        self._prune(now)

    def _prune(self, now: float) -> None:
        # Least recently active first: drop keys whose newest event has left the window, then,
        # if still too many, the idlest ones.
        while self._events:
            key, times = next(iter(self._events.items()))
            if times and times[-1] > now - self.window_s and len(self._events) <= self.max_keys:
                break
            del self._events[key]


def minutes(seconds: float) -> Later:
    """A wait in whole minutes, rounded up: '1 minute', '7 minutes' (in the reader's language when shown)."""
    count = max(1, math.ceil(seconds / 60))
    return Later(lambda: ngettext("{n} minute", "{n} minutes", count).format(n=formats.count(count)))


class JoinGuard:
    """Throttles wrong class codes per connection and for the whole server (this process)."""

    def __init__(self, *, per_connection: int = WRONG_CODES_PER_CONNECTION,
                 connection_window_s: float = CONNECTION_WINDOW_S, per_server: int = WRONG_CODES_PER_SERVER,
                 server_window_s: float = SERVER_WINDOW_S, max_keys: int = MAX_KEYS, clock=time.monotonic):
        self.connections = SlidingWindow(per_connection, connection_window_s, max_keys=max_keys, clock=clock)
        self.server = SlidingWindow(per_server, server_window_s, max_keys=1, clock=clock)

    def check(self, connection: str | None) -> None:
        """``JoinThrottledError`` if joining by code is refused now, for this connection or for all."""
        if connection is not None:
            wait = self.connections.wait(connection)
            if wait > 0:
                raise JoinThrottledError(
                    N_("Too many wrong class codes were tried from here; wait {wait} and try again."),
                    wait=minutes(wait))
        wait = self.server.wait(_SERVER)
        if wait > 0:
            raise JoinThrottledError(
                N_("Too many wrong class codes were tried on this server; wait {wait} and try again."),
                wait=minutes(wait))

    def failed(self, connection: str | None) -> None:
        """Count one wrong code from ``connection`` (None: unknown) and for the whole server."""
        if connection is not None:
            self.connections.hit(connection)
        self.server.hit(_SERVER)


def seconds(wait: float) -> Later:
    """A short wait in whole seconds, rounded up: '1 second', '42 seconds' (in the reader's language when shown)."""
    count = max(1, math.ceil(wait))
    return Later(lambda: ngettext("{n} second", "{n} seconds", count).format(n=formats.count(count)))


class Slots:
    """The rate-limit slots one action takes, given back if the action then fails.

    Use it around the action's transaction: ``with Slots() as slots, store._write() as c:``.
    """

    def __init__(self):
        self._taken: list[tuple[SlidingWindow, str]] = []

    def take(self, window: SlidingWindow, key: str | None, refusal) -> None:
        """Take a slot of ``window`` for ``key`` (nothing for None), or raise ``refusal(wait_s)``."""
        if key is None:
            return
        wait = window.take(key)
        if wait > 0:
            raise refusal(wait)
        self._taken.append((window, key))

    def __enter__(self) -> Slots:
        return self

    def __exit__(self, kind, _value, _traceback) -> bool:
        if kind is not None:
            for window, key in reversed(self._taken):
                window.give_back(key)
        self._taken.clear()
        return False
