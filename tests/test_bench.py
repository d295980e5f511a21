"""The benchmark's parts (bench/): the corpus is deterministic and valid, the reference
projects are made as described, memory is measured over the whole process tree.
Nothing here times a build; `python -m bench.run` does that."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from bench import measure, parsers, report, serve
from bench import run as bench_run
from bench.builders import BUILDERS, OURS_BUILD_CACHE, our_markdown_extensions, ours_check_command
from bench.corpus import Corpus, mark_lesson, word_count
from lardomsbanken.check.collection import translation_state
from lardomsbanken.load.lessons import load_lessons

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
    for script, option in (("run", "--sizes"), ("serve", "--lessons"), ("parsers", "--envs")):
        result = subprocess.run([sys.executable, "-m", f"bench.{script}", "--help"], cwd=ROOT,
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
    unmeasured = {"rebuild/hugo": None, "rebuild/ours": None, "ours/ours-seq": None}
    assert summary["ratios"] == [
        {"n": 250, "ours/hugo": 2.0, "ours/hugo CPU": 1.0, "ours/floor": 0.5, "ours/floor CPU": 0.5, **unmeasured},
        {"n": 1000, "ours/hugo": 2.0, "ours/hugo CPU": 1.0, "ours/floor": 1.0, "ours/floor CPU": 1.0, **unmeasured}]
    assert summary["growth"]["ours"] == {"from": 250, "to": 1000, "exponent": pytest.approx(1.0),
                                         "exponent CPU": pytest.approx(1.0)}
    # The floor's ratios are information, no target.
    assert [(t["target"], t["met"]) for t in summary["targets"]] == [("ours/hugo, full cold build at 1000", False)]


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


def test_the_report_checks_the_targets_of_issue_11():
    times = {("ours", 250): 1.0, ("hugo", 250): 1.0, ("ours", 1000): 6.0, ("hugo", 1000): 4.0,
             ("ours", 4000): 19.0, ("hugo", 4000): 16.0}
    run = {"sizes": [250, 1000, 4000], "builders": ["ours", "hugo"],
           "results": [{"builder": b, "n": n, "ok": True, "wall": t, "cpu": t, "peak_pss_mb": 1024.0}
                       for (b, n), t in times.items()],
           "rebuilds": [{"n": 1000, "ok": True, "wall": 1.2, "best": 1.2, "cpu": 1.3, "peak_pss_mb": 300.0,
                         "shown": True, "cache_kept": True, "runs": []}],
           "validation": [{"n": 4000, "ok": True, "wall": 0.99, "errors": 0, "warnings": 3}],
           "preview": {"kind": "preview", "lessons": 1000, "command": "lardom preview", "first_serve": 9.0,
                       "edits": [{"lesson": 0.5, "index": 0.7, "both": 0.7, "reload": 0.8},
                                 {"lesson": 0.9, "index": 1.5, "both": 1.5, "reload": 1.6},
                                 {"lesson": 0.4, "index": 0.6, "both": 0.6, "reload": None}],
                       "error": {"shown": 0.2, "status": 500, "position": "lessons/a.sv.md:9:5",
                                 "expected": "lessons/a.sv.md:9:5", "names_position": True, "fixed": 0.3,
                                 "others": [{"url": "/", "status": 500, "seconds": 0.01},
                                            {"url": "/lardomar/b/", "status": None, "seconds": 10.0}]}}}
    checked = {t["target"]: t for t in report.summarise(run)["targets"]}
    met = {name: t["met"] for name, t in checked.items()}
    assert met == {
        "ours/hugo, full cold build at 1000": True,  # 1.5, at most 1.5
        "ours/hugo, full cold build at 4000": False,  # 1.19, at most 1.0
        "growth exponent of ours, 250 → 4000": False,  # 19 × the time for 16 × the lessons: 1.06
        "peak memory (PSS, all processes) of ours at 4000": False,  # 1024 MB is not under 1 GiB
        "ours' rebuild after one changed lesson / hugo's full build at 1000": True,  # 0.3
        "lardom check of 4000 lessons": True,
        "preview at 1000: save → lesson page served (median)": True,
        "preview at 1000: save → lesson page and lesson list served (median)": True,
        "preview at 1000: save → open pages told to reload, the rebuild done (median)": False,  # 1.2: the median of two
        "preview: a content error shows its file:line:column in the browser (status 500)": True,
        "preview: other pages answer while the error stands": False,  # one did not answer
        "preview: the page is served again after the fix": True,
    }
    assert checked["growth exponent of ours, 250 → 4000"]["measured"] == pytest.approx(1.0620, abs=1e-4)
    run["rebuilds"][0]["shown"] = False  # quick, but the site did not show the change
    assert not {t["target"]: t["met"] for t in report.summarise(run)["targets"]}[
        "ours' rebuild after one changed lesson / hugo's full build at 1000"]
    merged = report.merge([{**run, "date": "", "command": "", "versions": {}, "repeat": 1}])
    assert merged["rebuilds"] == run["rebuilds"]
    assert report.is_preview(run["preview"]) and not report.is_preview(run)
    text = report.render(run)
    assert "Targets of issue 11" in text and "lessons/a.sv.md:9:5" in text


def test_mark_lesson_changes_the_title_and_the_end_of_the_body(corpus, tmp_path):
    source = tmp_path / "lesson.sv.md"
    shutil.copy2(sorted(corpus.glob("*.sv.md"))[0], source)
    before = source.read_text(encoding="utf-8")
    title_mark, body_mark = mark_lesson(source, "m1")
    after = source.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", after, re.MULTILINE).group(1)
    assert title.endswith(" " + title_mark) and title_mark not in before
    assert after.rstrip().endswith(f" Ny mening {body_mark}.")
    assert len(after.splitlines()) == len(before.splitlines())  # a sentence more, no line more


def test_the_rebuild_changes_one_lesson_keeps_the_cache_and_the_site_shows_it(corpus, tmp_path):
    ours = BUILDERS["ours"]
    project = ours.prepare(corpus, tmp_path / "ours")
    ours.clean(project)
    cold = measure.run(ours.command(), project, ours.env(), tmp_path / "cold.log")
    assert cold.returncode == 0, (tmp_path / "cold.log").read_text()
    assert (project / OURS_BUILD_CACHE).is_file()  # what a cold build leaves for the next one
    slug = Corpus(COUNT).slugs[0]
    source = project / "lessons" / f"{slug}.sv.md"
    before = source.read_bytes()
    assert "Titelmarkeringr1" not in ours.lesson_page(project, slug).read_text(encoding="utf-8")
    rebuilt = bench_run.rebuild_once(project, slug, tmp_path / "rebuild.log", "r1")
    assert rebuilt["returncode"] == 0, (tmp_path / "rebuild.log").read_text()
    assert rebuilt["cache_kept"] and rebuilt["shown"]
    assert rebuilt["shown_in"] == {"lesson page": True, "lesson list": True}
    page = ours.lesson_page(project, slug).read_text(encoding="utf-8")
    assert "Titelmarkeringr1" in page and "Textmarkeringr1" in page
    assert source.read_bytes() == before  # put back for the next cold build


def test_the_preview_is_the_readmes_command_and_expects_the_position_lardom_check_names(corpus, tmp_path):
    # `lardom preview` run as `lardom check` is: the project copy's own command line.
    assert serve.ours_serve_command("127.0.0.1:1")[:-3] == ours_check_command()[:-1]
    assert serve.ours_serve_command("127.0.0.1:1")[-3:] == ["preview", "--dev-addr", "127.0.0.1:1"]
    project = BUILDERS["ours"].prepare(corpus, tmp_path / "ours")
    slug = Corpus(COUNT).slugs[0]
    source = project / "lessons" / f"{slug}.sv.md"
    broken, position = serve.broken_link(source.read_text(encoding="utf-8"), f"lessons/{slug}.sv.md")
    assert broken.rstrip().endswith(f"[x]({serve.BROKEN_TARGET})")
    source.write_text(broken, encoding="utf-8")
    checked = subprocess.run(ours_check_command(), cwd=project, capture_output=True, text=True, timeout=120,
                             env={**bench_run.mkdocs_env(), "LARDOM_LANG": "en"})
    assert checked.returncode != 0
    assert f"{position}: " in checked.stdout + checked.stderr


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
