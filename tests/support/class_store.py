"""What the class store's tests share: a clock moved by hand, a board row, a plain digit, raw SQL rows."""

from datetime import UTC, datetime, timedelta

import numpy as np
import sqlalchemy as sa

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BOARD = dict(n=500, mode="first", seed=0, C=1.0, gamma="scale", kernel="rbf", accuracy_100=0.88,
             accuracy_10000=None, fit_seconds=0.4)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def digit(value=7) -> np.ndarray:
    return np.full((28, 28), value, dtype=np.uint8)


def raw_rows(url, sql):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql)).all()
    finally:
        engine.dispose()
