"""Helpers for tests that build the real site with MkDocs in a temporary copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from bench.project import make_project as copy_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "lessons"


def make_project(target: Path, lessons: Path = FIXTURE_LESSONS) -> Path:
    """A copy of the project with the given lessons folder (the fixture lessons by default), ready to build."""
    return copy_project(target, lessons)


# Held-out lessons written with every GitHub extension, built beside the fixture lessons (they link them).
GITHUB_LESSONS = ROOT / "tests" / "fixtures" / "github_lessons"


def make_github_project(target: Path) -> Path:
    """A copy of the project with the fixture lessons and the held-out GitHub-flavoured ones."""
    project = make_project(target)
    for lesson in sorted(GITHUB_LESSONS.iterdir()):
        shutil.copy(lesson, project / "lessons" / lesson.name)
    return project


def mkdocs_env(site_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("SITE_URL", None)
    if site_url:
        env["SITE_URL"] = site_url
    return env


def build(project: Path, *args: str, site_url: str | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project; `site_url` sets SITE_URL (e.g. a sub-path)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project, env=mkdocs_env(site_url), capture_output=True, text=True, timeout=600,
    )


def build_after(project: Path, prelude: str, *args: str, env: dict[str, str] | None = None,
                timeout: float = 600) -> subprocess.CompletedProcess:
    """`mkdocs build --strict *args` of a project, in a Python process that first runs `prelude`:
    code that may watch or change the project's own core (its `from lardomsbanken import …`
    finds the project's copy, the one the project's hook then uses). `env` is added to
    the build's environment (the prelude's own settings may go there too)."""
    script = ("import os, sys\nsys.path.insert(0, os.getcwd())\n" + prelude +
              "\nfrom mkdocs.__main__ import cli\ncli(['build', '--strict', *sys.argv[1:]], prog_name='mkdocs')\n")
    return subprocess.run([sys.executable, "-c", script, *args], cwd=project, env={**mkdocs_env(), **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def built_site(target: Path) -> Site:
    """A project with the fixture lessons at `target`, built strictly without warnings."""
    project = make_project(target)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


@dataclass
class Site:
    """A built site folder, read as a browser would: by URL path."""

    root: Path

    def exists(self, url: str) -> bool:
        return self.file(url).is_file()

    def file(self, url: str) -> Path:
        path = url.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.root / path

    def urls(self) -> list[str]:
        """The URL path of every HTML page in the site (404 pages included), sorted."""
        found = []
        for file in sorted(self.root.rglob("*.html")):
            path = "/" + file.relative_to(self.root).as_posix()
            found.append(path.removesuffix("index.html"))
        return found

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "html.parser")

    @staticmethod
    def resolve(page_url: str, href: str) -> str:
        """The site path a relative link on `page_url` points to."""
        return urljoin("http://site" + page_url, href)[len("http://site"):].split("#")[0]
