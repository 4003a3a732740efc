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
