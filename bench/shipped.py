"""Time and memory of loading the shipped models, each size in a fresh process holding MNIST.

Usage:
    python -m bench.shipped                   # every shipped size
    python -m bench.shipped --sizes 60000

Each run loads the bundled MNIST and its fingerprint (as the app's registry does), then
``shipped.load`` for one size, then predicts the first 100 test images (the first prediction
also prepares the model's pixel copies). Prints the file size, the load time, the first
prediction's time and the process's resident memory: peak after the data, current and peak
after the load, peak after the prediction.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from digitlib.svm import shipped
from tests.support.paths import ROOT

# Run as ``python -c`` in the repository's root (cwd=ROOT), so that it imports this digitlib.
ONE_RUN = """
import json, os, resource, sys, time
from digitlib.mnist import data
from digitlib.svm import shipped

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def now():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

mnist = data.load()
mnist.fingerprint
after_data = peak()
start = time.perf_counter()
model = shipped.load(mnist, {n})
load_seconds = time.perf_counter() - start
rss_loaded, peak_loaded = now(), peak()
start = time.perf_counter()
correct = int((model.predict(mnist.x_test[:100]) == mnist.y_test[:100]).sum())
print(json.dumps({{"load": load_seconds, "predict": time.perf_counter() - start, "correct": correct,
                  "after_data": after_data, "rss_loaded": rss_loaded, "peak_loaded": peak_loaded,
                  "peak_predict": peak()}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=shipped.shipped_sizes())
    args = parser.parse_args()
    print(f"{'N':>6} | {'file KB':>7} | {'load':>6} | {'predict 100':>11} | {'acc 100':>7} | "
          f"{'peak after data':>15} | {'RSS loaded':>10} | {'peak loaded':>11} | {'peak predicted':>14}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, "-c", ONE_RUN.format(n=n)], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        kb = (shipped.SHIPPED_DIR / shipped.file_name(n)).stat().st_size / 1024
        print(f"{n:>6} | {kb:>7.1f} | {r['load']:>5.2f}s | {r['predict']:>10.2f}s | {r['correct'] / 100:>7.2f} | "
              f"{r['after_data']:>12.0f} MB | {r['rss_loaded']:>7.0f} MB | {r['peak_loaded']:>8.0f} MB | "
              f"{r['peak_predict']:>11.0f} MB", flush=True)


if __name__ == "__main__":
    main()
