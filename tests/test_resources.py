"""What the app shares between sessions: produced once however many ask at the same moment."""

import threading
import time

from digitlib import evaluate
from digitlib.registry import ModelSpec
from ui import resources


def _ask_from_threads(count, ask):
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


def test_thirty_sessions_share_one_evaluation(mnist, monkeypatch):
    calls = []
    real = evaluate.evaluate

    def slow_counting(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluate, "evaluate", slow_counting)
    resources._evaluation.clear()
    results = _ask_from_threads(30, lambda: resources.evaluation(ModelSpec(n=200), 300, mnist))
    assert len(calls) == 1 and len({id(r) for r in results}) == 1 and results[0].accuracy > 0.7


def test_thirty_sessions_share_one_figure(monkeypatch):
    from digitlib import plots

    calls = []
    real = plots.label_counts

    def counting(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(plots, "label_counts", counting)
    resources.figure.clear()
    results = _ask_from_threads(30, lambda: resources.figure("label_counts", [1, 2, 2, 3], "thirty"))
    assert len(calls) == 1 and len(set(results)) == 1 and results[0].startswith(b"\x89PNG")


def test_the_neighbour_index_is_built_once(mnist, monkeypatch):
    from digitlib import neighbours

    built = []
    real = neighbours.Index

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(neighbours, "Index", counting)
    resources._neighbour_index.clear()
    results = _ask_from_threads(30, lambda: resources.neighbour_index(mnist))
    assert len(built) == 1 and len({id(r) for r in results}) == 1
