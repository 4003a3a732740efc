import pytest

from digitlib.errors import NeuralUnavailableError
from digitlib.neural import budget

REAL_AVAILABLE_MB = budget.available_mb


@pytest.fixture(autouse=True)
def _plenty(monkeypatch):
    """Each test starts from the defaults, on a machine with plenty of free memory."""
    monkeypatch.delenv("DIGITS_NEURAL", raising=False)
    monkeypatch.delenv("DIGITS_NEURAL_MEMORY_MB", raising=False)
    monkeypatch.setattr(budget, "available_mb", lambda: 8_000)


def test_passes_by_default():
    budget.check()
    assert budget.budget_mb() == budget.DEFAULT_MB >= budget.NEED_MB


def test_passes_when_switched_on_with_enough_budget(monkeypatch):
    monkeypatch.setenv("DIGITS_NEURAL", "1")
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", str(budget.NEED_MB))
    monkeypatch.setattr(budget, "available_mb", lambda: budget.NEED_MB)
    budget.check()  # exactly enough is enough


def test_turned_off(monkeypatch):
    monkeypatch.setenv("DIGITS_NEURAL", "0")
    with pytest.raises(NeuralUnavailableError) as err:
        budget.check()
    assert str(err.value) == "Training neural networks is turned off on this server (DIGITS_NEURAL=0)."


@pytest.mark.parametrize("mb", [600, 690, budget.NEED_MB - 1])
def test_budget_below_need(monkeypatch, mb):
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", str(mb))
    assert budget.budget_mb() == mb
    with pytest.raises(NeuralUnavailableError) as err:
        budget.check()
    message = str(err.value)
    assert f"{mb:,} MB" in message and "DIGITS_NEURAL_MEMORY_MB" in message
    assert f"{budget.NEED_MB:,} MB" in message and "TensorFlow" in message
    assert "\n" not in message and "Traceback" not in message


def test_too_little_memory_free(monkeypatch):
    monkeypatch.setattr(budget, "available_mb", lambda: 512)
    with pytest.raises(NeuralUnavailableError, match=r"only 512 MB of memory free.*about 1,100 MB"):
        budget.check()


def test_turned_off_wins_over_the_other_reasons(monkeypatch):
    monkeypatch.setenv("DIGITS_NEURAL", "0")
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", "600")
    monkeypatch.setattr(budget, "available_mb", lambda: 10)
    with pytest.raises(NeuralUnavailableError, match="turned off"):
        budget.check()


@pytest.mark.parametrize("value", ["lots", "", "1.5e3", "1500MB"])
def test_bad_budget_value_falls_back_to_default(monkeypatch, value):
    monkeypatch.setenv("DIGITS_NEURAL_MEMORY_MB", value)
    assert budget.budget_mb() == budget.DEFAULT_MB
    budget.check()


def test_available_memory_reads_the_system():
    free = REAL_AVAILABLE_MB()
    assert isinstance(free, int) and free > 0
    assert free <= budget._meminfo_mb("MemTotal")
    assert budget._meminfo_mb("NoSuchField") == float("inf")
