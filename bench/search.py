"""What a first search costs at hundreds and thousands of lessons (issue 13).

For each N: a corpus (corpus.py), a project copy built with `mkdocs build --strict`,
then the results page `sok/?q=…` opened in this machine's headless Chromium, served
from 127.0.0.1, with the browser cache off, for each query:

- **bytes**: what search fetched, gzip -6 of each file as a host would send it: the
  scripts (`stemmers.js`, `search.js`) and every file under `search/` (the manifest,
  dictionary shards, postings, the documents shown). The page itself, Material's
  bundle and the CSS are not counted: every page loads them.
- **ms**: from navigation start to the results on the page (the status line says how
  many), and how much of that came after the last search file arrived: the work of the
  query in the browser. Median of `--repeat` loads.

`--site DIR` measures a site already built (e.g. one from before a change) instead of
building; `--pagefind` also indexes each built site with Pagefind (its extended binary
from PyPI, in a virtualenv of its own given by `--pagefind-env`; not a dependency of
the project) and measures the same queries through Pagefind's own JS API: search,
then the data (excerpt) of the first 10 results.

    .venv/bin/python -m bench.search                                  # N = 250, 1000, 4000
    .venv/bin/python -m bench.search --sizes 1000 --queries bostad,brist --repeat 5
    .venv/bin/python -m bench.search --site /tmp/old/site --label before
    .venv/bin/python -m bench.search --pagefind --pagefind-env /tmp/pagefind-env   # pip install "pagefind[extended]"
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import websocket

from bench.builders import ours_build_command
from bench.corpus import Corpus
from bench.project import make_project

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
QUERIES = ("bostad", "brist", "kompetensförsörjning", "kommun plan")
BUDGET_BYTES = 300_000
BUDGET_MS = 100
SEARCH_FILES = ("/assets/js/stemmers.js", "/assets/js/search.js", "/search/")
PAGEFIND_FILES = ("/pagefind/",)

# Run in every page before its scripts: the time at which the status line last changed
# after the results list or the status said something other than "searching".
_WATCH = """
window.__lardom = {results: null};
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("ld-search-status");
  if (!status) return;
  var loading = status.textContent;
  new MutationObserver(function () {
    if (/\\d/.test(status.textContent) || /(Inga|No) /.test(status.textContent)) {
      window.__lardom.results = performance.now();
      window.__lardom.status = status.textContent;
    }
  }).observe(status, {childList: true, characterData: true, subtree: true});
});
"""

_PAGEFIND_PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>pagefind</title></head>
<body><p id="out"></p><script type="module">
window.__lardom = {results: null};
const pagefind = await import("./pagefind/pagefind.js");
const query = new URLSearchParams(location.search).get("q");
const search = await pagefind.search(query);
const data = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
window.__lardom.results = performance.now();
window.__lardom.status = search.results.length + " results";
document.getElementById("out").textContent = data.map(d => d.url + " " + d.excerpt).join("\\n");
</script></body></html>
"""


