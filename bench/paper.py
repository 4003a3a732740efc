"""Numbers read from photographed paper (issue 18): the naive pipeline against ``digitlib.paper``.

Usage:
    python -m bench.paper [--split held-out] [--count 120] [--neural] [--memory]

Makes ``--count`` photos of ``digitlib.paper.synthetic``'s split (2400 x 1800 JPEGs: plain, ruled and squared
paper; pen and pencil; handwriting strokes, matplotlib fonts and MNIST test digits as writers; light,
shadow, tilt, perspective, blur, noise), reads each with the naive pipeline (``digitlib.paper.naive``)
and with ``digitlib.paper.reading.read_photo``, both with the shipped 60,000-image SVM (``--neural``: also
``read_photo`` with the shipped 60,000-image network, which Draw reads a photo with first), and prints
whole-number accuracy (the digits read exactly) and per-digit accuracy (1 - edit distance / digits written,
so a digit missed or added counts wrong), per paper kind, pen and writer, and the server CPU per photo
(decoding included, one BLAS thread as the app server runs). The held-out splits (``held-out`` to
``held-out-6``) are never tuned on (``tuning`` and ``tuning-2`` are); ``held-out-3`` was run once with the
third round's final code, ``held-out-4`` with the fourth's, ``held-out-5`` with the fifth's (where the page's
first reader became the network), ``held-out-6`` with the sixth's (the learned whole-or-split choice), when
every held-out split was run once again.

Last run (``--count 120 --neural``; whole numbers / digits; naive, ours with the SVM, ours with the network):
tuning 0.067 / 0.186, 0.942 / 0.973, 0.942 / 0.978; tuning-2 0.058 / 0.193, 0.858 / 0.946, 0.925 / 0.970;
held-out 0.042 / 0.185, 0.925 / 0.962, 0.967 / 0.983; held-out-2 0.050 / 0.199, 0.900 / 0.952, 0.967 / 0.989;
held-out-3 0.050 / 0.208, 0.833 / 0.938, 0.917 / 0.968; held-out-4 0.050 / 0.168, 0.867 / 0.948,
0.967 / 0.989; held-out-5 0.075 / 0.241, 0.850 / 0.934, 0.917 / 0.959; held-out-6 (new) 0.125 / 0.307,
0.875 / 0.944, 0.925 / 0.972. About 0.14 s of CPU per photo with either model (0.21 s at most).

``--memory`` measures, each in a fresh process (Linux), the peak memory (resident set over the process's size
once the network is loaded, the peak reset) of ``read_photo`` with the shipped network on a 100 MP JPEG and
PNG (refused from their header), the largest JPEG accepted (40 MP), a 16 MP PNG and a phone's 12 MP JPEG.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

import numpy as np
from PIL import Image
from threadpoolctl import threadpool_limits

from digitlib.errors import DigitsError
from digitlib.mnist import data
from digitlib.paper import ink, naive, photo_bounds, reading, synthetic
from digitlib.svm import shipped

MEMORY_CASES = {
    "100 MP JPEG (refused)": ("JPEG", 10_000, 10_000),
    "100 MP PNG (refused)": ("PNG", 10_000, 10_000),
    "40 MP JPEG (largest accepted)": ("JPEG", 7_700, 5_190),
    "16 MP PNG (largest accepted)": ("PNG", 4_600, 3_470),
    "12 MP JPEG (a phone's)": ("JPEG", 4_000, 3_000),
}


def digits_right(truth: str, read: str) -> int:
    """How many of ``truth``'s digits were read: its length less the edit distance (never below 0)."""
    previous = list(range(len(read) + 1))
    for i, a in enumerate(truth, start=1):
        current = [i]
        for j, b in enumerate(read, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return max(0, len(truth) - previous[-1])


def read_all(photos, readers: dict) -> dict:
    """For each reader: per photo, the text read (or the error's class) and its CPU seconds."""
    results = {name: [] for name in readers}
    for photo in photos:
        for name, read in readers.items():
            start = time.process_time()
            try:
                text = read(photo.jpeg)
            except DigitsError as error:
                text = type(error).__name__
            results[name].append((text, time.process_time() - start))
    return results


def table(photos, results: dict) -> None:
    groups = defaultdict(list)
    for i, p in enumerate(photos):
        for key in (f"{p.paper} paper", f"{p.pen}", f"writer: {p.writer}", f"{p.paper}, {p.pen}", "all"):
            groups[key].append(i)
    names = list(results)
    header = f"{'photos':<22}{'n':>5}" + "".join(f"{name + ': number':>24}{'digits':>9}" for name in names)
    print(header)
    print("-" * len(header))
    order = ([f"{a}, {b}" for a in synthetic.PAPERS for b in synthetic.PENS] + [f"{a} paper" for a in synthetic.PAPERS]
             + list(synthetic.PENS) + [f"writer: {w}" for w in synthetic.WRITERS] + ["all"])
    for key in order:
        members = groups.get(key)
        if not members:
            continue
        row = f"{key:<22}{len(members):>5}"
        for name in names:
            whole = np.mean([results[name][i][0] == photos[i].number for i in members])
            written = sum(len(photos[i].number) for i in members)
            right = sum(digits_right(photos[i].number, results[name][i][0]) for i in members)
            row += f"{whole:>24.3f}{right / written:>9.3f}"
        print(row)
    print()
    for name in names:
        seconds = np.array([t for _, t in results[name]])
        print(f"{name}: CPU per photo {seconds.mean():.3f} s mean, {np.percentile(seconds, 95):.3f} s at the 95th "
              f"percentile, {seconds.max():.3f} s at most")


def library_darkness(library: str):
    """``ink.paper_darkness`` done the way each library's adaptive threshold judges a pixel against its
    surroundings (same window), for ``--darkness``: OpenCV's Gaussian local mean (``cv2.adaptiveThreshold``'s
    ADAPTIVE_THRESH_GAUSSIAN_C) or scikit-image's Sauvola threshold (``threshold_sauvola``), turned into a
    darkness (0 at the local threshold's paper level, 1 black) for the same thresholds and line removal."""

    def window(grey):
        return max(3, int(round(ink.BACKGROUND_WINDOW * max(grey.shape))) | 1)

    def opencv(grey):
        import cv2

        local = cv2.GaussianBlur(grey.astype(np.float32), (window(grey), window(grey)), 0)
        return np.clip(1.0 - grey.astype(np.float32) / np.maximum(local, 1.0), 0, 1)

    def skimage(grey):
        from skimage.filters import threshold_sauvola

        level = threshold_sauvola(grey, window_size=window(grey), k=0.2)
        paper = np.maximum(level / (1 - 0.2), 1.0)  # Sauvola's threshold is about (1 - k) of the paper's level
        return np.clip(1.0 - grey.astype(np.float32) / paper, 0, 1).astype(np.float32)

    return {"opencv": opencv, "skimage": skimage}[library]


def made_file(case: str) -> bytes:
    """The photo of a ``MEMORY_CASES`` case: blank paper of that format and size (its file is small)."""
    fmt, w, h = MEMORY_CASES[case]
    buffer = io.BytesIO()
    Image.new("L", (w, h), 235).save(buffer, format=fmt, **({"quality": 85} if fmt == "JPEG" else
                                                            {"compress_level": 1}))
    return buffer.getvalue()


def status_mb(field: str) -> float:
    """A memory figure of this process from Linux's /proc (``VmRSS`` now, ``VmHWM`` its peak), in MB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def memory_child(case: str, path: str) -> None:
    """Run in a fresh process: read the photo in ``path``, print the peak resident memory over the start's."""
    with open(path, "rb") as f:
        payload = f.read()
    from digitlib.neural import files

    model = next(net for net in files.shipped() if net.n_train == 60000).network  # Draw's first reader of a photo
    with open("/proc/self/clear_refs", "w") as refs:  # the peak so far forgotten: loading left a higher one
        refs.write("5")
    before = status_mb("VmRSS")
    try:
        outcome = reading.read_photo(payload, model).text
    except DigitsError as error:
        outcome = f"{type(error).__name__}: {error}"
    peak = status_mb("VmHWM")
    print(f"{case:<32}{len(payload) / 1e6:>7.1f} MB file  peak +{peak - before:6.0f} MB   {outcome[:70]}")


def memory() -> None:
    print(f"Peak memory of read_photo, each in a fresh process (photo_bounds: {photo_bounds.MAX_BYTES / 2**20:.0f} MB, "
          f"JPEG ≤ {photo_bounds.MAX_JPEG_PIXELS / 1e6:.0f} MP, other ≤ {photo_bounds.MAX_OTHER_PIXELS / 1e6:.0f} MP)")
    with tempfile.TemporaryDirectory() as folder:
        for case in MEMORY_CASES:
            path = os.path.join(folder, "photo")
            with open(path, "wb") as f:
                f.write(made_file(case))
            subprocess.run([sys.executable, "-m", "bench.paper", "--memory-child", case, "--photo", path], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=list(synthetic.SPLITS), default="held-out")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--neural", action="store_true", help="also read with the shipped 60,000-image CNN")
    parser.add_argument("--memory", action="store_true", help="peak memory on huge inputs instead")
    parser.add_argument("--darkness", choices=["opencv", "skimage"],
                        help="read with the paper's darkness from that library's adaptive threshold instead")
    parser.add_argument("--memory-child", choices=list(MEMORY_CASES), help=argparse.SUPPRESS)
    parser.add_argument("--photo", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        with threadpool_limits(1):
            memory_child(args.memory_child, args.photo)
        return
    if args.memory:
        memory()
        return
    mnist = data.load()
    svm = shipped.load(mnist, 60000)
    readers = {
        "naive": lambda jpeg: naive.naive_read(photo_bounds.decode_photo(jpeg), svm),
        "SVM": lambda jpeg: reading.read_photo(jpeg, svm).text,
    }
    if args.neural:
        from digitlib.neural import files

        network = next(net for net in files.shipped() if net.n_train == 60000).network
        readers["network"] = lambda jpeg: reading.read_photo(jpeg, network).text
    if args.darkness:
        ink.paper_darkness = library_darkness(args.darkness)
        print(f"paper's darkness: {args.darkness}")
    start = time.perf_counter()
    photos = synthetic.photo_set(args.split, args.count, mnist=mnist)
    print(f"{len(photos)} photos of the {args.split} split made in {time.perf_counter() - start:.0f} s; "
          "read with the shipped 60,000-image SVM" + (" and CNN" if args.neural else ""))
    with threadpool_limits(1):
        results = read_all(photos, readers)
    table(photos, results)
    print("(Draw reads a photo with the network first, with the SVM where the server has no network.)")
    for name in [n for n in results if n != "naive"]:
        wrong = [(p, results[name][i][0]) for i, p in enumerate(photos) if results[name][i][0] != p.number]
        if wrong:
            print(f"\nMisread with the {name}: " + ", ".join(
                f"{p.number}→{text} ({p.paper}, {p.pen}, {p.writer}, seed {p.seed})" for p, text in wrong))


if __name__ == "__main__":
    main()
