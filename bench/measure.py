"""Time and memory of one command, its whole process tree included.

The command runs under a fresh wrapper process (`python bench/measure.py
RESULT -- command…`), so that `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the
largest resident set of any process of this one command and not of an
earlier build. Meanwhile the benchmark polls the tree below the wrapper every
~20 ms and sums the processes' proportional set size (PSS): pages shared by
forked copy-on-write workers are split between them instead of being counted
once per process, so the sum is what the build really holds in memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.02


@dataclass
class Measurement:
    wall: float  # seconds, measured inside the wrapper around the command alone
    peak_pss_mb: float  # peak of the sum of PSS over the process tree
    max_rss_mb: float  # the largest single process's peak RSS
    returncode: int
    samples: int  # how many times the tree was read


def run(command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float = 3600) -> Measurement:
    """Run `command` in `cwd`, its output to `log`, and measure it."""
    result_file = log.with_suffix(".measure.json")
    wrapper = [sys.executable, str(Path(__file__).resolve()), str(result_file), "--", *command]
    with log.open("wb") as output:
        process = subprocess.Popen(wrapper, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        poller = _TreePoller(process.pid)
        poller.start()
        try:
            process.wait(timeout=timeout)
        finally:
            poller.stop()
    if process.returncode != 0 and not result_file.exists():
        raise RuntimeError(f"the measuring wrapper failed; see {log}")
    measured = json.loads(result_file.read_text())
    result_file.unlink()
    return Measurement(measured["wall"], poller.peak_kb / 1024, measured["maxrss_kb"] / 1024,
                       measured["returncode"], poller.samples)


class _TreePoller(threading.Thread):
    """Samples the summed PSS of every process below `root` (the wrapper itself excluded)."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.samples = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(POLL_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        total = sum(pss_kb(pid) for pid in descendants(self.root))
        self.peak_kb = max(self.peak_kb, total)
        self.samples += 1


def descendants(root: int) -> list[int]:
    """Every process below `root`: from `/proc/PID/task/TID/children` where the
    kernel has it, else from the parent ids in `/proc/*/stat`."""
    if Path(f"/proc/{root}/task/{root}/children").exists():
        return _descendants_from_children(root)
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            parent = _parent(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], list(children.get(root, []))
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += children.get(pid, [])
    return found


def _descendants_from_children(root: int) -> list[int]:
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            except OSError:
                continue
            for child in text.split():
                found.append(int(child))
                waiting.append(int(child))
    return found


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # after the command name, which may hold spaces


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:  # the process has just ended
        pass
    return 0


def _wrap(result_file: str, command: list[str]) -> int:
    started = time.perf_counter()
    returncode = subprocess.call(command)
    wall = time.perf_counter() - started
    maxrss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    Path(result_file).write_text(json.dumps({"wall": wall, "maxrss_kb": maxrss_kb, "returncode": returncode}))
    return returncode


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: measure.py RESULT_FILE -- COMMAND…")
    sys.exit(_wrap(sys.argv[1], sys.argv[3:]))
