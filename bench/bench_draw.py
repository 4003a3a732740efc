"""How well drawn digits are recognised, per preprocessing variant, and how fast.

Usage: python bench/bench_draw.py [--per-digit 30] [--sizes 10000 60000]

Renders the synthetic drawing set of ``digitlib.handwriting`` (random styles, sizes,
places, slants and pen widths, plus hand-authored sloppy digits) offline, the way the
canvas draws, and reports accuracy for the naive 28x28 resize (the baseline) and each
MNIST-style variant, per digit, for models trained on the first N images. It also measures
the CPU of one stroke's server-side work (preparing the drawing, the prediction with its
votes, the closest training images from the prepared index), with BLAS's default threads
and with the app server's single BLAS thread.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from digitlib import data, handwriting, neighbours, preprocess  # noqa: E402
from digitlib.registry import ModelSpec, Registry  # noqa: E402

VARIANTS = {
    "naive resize": lambda c: preprocess.naive_resize(c),
    "MNIST-style": lambda c: preprocess.prepare(c, stroke=False, deskew=False).centred,
    "+ even stroke": lambda c: preprocess.prepare(c, stroke=True, deskew=False).centred,
    "+ deskew": lambda c: preprocess.prepare(c, stroke=False, deskew=True).centred,
    "+ both (default)": lambda c: preprocess.prepare(c).centred,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-digit", type=int, default=30)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 60_000])
    args = parser.parse_args()

    mnist = data.load()
    registry = Registry(mnist)  # uses and fills the same disk store as the app
    drawings = handwriting.drawing_set(args.per_digit)
    canvases = [handwriting.render(d) for d in drawings]
    truth = np.array([d.digit for d in drawings])
    inputs = {name: np.stack([fn(c) for c in canvases]) for name, fn in VARIANTS.items()}
    print(f"{len(drawings)} drawings ({args.per_digit} random per digit + {len(drawings) - 10 * args.per_digit} sloppy)")
    start = time.perf_counter()
    index = neighbours.Index(mnist.x_train)
    print(f"closest-image index built once in {time.perf_counter() - start:.2f} s, {index.nbytes / 2**20:.1f} MB\n")

    for n in args.sizes:
        start = time.perf_counter()
        model = registry.ensure(ModelSpec(n=n))
        print(f"model: SVC on the first {n:,} training images (ready in {time.perf_counter() - start:.1f} s)")
        print(f"{'variant':<17} {'accuracy':>8}   " + " ".join(f"{d:>4}" for d in range(10)))
        for name, batch in inputs.items():
            pred = model.predict(batch)
            per_digit = [(pred[truth == d] == d).mean() for d in range(10)]
            print(f"{name:<17} {(pred == truth).mean():>8.3f}   " + " ".join(f"{a:>4.2f}" for a in per_digit))

        for label, threads in (("BLAS default threads", None), ("one BLAS thread, as the app server", 1)):
            with threadpool_limits(threads):
                parts = stroke_costs(model, canvases[:50], index)
            total = sum(parts.values())
            print(f"one stroke, server CPU, {label} (median of 50): {total:.1f} ms ("
                  + ", ".join(f"{k} {v:.1f} ms" for k, v in parts.items()) + ")")
        print()


def stroke_costs(model, canvases, index) -> dict[str, float]:
    """Median CPU milliseconds (all threads of this process) of each step of one stroke."""
    steps = {"prepare": [], "predict + votes": [], "closest images": []}
    for canvas in canvases:
        t0 = time.process_time()
        prepared = preprocess.prepare(canvas)
        t1 = time.process_time()
        model.votes(prepared.centred)
        t2 = time.process_time()
        index.closest(prepared.centred, k=8)
        t3 = time.process_time()
        for times, seconds in zip(steps.values(), (t1 - t0, t2 - t1, t3 - t2)):
            times.append(seconds * 1000)
    return {k: float(np.median(v)) for k, v in steps.items()}

if __name__ == "__main__":
    main()
