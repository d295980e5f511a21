"""`lardom preview`'s own server: serves a built site, rebuilds on save, reloads the browser.

The build itself is not here: the server is given a `rebuild` function that
takes the set of changed source files and returns a `BuildReport`. The server

- serves `site_dir` as a static host would (folders as `index.html`, the
  language's `404.html`, no listings, nothing outside the folder), never
  cached, and always from the files as they are, also while a rebuild runs;
- watches the source folders and calls `rebuild` in one worker thread, a
  short quiet time (`debounce`) after the last change, never two at once;
- adds to every HTML page a small script that long-polls
  `/.lardom/reload?epoch=N` and reloads the page when a rebuild has finished;
- while the last rebuild found problems, answers every page with an error
  page that lists them (at once, never holding the request), in the editor's
  language, which reloads by itself as soon as the site builds again.
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
import socket
import stat
import string
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

RELOAD_PATH = "/.lardom/reload"
RELOAD_WAIT = 25.0  # seconds a reload poll is held before it answers "same"; below common proxy/browser timeouts

# What a static host sends for the files this site has; anything else as Python guesses it.
_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".mjs": "text/javascript", ".json": "application/json", ".map": "application/json",
    ".xml": "application/xml", ".rdf": "application/rdf+xml", ".svg": "image/svg+xml",
    ".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown", ".webmanifest": "application/manifest+json",
    ".ico": "image/x-icon", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".woff": "font/woff",
    ".woff2": "font/woff2", ".pdf": "application/pdf",
}
_TEXTUAL = re.compile(r"^(text/|application/(json|xml|javascript)$|application/.+\+(xml|json)$|image/svg\+xml$)")

# Editors' own files beside the ones they edit: vim's swap files and its write test, backups, Emacs locks.
_EDITOR_FILE = re.compile(r"(\.sw[a-px]|~)$|^\.#|^4913$")
_BUILD_EVENTS = frozenset({"created", "modified", "deleted", "moved"})  # not opened/closed: reading is no change

# The position at the start of a problem line, shown as code: "lessons/x.sv.md:12:3: message".
_POSITION = re.compile(r"^(?P<where>\S(?:.*?\S)?:\d+:\d+): (?P<text>.*)$", re.DOTALL)

# The reload script's text is the same on every page (the epoch is an attribute), so one CSP hash would cover it.
# It never throws: a failed poll (server gone or restarting) is tried again a second later. Only a visible
# tab polls (a hidden one catches up when shown): each poll holds one of the browser's few connections
# to the host, and ten open tabs would otherwise leave none for loading a page.
_RELOAD_SCRIPT = string.Template("""(function () {
  var epoch = document.currentScript.getAttribute("data-epoch");
  var running = null;
  function poll() {
    if (document.hidden || running) { return; }
    var controller = running = new AbortController();
    fetch("$reload_path?epoch=" + epoch, {cache: "no-store", signal: controller.signal})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (answer) {
        if (answer === "reload") { location.reload(); return; }
        if (running === controller) { running = null; poll(); }
      }, function () {
        if (running === controller) { running = null; setTimeout(poll, 1000); }
      });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && running) { var controller = running; running = null; controller.abort(); }
    poll();
  });
  poll();
})();""").substitute(reload_path=RELOAD_PATH)

_ERROR_STYLE = """body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem;
  color: #1a1a1a; background: #fff; }
