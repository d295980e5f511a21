"""A facet is data: a new one added by editing data/ alone (its entry in facets.yml, its
vocabulary file and its words in labels.yml) gets its pages, filter, lesson facts, feeds,
open data and guide row in a real build, with no code changed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sitebuild import Site, build, make_project

PROGRAMME = """- id: programme
  vocabulary: programmes.yml
  folder: program
  param: program
  required: false
  related: true
  feeds: true
"""
VOCABULARY = """- id: regionalfonden
  name: {sv: Regionalfonden, en: The Regional Fund}
  description: {sv: EU:s regionala utvecklingsfond., en: The European Regional Development Fund.}
- id: omstallningsfonden
  name: {sv: Omställningsfonden, en: The Transition Fund}
"""
LABELS = """facet.programme.title: {sv: Program, en: Programmes}
facet.programme.kicker: {sv: Program, en: Programme}
facet.programme.description: {sv: Lärdomar efter finansieringsprogram., en: Lessons by funding programme.}
filter.programme: {sv: Program, en: Programme}
lesson.programme: {sv: Program, en: Programme}
search.kind.programme: {sv: Program, en: Programme}
feed.programme.subtitle: {sv: "Nytt från programmet {name}.", en: "New from the programme {name}."}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("facet") / "project")
    data = project / "data"
    (data / "facets.yml").write_text((data / "facets.yml").read_text(encoding="utf-8") + PROGRAMME, encoding="utf-8")
    (data / "programmes.yml").write_text(VOCABULARY, encoding="utf-8")
    (data / "labels.yml").write_text((data / "labels.yml").read_text(encoding="utf-8") + LABELS, encoding="utf-8")
    lesson = project / "lessons" / "bostader-i-skelleftea.sv.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("\nregion:", "\nprogramme: regionalfonden\nregion:", 1), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def test_a_new_facet_has_an_overview_and_a_page_per_term_in_both_languages(site):
    overview = site.page("/program/")
    assert overview.select_one("h1").get_text() == "Program"
    assert [a.get_text() for a in overview.select(".ld-terms a")] == ["Omställningsfonden", "Regionalfonden"]
    term = site.page("/en/program/regionalfonden/")
    assert term.select_one("h1").get_text() == "The Regional Fund"
    assert [a["href"].strip("/").rsplit("/", 1)[-1] for a in term.select(".md-content .ld-card__title a")] == [
        "bostader-i-skelleftea"]


def test_a_lesson_names_its_terms_and_the_list_filters_by_them(site):
    facts = site.page("/lardomar/bostader-i-skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    assert "Program Regionalfonden" in facts
    page = site.page("/lardomar/")
    assert page.select_one('select[name="program"]') is not None
    card = page.select_one('.ld-card:has(a[href*="bostader-i-skelleftea"])')
    assert card["data-program"] == "regionalfonden"


def test_feeds_and_open_data_carry_the_new_facet(site):
    assert site.exists("/flode/program/regionalfonden.xml") and site.exists("/en/flode/program/omstallningsfonden.xml")
    document = json.loads((site.root / "oppna-data" / "lardomar.json").read_text(encoding="utf-8"))
    record = next(r for r in document["lessons"] if r["slug"] == "bostader-i-skelleftea")
    assert record["programme"] == ["regionalfonden"]
    assert [t["id"] for t in document["vocabularies"]["programme"]] == ["regionalfonden", "omstallningsfonden"]
    rows = list(csv.DictReader(io.StringIO((site.root / "oppna-data" / "lardomar.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["slug"] == "bostader-i-skelleftea" and r["language"] == "en")
    assert (row["programme"], row["programme_name"]) == ("regionalfonden", "The Regional Fund")
    schema = json.loads((site.root / "oppna-data" / "lardom.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["programme"]["enum"] == ["regionalfonden", "omstallningsfonden"]
    assert "programme" in schema["properties"] and "programme" not in schema["required"]


def test_the_guide_lists_the_new_field(site):
    rows = [tr.get_text(" | ", strip=True) for tr in site.page("/skriva/").select("table tr")]
    assert any(row.startswith("programme | nej | Ett id eller en lista med id från | data/programmes.yml") for row in rows)
