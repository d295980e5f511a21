"""Two builds of the same commit give byte-identical sites, so deploys and caches move only what changed.

The two builds differ in everything that must not matter: the checkout's path
and depth, the order the lesson files were written in (and so the order the
file system lists them), the build time as MkDocs sees it (SOURCE_DATE_EPOCH:
a build on another day), the time zone and Python's hash seed (set and dict
order).

The build cache (`.cache/lardom/`, lardomsbanken/runtime/cache.py) changes none of that: a warm
build from the cache, also after a lesson was edited, gives the bytes of a cold build, and
renders again only the lesson pages that show what changed; a damaged cache is ignored.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import FIXTURE_LESSONS, ROOT, Site, build_after, make_project, mkdocs_env

from bench.project import PROJECT_PARTS

BUILDS = {
    "first": {"SOURCE_DATE_EPOCH": "86400", "TZ": "UTC", "PYTHONHASHSEED": "1"},
    "second/at/another/depth": {"SOURCE_DATE_EPOCH": "1900000000", "TZ": "Pacific/Auckland", "PYTHONHASHSEED": "2"},
}


def copy_project(target: Path, reverse: bool) -> Path:
    """The project at `target`, its lesson files written in sorted or reversed order."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    files = sorted(path for path in FIXTURE_LESSONS.rglob("*") if path.is_file())
    for path in reversed(files) if reverse else files:
        destination = target / "lessons" / path.relative_to(FIXTURE_LESSONS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, destination)
    return target


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("reproducible")
    built = []
    for number, (folder, env) in enumerate(BUILDS.items()):
        project = copy_project(base / folder / "project", reverse=number % 2 == 1)
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                                env={**mkdocs_env(), **env}, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        built.append(project / "site")
    return built


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_builds_are_byte_identical(sites):
    first, second = (files_of(site) for site in sites)
    assert len(first) > 100
    only_one = sorted(set(first) ^ set(second))
    differing = sorted(name for name in set(first) & set(second) if first[name] != second[name])
    assert not only_one and not differing, f"in one site only: {only_one}; different bytes: {differing}"


def test_no_build_time_or_checkout_path_in_the_site(sites):
    # The builds ran "on" 1 January 1970 and in 2030: neither day may appear, nor where the checkout was.
    for name, content in files_of(sites[1]).items():
        if name.endswith(".gz"):
            continue
        for marker in (b"2030-03-17", b"1970-01-02", str(sites[1].parent).encode(), b"/second/at/another/depth"):
            assert marker not in content, (name, marker)


def test_the_sitemap_archive_carries_no_time(sites):
    archive = (sites[1] / "sitemap.xml.gz").read_bytes()
    assert archive[4:8] == b"\0\0\0\0"  # the gzip header's modification time (RFC 1952)


# --- the build cache ---------------------------------------------------------------------------

# Notes each lesson page the build renders rather than takes from the cache (sitebuild.build_after).
RENDERS = """
from lardomsbanken.render import pages as render
original = render.Renderer.render

def watched(self, template, page, language, *args, **kwargs):
    if template == "lesson.html.j2":
        with open(os.environ["SPY"], "a", encoding="utf-8") as stream:
            stream.write(f"{language} {page}\\n")
    return original(self, template, page, language, *args, **kwargs)

render.Renderer.render = watched
"""
MEMO = ".cache/lardom/memo.pickle"
EDITED = "lardomar/zink"


def cache_build(project: Path, site_dir: str, cache: bool = True) -> set[tuple[str, str]]:
    """A build into `site_dir`, with or without the cache; the lesson pages it rendered, as (language, page)."""
    spy = project / f"{site_dir}.renders"
    env = {"SPY": str(spy), "LARDOM_CACHE": "1" if cache else "0", "LARDOM_PARALLEL": "0"}
    result = build_after(project, RENDERS, "--site-dir", site_dir, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return {tuple(line.split(" ")) for line in spy.read_text(encoding="utf-8").splitlines()} if spy.exists() else set()


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    """Cold, warm, and after an edit warm and cold: the project and what each build rendered."""
    project = make_project(tmp_path_factory.mktemp("cache") / "project")
    renders = {"cold": cache_build(project, "site-cold")}
    assert (project / MEMO).is_file()
    renders["warm"] = cache_build(project, "site-warm")
    lesson = project / "lessons" / "norrbotten" / "zink.sv.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace('"Zink och Ärenden"', '"Zink ändrad"')
                      .replace("Kort text.", "## Ny rubrik\n\nLängre text."), encoding="utf-8")
    renders["warm-edited"] = cache_build(project, "site-warm-edited")
    renders["cold-edited"] = cache_build(project, "site-cold-edited", cache=False)
    (project / MEMO).write_bytes(b"not a pickle \x80\x04")
    renders["damaged"] = cache_build(project, "site-damaged-cache")
    return project, renders


def differences(first: Path, second: Path) -> list[str]:
    one, other = files_of(first), files_of(second)
    return sorted(set(one) ^ set(other)) + sorted(name for name in set(one) & set(other) if one[name] != other[name])


def test_a_warm_build_from_the_cache_renders_no_lesson_page_and_is_byte_identical_to_the_cold_one(cached):
    project, renders = cached
    assert len(renders["cold"]) == 2 * 6  # every lesson page of both languages
    assert renders["warm"] == set()
    assert len(files_of(project / "site-cold")) > 100
    assert differences(project / "site-cold", project / "site-warm") == []


def test_after_an_edit_a_warm_build_renders_the_pages_that_show_the_lesson_and_equals_a_cold_build(cached):
    project, renders = cached
    assert differences(project / "site-warm-edited", project / "site-cold-edited") == []
    site = Site(project / "site-warm-edited")
    assert site.page(f"/{EDITED}/").select_one(".md-content h1").get_text() == "Zink ändrad"
    assert site.page(f"/en/{EDITED}/").select_one("#ny-rubrik") is not None
    # the lesson itself, and each lesson whose related list shows its title
    slugs = {path.name.split(".")[0] for path in (project / "lessons").rglob("*.sv.md")}
    showing = {EDITED} | {f"lardomar/{slug}" for slug in slugs
                          if "Zink ändrad" in site.page(f"/lardomar/{slug}/").get_text()}
    assert len(slugs) == 6 and 1 < len(showing) < 6
    assert renders["warm-edited"] == {(language, page) for page in showing for language in ("sv", "en")}
    assert len(renders["cold-edited"]) == 2 * 6


def test_a_damaged_cache_is_ignored_and_the_build_is_the_same(cached):
    project, renders = cached
    assert len(renders["damaged"]) == 2 * 6
    assert differences(project / "site-cold-edited", project / "site-damaged-cache") == []
