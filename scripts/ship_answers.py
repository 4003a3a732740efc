"""Record each shipped model's answers on the 10,000 test images beside it (digitlib/assets/models/test-answers).

Usage:
    python -m scripts.ship_answers                  # every shipped size
    python -m scripts.ship_answers --sizes 60000

Each shipped model is loaded as the app loads it and predicts all 10,000 test images. Its time for
the first n of each of Evaluate's test sizes is the CPU time of the quickest of --repeat runs with
one BLAS thread, as the app server predicts: on a quiet machine, the time a page would wait (the
Evaluate page shows these times; a busy machine inflates the wall-clock time, far less the CPU time).
Written with ``shipped_answers.save`` and read back with ``shipped_answers.load``; prints each file's
size, the model's accuracy and its download's size (``model_files.export``, recorded for the same skops).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from digitlib import serving
from digitlib.mnist import data
from digitlib.scoring import shipped_answers
from digitlib.svm import model_files, shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=shipped.SHIPPED_DIR, help="the shipped models' folder")
    args = parser.parse_args()
    serving.tune()  # one BLAS thread, as the app server predicts
    mnist = data.load("bundled")
    sizes = args.sizes or shipped.shipped_sizes(mnist, folder=args.folder)
    print(f"data {mnist.fingerprint}; times: CPU, the quickest of {args.repeat}, one BLAS thread")
    print(f"{'N':>6} | {'acc 10k':>7} | " + " | ".join(f"{n:>6,}" for n in shipped_answers.SIZES)
          + " | file KB | download KB")
    for n in sizes:
        model = shipped.load(mnist, n, folder=args.folder)
        if model is None:
            raise SystemExit(f"no shipped model for N={n:,} that fits this data and scikit-learn")
        predictions = model.predict(mnist.x_test)
        seconds = {}
        for size in shipped_answers.SIZES:
            runs = []
            for _ in range(args.repeat):
                start = time.thread_time()
                again = model.predict(mnist.x_test[:size])
                runs.append(time.thread_time() - start)
                if not np.array_equal(again, predictions[:size]):
                    raise SystemExit(f"N={n:,}: predicting the first {size:,} gave other answers")
            seconds[size] = min(runs)
        file_bytes = len(model_files.export(model))
        path = shipped_answers.save(mnist, n, predictions, seconds, models_folder=args.folder, file_bytes=file_bytes)
        if shipped_answers.load(mnist, n, models_folder=args.folder) is None:
            raise SystemExit(f"{path} does not read back")
        accuracy = float(np.mean(predictions == mnist.y_test))
        print(f"{n:>6} | {accuracy:>7.4f} | " + " | ".join(f"{seconds[s]:>5.2f}s" for s in shipped_answers.SIZES)
              + f" | {path.stat().st_size / 1024:.1f} | {file_bytes / 1024:.0f}", flush=True)


if __name__ == "__main__":
    main()
