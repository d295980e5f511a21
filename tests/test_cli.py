"""The `lardom` command as an editor uses it, through click's CliRunner, on a
copy of the project with the fixture lessons. Output in Swedish and English,
exit codes, GitHub annotations and the JSON of `status`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitebuild import make_project

from lardomsbanken.cli.main import Words, annotation, main
from lardomsbanken.index.collation import collation_key
from lardomsbanken.model.problems import Position, Problem

TODAY = "2026-06-18"


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def run(project: Path, *args: str, input: str | None = None, env: dict | None = None):
    environment = {"LARDOM_LANG": None, "GITHUB_ACTIONS": None, **(env or {})}
    result = CliRunner().invoke(main, ["--root", str(project), "--today", TODAY, *args],
                                input=input, env=environment, catch_exceptions=False)
    return result


def break_theme(project: Path) -> Path:
    path = project / "lessons" / "kompetens-i-norrbotten.sv.md"
    path.write_text(path.read_text(encoding="utf-8").replace("theme: kompetensforsorjning", "theme: kompetens"),
                    encoding="utf-8")
    return path


# --- check ---------------------------------------------------------------------------

def test_check_reports_errors_as_file_line_column_message_in_swedish(project):
    break_theme(project)
    result = run(project, "check")
    assert result.exit_code == 1
    assert ("lessons/kompetens-i-norrbotten.sv.md:7:8: okänt id 'kompetens' i fältet 'theme'. "
            "Menade du 'kompetensforsorjning'? Giltiga id finns i data/themes.yml.") in result.output.splitlines()
    assert "Rätta felen ovan." in result.output
    assert "::error" not in result.output


@pytest.mark.parametrize("how", [("--lang", "en"), "LARDOM_LANG"])
def test_check_speaks_english_when_asked(project, how):
    break_theme(project)
    if how == "LARDOM_LANG":
        result = run(project, "check", env={"LARDOM_LANG": "en"})
    else:
        result = CliRunner().invoke(main, [*how, "--root", str(project), "check"], env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 1
    assert "lessons/kompetens-i-norrbotten.sv.md:7:8: unknown id 'kompetens' in the field 'theme'." in result.output
    assert "Fix the errors above." in result.output


def test_check_warns_but_passes_when_there_are_only_warnings(project):
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("lessons/kompetens-i-norrbotten.sv.md:1:1: varning: lärdomen har ingen översättning till språket 'en'. "
            "Skapa lessons/kompetens-i-norrbotten.en.md") in lines[0] + lines[1] or any(
        line.startswith("lessons/kompetens-i-norrbotten.sv.md:1:1: varning: lärdomen har ingen översättning")
        for line in lines)
    assert any(line.startswith("lessons/bostader-i-skelleftea.en.md:1:1: varning: det går inte att se") for line in lines)
    assert any(line.startswith("lessons/norrbotten/zink.sv.md:5:1: varning: lärdomen ändrades senast 2023-01-01")
               for line in lines)
    assert "0 fel och" in lines[-1]


def test_check_prints_github_annotations_in_a_workflow(project):
    break_theme(project)
    result = run(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert ("::error file=lessons/kompetens-i-norrbotten.sv.md,line=7,col=8::okänt id 'kompetens' i fältet 'theme'."
            in result.output)
    assert re.search(r"^::warning file=lessons/norrbotten/zink\.sv\.md,line=5,col=1::lärdomen ändrades", result.output,
                     re.MULTILINE)


def test_annotations_escape_what_github_asks_to_escape(data):
    words = Words(data.labels, data.messages, "sv")
    problem = Problem("yaml-syntax", Position("lessons/a,b:c.sv.md", 2, 3), detail="100%\r\nny rad")
    line = annotation(problem, words)
    assert line.startswith("::error file=lessons/a%2Cb%3Ac.sv.md,line=2,col=3::")
    # Line breaks in a value are spaces already (messages.py); % is still GitHub's to escape.
    assert "100%25  ny rad" in line and "\n" not in line and "\r" not in line


def test_check_with_a_path_reports_only_that_file(project):
    break_theme(project)
    result = run(project, "check", str(project / "lessons" / "bostader-i-skelleftea.sv.md"))
    assert result.exit_code == 0, result.output
    assert "kompetens-i-norrbotten" not in result.output
    broken = run(project, "check", str(project / "lessons" / "kompetens-i-norrbotten.sv.md"))
    assert broken.exit_code == 1 and "okänt id 'kompetens'" in broken.output
    missing = run(project, "check", "lessons/finns-inte.sv.md")
    assert missing.exit_code == 1 and "Fel: 'lessons/finns-inte.sv.md' finns inte." in missing.output


def test_a_broken_link_between_lessons_is_an_error(project):
    path = project / "lessons" / "bostader-i-skelleftea.sv.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSe [annan](kompetens-i-norrbotte.md).\n", encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 1
    assert re.search(r"^lessons/bostader-i-skelleftea\.sv\.md:\d+:12: länken går till 'kompetens-i-norrbotte\.md', "
                     r"men ingen lärdom heter 'kompetens-i-norrbotte'\. Menade du 'kompetens-i-norrbotten'", result.output, re.MULTILINE)


def test_data_errors_are_reported_and_stop(project):
    themes = project / "data" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("- id: bostader", "- id: Bostader"), encoding="utf-8")
    result = run(project, "check", str(project / "lessons" / "norrbotten" / "zink.sv.md"))
    assert result.exit_code == 1 and "data/themes.yml:" in result.output and "'Bostader'" in result.output


# --- new -----------------------------------------------------------------------------

NEW_OPTIONS = ("new", "--type", "lesson", "--title", "Tillfälliga bostäder åt byggarbetare i Gällivare",
               "--summary", "Kommunen hyrde moduler.", "--theme", "bostader", "--theme", "infrastruktur",
               "--region", "gallivare", "--actor", "gallivare-kommun", "--date", "2026-06-01")


def test_new_with_options_writes_a_lesson_that_passes_check(project):
    result = run(project, *NEW_OPTIONS, "--no-english")
    assert result.exit_code == 0, result.output
    path = project / "lessons" / "tillfalliga-bostader-at-byggarbetare-i-gallivare.sv.md"
    assert "Skapade lessons/tillfalliga-bostader-at-byggarbetare-i-gallivare.sv.md" in result.output
    text = path.read_text(encoding="utf-8")
    assert 'title: "Tillfälliga bostäder åt byggarbetare i Gällivare"' in text
    assert "theme:\n  - bostader\n  - infrastruktur\n" in text and "date: 2026-06-01" in text
    assert "varning: lärdomen har ingen översättning" in result.output  # the only remark
    checked = run(project, "check", str(path))
    assert checked.exit_code == 0 and "0 fel och 1 varningar." in checked.output


def test_new_with_english_writes_a_draft_that_check_warns_about(project):
    result = run(project, *NEW_OPTIONS, "--english", "--slug", "moduler-gallivare")
    assert result.exit_code == 0, result.output
    english = project / "lessons" / "moduler-gallivare.en.md"
    assert "draft: true" in english.read_text(encoding="utf-8")
    assert "lessons/moduler-gallivare.en.md:1:1: varning: översättningen är markerad som inte klar" in result.output


def test_new_refuses_a_taken_slug_and_wrong_ids_with_a_suggestion(project):
    taken = run(project, *NEW_OPTIONS, "--no-english", "--slug", "zink")
    assert taken.exit_code == 1
    assert "det finns redan en lärdom med filnamnet 'zink': lessons/norrbotten/zink.sv.md" in taken.output
    wrong = run(project, "new", "--type", "lesson", "--title", "X", "--summary", "Y", "--theme", "bostad",
                "--region", "gallivare", "--actor", "boverket", "--no-english")
    assert wrong.exit_code == 1
    assert "'bostad' finns inte bland alternativen för theme. Menade du 'bostader'?" in wrong.output
    assert not (project / "lessons" / "x.sv.md").exists()
    english = run(project, "--lang", "en", *NEW_OPTIONS, "--no-english", "--slug", "zink")
    assert "there is already a lesson with the file name 'zink'" in english.output


def in_swedish_order(vocabulary, data) -> list:
    key = collation_key(data.language("sv"))
    return sorted(vocabulary, key=lambda term: key(term.name("sv")))


def test_new_asks_for_what_is_missing_and_asks_again_after_a_wrong_answer(project, data):
    # The choices are listed by name in Swedish order (å, ä, ö last), and numbered so.
    number = in_swedish_order(data.themes, data).index(data.themes["bostader"]) + 1
    assert number == 2  # Befolkningsattraktion, Bostäder, …
    answers = ["", "Ny lärdom om vatten", "En mening.", "bostad", f"{number}, finansiering",
               "Skellefteå", "1,2", "ja"]
    result = run(project, "new", "--type", "case", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Skriv något här." in result.output  # the empty title
    assert re.search(rf"^ +{number}  bostader +Bostäder$", result.output, re.MULTILINE)  # names in Swedish
    assert "'bostad' finns inte bland alternativen för theme. Menade du 'bostader'?" in result.output
    text = (project / "lessons" / "ny-lardom-om-vatten.sv.md").read_text(encoding="utf-8")
    actors = in_swedish_order(data.actors, data)[:2]
    assert "type: case" in text and "theme:\n  - bostader\n  - finansiering\n" in text
    assert "region: skelleftea\n" in text and f"actor:\n  - {actors[0].id}\n  - {actors[1].id}\n" in text
    assert "## Vad hände" in text
    assert "draft: true" in (project / "lessons" / "ny-lardom-om-vatten.en.md").read_text(encoding="utf-8")


def test_new_type_takes_only_one_value(project):
    result = run(project, "new", "--type", "lesson,case", "--title", "X")
    assert result.exit_code == 1 and "type kan bara ha ett värde." in result.output


# --- translated ------------------------------------------------------------------------

def test_a_changed_swedish_text_makes_the_translation_outdated_until_marked(project):
    assert run(project, "translated", "bostader-i-skelleftea").exit_code == 0
    assert "bostader-i-skelleftea.en" not in run(project, "check").output
    swedish = project / "lessons" / "bostader-i-skelleftea.sv.md"
    swedish.write_text(swedish.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", encoding="utf-8")
    outdated = run(project, "check")
    assert re.search(r"^lessons/bostader-i-skelleftea\.en\.md:\d+:1: varning: den svenska texten "
                     r"\(lessons/bostader-i-skelleftea\.sv\.md\) har ändrats", outdated.output, re.MULTILINE)
    marked = run(project, "translated", "bostader-i-skelleftea")
    assert marked.exit_code == 0 and "översättningen är markerad som klar" in marked.output
    assert "bostader-i-skelleftea.en" not in run(project, "check").output


def test_translated_finishes_a_draft_and_checks_it(project):
    run(project, *NEW_OPTIONS, "--english", "--slug", "moduler")
    unfinished = run(project, "translated", "moduler")
    assert unfinished.exit_code == 1  # title and summary are still empty
    assert "lessons/moduler.en.md:4:8: fältet 'title' är tomt." in unfinished.output
    assert "draft" not in (project / "lessons" / "moduler.en.md").read_text(encoding="utf-8")


def test_translated_names_an_unknown_lesson_with_a_suggestion(project):
    result = run(project, "translated", "bostader-i-skellefte")
    assert result.exit_code == 1 and "ingen lärdom heter 'bostader-i-skellefte'. Menade du 'bostader-i-skelleftea'?" \
        in result.output


# --- status ---------------------------------------------------------------------------

def test_status_as_json_has_stable_english_keys(project):
    result = run(project, "status", "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert list(summary) == ["total", "errors", "by_type", "by_theme", "by_county", "by_language",
                             "translations", "newest", "stalest"]
    assert summary["total"] == 6 and summary["by_language"] == {"sv": 6, "en": 1}
    assert summary["by_county"] == {"sverige": 1, "norrbotten": 5, "vasterbotten": 1}
    assert summary["translations"]["en"]["untracked"] == ["bostader-i-skelleftea"]
    assert summary["newest"][0] == {"slug": "bostader-i-skelleftea", "changed": "2025-01-10", "date": "2024-06-18",
                                    "path": "lessons/bostader-i-skelleftea.sv.md"}


def test_status_as_text_in_swedish_and_english(project):
    swedish = run(project, "status").output
    assert "Lärdomsbanken i siffror" in swedish and re.search(r"Norrbottens län\s+5\n", swedish)
    assert "bostader-i-skelleftea (engelska, okänt ursprung)" in swedish
    english = run(project, "--lang", "en", "status").output
    assert "Lärdomsbanken in numbers" in english and re.search(r"Case note\s+2\n", english)


def test_status_lists_names_as_the_language_sorts_them(project):
    swedish = run(project, "status").output
    themes = swedish.split("Efter tema\n")[1].split("\n\n")[0]
    names = [re.sub(r"\s+\d+$", "", line.strip()) for line in themes.splitlines()]
    assert names == ["Befolkningsattraktion", "Bostäder", "Energiförsörjning", "Finansiering", "Flernivåsamverkan",
                     "Infrastruktur", "Kompetensförsörjning", "Miljötillståndsprövning", "Små och medelstora företag"]
    languages = swedish.split("Efter språk\n")[1].split("\n\n")[0]
    assert languages.split()[0] == "svenska"  # the source language first, not in alphabetical order


# --- the command itself ------------------------------------------------------------------

def test_help_is_in_the_chosen_language(project):
    swedish = run(project, "--help").output
    assert swedish.startswith("Användning: lardom") and "Kommandon:" in swedish and "Skapa en ny lärdom" in swedish
    english = CliRunner().invoke(main, ["--lang", "en", "new", "--help"]).output
    assert english.startswith("Usage: lardom new") and "Also create an English file" in english


def test_errors_of_the_command_itself_are_in_swedish(project, tmp_path):
    unknown = run(project, "check", "--strikt")
    assert unknown.exit_code == 2 and "Fel: " in unknown.output and "lardom --help" in unknown.output
    language = run(project, "--lang", "de", "check")
    assert language.exit_code == 1 and "okänt språk 'de'. Giltiga språk: sv, en." in language.output
    elsewhere = CliRunner().invoke(main, ["check"], env={"LARDOM_LANG": None})  # from the test's working folder
    assert elsewhere.exit_code in (0, 1)
    empty = tmp_path / "tom"
    empty.mkdir()
    nowhere = CliRunner().invoke(main, ["--root", str(empty), "check"])
    assert nowhere.exit_code == 1 and "Fel:" in nowhere.output


# --- the pre-commit hooks ------------------------------------------------------------------

def test_pre_commit_hooks_run_lardom_check_on_lessons_and_on_data_changes(project):
    import yaml
    from sitebuild import ROOT
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    lessons, data = hooks["lardom-check-lessons"], hooks["lardom-check-data"]
    assert re.search(lessons["files"], "lessons/norrbotten/zink.sv.md") and not re.search(lessons["files"], "README.md")
    assert re.search(data["files"], "data/themes.yml") and data["pass_filenames"] is False
    broken = break_theme(project)
    for hook, files in ((lessons, [str(broken)]), (data, [])):
        program, *args = hook["entry"].split()
        assert program == "lardom"  # the script pyproject.toml installs
        result = run(project, *args, *files)
        assert result.exit_code == 1 and "okänt id 'kompetens'" in result.output
