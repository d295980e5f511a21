"""Unit tests of the cores behind the `lardom` command: translation tracking,
drafts in the loader, check warnings, scaffolding and the status summary."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, read

from lardomsbanken.check import collection as checks
from lardomsbanken.check import status
from lardomsbanken.cli import new as scaffold
from lardomsbanken.load.translations import fingerprint, mark_translated

TODAY = datetime.date(2026, 6, 18)


def codes(problems):
    return [problem.code for problem in problems]


# --- fingerprints and marking a translation done ------------------------------------------

def test_fingerprint_counts_words_not_line_endings_or_trailing_spaces():
    base = fingerprint("Titel", "Sammanfattning.", "## Bakgrund\n\nText.\n")
    assert base == fingerprint("Titel ", "Sammanfattning.", "## Bakgrund  \r\n\r\nText.\n\n")
    assert len(base) == 12
    assert base != fingerprint("Titel!", "Sammanfattning.", "## Bakgrund\n\nText.\n")
    assert base != fingerprint("Titel", "Sammanfattning!", "## Bakgrund\n\nText.\n")
    assert base != fingerprint("Titel", "Sammanfattning.", "## Bakgrund\n\nAnnan text.\n")


def test_mark_translated_sets_the_source_removes_draft_and_keeps_the_rest():
    text = '---\n# a comment\ndraft: true\ntranslated_from: "aaaaaaaaaaaa"\ntitle: "T"\n---\n\ndraft: body line\n'
    marked = mark_translated(text, "0123456789ab")
    assert marked == '---\n# a comment\ntranslated_from: "0123456789ab"\ntitle: "T"\n---\n\ndraft: body line\n'
    plain = '---\ntitle: "T"\nsummary: "S"\n---\n\nText.\n'
    assert mark_translated(plain, "0123456789ab") == (
        '---\ntitle: "T"\nsummary: "S"\ntranslated_from: "0123456789ab"\n---\n\nText.\n')


# --- the loader: drafts and translated_from -----------------------------------------------

def test_a_draft_translation_counts_as_missing_and_is_not_checked(load, lesson):
    draft = '---\ndraft: true\ntitle: ""\nsummary: ""\nauthor: x\n---\n\nSee [x](no-such-lesson.md).\n'
    result = load({"a.sv.md": lesson(), "a.en.md": draft})
    assert result.problems == []
    loaded = result.lessons["a"]
    assert not loaded.is_translated("en")
    assert loaded.unfinished == {"en": "lessons/a.en.md"}
    assert loaded.version("en").title == "Titel"


def test_draft_false_is_an_ordinary_translation(load, lesson, translation):
    result = load({"a.sv.md": lesson(), "a.en.md": translation(draft="false")})
    assert result.problems == [] and result.lessons["a"].is_translated("en")


def test_draft_must_be_true_or_false(load, lesson, translation, expect):
    result = load({"a.sv.md": lesson(), "a.en.md": translation(draft="ja")})
    expect(result, "draft-not-yes-no", "lessons/a.en.md", 4, 8, "'ja'")


def test_translation_fields_do_not_belong_in_the_swedish_file(load, lesson, expect):
    result = load({"a.sv.md": lesson(translated_from='"0123456789ab"')})
    expect(result, "translation-field-in-source", "lessons/a.sv.md", 9, 1, "translated_from")


def test_translated_from_is_read_and_the_source_fingerprinted(load, lesson, translation):
    result = load({"a.sv.md": lesson(body="Text.\n"), "a.en.md": translation(translated_from='"0123456789ab"')})
    assert result.problems == []
    versions = result.lessons["a"].versions
    assert versions["en"].translated_from == "0123456789ab"
    assert versions["en"].field_lines["translated_from"] == 4
    assert versions["sv"].fingerprint == fingerprint("Titel", "Sammanfattning.", "Text.\n")


def test_translated_from_must_be_text(load, lesson, translation, expect):
    result = load({"a.sv.md": lesson(), "a.en.md": translation(translated_from="123456789012")})
    expect(result, "number-not-text", "lessons/a.en.md", 4, 18, "translated_from")


# --- warnings ---------------------------------------------------------------------------

def warnings_for(result, data, today=TODAY):
    return [warning for lesson in result.lessons.values() for warning in checks.lesson_warnings(lesson, data, today)]


def test_translation_warnings_missing_unfinished_untracked_outdated_current(load, lesson, translation, data):
    source = fingerprint("Titel", "Sammanfattning.", "Text.\n")
    result = load({
        "missing.sv.md": lesson(date="2026-01-01"),
        "draft.sv.md": lesson(date="2026-01-01"), "draft.en.md": '---\ndraft: true\n---\n',
        "untracked.sv.md": lesson(date="2026-01-01"), "untracked.en.md": translation(),
        "old.sv.md": lesson(date="2026-01-01"), "old.en.md": translation(translated_from='"0123456789ab"'),
        "current.sv.md": lesson(date="2026-01-01"), "current.en.md": translation(translated_from=f'"{source}"'),
    })
    assert result.problems == []
    found = {(w.code, str(w.position)) for w in warnings_for(result, data)}
    assert found == {
        ("translation-missing", "lessons/missing.sv.md:1:1"),
        ("translation-unfinished", "lessons/draft.en.md:1:1"),
        ("translation-untracked", "lessons/untracked.en.md:1:1"),
        ("translation-outdated", "lessons/old.en.md:4:1"),
    }
    assert all(w.severity == "warning" for w in warnings_for(result, data))
    missing = next(w for w in warnings_for(result, data) if w.code == "translation-missing")
    assert "lessons/missing.en.md" in data.messages.render(missing, "sv")


@pytest.mark.parametrize("fields, today, stale", [
    ({"date": "2024-06-18"}, TODAY, False),  # exactly two years: not yet
    ({"date": "2024-06-17"}, TODAY, True),
    ({"date": "2020-01-01", "updated": "2025-01-01"}, TODAY, False),  # the newest date counts
    ({"date": "2020-01-01", "updated": "2024-06-01"}, TODAY, True),
    ({"date": "2022-02-28"}, datetime.date(2024, 2, 29), False),  # 29 February: two years back is 28 February
])
def test_lessons_not_updated_for_two_years_are_warned_about(load, lesson, translation, data, fields, today, stale):
    source = fingerprint("Titel", "Sammanfattning.", "Text.\n")
    result = load({"a.sv.md": lesson(**fields), "a.en.md": translation(translated_from=f'"{source}"')})
    found = warnings_for(result, data, today)
    assert codes(found) == (["lesson-not-updated"] if stale else [])
    if stale:
        line = 9 if "updated" in fields else 5  # the field that holds the newest date
        assert found[0].position.line == line
        assert "mer än 2 år sedan" in data.messages.render(found[0], "sv")


def project_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "lessons").mkdir()
    return tmp_path


def test_check_with_paths_reports_only_those_files_but_resolves_against_all(tmp_path, lesson):
    root = project_copy(tmp_path)
    (root / "lessons" / "a.sv.md").write_text(lesson(related="[b]", theme="bostad"), encoding="utf-8")
    (root / "lessons" / "b.sv.md").write_text(lesson(actor="boverkett"), encoding="utf-8")
    everything = checks.check(root, TODAY)
    assert sorted(codes(everything.errors)) == ["unknown-id", "unknown-id"]
    only_a = checks.check(root, TODAY, ["lessons/a.sv.md"])
    assert [str(p.position) for p in only_a.problems] == ["lessons/a.sv.md:7:8"]  # related: [b] is fine
    assert codes(checks.check(root, TODAY, ["lessons"]).errors) == ["unknown-id", "unknown-id"]


def test_check_reports_data_errors_whatever_the_paths(tmp_path, lesson):
    root = project_copy(tmp_path)
    themes = root / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + "- id: Fel\n  name: {sv: x, en: x}\n", encoding="utf-8")
    result = checks.check(root, TODAY, ["lessons/a.sv.md"])
    assert result.data is None and codes(result.errors) == ["bad-slug"]


# --- scaffolding ---------------------------------------------------------------------------

def test_choose_takes_numbers_ids_and_names_and_suggests_for_the_rest(data):
    first, second = list(data.themes)[:2]
    assert scaffold.choose("1, bostader", data.themes).ids == [first.id, "bostader"]
    assert scaffold.choose(["Skellefteå", "2"], data.regions).ids == ["skelleftea", list(data.regions)[1].id]
    assert scaffold.choose("1, 1", data.themes).ids == [first.id]
    wrong = scaffold.choose("bostad, 99", data.themes)
    assert wrong.ids == [] and wrong.unknown == [("bostad", ["bostader"]), ("99", [])]


NEW = scaffold.NewLesson("ny-lardom", "lesson", 'Ny: "lärdom" # i norr', "En mening: med kolon.",
                         datetime.date(2026, 6, 18), ("skelleftea", "norrbotten"), ("bostader",), ("boverket",))


def test_a_new_lesson_has_every_field_and_loads_without_problems(load, data):
    text = scaffold.lesson_text(NEW, data)
    front = text.split("---\n")[1]
    for name in ("type", "title", "summary", "date", "updated", "region", "theme", "actor", "related", "sources"):
        assert f"\n{name}:" in "\n" + front, name
    result = load({"ny-lardom.sv.md": text})
    assert result.problems == []
    new = result.lessons["ny-lardom"]
    assert new.version("sv").title == 'Ny: "lärdom" # i norr'
    assert new.regions == ("skelleftea", "norrbotten") and new.updated is None and new.related == () and new.sources == ()
    assert [(heading.level, heading.title) for heading in read(new.version("sv")).headings] == [
        (2, "Bakgrund"), (2, "Vad som gjordes"), (2, "Resultat"), (2, "Lärdomar för andra"), (2, "Kontakt")]


def test_a_case_note_gets_the_case_headings(data):
    case = scaffold.NewLesson(**{**NEW.__dict__, "type": "case"})
    body = scaffold.body_template(case.type, data, "sv")
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## Vad hände", "## Vilka var inblandade", "## Utfall", "## Vad andra kan lära", "## Kontakt"]


def test_the_english_draft_is_unfinished_until_marked_translated(load, data):
    draft = scaffold.translation_text(NEW, data, "en")
    assert "draft: true" in draft and "## Background" in draft
    result = load({"ny-lardom.sv.md": scaffold.lesson_text(NEW, data), "ny-lardom.en.md": draft})
    assert result.problems == [] and result.lessons["ny-lardom"].unfinished
    source = result.lessons["ny-lardom"].versions["sv"]
    assert f'translated_from: "{source.fingerprint}"' in draft  # what it was started from
    done = mark_translated(draft.replace('title: ""', 'title: "New"').replace('summary: ""', 'summary: "S."'),
                           source.fingerprint)
    result = load({"ny-lardom.en.md": done})
    assert result.problems == [] and result.lessons["ny-lardom"].is_translated("en")
    assert checks.translation_state(result.lessons["ny-lardom"], "en") == "current"


def test_a_taken_slug_is_refused_wherever_it_is(tmp_path, data):
    lessons = tmp_path / "lessons"
    (lessons / "bostader").mkdir(parents=True)
    (lessons / "bostader" / "ny-lardom.en.md").write_text("x", encoding="utf-8")
    with pytest.raises(scaffold.SlugTaken) as taken:
        scaffold.create(tmp_path, NEW, data, [])
    assert taken.value.path == "lessons/bostader/ny-lardom.en.md"
    with pytest.raises(scaffold.SlugTaken):
        scaffold.free_slug("index", lessons, tmp_path)
    scaffold.free_slug("annan", lessons, tmp_path)


def test_create_writes_the_swedish_file_and_drafts(tmp_path, data):
    written = scaffold.create(tmp_path, NEW, data, ["en"])
    assert [path.name for path in written] == ["ny-lardom.sv.md", "ny-lardom.en.md"]
    assert written[0].read_text(encoding="utf-8") == scaffold.lesson_text(NEW, data)


# --- status -----------------------------------------------------------------------------

def test_status_counts_counties_once_and_lists_translation_work(load, lesson, translation, data):
    result = load({
        "a.sv.md": lesson(region="[skelleftea, umea, vasterbotten]", date="2025-01-01"),
        "b.sv.md": lesson(type="case", region="[lulea, sverige]", theme="[bostader, finansiering]", date="2023-01-01",
                          updated="2026-01-01"),
        "b.en.md": translation(),
        "c.sv.md": lesson(region="norrbotten", date="2024-01-01"),
    })
    summary = status.collection_status(result.lessons, data)
    assert summary.total == 3
    assert summary.by_type == {"lesson": 2, "case": 1}
    assert summary.by_county == {"sverige": 1, "norrbotten": 2, "vasterbotten": 1}
    assert summary.by_theme["bostader"] == 3 and summary.by_theme["finansiering"] == 1
    assert summary.by_theme["energiforsorjning"] == 0
    assert summary.by_language == {"sv": 3, "en": 1}
    assert summary.translations["en"] == {"missing": ["a", "c"], "unfinished": [], "outdated": [], "untracked": ["b"]}
    assert [entry["slug"] for entry in summary.newest] == ["b", "a", "c"]
    assert [entry["slug"] for entry in summary.stalest] == ["c", "a", "b"]
    assert summary.newest[0]["changed"] == "2026-01-01" and summary.newest[0]["date"] == "2023-01-01"
    text = status.status_text(summary, data, "sv")
    assert "Norrbottens län" in text and "a (engelska, saknas)" in text
    assert "Norrbotten County" in status.status_text(summary, data, "en")
