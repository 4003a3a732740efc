"""The model lock: two processes asking for one model at the same moment train it once."""

import multiprocessing
import os
import signal
import time

import pytest

from digitlib.servers import model_lock

NAME = "svc-first-100-0123456789abcdef"
FORK = multiprocessing.get_context("fork")


def _train_unless_there(folder, url, start, log):
    """What a server does: take the lock, look in the folder again, train only if the file is missing."""
    if url:
        os.environ["DIGITS_DATABASE_URL"] = url
    else:
        os.environ.pop("DIGITS_DATABASE_URL", None)
    start.wait()
    with model_lock.held(NAME, folder):
        model = folder / f"{NAME}.skops"
        if not model.exists():
            with open(log, "a") as f:
                f.write(f"trained by {os.getpid()}\n")
            time.sleep(0.5)  # long enough for the other process to ask meanwhile
            model.write_text("a model")
        with open(log.with_suffix(".read"), "a") as f:
            f.write(model.read_text() + "\n")


def _race(folder, url, processes=2):
    start, log = FORK.Event(), folder / "trainings.log"
    racers = [FORK.Process(target=_train_unless_there, args=(folder, url, start, log)) for _ in range(processes)]
    for racer in racers:
        racer.start()
    start.set()
    for racer in racers:
        racer.join(60)
        assert racer.exitcode == 0
    return log.read_text().splitlines(), log.with_suffix(".read").read_text().splitlines()


@pytest.fixture(params=["file", "postgresql"])
def database_url(request):
    """No database (the file lock) or the tests' PostgreSQL database (the advisory lock)."""
    return "" if request.param == "file" else request.getfixturevalue("postgres_test_url")


def test_processes_racing_for_one_model_train_it_once(tmp_path, database_url):
    trained, read = _race(tmp_path, database_url, processes=3)
    assert len(trained) == 1
    assert read == ["a model"] * 3
    assert not list(tmp_path.glob(".*.lock"))  # the lock file goes with the last holder


def test_the_backend_follows_the_class_database():
    assert model_lock.backend("postgresql+psycopg://u@db/school") == "postgresql"
    assert model_lock.backend("postgresql://u@db/school") == "postgresql"
    assert model_lock.backend("sqlite:////srv/digits.sqlite") == "file"
    assert model_lock.backend("") == "file"


def test_each_model_has_its_own_signed_64_bit_key():
    key = model_lock.advisory_key(NAME)
    assert -2**63 <= key < 2**63
    assert key == model_lock.advisory_key(NAME) != model_lock.advisory_key(NAME.replace("100", "200"))


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "", "x" * 200])
def test_a_name_that_could_leave_the_folder_is_refused(tmp_path, name):
    with pytest.raises(ValueError), model_lock.held(name, tmp_path):
        pass


def _hold_forever(folder, url, held):
    os.environ["DIGITS_DATABASE_URL"] = url
    with model_lock.held(NAME, folder):
        held.set()
        time.sleep(600)


def test_a_waiter_is_told_and_gets_the_lock_when_the_holder_dies(tmp_path, database_url, monkeypatch):
    monkeypatch.setattr(model_lock, "TELL_EVERY", 0.1)
    monkeypatch.setenv("DIGITS_DATABASE_URL", database_url)
    held = FORK.Event()
    holder = FORK.Process(target=_hold_forever, args=(tmp_path, database_url, held))
    holder.start()
    assert held.wait(30)
    told = []

    def waiting():
        told.append(time.monotonic())
        if len(told) == 3:
            os.kill(holder.pid, signal.SIGKILL)  # a server killed mid-training

    with model_lock.held(NAME, tmp_path, waiting=waiting):
        assert len(told) >= 3
    holder.join(10)
