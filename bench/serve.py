"""Preview benchmark: from saving an edited lesson to the rebuilt pages being served.

Starts the editor's preview (`ours_serve_command`: `mkdocs serve --livereload --dirty`,
the command in the README) on a copy of the project with N generated lessons
(default 1000), waits until it serves, then, K times (default 3): changes one
lesson's Swedish file (a new word in the title, a new sentence at the end of
the body) and polls the lesson's page and the lesson list (/lardomar/) until
both show the change. Prints the time from the write to each page and to
both, and the median. The target (issue 5) is at most 2 s for both.

    .venv/bin/python bench/serve.py                    # N=1000, 3 edits
    .venv/bin/python bench/serve.py --lessons 250 --repeat 5 --json serve.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builders import BUILDERS, LESSON_FOLDER, mkdocs_env, ours_serve_command  # noqa: E402
from corpus import Corpus  # noqa: E402

POLL_SECONDS = 0.05


def main(argv: list[str] | None = None) -> None:
    arguments = _parser().parse_args(argv)
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="lardom-serve-"))
    try:
        result = measure_preview(arguments.lessons, arguments.repeat, work, arguments.timeout)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(render(result), end="")
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=1000, metavar="N", help="lessons in the project (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="edits to time (default 3)")
    parser.add_argument("--timeout", type=float, default=900, metavar="S",
                        help="give up on a build or an edit after S seconds (default 900)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the project in DIR and keep it (and the log)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    return parser


def measure_preview(count: int, repeat: int, work: Path, timeout: float) -> dict:
    corpus = Corpus(count)
    shutil.rmtree(work / "corpus", ignore_errors=True)
    shutil.rmtree(work / "project", ignore_errors=True)
    corpus.write(work / "corpus")
    project = BUILDERS["ours"].prepare(work / "corpus", work / "project")
    slug = corpus.slugs[0]
    source = project / "lessons" / f"{slug}.sv.md"
    address = f"127.0.0.1:{_free_port()}"
    base = f"http://{address}/"
    lesson_url, index_url = f"{base}{LESSON_FOLDER}/{slug}/", f"{base}{LESSON_FOLDER}/"
    log = work / "serve.log"
    with log.open("wb") as output:
        started = time.perf_counter()
        server = subprocess.Popen(ours_serve_command(address), cwd=project, env=mkdocs_env(),
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_for(lambda: _get(lesson_url) is not None, timeout, server, log)
            first_serve = time.perf_counter() - started
            _progress(f"serving {count} lessons at {base} after {first_serve:.1f} s")
            edits = []
            for attempt in range(1, repeat + 1):
                time.sleep(2)  # let the server settle after the previous rebuild
                edits.append(_edit_and_wait(source, attempt, lesson_url, index_url, timeout, server, log))
                _progress(f"edit {attempt}: lesson page {edits[-1]['lesson']:.2f} s, "
                          f"list {edits[-1]['index']:.2f} s, both {edits[-1]['both']:.2f} s")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    shown = ["python", *ours_serve_command("127.0.0.1:PORT")[1:]]  # not this machine's path to the interpreter
    return {"lessons": count, "command": " ".join(shown), "first_serve": first_serve,
            "edits": edits, "median_both": statistics.median(edit["both"] for edit in edits)}


def _edit_and_wait(source: Path, attempt: int, lesson_url: str, index_url: str, timeout: float,
                   server: subprocess.Popen, log: Path) -> dict:
    """Change the title and the end of the body; seconds until each page shows the change."""
    mark = f"{attempt}x{time.time_ns() % 10**9:09d}"
    title_mark, body_mark = f"Titelmarkering{mark}", f"Textmarkering{mark}"
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} {title_mark}", text, count=1, flags=re.MULTILINE)
    text = text.rstrip("\n") + f" Ny mening {body_mark}.\n"
    source.write_text(text, encoding="utf-8")
    written = time.perf_counter()
    seen: dict[str, float] = {}
    checks = {"lesson": (lesson_url, (title_mark, body_mark)), "index": (index_url, (title_mark,))}

    def both_served() -> bool:
        for name, (url, marks) in checks.items():
            if name not in seen:
                page = _get(url)
                if page is not None and all(mark in page for mark in marks):
                    seen[name] = time.perf_counter() - written
        return len(seen) == len(checks)

    _wait_for(both_served, timeout, server, log)
    return {**seen, "both": max(seen.values())}


def _wait_for(condition, timeout: float, server: subprocess.Popen, log: Path) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped (exit {server.returncode}); see {log}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"nothing after {timeout:.0f} s; see {log}")
        time.sleep(POLL_SECONDS)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render(result: dict) -> str:
    lines = [f"Preview: {result['command']} on {result['lessons']} lessons",
             f"first served after {result['first_serve']:.1f} s", "",
             "edit  lesson page s  lesson list s  both s"]
    for number, edit in enumerate(result["edits"], 1):
        lines.append(f"{number:>4}  {edit['lesson']:>13.2f}  {edit['index']:>13.2f}  {edit['both']:>6.2f}")
    lines += ["", f"median from save to both served: {result['median_both']:.2f} s (target: at most 2 s)"]
    return "\n".join(lines) + "\n"


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
