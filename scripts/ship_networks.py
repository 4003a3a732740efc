"""Train the neural networks that ship with the app and copy them into digitlib/assets/neural.

Usage:
    python -m scripts.ship_networks                    # N = 100, 500, 2,000, 10,000, 60,000 (about 4 minutes)
    python -m scripts.ship_networks --sizes 100 500
    python -m scripts.ship_networks --cache DIR        # train into DIR (reusing networks already there)

Each size is trained on the first N images of the bundled MNIST, with the default passes and
no augmentation, through the app's own path (``NeuralService.train``, the TensorFlow worker
process) into a temporary folder. Only ``KEY.npz`` (weights and test predictions) and
``KEY.json`` (the facts of the training, with ``"shipped": true`` added) are copied: the app
predicts with the numpy forward pass and never needs the ``.keras`` file. Each copy is then
read back with ``files.shipped`` and its numpy predictions checked against Keras's saved
ones (labels that differ are counted; more than 0.1% stops the script). Prints each
network's figures, its files' sizes and the total.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from digitlib.mnist import data
from digitlib.neural import files
from digitlib.neural.service import NeuralService
from digitlib.neural.spec import NetSpec

SIZES = (100, 500, 2_000, 10_000, 60_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--folder", type=Path, default=files.SHIPPED_DIR, help="where the shipped files go")
    parser.add_argument("--cache", type=Path, help="train into DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()

    mnist = data.load("bundled")
    work = args.cache or Path(tempfile.mkdtemp(prefix="ship-networks-"))
    print(f"data {mnist.fingerprint}, training in {work}, writing to {args.folder}")
    print(f"{'N':>6} | {'passes':>6} {'batch':>5} | {'fit':>6} | {'acc 100':>7} | {'acc 10k':>7} | "
          f"{'numpy != keras':>14} | "
          f"{'npz KB':>6} {'json KB':>7}")
    service = NeuralService(work)
    try:
        for n in args.sizes:
            spec = NetSpec(n=n)
            job = service.train(spec, mnist)
            job.event.wait()
            if job.state != "done":
                raise SystemExit(f"{spec.describe()}: {job.error}")
            net = job.result
            copied = ship(work, net.key, args.folder)
            again = next(s for s in files.shipped(folder=args.folder) if s.key == net.key)
            differ = int((again.network.predict(mnist.x_test) != net.predictions).sum())
            print(f"{n:>6} | {net.meta['epochs']:>6} {net.meta['batch']:>5} | {net.fit_seconds:>5.1f}s | "
                  f"{np.mean(net.predictions[:100] == mnist.y_test[:100]):>7.2f} | {net.accuracy:>7.4f} | "
                  f"{differ:>14} | {copied['npz'] / 1024:>6.0f} {copied['json'] / 1024:>7.1f}", flush=True)
            if differ > len(net.predictions) // 1000:  # a label or two may flip on float rounding, no more
                raise SystemExit(f"N={n:,}: the shipped weights' numpy predictions differ from Keras's on {differ}")
    finally:
        service.stop()
        if args.cache is None:
            shutil.rmtree(work, ignore_errors=True)
    shipped = sorted(args.folder.glob("cnn-*.*"))
    total = sum(p.stat().st_size for p in shipped)
    print(f"{len(shipped)} files in {args.folder}, {total / 2**20:.2f} MB in total")


def ship(work: Path, key: str, folder: Path) -> dict[str, int]:
    """Copy the weights and the facts (marked shipped) of network ``key``; return the files' sizes."""
    source = files.paths(work, key)
    target = files.paths(folder, key)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source["npz"], target["npz"])
    meta = json.loads(source["json"].read_text())
    meta["shipped"] = True
    target["json"].write_text(json.dumps(meta, indent=1) + "\n")
    return {suffix: target[suffix].stat().st_size for suffix in ("npz", "json")}


if __name__ == "__main__":
    main()
