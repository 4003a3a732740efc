"""What Draw's "Why this answer?" costs per stroke: ``support_vectors.reasons`` on drawn digits.

Usage:
    python -m bench.support_vectors                 # the shipped 60,000-image model
    python -m bench.support_vectors --sizes 10000 60000

For each shipped size: 100 drawings (10 per digit, prepared as Draw prepares them), with one
BLAS thread as the app server runs. Prints the median and 95th percentile of ``reasons`` (the
kernel row against every support vector and the duels' terms), of the prediction the page makes
anyway, and of the twelve pictures the block shows (``magnify.enlarge``, PNG-encoded as
Streamlit sends them).
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
from PIL import Image
from threadpoolctl import threadpool_limits

from digitlib.display import magnify
from digitlib.drawing import handwriting, preprocess
from digitlib.mnist import data
from digitlib.svm import shipped, support_vectors


def timed(work, items) -> np.ndarray:
    out = []
    for item in items:
        start = time.perf_counter()
        work(item)
        out.append(time.perf_counter() - start)
    return np.array(out) * 1000


def pictures(found: support_vectors.Reasons) -> None:
    for image in [*found.for_digit.images, *found.against.images]:
        Image.fromarray(magnify.enlarge(image, 84)).save(io.BytesIO(), format="PNG")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60_000])
    args = parser.parse_args()
    mnist = data.load("bundled")
    rng = np.random.default_rng(0)
    drawings = [preprocess.prepare(handwriting.render(handwriting.random_drawing(d, rng))).centred
                for d in range(10) for _ in range(10)]
    print(f"{len(drawings)} drawings, one BLAS thread; milliseconds: median / p95")
    print(f"{'N':>6} | {'SVs':>6} | {'reasons':>13} | {'predict':>13} | {'12 pictures':>13}")
    for n in args.sizes:
        model = shipped.load(mnist, n)
        if model is None:
            print(f"{n:>6} | no shipped model for this size")
            continue
        with threadpool_limits(1):
            model.predict(drawings[0])  # prepares the model's pixel copies once, as the app's first stroke does
            digits = [int(model.predict(d)[0]) for d in drawings]
            why = timed(lambda i, model=model, digits=digits:
                        support_vectors.reasons(model, drawings[i], digit=digits[i]), range(len(drawings)))
            predict = timed(lambda i, model=model: model.votes(drawings[i]), range(len(drawings)))
            found = [support_vectors.reasons(model, d, digit=g) for d, g in zip(drawings, digits, strict=True)]
            shown = timed(pictures, found)
        row = [f"{np.median(t):5.1f} / {np.percentile(t, 95):5.1f}" for t in (why, predict, shown)]
        print(f"{n:>6} | {model.estimator.support_.size:>6} | " + " | ".join(row))


if __name__ == "__main__":
    main()