h1 { color: #a4000f; font-size: 1.6rem; }
li { margin: 0.5rem 0; overflow-wrap: anywhere; }
code { font: 0.95em ui-monospace, monospace; background: #f1f1f1; padding: 0.1em 0.3em; }"""


@dataclass(frozen=True)
class BuildReport:
    """What a rebuild says: `problems` are finished lines in the editor's language
    (`lessons/x.sv.md:12:3: message`), none if the site is good; `written` the site
    paths that changed, for the log."""

    problems: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    # Work that open pages need not wait for (a search index, feeds): done after they are
    # told to reload, before the next rebuild. What it returns is not used.
    then: Callable[[], object] | None = None


class PreviewServer:
    """Serve `site_dir`, rebuild it with `rebuild` when a file under `watch` changes.

    `words(key, **params)` gives the interface words in `language`. Port 0 picks a
    free port (see `address`). `reload_wait` is how long a reload poll is held.
    """

    def __init__(self, site_dir: Path, rebuild: Callable[[frozenset[Path]], BuildReport],
                 watch: Sequence[Path], words: Callable[..., str], language: str,
                 host: str = "127.0.0.1", port: int = 8000, debounce: float = 0.05,
                 log: Callable[[str], None] = print, *, reload_wait: float = RELOAD_WAIT):
        self.site_dir = Path(site_dir)
        self.rebuild = rebuild
        self.watch = tuple(Path(path) for path in watch)
        self.words = words
        self.language = language
        self.host = host
        self.port = port
        self.debounce = debounce
        self.log = log
        self.reload_wait = reload_wait
        # One lock for all shared state; two conditions on it so file events do not wake reload polls.
        self._lock = threading.Lock()
        self._epoch_changed = threading.Condition(self._lock)
        self._changes_arrived = threading.Condition(self._lock)
        self._epoch = 0
        self._problems: tuple[str, ...] = ()
        self._changes: set[Path] = set()
        self._last_change = 0.0
        self._stopping = False
        self._httpd: _HTTPServer | None = None
        self._observer: BaseObserver | None = None  # `Observer` is the platform's kind of one
        self._threads: list[threading.Thread] = []

    # --- running ---------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int]:
        """The address the server is bound to (the asked one before `start`)."""
        if self._httpd is None:
            return self.host, self.port
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def epoch(self) -> int:
        """How many rebuilds have finished (a page served at another epoch reloads)."""
        with self._lock:
            return self._epoch

    def start(self) -> None:
        """Bind, serve, watch, run the first build (returns when it is done), then rebuild on changes."""
        self._httpd = httpd = _HTTPServer((self.host, self.port), self)
        # Serve during the first build too: a page asked for meanwhile gets the files
        # as they are and reloads when the build is done, instead of waiting on a socket.
        # A short poll interval: `stop` (Ctrl+C) waits for one.
        self._spawn(lambda: httpd.serve_forever(poll_interval=0.05), "preview-http")
        self.log(self.words("preview.listening", address=_url(self.address)))
        # Watch before the first build, so that a save during it is not lost.
        self._observer = observer = Observer()
        handler = _ChangeHandler(self)
        for path in self.watch:
            if path.exists():
                observer.schedule(handler, str(path), recursive=path.is_dir())
        observer.daemon = True
        observer.start()
        self._build(frozenset())
        self._spawn(self._rebuild_loop, "preview-rebuild")

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._epoch_changed.notify_all()
            self._changes_arrived.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        # A rebuild in progress is not waited for long: Ctrl+C should stop the preview at once.
        for thread in self._threads:
            thread.join(timeout=1)
        self._threads.clear()

    def serve_forever(self) -> None:
        """`start`, then run until Ctrl+C, then `stop`."""
        try:
            self.start()  # inside: Ctrl+C during the first build stops too
            while True:
                time.sleep(0.5)  # short sleeps: the main thread must stay able to take KeyboardInterrupt
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # --- watching and rebuilding -----------------------------------------------------

    def changed(self, path: Path) -> None:
        """Note a changed source file; it is rebuilt after `debounce` seconds without another change."""
        with self._lock:
            self._changes.add(path)
            self._last_change = time.monotonic()
            self._changes_arrived.notify_all()

    def _rebuild_loop(self) -> None:
        while True:
            with self._lock:
                while not self._stopping and not self._changes:
                    self._changes_arrived.wait()
                while not self._stopping:
                    quiet = self._last_change + self.debounce - time.monotonic()
                    if quiet <= 0:
                        break
                    self._changes_arrived.wait(quiet)
                if self._stopping:
                    return
                changes = frozenset(self._changes)
                self._changes.clear()
            self._build(changes)  # outside the lock: requests and new changes go on meanwhile

    def _build(self, changes: frozenset[Path]) -> None:
        started = time.monotonic()
        try:
            report = self.rebuild(changes)
        except Exception as error:  # a bug in the build, not in the content: say it and keep serving
            self.log(traceback.format_exc().rstrip())
            report = BuildReport(problems=(f"{type(error).__name__}: {error}",))
        seconds = time.monotonic() - started
        with self._lock:
            self._problems = tuple(report.problems)
            self._epoch += 1
            self._epoch_changed.notify_all()
        self.log(self._report_line(report, seconds, len(changes)))
        if report.then is not None:
            try:
                report.then()
            except Exception:  # a bug, not a content error: say it and keep serving
                self.log(traceback.format_exc().rstrip())

    def _report_line(self, report: BuildReport, seconds: float, count: int) -> str:
        if report.problems:
            return "\n".join((self.words("preview.failed", count=len(report.problems)), *report.problems))
        # The decimal separator of the editor's language (Swedish writes 0,4).
        shown = f"{seconds:.1f}".replace(".", "," if self.language == "sv" else ".")
        line = self.words("preview.rebuilt", seconds=shown, count=count)
        if report.written:
            more = len(report.written) - 3
            paths = ", ".join(report.written[:3]) + (f" (+{more})" if more > 0 else "")
            line += " " + self.words("preview.written", paths=paths)
        return line

    def is_ignored(self, path: str) -> bool:
        """Whether a changed path is no source: an editor's own file, or the built site itself."""
        if _EDITOR_FILE.search(os.path.basename(path)):
            return True
        real = os.path.realpath(path)
        site = os.path.realpath(self.site_dir)
        return real == site or real.startswith(site + os.sep)

    # --- what a request gets ---------------------------------------------------------

    def state(self) -> tuple[int, tuple[str, ...]]:
        with self._lock:
            return self._epoch, self._problems

    def wait_for_epoch_change(self, epoch: int) -> str:
        """Hold a reload poll until a rebuild finishes (`reload`) or for `reload_wait` (`same`)."""
        deadline = time.monotonic() + self.reload_wait
        with self._lock:
            while self._epoch == epoch and not self._stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "same"
                self._epoch_changed.wait(left)
            return "same" if self._epoch == epoch else "reload"

    def reload_script(self, epoch: int) -> str:
        return f'<script data-epoch="{epoch}">{_RELOAD_SCRIPT}</script>'

    def error_page(self, problems: tuple[str, ...], epoch: int) -> str:
        """The page every HTML request gets while the site does not build."""
        title = html.escape(self.words("preview.error.title"))
        items = "\n".join(f"<li>{_problem_html(line)}</li>" for line in problems)
        return (f'<!DOCTYPE html>\n<html lang="{html.escape(self.language)}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{title}</title>\n<style>\n{_ERROR_STYLE}\n</style>\n</head>\n<body>\n<main>\n"
                f"<h1>{title}</h1>\n<p>{html.escape(self.words('preview.error.intro'))}</p>\n"
                f"<ol>\n{items}\n</ol>\n</main>\n{self.reload_script(epoch)}\n</body>\n</html>\n")


def _problem_html(line: str) -> str:
    match = _POSITION.match(line)
    if not match:
        return html.escape(line)
    return f"<code>{html.escape(match.group('where'))}</code>: {html.escape(match.group('text'))}"


def _url(address: tuple[str, int]) -> str:
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def content_type(path: Path) -> str:
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if _TEXTUAL.match(kind) else kind


class _ChangeHandler(FileSystemEventHandler):
    def __init__(self, server: PreviewServer):
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in _BUILD_EVENTS:
            return
        paths = [event.src_path, event.dest_path] if event.event_type == "moved" else [event.src_path]
        for raw in paths:
            path = os.fsdecode(raw)
            if path and not self.server.is_ignored(path):
                self.server.changed(Path(os.path.abspath(path)))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: PreviewServer):
        self.app = app
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        # A browser that leaves a page drops its reload poll: nothing to report.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a page's assets over a few connections
    timeout = 60  # an idle kept-alive connection is closed after this
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for rebuild lines, not one line per request

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        app = self.server.app
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_PATH:
            return self._reload(url.query)
        epoch, problems = app.state()
        path = urllib.parse.unquote(url.path)
        segments = [segment for segment in path.split("/") if segment]
        if not path.startswith("/") or "\x00" in path or "\\" in path or ".." in segments:
            return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad request\n")
        root = Path(os.path.realpath(app.site_dir))
        target = root.joinpath(*segments)
        found = _file_kind(target)
        if found == "folder" and not path.endswith("/"):
            location = urllib.parse.quote(path + "/") + (f"?{url.query}" if url.query else "")
            return self._send(HTTPStatus.FOUND, "text/plain; charset=utf-8", b"", Location=location)
        if found == "folder":
            target = target / "index.html"
            found = _file_kind(target)
        kind = content_type(target)
        if problems and (path.endswith(("/", ".html")) or (found == "file" and kind.startswith("text/html"))):
            page = app.error_page(problems, epoch).encode("utf-8")
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page)
        body = _read_inside(root, target)
        if body is None:
            return self._not_found(root, segments, epoch)
        if kind.startswith("text/html"):
            body = _with_script(body, app.reload_script(epoch))
        self._send(HTTPStatus.OK, kind, body)

    def _reload(self, query: str) -> None:
        try:
            epoch = int(urllib.parse.parse_qs(query)["epoch"][0])
        except (KeyError, ValueError):
            return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"epoch?\n")
        answer = self.server.app.wait_for_epoch_change(epoch)
        self._send(HTTPStatus.OK, "text/plain; charset=utf-8", answer.encode("ascii"))

    def _not_found(self, root: Path, segments: list[str], epoch: int) -> None:
        # Each language's own 404 page (en/404.html for /en/...), as the deployed site has.
        candidates = ([root / segments[0] / "404.html"] if segments else []) + [root / "404.html"]
        body = None
        for candidate in candidates:
            body = _read_inside(root, candidate)
            if body is not None:
                break
        else:
            # Still a page with the reload script, so that it turns into the page once it is built.
            body = b"<!DOCTYPE html>\n<title>404</title>\n<p>404 Not Found</p>\n"
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8",
                   _with_script(body, self.server.app.reload_script(epoch)))

    def _send(self, status: HTTPStatus, kind: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _file_kind(path: Path) -> str | None:
    """"file", "folder", or None for anything else, a missing path or a name the system refuses (too long)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else None


def _read_inside(root: Path, target: Path) -> bytes | None:
    """The file's bytes, or None if it is missing, not a file, or (through a link) outside `root`."""
    real = Path(os.path.realpath(target))
    if real != root and root not in real.parents:
        return None
    try:
        return real.read_bytes() if real.is_file() else None
    except OSError:  # removed or replaced by the rebuild in between
        return None


def _with_script(page: bytes, script: str) -> bytes:
    """The page with the reload script before its last `</body>`, or at its end."""
    at = page.lower().rfind(b"</body>")
    code = script.encode("utf-8")
    return page + code if at < 0 else page[:at] + code + page[at:]
