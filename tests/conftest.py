
import pytest

from digitlib.mnist import data
from tests.support.databases import class_db_url, postgres_admin_url, postgres_test_url  # noqa: F401  (class space)


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
    from tests.support.browser import app_server, require_chromium

    require_chromium()
    with app_server(tmp_path_factory.mktemp("server") / "models") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright."""
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
