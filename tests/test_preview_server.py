"""`lardom preview`'s server with a fake build: real HTTP on a free port, real file writes."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as BrowserError

from lardomsbanken.cli.main import Words
from lardomsbanken.cli.preview_server import RELOAD_PATH, BuildReport, PreviewServer

DATA = Path(__file__).resolve().parent.parent / "data"
DEBOUNCE = 0.15

PAGES = {
    "index.html": "<!DOCTYPE html><html lang=sv><body><h1>Startsida</h1></body></html>",
    "404.html": "<html><body><h1>Sidan finns inte</h1></body></html>",
    "lardomar/zink/index.html": "<html><body><h1>Zink</h1></BODY></html>",
    "en/index.html": "<html><body><h1>Home</h1></body></html>",
    "en/404.html": "<html><body><h1>Page not found</h1></body></html>",
    "bare.html": "<h1>No body element</h1>",
    "assets/site.css": "body { color: black; }",
    "assets/logo.png": "\x89PNG",
    "search/index.json": '{"docs": []}',
}


class FakeBuild:
    """A rebuild that records its calls and returns (or raises) what the test sets."""

    def __init__(self):
        self.calls: list[frozenset[Path]] = []
        self.report = BuildReport()
        self.error: Exception | None = None
        self.delay = 0.0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, changed: frozenset[Path]) -> BuildReport:
        with self._lock:
            self.calls.append(changed)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay)
            if self.error:
                raise self.error
            return self.report
        finally:
            with self._lock:
                self.running -= 1


class Preview:
    def __init__(self, tmp_path: Path, watch_root: bool = False, **options):
        self.site = tmp_path / "site"
        self.lessons = tmp_path / "lessons"
        for name, text in PAGES.items():
            (self.site / name).parent.mkdir(parents=True, exist_ok=True)
            (self.site / name).write_text(text, encoding="utf-8")
        self.lessons.mkdir()
        self.build = FakeBuild()
        self.lines: list[str] = []
        self.server = PreviewServer(self.site, self.build, [tmp_path if watch_root else self.lessons],
                                    Words.load(DATA, "sv"), "sv", port=0, debounce=DEBOUNCE,
                                    log=self.lines.append, **options)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(*self.server.address, timeout=5)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def save(self, name: str, text: str = "x") -> Path:
        """Write a source file and wait for the rebuild it causes."""
        epoch = self.server.epoch
        path = self.lessons / name
        path.write_text(text, encoding="utf-8")
        wait_until(lambda: self.server.epoch > epoch and not self.build.running, f"the rebuild after saving {name}")
        return path


def wait_until(condition, what: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@pytest.fixture
def preview(tmp_path):
    preview = Preview(tmp_path)
    preview.server.start()
    yield preview
    preview.server.stop()


def test_pages_and_folders_are_served_as_a_static_host_would(preview):
    status, headers, body = preview.get("/")
    assert status == 200 and "<h1>Startsida</h1>" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert "<h1>Zink</h1>" in preview.get("/lardomar/zink/")[2]
    assert "<h1>Zink</h1>" in preview.get("/lardomar/zink/index.html")[2]

    status, headers, _ = preview.get("/lardomar/zink?q=1")
    assert status in (301, 302) and headers["Location"] == "/lardomar/zink/?q=1"

    status, headers, body = preview.get("/assets/site.css")
    assert (status, headers["Content-Type"], body) == (200, "text/css; charset=utf-8", PAGES["assets/site.css"])
    assert preview.get("/assets/logo.png")[1]["Content-Type"] == "image/png"
    assert preview.get("/search/index.json")[1]["Content-Type"] == "application/json; charset=utf-8"

    # A folder without index.html is not listed.
    status, _, body = preview.get("/assets/")
    assert status == 404 and "site.css" not in body

    # HEAD: the headers of GET and no body (else the next answer on the connection would be garbled).
    connection = http.client.HTTPConnection(*preview.server.address, timeout=5)
    connection.request("HEAD", "/")
    head = connection.getresponse()
    head.read()
    connection.request("GET", "/assets/site.css")
    assert connection.getresponse().read().decode() == PAGES["assets/site.css"]
    connection.close()
    assert head.status == 200 and int(head.headers["Content-Length"]) == len(preview.get("/")[2].encode())


def test_a_missing_path_gets_its_languages_404_page(preview):
    status, headers, body = preview.get("/en/lessons/nothing/")
    assert status == 404 and "Page not found" in body and headers["Content-Type"].startswith("text/html")
    status, _, body = preview.get("/lardomar/inget/")
    assert status == 404 and "Sidan finns inte" in body
    assert "Sidan finns inte" in preview.get("/saknas.css")[2]

    (preview.site / "404.html").unlink()
    status, _, body = preview.get("/inget/")
    assert status == 404 and "404" in body and "Page not found" not in body
    assert preview.get("/" + "x" * 300 + "/")[0] == 404  # a name too long for the file system


def test_paths_outside_the_site_are_refused(preview, tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (preview.site / "link.txt").symlink_to(tmp_path / "secret.txt")
    (preview.site / "linked").symlink_to(tmp_path, target_is_directory=True)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/en/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt",
                 "/..%5csecret.txt", "/link.txt", "/linked/secret.txt", "//secret.txt",
                 "/../lessons"):  # not even a redirect that would tell an outside folder exists
        status, _, body = preview.get(path)
        assert status in (400, 403, 404) and "SECRET" not in body, path


def test_the_reload_script_is_added_to_html_only(preview):
    epoch = preview.server.epoch
    script = f'<script data-epoch="{epoch}">'
    for path in ("/", "/lardomar/zink/", "/en/nothing/"):
        body = preview.get(path)[2]
        assert body.count(script) == 1 and RELOAD_PATH in body, path
        assert body.index(script) < body.lower().index("</body>"), path
    assert preview.get("/bare.html")[2].startswith(PAGES["bare.html"] + script)
    for path in ("/assets/site.css", "/search/index.json"):
        assert "<script" not in preview.get(path)[2], path


def test_the_reload_poll_answers_when_a_rebuild_has_finished(preview):
    answers = []
    epoch = preview.server.epoch
    poll = threading.Thread(target=lambda: answers.append(preview.get(f"{RELOAD_PATH}?epoch={epoch}")))
    poll.start()
    time.sleep(0.2)
    assert poll.is_alive(), "the poll answered before any rebuild"
    preview.save("zink.sv.md")
    poll.join(timeout=5)
    assert answers and answers[0][0] == 200 and answers[0][2] == "reload"
    # A page served before the last rebuild is told at once.
    assert preview.get(f"{RELOAD_PATH}?epoch={epoch}")[2] == "reload"
    assert preview.get(f"{RELOAD_PATH}?epoch=x")[0] == 400


def test_the_reload_poll_says_same_after_waiting(tmp_path):
    preview = Preview(tmp_path, reload_wait=0.3)
    preview.server.start()
    try:
        started = time.monotonic()
        assert preview.get(f"{RELOAD_PATH}?epoch={preview.server.epoch}")[2] == "same"
        assert 0.25 < time.monotonic() - started < 2
    finally:
        preview.server.stop()


def test_a_burst_of_writes_is_one_rebuild_with_the_changed_path(preview):
    assert preview.build.calls == [frozenset()]  # the first build
    path = preview.lessons / "zink.sv.md"
    for number in range(5):
        path.write_text(f"version {number}", encoding="utf-8")
        time.sleep(DEBOUNCE / 5)
    wait_until(lambda: len(preview.build.calls) == 2, "the rebuild")
    time.sleep(DEBOUNCE * 3)  # a second rebuild would have come by now
    assert preview.build.calls[1:] == [frozenset({path})]

    moved = path.rename(preview.lessons / "zinc.sv.md")
    wait_until(lambda: len(preview.build.calls) == 3, "the rebuild after a move")
    assert preview.build.calls[2] == {path, moved}
    moved.unlink()
    wait_until(lambda: len(preview.build.calls) == 4, "the rebuild after a removal")
    assert preview.build.calls[3] == {moved}


def test_editor_files_and_the_site_itself_are_no_changes(tmp_path):
    preview = Preview(tmp_path, watch_root=True)  # the site folder is inside the watched one
    preview.server.start()
    try:
        for name in (".zink.sv.md.swp", "zink.sv.md~", ".#zink.sv.md", "4913"):
            (preview.lessons / name).write_text("x", encoding="utf-8")
        (preview.site / "lardomar" / "zink" / "index.html").write_text("<p>built</p>", encoding="utf-8")
        (preview.lessons / "sub").mkdir()
        real = preview.save("zink.sv.md")
        assert preview.build.calls == [frozenset(), frozenset({real})]
    finally:
        preview.server.stop()


PROBLEMS = ("lessons/zink.sv.md:12:3: Fältet <title> saknas & måste fyllas i.",
            "lessons/bly.sv.md:1:1: Okänt tema 'x\"y'.")


def test_problems_give_an_error_page_at_once_while_css_is_served(preview):
    preview.build.report = BuildReport(problems=PROBLEMS)
    preview.save("zink.sv.md")
    for path in ("/", "/lardomar/zink/", "/en/index.html", "/en/lessons/new/"):
        started = time.monotonic()
        status, headers, body = preview.get(path)
        assert time.monotonic() - started < 0.5
        assert status == 500 and headers["Content-Type"] == "text/html; charset=utf-8", path
        assert body.startswith("<!DOCTYPE html>") and '<html lang="sv">' in body
        assert "<h1>Webbplatsen kan inte byggas</h1>" in body and "Rätta felen nedan" in body
        assert ("<li><code>lessons/zink.sv.md:12:3</code>: Fältet &lt;title&gt; saknas &amp; måste fyllas i.</li>"
                in body)
        assert "<li><code>lessons/bly.sv.md:1:1</code>: Okänt tema &#x27;x&quot;y&#x27;.</li>" in body
        assert body.index("<ol>") < body.index("<li>") and RELOAD_PATH in body
        assert "<h1>Startsida</h1>" not in body
    status, _, body = preview.get("/assets/site.css")
    assert (status, body) == (200, PAGES["assets/site.css"])
    assert preview.get("/search/index.json")[0] == 200
    assert preview.lines[-1] == "\n".join(("Bygget misslyckades: 2 fel.", *PROBLEMS))

    preview.build.report = BuildReport(written=("index.html",))
    preview.save("zink.sv.md", "fixed")
    status, _, body = preview.get("/")
    assert status == 200 and "<h1>Startsida</h1>" in body
    assert preview.lines[-1].startswith("Byggd på ") and "(ändrade källfiler: 1)" in preview.lines[-1]


def test_requests_are_answered_while_a_slow_rebuild_runs(preview):
    preview.build.delay = 1.5
    first = preview.lessons / "zink.sv.md"
    first.write_text("x", encoding="utf-8")
    wait_until(lambda: preview.build.running, "the slow rebuild to start")
    for path in ("/", "/assets/site.css"):
        started = time.monotonic()
        assert preview.get(path)[0] == 200
        assert time.monotonic() - started < 0.5, path
    # A change during the rebuild waits for the next one: rebuilds never overlap.
    preview.build.delay = 0
    second = preview.lessons / "bly.sv.md"
    second.write_text("x", encoding="utf-8")
    wait_until(lambda: len(preview.build.calls) == 3 and not preview.build.running, "the second rebuild")
    assert preview.build.calls[1:] == [frozenset({first}), frozenset({second})]
    assert preview.build.most_at_once == 1


def test_an_exception_in_rebuild_is_shown_and_the_server_keeps_serving(tmp_path):
    preview = Preview(tmp_path)
    preview.build.error = KeyError("<lesson>")
    preview.server.start()  # the first build fails already
    try:
        status, _, body = preview.get("/")
        assert status == 500 and "<li>KeyError: &#x27;&lt;lesson&gt;&#x27;</li>" in body
        assert any("Traceback" in line and "KeyError" in line for line in preview.lines)
        assert preview.get("/assets/site.css")[0] == 200

        preview.build.error = None
        preview.save("zink.sv.md")
        assert preview.get("/")[0] == 200
    finally:
        preview.server.stop()


def test_stop_ends_serving_and_watching(tmp_path):
    preview = Preview(tmp_path)
    preview.server.start()
    address = preview.server.address
    assert preview.lines[0] == f"Förhandsvisningen finns på http://{address[0]}:{address[1]}/ (engelska under /en/). Avsluta med Ctrl+C."
    poll = threading.Thread(target=lambda: preview.get(f"{RELOAD_PATH}?epoch={preview.server.epoch}"))
    poll.start()
    time.sleep(0.1)
    started = time.monotonic()
    preview.server.stop()
    poll.join(timeout=5)
    assert time.monotonic() - started < 2 and not poll.is_alive()
    with pytest.raises(OSError):
        preview.get("/")
    (preview.lessons / "zink.sv.md").write_text("x", encoding="utf-8")
    time.sleep(DEBOUNCE * 3)
    assert len(preview.build.calls) == 1


def test_an_open_page_shows_the_errors_and_comes_back_by_itself(preview, browser):
    def heading() -> str | None:
        try:
            return tab.evaluate("document.querySelector('h1') && document.querySelector('h1').textContent")
        except BrowserError:  # between two documents while the page reloads
            return None

    with browser.new_tab() as tab:
        tab.open("http://{}:{}/lardomar/zink/".format(*preview.server.address))
        assert heading() == "Zink"
        preview.build.report = BuildReport(problems=PROBLEMS)
        preview.save("zink.sv.md")
        wait_until(lambda: heading() == "Webbplatsen kan inte byggas", "the error page in the browser")
        preview.build.report = BuildReport()
        preview.save("zink.sv.md", "fixed")
        wait_until(lambda: heading() == "Zink", "the page back in the browser")
