"""What the load test prints: per client and page, the drawings, the errors, the server's CPU and
memory; the class read back from its database; the server's log; the neural network's training."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from bench.loadtest.pages import PAGES, SAVE, SVM_METRIC
from tests.support.paths import ROOT


def pct(values, q):
    return f"{np.percentile(values, q):6.2f}s" if values else "     -"


def report(samples, args, servers, seconds, t0):
    """The table of answers per client and page, the drawings, the errors, and each server's CPU and memory."""
    print(f"\n{'client':9}{'page':22}{'n':>5}  {'answer p50':>10} {'p95':>7}  {'done p50':>9} {'p95':>7}  "
          "failed  with errors")
    groups = defaultdict(list)
    for s in samples:
        groups[(s.client, s.page)].append(s)
    order = {p: i for i, p in enumerate(PAGES)}
    kinds = {"light": 0, "teacher": 1}
    for (client, page), group in sorted(groups.items(), key=lambda kv: (kinds.get(kv[0][0], 2), kv[0][0],
                                                                         order.get(kv[0][1], len(order)), kv[0][1])):
        answers = [s.answer for s in group if s.answer is not None]
        dones = [s.done for s in group if s.done is not None]
        errors, failed = sum(bool(s.errors) for s in group), sum(s.failed for s in group)
        print(f"{client:9}{page:22}{len(group):5}  {pct(answers, 50):>10} {pct(answers, 95):>7}  "
              f"{pct(dones, 50):>9} {pct(dones, 95):>7}  {failed:6}  {errors}")
    for client in sorted({s.client for s in samples if s.page == "Draw stroke"}):
        drawn = [s for s in samples if s.client == client and s.page == "Draw stroke"]
        answered = [s for s in drawn if s.read is not None]
        right = sum(s.read == str(s.digit) for s in answered)
        ups = [s.answer for s in drawn if s.answer is not None]
        lags = [s.lag for s in drawn if s.lag is not None]
        sent = f" (of which the page took p50 {pct(lags, 50).strip()} to send the drawing)" if lags else ""
        print(f"{client}: pen-up to prediction p50 {pct(ups, 50).strip()}, p95 {pct(ups, 95).strip()}{sent}; "
              f"drawings answered {len(answered)} of {len(drawn)}, read right {right}"
              + (f" ({right / len(answered):.0%})" if answered else ""))
    if args.slow is not None:
        slow = sorted((s for s in samples if s.done is not None and s.done > args.slow), key=lambda s: s.at or 0)
        print(f"slower than {args.slow:g} s ({len(slow)}):")
        for s in slow:
            print(f"  at {(s.at or t0) - t0:6.1f} s  {s.client:8} {s.page:22} answer {s.answer:5.2f} s, "
                  f"done {s.done:5.2f} s")
    errors = Counter(e for s in samples for e in s.errors)
    print("errors seen:" + ("" if errors else " none"))
    for text, count in errors.most_common():
        print(f"  {count:4} x {text}")
    lesson = [s for s in samples if s.at is None or s.at <= t0 + seconds]  # not what came after (--neural's teacher)
    pages = [s.answer for s in lesson if s.answer is not None and s.page not in ("Draw stroke", "linger")]
    strokes = [s.answer for s in lesson if s.answer is not None and s.page == "Draw stroke"]
    print(f"answers: pages and buttons p50 {pct(pages, 50).strip()}, p95 {pct(pages, 95).strip()} ({len(pages)}); "
          f"pen-up to prediction p50 {pct(strokes, 50).strip()}, p95 {pct(strokes, 95).strip()} ({len(strokes)})")
    later = [s for s in lesson if s.at is not None and s.at > t0 + 60 and s.answer is not None]
    if later:  # after the arrivals and the first round's new models
        pages = [s.answer for s in later if s.page not in ("Draw stroke", "linger")]
        strokes = [s.answer for s in later if s.page == "Draw stroke"]
        print(f"  asked after the first minute: pages p95 {pct(pages, 95).strip()} ({len(pages)}), "
              f"pen-up p95 {pct(strokes, 95).strip()} ({len(strokes)})")
    actions = sum(not s.failed for s in lesson)
    auto = sum(not s.failed and s.page.endswith("(auto)") for s in lesson)
    cpu = sum(server.cpu for server in servers)
    print(f"servers: {actions} actions in {seconds:.0f} s ({actions / seconds:.1f}/s"
          + (f"; {auto} of them fragment auto-reruns" if auto else "") + f"); CPU {cpu:.1f} s = "
          f"{cpu / max(actions, 1):.3f} CPU-s per action ({cpu / seconds:.2f} cores busy on average)")
    for k, server in enumerate(servers, 1):
        mine = actions if server.actions is None else server.actions
        print(f"server {k} (pid {server.pid}, port {server.port}): RSS {server.start_rss:.0f} MB before the "
              f"students, max sampled {max(server.rss, default=0):.0f} MB, peak (VmHWM) {server.peak:.0f} MB; "
              f"CPU {server.cpu:.1f} s ({server.cpu / seconds:.2f} cores)"
              + (f"; {mine} actions, {server.cpu / max(mine, 1):.3f} CPU-s per action" if len(servers) > 1 else ""))
    if len(servers) > 1:
        largest = max(map(sum, zip(*(s.rss for s in servers), strict=True)), default=0)
        shared = max(map(sum, zip(*(s.pss for s in servers), strict=True)), default=0)
        print(f"machine: peak RSS {sum(s.peak for s in servers):.0f} MB (sum of the servers' VmHWM), largest "
              f"sampled sum {largest:.0f} MB (PSS, pages the servers share counted once: {shared:.0f} MB); "
              f"servers' CPU {cpu:.1f} s ({cpu / seconds:.2f} cores)")


