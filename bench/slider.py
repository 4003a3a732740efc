"""Server time of the Train page when a teacher moves the slider, measured with AppTest.

Usage: python -m bench.slider [--sizes 750 1500 3000 5000]

For each N it times one run of the page at a slider position never trained before
(train + evaluate + draw the page) and a second run at the same position (the model
is cached), with the model store in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from tests.support.paths import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[750, 1500, 3000, 5000])
    args = parser.parse_args()
    os.environ["DIGITS_CACHE_DIR"] = tempfile.mkdtemp()
    os.environ["DIGITS_WARMUP"] = "0"
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page("pages/2_Train.py").run()  # loads MNIST, imports, the default N=500
    print(f"{'N':>6} {'new position':>13} {'trained position':>17}  accuracy (first 100)")
    for n in args.sizes:
        fresh = timed_run(at, n)
        accuracy = next(m.value for m in at.metric if m.label.startswith("Accuracy"))
        timed_run(at, 100)  # move away…
        cached = timed_run(at, n)  # …and back
        print(f"{n:>6} {fresh:>12.2f}s {cached:>16.2f}s  {accuracy}")


def timed_run(at, n: int) -> float:
    start = time.perf_counter()
    at.select_slider[0].set_value(n).run()
    return time.perf_counter() - start

if __name__ == "__main__":
    main()
