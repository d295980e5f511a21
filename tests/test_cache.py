"""What a build remembers (memo.py) changes how fast a rebuild is, never what it builds.

A preview keeps its memo in memory; a build keeps it on disk between runs (the
build cache): a warm build must make the same pages and files as a cold one.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sitebuild import make_project

from lardomsbanken.pipeline import site
from lardomsbanken.publish import search_index as search
from lardomsbanken.publish import search_terms as searchterms
from lardomsbanken.runtime import cache as memos
from lardomsbanken.runtime.cache import Memo, Table

CONTENT = [search.ContentPage("om", "sv", "sv", "Om", "Om sidan.", "Lärdomsbanken samlar lärdomar."),
           search.ContentPage("om", "en", "en", "About", "About the site.", "Lessons learned.")]


def _build(project: Path, memo: Memo | None = None) -> dict[str, object]:
    """Every generated page, as rendered, and every other file of the collection, by path."""
    prepared = site.prepare(site.Project.at(project, site_url="https://example.org/", memo=memo))
    built: dict[str, object] = {f"{plan.language}:{plan.page}": plan.render()
                                for plans in prepared.plans.values() for plan in plans}
    built.update(prepared.outputs(CONTENT))
    return built


@pytest.fixture()
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_a_remembered_build_is_the_same_as_a_fresh_one(project):
    memo = Memo()
    first = _build(project, memo)
    assert first == _build(project)
    assert _build(project, memo) == first  # the second time from memory
    for name, table in memo.tables().items():
        assert table.entries, f"nothing remembered in {name}"


def test_a_remembered_page_is_not_made_again(project, monkeypatch):
    memo = Memo()
    _build(project, memo)
    made = []
    original = memos.Table.get

    def counting(table, name, key, make):
        return original(table, name, key, lambda: made.append(name) or make())

    monkeypatch.setattr(memos.Table, "get", counting)
    _build(project, memo)
    assert made == []


def test_edits_reach_every_page_that_shows_them(project):
    memo = Memo()
    _build(project, memo)
    # A related lesson's new title must reach the page that lists it ...
    related = project / "lessons" / "kompetens-i-norrbotten.sv.md"
    related.write_text(related.read_text(encoding="utf-8").replace("title: ", "title: Ändrad ", 1), encoding="utf-8")
    remembered = _build(project, memo)
    assert remembered == _build(project)
    assert "Ändrad " in remembered["sv:lardomar/bostader-i-skelleftea"].content
    # ... a vocabulary's new name every page that shows it, and a changed body the search index.
    themes = project / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("en: Housing}", "en: Homes}"), encoding="utf-8")
    lesson = project / "lessons" / "bostader-i-skelleftea.sv.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOrdet fjällräv står nu här.\n", encoding="utf-8")
    remembered = _build(project, memo)
    assert remembered == _build(project)
    assert "fjällräv" in remembered["sv:lardomar/bostader-i-skelleftea"].content
    assert "Homes" in remembered["en:lardomar/bostader-i-skelleftea"].content
    stem = searchterms.terms("fjällräv", "sv")[0]
    assert search.SearchIndex.from_files(remembered, "search/").entry("sv", stem) is not None


def test_a_table_forgets_what_a_build_no_longer_uses():
    table: Table[str] = Table()
    table.get("a", 1, lambda: "A1")
    table.get("b", 1, lambda: "B1")
    table.start_build()
    assert table.get("a", 1, lambda: "not again") == "A1"
    assert table.get("a", 2, lambda: "A2") == "A2"  # a new key is made anew
    table.start_build()  # "b" was not used in the last build
    assert set(table.entries) == {"a"}


def test_a_workers_journal_brings_what_it_used_and_made_back():
    # A forked worker starts with the memo as it was; only its journal comes back.
    parent = Memo()
    parent.lesson_pages.get("kept", 1, lambda: "K")
    parent.start_build()
    worker = pickle.loads(pickle.dumps(parent))
    worker.start_journal()
    assert worker.lesson_pages.get("kept", 1, lambda: "not again") == "K"
    assert worker.lesson_pages.get("new", 1, lambda: "N") == "N"
    worker.bodies.get("body", 1, lambda: "B")
    journals = worker.journals()
    assert journals["lesson_pages"] == {"kept": None, "new": (1, "N")} and journals["cards"] == {}
    # Bodies read in full stay in the worker: they are not kept on disk anyway.
    assert "bodies" not in journals
    parent.merge(journals)
    assert parent.lesson_pages.kept() == {"kept": (1, "K"), "new": (1, "N")}


def test_a_saved_memo_loads_with_what_the_build_used_but_the_files_and_full_bodies(tmp_path):
    memo = Memo()
    for name, table in memo.tables().items():
        table.get(f"{name}-used", 1, lambda name=name: name)
    memo.analyses.start_build()
    memo.analyses.get("analyses-now", 2, lambda: "now")  # `analyses-used` was not used in this build
    path = tmp_path / ".cache" / "lardom" / "memo.pickle"
    memo.save(path)
    loaded = Memo.load(path)
    assert loaded.analyses.entries == {"analyses-now": (2, "now")}
    for name in ("lesson_pages", "list_pages", "cards", "search_weights"):
        assert getattr(loaded, name).entries == {f"{name}-used": (1, name)}
    # A preview's own: a build reads its files anyway, and reads in full only what it renders.
    assert loaded.files.entries == {} and loaded.bodies.entries == {}
    assert [item.name for item in path.parent.iterdir()] == ["memo.pickle"]  # no temporary file left


def test_a_memo_of_other_code_or_a_broken_file_is_not_used(tmp_path, monkeypatch):
    path = tmp_path / "memo.pickle"
    memo = Memo()
    memo.cards.get("a", 1, lambda: "A")
    memo.save(path)
    assert Memo.load(path).cards.entries == {"a": (1, "A")}
    monkeypatch.setattr(memos, "_CODE_VERSION", "another version of the code")
    assert Memo.load(path).cards.entries == {}
    path.write_bytes(b"not a pickle")
    assert Memo.load(path).cards.entries == {}
    assert Memo.load(tmp_path / "missing.pickle").cards.entries == {}


def test_a_warm_build_from_the_saved_memo_is_the_same_as_a_cold_one(project, tmp_path):
    path = tmp_path / "memo.pickle"
    memo = Memo()
    cold = _build(project, memo)
    memo.save(path)
    assert _build(project, Memo.load(path)) == cold


def test_the_build_cache_is_under_the_project_unless_turned_off(tmp_path, monkeypatch):
    monkeypatch.delenv(memos.CACHE_SWITCH, raising=False)
    assert memos.build_cache(tmp_path) == tmp_path / ".cache" / "lardom" / "memo.pickle"
    monkeypatch.setenv(memos.CACHE_SWITCH, "0")
    assert memos.build_cache(tmp_path) is None
