"""Lesson bodies are CommonMark with GitHub's extensions, through a real `mkdocs build --strict`.

A held-out lesson (tests/fixtures/github_lessons, beside the fixture lessons) uses every
extension an editor sees in GitHub's preview: a table, footnotes, fenced code with a
language, strikethrough, a task list, autolinks and each of the five alerts, with headings
whose ids GitHub makes its way (Swedish letters kept). It has an English translation, and a
second lesson without one shows its alert in Swedish on the English page. (The browser tests
audit the same pages: test_accessibility.py, test_csp.py.)

`lardom check` and the build read a body through the same parse, so they agree. The issue's
case is an unclosed fence followed by `[x](finns-inte.md)`. CommonMark (spec 0.31.2, 4.5):
"If the end of the containing block (or document) is reached and no closing code fence has
been found, the code block contains all of the lines after the opening code fence", and its
examples: "Unclosed code blocks are closed by the end of the document (or the enclosing block
quote or list item)". So in github_lessons/ostangt-staket.sv.md the link is code: both pass
and the page shows it as code. A fence inside a block quote ends with the quote, so the link
after it is a link, as after a closed fence: both fail, naming the same file:line:column.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from sitebuild import GITHUB_LESSONS, Site, build, make_github_project, make_project

from lardomsbanken.cli.main import main

FRONT = """---
type: lesson
title: "{title}"
summary: "S."
date: 2025-05-05
region: kiruna
theme: bostader
actor: boverket
---

