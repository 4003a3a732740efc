"""The lesson's Python for what the app shows, with the session's settings filled in.

``cells`` gives the short cells a page shows ("The code"), ``script`` a runnable
``recognition.py`` that repeats the session's experiment and prints the app's accuracy,
and ``notebook`` the same steps as a Jupyter notebook. The code follows the lesson's:
keras's loader, ``reshape(60000, 784)``, ``svm.SVC()`` fitted on ``x_train[:N]``,
``metrics.accuracy_score``, seaborn's countplot and heatmap.

Two things the app does beyond the lesson appear only when they change the result:
a balanced or random sample (the script carries a numpy copy of ``sampling.choose``)
and pixels scaled to 0-1 (the app's models learn from ``pixels / 255``, which makes no
difference with gamma="scale" and an rbf, poly or sigmoid kernel, the lesson's case).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

from digitlib.language import _, catalogs, formats
from digitlib.svm.model_spec import ModelSpec

PAGES = {
    "Explore": ("setup", "look", "raw", "reshape"),
    "Train": ("scale", "sample", "train", "accuracy", "countplot"),
    "Evaluate": ("scale", "sample", "train", "accuracy", "heatmap", "compare"),
}
# The whole experiment, in order: the script leaves out the raw array (28 long lines of numbers).
NOTEBOOK_STEPS = ("look", "raw", "reshape", "scale", "sample", "train", "accuracy", "countplot", "heatmap", "compare")
SCRIPT_STEPS = tuple(step for step in NOTEBOOK_STEPS if step != "raw")
SHAPES = {"train": 60_000, "test": 10_000}  # MNIST's, as the lesson writes them in reshape()
DEFAULT_COMPARED = 6  # the test image Evaluate compares first

# A numpy copy of digitlib.mnist.sampling.choose, so a downloaded script picks the very same images.
SAMPLING_FUNCTION = '''\
def choose_images(labels, n, mode, seed):
    """The indices of the n training images the app learns from, picked as the app picks them."""
    if mode == "first":
        return np.arange(n)
    rng = np.random.default_rng(seed)
    if mode == "random":
        return np.sort(rng.choice(len(labels), size=n, replace=False))
    # balanced: shuffle each digit's images, then hand out the n places round by round,
    # so each digit gets an equal share (a digit with too few images gives its extra places away)
    shuffled = [rng.permutation(np.flatnonzero(labels == digit)) for digit in np.unique(labels)]
    counts = [0] * len(shuffled)
    left = n
    while left > 0:
        still_open = [d for d in range(len(shuffled)) if counts[d] < len(shuffled[d])]
        share, extra = divmod(left, len(still_open))
        for rank, d in enumerate(still_open):
            give = min(share + (1 if rank < extra else 0), len(shuffled[d]) - counts[d])
            counts[d] += give
            left -= give
    return np.sort(np.concatenate([images[:count] for images, count in zip(shuffled, counts)]))
'''

_LOADER = '''\
def load_mnist(path=None):
    """MNIST as keras gives it: (x_train, y_train), (x_test, y_test)."""
    if path:  # a copy on this computer, in keras's layout (the digits app ships one)
        try:
            with np.load(path, allow_pickle=False) as data:
                return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
        except Exception as error:  # missing, damaged, or not MNIST
            sys.exit(f"Cannot read MNIST from {path}: {error}")
    try:
        import tensorflow as tf  # only now: it is big and slow to import
    except ImportError:
        sys.exit("TensorFlow is not installed, so keras cannot load MNIST.\\n"
                 "Install it (pip install tensorflow), or use a copy of MNIST on this computer:\\n"
                 "    python recognition.py --data path/to/mnist.npz")
    try:
        return tf.keras.datasets.mnist.load_data()
    except Exception as error:  # keras raises several kinds of error when the download fails
        sys.exit(f"keras could not download MNIST ({error}). Is this computer offline?\\n"
                 "Use a copy of MNIST on this computer instead:\\n"
                 "    python recognition.py --data path/to/mnist.npz")
'''

_ARGUMENTS = '''\
parser = argparse.ArgumentParser(description="Teach a computer to read handwritten digits.")
parser.add_argument("--data", metavar="PATH",
                    help="MNIST as an .npz in keras's layout; without it, keras downloads MNIST")
parser.add_argument("--no-plots", action="store_true", help="print the results only, draw no figures")
args = parser.parse_args()
plots = not args.no_plots
if plots:
    import matplotlib
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        matplotlib.use("Agg")  # no screen: the figures are saved as PNG files at the end
    import matplotlib.pyplot as plt
    import seaborn as sns
'''

_SHOW = '''\
if plots:
    if plt.get_backend().lower() == "agg":
        names = [f"recognition-{number}.png" for number in plt.get_fignums()]
        for number, name in zip(plt.get_fignums(), names):
            plt.figure(number).savefig(name)
        print("No screen for the figures; saved them as", ", ".join(names))
    else:
        plt.show()
'''


@dataclass(frozen=True)
class Step:
    """One step of the lesson: a title, what it does in plain words, and its code."""

    title: str
    words: str
    code: str = ""  # computes and prints
    plot: str = ""  # draws a figure (the script skips it with --no-plots)

    @property
    def text(self) -> str:
        """The cell as a page or the notebook shows it: the figure's lines, then the rest."""
        return "\n".join(part for part in (self.plot, self.code) if part)


