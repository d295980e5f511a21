"""The benchmark's parts (bench/): the corpus is deterministic and valid, the reference
projects are made as described, memory is measured over the whole process tree.
Nothing here times a build; bench/run.py does that."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from lardomsbanken.checks import translation_state
from lardomsbanken.loader import load_lessons

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import measure  # noqa: E402
import parsers  # noqa: E402
import report  # noqa: E402
from builders import BUILDERS, our_markdown_extensions  # noqa: E402
from corpus import Corpus, word_count  # noqa: E402

COUNT = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "lessons"
    Corpus(COUNT).write(folder)
    return folder


def _bodies(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.glob("*.md"))}


def test_the_same_count_gives_the_same_bytes(corpus, tmp_path):
    again = tmp_path / "again"
    Corpus(COUNT).write(again)
    names = sorted(path.name for path in corpus.iterdir())
    assert names == sorted(path.name for path in again.iterdir())
    assert all((corpus / name).read_bytes() == (again / name).read_bytes() for name in names)
    other = tmp_path / "other"
    Corpus(COUNT, seed=1).write(other)
    assert sorted(path.name for path in other.iterdir()) != names  # the seed matters: not a constant text


def test_it_writes_the_requested_lessons_in_both_languages(corpus):
    assert len(list(corpus.glob("*.sv.md"))) == COUNT
    assert sorted(p.name.replace(".sv.", ".en.") for p in corpus.glob("*.sv.md")) == sorted(p.name for p in corpus.glob("*.en.md"))
    assert len(Corpus(3).slugs) == 3


def test_the_lessons_load_without_problems_as_finished_translations(corpus, data):
    result = load_lessons(corpus, corpus.parent, data)
    assert result.problems == []
    assert len(result.lessons) == COUNT
    for lesson in result.lessons.values():
        assert lesson.is_translated("en") and translation_state(lesson, "en") == "current"


def test_bodies_have_400_to_800_words_headings_lists_a_table_and_links(corpus):
    slugs = {path.name.split(".")[0] for path in corpus.glob("*.md")}
    for name, body in _bodies(corpus).items():
        assert 400 <= word_count(body) <= 800, name
        assert len(re.findall(r"^## ", body, re.MULTILINE)) == 3
        assert re.search(r"^- ", body, re.MULTILINE) and re.search(r"^1\. ", body, re.MULTILINE)
        assert re.search(r"^\| --- \| --- \| ---: \|$", body, re.MULTILINE)
        targets = re.findall(r"\]\(([a-z0-9-]+)\.md\)", body)
        assert len(targets) == 3 and set(targets) <= slugs


def test_word_count_counts_what_a_reader_reads():
    assert word_count("## Två ord\n\n1. Ett\n- [länk text](x-y.md) 42\n| --- | ---: |\n") == 6


def test_the_scripts_explain_themselves():
    for script, option in (("run.py", "--sizes"), ("serve.py", "--lessons"), ("parsers.py", "--envs")):
        result = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--help"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert option in result.stdout


def test_the_hugo_project_has_both_languages_taxonomies_and_the_lessons_unchanged(corpus, tmp_path):
    project = BUILDERS["hugo"].prepare(corpus, tmp_path / "hugo")
    config = tomllib.loads((project / "hugo.toml").read_text(encoding="utf-8"))
    assert config["defaultContentLanguage"] == "sv" and config["defaultContentLanguageInSubdir"] is False
    assert set(config["languages"]) == {"sv", "en"}
    assert set(config["taxonomies"].values()) == {"theme", "region", "actor"}
    layouts = project / "layouts"
    for layout in ("_default/baseof.html", "_default/single.html", "_default/list.html",
                   "_default/taxonomy.html", "_default/term.html", "index.html"):
        assert (layouts / layout).is_file(), layout
    assert ".Translations" in (layouts / "partials" / "languages.html").read_text()
    assert 'lang="{{ .Language.Lang }}"' in (layouts / "_default" / "baseof.html").read_text()
    content = project / "content" / "lardomar"
    assert all((content / p.name).read_bytes() == p.read_bytes() for p in corpus.iterdir())
    if shutil.which("hugo"):  # not in CI; where it is installed, the project must also build
        built = subprocess.run(BUILDERS["hugo"].command(), cwd=project, capture_output=True, text=True, timeout=120)
        assert built.returncode == 0, built.stderr
        slug = Corpus(COUNT).slugs[0]
        page = BUILDERS["hugo"].lesson_page(project, slug).read_text(encoding="utf-8")
        assert '<html lang="sv">' in page and f'href="/en/lardomar/{slug}/"' in page


def test_the_floor_is_plain_mkdocs_with_our_markdown_and_the_lessons_out_of_the_nav(corpus, tmp_path):
    project = BUILDERS["floor"].prepare(corpus, tmp_path / "floor")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"] == ["index.md"] and config["not_in_nav"] == "/lardomar/*"
    assert "hooks" not in config and config["theme"]["name"] == "material"
    assert [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]] == ["search", "i18n"]
    assert config["markdown_extensions"] == our_markdown_extensions() and {"toc": {"permalink": False}} in config["markdown_extensions"]
    assert sorted(p.name for p in (project / "docs" / "lardomar").iterdir()) == sorted(p.name for p in corpus.iterdir())
    assert (project / "docs" / "index.sv.md").is_file() and (project / "docs" / "index.en.md").is_file()


def test_peak_memory_adds_up_a_process_tree_without_counting_shared_pages_twice(tmp_path):
    # A parent touches 64 MB, forks a child that shares them copy-on-write and
    # touches 32 MB of its own, which forks a grandchild touching 16 MB.
    code = (
        "import os, time\n"
        "def touch(mb):\n"
        "    block = bytearray(mb << 20)\n"
        "    for i in range(0, len(block), 4096): block[i] = 1\n"
        "    return block\n"
        "shared = touch(64)\n"
        "if os.fork() == 0:\n"
        "    own = touch(32)\n"
        "    if os.fork() == 0:\n"
        "        more = touch(16); time.sleep(0.6); os._exit(0)\n"
        "    os.wait(); os._exit(0)\n"
        "os.wait()\n"
    )
    measured = measure.run([sys.executable, "-c", code], tmp_path, {}, tmp_path / "log")
    assert measured.returncode == 0 and measured.samples > 5
    assert 0 < measured.cpu and 0 <= measured.other_load <= 1
    assert 64 + 32 + 16 <= measured.peak_pss_mb < 2 * 64 + 32 + 16  # the sum of RSS would count the 64 MB thrice
    assert 64 + 32 <= measured.max_rss_mb < 64 + 32 + 16 + 40  # the child: the shared 64 MB + its own 32 MB
    assert measured.wall > 0.5


def test_growth_exponent_and_ratios():
    assert report.growth_exponent((250, 2.0), (4000, 32.0)) == pytest.approx(1.0)
    assert report.growth_exponent((250, 1.0), (1000, 16.0)) == pytest.approx(2.0)
    run = {"sizes": [250, 1000], "builders": ["ours", "hugo", "floor"], "validation": [],
           "results": [{"builder": b, "n": n, "ok": True, "wall": t} for b, n, t in
                       [("ours", 250, 2.0), ("hugo", 250, 1.0), ("floor", 250, 4.0),
                        ("ours", 1000, 8.0), ("hugo", 1000, 4.0), ("floor", 1000, 8.0)]]}
    for result in run["results"]:
        result["cpu"] = result["wall"] * (2 if result["builder"] == "hugo" else 1)  # Hugo on both cores
    summary = report.summarise(run)
    assert summary["ratios"] == [
        {"n": 250, "ours/hugo": 2.0, "ours/hugo CPU": 1.0, "ours/floor": 0.5, "ours/floor CPU": 0.5},
        {"n": 1000, "ours/hugo": 2.0, "ours/hugo CPU": 1.0, "ours/floor": 1.0, "ours/floor CPU": 1.0}]
    assert summary["growth"]["ours"] == {"from": 250, "to": 1000, "exponent": pytest.approx(1.0),
                                         "exponent CPU": pytest.approx(1.0)}
    assert [(t["target"], t["met"]) for t in summary["targets"]] == [("ours/hugo at 1000", False), ("ours/floor at 1000", True)]


def test_saved_runs_merge_into_one_with_every_size():
    def saved(sizes, wall, command):
        return {"date": "2026-11-26", "command": command, "versions": {}, "repeat": 1, "sizes": sizes,
                "builders": ["ours"], "validation": [{"n": n, "ok": True, "wall": 0.1} for n in sizes],
                "results": [{"builder": "ours", "n": n, "ok": True, "wall": wall * n, "cpu": wall * n, "peak_pss_mb": 9.0}
                            for n in sizes]}

    merged = report.merge([saved([250, 1000], 1.0, "small"), saved([4000], 2.0, "large")])
    assert merged["sizes"] == [250, 1000, 4000] and [r["n"] for r in merged["validation"]] == [250, 1000, 4000]
    assert [r["wall"] for r in merged["results"]] == [250.0, 1000.0, 8000.0]
    assert merged["merged"][0]["command"] == "large"
    assert report.summarise(merged)["growth"]["ours"]["to"] == 4000


def test_each_hostile_input_grows_with_n_so_that_4n_is_four_times_the_text():
    for name, make in parsers.HOSTILE.items():
        small, large = len(make(2000).encode()), len(make(8000).encode())
        assert 3.6 < large / small < 4.4, name


def test_wheels_are_matched_to_cpython_3_11_manylinux():
    wheel = parsers._wheel_for
    assert wheel(["x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"], "x86_64") == "yes"
    assert wheel(["x-1-cp38-abi3-manylinux_2_28_aarch64.whl"], "aarch64") == "yes"
    assert wheel(["x-1-cp312-abi3-manylinux_2_28_aarch64.whl"], "aarch64") == "no"  # needs 3.12
    assert wheel(["x-1-cp311-cp311-musllinux_1_2_x86_64.whl", "x-1-cp311-cp311-macosx_11_0_arm64.whl"], "x86_64") == "no"
    assert wheel(["x-1-py3-none-any.whl"], "aarch64") == "pure"


def test_positions_are_checked_against_the_source_in_bytes_or_characters():
    text = "Å\nÄr [a](b) <i>\n"
    link = text.encode().index(b"[a](b)")
    assert parsers._position_cell(text, ("byte", link), "[a](b)", "byte range") == "byte range"
    assert parsers._position_cell(text, ("line-column", 2, 5), "[a](b)", "line/column") == "line/column"  # bytes
    assert parsers._position_cell(text, ("line-column", 2, 4), "[a](b)", "line/column") == "line/column (chars)"
    assert parsers._position_cell(text, ("byte", 0), "[a](b)", "byte range") == "wrong"
    assert parsers._position_cell(text, None, "[a](b)", "byte range") == "no"


def test_the_parser_comparison_reads_pyromark_as_the_site_would():
    pytest.importorskip("pyromark")  # in the project's environment, not (yet) a dependency
    cells = parsers.features(parsers.adapter("pyromark", {}))
    assert cells["tables"] == cells["footnotes"] == cells["GitHub alerts > [!NOTE]"] == "yes"
    assert cells["positions: link"] == cells["positions: raw HTML"] == "byte range"
