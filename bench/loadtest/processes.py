"""The servers' processes as /proc shows them: CPU, memory, the neural worker, PostgreSQL and nginx."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path


def proc_stats(pid: int) -> tuple[float, float, float]:
    """The server's CPU seconds (user + system), RSS and peak RSS in MB."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = _status_mb(pid)
    return cpu, status["VmRSS"], status["VmHWM"]


def _status_mb(pid: int) -> dict[str, float]:
    """/proc/PID/status's sizes (the lines in kB), in MB."""
    rows = (line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(value.split()[0]) / 1024 for key, value in rows if value.strip().endswith("kB")}


def pss(pid: int) -> float:
    """A process's proportional set size in MB: its own pages, plus its share of those it maps with others
    (the same model or data file read by two servers is counted once across them)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory and its peak (VmRSS, VmHWM) in MB."""
    return proc_stats(pid)[1:]


def memory_parts_mb(pid: int) -> dict[str, float]:
    """The process's resident memory by kind, MB: ``anon`` (its heap: arrays, Python objects), ``file``
    (mapped files: shared libraries, mapped support vectors; the kernel can drop and reread these),
    ``shmem`` (shared memory), ``rss`` (their sum) and ``pss`` (shared pages divided among the processes
    sharing them)."""
    status = _status_mb(pid)
    parts = {name: status[key] for name, key in (("rss", "VmRSS"), ("anon", "RssAnon"), ("file", "RssFile"),
                                                 ("shmem", "RssShmem"))}
    return {**parts, "pss": pss(pid)}


def reset_peak(pid: int) -> bool:
    """Start the process's VmHWM afresh from its current RSS (Linux 4.0+: 5 > clear_refs); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@dataclass
class Worker:
    """The server's neural worker (a child whose command line names it), sampled beside the server."""

    server: int
    pid: int | None = None
    peak_rss: float = 0.0  # the largest VmRSS sampled, MB
    hwm: float = 0.0  # the largest VmHWM seen (the kernel's own peak), MB
    cpu: dict[int, float] = field(default_factory=dict)  # CPU seconds of each worker process, last seen

    def sample(self) -> None:
        if self.pid is None or not Path(f"/proc/{self.pid}").exists():
            self.pid = find_child(self.server, b"digitlib.neural.worker")
        if self.pid is None:
            return
        try:
            cpu, rss, hwm = proc_stats(self.pid)
        except (OSError, KeyError):  # it has just ended (a zombie has no VmRSS)
            self.pid = None
            return
        self.cpu[self.pid] = cpu
        self.peak_rss, self.hwm = max(self.peak_rss, rss), max(self.hwm, hwm)


def find_child(parent: int, name: bytes) -> int | None:
    """A child process of ``parent`` whose command line contains ``name``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if int(text[text.rindex(")") + 2:].split()[1]) == parent and name in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, ValueError):
            continue  # it ended meanwhile
    return None


@dataclass
class Server:
    """One app server during the lesson: its CPU and memory, and the actions of the students it served."""

    pid: int
    port: int
    cpu0: float = 0.0  # CPU seconds when the students came in
    start_rss: float = 0.0  # MB
    cpu: float = 0.0  # CPU seconds over the lesson
    peak: float = 0.0  # VmHWM at the end, MB
    rss: list[float] = field(default_factory=list)  # VmRSS every 0.5 s, MB
    pss: list[float] = field(default_factory=list)  # its proportional share (files mapped by both servers halved)
    actions: int | None = None  # behind nginx: the actions of the students it served

    def start(self) -> None:
        self.cpu0, self.start_rss, _ = proc_stats(self.pid)

    def end(self) -> None:
        cpu, _, self.peak = proc_stats(self.pid)
        self.cpu = cpu - self.cpu0


async def sample_servers(servers: list[Server], stop, worker: Worker | None = None):
    while not stop.is_set():
        for server in servers:
            server.rss.append(proc_stats(server.pid)[1])
            server.pss.append(pss(server.pid))
        if worker is not None:
            worker.sample()
        await asyncio.sleep(0.5)


def postgres_cpu(data_dir: Path) -> float:
    """CPU seconds of a PostgreSQL server so far: the postmaster, its live and its ended children."""
    return tree_cpu(int((data_dir / "postmaster.pid").read_text().split()[0]))


def tree_cpu(parent: int) -> float:
    """CPU seconds so far of a process (with its ended children) and its live children (nginx's workers,
    PostgreSQL's backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended meanwhile
        fields = text[text.rindex(")") + 2:].split()
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == parent:
            total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime
        elif ppid == parent:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def maps_naming(pid: int, word: str) -> int:
    """How many of a process's memory mappings name ``word`` (a library it loaded stays mapped); 0 if it is gone."""
    try:
        return sum(word in line for line in Path(f"/proc/{pid}/maps").read_text().splitlines())
    except OSError:
        return 0
