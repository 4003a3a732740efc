"""The class store's fixtures for tests/unit/classroom: a clock moved by hand, a store on each backend
(``class_db_url``: SQLite and PostgreSQL), a class in it, and a SQLite store for input checks."""

import pytest

from digitlib.classroom.store import ClassStore
from tests.support.class_store import Clock


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(class_db_url, clock):
    store = ClassStore(class_db_url, clock=clock)
    yield store
    store.close()


@pytest.fixture
def klass(store):
    return store.create_class()


@pytest.fixture
def checked(tmp_path, clock):
    """A store and class for tests of input checks, which run before any SQL: SQLite alone will do."""
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}", clock=clock)
    yield store, store.create_class()
    store.close()
