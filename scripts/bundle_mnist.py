"""Rebuild digitlib/assets/mnist.npz from the original gzipped IDX files.

Usage: python -m scripts.bundle_mnist [FOLDER]   (default: ../shared/mnist)

It checks each array against the published sha256 of the uncompressed IDX file
before writing, so the bundled copy is byte-for-byte the original MNIST.
"""

import hashlib
import sys
from pathlib import Path

from digitlib.mnist import data

PUBLISHED_SHA256 = {
    "x_train": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "y_train": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "x_test": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "y_test": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "mnist"
    mnist = data.load_idx_dir(folder)
    for key, expected in PUBLISHED_SHA256.items():
        got = hashlib.sha256(data.to_idx_bytes(getattr(mnist, key))).hexdigest()
        if got != expected:
            sys.exit(f"{key}: sha256 {got} differs from the published {expected}")
    data.BUNDLED_PATH.write_bytes(data.to_npz_bytes(mnist))
    print(f"wrote {data.BUNDLED_PATH} ({data.BUNDLED_PATH.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
