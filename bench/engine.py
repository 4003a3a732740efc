"""The SVM engine against scikit-learn: fit time, peak memory, exactness, predict time, plans.

Usage:
    python -m bench.engine                                # N = 10,000 20,000 60,000 (sklearn's 60,000: ~6 min)
    python -m bench.engine --skip-sklearn-above 20000     # sklearn only up to 20,000
    python -m bench.engine --sizes 10000 --budgets 690

Every fit runs in a fresh child process (``python -c``), which reports its own peak resident
memory (``ru_maxrss``, the whole process: Python, MNIST and the fit), the fit time and, for
``digitlib.svm.fast_fit``, the plan it chose. Our model is compared with scikit-learn's
(support vectors, dual coefficients, intercepts, bit for bit) wherever scikit-learn ran; where
it was skipped, with the model shipped in the repository (``digitlib.svm.shipped``, which
``bench.speed`` found bit-identical to ``SVC().fit``). Our 60,000-image model then predicts the
10,000 test images (``fast_predict.votes``), checked against ``SVC.predict``. Last, the plan
``plans.plan_for`` picks for each size at each memory budget.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from digitlib.mnist import data
from digitlib.svm import plans
from tests.support.paths import ROOT

# Run as ``python -c`` in the repository's root, so that it imports this digitlib.
CHILD = """
import json, resource, sys, time
import numpy as np
from digitlib.mnist import data
n, engine, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
mnist = data.load("bundled")
pixels, y = mnist.x_train[:n].reshape(n, 784), mnist.y_train[:n]
result = {}
if engine == "sklearn":
    from sklearn.svm import SVC
    x = pixels / 255.0
    start = time.perf_counter()
    est = SVC().fit(x, y)
    result["fit"] = time.perf_counter() - start
else:
    from digitlib.svm import fast_fit, fast_predict
    start = time.perf_counter()
    est, plan = fast_fit.fit_with_plan(pixels, y)
    result["fit"] = time.perf_counter() - start
    result["plan"] = plan.describe()
    if n == 60000:
        test = mnist.x_test.reshape(-1, 784)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            labels = fast_predict.votes(est, test).argmax(axis=1)
            times.append(time.perf_counter() - start)
        result["predict"] = sorted(times)[1]
        reference = est.predict(test / 255.0)  # libsvm's own answers with the same model
        result["predict_mismatch"] = int((labels != reference).sum())
result["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
np.savez(out, support=est.support_, dual_coef=est._dual_coef_, intercept=est._intercept_)
print(json.dumps(result))
"""

LAST_SKLEARN = {60_000: "318.5-348.6 s (bench.speed, README)"}


def run_child(n: int, engine: str, folder: str) -> tuple[dict, dict]:
    out = os.path.join(folder, f"{engine}-{n}.npz")
    done = subprocess.run([sys.executable, "-c", CHILD, str(n), engine, out], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    with np.load(out) as arrays:
        return json.loads(done.stdout.strip().splitlines()[-1]), dict(arrays)


def same_model(a: dict, b: dict) -> bool:
    return all(np.array_equal(a[k], b[k]) for k in ("support", "dual_coef", "intercept"))


def shipped_arrays(mnist, n: int) -> dict | None:
    from digitlib.svm import shipped

    found = shipped.load(mnist, n)
    if found is None:
        return None
    est = found.estimator
    return {"support": est.support_, "dual_coef": est._dual_coef_, "intercept": est._intercept_}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 60_000])
    parser.add_argument("--skip-sklearn-above", type=int, default=None, metavar="N",
                        help="do not run scikit-learn's fit for sizes above N")
    parser.add_argument("--budgets", type=float, nargs="+", default=[690, 1536, 4096], help="MB, for the plans")
    args = parser.parse_args()
    mnist = data.load("bundled")
    budget = os.environ.get("DIGITS_TRAIN_MEMORY_MB", "default (half the machine)")
    print(f"each fit in a fresh process; peak RSS = the whole process; training budget: {budget} MB\n")
    print(f"{'N':>6} | {'fit sklearn':>11} {'peak':>8} | {'fit ours':>8} {'peak':>8} {'ratio':>6} | "
          f"{'same model':<26} | plan")
    predict = None
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            ours, ours_arrays = run_child(n, "ours", folder)
            if args.skip_sklearn_above is not None and n > args.skip_sklearn_above:
                ref = None
                last = LAST_SKLEARN.get(n, "not measured")
                sk = f"{'skipped':>11} {'':>8}"
                ratio = "  -   "
                shipped = shipped_arrays(mnist, n)
                same = ("n/a; shipped model: " + ("yes" if same_model(ours_arrays, shipped) else "NO")
                        if shipped is not None else "n/a (sklearn skipped)")
            else:
                ref, ref_arrays = run_child(n, "sklearn", folder)
                sk = f"{ref['fit']:>10.1f}s {ref['peak']:>5.0f} MB"
                ratio = f"{ref['fit'] / ours['fit']:>5.1f}x"
                same = "yes (bit-identical)" if same_model(ours_arrays, ref_arrays) else "NO"
            print(f"{n:>6} | {sk} | {ours['fit']:>7.1f}s {ours['peak']:>5.0f} MB {ratio} | {same:<26} | {ours['plan']}",
                  flush=True)
            if ref is None:
                print(f"{'':>6}   sklearn's fit skipped (--skip-sklearn-above {args.skip_sklearn_above}); "
                      f"last measured: {last}", flush=True)
            if "predict" in ours:
                predict = ours
    if predict is not None:
        print(f"\npredict 10,000 test images with the 60,000-image model (fast_predict.votes, median of 3): "
              f"{predict['predict']:.2f}s, labels differing from SVC.predict: {predict['predict_mismatch']}")
    print("\nplans (plans.plan_for) for the first N training images:")
    for n in args.sizes:
        counts = np.unique(mnist.y_train[:n], return_counts=True)[1]
        for mb in args.budgets:
            print(f"{n:>6} images, {mb:>5.0f} MB: {plans.plan_for(counts, mb).describe()}")


if __name__ == "__main__":
    main()
