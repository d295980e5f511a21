"""A small headless-Chromium harness for the browser tests, over the DevTools Protocol.

No Playwright or Selenium and no browser downloads: it drives the system
Chromium (`/usr/bin/chromium`, or `$CHROMIUM`) through one WebSocket. Use:

    browser.open(server.url("/en/lardomar/"))   # navigate, wait for load, record requests
    browser.evaluate("document.title")          # any JS; promises are awaited
    browser.press("Tab"); browser.press("Tab", shift=True); browser.press("Enter")
    browser.focused()                           # {"tag": "a", "text": …, "selector": …}
    browser.requests                            # every URL the page (and its workers) asked for
    with browser.viewport(390, 844): …          # a phone-sized tab for the block
    browser.add_script(js)                      # run in every page opened later (axe-core)

Fixtures (registered in conftest.py): `browser`, one Chromium for the whole
session, and `served_site`, the fixture site built once per test run and
served over HTTP on 127.0.0.1 (missing paths get the root 404.html, as on a
static host); `served_github_site`, the same with the held-out lessons written
with every GitHub extension (tests/fixtures/github_lessons). If Chromium is
missing the tests fail; they never skip. Every test that uses `browser` is
marked `browser`: `pytest -m "not browser"` runs the others.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import websocket
from sitebuild import Site, build, make_github_project, make_project

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WINDOW = (1280, 900)  # wide enough for Material's desktop layout (sidebars shown)
TIMEOUT = 20.0

# Input.dispatchKeyEvent fields per key name: (code, Windows virtual key code, text typed).
KEYS: dict[str, tuple[str, int, str]] = {
    "Tab": ("Tab", 9, ""),
    "Enter": ("Enter", 13, "\r"),
    " ": ("Space", 32, " "),
    "Space": ("Space", 32, " "),
    "Escape": ("Escape", 27, ""),
    "ArrowDown": ("ArrowDown", 40, ""),
    "ArrowUp": ("ArrowUp", 38, ""),
    "ArrowLeft": ("ArrowLeft", 37, ""),
    "ArrowRight": ("ArrowRight", 39, ""),
    "Home": ("Home", 36, ""),
    "End": ("End", 35, ""),
}
SHIFT = 8  # CDP modifier bit

# Describes the focused element (a <slot> or the body when nothing is focused).
_FOCUSED_JS = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const path = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    let part = node.localName;
    if (node.id) { path.unshift(part + '#' + CSS.escape(node.id)); break; }
    const parent = node.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.localName === node.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
    }
    path.unshift(part);
  }
  const box = el.getBoundingClientRect();
  return {  // the selector is unique: from the nearest id, or from <html>
    tag: el.localName, id: el.id || null, classes: el.className && el.className.baseVal === undefined
      ? el.className : (el.getAttribute('class') || ''),
    text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    label: el.getAttribute('aria-label'), href: el.getAttribute('href'),
    role: el.getAttribute('role'), lang: el.closest('[lang]') && el.closest('[lang]').lang,
    selector: path.join(' > '),
    box: {x: box.x, y: box.y, width: box.width, height: box.height},
  };
})()"""


class BrowserError(RuntimeError):
    pass


