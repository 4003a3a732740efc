"""Sessions staying on /Neural while the network trains: what the progress fragment costs the server.

Usage: python -m bench.neural_progress [--n 60000] [--sessions 30] [--limit 360] [--keep]

It starts one ``streamlit run app.py`` on 127.0.0.1 (tests/support/browser.py's ``app_server``: a free
port, background training off, a fresh temporary --cache-dir, removed at the end unless --keep).
A teacher light client (bench/loadtest/client.py, as in the load test) opens /Neural?n=N and
presses "Train the neural network"; then --sessions more sessions open the same URL and stay, their
websocket open, answering the progress fragment's ``run_every=1.0`` timer as a browser does
(``st.fragment`` in ui/neural.py ``progress``) until the network is ready. The teacher keeps its page
open until the metric "Neural network accuracy" is on it (reopened if it stops refreshing itself:
``Light.await_network`` in bench/loadtest/light_student.py). Meanwhile a prober opens /Train?n=100 in a fresh
session once a second and times each answer (until the metric "Accuracy" arrived).

It prints: the server's CPU during the training (click until the network's file is written in
<cache-dir>/neural), in cores on average, from /proc/<pid>/stat utime + stime of the server process
only, and after it until the accuracy shows; the server's peak RSS (VmHWM) and largest RSS sampled;
the prober's p50/p95/max; for the staying sessions, the gap between consecutive progress reruns
each one received (p50/p95/max: the timer is 1 s) and each rerun's answer time; the time from the
click to the accuracy on the teacher's page, and the accuracy; the worker's peak RSS (the server's
child whose command line names digitlib.neural.worker); and whether the server's /proc/<pid>/maps
ever named tensorflow (checked every 2 s and at the end). Everything stops after --limit seconds
(the server's start aside).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.loadtest.light_student import Light
from bench.loadtest.pages import ANSWERS, SVM_METRIC, net_metric, neural_state
from bench.loadtest.processes import Worker, maps_naming, proc_stats
from bench.loadtest.report import log_problems
from tests.support.browser import app_server


def stats(values) -> str:
    if not values:
        return "none"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s (n={len(values)})"


class Server:
    """The server sampled every 0.5 s: CPU seconds and RSS with their times, its worker, its maps."""

    def __init__(self, pid: int, cache_dir: Path):
        self.pid, self.neural = pid, cache_dir / "neural"
        self.cpu: list[tuple[float, float]] = []  # (time.perf_counter(), CPU seconds)
        self.rss: list[float] = []
        self.worker = Worker(pid)
        self.written: float | None = None  # when the network's cnn-*.json appeared
        self.tensorflow = 0  # the most mappings naming tensorflow seen in the server's maps

    def cpu_between(self, t0: float, t1: float) -> tuple[float, float]:
        """CPU seconds and cores on average between the samples nearest ``t0`` and ``t1``."""
        times = np.array([t for t, _ in self.cpu])
        a = self.cpu[int(np.abs(times - t0).argmin())]
        b = self.cpu[int(np.abs(times - t1).argmin())]
        return b[1] - a[1], (b[1] - a[1]) / max(b[0] - a[0], 1e-9)

    def sample(self) -> None:
        cpu, rss, _ = proc_stats(self.pid)
        now = time.perf_counter()
        self.cpu.append((now, cpu))
        self.rss.append(rss)
        self.worker.sample()
        if self.written is None and any(self.neural.glob("cnn-*.json")):
            self.written = now

    async def run(self, stop: asyncio.Event) -> None:
        k = 0
        while not stop.is_set():
            self.sample()
            if k % 4 == 0:
                self.tensorflow = max(self.tensorflow, maps_naming(self.pid, "tensorflow"))
            k += 1
            await asyncio.sleep(0.5)
        self.sample()
        self.tensorflow = max(self.tensorflow, maps_naming(self.pid, "tensorflow"))


async def prober(base: str, timeout: float, stop: asyncio.Event, times: list, failures: list) -> None:
    """Open /Train?n=100 in a fresh session at most once a second; time each answer."""
    probe = Light(base, timeout, kind="prober")
    try:
        while not stop.is_set():
            start = time.perf_counter()
            try:
                answer = await probe.c.open("Train", "n=100", until=ANSWERS["Train"])
                if answer.element is None or answer.errors:
                    failures.append(f"no accuracy, errors {answer.errors}"[:200])
                else:
                    times.append(answer.answer_seconds)  # until the metric "Accuracy on ..." arrived
            except Exception as exc:  # a timeout, a lost connection
                failures.append(f"{type(exc).__name__}: {exc}"[:200])
            try:
                await asyncio.wait_for(stop.wait(), max(0.0, start + 1.0 - time.perf_counter()))
            except TimeoutError:
                pass
    finally:
        await probe.close()


def rerun_gaps(stayer: Light) -> tuple[list[float], list[float]]:
    """Gaps between consecutive progress reruns one session received (their answers' ends), and their answer times."""
    answered = [a.answer for a in stayer.c.auto_runs if a.page == "Neural" and a.answer is not None]
    ends = sorted(a.finished for a in answered)
    return list(np.diff(ends)), [a.seconds for a in answered]


async def bench(base, cache_dir: Path, args) -> bool:
    deadline = time.perf_counter() + args.limit - 40  # leaves time for the staying pages and the report
    server = Server(base.pid, cache_dir)
    stop, probe_stop = asyncio.Event(), asyncio.Event()
    sampler = asyncio.ensure_future(server.run(stop))
    teacher = Light(base, args.timeout, kind="teacher")
    stayers = [Light(base, args.timeout) for _ in range(args.sessions)]
    probes, probe_failures, samples = [], [], []
    prober_task = None
    try:
        await teacher.neural(args.n, "Teacher Neural")
        if neural_state(teacher.c.elements.values()) != "button":
            raise SystemExit(f"/Neural?n={args.n} shows {neural_state(teacher.c.elements.values())}, not the button")
        cpu0 = proc_stats(base.pid)[0]
        click = await teacher.train_network()
        print(f"clicked \"Train the neural network\" (its run {click.done:.2f} s); {args.sessions} sessions open "
              f"/Neural?n={args.n} and stay; the prober opens /Train?n=100 every second")
        prober_task = asyncio.ensure_future(prober(base, args.timeout, probe_stop, probes, probe_failures))
        opened = await asyncio.gather(*(s.neural(args.n) for s in stayers), return_exceptions=True)
        network = asyncio.ensure_future(teacher.await_network(args.n, deadline, samples))
        metric, _ = await network
        shown_at = time.perf_counter()
        # The staying sessions' fragments rerun their whole page when the network is ready: wait for those.
        limit = min(shown_at + 30, deadline + 30)
        while time.perf_counter() < limit and not all(net_metric(s.c.elements.values()) for s in stayers):
            await asyncio.sleep(0.2)
        all_shown = time.perf_counter()
        probe_stop.set()
        await prober_task
    finally:
        probe_stop.set()
        if prober_task is not None and not prober_task.done():
            prober_task.cancel()
        stop.set()
        await sampler
        peak = proc_stats(base.pid)[2]
        for client in [teacher, *stayers]:
            await client.close()

    print(f"\n/Neural?n={args.n}, {args.sessions} sessions staying, server pid {base.pid}:")
    failed_open = [o for o in opened if isinstance(o, BaseException)]
    states = [neural_state(s.c.elements.values()) for s in stayers]
    print(f"  staying sessions: {len(stayers) - len(failed_open)} opened ({len(failed_open)} failed: "
          f"{sorted({repr(e)[:120] for e in failed_open})}); "
          f"open {stats([o.answer for o in opened if not isinstance(o, BaseException)])}")
    if metric is None:
        print(f"  the accuracy was NOT on the teacher's page {shown_at - click.at:.0f} s after the click")
    trained = (server.written or shown_at) - click.at
    cpu, cores = server.cpu_between(click.at, server.written or shown_at)
    print(f"  server CPU during the training (click to the network's file, {trained:.1f} s): {cpu:.1f} s = "
          f"{cores:.2f} cores on average (server process only, utime+stime)")
    if server.written is not None:
        cpu, cores = server.cpu_between(server.written, all_shown)
        print(f"  server CPU from the file to every page showing the accuracy ({all_shown - server.written:.1f} s): "
              f"{cpu:.1f} s = {cores:.2f} cores")
    total = server.cpu[-1][1] - cpu0
    print(f"  server CPU in all, click to the end: {total:.1f} s over {server.cpu[-1][0] - click.at:.1f} s")
    print(f"  server RSS: peak (VmHWM) {peak:.0f} MB, largest sampled {max(server.rss):.0f} MB")
    print(f"  prober /Train?n=100: {stats(probes)}; {len(probe_failures)} failed"
          + (f" ({sorted(set(probe_failures))[:3]})" if probe_failures else ""))
    gaps, answers, counts = [], [], []
    for s in stayers:
        g, a = rerun_gaps(s)
        gaps += g
        answers += a
        counts.append(len(a))
    auto_errors = sum(a.error is not None and a.error.startswith("no answer") for s in stayers for a in s.c.auto_runs)
    print(f"  progress reruns received per staying session: min {min(counts)}, max {max(counts)} "
          f"({sum(counts)} in all; {auto_errors} without an answer)")
    print(f"  gap between consecutive progress reruns (each session): {stats(gaps)}")
    print(f"  progress rerun, request to its answer: {stats(answers)}")
    errors = sorted({e[:160] for s in [teacher, *stayers] for e in s.c.errors})
    print(f"  errors on the pages: {errors or 'none'}")
    if metric is not None:
        print(f"  click to the accuracy on the teacher's page: {metric.at - click.at:.1f} s; accuracy: neural "
              f"network {metric.text}, SVM {teacher.c.metric(SVM_METRIC)}; staying sessions showing it "
              f"{sum(st == 'accuracy' for st in states)} of {len(stayers)}, the last "
              f"{all_shown - shown_at:.1f} s after the teacher's")
    print(f"  networks trained (cnn-*.json): {len(list(server.neural.glob('cnn-*.json')))}")
    print(f"  worker: {len(server.worker.cpu)} process(es), peak RSS sampled {server.worker.peak_rss:.0f} MB "
          f"(VmHWM {server.worker.hwm:.0f} MB), CPU {sum(server.worker.cpu.values()):.1f} s")
    print(f"  server's /proc/{base.pid}/maps naming tensorflow (every 2 s and at the end): "
          + (f"{server.tensorflow} mappings: THE SERVER LOADED TENSORFLOW" if server.tensorflow else "never"))
    return metric is not None and not server.tensorflow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=60000, help="training images for the network (default 60000)")
    parser.add_argument("--sessions", type=int, default=30, help="sessions staying on /Neural (default 30)")
    parser.add_argument("--limit", type=float, default=360, help="the whole run stops after this, s (default 360)")
    parser.add_argument("--timeout", type=float, default=60, help="longest wait for one answer, s")
    parser.add_argument("--keep", action="store_true", help="keep the temporary cache folder and the server's log")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-neural-progress-"))
    cache_dir = tmp / "models"
    cache_dir.mkdir()
    print(f"bench_neural_progress: N={args.n:,}, {args.sessions} staying sessions, models in {cache_dir} (fresh); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    ok = False
    try:
        with app_server(cache_dir, DIGITS_WARMUP="0") as base:
            print(f"server {base} (pid {base.pid})")
            ok = asyncio.run(asyncio.wait_for(bench(base, cache_dir, args), args.limit))
            log_problems(tmp / f"streamlit-{base.rsplit(':', 1)[1]}.log")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        raise SystemExit("the network's accuracy did not show, or the server loaded TensorFlow")


if __name__ == "__main__":
    main()
