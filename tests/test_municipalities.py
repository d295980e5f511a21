"""SKR's municipality groups and Sweden's 290 municipalities (load/municipalities.py over
data/municipality_groups.yml, data/regions.yml, data/other_municipalities.yml): the real data,
every mistake in a copy of it as a file:line:column problem, and the lists a group's page
shows (index/similar_places.py, pipeline/places.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from lardomsbanken.index.site_index import build_index
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.load.vocabularies import SiteData, load_site_data
from lardomsbanken.model.problems import ContentErrors, Problem

FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "lessons"
# SKR's groups of 2023 as SCB's table of 2025-01-01 gives them: how many municipalities each has.
GROUP_SIZES = {"a1": 3, "a2": 43, "b3": 23, "b4": 63, "b5": 24, "c6": 27, "c7": 51, "c8": 35, "c9": 21}
# The groups of the 29 municipalities lessons are about, from the same table.
COVERED_GROUPS = {
    "nordmaling": "b4", "bjurholm": "b4", "vindeln": "b5", "robertsfors": "b4", "norsjo": "c8", "mala": "c8",
    "storuman": "c9", "sorsele": "c9", "dorotea": "c8", "vannas": "b4", "vilhelmina": "c8", "asele": "c8",
    "umea": "b3", "lycksele": "c8", "skelleftea": "c6", "arvidsjaur": "c8", "arjeplog": "c9", "jokkmokk": "c9",
    "overkalix": "c8", "kalix": "c8", "overtornea": "c8", "pajala": "c8", "gallivare": "c9", "alvsbyn": "b5",
    "lulea": "b3", "pitea": "c6", "boden": "b5", "haparanda": "c8", "kiruna": "c6",
}


# --- the real data ------------------------------------------------------------------


def test_nine_groups_with_names_descriptions_and_neighbours(data):
    groups = data.places.groups
    assert list(groups) == ["a1", "a2", "b3", "b4", "b5", "c6", "c7", "c8", "c9"]
    assert [group.code for group in groups.values()] == ["A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"]
    assert groups["c8"].names == {"sv": "Landsbygdskommun", "en": "Rural municipalities"}
    assert groups["c9"].label("sv") == "C9 Landsbygdskommun med besöksnäring"
    assert groups["c9"].label("en") == "C9 Rural municipalities with a visitor industry"
    for group in groups.values():
        assert set(group.names) == set(group.descriptions) == {"sv", "en"}, group.id
        assert all(text.endswith(".") and "\n" not in text for text in group.descriptions.values()), group.id
        assert group.neighbours and group.id not in group.neighbours, group.id
        assert set(group.neighbours) <= set(groups), group.id


def test_all_290_municipalities_in_21_counties_each_with_its_group(data):
    places = data.places
    assert len(places.municipalities) == 290 and len(places.counties) == 21
    assert len({municipality.code for municipality in places}) == 290
    assert {group: len(places.in_group(group)) for group in places.groups} == GROUP_SIZES
    for municipality in places:
        county = places.counties[municipality.county]
        assert re.fullmatch(r"\d{4}", municipality.code) and municipality.code.startswith(county.code), municipality
        assert municipality.group in places.groups, municipality
    assert [municipality.code for municipality in places] == sorted(municipality.code for municipality in places)
    vaxjo = next(municipality for municipality in places if municipality.code == "0780")
    assert (vaxjo.name("sv"), vaxjo.name("en"), vaxjo.county, vaxjo.group, vaxjo.region) == \
        ("Växjö", "Växjö", "kronoberg", "b3", None)
    assert places.counties["vastra-gotaland"].names == {"sv": "Västra Götalands län", "en": "Västra Götaland County"}


def test_the_29_covered_municipalities_have_their_groups_in_regions_yml(data):
    covered = {term.id: term.group for term in data.regions if term.kind == "municipality"}
    assert covered == COVERED_GROUPS
    assert all(term.group is None for term in data.regions if term.kind != "municipality")
    in_places = {municipality.region: municipality for municipality in data.places if municipality.region}
    assert set(in_places) == set(COVERED_GROUPS)
    assert in_places["skelleftea"].code == "2482" and in_places["skelleftea"].county == "vasterbotten"


def test_the_other_261_municipalities_cannot_be_tagged(load, lesson, expect):
    # Växjö is in the reference list, not a place lessons can be about.
    result = load({"vaxjo.sv.md": lesson(region="vaxjo")})
    expect(result.problems, "unknown-id", "lessons/vaxjo.sv.md", 6, 9, "okänt id 'vaxjo'", "data/regions.yml")


# --- mistakes in a copy of data/ ---------------------------------------------------


@pytest.fixture
def broken(tmp_path):
    """Copy data/ to tmp, replace `old` by `new` once in `file`, and return the problems of loading it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")

    def _broken(file: str, old: str, new: str) -> list[Problem]:
        path = tmp_path / "data" / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ContentErrors) as raised:
            load_site_data(tmp_path / "data", tmp_path)
        return raised.value.problems

    return _broken


