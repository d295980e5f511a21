"""Preview benchmark: from saving an edited lesson to the rebuilt pages being served.

Starts the editor's preview (`ours_serve_command`: `lardom preview`, the command in
the README, which runs lardomsbanken/adapter/preview_engine.py) on a copy of the project with N
generated lessons (default 1000), waits until its first build is done, then:

- K times (default 3): changes one lesson's Swedish file (a new word in the
  title, a new sentence at the end of the body) and polls the lesson's page and
  the lesson list (/lardomar/) until both show the change; also the time until
  the preview tells open pages to reload (its rebuild is done);
- a content error: appends a broken link `[x](finns-inte.md)` to the lesson and
  polls the lesson's page until it is the error page (status 500), which should
  name the link's file:line:column; meanwhile asks for other pages (they must
  answer, at once, not hang); then puts the lesson back and polls until the
  page is served again.

Prints the times and the medians. The targets (issue 11): at most 1 s from save
to served at 1000 lessons; another page answers in under 1 s while the error
stands. A script, not a test; see bench/README.md.

    .venv/bin/python bench/serve.py                    # N=1000, 3 edits
    .venv/bin/python bench/serve.py --lessons 250 --repeat 5 --json serve.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import report
from bench.builders import BUILDERS, LESSON_FOLDER, mkdocs_env, ours_serve_command
from bench.corpus import Corpus, mark_lesson

POLL_SECONDS = 0.05
REQUEST_TIMEOUT = 10.0  # seconds a request may take before it counts as not answered
RELOAD_PATH = "/.lardom/reload"  # the preview's long poll: "reload" once a rebuild has finished
BROKEN_TARGET = "finns-inte.md"
_EPOCH = re.compile(r'data-epoch="(\d+)"')


def main(argv: list[str] | None = None) -> None:
    arguments = _parser().parse_args(argv)
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="lardom-serve-"))
    try:
        result = measure_preview(arguments.lessons, arguments.repeat, work, arguments.timeout)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(report.render_preview(result), end="")
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=1000, metavar="N", help="lessons in the project (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="edits to time (default 3)")
    parser.add_argument("--timeout", type=float, default=900, metavar="S",
                        help="give up on a build or an edit after S seconds (default 900)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the project in DIR and keep it (and the log)")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the results as JSON (bench/run.py --report takes it too)")
    return parser


@dataclass
class Preview:
    """A running preview server and what the measurements need of it."""

    process: subprocess.Popen
    base: str  # http://127.0.0.1:PORT/
    log: Path
    timeout: float

    def wait_for(self, condition) -> None:
        deadline = time.perf_counter() + self.timeout
        while not condition():
            if self.process.poll() is not None:
                raise RuntimeError(f"the preview stopped (exit {self.process.returncode}); see {self.log}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"nothing after {self.timeout:.0f} s; see {self.log}")
            time.sleep(POLL_SECONDS)

    def epoch(self, url: str) -> int | None:
        """How many builds the preview had finished when it served `url` (its reload script says)."""
        status, page = fetch(url)
        found = _EPOCH.search(page or "")
        return int(found.group(1)) if status is not None and found else None

    def settled_epoch(self, url: str) -> int:
        """The epoch once it has stayed the same for half a second (no rebuild running)."""
        seen: list[int | None] = [None]

        def settled() -> bool:
            before = seen[0]
            seen[0] = self.epoch(url)
            if before is not None and seen[0] == before:
                return True
            time.sleep(0.5)
            return False

        self.wait_for(settled)
        return seen[0]  # type: ignore[return-value]

    def stop(self) -> None:
        """Ctrl+C, as the editor stops it: SIGINT to its process group (`lardom` and the
        engine it runs); whatever is left after 30 s is killed."""
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the engine, if it outlived `lardom`
        except ProcessLookupError:
            pass
        self.process.wait()


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
    other_urls = [base, *(f"{base}{LESSON_FOLDER}/{other}/" for other in corpus.slugs[1:2])]
    log = work / "serve.log"
    with log.open("wb") as output:
        started = time.perf_counter()
        # A session of its own, so that stopping it reaches the engine `lardom preview` runs.
        process = subprocess.Popen(ours_serve_command(address), cwd=project, env=mkdocs_env(),
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        preview = Preview(process, base, log, timeout)
        try:
            preview.wait_for(lambda: (preview.epoch(lesson_url) or 0) >= 1)  # the first build is done
            first_serve = time.perf_counter() - started
            _progress(f"serving {count} lessons at {base} after {first_serve:.1f} s")
            edits = []
            for attempt in range(1, repeat + 1):
                edits.append(_edit_and_wait(preview, source, f"{attempt}x{time.time_ns() % 10**9:09d}",
                                            lesson_url, index_url))
                _progress(f"edit {attempt}: lesson page {edits[-1]['lesson']:.2f} s, list {edits[-1]['index']:.2f} s, "
                          f"both {edits[-1]['both']:.2f} s, reload told {_seconds(edits[-1]['reload'])}")
            error = _break_and_fix(preview, source, project, lesson_url, other_urls)
            _progress(f"content error: error page after {_seconds(error['shown'])} ({error['position']}), "
                      f"other pages {[other['status'] for other in error['others']]} in "
                      f"{_seconds(report.slowest_answer(error))}, served again {_seconds(error['fixed'])} after the fix")
        finally:
            preview.stop()
    return {"kind": "preview", "lessons": count, "command": "lardom preview --dev-addr 127.0.0.1:PORT",
            "first_serve": first_serve, "edits": edits,
            **{f"median_{key}": statistics.median(edit[key] for edit in edits) for key in ("lesson", "index", "both")},
            "error": error}


def _edit_and_wait(preview: Preview, source: Path, mark: str, lesson_url: str, index_url: str) -> dict:
    """Change the title and the end of the body; seconds until each page shows the change,
    and until the preview tells open pages to reload."""
    reload = _ReloadWatch(preview, preview.settled_epoch(lesson_url))
    reload.start()
    title_mark, body_mark = mark_lesson(source, mark)
    written = time.perf_counter()
    seen: dict[str, float] = {}
    checks = {"lesson": (lesson_url, (title_mark, body_mark)), "index": (index_url, (title_mark,))}

    def both_served() -> bool:
        for name, (url, marks) in checks.items():
            if name not in seen:
                status, page = fetch(url)
                if status == 200 and all(mark in page for mark in marks):
                    seen[name] = time.perf_counter() - written
        return len(seen) == len(checks)

    preview.wait_for(both_served)
    reload.join(preview.timeout)
    return {**seen, "both": max(seen.values()), "reload": reload.told_at - written if reload.told_at else None}


class _ReloadWatch(threading.Thread):
    """Asks, as an open page does, to be told when the build after `epoch` is done;
    `told_at` is when it was (time.perf_counter), None if never."""

    def __init__(self, preview: Preview, epoch: int):
        super().__init__(daemon=True)
        self.preview, self.epoch = preview, epoch
        self.told_at: float | None = None

    def run(self) -> None:
        url = f"{self.preview.base}{RELOAD_PATH.lstrip('/')}?epoch={self.epoch}"
        deadline = time.perf_counter() + self.preview.timeout
        while time.perf_counter() < deadline and self.preview.process.poll() is None:
            status, answer = fetch(url, timeout=60)  # held by the preview for up to 25 s
            if status == 200 and answer == "reload":
                self.told_at = time.perf_counter()
                return
            if status is None:
                time.sleep(POLL_SECONDS)


def broken_link(text: str, path: str) -> tuple[str, str]:
    """The lesson's text with a broken link appended as a paragraph of its own, and the
    position a check should name for it: `path:line:column` of the link's target."""
    broken = text.rstrip("\n") + f"\n\n[x]({BROKEN_TARGET})\n"
    at = broken.index(f"]({BROKEN_TARGET})") + 2
    line = broken.count("\n", 0, at) + 1
    column = at - broken.rfind("\n", 0, at)
    return broken, f"{path}:{line}:{column}"