def accuracy_decimals(n_test: int) -> int:
    """Decimals the app shows an accuracy with: 2 on up to 100 test images, else 4."""
    return 2 if n_test <= 100 else 4


def needs_scaling(spec: ModelSpec) -> bool:
    """Whether dividing the pixels by 255, as the app does, changes the model.

    gamma="scale" adapts to the pixels' spread, so with it rbf, poly and sigmoid kernels
    learn the same model from 0-255 or 0-1 pixels; "auto", a number or a linear kernel do not.
    """
    return spec.kernel == "linear" or spec.gamma != "scale"


def svc_call(spec: ModelSpec) -> str:
    """``svm.SVC(...)`` with the settings that differ from the lesson's: ``svm.SVC()`` for the lesson."""
    lesson, args = ModelSpec(), []
    if spec.C != lesson.C:
        args.append(f"C={_number(spec.C)}")
    if spec.gamma != lesson.gamma:
        args.append(f"gamma={json.dumps(spec.gamma) if isinstance(spec.gamma, str) else _number(spec.gamma)}")
    if spec.kernel != lesson.kernel:
        args.append(f"kernel={json.dumps(spec.kernel)}")
    return f"svm.SVC({', '.join(args)})"


def _number(value: float) -> str:
    """A number as Python reads it back exactly: ``10``, ``0.3``, ``0.0301``."""
    text = repr(float(value))
    return text.removesuffix(".0")


