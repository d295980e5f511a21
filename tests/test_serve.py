"""`lardom preview` for real: lardomsbanken/adapter/preview_engine.py serving a copied project over HTTP.

The engine runs as `lardom preview` runs it, on a port the system picks. An edited
lesson is served changed without a restart (the core rebuilds the collection alone), as
is an edited vocabulary (MkDocs builds again); a content error turns every page into an
error page that names file:line:column, at once, while files and the reload poll still
answer; and the site is back as soon as the file is fixed.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time

import pytest
from bs4 import BeautifulSoup
from sitebuild import make_project, mkdocs_env

ZINK = "/lardomar/zink/"
ANSWER_SECONDS = 5  # every request is answered within this, also while the site does not build


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("preview") / "project")
    log_path = project / "preview.log"
    log = open(log_path, "w", encoding="utf-8")
    env = {**mkdocs_env(), "PYTHONUNBUFFERED": "1", "LARDOM_LANG": "sv"}
    process = subprocess.Popen(
        [sys.executable, "-m", "lardomsbanken.adapter.preview_engine", "--root", str(project),
         "--dev-addr", "127.0.0.1:0", "--lang", "sv"],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for(lambda: re.search(r"http://127\.0\.0\.1:(\d+)/", log_path.read_text(encoding="utf-8")),
                 "the address", process, log_path)
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", log_path.read_text(encoding="utf-8")).group(1))
        server = Server(project, port, process, log_path)
        wait_for(lambda: server.get(ZINK)[0] == 200, "the first build", process, log_path)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


class Server:
    def __init__(self, project, port, process, log_path):
        self.project, self.port, self.process, self.log_path = project, port, process, log_path

    def get(self, path: str) -> tuple[int, str]:
        """Status and text of a request, which must be answered within ANSWER_SECONDS."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=ANSWER_SECONDS)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        except ConnectionError:
            return 0, ""
        finally:
            connection.close()

    def wait(self, condition, what: str, timeout: float = 60) -> None:
        wait_for(condition, what, self.process, self.log_path, timeout)


def wait_for(condition, what: str, process, log_path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        assert process.poll() is None, f"the preview stopped:\n{log_path.read_text(encoding='utf-8')}"
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{log_path.read_text(encoding='utf-8')}")


def h1(html: str) -> str:
    heading = BeautifulSoup(html, "html.parser").select_one(".md-content h1")
    return heading.get_text() if heading else ""


def edit(path, old: str, new: str) -> str:
    """Replaces `old` by `new` in a file (at least once) and returns what the file said before."""
    before = path.read_text(encoding="utf-8")
    assert old in before, (path, old)
    path.write_text(before.replace(old, new), encoding="utf-8")
    return before


def test_an_edited_lesson_is_served_changed_with_its_lists_and_english_page(preview):
    lesson = preview.project / "lessons" / "norrbotten" / "zink.sv.md"
    edit(lesson, '"Zink och Ärenden"', '"Zink efter ändring"')
    # the server serves the files as they are while it writes them: each is waited for
    preview.wait(lambda: h1(preview.get(ZINK)[1]) == "Zink efter ändring", "the edited lesson")
    preview.wait(lambda: h1(preview.get("/en" + ZINK)[1]) == "Zink efter ändring", "its English page")
    preview.wait(lambda: "Zink efter ändring" in preview.get("/teman/infrastruktur/")[1], "the theme's list")
    preview.wait(lambda: "Zink efter ändring" in _search_titles(preview, "/en/"), "the search index")


def _search_titles(preview, root: str) -> list[str]:
    """The titles of the lessons in a language's search index (search/doc/<n>.json)."""
    manifest = json.loads(preview.get(root + "search/index.json")[1])
    lessons = [n for n, doc in enumerate(manifest["docs"]) if manifest["kinds"][doc[0]] in ("lesson", "case")]
    return [json.loads(preview.get(f"{root}search/doc/{n}.json")[1])["title"] for n in lessons]


def test_an_edited_vocabulary_is_served_changed(preview):
    themes = preview.project / "data" / "themes.yml"
    edit(themes, "en: Infrastructure}", "en: Transport infrastructure}")
    preview.wait(lambda: h1(preview.get("/en/teman/infrastruktur/")[1]) == "Transport infrastructure",
                 "the renamed theme")


def test_a_content_error_is_shown_in_the_browser_with_its_place_and_the_fix_brings_the_site_back(preview):
    lesson = preview.project / "lessons" / "norrbotten" / "arenden.sv.md"
    good = edit(lesson, "theme: [infrastruktur]", "theme: [infrastrukur]")
    where = "lessons/norrbotten/arenden.sv.md:7:9"
    preview.wait(lambda: where in preview.get(ZINK)[1], "the error page")
    status, html = preview.get(ZINK)
    assert status == 500
    page = BeautifulSoup(html, "html.parser")
    assert page.html["lang"] == "sv" and page.h1.get_text() == "Webbplatsen kan inte byggas"
    problem = page.select_one("ol li")
    assert problem.code.get_text() == where and "'infrastrukur'" in problem.get_text()
    # every page, in either language, gets the error page at once; files and the reload poll answer as ever
    assert preview.get("/en/teman/")[0] == 500
    status, css = preview.get("/assets/lardomsbanken.css")
    assert status == 200 and ".ld-card" in css
    assert preview.get("/.lardom/reload?epoch=not-a-number")[0] == 400
    assert preview.process.poll() is None
    lesson.write_text(good.replace('"Ärenden i Älvsbyn"', '"Ärenden rättade"'), encoding="utf-8")
    preview.wait(lambda: h1(preview.get("/lardomar/arenden/")[1]) == "Ärenden rättade", "the fixed lesson")
    assert preview.get(ZINK)[0] == 200
