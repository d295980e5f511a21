"""Headless Chromium for the browser tests, driven by Playwright for Python (sync API).

Playwright drives the system Chromium (`/usr/bin/chromium`, or `$CHROMIUM`) through
`executable_path`: no browser is downloaded and `playwright install` is never needed
(the pip wheel carries Playwright's own driver). Use:

    browser.open(server.url("/en/lardomar/"))   # navigate, wait for load, record requests
    browser.evaluate("document.title")          # any JS; promises are awaited
    browser.press("Tab"); browser.press("Tab", shift=True); browser.press("Enter")
    browser.focused()                           # {"tag": "a", "text": …, "selector": …}
    browser.requests                            # every URL the page (and its workers) asked for
    browser.page                                # the Playwright Page, for anything else
    with browser.new_tab(width=390, height=844, mobile=True) as phone: …   # a tab of its own
    with browser.page.add_init_script(js): …    # runs in every page opened in the block (axe)

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
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Request, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from sitebuild import Site, build, make_github_project, make_project

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WINDOW = (1280, 900)  # wide enough for Material's desktop layout (sidebars shown)
TIMEOUT = 20.0

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
    """One tab of the browser: a Playwright page, and the log of what it requested."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.last_request = time.monotonic()  # when the latest of them started
        # Requests of the page's dedicated workers are reported as the page's too.
        self.page.on("request", self._record)

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)
        self.last_request = time.monotonic()

    def settle(self, quiet: float = 0.3, limit: float = 5.0, since: float | None = None) -> None:
        """Keep listening until no request has started for `quiet` seconds, counted from now or
        from `since` (a `time.monotonic()` in the past), at most `limit` seconds."""
        now = time.monotonic()
        deadline, start = now + limit, now if since is None else since
        while (wait := min(quiet - (now - max(start, self.last_request)), deadline - now)) > 0:
            self.page.wait_for_timeout(wait * 1000)  # requests are recorded while it waits
            now = time.monotonic()

    def open(self, url: str, settle: float = 0.3, wait_until: str = "load") -> None:
        """Navigate the tab, wait for the load event (or another of Playwright's `wait_until`)
        and the requests that follow it; the request log starts anew."""
        self.requests = []
        self.page.goto(url, wait_until=wait_until)
        self.settle(settle)

    def evaluate(self, expression: str) -> Any:
        """The value of a JS expression in the page (JSON-like); a promise is awaited."""
        return self.page.evaluate(expression)

    def press(self, key: str, shift: bool = False) -> None:
        """Press and release a key: Tab, Enter, Space, Escape, arrows, Home, End, or a character."""
        self.page.keyboard.press(f"Shift+{key}" if shift else key)
        self.settle(0.05, limit=1.0)

    def focused(self) -> dict | None:
        """The focused element: tag, id, classes, text, label, href, role, lang, selector, box; None for the body."""
        return self.evaluate(_FOCUSED_JS)

    def location(self) -> str:
        return self.evaluate("location.href")


class Browser(Tab):
    """One headless Chromium, and its first tab: `browser.open(url)` and so on act in that tab."""

    def __init__(self, executable: str = CHROMIUM) -> None:
        if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
            raise BrowserError(
                f"Chromium not found at {executable}: the browser tests need it. Install it with "
                "`apt-get install -y chromium` (as .ci/run does) or set CHROMIUM to its path.")
        self._playwright: Playwright = sync_playwright().start()
        try:
            self._chromium = self._playwright.chromium.launch(executable_path=executable, timeout=TIMEOUT * 1000)
            self.context = self._new_context(*WINDOW, mobile=False)
            super().__init__(self.context.new_page())
        except Exception:
            self._playwright.stop()
            raise

    def _new_context(self, width: int, height: int, mobile: bool) -> BrowserContext:
        context = self._chromium.new_context(viewport={"width": width, "height": height},
                                             device_scale_factor=1, is_mobile=mobile)
        context.set_default_timeout(TIMEOUT * 1000)
        return context

    @contextmanager
    def new_tab(self, width: int = WINDOW[0], height: int = WINDOW[1], mobile: bool = False) -> Iterator[Tab]:
        """Another tab, `width`×`height` CSS pixels, closed after the block. It shares the first
        tab's browser context, as the tabs of one window share storage, cache and renderer
        processes (a context per tab would start a renderer process per page opened); a tab
        shown `mobile`, as a phone shows a page, is a context of its own."""
        context = self._new_context(width, height, mobile=True) if mobile else None
        page = (context or self.context).new_page()
        if not mobile and (width, height) != WINDOW:
            page.set_viewport_size({"width": width, "height": height})
        try:
            yield Tab(page)
        finally:
            page.close()
            if context:
                context.close()

    def close(self) -> None:
        try:
            self._chromium.close()
        finally:
            self._playwright.stop()


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
    except (BrowserError, PlaywrightError) as error:
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
