"""Command line: ``python -m digitlib lesson | train | evaluate | classroom-where | classroom-expire``."""

from __future__ import annotations

import argparse
import sys

from digitlib.errors import DigitsError
from digitlib.mnist import data, sampling
from digitlib.scoring import evaluate
from digitlib.svm.model import train
from digitlib.svm.model_spec import ModelSpec
from digitlib.svm.registry import Registry

LESSON_SIZES = (100, 500)
LESSON_IMAGES = (0, 2, 6)


def lesson(mnist: data.Mnist) -> None:
    """Replay the lesson: SVC on the first 100, then 500 images; score the first 100 tests."""
    print(f"MNIST from {mnist.source}: x_train {mnist.x_train.shape}, x_test {mnist.x_test.shape}")
    for n in LESSON_SIZES:
        model = train(mnist.x_train, mnist.y_train, sampling.choose(mnist.y_train, n))
        result = evaluate.evaluate(model, mnist.x_test, mnist.y_test, evaluate.LESSON_TEST_SIZE)
        print(f"\nN={n}: accuracy on the first {result.n_test} test images = {result.accuracy:.2f}")
        for i in LESSON_IMAGES:
            print(f"  test image {i}: True: {result.y_true[i]}, Prediction: {result.y_pred[i]}")


def _model(mnist, args):
    gamma = args.gamma if args.gamma in ("scale", "auto") else float(args.gamma)
    spec = ModelSpec(n=args.samples, mode=args.sampling, seed=args.seed if args.sampling != "first" else 0,
                     C=args.C, gamma=gamma, kernel=args.kernel)
    registry = Registry(mnist)
    loaded = registry.get(spec)
    model = loaded or registry.ensure(spec)
    how = "loaded from the model cache" if loaded else f"trained in {model.fit_seconds:.2f} s"
    print(f"{spec.describe()}: {how}")
    return model


def classroom_where() -> None:
    """Print where the class data lives (never a password) and whether it may be lost."""
    from digitlib.classroom import database

    url = database.default_url()
    print(f"The class data lives in {database.describe(url)}.")
    note = database.durability_note(url)
    print(note or "It outlives restarts of the app.")


def classroom_expire() -> None:
    """Delete the classes unused for the expiry time (DIGITS_CLASS_EXPIRY_DAYS) and print their codes."""
    from digitlib.classroom.store import ClassStore

    store = ClassStore(auto_expire=False)
    try:
        gone = store.expire()
    finally:
        store.close()
    print(f"Deleted {len(gone)} class{'' if len(gone) == 1 else 'es'} unused for {store.expiry_days:g} days"
          + (":" if gone else "."))
    for code in gone:
        print(code)


CLASSROOM_COMMANDS = {"classroom-where": classroom_where, "classroom-expire": classroom_expire}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digitlib", description=__doc__)
    parser.add_argument("--source", choices=data.SOURCES, default="bundled", help="where MNIST comes from")
    parser.add_argument("--data-file", help="an .npz or a folder of IDX files (with --source file)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("lesson", help="replay the lesson's N=100 and N=500 results")
    for name, text in (("train", "train (or load) a model"), ("evaluate", "train or load a model, then score it")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--samples", type=int, default=500, help="training images N (default 500)")
        p.add_argument("--sampling", choices=sampling.MODES, default="first")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--C", type=float, default=1.0)
        p.add_argument("--gamma", default="scale")
        p.add_argument("--kernel", choices=("rbf", "linear", "poly", "sigmoid"), default="rbf")
        if name == "evaluate":
            p.add_argument("--test", type=int, default=100, help="first M test images (default 100)")
    sub.add_parser("classroom-where", help="say where the class data lives and whether it may be lost")
    sub.add_parser("classroom-expire", help="delete the classes unused for DIGITS_CLASS_EXPIRY_DAYS (30)")
    args = parser.parse_args(argv)
    try:
        if args.command in CLASSROOM_COMMANDS:  # no MNIST needed
            CLASSROOM_COMMANDS[args.command]()
            return 0
        mnist = data.load(args.source, args.data_file)
        if args.command == "lesson":
            lesson(mnist)
        elif args.command == "train":
            _model(mnist, args)
        else:
            model = _model(mnist, args)
            result = evaluate.evaluate(model, mnist.x_test, mnist.y_test, args.test)
            print(f"accuracy on the first {result.n_test:,} test images: {result.accuracy:.4f} "
                  f"(predicted in {result.predict_seconds:.2f} s; {len(result.misclassified)} wrong)")
            print(result.per_digit_table().round(3).to_string())
    except (DigitsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
