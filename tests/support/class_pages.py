"""The Class page under AppTest: its path, drawings to save in a class, and the teacher's link opened."""

import numpy as np

from digitlib.drawing import handwriting, preprocess
from tests.support.apptest import page

CLASS = "pages/5_Class.py"


def drawn(digit, seed):
    """A synthetic drawing of ``digit`` as the 28 × 28 image the Draw page would save."""
    picture = handwriting.random_drawing(digit, np.random.default_rng(seed))
    return preprocess.prepare(handwriting.render(picture)).centred


def save_some(store, code, drawers=3, per_drawer=10):
    for d in range(drawers):
        for i in range(per_drawer):
            store.save_drawing(code, f"drawer-{d}", i % 10, drawn(i % 10, 100 * d + i), request_id=f"{code}-{d}-{i}")


def teacher_page(new_class, path=CLASS, **query):
    """The page opened from the teacher's link. A browser reloads it without the token (a cookie keeps it);
    AppTest runs no script, so its second run drops the token instead."""
    at = page(path, **{"class": new_class.code, "teacher": new_class.token, **query})
    assert not at.exception and "Opening the teacher's view…" in [i.value for i in at.info]
    return at.run()
