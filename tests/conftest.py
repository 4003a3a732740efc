import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import class_db_url, postgres_admin_url, postgres_test_url  # noqa: E402,F401  (class space)
from digitlib.mnist import data  # noqa: E402


@pytest.fixture(autouse=True)
def _model_cache(tmp_path_factory, monkeypatch):
    """Every test saves models and class data in private folders, never in the user's,
    and no app started by a test trains the learning curve in the background."""
    monkeypatch.setenv("DIGITS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "models"))
    monkeypatch.setenv("DIGITS_WARMUP", "0")
    monkeypatch.setenv("DIGITS_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))
    monkeypatch.delenv("DIGITS_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def mnist():
    return data.load("bundled")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh ``streamlit run app.py`` for each browser test module (so deep links hit a new server)."""
    from browser import app_server, require_chromium

    require_chromium()
    with app_server(tmp_path_factory.mktemp("server") / "models") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright."""
    from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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


@pytest.fixture
def store():
    """The class store the app opens (the test's private SQLite file); class-space tests override it."""
    from digitlib.classroom import database
    from digitlib.classroom.store import ClassStore

    return ClassStore(database.default_url())


@pytest.fixture
def new_class(store):
    """A fresh class in ``store``: its code and teacher token."""
    return store.create_class()
