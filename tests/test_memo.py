"""A preview's memory (memo.py) changes how fast a rebuild is, never what it builds."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from lardomsbanken import searchterms, site
from lardomsbanken.memo import Memo, Table
from lardomsbanken.render import Islands
from sitebuild import make_project


def _generate(project: Path, memo: Memo | None = None) -> site.GeneratedSite:
    return site.generate(site.Project.at(project, site_url="https://example.org/", memo=memo))


def _same(first: site.GeneratedSite, second: site.GeneratedSite) -> None:
    assert first.files == second.files
    assert first.all_outputs() == second.all_outputs()
    assert first.head == second.head
    assert first.islands.html == second.islands.html


@pytest.fixture()
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_a_remembered_build_is_the_same_as_a_fresh_one(project):
    memo = Memo()
    first = _generate(project, memo)
    _same(first, _generate(project))
    _same(_generate(project, memo), first)  # the second time from memory
    assert memo.lesson_pages.entries and memo.files.entries and memo.search_weights.entries
    assert memo.cards.entries and memo.heads.entries and memo.templates.compiled


def test_edits_reach_every_page_that_shows_them(project):
    memo = Memo()
    _generate(project, memo)
    # A related lesson's new title must reach the page that lists it ...
    related = project / "lessons" / "kompetens-i-norrbotten.sv.md"
    related.write_text(related.read_text(encoding="utf-8").replace("title: ", "title: Ändrad ", 1), encoding="utf-8")
    remembered = _generate(project, memo)
    _same(remembered, _generate(project))
    assert "Ändrad " in remembered.islands.restore(remembered.files["lardomar/bostader-i-skelleftea.sv.md"])
    # ... a vocabulary's new name every page that shows it, and a changed body the search index.
    themes = project / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("en: Housing}", "en: Homes}"), encoding="utf-8")
    lesson = project / "lessons" / "bostader-i-skelleftea.sv.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOrdet fjällräv står nu här.\n", encoding="utf-8")
    remembered = _generate(project, memo)
    _same(remembered, _generate(project))
    assert "fjällräv" in remembered.files["lardomar/bostader-i-skelleftea.sv.md"]
    assert "Homes" in remembered.islands.restore(remembered.files["lardomar/bostader-i-skelleftea.en.md"])
    assert f'"{searchterms.terms("fjällräv", "sv")[0]}":' in remembered.all_outputs()["search/index.json"]


def test_a_table_forgets_what_a_build_no_longer_uses():
    table: Table[str] = Table()
    table.get("a", 1, lambda: "A1")
    table.get("b", 1, lambda: "B1")
    table.start_build()
    assert table.get("a", 1, lambda: "not again") == "A1"
    assert table.get("a", 2, lambda: "A2") == "A2"  # a new key is made anew
    table.start_build()  # "b" was not used in the last build
    assert set(table.entries) == {"a"}


def test_a_list_kept_out_of_the_markdown_still_changes_the_page_source():
    # The staging folder rewrites a page only when its Markdown changes, and a
    # preview rebuilds only rewritten pages: the placeholder must name its HTML.
    islands = Islands()
    first, second = islands.add("<ul><li>A</li></ul>"), islands.add("<ul><li>B</li></ul>")
    assert first != second and first == islands.add("<ul><li>A</li></ul>")
    page = f"<p>x</p>\n{first}\n"
    assert islands.restore(page) == "<p>x</p>\n<ul><li>A</li></ul>\n"
    assert islands.used_by(page) == {first[len("<!-- lardom:island "):-len(" -->")]: "<ul><li>A</li></ul>"}


def test_compiled_templates_follow_their_source(tmp_path):
    # The theme's templates are compiled once per preview, and again when edited.
    memo = Memo()
    (tmp_path / "page.html").write_text("one {{ x }}", encoding="utf-8")

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=memo.templates)
        return env.get_template("page.html").render(x=1)

    assert render() == "one 1" and len(memo.templates.compiled) == 1
    assert render() == "one 1"  # from memory
    (tmp_path / "page.html").write_text("two {{ x }}", encoding="utf-8")
    assert render() == "two 1"