def steps(spec: ModelSpec, n_test: int = 100, compared: int | None = None, shown: int = 0,
          split: str = "train") -> dict[str, Step]:
    """Every step of the experiment for these settings, by name (``"scale"`` and ``"sample"`` only if needed).

    ``shown`` is the image looked at (from ``split``), ``compared`` the test image whose
    true label and prediction are printed (default 6).
    """
    if split not in ("train", "test"):
        raise ValueError(_("split must be 'train' or 'test'; got {split}").format(split=repr(split)))
    n = spec.n
    x, y = f"x_{split}", f"y_{split}"
    seen = int(shown)
    compared = min(DEFAULT_COMPARED, n_test - 1) if compared is None else int(compared)
    rows = "[sample]" if spec.mode != "first" else f"[:{n}]"
    out = {
        "setup": Step(
            _("Load MNIST"),
            "MNIST holds 70,000 handwritten digits: 60,000 to learn from (the training images) and 10,000 to test "
            "the model on (the test images). Each image comes with its label, the digit it really is.",
            "import tensorflow as tf\nfrom sklearn import svm, metrics\nimport matplotlib.pyplot as plt\n"
            "import seaborn as sns\n\n(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
            "print(x_train.shape, x_test.shape)",
        ),
        "look": Step(
            _("Look at one image"),
            f"Each image is a 28 × 28 grid of numbers. `imshow` draws image {seen} as a picture; "
            "its label says which digit it is.",
            f'print("Label:", {y}[{seen}])', f"plt.imshow({x}[{seen}])",
        ),
        "raw": Step(
            _("The raw pixel array"),
            "The computer sees only numbers: 0 is empty paper, 255 is full ink.",
            f"print({x}[{seen}])",
        ),
        "reshape": Step(
            _("Reshape each image to one row"),
            "The model wants each image as one row of 28 × 28 = 784 numbers, so we reshape the arrays.",
            f"x_train = x_train.reshape({SHAPES['train']}, 784)\nx_test = x_test.reshape({SHAPES['test']}, 784)\n"
            "print(x_train.shape, x_test.shape)",
        ),
        "train": Step(
            _("Train on {n} images").format(n=formats.count(n)),
            f"`fit` shows the support-vector machine (SVC) {n:,} training images together with the right answers, "
            "and it learns from them.",
            f"model = {svc_call(spec)}\nmodel.fit(x_train{rows}, y_train{rows})",
        ),
        "accuracy": Step(
            _("Accuracy on the first {n} test images").format(n=formats.count(n_test)),
            f"The model guesses the first {n_test:,} test images, which it has never seen. "
            "The accuracy is the share it gets right: 1.0 would be all of them.",
            f"predictions = model.predict(x_test[:{n_test}])\n"
            f"accuracy = metrics.accuracy_score(y_test[:{n_test}], predictions)\n"
            f'print(f"Accuracy: {{accuracy:.{accuracy_decimals(n_test)}f}}")',
        ),
        "countplot": Step(
            _("How many of each digit it learned from"),
            "A countplot: one bar per digit, as tall as the number of training images of that digit.",
            plot=f"sns.countplot(x=y_train{rows})",
        ),
        "heatmap": Step(
            _("Which digits it mixes up"),
            "The confusion matrix: each row is the true digit, each column the model's guess. "
            "The diagonal counts the right answers; everything else is a mistake.",
            plot=f'sns.heatmap(metrics.confusion_matrix(y_test[:{n_test}], predictions), annot=True, fmt="d")\n'
                 'plt.xlabel("Prediction")\nplt.ylabel("True")',
        ),
        "compare": Step(
            _("Test image {index}: true or predicted?").format(index=compared),
            f"Test image {compared}: the digit it really is (True) and what the model says it is (Prediction).",
            f'print(f"True: {{y_test[{compared}]}}, Prediction: {{predictions[{compared}]}}")',
            f'plt.imshow(x_test[{compared}].reshape(28, 28))\n'
            f'plt.title(f"True: {{y_test[{compared}]}}, Prediction: {{predictions[{compared}]}}")',
        ),
    }
    if needs_scaling(spec):
        out["scale"] = Step(
            _("Pixels from 0 to 1"),
            "The app divides every pixel by 255, so pixels run from 0 to 1. With the lesson's settings this "
            "changes nothing; with these settings it changes what the model learns, so we do it too.",
            "x_train = x_train / 255\nx_test = x_test / 255",
        )
    if spec.mode != "first":
        how = "balanced: the same number of each digit" if spec.mode == "balanced" else "random"
        out["sample"] = Step(
            _("Choose {n} training images").format(n=formats.count(n)),
            f"Instead of the first {n:,} images, the app picks {n:,} ({how}), with seed {spec.seed}. "
            "The same seed always picks the same images.",
            f'sample = choose_images(y_train, {n}, "{spec.mode}", seed={spec.seed})',
        )
    return out


def cells(spec: ModelSpec | None, n_test: int = 100, index: int | None = None, page: str | None = None,
          split: str = "train") -> list[tuple[str, str]]:
    """(title, code) for each cell ``page`` shows ("Explore", "Train" or "Evaluate"); the whole lesson without one.

    ``index`` is the image shown (Explore, from ``split``) or compared (the others).
    """
    if page is not None and page not in PAGES:
        raise ValueError(_("unknown page {page}; choose one of {pages}").format(page=repr(page),
                                                                               pages=", ".join(PAGES)))
    shown = index if page == "Explore" and index is not None else 0
    found = steps(spec or ModelSpec(), n_test, None if page == "Explore" else index, shown, split)
    names = PAGES[page] if page else ("setup", *NOTEBOOK_STEPS)
    out = []
    for name in (name for name in names if name in found):
        code = found[name].text
        if name == "sample":
            code += "  # choose_images is in the downloaded recognition.py"
        out.append((found[name].title, code))
    return out


