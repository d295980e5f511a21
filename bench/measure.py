"""Time and memory of one command, its whole process tree included.

The command runs under a fresh wrapper process (`python bench/measure.py
RESULT -- command…`), so that `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the
largest resident set of any process of this one command and not of an
earlier build. Meanwhile the benchmark polls the tree below the wrapper every
~20 ms and sums the processes' proportional set size (PSS): pages shared by
forked copy-on-write workers are split between them instead of being counted
once per process, so the sum is what the build really holds in memory.

Also recorded: the CPU time of the whole tree (user + system, from the same
getrusage), and how busy the machine's CPUs were with anything else during
the build (from /proc/stat), since a shared machine makes wall times noisy.
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
    cpu: float  # user + system seconds of every process of the command
    peak_pss_mb: float  # peak of the sum of PSS over the process tree
    max_rss_mb: float  # the largest single process's peak RSS
    other_load: float  # share of the machine's CPUs busy with anything else meanwhile (0–1)
    returncode: int
    samples: int  # how many times the tree was read


def run(command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float = 3600) -> Measurement:
    """Run `command` in `cwd`, its output to `log`, and measure it."""
    result_file = log.with_suffix(".measure.json")
    wrapper = [sys.executable, str(Path(__file__).resolve()), str(result_file), "--", *command]
    busy_before, started = busy_cpu_seconds(), time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(wrapper, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        poller = _TreePoller(process.pid)
        poller.start()
        try:
            process.wait(timeout=timeout)
        finally:
            poller.stop()
    busy, elapsed = busy_cpu_seconds() - busy_before, time.perf_counter() - started
    if process.returncode != 0 and not result_file.exists():
        raise RuntimeError(f"the measuring wrapper failed; see {log}")
    measured = json.loads(result_file.read_text())
    result_file.unlink()
    # Everything the CPUs did meanwhile that was not the build; the poller (a few
    # per cent of one CPU) counts as other load too.
    other = max(0.0, busy - measured["cpu"]) / (elapsed * (os.cpu_count() or 1))
    return Measurement(measured["wall"], measured["cpu"], poller.peak_kb / 1024, measured["maxrss_kb"] / 1024,
                       other, measured["returncode"], poller.samples)


def busy_cpu_seconds() -> float:
    """Seconds all CPUs together have spent busy since boot (the first line of /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class _TreePoller(threading.Thread):
    """Samples the summed PSS of every process below `root` (the wrapper itself excluded)."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.tree = ProcessTree(root)
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
        total = sum(pss_kb(pid) for pid in self.tree.update())
        self.peak_kb = max(self.peak_kb, total)
        self.samples += 1


class ProcessTree:
    """The live processes below `root`, kept up to date by `update()`.

    From `/proc/PID/task/TID/children` where the kernel has it; else from the
    parent id in `/proc/PID/stat`, read once per new process, so a sample
    costs a listing of /proc rather than a read of every process's stat. A
    process once in the tree stays in it while it lives, even if its parent
    ends first and it is handed to another parent.
    """

    def __init__(self, root: int):
        self.root = root
        self.members: set[int] = set()
        self.seen: set[int] = set()  # every pid whose parent was read
        self.with_children_files = Path(f"/proc/{root}/task/{root}/children").exists()

    def update(self) -> set[int]:
        if self.with_children_files:
            self.members |= set(_descendants_from_children(self.root))
            self.members = {pid for pid in self.members if os.path.exists(f"/proc/{pid}")}
            return self.members
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in sorted(alive - self.seen):  # a parent usually has the lower pid: one pass finds chains
            self.seen.add(pid)
            parent = _parent(pid)
            if parent == self.root or parent in self.members:
                self.members.add(pid)
        self.seen &= alive
        self.members &= alive
        return self.members


def descendants(root: int) -> set[int]:
    """Every process below `root` now."""
    return ProcessTree(root).update()


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
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every waited-for descendant of this fresh process
    Path(result_file).write_text(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                                             "maxrss_kb": usage.ru_maxrss, "returncode": returncode}))
    return returncode


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: measure.py RESULT_FILE -- COMMAND…")
    sys.exit(_wrap(sys.argv[1], sys.argv[3:]))