@dataclass
class Load:
    bytes: int
    files: int
    total_ms: float
    after_fetch_ms: float
    status: str
    largest: list[tuple[str, int]] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    log: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self.log.append(unquote(urlsplit(self.path).path))
        super().do_GET()


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, list[str]]]:
    log: list[str] = []
    handler = type("Handler", (_Handler,), {"log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()


class Chromium:
    """Headless Chromium over the DevTools protocol: one tab, the cache off."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="lardom-search-bench-")
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with socket.create_connection(("127.0.0.1", int(port))):
            pass
        import urllib.request
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.command("Page.enable")
        self.command("Network.enable")
        self.command("Network.setCacheDisabled", {"cacheDisabled": True})
        self.command("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH})

    def command(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.command("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                   "awaitPromise": True})
        return result["result"].get("value")

    def results_time(self, url: str, timeout: float = 60) -> dict[str, Any]:
        # Every load cold: the HTTP cache emptied (workers' requests too, which the setting
        # above does not reach).
        self.command("Network.clearBrowserCache")
        self.command("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                found = self.evaluate("window.__lardom && window.__lardom.results !== null ? "
                                      "{results: window.__lardom.results, status: window.__lardom.status, "
                                      "resources: performance.getEntriesByType('resource').map("
                                      "e => [new URL(e.name).pathname, e.responseEnd])} : null")
            except RuntimeError:
                continue
            if found:
                time.sleep(0.2)  # let the status settle (a later change wins)
                again: dict[str, Any] = self.evaluate(
                    "({results: window.__lardom.results, status: window.__lardom.status, "
                    "resources: performance.getEntriesByType('resource').map("
                    "e => [new URL(e.name).pathname, e.responseEnd])})")
                return again
        raise RuntimeError(f"no results on {url} within {timeout} s")

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


@functools.cache
def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


def measure(chromium: Chromium, root: Path, page: str, query: str, counted: tuple[str, ...],
            repeat: int) -> Load:
    """The median of `repeat` cold loads of `page?q=query`."""
    loads: list[Load] = []
    with serve(root) as (base, log):
        for _ in range(repeat):
            log.clear()
            found = chromium.results_time(f"{base}{page}?q={query}")
            search_paths = [path for path in dict.fromkeys(log) if any(part in path for part in counted)]
            sizes = {path: _gzip_size(root / path.lstrip("/")) for path in search_paths}
            ends = [end for path, end in found["resources"] if any(part in path for part in counted)
                    and end <= found["results"]]
            last = max(ends) if ends else 0.0
            loads.append(Load(sum(sizes.values()), len(sizes), found["results"], found["results"] - last,
                              found["status"], sorted(sizes.items(), key=lambda item: -item[1])[:3]))
    loads.sort(key=lambda load: load.total_ms)
    middle = loads[len(loads) // 2]
    middle.after_fetch_ms = statistics.median(load.after_fetch_ms for load in loads)
    return middle


def build_site(count: int, folder: Path) -> Path:
    corpus = folder / "corpus"
    if not corpus.exists():
        Corpus(count).write(corpus)
    project = folder / "project"
    if project.exists():
        shutil.rmtree(project)
    make_project(project, corpus)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "LARDOM_CACHE": "0"}
    env.pop("SITE_URL", None)
    started = time.monotonic()
    result = subprocess.run(ours_build_command(), cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    print(f"  built {count} lessons in {time.monotonic() - started:.1f} s", flush=True)
    return project / "site"


def pagefind_index(site: Path, env: Path) -> float:
    """Index a built site with Pagefind (its own virtualenv); the time it took."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    started = time.monotonic()
    result = subprocess.run([str(env / "bin" / "python"), "-m", "pagefind", "--site", str(site)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    (site / "pagefind-bench.html").write_text(_PAGEFIND_PAGE, encoding="utf-8")
    return time.monotonic() - started


def _lessons(site: Path) -> int:
    """How many lessons a built site has (their folders under lardomar/)."""
    return sum(1 for path in (site / "lardomar").iterdir() if path.is_dir())


def index_bytes(site: Path) -> tuple[int, int, int]:
    """The Swedish index as files: (count, raw bytes, gzip bytes)."""
    files = [path for path in (site / "search").rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files), sum(_gzip_size(path) for path in files)


def report(label: str, count: int | str, site: Path, chromium: Chromium, queries: list[str], repeat: int,
           rows: list[dict[str, Any]], engine: str = "ours") -> None:
    page, counted = ("pagefind-bench.html", PAGEFIND_FILES) if engine == "pagefind" else ("sok/", SEARCH_FILES)
    for query in queries:
        load = measure(chromium, site, page, query, counted, repeat)
        row = {"label": label, "engine": engine, "lessons": count, "query": query, "kb": round(load.bytes / 1000, 1),
               "files": load.files, "total_ms": round(load.total_ms), "after_fetch_ms": round(load.after_fetch_ms),
               "status": load.status, "largest": load.largest}
        rows.append(row)
        print(f"  {engine:8} {str(count):>5} {query!r:26} {row['kb']:7.1f} KB gz in {load.files:3} files; "
              f"results at {row['total_ms']:5} ms, {row['after_fetch_ms']:4} ms after the last file; "
              f"{load.status}", flush=True)


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| site | lessons | query | KB gz fetched | files | ms to results | ms after last file |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for row in rows:
        name = f"{row['label']} ({row['engine']})" if row["engine"] != "ours" else row["label"]
        lines.append(f"| {name} | {row['lessons']} | {row['query']} | {row['kb']} | {row['files']} | "
                     f"{row['total_ms']} | {row['after_fetch_ms']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="250,1000,4000")
    parser.add_argument("--queries", default=",".join(QUERIES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site", type=Path, action="append", default=[], help="measure a built site (repeatable)")
    parser.add_argument("--label", default="", help="the name of the site(s) in the output")
    parser.add_argument("--keep", type=Path, help="keep the corpora, projects and sites here")
    parser.add_argument("--pagefind", action="store_true", help="also index the sites with Pagefind and measure it")
    parser.add_argument("--pagefind-env", type=Path, default=Path("/tmp/pagefind-env"))
    parser.add_argument("--pagefind-reuse", action="store_true",
                        help="with --site: measure the Pagefind index a site already has")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    queries = [query for query in args.queries.split(",") if query]
    rows: list[dict[str, Any]] = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="lardom-search-"))
    chromium = Chromium()
    try:
        targets: list[tuple[str | int, Path]] = []
        if args.site:
            targets = [(_lessons(site), site) for site in args.site]
        else:
            for count in (int(size) for size in args.sizes.split(",")):
                print(f"N = {count}", flush=True)
                targets.append((count, build_site(count, work / str(count))))
                files, raw, packed = index_bytes(targets[-1][1])
                print(f"  index (sv): {files} files, {raw / 1e6:.1f} MB, {packed / 1e6:.2f} MB gzipped", flush=True)
                report(args.label or "ours", count, targets[-1][1], chromium, queries, args.repeat, rows)
                if args.pagefind:
                    took = pagefind_index(targets[-1][1], args.pagefind_env)
                    print(f"  pagefind indexed the site in {took:.1f} s", flush=True)
                    report(args.label or "ours", count, targets[-1][1], chromium, queries, args.repeat, rows,
                           "pagefind")
        if args.site:
            for name, site in targets:
                print(f"N = {name}: {site}", flush=True)
                report(args.label or str(name), name, site, chromium, queries, args.repeat, rows)
                if args.pagefind:
                    if not (args.pagefind_reuse and (site / "pagefind").is_dir()):
                        took = pagefind_index(site, args.pagefind_env)
                        print(f"  pagefind indexed the site in {took:.1f} s", flush=True)
                    report(args.label or str(name), name, site, chromium, queries, args.repeat, rows, "pagefind")
    finally:
        chromium.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(markdown(rows))
    ours = [row for row in rows if row["engine"] == "ours" and str(row["lessons"]) == "4000"]
    if ours:
        worst_kb = max(row["kb"] for row in ours)
        worst_ms = max(row["after_fetch_ms"] for row in ours)
        print(f"\nAt 4000 lessons: at most {worst_kb} KB gzipped (target {BUDGET_BYTES // 1000}), "
              f"results at most {worst_ms} ms after the last file (target {BUDGET_MS}).")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
