"""Peak memory of a process tree, sampled from /proc (Linux) while it runs.

The pipeline is a tree: `budget-etl`, Dagster's forkserver and step processes, the forked
extraction children, dbt. Summing RSS counts the pages a fork shares with its parent once per
process; PSS (proportional set size, /proc/PID/smaps_rollup) splits them, so the sum of PSS is
what the tree costs the machine. Both are kept, and the largest single process's RSS.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass
class TreePeak:
    pss_mb: float = 0.0  # largest sum of PSS over the tree at one sample
    rss_mb: float = 0.0  # largest sum of RSS over the tree at one sample
    largest_process_mb: float = 0.0  # largest RSS of one process
    processes: int = 0  # most processes alive at one sample
    samples: int = 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in (PROC / str(pid) / "task").iterdir():
            text = (task / "children").read_text()
            found.extend(int(p) for p in text.split())
    except OSError:
        pass
    return found


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_children(pid))
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB of one process; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        return 0, 0
    return pss, rss


class TreeSampler:
    """`with TreeSampler(pid) as sampler: ...; sampler.peak` — samples every `interval` seconds."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self.root = root
        self.interval = interval
        self.peak = TreePeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sample(self) -> None:
        pss_total = rss_total = largest = 0
        pids = _tree(self.root)
        for pid in pids:
            pss, rss = _memory_kb(pid)
            pss_total += pss
            rss_total += rss
            largest = max(largest, rss)
        peak = self.peak
        peak.pss_mb = max(peak.pss_mb, pss_total / 1024)
        peak.rss_mb = max(peak.rss_mb, rss_total / 1024)
        peak.largest_process_mb = max(peak.largest_process_mb, largest / 1024)
        peak.processes = max(peak.processes, len(pids))
        peak.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            if not (PROC / str(self.root)).exists():
                return
            self.sample()
            self._stop.wait(self.interval)


def available() -> bool:
    return (PROC / str(os.getpid()) / "smaps_rollup").exists()