@catalogs.speaking(catalogs.DEFAULT)
def script(spec: ModelSpec, n_test: int = 100, index: int | None = None) -> str:
    """A complete ``recognition.py`` that repeats the experiment and prints ``Accuracy: X`` as the app shows it.

    Written in English whatever the page's language, as the notebook is: one language from top to bottom."""
    found = steps(spec, n_test, index)
    about = textwrap.fill(f"The digits app's experiment: {spec.describe()}, scored on the first {n_test:,} "
                          "test images.", 96)
    head = ('"""recognition.py: teach a computer to read handwritten digits (MNIST and an SVM).\n\n'
            f"{about}\n\n"
            "    python recognition.py                          # keras downloads MNIST\n"
            "    python recognition.py --data path/to/mnist.npz # a copy on this computer (keras's layout)\n"
            "    python recognition.py --no-plots               # print the results, draw no figures\n"
            '"""\n\nimport argparse\nimport os\nimport sys\n\nimport numpy as np\nfrom sklearn import metrics, svm\n')
    parts = [head, _LOADER]
    if "sample" in found:
        parts.append(SAMPLING_FUNCTION)
    parts.append(_ARGUMENTS)
    parts.append("# Load MNIST\n(x_train, y_train), (x_test, y_test) = load_mnist(args.data)\n"
                 "print(x_train.shape, x_test.shape)")
    for name in SCRIPT_STEPS:
        if name in found:
            step = found[name]
            block = [f"# {step.title}"]
            if step.plot:
                block.append("if plots:\n    plt.figure()\n" + textwrap.indent(step.plot, "    "))
            if step.code:
                block.append(step.code)
            parts.append("\n".join(block))
    parts.append(_SHOW)
    # two blank lines around the functions, one between the steps
    return "".join(part.rstrip("\n") + ("\n\n\n" if part.startswith(("def ", "import", '"""')) else "\n\n")
                   for part in parts).rstrip("\n") + "\n"


@catalogs.speaking(catalogs.DEFAULT)
def notebook(spec: ModelSpec, n_test: int = 100, index: int | None = None) -> bytes:
    """The experiment as a Jupyter notebook (nbformat v4, validated): plain words, then code, per step.

    Its ``parameters`` cell sets ``DATA``: None to let keras download MNIST, or a path to an .npz.
    """
    import nbformat  # only needed when someone downloads a notebook
    from nbformat import v4

    found = steps(spec, n_test, index)
    pairs = [
        ("# Teach a computer to read handwritten digits\n\n"
         f"This notebook repeats an experiment from the digits app: {spec.describe()}, scored on the first "
         f"{n_test:,} test images. Run the cells from top to bottom (Shift + Enter).", None),
        ("## The tools\n\nscikit-learn's `svm` makes the model and `metrics` scores it; "
         "matplotlib and seaborn draw the pictures.",
         "import numpy as np\nfrom sklearn import svm, metrics\n"
         "import matplotlib.pyplot as plt\nimport seaborn as sns"),
        ("## Where the data comes from\n\nLeave `DATA = None` and keras downloads MNIST from the internet. "
         "Offline? Put the path of an `mnist.npz` file (keras's layout) here instead.",
         'DATA = None  # or, for example, DATA = "mnist.npz"'),
        ("## Load MNIST\n\n" + found["setup"].words,
         "if DATA:\n    with np.load(DATA, allow_pickle=False) as data:\n"
         '        (x_train, y_train), (x_test, y_test) = '
         '(data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])\n'
         "else:\n    import tensorflow as tf\n"
         "    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
         "print(x_train.shape, x_test.shape)"),
    ]
    if "sample" in found:
        pairs.append(("## How the app picks its images\n\nThis function picks the training images exactly as "
                      "the app does.", SAMPLING_FUNCTION.rstrip("\n")))
    pairs += [(f"## {found[name].title}\n\n{found[name].words}", found[name].text)
              for name in NOTEBOOK_STEPS if name in found]
    nb = v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    for number, (words, code) in enumerate(pairs):
        nb.cells.append(v4.new_markdown_cell(words, id=f"words-{number}"))
        if code is not None:
            cell = v4.new_code_cell(code, id=f"code-{number}")
            if code.startswith("DATA ="):
                cell.metadata["tags"] = ["parameters"]  # papermill's name for the cell to change
            nb.cells.append(cell)
    nbformat.validate(nb)
    return nbformat.writes(nb).encode("utf-8")
