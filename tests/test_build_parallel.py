"""The core's worker processes (lardomsbanken/runtime/workers.py) write the collection's pages and make
the search indexes: the same site, byte for byte, as one process (`LARDOM_PARALLEL=0`), and a
failure in any worker fails the build.

The builds run `mkdocs build --strict` in a process that first wraps the core's page writer
(`publish.page_html`, sitebuild.build_after): it records which process wrote each page, and on
request fails in a worker process. The project has enough lessons for the pages to be
shared out among workers (publish.PARALLEL_FROM_PAGES).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sitebuild import build_after, make_project

EXTRA_LESSONS = 120  # with the fixture's lessons and index pages, more pages a language than PARALLEL_FROM_PAGES
WORKER_FAILS_ON = "lardomar/extra-077"

# Wraps the core's page writer in the build's process before MkDocs runs (sitebuild.build_after).
SPY = """
import json
from lardomsbanken.publish import writer as publish
assert publish.__file__.startswith(os.getcwd()), publish.__file__  # the project's own core, as the hook loads it
main, spy, sabotage, target = os.getpid(), os.environ["SPY"], os.environ["SABOTAGE"], os.environ["SABOTAGED_PAGE"]
original = publish.page_html

def page_html(site, page, frame):
    if os.getpid() != main and page.page == target:
        if sabotage == "raise":
            raise RuntimeError("sabotaged in a worker")
        if sabotage == "die":
            os._exit(3)  # as if the system had killed the worker (out of memory)
    with open(spy, "a", encoding="utf-8") as stream:
        stream.write(json.dumps([os.getpid() == main, page.language, page.page]) + "\\n")
    return original(site, page, frame)

publish.page_html = page_html
"""


def extra_lesson(number: int) -> str:
    return (f"---\ntype: lesson\ntitle: \"Extra {number:03}\"\nsummary: \"Lärdom nummer {number}.\"\n"
            f"date: 2022-{number % 12 + 1:02}-{number % 28 + 1:02}\nregion: kiruna\ntheme: bostader\n"
            f"actor: boverket\n---\n\n## Vad hände?\n\nText {number} med [en länk](zink.md).\n")


def _build(project: Path, site_dir: str, workers: bool, sabotage: str = "") -> tuple[subprocess.CompletedProcess,
                                                                                       list[tuple[bool, str, str]]]:
    """A build and, per page written, (written by the main process, language, page)."""
    spy = project / f"{site_dir}.spy"
    spy.unlink(missing_ok=True)
    env = {"SPY": str(spy), "SABOTAGE": sabotage, "SABOTAGED_PAGE": WORKER_FAILS_ON,
           "LARDOM_PARALLEL": "1" if workers else "0",
           "LARDOM_CACHE": "0"}  # each build cold: every page rendered, by whichever process
    result = build_after(project, SPY, "--site-dir", site_dir, env=env, timeout=180)
    written = [tuple(json.loads(line)) for line in spy.read_text(encoding="utf-8").splitlines()] if spy.exists() else []
    return result, written


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("parallel") / "project")
    folder = project / "lessons" / "extra"
    folder.mkdir()
    for number in range(EXTRA_LESSONS):
        (folder / f"extra-{number:03}.sv.md").write_text(extra_lesson(number), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def builds(project):
    assert (os.cpu_count() or 1) > 1, "this machine has one core: the workers cannot be tested here"
    one = _build(project, "site-one-process", workers=False)
    shared = _build(project, "site-workers", workers=True)
    for result, _ in (one, shared):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARNING" not in result.stderr, result.stderr
    return one[1], shared[1]


def test_workers_write_the_pages_and_one_process_writes_them_without_workers(builds):
    one, shared = builds
    lessons = [entry for entry in shared if entry[2].startswith("lardomar/extra-")]
    assert len(lessons) == 2 * EXTRA_LESSONS  # each page once, in both languages
    assert sorted(shared) != sorted(one)  # by other processes
    assert [entry[1:] for entry in sorted(shared, key=lambda e: e[1:])] == \
        [entry[1:] for entry in sorted(one, key=lambda e: e[1:])]
    assert all(main for main, _, _ in one)
    assert not any(main for main, _, page in shared), "with workers, the main process wrote pages itself"


def test_workers_and_one_process_build_byte_identical_sites(project, builds):
    one, shared = _files(project / "site-one-process"), _files(project / "site-workers")
    assert len(shared) > 500 and "en/lardomar/extra-077/index.html" in shared and "en/404.html" in shared
    assert "search/index.json" in shared and "en/search/index.json" in shared
    assert sorted(shared) == sorted(one)
    differing = [path for path in shared if shared[path] != one[path]]
    assert differing == []


def test_the_404_pages_hreflang_links_lead_to_each_start_page(project, builds):
    # Not to the counterparts of whichever page was built last.
    for path in ("site-one-process/404.html", "site-one-process/en/404.html", "site-workers/en/404.html"):
        html = (project / path).read_text(encoding="utf-8")
        assert '<link rel="alternate" href="/" hreflang="sv">' in html, path
        assert '<link rel="alternate" href="/en/" hreflang="en">' in html, path


@pytest.mark.parametrize("sabotage", ["raise", "die"])
def test_a_failure_in_a_worker_fails_the_build(project, builds, sabotage):
    result, written = _build(project, f"site-{sabotage}", workers=True, sabotage=sabotage)
    assert result.returncode != 0, result.stderr
    assert not any(page == WORKER_FAILS_ON for _, _, page in written)
    # the worker's own exception; a worker that died is told, not waited for
    assert {"raise": "RuntimeError: sabotaged in a worker",
            "die": "process pool was terminated abruptly"}[sabotage] in result.stderr


def test_without_workers_the_sabotage_never_runs(project, builds):
    # The sabotage above fires only in a worker: one process builds the same project fine.
    result, written = _build(project, "site-one-process-again", workers=False, sabotage="die")
    assert result.returncode == 0, result.stderr
    assert ("sv", WORKER_FAILS_ON) in {entry[1:] for entry in written}
