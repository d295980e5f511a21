"""`mkdocs serve` picks up edits of lessons and vocabularies without a restart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from sitebuild import make_project, mkdocs_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("serve") / "project")
    port = free_port()
    log = open(project / "serve.log", "w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=mkdocs_env(), stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + "/lardomar/zink/") is not None, "the first build")
        yield project, base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def h1(html: str | None) -> str:
    return BeautifulSoup(html or "", "html.parser").select_one(".md-content h1").get_text() if html else ""


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_lesson_edit_is_rebuilt(server):
    project, base, _ = server
    lesson = project / "lessons" / "norrbotten" / "zink.sv.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace('"Zink och Ärenden"', '"Zink efter ändring"'), encoding="utf-8")
    wait_for(lambda: h1(fetch(base + "/lardomar/zink/")) == "Zink efter ändring", "the edited lesson")
    wait_for(lambda: "Zink efter ändring" in (fetch(base + "/teman/infrastruktur/") or ""), "the theme page to list it")
    wait_for(lambda: "Zink efter ändring" in (fetch(base + "/en/lardomar/zink/") or ""), "the English page")


def test_a_vocabulary_edit_is_rebuilt(server):
    project, base, _ = server
    themes = project / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("en: Infrastructure}", "en: Transport infrastructure}"), encoding="utf-8")
    wait_for(lambda: h1(fetch(base + "/en/teman/infrastruktur/")) == "Transport infrastructure", "the renamed theme")


def test_a_content_error_keeps_the_server_running(server):
    project, base, process = server
    lesson = project / "lessons" / "norrbotten" / "arenden.sv.md"
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("theme: [infrastruktur]", "theme: [infrastrukur]"), encoding="utf-8")
    log = project / "serve.log"
    wait_for(lambda: "lessons/norrbotten/arenden.sv.md:7:" in log.read_text(encoding="utf-8"), "the error in the terminal")
    assert "'infrastrukur'" in log.read_text(encoding="utf-8")
    assert process.poll() is None
    lesson.write_text(good.replace('"Ärenden i Älvsbyn"', '"Ärenden rättade"'), encoding="utf-8")
    wait_for(lambda: h1(fetch(base + "/lardomar/arenden/")) == "Ärenden rättade", "the fixed lesson")