def where(file: str, text: str, value: str | None = None) -> tuple[int, int]:
    """The line of the first line of `file` holding `text`, and the column of `value` on it."""
    lines = (ROOT / "data" / file).read_text(encoding="utf-8").splitlines()
    number = next(number for number, line in enumerate(lines, start=1) if text in line)
    return number, (lines[number - 1].index(value) + 1 if value else 0)


def test_a_covered_municipality_with_an_unknown_group(broken, expect, render):
    line, column = where("regions.yml", "id: skelleftea,", "c6}")
    problem = expect(broken("regions.yml", "tile: [3, 5], group: c6}", "tile: [3, 5], group: c10}"),
                     "group-unknown", "data/regions.yml", line, column,
                     "okänd kommungrupp 'c10' i fältet 'group'", "a1, a2, b3, b4, b5, c6, c7, c8, c9")
    assert render(problem, "en").endswith("unknown municipality group 'c10' in the field 'group'. "
                                          "Valid groups: a1, a2, b3, b4, b5, c6, c7, c8, c9.")


def test_a_group_written_as_skr_writes_it_is_not_a_slug(broken, expect):
    line, column = where("regions.yml", "id: skelleftea,", "c6}")
    expect(broken("regions.yml", "tile: [3, 5], group: c6}", "tile: [3, 5], group: C6}"),
           "bad-slug", "data/regions.yml", line, column, "'C6'", "'c6'")


def test_a_covered_municipality_without_a_group(broken, expect, render):
    line, _ = where("regions.yml", "id: skelleftea,")
    problem = expect(broken("regions.yml", "tile: [3, 5], group: c6}", "tile: [3, 5]}"),
                     "group-missing", "data/regions.yml", line, 3, "kommunen 'skelleftea' saknar kommungrupp")
    assert "the municipality 'skelleftea' has no municipality group" in render(problem, "en")


def test_a_county_cannot_have_a_group(broken, expect):
    line, _ = where("regions.yml", 'code: "25"')
    expect(broken("regions.yml", 'code: "25"\n', 'code: "25"\n  group: c8\n'), "region-field-not-allowed",
           "data/regions.yml", line + 1, 10, "fältet 'group' används inte")


def test_a_reference_code_that_does_not_match_its_county(broken, expect, render):
    line, column = where("other_municipalities.yml", 'code: "0780"', '"0780"')
    problem = expect(broken("other_municipalities.yml", 'code: "0780"', 'code: "0680"'), "region-code-county",
                     "data/other_municipalities.yml", line, column, "kommunen 'Växjö' har koden 0680",
                     "länet 'kronoberg' börjar med 07")
    assert "codes in the county 'kronoberg' start with 07" in render(problem, "en")


def test_a_reference_municipality_with_an_unknown_group(broken, expect):
    line, column = where("other_municipalities.yml", 'code: "0780"', "b3}")
    expect(broken("other_municipalities.yml", "name: Växjö, county: kronoberg, group: b3}",
                  "name: Växjö, county: kronoberg, group: b6}"),
           "group-unknown", "data/other_municipalities.yml", line, column, "'b6'")


def test_a_reference_municipality_without_a_group(broken, expect):
    line, _ = where("other_municipalities.yml", 'code: "0780"')
    expect(broken("other_municipalities.yml", "name: Växjö, county: kronoberg, group: b3}",
                  "name: Växjö, county: kronoberg}"),
           "missing-field", "data/other_municipalities.yml", line, 5, "'group'")