def _break_and_fix(preview: Preview, source: Path, project: Path, lesson_url: str, other_urls: list[str]) -> dict:
    """A content error in the lesson: seconds until its page is the error page, whether that
    names the error's position, how other pages answer meanwhile, and seconds from the fix
    until the page is served again."""
    preview.settled_epoch(lesson_url)
    relative = source.relative_to(project).as_posix()
    original = source.read_text(encoding="utf-8")
    broken, expected = broken_link(original, relative)
    source.write_text(broken, encoding="utf-8")
    written = time.perf_counter()
    answers: dict[str, tuple[int | None, str]] = {}

    def error_shown() -> bool:
        status, page = fetch(lesson_url)
        if status == 500:
            answers["error"] = (status, page)
        return status == 500

    preview.wait_for(error_shown)
    shown = time.perf_counter() - written
    status, page = answers["error"]
    position = re.search(re.escape(relative) + r":\d+:\d+", page)
    others = []
    for url in other_urls:  # the error stands: these must answer (with the error page), not hang
        asked = time.perf_counter()
        other_status, _ = fetch(url, timeout=REQUEST_TIMEOUT)
        others.append({"url": url.replace(preview.base, "/"), "status": other_status,
                       "seconds": time.perf_counter() - asked})
    source.write_text(original, encoding="utf-8")
    fixed_at = time.perf_counter()
    preview.wait_for(lambda: fetch(lesson_url)[0] == 200)
    return {"shown": shown, "status": status, "position": position.group(0) if position else None,
            "expected": expected, "names_position": bool(position) and position.group(0) == expected,
            "others": others, "fixed": time.perf_counter() - fixed_at}


def fetch(url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int | None, str]:
    """The status and text of a GET; status None if nothing answered (in `timeout` seconds)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
