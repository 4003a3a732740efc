"""What the app shares between sessions: produced once however many ask at the same moment."""

from digitlib.display import plots
from digitlib.drawing import neighbours
from digitlib.scoring import evaluate
from digitlib.svm import fast_predict, model_files
from digitlib.svm.model_spec import ModelSpec
from tests.support.threads import ask_from_threads, count_calls
from ui import resources


def test_thirty_sessions_share_one_evaluation(mnist, monkeypatch):
    calls = count_calls(monkeypatch, evaluate, "evaluate", delay=0.2)  # every thread arrives while it runs
    resources._evaluation.clear()
    results = ask_from_threads(30, lambda: resources.evaluation(ModelSpec(n=200), 300, mnist))
    assert len(calls) == 1 and len({id(r) for r in results}) == 1 and results[0].accuracy > 0.7


def test_a_shipped_model_is_scored_from_its_recorded_answers(mnist, monkeypatch):
    """The 60,000-image model on all 10,000 test images: nothing predicted, the accuracy of its own answers."""
    evaluations = count_calls(monkeypatch, evaluate, "evaluate")
    predictions = count_calls(monkeypatch, fast_predict, "votes")
    resources._evaluation.clear()
    results = ask_from_threads(30, lambda: resources.evaluation(ModelSpec(n=60_000), 10_000, mnist))
    assert evaluations == [] and predictions == [] and len({id(r) for r in results}) == 1
    assert results[0].recorded and results[0].accuracy == 0.9792 and results[0].predict_seconds > 0
    assert results[0].confusion.sum() == 10_000
    other = resources.evaluation(ModelSpec(n=500, C=2.0), 1000, mnist)  # not shipped: predicted
    assert not other.recorded and len(evaluations) == 1


def test_a_shipped_models_download_size_is_recorded_and_another_measured_once(mnist, monkeypatch):
    """The neural comparison's cost table: building the 60,000-image model's file took 100 MB."""
    exports = count_calls(monkeypatch, model_files, "export", delay=0.1)
    resources._file_bytes.clear()
    shipped = resources.model(ModelSpec(n=60_000), mnist)
    assert 4_000_000 < resources.model_file_bytes(ModelSpec(n=60_000), shipped, mnist) < 4_400_000
    assert exports == []
    spec = ModelSpec(n=300)
    own = resources.model(spec, mnist)
    sizes = ask_from_threads(10, lambda: resources.model_file_bytes(spec, own, mnist))
    assert len(exports) == 1 and len(set(sizes)) == 1
    assert abs(sizes[0] - len(model_files.export(own))) < 100  # a zip's few bytes of metadata vary


def test_thirty_students_downloading_one_model_build_its_file_once(mnist, monkeypatch):
    exports = count_calls(monkeypatch, model_files, "export", delay=0.2)
    resources._model_file.clear()
    spec = ModelSpec(n=300)
    model = resources.model(spec, mnist)
    files = ask_from_threads(30, lambda: resources.model_file(spec, model, mnist))
    assert len(exports) == 1 and len({id(f) for f in files}) == 1
    assert model_files.read_export(files[0]).support_.tolist() == model.estimator.support_.tolist()


def test_thirty_sessions_share_one_figure(monkeypatch):
    calls = count_calls(monkeypatch, plots, "label_counts", delay=0.2)
    resources.figure.clear()
    results = ask_from_threads(30, lambda: resources.figure("label_counts", [1, 2, 2, 3], "thirty"))
    assert len(calls) == 1 and len(set(results)) == 1 and results[0].startswith(b"\x89PNG")


def test_the_neighbour_index_is_built_once(mnist, monkeypatch):
    calls = count_calls(monkeypatch, neighbours, "Index")
    resources._neighbour_index.clear()
    results = ask_from_threads(30, lambda: resources.neighbour_index(mnist))
    assert len(calls) == 1 and len({id(r) for r in results}) == 1
