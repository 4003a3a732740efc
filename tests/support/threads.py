"""Calling code from many threads at once, and counting the calls, for the concurrency tests."""

import threading
import time


def ask_from_threads(count, ask):
    """Call ``ask()`` from ``count`` threads released at the same moment; their results."""
    start = threading.Barrier(count)
    results = []

    def run():
        start.wait()
        results.append(ask())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def count_calls(monkeypatch, owner, name, delay=0.0):
    """Replace ``owner.name`` with a wrapper that records each call (after ``delay`` s); the list of calls."""
    calls = []
    real = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(1)
        time.sleep(delay)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls
