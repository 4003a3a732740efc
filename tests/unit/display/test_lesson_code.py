"""The lesson's code: page cells, the downloaded recognition.py and the notebook reproduce the app."""

import ast
import os
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest

from digitlib.display import lesson_code, model_links
from digitlib.mnist import sampling
from digitlib.mnist.data import BUNDLED_PATH
from digitlib.scoring import evaluate
from digitlib.svm.model import train
from digitlib.svm.model_spec import ModelSpec
from tests.support.paths import ROOT

# Settings the lesson never uses: other samplings, C, gamma (a number, "auto") and kernels.
ODD_SPECS = [
    model_links.spec(300, "balanced", 7, 3.0, 0.0301, "rbf"),
    model_links.spec(200, "random", 11, 10.0, "auto", "rbf"),
    model_links.spec(250, "random", 3, 0.3, "scale", "linear"),
]
STUBS = {
    # imported at all: the script must not touch tensorflow when it has --data
    "forbidden": 'raise RuntimeError("tensorflow was imported")',
    "missing": 'raise ImportError("No module named tensorflow")',
    "offline": textwrap.dedent("""\
        from types import SimpleNamespace

        def _download():
            raise OSError("URL fetch failure: network is unreachable")

        keras = SimpleNamespace(datasets=SimpleNamespace(mnist=SimpleNamespace(load_data=_download)))
    """),
}


def run(tmp_path, code: str, *args: str, tensorflow: str = "forbidden", env: dict | None = None,
        name: str = "recognition.py") -> subprocess.CompletedProcess:
    """Write ``code`` to a temporary folder and run it there, with a stand-in ``tensorflow`` package."""
    stub = tmp_path / f"stub-{tensorflow}" / "tensorflow"
    stub.mkdir(parents=True, exist_ok=True)
    (stub / "__init__.py").write_text(STUBS[tensorflow])
    (tmp_path / name).write_text(code)
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    environment.update(PYTHONPATH=str(stub.parent), **(env or {}))
    return subprocess.run([sys.executable, name, *args], cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=120)


def printed_accuracy(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("Accuracy: ")]
    assert len(lines) == 1, output
    return lines[0]


def app_accuracy(mnist, spec: ModelSpec, n_test: int) -> str:
    """The accuracy line as the app computes and shows it for ``spec``."""
    sample = sampling.choose(mnist.y_train, spec.n, spec.mode, spec.seed)
    model = train(mnist.x_train, mnist.y_train, sample, spec.settings)
    result = evaluate.evaluate(model, mnist.x_test, mnist.y_test, n_test)
    return f"Accuracy: {result.accuracy:.{lesson_code.accuracy_decimals(n_test)}f}"


# -- the downloaded script ---------------------------------------------------------------------
@pytest.mark.parametrize("n, expected, image_6", [(100, "Accuracy: 0.68", "True: 4, Prediction: 9"),
                                                  (500, "Accuracy: 0.88", "True: 4, Prediction: 4")])
def test_script_prints_the_lessons_accuracies(tmp_path, n, expected, image_6):
    """The lesson's two steps, as ``python -m digitlib lesson`` prints them too."""
    done = run(tmp_path, lesson_code.script(ModelSpec(n=n), 100), "--data", str(BUNDLED_PATH), "--no-plots")
    assert done.returncode == 0, done.stderr
    assert printed_accuracy(done.stdout) == expected
    assert done.stdout.splitlines()[-1] == image_6


@pytest.mark.parametrize("spec", ODD_SPECS[:2], ids=lambda s: f"{s.mode}-{s.kernel}-{s.gamma}")
def test_script_prints_what_the_app_computes(tmp_path, mnist, spec):
    done = run(tmp_path, lesson_code.script(spec, 1000), "--data", str(BUNDLED_PATH), "--no-plots")
    assert done.returncode == 0, done.stderr
    assert printed_accuracy(done.stdout) == app_accuracy(mnist, spec, 1000)


