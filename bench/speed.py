"""Fit and predict times of digitlib against plain scikit-learn, measured in one run.

Usage:
    python -m bench.speed                # N = 500 … 20,000
    python -m bench.speed --sizes 60000  # the full training set (several minutes)

For each N it trains on the first N training images twice, with ``SVC().fit`` and with
``digitlib.svm.fast_fit.fit``, predicts all 10,000 test images with each, and prints the
times, the speed-up ratios, how many labels differ (must be 0), whether the support vectors,
coefficients and intercepts are bit-identical, and the peak memory.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from sklearn.svm import SVC

from digitlib.mnist import data
from digitlib.svm import fast_fit, fast_predict, model


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 5000, 10_000, 20_000])
    parser.add_argument("--test", type=int, default=10_000, help="test images to predict")
    args = parser.parse_args()

    mnist = data.load()
    pixels_test = mnist.x_test[: args.test].reshape(-1, 784)
    x_test = model.features(pixels_test)
    print(f"{'N':>6} | {'fit sklearn':>11} {'fit ours':>9} {'ratio':>6} | {'predict sklearn':>15} "
          f"{'predict ours':>12} {'ratio':>6} | {'slider sklearn':>14} {'slider ours':>11} {'ratio':>6} | "
          f"{'mismatch':>8} {'same model':>10} {'accuracy':>8} {'SVs':>6} {'peak MB':>7}")
    for n in args.sizes:
        pixels = mnist.x_train[:n].reshape(n, 784)
        x = model.features(pixels)
        y = mnist.y_train[:n]
        ref, fit_ref = timed(SVC().fit, x, y)
        labels_ref, pred_ref = timed(ref.predict, x_test)
        ours, fit_ours = timed(fast_fit.fit, pixels, y)
        votes, pred_ours = timed(fast_predict.votes, ours, pixels_test)
        labels_ours = votes.argmax(axis=1)
        mismatch = int((labels_ours != labels_ref).sum())
        same = all(np.array_equal(a, b) for a, b in [(ours.support_, ref.support_), (ours._dual_coef_, ref._dual_coef_),
                                                      (ours._intercept_, ref._intercept_)])
        accuracy = float((labels_ours == mnist.y_test[: args.test]).mean())
        # "slider": a position not trained before, to a fresh accuracy on the test images
        slider_ref, slider_ours = fit_ref + pred_ref, fit_ours + pred_ours
        print(f"{n:>6} | {fit_ref:>10.2f}s {fit_ours:>8.2f}s {fit_ref / fit_ours:>5.1f}x | {pred_ref:>14.2f}s "
              f"{pred_ours:>11.2f}s {pred_ref / pred_ours:>5.1f}x | {slider_ref:>13.2f}s {slider_ours:>10.2f}s "
              f"{slider_ref / slider_ours:>5.1f}x | {mismatch:>8} {'yes' if same else 'NO':>10} {accuracy:>8.4f} "
              f"{len(ours.support_):>6} "
              f"{peak_mb():>7.0f}", flush=True)
        del ref, ours, x
    print(f"\ntest images predicted: {args.test:,}; cores: {len(__import__('os').sched_getaffinity(0))}; "
          f"numpy {np.__version__}; mismatch counts labels that differ from SVC.fit(...).predict(...)")


if __name__ == "__main__":
    main()
