"""The languages are built in parallel processes: the same site as one after the other, and
a failure in any language's process fails the build (hooks/parallel_languages.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import make_project, mkdocs_env


def _build(project: Path, site_dir: str, parallel: bool) -> subprocess.CompletedProcess:
    env = mkdocs_env()
    env["LARDOM_PARALLEL"] = "1" if parallel else "0"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site_dir],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("parallel") / "project")


def test_parallel_and_one_after_the_other_build_the_same_site(project):
    one_by_one = _build(project, "site-sequential", parallel=False)
    assert one_by_one.returncode == 0, one_by_one.stderr
    parallel = _build(project, "site-parallel", parallel=True)
    assert parallel.returncode == 0, parallel.stderr
    assert "Building 'en' documentation" in parallel.stderr
    sequential_files, parallel_files = _files(project / "site-sequential"), _files(project / "site-parallel")
    assert len(parallel_files) > 200 and "en/index.html" in parallel_files and "en/404.html" in parallel_files
    assert sorted(parallel_files) == sorted(sequential_files)
    differing = [path for path in parallel_files if parallel_files[path] != sequential_files[path]]
    assert differing == []


def test_the_404_pages_hreflang_links_lead_to_each_start_page(project):
    # Not to the counterparts of whichever page was built last.
    for path in ("site-sequential/404.html", "site-sequential/en/404.html", "site-parallel/en/404.html"):
        html = (project / path).read_text(encoding="utf-8")
        assert '<link rel="alternate" href="/" hreflang="sv">' in html, path
        assert '<link rel="alternate" href="/en/" hreflang="en">' in html, path


def test_a_failure_in_the_english_process_fails_the_build(project):
    page = project / "content" / "bara-engelska.en.md"
    page.write_text("---\ntitle: Only in English\n---\n\n# Only in English\n\nSee [this](saknas.md).\n", encoding="utf-8")
    try:
        result = _build(project, "site-failing", parallel=True)
    finally:
        page.unlink()
    assert result.returncode != 0
    assert "saknas.md" in result.stderr  # the English build's own warning
    assert "Bygget av språket en misslyckades" in result.stderr
    assert "Traceback" not in result.stderr