class Tab:
    """One browser tab over its own DevTools connection; tabs can be driven from separate threads."""

    def __init__(self, devtools_url: str) -> None:
        self._endpoint = devtools_url
        self._next_id = 0
        self._events: list[dict] = []
        self.requests: list[str] = []
        self._socket = websocket.create_connection(devtools_url, timeout=TIMEOUT, suppress_origin=True)
        self._target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": self._target, "flatten": True})["sessionId"]
        self._prepare_session(self._session)
        self.command("Page.enable")
        self.command("Emulation.setFocusEmulationEnabled", {"enabled": True})
        self.command("Emulation.setDeviceMetricsOverride",
                     {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
        # Workers (Material's search) fetch too: attach to them and record theirs.
        self.command("Target.setAutoAttach",
                     {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})

    def close(self) -> None:
        try:
            self._send("Target.closeTarget", {"targetId": self._target})
        finally:
            self._socket.close()

    # --- protocol ---------------------------------------------------------------

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        wanted = self._next_id  # events handled while waiting may send messages of their own
        message: dict[str, Any] = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            reply = self._receive(deadline - time.monotonic())
            if reply is None:
                continue
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
        raise BrowserError(f"{method}: no answer within {TIMEOUT} s")

    def command(self, method: str, params: dict | None = None) -> dict:
        """A DevTools Protocol command in the tab, e.g. `command("Page.reload")`."""
        return self._send(method, params, self._session)

    def _receive(self, timeout: float) -> dict | None:
        self._socket.settimeout(max(timeout, 0.01))
        try:
            message = json.loads(self._socket.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self._on_event(message)
        return message

    def _on_event(self, event: dict) -> None:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Target.attachedToTarget":
            # A worker: record its requests too, then let it run. Sent without waiting for
            # the answers, which arrive (and are ignored) among later messages.
            session = params["sessionId"]
            for step in ("Network.enable", "Runtime.runIfWaitingForDebugger"):
                self._next_id += 1
                self._socket.send(json.dumps({"id": self._next_id, "method": step, "params": {},
                                              "sessionId": session}))
        self._events.append(event)

    def _prepare_session(self, session: str) -> None:
        self._send("Network.enable", {}, session)
        self._send("Runtime.enable", {}, session)

    def wait_for_event(self, method: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self._events):
                if event["method"] == method and event.get("sessionId") == self._session:
                    return self._events.pop(index)
            if time.monotonic() >= deadline:
                raise BrowserError(f"no {method} within {timeout} s")
            self._receive(deadline - time.monotonic())

    def settle(self, quiet: float = 0.3, limit: float = 5.0) -> None:
        """Keep listening until no request has started for `quiet` seconds."""
        deadline = time.monotonic() + limit
        count, calm_since = len(self.requests), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - calm_since < quiet:
            self._receive(quiet / 3)
            if len(self.requests) != count:
                count, calm_since = len(self.requests), time.monotonic()

    # --- what tests use ---------------------------------------------------------

    def open(self, url: str, settle: float = 0.3) -> None:
        """Navigate the tab, wait for the load event and the requests that follow it."""
        self.requests = []
        self._events = []
        result = self.command("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.wait_for_event("Page.loadEventFired")
        self.settle(settle)

    def add_script(self, source: str) -> str:
        """Runs `source` in every page opened from now on, before the page's own scripts (e.g. axe).
        Returns an id for `remove_script`."""
        return self.command("Page.addScriptToEvaluateOnNewDocument", {"source": source})["identifier"]

    def remove_script(self, identifier: str) -> None:
        self.command("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})

    def evaluate(self, expression: str) -> Any:
        """The value of a JS expression in the page (JSON-like); a promise is awaited."""
        result = self.command("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                   "returnByValue": True, "userGesture": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JS error: {text}")
        return result["result"].get("value")

    def press(self, key: str, shift: bool = False) -> None:
        """Press and release a key: Tab, Enter, Space, Escape, arrows, Home, End, or a character."""
        code, virtual, text = KEYS.get(key, (f"Key{key.upper()}", ord(key.upper()[0]), key))
        base = {"key": " " if key == "Space" else key, "code": code, "windowsVirtualKeyCode": virtual,
                "nativeVirtualKeyCode": virtual, "modifiers": SHIFT if shift else 0}
        down = {**base, "type": "keyDown"} if text else {**base, "type": "rawKeyDown"}
        if text:
            down["text"] = text
        self.command("Input.dispatchKeyEvent", down)
        self.command("Input.dispatchKeyEvent", {**base, "type": "keyUp"})
        self.settle(0.05, limit=1.0)

    def focused(self) -> dict | None:
        """The focused element: tag, id, classes, text, label, href, role, lang, selector, box; None for the body."""
        return self.evaluate(_FOCUSED_JS)

    @contextmanager
    def viewport(self, width: int, height: int, mobile: bool = True) -> Iterator[None]:
        """Within the block, the tab is `width`×`height` CSS pixels (e.g. a phone); then back."""
        self.command("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        try:
            yield
        finally:
            self.command("Emulation.setDeviceMetricsOverride",
                         {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})

    def location(self) -> str:
        return self.evaluate("location.href")

class Browser(Tab):
    """One headless Chromium, and its first tab: `browser.open(url)` and so on act in that tab."""

    def __init__(self, executable: str = CHROMIUM) -> None:
        if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
            raise BrowserError(
                f"Chromium not found at {executable}: the browser tests need it. Install it with "
                "`apt-get install -y chromium` (as .ci/run does) or set CHROMIUM to its path.")
        self._profile = tempfile.mkdtemp(prefix="lardom-chromium-")
        self._process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-extensions", "--no-first-run", "--no-default-browser-check",
             "--remote-debugging-port=0", f"--user-data-dir={self._profile}",
             f"--window-size={WINDOW[0]},{WINDOW[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            super().__init__(self._devtools_url())
        except Exception:
            self._stop()
            raise

    def new_tab(self) -> Tab:
        """Another tab of the same browser, e.g. to audit pages in parallel threads; close it after."""
        return Tab(self._endpoint)

    def _devtools_url(self) -> str:
        deadline = time.monotonic() + TIMEOUT
        seen = []
        assert self._process.stderr is not None
        while time.monotonic() < deadline:
            line = self._process.stderr.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            if match:
                # Keep draining stderr so Chromium never blocks on a full pipe.
                threading.Thread(target=self._process.stderr.read, daemon=True).start()
                return match.group(1)
        raise BrowserError("Chromium did not start:\n" + "".join(seen))

    def close(self) -> None:
        try:
            self._socket.close()
        finally:
            self._stop()

    def _stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        shutil.rmtree(self._profile, ignore_errors=True)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site like a static host: the site's 404.html for any missing path.

    With a `prefix` (`/lardomar/`) the site is served under that sub-path only, as
    on a project site; `headers` are sent with every answer (e.g. a CSP)."""

    prefix = "/"
    extra_headers: dict[str, str] = {}

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix) and path + "/" != self.prefix:
            return str(Path(self.directory) / ".outside-the-prefix")  # no such file: a 404
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer:
    """A built site folder served over HTTP on 127.0.0.1 on a free port, under an optional
    sub-path (`prefix="/lardomar/"`), with optional extra response headers."""

    def __init__(self, root: Path, prefix: str = "/", headers: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = type("Handler", (_SiteHandler,), {"prefix": self.prefix, "extra_headers": dict(headers or {})})
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(handler, directory=str(self.root)))
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        """The address of a site path (`/en/sok/`), under the prefix."""
        return self.origin + self.prefix + path.lstrip("/")

    def pages(self) -> list[str]:
        """The URL path of every HTML page in the site, sorted (without the prefix)."""
        return Site(self.root).urls()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def build_fixture_site(folder: Path, make=make_project) -> Path:
    """Builds the project with the fixture lessons into `folder`; returns the site folder."""
    project = make(folder / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        chromium = Browser()
    except BrowserError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory) -> Iterator[StaticServer]:
    """The fixture site, built once per test run and served on 127.0.0.1; tests only read it."""
    server = StaticServer(build_fixture_site(tmp_path_factory.mktemp("browser-site")))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def served_github_site(tmp_path_factory) -> Iterator[StaticServer]:
    """The fixture site with the held-out GitHub-flavoured lessons, built once per test run and served."""
    server = StaticServer(build_fixture_site(tmp_path_factory.mktemp("browser-github-site"), make_github_project))
    try:
        yield server
    finally:
        server.close()


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