def test_script_with_data_never_imports_tensorflow(tmp_path):
    """With the real TensorFlow installed, neither making the code nor running the script with --data
    imports it; nor streamlit or nbformat (only the notebook needs it)."""
    check = ("import runpy, sys; from digitlib.display import lesson_code; "
             "from digitlib.svm.model_spec import ModelSpec; "
             "[lesson_code.cells(ModelSpec(), page=page) for page in lesson_code.PAGES]; "
             "open('recognition.py', 'w').write(lesson_code.script(ModelSpec(n=100), 100)); "
             "sys.argv = ['recognition.py', '--data', sys.argv[1], '--no-plots']; "
             "runpy.run_path('recognition.py', run_name='__main__'); "
             "print('imported:', "
             "sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'streamlit', 'nbformat'}))")
    done = subprocess.run([sys.executable, "-c", check, str(BUNDLED_PATH)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert printed_accuracy(done.stdout) == "Accuracy: 0.68"
    assert done.stdout.splitlines()[-1] == "imported: []"


@pytest.mark.parametrize("tensorflow, says", [("missing", "TensorFlow is not installed"), ("offline", "offline")])
def test_script_without_data_or_keras_says_what_to_do(tmp_path, tensorflow, says):
    done = run(tmp_path, lesson_code.script(ModelSpec(n=100), 100), "--no-plots", tensorflow=tensorflow)
    assert done.returncode == 1
    assert says in done.stderr and "python recognition.py --data path/to/mnist.npz" in done.stderr
    assert "Traceback" not in done.stderr and "Accuracy" not in done.stdout


def test_script_without_a_screen_saves_its_figures(tmp_path):
    done = run(tmp_path, lesson_code.script(ModelSpec(n=100), 100), "--data", str(BUNDLED_PATH))
    assert done.returncode == 0, done.stderr
    assert printed_accuracy(done.stdout) == "Accuracy: 0.68"
    # the first image, the countplot, the heatmap and "True: t, Prediction: p"
    assert sorted(p.name for p in tmp_path.glob("recognition-*.png")) == [f"recognition-{i}.png" for i in range(1, 5)]


def _script_function(code: str, name: str):
    """The function ``name`` defined in a script, without running the script."""
    tree = ast.parse(code)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"np": np}
    exec(compile(ast.Module([node], []), "<script>", "exec"), namespace)
    return namespace[name]


def test_the_scripts_sampling_picks_the_apps_images(mnist):
    choose = _script_function(lesson_code.script(model_links.spec(300, "balanced", 1), 100), "choose_images")
    scarce = np.array([0] * 3 + [1] * 50 + [2] * 50, dtype=np.uint8)  # a digit runs out: shares are redealt
    cases = [(mnist.y_train, n, mode, seed) for mode in sampling.MODES for n, seed in
             [(1, 0), (100, 0), (257, 3), (1000, 42), (5003, 7), (60_000, 9)]] + [(scarce, 31, "balanced", 2)]
    for labels, n, mode, seed in cases:
        assert np.array_equal(choose(labels, n, mode, seed), sampling.choose(labels, n, mode, seed).indices), \
            (n, mode, seed)


def test_only_other_samplings_carry_the_function():
    assert "choose_images" not in lesson_code.script(ModelSpec(n=500), 100)
    code = lesson_code.script(model_links.spec(500, "random", 4), 100)
    assert 'sample = choose_images(y_train, 500, "random", seed=4)' in code
    assert "model.fit(x_train[sample], y_train[sample])" in code


# -- the notebook ----------------------------------------------------------------------------------
def _notebook_code(nb, data_path) -> str:
    """The notebook's code cells as one program, its ``parameters`` cell pointing at ``data_path``."""
    cells = [c for c in nb.cells if c.cell_type == "code"]
    parameters = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1 and parameters[0].source.startswith("DATA = None")
    return "\n\n".join(f"DATA = {str(data_path)!r}" if c is parameters[0] else c.source for c in cells)


@pytest.mark.parametrize("spec, n_test", [(ModelSpec(n=500), 100), (ODD_SPECS[2], 1000)],
                         ids=["lesson", "random-linear"])
def test_notebook_is_valid_and_gives_the_same_accuracy(tmp_path, mnist, spec, n_test):
    raw = lesson_code.notebook(spec, n_test)
    nb = nbformat.reads(raw.decode(), as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and raw == lesson_code.notebook(spec, n_test)  # the same bytes every time
    kinds = [c.cell_type for c in nb.cells]
    assert kinds.count("markdown") >= kinds.count("code") >= 10
    done = run(tmp_path, _notebook_code(nb, BUNDLED_PATH), name="notebook.py", env={"MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    assert printed_accuracy(done.stdout) == ("Accuracy: 0.88" if spec == ModelSpec(n=500)
                                             else app_accuracy(mnist, spec, n_test))


def test_notebook_has_the_script_steps():
    spec = model_links.spec(300, "balanced", 7, 3.0, 0.0301, "poly")
    sources = "\n".join(c.source for c in nbformat.reads(lesson_code.notebook(spec, 1000).decode(), 4).cells)
    script = lesson_code.script(spec, 1000)
    for line in ("x_train = x_train.reshape(60000, 784)", "x_train = x_train / 255",
                 'sample = choose_images(y_train, 300, "balanced", seed=7)',
                 'model = svm.SVC(C=3, gamma=0.0301, kernel="poly")', "print(x_train[0])"):
        assert line in sources
        assert line in script or line == "print(x_train[0])"  # the script does not print a raw array


# -- the cells a page shows ---------------------------------------------------------------------
def _page_code(spec, page, n_test=100, index=None, **kw) -> str:
    return "\n".join(code for _, code in lesson_code.cells(spec, n_test, index=index, page=page, **kw))


def test_cells_follow_each_page():
    spec = ModelSpec(n=750)
    explore = _page_code(spec, "Explore", index=12, split="test")
    assert "tf.keras.datasets.mnist.load_data()" in explore and "plt.imshow(x_test[12])" in explore
    assert "print(x_test[12])" in explore and "x_train = x_train.reshape(60000, 784)" in explore
    assert "svm.SVC" not in explore

    trained = _page_code(spec, "Train")
    for line in ("model = svm.SVC()", "model.fit(x_train[:750], y_train[:750])", "sns.countplot(x=y_train[:750])",
                 "metrics.accuracy_score(y_test[:100], predictions)", 'print(f"Accuracy: {accuracy:.2f}")'):
        assert line in trained
    assert "heatmap" not in trained and "/ 255" not in trained

    evaluated = _page_code(spec, "Evaluate", n_test=2000, index=321)
    for line in ("model.fit(x_train[:750], y_train[:750])", "predictions = model.predict(x_test[:2000])",
                 "metrics.accuracy_score(y_test[:2000], predictions)", 'print(f"Accuracy: {accuracy:.4f}")',
                 'sns.heatmap(metrics.confusion_matrix(y_test[:2000], predictions), annot=True',
                 'print(f"True: {y_test[321]}, Prediction: {predictions[321]}")'):
        assert line in evaluated
    assert "countplot" not in evaluated
    titles = [title for title, _ in lesson_code.cells(spec, 100, page="Evaluate")]
    assert "Test image 6: true or predicted?" in titles  # the image Evaluate compares first


@pytest.mark.parametrize("spec, call", [
    (ModelSpec(), "svm.SVC()"),
    (model_links.spec(100, C=10.0), "svm.SVC(C=10)"),
    (model_links.spec(100, gamma=0.0001, kernel="poly"), 'svm.SVC(gamma=0.0001, kernel="poly")'),
    (model_links.spec(100, C=0.3, gamma="auto", kernel="sigmoid"), 'svm.SVC(C=0.3, gamma="auto", kernel="sigmoid")'),
    (model_links.spec(100, gamma=1 / 3), "svm.SVC(gamma=0.3333)"),
    (ModelSpec(gamma=1 / 3), "svm.SVC(gamma=0.3333333333333333)"),
])
def test_svc_is_written_like_the_lesson_with_exact_values(spec, call):
    assert lesson_code.svc_call(spec) == call
    keywords = {k.arg: ast.literal_eval(k.value) for k in ast.parse(call).body[0].value.keywords}
    assert {**{"C": 1.0, "gamma": "scale", "kernel": "rbf"}, **keywords} == {
        "C": spec.C, "gamma": spec.gamma, "kernel": spec.kernel}


@pytest.mark.parametrize("spec", ODD_SPECS + [model_links.spec(60_000, "balanced", 10_000, 100.0, 10.0, "sigmoid"),
                                              ModelSpec(gamma=1e-5)])
def test_odd_settings_give_valid_python(spec):
    for page in (*lesson_code.PAGES, None):
        for title, code in lesson_code.cells(spec, 10_000, index=9999, page=page):
            compile(code, title, "exec")
    compile(lesson_code.script(spec, 10_000, index=9999), "recognition.py", "exec")
    if spec.mode != "first":
        assert f"[:{spec.n}]" not in lesson_code.script(spec, 500)  # a sample, not the first N
    assert ("x_train = x_train / 255" in lesson_code.script(spec, 500)) == lesson_code.needs_scaling(spec)


def test_accuracy_is_shown_as_the_pages_show_it():
    assert [lesson_code.accuracy_decimals(n) for n in (1, 100, 101, 500, 10_000)] == [2, 2, 4, 4, 4]


def test_unknown_page_is_refused():
    with pytest.raises(ValueError, match="Explore, Train, Evaluate"):
        lesson_code.cells(ModelSpec(), page="Draw")
