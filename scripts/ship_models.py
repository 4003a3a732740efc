"""Train the lesson's model at every learning-curve size and ship it in digitlib/assets/models.

Usage:
    python -m scripts.ship_models                  # every CURVE_SIZE, 100 ... 60,000
    python -m scripts.ship_models --sizes 100 500

Each size is trained on the first N images of the bundled MNIST with ``model.train`` (the
60,000-image model needs about 4.5 GB and 40 s), scored on the first 100 and all 10,000
test images, written with ``shipped.save`` and loaded back to check that it rebuilds the
trained SVC bit for bit. Prints each file's size and the total.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from digitlib.mnist import data, sampling
from digitlib.svm import shipped
from digitlib.svm.model import train
from digitlib.svm.model_spec import CURVE_SIZES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(CURVE_SIZES))
    parser.add_argument("--folder", type=Path, default=shipped.SHIPPED_DIR)
    args = parser.parse_args()
    mnist = data.load("bundled")
    print(f"data {mnist.fingerprint}, writing to {args.folder}")
    print(f"{'N':>6} | {'SVs':>6} | {'fit':>6} | {'acc 100':>7} | {'acc 10k':>7} | {'file KB':>8}")
    for n in args.sizes:
        sample = sampling.choose(mnist.y_train, n)
        model = train(mnist.x_train, mnist.y_train, sample)
        predicted = model.predict(mnist.x_test)
        accuracy = {
            "first_100": float(np.mean(predicted[:100] == mnist.y_test[:100])),
            "all_10000": float(np.mean(predicted == mnist.y_test)),
        }
        path = shipped.save(model, sample, mnist, args.folder, accuracy=accuracy)
        again = shipped.load(mnist, n, folder=args.folder)
        differences = shipped.differing_attributes(model.estimator, again.estimator)
        if differences:
            raise SystemExit(f"{path.name} does not rebuild the trained model: {', '.join(differences)}")
        print(f"{n:>6} | {model.estimator.support_.size:>6} | {model.fit_seconds:>5.1f}s | "
              f"{accuracy['first_100']:>7.2f} | {accuracy['all_10000']:>7.4f} | {path.stat().st_size / 1024:>8.1f}",
              flush=True)
        del model, again
    files = sorted(args.folder.glob("*" + shipped.SUFFIX))
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files in {args.folder}, {total / 2**20:.2f} MB in total")


if __name__ == "__main__":
    main()
