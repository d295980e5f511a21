"""Two builds of the same commit give byte-identical sites, so deploys and caches move only what changed.

The two builds differ in everything that must not matter: the checkout's path
and depth, the order the lesson files were written in (and so the order the
file system lists them), the build time as MkDocs sees it (SOURCE_DATE_EPOCH:
a build on another day), the time zone and Python's hash seed (set and dict
order).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import FIXTURE_LESSONS, PROJECT_PARTS, ROOT, mkdocs_env

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
