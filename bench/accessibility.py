"""axe-core's WCAG 2.1 A/AA violations on every page of a fresh server, in headless chromium.

Each page is opened in its own browser context: Home, Explore, Train, Evaluate, Draw (after one
stroke), Class (the teacher of a new class) and Neural; once its script has finished running,
axe-core (bundled by axe-playwright-python) runs with the tags wcag2a, wcag2aa, wcag21a and
wcag21aa. Printed per page: the rules violated per impact (critical, serious, moderate, minor,
their nodes in brackets), then each serious or critical rule with its number of nodes.

Usage: python -m bench.accessibility [--pages Draw Evaluate]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.support.accessibility import IMPACTS, PAGES, audit, open_page, severe
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to audit")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with (tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp) / "models", DIGITS_WARMUP="0") as base,
          sync_playwright() as p):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in args.pages:
            page = open_page(browser, base, name)
            rows.append((name, audit(page)))
            page.context.close()
        browser.close()

    print(f"{'page':<9}" + "".join(f"{impact:>14}" for impact in IMPACTS) + "  serious/critical rules (nodes)")
    totals = dict.fromkeys(IMPACTS, 0)
    for name, violations in rows:
        cells = []
        for impact in IMPACTS:
            hit = [v for v in violations if v["impact"] == impact]
            totals[impact] += len(hit)
            cells.append(f"{len(hit)} ({sum(len(v['nodes']) for v in hit)})")
        rules = ", ".join(f"{rule} {nodes}" for rule, nodes in severe(violations).items()) or "-"
        print(f"{name:<9}" + "".join(f"{c:>14}" for c in cells) + f"  {rules}")
    print(f"{'rules':<9}" + "".join(f"{totals[i]:>14}" for i in IMPACTS))


if __name__ == "__main__":
    main()