def check_class(store, code, samples) -> bool:
    """Read the class back from the database and hold it against what the pages acknowledged."""
    acked = Counter(s.saved for s in samples if s.saved is not None)
    presses = sum(s.page == "Draw Save" for s in samples)
    drawings = store.drawings(code)
    stored = Counter((int(label), image.tobytes())
                     for label, image in zip(drawings.labels, drawings.images, strict=True))
    lost, extra = acked - stored, stored - acked
    by_digit = lambda c: [sum(n for (d, _), n in c.items() if d == k) for k in range(10)]  # noqa: E731
    posted, experiments = sum(s.posted for s in samples), len(store.experiments(code))
    guessed = sum(s.guessed for s in samples)
    question = store.question(code)
    guesses = len(question.guesses) if question is not None else 0
    print(f"class {code} ({store.where}):")
    print(f"  saves: {presses} presses of \"{SAVE}\", {sum(acked.values())} acknowledged by the page; "
          f"{len(drawings)} drawings in the database afterwards, from {len(set(drawings.drawers))} tabs")
    print(f"  every acknowledged drawing in the database exactly once, digit and 28 x 28 pixels: "
          f"{'yes' if not lost and not extra else 'NO'} (lost {sum(lost.values())}, in the database but not "
          f"acknowledged or twice {sum(extra.values())}); per digit acknowledged {by_digit(acked)}, "
          f"stored {by_digit(stored)}")
    print(f"  board: the Train page said {posted} models were posted; {experiments} in the database")
    print(f"  guesses: {guessed} acknowledged by the page; {guesses} in the database")
    return not lost and not extra and posted == experiments and guessed == guesses


def log_problems(path: Path) -> None:
    """Tracebacks and warnings in the server's log, each kind once with its count, and where the first was."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", path.read_text(errors="replace")) if path.exists() else ""
    lines = text.splitlines()
    found, first = Counter(), {}
    for k, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            # Streamlit prints it in a box (rich); the exception's own line is the first outside the box.
            block = lines[k + 1:]
            end = next((x for x in block if x and not x[0].isspace() and x[0] not in "│─╭╰"), "?")
            frames = [x.strip(" │") for x in block[:block.index(end)] if re.search(r"(\.py:\d+|line \d+)", x)
                      and "site-packages" not in x] if end in block else []
            key = f"traceback: {end.strip()[:200]}"
            found[key] += 1
            ours = [x for x in frames if str(ROOT) in x] or frames  # the app's own innermost line
            first.setdefault(key, ours[-1] if ours else "")
        elif re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line):
            found[re.sub(r"^[\d\-: .,]+", "", line).strip()[:200]] += 1
    print(f"server log ({path}): " + ("no tracebacks, no warnings" if not found else ""))
    for key, count in found.most_common(8):
        print(f"  {count:4} x {key}" + (f" (at {first[key]})" if first.get(key) else ""))


def report_neural(args, samples, head, click, shown, lesson_end, worker, pid, tensorflow) -> bool:
    """What the neural network's training did during the lesson; True if it was trained once, beside the server."""
    n = args.neural
    visits = Counter(s.neural for s in samples if s.page == "Neural" and s.neural)
    failed = sum(s.failed for s in samples if s.page == "Neural")
    print(f"\nneural network, /Neural?n={n}:")
    print(f"  the students' {sum(visits.values())} visits showed: "
          + ", ".join(f"{what} {visits[what]}" for what in ("progress", "accuracy", "button", "nothing"))
          + f" ({failed} failed)")
    metric, finished = shown or (None, None)
    reopened = sum(s.page == "Teacher Neural" for s in samples) - 1
    if metric is None:
        print(f"  the network's accuracy was not on the teacher's page {args.neural_wait:g} s after the click")
    else:
        print(f"  click to the network's accuracy on the teacher's page: {metric.at - click.at:.1f} s"
              + (f" (page complete after {finished - click.at:.1f} s)" if finished else "")
              + f"; the lesson ended {lesson_end - click.at:.1f} s after the click; the teacher's page opened "
              f"again because it had stopped refreshing itself: {reopened} times")
        print(f"  accuracy: neural network {metric.text}, SVM {head.c.metric(SVM_METRIC)} (on all the test images)")
    trained = sorted((args.cache_dir / "neural").glob("cnn-*.json"))
    print(f"  networks trained (cnn-*.json in {args.cache_dir / 'neural'}): {len(trained)}"
          + ("" if len(trained) == 1 else " (1 expected)"))
    for path in trained:
        meta = json.loads(path.read_text())
        print(f"    {path.stem}: {meta['n']:,} images, {meta['epochs']} passes, fit {meta['fit_seconds']:.1f} s "
              f"in the worker, test accuracy {meta['test_accuracy']:.4f}")
    print(f"  worker: {len(worker.cpu)} process(es), peak RSS sampled {worker.peak_rss:.0f} MB (VmHWM "
          f"{worker.hwm:.0f} MB), CPU {sum(worker.cpu.values()):.1f} s")
    server, in_worker = tensorflow
    print(f"  server's /proc/{pid}/maps at the end: "
          + (f"{server} mappings name tensorflow: THE SERVER LOADED TENSORFLOW" if server else "no tensorflow")
          + (f" (the worker's: {in_worker} mappings name it)" if in_worker else ""))
    return metric is not None and len(trained) == 1 and not server
