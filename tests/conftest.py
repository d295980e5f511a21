"""Shared fixtures for the fast unit tests of the core (no MkDocs builds).

`data` is the real site data, loaded once. `load` writes lesson files into a
temporary `lessons/` folder and loads them, as the build does. `lesson`
writes a valid Swedish lesson whose lines are always in the same place:

    1 ---
    2 type: lesson
    3 title: "Titel"
    4 summary: "Sammanfattning."
    5 date: 2024-06-18
    6 region: skelleftea
    7 theme: bostader
    8 actor: boverket
    9 …extra fields, in the order given…
      ---
      (blank line)
      body

`expect` finds exactly one problem with a code and checks its position and
its Swedish message.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ("browser",)  # the `browser` and `served_site` fixtures of the browser tests

from lardomsbanken.load import body  # noqa: E402  (after pytest_plugins)
from lardomsbanken.load.lessons import LoadResult, load_lessons  # noqa: E402
from lardomsbanken.load.vocabularies import SiteData, load_site_data  # noqa: E402
from lardomsbanken.model.problems import Problem  # noqa: E402

# Property-based tests (hypothesis): 200 examples each, quick enough for every run. In CI
# (the CI variable is set) the examples are derived from each test itself, the same on
# every run, and nothing is kept between runs; locally hypothesis remembers failing
# examples in .hypothesis/ and tries new ones each time. HYPOTHESIS_PROFILE picks one
# (`thorough`: ten times the examples, now and then by hand).
settings.register_profile("dev", max_examples=200, deadline=datetime.timedelta(seconds=2),
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, database=None, print_blob=True)
settings.register_profile("thorough", settings.get_profile("dev"), max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# The words a parsed body shows, for tests that do not look at them (test_body.py does).
WORDS = body.Words({kind: kind for kind in body.ALERTS.values()}, "{number}", "Uppgift")


@functools.cache
def _site_words(language: str) -> body.Words:
    return body.words_from(load_site_data(ROOT / "data", ROOT).labels, language)


def read(version) -> body.Body:
    """A lesson version's body read in full, with the site's words, as a page reads it."""
    return body.parse(version.markdown, _site_words(version.language))

BASE_FIELDS = {
    "type": "lesson",
    "title": '"Titel"',
    "summary": '"Sammanfattning."',
    "date": "2024-06-18",
    "region": "skelleftea",
    "theme": "bostader",
    "actor": "boverket",
}


def make_lesson(body: str = "Text.\n", **fields: str | None) -> str:
    """A Swedish lesson: BASE_FIELDS with `fields` replacing (None removes) or added after them."""
    values = dict(BASE_FIELDS)
    for key, value in fields.items():
        values[key] = value
    lines = ["---"]
    for key, value in values.items():
        if value is None:
            continue
        lines.append(f"{key}:{'' if value.startswith(chr(10)) else ' '}{value}")
    return "\n".join(lines) + "\n---\n\n" + body


def make_translation(body: str = "Text.\n", **fields: str | None) -> str:
    """An English file: title on line 2, summary on line 3, then `fields`."""
    values = {"title": '"Title"', "summary": '"Summary."', **fields}
    lines = ["---"] + [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "\n".join(lines) + "\n---\n\n" + body


@pytest.fixture(scope="session")
def data() -> SiteData:
    return load_site_data(ROOT / "data", ROOT)


@pytest.fixture
def lesson() -> Callable[..., str]:
    return make_lesson


@pytest.fixture
def translation() -> Callable[..., str]:
    return make_translation


@pytest.fixture
def load(tmp_path: Path, data: SiteData) -> Callable[[dict], LoadResult]:
    """Write {relative path: text or bytes} under tmp/lessons and load them."""

    def _load(files: dict[str, str | bytes]) -> LoadResult:
        lessons = tmp_path / "lessons"
        lessons.mkdir(exist_ok=True)
        for relative, content in files.items():
            path = lessons / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
        return load_lessons(lessons, tmp_path, data)

    return _load


@pytest.fixture
def render(data: SiteData) -> Callable[[Problem, str], str]:
    def _render(problem: Problem, language: str = "sv") -> str:
        return data.messages.render(problem, language)

    return _render


@pytest.fixture
def expect(data: SiteData):
    """Assert one problem `code` at file:line[:column]; its Swedish message must contain `texts`.

    With `alone=True` (the default) it must be the only problem of the run.
    Returns the problem.
    """

    def _expect(problems, code: str, file: str, line: int, column: int | None = None,
                *texts: str, alone: bool = True) -> Problem:
        problems = list(getattr(problems, "problems", problems))
        shown = "\n".join(f"{p.code} {p.position} {p.params}" for p in problems)
        if alone:
            assert [p.code for p in problems] == [code], shown
        matching = [p for p in problems if p.code == code and p.position.file == file and p.position.line == line]
        assert len(matching) == 1, f"want one {code} at {file}:{line}, got:\n{shown}"
        problem = matching[0]
        if column is not None:
            assert problem.position.column == column, shown
        message = data.messages.render(problem, "sv")
        prefix = f"{file}:{line}:{problem.position.column}: "
        assert message.startswith(prefix), message
        assert "{" not in message and "}" not in message, f"unfilled placeholder: {message}"
        for text in texts:
            assert text in message, f"{text!r} not in {message!r}"
        return problem

    return _expect


# --- the lanes: unit, build, browser (markers registered in pyproject.toml) -----------------
# A module that builds a project (it imports tests/sitebuild.py, runs the pipeline over a
# project or starts processes) is `build`; a test that uses the `browser` fixture is
# `browser` (tests/browser.py); every other test is `unit`, the quick lane: `pytest -m unit`.
_BUILDS = re.compile(r"^from sitebuild import|^import subprocess|\bprepare\(|\bbuilt_site\b", re.MULTILINE)


@functools.cache
def _module_builds(path: str) -> bool:
    return bool(_BUILDS.search(Path(path).read_text(encoding="utf-8")))


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or item.get_closest_marker("browser"):
            continue
        if item.get_closest_marker("unit") or item.get_closest_marker("build"):
            continue  # a module that names its lane itself (tests/test_style.py)
        item.add_marker(pytest.mark.build if _module_builds(str(item.path)) else pytest.mark.unit)

