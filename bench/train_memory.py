"""Peak memory of training, each size in a fresh process, as the app's server would train it.

Usage:
    python -m bench.train_memory                          # N = 10,000 20,000 60,000
    python -m bench.train_memory --memory-mb 300 --sizes 20000

Each run loads the bundled MNIST (as the app does), trains the lesson's SVC on the first N
images with ``model.train`` and prints the fit time, how training ran (shared kernel blocks
with k workers, or libsvm pair by pair) and the process's peak resident memory. Set
``--memory-mb`` to try the budget a hosted tier would get (``DIGITS_TRAIN_MEMORY_MB``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from tests.support.paths import ROOT

# Run as ``python -c`` in the repository's root (cwd=ROOT), so that it imports this digitlib.
ONE_RUN = """
import json, resource, sys
from digitlib.mnist import data, sampling
from digitlib.svm import fast_fit, model
mnist = data.load()
after_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
n = {n}
sample = sampling.choose(mnist.y_train, n)
workers = fast_fit.shared_kernel_workers(mnist.y_train[sample.indices])
trained = model.train(mnist.x_train, mnist.y_train, sample)
print(json.dumps({{"fit": trained.fit_seconds, "workers": workers, "after_data": after_data,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 60_000])
    parser.add_argument("--memory-mb", type=float, help="training memory budget (DIGITS_TRAIN_MEMORY_MB)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.memory_mb is not None:
        env["DIGITS_TRAIN_MEMORY_MB"] = str(args.memory_mb)
    print(f"budget: {env.get('DIGITS_TRAIN_MEMORY_MB', 'default (half the machine)')} MB")
    print(f"{'N':>6} | {'fit':>7} | {'how':<26} | {'RSS after data':>14} | {'peak RSS':>8}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, "-c", ONE_RUN.format(n=n)], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        how = f"shared kernel, {r['workers']} worker(s)" if r["workers"] else "libsvm pair by pair"
        print(f"{n:>6} | {r['fit']:>6.1f}s | {how:<26} | {r['after_data']:>11.0f} MB | {r['peak']:>5.0f} MB",
              flush=True)


if __name__ == "__main__":
    main()