def test_a_reference_municipality_in_an_unknown_county(broken, expect, render):
    line, column = where("other_municipalities.yml", 'code: "0780"', "kronoberg")
    problem = expect(broken("other_municipalities.yml", "name: Växjö, county: kronoberg,",
                            "name: Växjö, county: kronoborg,"),
                     "place-unknown-county", "data/other_municipalities.yml", line, column,
                     "kommunen 'Växjö' anger länet 'kronoborg'", "kronoberg")
    assert "which does not exist" in render(problem, "en")


def test_a_code_listed_twice(broken, expect, render):
    line, column = where("other_municipalities.yml", 'code: "0781"', '"0781"')
    problem = expect(broken("other_municipalities.yml", 'code: "0781"', 'code: "0780"'), "place-duplicate-code",
                     "data/other_municipalities.yml", line, column, "koden 0780 finns redan", "'Växjö'")
    assert "already appears earlier in the file ('Växjö')" in render(problem, "en")


def test_a_bad_reference_code(broken, expect):
    line, column = where("other_municipalities.yml", 'code: "0780"', '"0780"')
    expect(broken("other_municipalities.yml", 'code: "0780"', 'code: "780"'), "region-bad-code",
           "data/other_municipalities.yml", line, column, "4 siffror")


def test_an_unknown_neighbour(broken, expect):
    line, column = where("municipality_groups.yml", "neighbours: [c9, c7]", "c7]")
    expect(broken("municipality_groups.yml", "neighbours: [c9, c7]", "neighbours: [c9, c77]"), "group-unknown",
           "data/municipality_groups.yml", line, column, "'c77' i fältet 'neighbours'")


def test_a_group_without_a_description(broken, expect):
    line, _ = where("municipality_groups.yml", "- id: c8")
    old = ("    sv: Kommuner med mindre än 15 000 invånare i den största tätorten och lågt pendlingsmönster "
           "(mindre än 30 procent).\n")
    problem = expect(broken("municipality_groups.yml", old, ""), "missing-translation",
                     "data/municipality_groups.yml", line + 3, 5)
    assert problem.params == {"field": "description", "language": "sv"}


