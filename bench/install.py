"""Install size and time of tensorflow against tensorflow-cpu, each in a fresh venv.

Usage:
    python -m bench.install                                  # 2.21.0, both packages
    python -m bench.install --version 2.20.0 --packages tensorflow-cpu --keep

For each package the bench first downloads PACKAGE==VERSION and all its dependencies as
wheels from PyPI into a local folder (``pip --isolated``: no pip config, no other index;
not timed), then in a fresh venv times ``pip install --no-index --find-links <folder>``, so
network speed does not count. It reports the package's own wheel, the download (all its
wheels), the installed size (the venv's site-packages less an empty venv's), the pip
install time, the time and peak RSS of ``import tensorflow as tf; import keras`` (first
run and best of --repeat, each in a fresh process) and whether a 1-epoch Conv2D(8, 3x3) ->
Flatten -> Dense(10) model trains on 1,000 random 28x28 uint8 images. Every step has a
timeout; the temp dir is removed unless --keep.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYPI = "https://pypi.org/simple"
MB = 1e6

IMPORT = """
import time
t = time.perf_counter()
import tensorflow as tf
import keras
print(f"import {time.perf_counter() - t:.3f} {tf.__version__} {keras.__version__}")
"""

TRAIN = """
import numpy as np, keras, tensorflow as tf
assert callable(tf.keras.datasets.mnist.load_data)  # the app's only use of TensorFlow
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(1000, 28, 28, 1), dtype=np.uint8).astype("float32") / 255
y = rng.integers(0, 10, size=1000)
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
loss = model.fit(x, y, epochs=1, batch_size=32, verbose=0).history["loss"][0]
assert np.isfinite(loss), loss
print("trains: yes")
"""

# Fallback when /usr/bin/time is missing: a fresh parent whose only child is the import.
RSS_PARENT = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(f"Maximum resident set size (kbytes): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def run(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return out


def du(path: Path) -> int:
    """Disk usage in bytes, as ``du`` counts it."""
    return int(run(["du", "-s", "--block-size=1", str(path)], 120).stdout.split()[0])


def make_venv(path: Path) -> tuple[Path, Path]:
    """A fresh venv; returns its python and its site-packages."""
    run([sys.executable, "-m", "venv", str(path)], 300)
    python = path / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], 60)
    return python, Path(site.stdout.strip())


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def timed_import(python: Path) -> tuple[float, float, str]:
    """Import seconds (inside the child), peak RSS in MB, and 'tf X / keras Y'."""
    cmd = [str(python), "-c", IMPORT]
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-v", *cmd]
    else:
        cmd = [sys.executable, "-c", RSS_PARENT, *cmd]
    out = run(cmd, 600, child_env())
    seconds, tf_version, keras_version = re.search(r"^import (\S+) (\S+) (\S+)$", out.stdout, re.M).groups()
    rss_kb = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    return float(seconds), int(rss_kb.group(1)) * 1024 / MB, f"tf {tf_version} / keras {keras_version}"


def measure(package: str, version: str, tmp: Path, empty_site: int, repeat: int) -> dict[str, str]:
    spec = f"{package}=={version}"
    wheels = tmp / "wheels" / package
    print(f"{spec}: downloading wheels from PyPI ...", flush=True)
    run([sys.executable, "-m", "pip", "--isolated", "download", spec, "--index-url", PYPI,
         "--only-binary=:all:", "-d", str(wheels), "--cache-dir", str(tmp / "pip-cache")], 3600)
    files = sorted(wheels.glob("*.whl"))
    own = [f for f in files if f.name.lower().startswith(package.replace("-", "_") + "-")]
    python, site = make_venv(tmp / f"venv-{package}")
    print(f"{spec}: installing {len(files)} wheels offline ...", flush=True)
    start = time.perf_counter()
    run([str(python), "-m", "pip", "--isolated", "install", "--no-index", "--find-links", str(wheels),
         "--no-cache-dir", spec], 1800)
    install_s = time.perf_counter() - start
    imports = [timed_import(python) for _ in range(repeat)]
    start = time.perf_counter()
    trains = "trains: yes" in run([str(python), "-c", TRAIN], 900, child_env()).stdout
    train_s = time.perf_counter() - start
    print(f"{spec}: {'trains: yes' if trains else 'trains: NO'}", flush=True)
    return {
        "package": spec,
        "wheel MB": f"{sum(f.stat().st_size for f in own) / MB:.0f}",
        "download MB": f"{sum(f.stat().st_size for f in files) / MB:.0f} ({len(files)} whl)",
        "installed MB": f"{(du(site) - empty_site) / MB:.0f}",
        "pip install s": f"{install_s:.1f}",
        "import s 1st/best": f"{imports[0][0]:.2f} / {min(i[0] for i in imports):.2f}",
        "import peak RSS MB": f"{max(i[1] for i in imports):.0f}",
        "train run s": f"{train_s:.1f}",
        "trains": "yes" if trains else "NO",
        "versions": imports[0][2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", default="2.21.0")
    parser.add_argument("--packages", nargs="+", default=["tensorflow", "tensorflow-cpu"])
    parser.add_argument("--repeat", type=int, default=3, help="imports per package, each in a fresh process")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (venvs, wheels) and print its path")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_install_"))
    try:
        _, empty = make_venv(tmp / "venv-empty")
        empty_site = du(empty)
        rows = [measure(p, args.version, tmp, empty_site, max(1, args.repeat)) for p in args.packages]
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores; "
          f"empty venv site-packages {empty_site / MB:.0f} MB")
    widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in rows[0]}
    print(" | ".join(k.ljust(w) for k, w in widths.items()))
    print("-+-".join("-" * w for w in widths.values()))
    for r in rows:
        print(" | ".join(r[k].ljust(w) for k, w in widths.items()))


if __name__ == "__main__":
    main()
