"""The README's code, run as a reader would run it."""

from tests.support.paths import ROOT


def readme_load(path):
    """Run the README's block "The downloaded model" on the file ``path``; its variables."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("**The downloaded model.**", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    block = block.replace('"digits-svc-n500.skops"', repr(str(path)))
    block = block.replace('"digitlib/assets/mnist.npz"', repr(str(ROOT / "digitlib/assets/mnist.npz")))
    found = {}
    exec(block, found)
    return found
