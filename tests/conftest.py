import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitlib import data  # noqa: E402


@pytest.fixture(autouse=True)
def _model_cache(tmp_path_factory, monkeypatch):
    """Every test saves models in a private folder, never in the user's cache,
    and no app started by a test trains the learning curve in the background."""
    monkeypatch.setenv("DIGITS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "models"))
    monkeypatch.setenv("DIGITS_WARMUP", "0")


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
