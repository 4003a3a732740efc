"""digitlib.scoring.shipped_answers: every shipped model's recorded answers are its own, and a file that is not
exactly what was recorded, for this model and this data, is never used."""

import dataclasses
import io
import json
import shutil

import numpy as np
import pytest

from digitlib.scoring import shipped_answers
from digitlib.svm import shipped

UNPICKLED = []


class Planted:
    def __reduce__(self):
        return (UNPICKLED.append, ("unpickled",))


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped 100-image model and its answers."""
    models = tmp_path / "models"
    shutil.copytree(shipped.SHIPPED_DIR, models, ignore=lambda d, names: [n for n in names if "100." not in n
                                                                          and n != shipped_answers.FOLDER_NAME])
    return models


def answers_file(folder):
    return shipped_answers.folder_for(folder) / shipped.file_name(100)


def rewrite(path, change_meta=None, change_predictions=None):
    with np.load(path, allow_pickle=False) as archive:
        meta, predictions = json.loads(archive["metadata"].tobytes()), archive["predictions"]
    if change_meta:
        change_meta(meta)
    if change_predictions:
        predictions = change_predictions(predictions)
    np.savez_compressed(path, predictions=predictions, metadata=np.frombuffer(json.dumps(meta).encode(), np.uint8))


def test_every_shipped_model_has_its_answers_and_they_are_its_own(mnist):
    sizes = shipped.shipped_sizes(mnist)
    assert sizes == [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 60_000]
    for n in sizes:
        answers = shipped_answers.load(mnist, n)
        assert answers is not None and sorted(answers.seconds) == list(shipped_answers.SIZES)
        recorded = shipped.read_metadata(shipped.SHIPPED_DIR / shipped.file_name(n))["accuracy"]
        assert np.mean(answers.predictions == mnist.y_test) == pytest.approx(recorded["all_10000"], abs=1e-12)
        assert np.mean(answers.predictions[:100] == mnist.y_test[:100]) == pytest.approx(recorded["first_100"])
        if n <= 2000:  # predicting again is quick for these: every answer the model's own
            model = shipped.load(mnist, n)
            assert np.array_equal(model.predict(mnist.x_test), answers.predictions)


def test_the_first_n_come_with_their_recorded_time(mnist):
    answers = shipped_answers.load(mnist, 500)
    predictions, seconds = answers.first(1000)
    assert np.array_equal(predictions, answers.predictions[:1000]) and seconds == answers.seconds[1000]
    assert answers.first(300) is None  # no time recorded for 300: the caller predicts


def test_a_good_copy_loads(mnist, folder):
    assert shipped_answers.load(mnist, 100, models_folder=folder) is not None


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[:-200]),  # truncated
    lambda p: p.write_bytes(b"not a zip at all"),
    lambda p: p.write_bytes(b"\0" * (shipped_answers.MAX_FILE_BYTES + 1)),  # too big to be ours: not even opened
    lambda p: rewrite(p, change_predictions=lambda a: np.where(np.arange(len(a)) == 7, (a + 1) % 10, a)),  # one answer
    lambda p: rewrite(p, change_predictions=lambda a: a.astype(np.int64)),
    lambda p: rewrite(p, change_predictions=lambda a: a[:9000]),
    lambda p: rewrite(p, lambda m: m.update(data_fingerprint="0" * 16)),  # another data set's answers
    lambda p: rewrite(p, lambda m: m.update(model_arrays_sha256="0" * 64)),  # another model's answers
    lambda p: rewrite(p, lambda m: m.update(format=2)),
    lambda p: rewrite(p, lambda m: m["seconds"].update({"500": "soon"})),
    lambda p: rewrite(p, lambda m: m["seconds"].update({"100000": 1.0})),
    lambda p: rewrite(p, lambda m: m.clear()),
], ids=["truncated", "garbage", "huge", "one-answer", "int64", "short", "other-data", "other-model", "format",
        "seconds-text", "seconds-size", "no-metadata"])
def test_anything_but_the_recorded_answers_is_not_used(mnist, folder, damage):
    damage(answers_file(folder))
    assert shipped_answers.load(mnist, 100, models_folder=folder) is None


def test_answers_of_a_model_file_since_replaced_are_not_used(mnist, folder):
    """The answers name the model's arrays: a model file re-made (another scikit-learn) makes them stale."""
    path = folder / shipped.file_name(100)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    meta = json.loads(arrays.pop("metadata").tobytes())
    meta["arrays_sha256"] = "f" * 64
    np.savez_compressed(path, metadata=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
    assert shipped_answers.load(mnist, 100, models_folder=folder) is None


def test_other_data_and_missing_files_have_no_answers(mnist, folder):
    y_test = mnist.y_test.copy()
    y_test[0] = (y_test[0] + 1) % 10  # another labelling of the test images
    other = dataclasses.replace(mnist, y_test=y_test)
    assert shipped_answers.load(other, 100, models_folder=folder) is None
    assert shipped_answers.load(mnist, 500, models_folder=folder) is None  # no such file in this copy


def test_loading_never_unpickles(mnist, folder):
    path = answers_file(folder)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["predictions"] = np.array([Planted()], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=True, **arrays)
    path.write_bytes(buffer.getvalue())
    assert shipped_answers.load(mnist, 100, models_folder=folder) is None
    assert UNPICKLED == []


def test_save_writes_what_load_reads(mnist, folder):
    predictions = np.asarray(mnist.y_test)
    path = shipped_answers.save(mnist, 100, predictions, {100: 0.5, 10_000: 2.0}, models_folder=folder)
    answers = shipped_answers.load(mnist, 100, models_folder=folder)
    assert path == answers_file(folder) and np.array_equal(answers.predictions, predictions)
    assert answers.seconds == {100: 0.5, 10_000: 2.0}
    with pytest.raises(ValueError):
        shipped_answers.save(mnist, 100, predictions[:10], {}, models_folder=folder)