"""
# Broken links that check and build must both tell, at the same place: file -> (text, line:column).
BROKEN_LINKS = {
    "stangt-staket.sv.md": (FRONT.format(title="Stängt staket") + "```\nkod\n```\n\n[x](finns-inte.md)\n", "15:5"),
    "staket-i-citat.sv.md": (FRONT.format(title="Staket i citat") + "> ```\n> kod i ett citat\n\nSe [x](finns-inte.md).\n",
                             "14:8"),
}
ALERTS = {  # admonition type -> (Swedish title, English title), GitHub's five alerts in their order
    "note": ("Obs", "Note"), "tip": ("Tips", "Tip"), "important": ("Viktigt", "Important"),
    "warning": ("Varning", "Warning"), "danger": ("Se upp", "Caution"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_github_project(tmp_path_factory.mktemp("github") / "project")


@pytest.fixture(scope="module")
def site(project) -> Site:
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def body(site: Site, url: str):
    return site.page(url).select_one(".md-content")


def check(project) -> tuple[int, list[str]]:
    """`lardom check` of a project: its exit code and its error lines (not its warnings)."""
    result = CliRunner().invoke(main, ["--root", str(project), "--today", "2025-06-01", "check"],
                                env={"LARDOM_LANG": None, "GITHUB_ACTIONS": None}, catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    return result.exit_code, [line for line in lines if ": varning: " not in line]


# --- every extension, in both languages ---------------------------------------------------------


def test_lardom_check_finds_nothing_wrong_with_the_held_out_lessons(project):
    code, errors = check(project)
    assert (code, errors) == (0, [])


@pytest.mark.parametrize("url, columns", [("/lardomar/github/", ["Kommun", "Invånare", "Andel"]),
                                          ("/en/lardomar/github/", ["Municipality", "Residents"])])
def test_a_table_keeps_its_columns_their_alignment_and_a_link_to_a_lesson(site, url, columns):
    table = body(site, url).select_one("table")
    assert [th.get_text() for th in table.select("thead th")] == columns
    assert [th.get("align") for th in table.select("thead th")] == ["left", "right", "center"][:len(columns)]
    first = table.select("tbody tr")[0]
    assert [td.get_text() for td in first.select("td")][1] == "75 000"
    assert Site.resolve(url, first.select_one("td a")["href"]) == url.replace("github", "zink")


def test_footnotes_are_numbered_linked_both_ways_and_listed_at_the_end(site):
    url = "/lardomar/github/"
    content = body(site, url)
    references = content.select("sup a.footnote-ref")
    assert [(a.get_text(), a["href"], a.parent["id"]) for a in references] == [("1", "#fn:1", "fnref:1"),
                                                                               ("2", "#fn:2", "fnref:2")]
    notes = content.select(".footnote ol > li")
    assert [li["id"] for li in notes] == ["fn:1", "fn:2"]
    assert notes[0].get_text().strip() == "Källan, se Zink.\xa0↩"
    assert Site.resolve(url, notes[0].select_one("a:not(.footnote-backref)")["href"]) == "/lardomar/zink/"
    back = notes[1].select_one("a.footnote-backref")
    assert back["href"] == "#fnref:2" and back["aria-label"] == "Tillbaka till fotnot 2 i texten"
    english = body(site, "/en/lardomar/github/").select_one(".footnote a.footnote-backref")
    assert english["aria-label"] == "Back to footnote 1 in the text"


@pytest.mark.parametrize("url, lesson, first_line", [
    ("/lardomar/github/", "github.sv.md", 'print("hej & <då>")'),
    ("/en/lardomar/github/", "github.en.md", 'print("hello")'),
])
def test_fenced_code_keeps_its_language_and_its_text(site, url, lesson, first_line):
    source = (GITHUB_LESSONS / lesson).read_text(encoding="utf-8")
    code = source.split("```python\n", 1)[1].split("```\n", 1)[0]
    assert code.startswith(first_line + "\n")
    block = body(site, url).select_one("pre > code")
    assert block["class"] == ["language-python"] and block.get_text() == code


@pytest.mark.parametrize("url, struck, tasks, task_name", [
    ("/lardomar/github/", "struken text", ["Klart", "Inte klart"], "Uppgift"),
    ("/en/lardomar/github/", "struck text", ["Done", "Not done"], "Task"),
])
def test_strikethrough_and_a_task_list(site, url, struck, tasks, task_name):
    content = body(site, url)
    assert [element.get_text() for element in content.select("del")] == [struck]
    boxes = content.select("li > input[type=checkbox]")
    assert [box.parent.get_text(strip=True) for box in boxes] == tasks
    assert [box.has_attr("checked") for box in boxes] == [True, False]
    assert all(box.has_attr("disabled") and box["aria-label"] == task_name for box in boxes)


def test_autolinks_as_github_finds_them(site):
    links = {a.get_text(): a["href"] for a in body(site, "/lardomar/github/").select("p a")
             if "example.org" in a.get_text()}
    assert links == {"www.example.org": "http://www.example.org",
                     "https://example.org/sida?a=1": "https://example.org/sida?a=1",  # not the full stop
                     "info@example.org": "mailto:info@example.org"}


@pytest.mark.parametrize("url, language", [("/lardomar/github/", 0), ("/en/lardomar/github/", 1)])
def test_the_five_alerts_are_admonitions_titled_in_the_pages_language(site, url, language):
    boxes = body(site, url).select("div.admonition")
    assert [box["class"][1] for box in boxes] == list(ALERTS)
    assert [box.select_one("p.admonition-title").get_text() for box in boxes] == \
        [titles[language] for titles in ALERTS.values()]
    assert all(len(box.select("p")) == 2 and "[!" not in box.get_text() for box in boxes)


def test_an_untranslated_lessons_alert_keeps_its_swedish_title_on_the_english_page(site):
    text = body(site, "/en/lardomar/bara-svenska/").select_one(".ld-body")
    assert text["lang"] == "sv"
    assert [box.select_one(".admonition-title").get_text() for box in text.select(".admonition")] == ["Tips"]


@pytest.mark.parametrize("url, ids", [
    ("/lardomar/github/", ["vad-hände", "åtgärder--resultat", "steg-1-kod-i-rubriken", "vad-hände-1"]),
    ("/en/lardomar/github/", ["what-happened", "measures--results", "what-happened-1"]),
])
def test_heading_ids_are_githubs_with_swedish_letters_kept_and_repeats_numbered(site, url, ids):
    content = body(site, url)
    assert [heading["id"] for heading in content.select("h2, h3")][:len(ids)] == ids
    every = [element["id"] for element in site.page(url).select("[id]")]
    assert len(every) == len(set(every)), "an id used twice on the page"


def test_a_link_to_a_heading_reaches_it(site):
    page = site.page("/lardomar/github/")
    link = next(a for a in page.select(".md-content p a") if a.get_text() == "en länk hit")
    assert link["href"].startswith("#")
    target = page.find(id=unquote(link["href"][1:]))  # as a browser finds a fragment
    assert target is not None and target.name == "h2" and target.get_text() == "Vad hände?"


@pytest.mark.parametrize("url, toc", [
    ("/lardomar/github/", [("vad-hände", ["åtgärder--resultat"]), ("steg-1-kod-i-rubriken", []), ("vad-hände-1", []),
                           ("relaterade-lärdomar", [])]),
    ("/en/lardomar/github/", [("what-happened", ["measures--results"]), ("what-happened-1", []),
                              ("related-lessons", [])]),
])
def test_the_table_of_contents_lists_the_headings_in_order_and_nesting(site, url, toc):
    listed = site.page(url).select_one("nav.md-nav--secondary > ul")
    found = [(item.select_one("a")["href"], [a["href"] for a in item.select(":scope > nav a")])
             for item in listed.find_all("li", recursive=False)]
    assert found == [("#" + ident, ["#" + child for child in children]) for ident, children in toc]


# --- lardom check and the build agree ------------------------------------------------------------


def test_an_unclosed_fence_makes_the_link_after_it_code_for_check_and_build_alike(project, site):
    code, errors = check(project)
    assert (code, errors) == (0, [])  # the build passed too (the `site` fixture)
    content = body(site, "/lardomar/ostangt-staket/")
    assert content.select_one("pre > code").get_text() == "kod som aldrig stängs\n\n[x](finns-inte.md)\n"
    assert not [a for a in content.select("a") if "finns-inte" in a.get("href", "")]


def test_a_broken_link_after_a_fence_is_told_at_the_same_place_by_check_and_build(tmp_path):
    project = make_project(tmp_path / "project")
    for name, (text, _) in BROKEN_LINKS.items():
        (project / "lessons" / name).write_text(text, encoding="utf-8")
    code, errors = check(project)
    result = build(project)
    assert code == 1 and result.returncode != 0
    assert not (project / "site").exists() and "Traceback" not in result.stderr
    told = [line.removeprefix("ERROR   -  ") for line in result.stderr.splitlines()
            if re.match(r"^ERROR   -  \S+:\d+:\d+: ", line)]
    assert told == errors
    expected = [f"lessons/{name}:{where}: länken går till 'finns-inte.md', men ingen lärdom heter 'finns-inte'."
                for name, (_, where) in sorted(BROKEN_LINKS.items())]
    assert [line[:len(want)] for line, want in zip(errors, expected, strict=False)] == expected and len(errors) == len(expected)