def test_a_municipality_added_to_regions_yml_may_stay_in_the_reference_list_with_the_same_group(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    regions = tmp_path / "data" / "regions.yml"
    with open(regions, "a", encoding="utf-8") as stream:
        stream.write('\n- {id: kronoberg, kind: county, code: "07", name: {sv: Kronobergs län, en: Kronoberg County}}\n'
                     '- {id: vaxjo, kind: municipality, code: "0780", county: kronoberg, '
                     'name: {sv: Växjö, en: Växjö}, group: b3}\n')
    data = load_site_data(tmp_path / "data", tmp_path)
    vaxjo = [municipality for municipality in data.places if municipality.code == "0780"]
    assert len(vaxjo) == 1 and vaxjo[0].region == "vaxjo" and len(data.places.municipalities) == 290
    assert len(data.places.counties) == 21
    # … but not with another group: the line in the reference list names the one in regions.yml.
    text = regions.read_text(encoding="utf-8").replace("name: {sv: Växjö, en: Växjö}, group: b3}",
                                                       "name: {sv: Växjö, en: Växjö}, group: c6}")
    regions.write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_site_data(tmp_path / "data", tmp_path)
    [problem] = raised.value.problems
    line, column = where("other_municipalities.yml", 'code: "0780"', "b3}")
    assert (problem.code, problem.position.file, problem.position.line, problem.position.column) == \
        ("place-group-differs", "data/other_municipalities.yml", line, column)
    assert "kommunen 'Växjö' har kommungruppen 'b3' här, men 'c6' i data/regions.yml" in \
        data.messages.render(problem, "sv")


# --- what a group's page lists --------------------------------------------------------


@pytest.fixture(scope="module")
def index(data: SiteData):
    loaded = load_lessons(FIXTURE_LESSONS, ROOT, data)
    assert not [problem for problem in loaded.problems if problem.is_error]
    return build_index(data, loaded.lessons)


def slugs(lessons) -> list[str]:
    return [lesson.slug for lesson in lessons]


def test_a_group_lists_its_own_then_each_neighbour_then_wider_places_each_lesson_once(index):
    # Fixture lessons: Skellefteå (C6), Luleå and Sweden (B3), Haparanda (C8) twice, Älvsbyn (B5),
    # Norrbotten County.
    b3 = index.places.lessons("b3", "sv")
    assert slugs(b3.same) == ["vatten-i-norrbotten"]
    assert [(group, slugs(lessons)) for group, lessons in b3.neighbours] == \
        [("a1", []), ("c6", ["bostader-i-skelleftea"]), ("b4", [])]
    assert slugs(b3.wide) == ["kompetens-i-norrbotten"]  # not vatten-i-norrbotten again
    c8 = index.places.lessons("c8", "sv")
    assert slugs(c8.same) == ["zink", "ostra-norrbotten"]  # newest first, then as Swedish sorts: Z before Ö
    assert [(group, slugs(lessons)) for group, lessons in c8.neighbours] == [("c9", []), ("c7", [])]
    assert slugs(c8.wide) == ["kompetens-i-norrbotten", "vatten-i-norrbotten"]
    c7 = index.places.lessons("c7", "en")
    assert [(group, slugs(lessons)) for group, lessons in c7.neighbours] == \
        [("c6", ["bostader-i-skelleftea"]), ("c8", ["zink", "ostra-norrbotten"]), ("b5", ["arenden"])]
    assert c7.total == 6 and sorted(slugs(c7.all())) == sorted(set(slugs(c7.all())))


def test_a_lessons_groups_and_each_groups_count(index):
    assert index.places.groups(index.lessons["vatten-i-norrbotten"]) == ["b3"]
    assert index.places.groups(index.lessons["kompetens-i-norrbotten"]) == []
    counts = {group: index.places.count(group) for group in index.data.places.groups}
    assert counts == {"a1": 0, "a2": 0, "b3": 1, "b4": 0, "b5": 1, "c6": 1, "c7": 0, "c8": 2, "c9": 0}


def test_the_data_files_are_documented_in_their_headers():
    for name in ("municipality_groups.yml", "other_municipalities.yml", "regions.yml"):
        text = Path(ROOT / "data" / name).read_text(encoding="utf-8")
        assert "SCB" in text and "kommungruppsindelning 2023" in text, name


def test_wider_places_are_sweden_and_counties_none_of_whose_municipalities_are_named(data, load, lesson):
    from lardomsbanken.index.similar_places import is_wide

    loaded = load({"a.sv.md": lesson(region="[lulea, norrbotten]"), "b.sv.md": lesson(region="norrbotten"),
                   "c.sv.md": lesson(region="[lulea, sverige]"), "d.sv.md": lesson(region="[lulea, vasterbotten]"),
                   "e.sv.md": lesson(region="lulea")})
    assert not [problem for problem in loaded.problems if problem.is_error]
    wide = {slug: is_wide(data, found) for slug, found in loaded.lessons.items()}
    assert wide == {"a": False, "b": True, "c": True, "d": True, "e": False}


def test_a_group_page_shows_the_newest_of_a_long_list_and_where_the_rest_are(tmp_path):
    # 33 lessons from Haparanda (C8): its page shows the newest 30 and leads to the filtered list.
    from bs4 import BeautifulSoup

    from lardomsbanken.index.similar_places import SHOWN
    from lardomsbanken.pipeline import site
    from lardomsbanken.render import urls

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "lessons").mkdir()
    for number in range(SHOWN + 3):
        (tmp_path / "lessons" / f"lardom-{number:02d}.sv.md").write_text(
            f'---\ntype: lesson\ntitle: "Lärdom {number:02d}"\nsummary: "S."\ndate: 2024-01-{number % 28 + 1:02d}\n'
            "region: haparanda\ntheme: bostader\nactor: boverket\n---\n\nText.\n", encoding="utf-8")
    prepared = site.prepare(site.Project.at(tmp_path))
    plan = next(plan for plan in prepared.plans["sv"] if plan.page == urls.group_page("c8"))
    page = BeautifulSoup(plan.render().content, "html.parser")
    first = page.select_one(".ld-list")
    assert len(first.select(".ld-card")) == SHOWN
    count = first.find_previous_sibling("p")
    assert count.get_text(" ", strip=True).startswith(f"{SHOWN + 3} lärdomar och fallbeskrivningar. "
                                                     f"De {SHOWN} senaste visas här.")
    assert count.a["href"] == "../../lardomar/?kommungrupp=c8"
    covered = first.find_previous_sibling("p").find_previous_sibling("p")  # the place's page lists them all
    assert [a.get_text() for a in covered.select("a")] == ["Haparanda"]
    assert covered.a["href"] == "../../regioner/haparanda/"
