"""Fit ``digitlib.paper.split_choice``'s regression and write digitlib/assets/paper/split_choice.json.

Usage:
    python -m scripts.fit_split_choice                 # 3,000 pieces, seed 0 (about 2 minutes)
    python -m scripts.fit_split_choice --count 600 --check   # fit and print, write nothing

Pieces are made from MNIST's *training* images only (the photos' MNIST writer uses test images): one digit,
or two or three touching or overlapping side by side (random gaps of up to 2% of their width and overlaps of
up to a quarter, pens thinned or thickened a pixel or two, widths stretched, heights 35-110 px). Each is
offered the splits ``segmentation`` would offer a piece of the photo (pieces too narrow for any are left out,
as the page never asks about them), every reading is prepared and read by the shipped 60,000-image network
exactly as ``reading`` does, and a logistic regression (scikit-learn) learns from ``split_choice.features``
whether the piece holds several digits. Its weights are written in the features' own units, with
``THRESHOLD``: the chance of several digits from which a piece is read split, the one setting chosen on the
tuning photos (``bench/paper.py``'s ``tuning`` and ``tuning-2``: of 0.3-0.7, each mended ``tuning`` as much,
only 0.7 read ``tuning-2`` better than the hand rule before it). The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from PIL import Image
from scipy import ndimage
from threadpoolctl import threadpool_limits

from digitlib.mnist import data
from digitlib.neural import files
from digitlib.paper import reading, segmentation, split_choice, writers

THRESHOLD = 0.7
# How many digits a piece holds, drawn in these proportions (most pieces of one digit are too narrow for a split).
COUNTS = (1, 1, 2, 2, 3)


def touching_piece(rng: np.random.Generator, images: np.ndarray, count: int):
    """``count`` training digits written side by side, touching: the piece, the digits' height, its ink levels;
    None when they do not make one piece."""
    height = int(rng.integers(35, 110))
    stretch = float(np.exp(rng.normal(0, 0.15)))
    masks = []
    for image in images[:count]:
        coverage = writers.mnist_digit(image, int(height * rng.uniform(0.9, 1.1)))
        if stretch != 1.0:
            picture = Image.fromarray((coverage * 255).astype(np.uint8))
            coverage = np.asarray(picture.resize((max(1, round(picture.width * stretch)), picture.height),
                                                 Image.Resampling.BILINEAR), np.float32) / 255
        mask = coverage > 0.5
        pen = int(rng.integers(-1, 3))
        if pen > 0:
            mask = ndimage.binary_dilation(mask, iterations=pen)
        elif pen < 0 and ndimage.binary_erosion(mask).sum() > 0.5 * mask.sum():
            mask = ndimage.binary_erosion(mask)
        rows, cols = np.nonzero(mask)
        masks.append(mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1])
    tallest = max(m.shape[0] for m in masks) + 10
    canvas = np.zeros((tallest + 10, sum(m.shape[1] for m in masks) + 20), bool)
    left, right = 5, 5
    for k, mask in enumerate(masks):
        if k:
            left = right - int(round(rng.uniform(-0.02, 0.25) * min(mask.shape[1], masks[k - 1].shape[1])))
        top = int(rng.integers(0, canvas.shape[0] - mask.shape[0]))
        canvas[top : top + mask.shape[0], left : left + mask.shape[1]] |= mask
        right = left + mask.shape[1]
    joined = ndimage.binary_closing(canvas, np.ones((3, 3), bool)) | canvas
    if ndimage.label(joined, np.ones((3, 3), bool))[1] != 1:
        return None
    rows, cols = np.nonzero(canvas)
    piece = segmentation.Piece(rows.min(), cols.min(), rows.max() + 1, cols.max() + 1,
                               canvas[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1])
    levels = np.where(canvas, rng.integers(120, 256), 0).astype(np.uint8)
    return piece, float(np.median([m.shape[0] for m in masks])), levels


def examples(count: int, seed: int, mnist, network) -> tuple[np.ndarray, np.ndarray]:
    """``count`` pieces' features and whether each holds several digits."""
    rng = np.random.default_rng(seed)
    inputs, several = [], []
    while len(inputs) < count:
        digits = int(rng.choice(COUNTS))
        images = mnist.x_train[rng.integers(len(mnist.x_train), size=digits)]
        made = touching_piece(rng, images, digits)
        if made is None:
            continue
        piece, height, levels = made
        splits = segmentation.split_options(piece, height)
        if not splits:
            continue
        readings, _ = reading.scored_slots([[[piece], *splits]], levels, network)
        scores = [[r[2] for r in readings[(0, o)] if r[1] is not None] for o in range(len(splits) + 1)]
        inputs.append(split_choice.features(scores[0][0] if scores[0] else None, scores[1:], piece.width, height))
        several.append(digits > 1)
    return np.array(inputs), np.array(several)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="fit and print, write nothing")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    network = next(net for net in files.shipped() if net.n_train == 60000).network
    with threadpool_limits(1):
        inputs, several = examples(args.count, args.seed, data.load(), network)
    scaler = StandardScaler().fit(inputs)
    fitted = LogisticRegression(max_iter=1000).fit(scaler.transform(inputs), several)
    weights = fitted.coef_[0] / scaler.scale_  # in the features' own units
    intercept = float(fitted.intercept_[0] - np.dot(weights, scaler.mean_))
    result = {
        "features": list(split_choice.FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "intercept": round(intercept, 6),
        "threshold": THRESHOLD,
        "made_by": f"python -m scripts.fit_split_choice --count {args.count} --seed {args.seed}",
        "pieces": {"one digit": int((~several).sum()), "several": int(several.sum())},
        "accuracy_on_its_pieces": round(float(fitted.score(scaler.transform(inputs), several)), 4),
        "licence": "derived from MNIST's training images: CC BY-SA 3.0",
    }
    print(json.dumps(result, indent=2))
    if not args.check:
        split_choice.ASSET.parent.mkdir(parents=True, exist_ok=True)
        split_choice.ASSET.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"written to {split_choice.ASSET}")


if __name__ == "__main__":
    main()
