"""The vocabularies in data/: the real content, every mistake in a copy of it, and the message catalogue."""

from __future__ import annotations

import re
import shutil
import string

import pytest
from conftest import ROOT

from lardomsbanken.load.fields import _scalar_code
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.vocabularies import load_site_data
from lardomsbanken.load.yamlnodes import Scalar
from lardomsbanken.model.problems import ContentErrors, Position, Problem

AGENCY_THEMES = ["kompetensforsorjning", "befolkningsattraktion", "infrastruktur", "bostader",
                 "miljotillstandsprovning", "finansiering", "sma-och-medelstora-foretag", "flernivasamverkan"]


# --- the real data ------------------------------------------------------------------


def test_regions_hold_two_counties_and_their_29_municipalities(data):
    counties = {t.id: t for t in data.regions if t.kind == "county"}
    municipalities = [t for t in data.regions if t.kind == "municipality"]
    assert {i: t.code for i, t in counties.items()} == {"norrbotten": "25", "vasterbotten": "24"}
    assert counties["norrbotten"].names == {"sv": "Norrbottens län", "en": "Norrbotten County"}
    assert len(municipalities) == 29
    for term in municipalities:
        assert isinstance(term.code, str) and re.fullmatch(r"\d{4}", term.code), term
        assert term.county in counties, term
        assert term.code.startswith(counties[term.county].code), term
    by_county = {c: sum(1 for t in municipalities if t.county == c) for c in counties}
    assert by_county == {"norrbotten": 14, "vasterbotten": 15}
    assert len({t.code for t in municipalities}) == 29


def test_skelleftea_and_sweden_as_a_whole(data):
    skelleftea = data.regions["skelleftea"]
    assert (skelleftea.code, skelleftea.county, skelleftea.kind) == ("2482", "vasterbotten", "municipality")
    assert skelleftea.names == {"sv": "Skellefteå", "en": "Skellefteå"}
    national = [t for t in data.regions if t.kind == "national"]
    assert [(t.id, t.code, t.county) for t in national] == [("sverige", None, None)]
    assert len(data.regions) == 32


def test_themes_are_the_agency_areas_plus_energy(data):
    assert [t.id for t in data.themes] == AGENCY_THEMES + ["energiforsorjning"]
    for term in data.themes:
        assert set(term.names) == set(term.descriptions) == {"sv", "en"}, term.id
    assert data.themes["bostader"].name("sv") == "Bostäder"
    assert data.themes["bostader"].name("en") == "Housing"


def test_types_and_languages(data):
    assert [(t.id, t.plurals["sv"]) for t in data.types] == [("lesson", "Lärdomar"), ("case", "Fallbeskrivningar")]
    assert data.source_language == "sv"
    assert data.language_codes == ["sv", "en"]
    assert data.language("sv").alphabet.endswith("zåäö")


def test_every_entry_has_a_slug_id_and_both_names(data):
    for vocabulary in (data.regions, data.themes, data.actors, data.types):
        assert vocabulary.file.startswith("data/") and vocabulary.file.endswith(".yml")
        for term in vocabulary:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.id), term.id
            assert set(term.names) == {"sv", "en"} and all(term.names.values()), term.id
            assert term.id != "index"
    kinds = set(data.labels.group("actor_kind"))
    assert {t.kind for t in data.actors} <= kinds
    assert {"skelleftea-kommun", "norrlandsfonden", "boverket", "trafikverket"} <= set(data.actors.terms)


def test_known_names_help_suggestions(data):
    assert data.regions.known_names()["skelleftea"] == ["Skellefteå", "Skellefteå"]


# --- mistakes in a copy of data/ ---------------------------------------------------


@pytest.fixture
def broken(tmp_path):
    """Copy data/ to tmp, replace `old` by `new` once in `file`, and return the problems of loading it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")

    def _broken(file: str, old: str, new: str) -> list[Problem]:
        path = tmp_path / "data" / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ContentErrors) as raised:
            load_site_data(tmp_path / "data", tmp_path)
        return raised.value.problems

    return _broken


def line_of(file: str, text: str) -> int:
    lines = (ROOT / "data" / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


SKELLEFTEA = line_of("regions.yml", "id: skelleftea")


def test_unquoted_municipality_code(broken, expect):
    problems = broken("regions.yml", 'code: "2482"', "code: 2482")
    problem = expect(problems, "number-not-text", "data/regions.yml", SKELLEFTEA, 46,
                     "i fältet 'code' läses '2482' som ett tal", 'Skriv det inom citattecken: "2482"')
    assert problem.params == {"field": "code", "text": "2482"}


def test_code_with_three_digits(broken, expect):
    expect(broken("regions.yml", 'code: "2482"', 'code: "248"'), "region-bad-code", "data/regions.yml",
           SKELLEFTEA, 46, "SCB-koden '248' ska vara 4 siffror", '"2482"')


def test_county_code_with_four_digits(broken, expect):
    expect(broken("regions.yml", 'code: "25"', 'code: "2500"'), "region-bad-code", "data/regions.yml",
           line_of("regions.yml", 'code: "25"'), 9, "ska vara 2 siffror")


def test_unquoted_county_code_is_reported_once(broken, expect):
    # The county entry is rejected; its 14 municipalities must not each be told that it is unknown.
    expect(broken("regions.yml", 'code: "25"', "code: 25"), "number-not-text", "data/regions.yml",
           line_of("regions.yml", 'code: "25"'), 9, '"25"')


def test_duplicate_id(broken, expect):
    line = line_of("regions.yml", "id: vindeln,")
    expect(broken("regions.yml", "id: vindeln,", "id: bjurholm,"), "duplicate-id", "data/regions.yml", line, 8,
           "id 'bjurholm' finns redan tidigare i filen", "måste vara unikt")


def test_missing_english_name(broken, expect):
    line = line_of("regions.yml", "id: vindeln,")
    problem = expect(broken("regions.yml", "{sv: Vindeln, en: Vindeln}", "{sv: Vindeln}"), "missing-translation",
                     "data/regions.yml", line, 79, "'name' saknar text på språket 'en'")
    assert problem.params == {"field": "name", "language": "en"}


def test_actor_with_unknown_kind(broken, expect):
    line = line_of("actors.yml", "kind: government")
    expect(broken("actors.yml", "kind: government", "kind: ministry"), "bad-choice", "data/actors.yml", line, 9,
           "'ministry' är inte ett giltigt värde för 'kind'",
           "Giltiga värden: government, agency, region, municipality, company, academia, other")


def test_municipality_with_unknown_county(broken, expect):
    old = 'code: "2482", county: vasterbotten'
    expect(broken("regions.yml", old, 'code: "2482", county: vasterbotn'), "region-unknown-county",
           "data/regions.yml", SKELLEFTEA, 3, "kommunen 'skelleftea' anger länet 'vasterbotn'",
           "Giltiga län: norrbotten, vasterbotten")


def test_municipality_whose_county_is_a_municipality(broken, expect):
    old = 'code: "2482", county: vasterbotten'
    expect(broken("regions.yml", old, 'code: "2482", county: umea'), "region-unknown-county",
           "data/regions.yml", SKELLEFTEA, 3, "länet 'umea'")


def test_municipality_code_outside_its_county(broken, expect):
    old = 'code: "2482", county: vasterbotten'
    expect(broken("regions.yml", old, 'code: "2582", county: vasterbotten'), "region-code-county",
           "data/regions.yml", SKELLEFTEA, 3, "har koden 2582", "börjar med 24")


def test_reserved_id(broken, expect):
    line = line_of("themes.yml", "id: bostader")
    expect(broken("themes.yml", "id: bostader", "id: index"), "reserved-id", "data/themes.yml", line, 7,
           "id 'index' är reserverat", "Välj ett annat id")


def test_id_that_is_not_a_slug(broken, expect):
    line = line_of("themes.yml", "id: bostader")
    expect(broken("themes.yml", "id: bostader", "id: Bostäder"), "bad-slug", "data/themes.yml", line, 7,
           "'Bostäder' i 'id' är inte ett giltigt id", "'bostader'")


def test_unknown_key_in_a_vocabulary(broken, expect):
    line = line_of("themes.yml", "id: bostader")
    expect(broken("themes.yml", "id: bostader", "id: bostader\n  descripton: x"), "unknown-field",
           "data/themes.yml", line + 1, 3, "okänt fält 'descripton'", "Menade du 'description'?")


def test_national_region_with_a_code(broken, expect):
    line = line_of("regions.yml", "kind: national")
    expect(broken("regions.yml", "kind: national", 'kind: national\n  code: "00"'), "region-field-not-allowed",
           "data/regions.yml", line + 1, 9, "fältet 'code' används inte")


def test_missing_data_file(tmp_path, expect):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "actors.yml").unlink()
    with pytest.raises(ContentErrors) as raised:
        load_site_data(tmp_path / "data", tmp_path)
    expect(raised.value.problems, "data-file-missing", "data/actors.yml", 1, 1, "filen saknas")


def test_data_file_that_is_not_a_list(tmp_path, expect):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "types.yml").write_text("lesson: Lärdom\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_site_data(tmp_path / "data", tmp_path)
    expect(raised.value.problems, "data-not-list", "data/types.yml", 1, 1, "'- id: …'")


def test_every_vocabulary_problem_is_reported_at_once(broken, tmp_path):
    path = tmp_path / "data" / "themes.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: finansiering", "id: index"), encoding="utf-8")
    problems = broken("regions.yml", 'code: "2482"', "code: 2482")
    assert sorted(p.code for p in problems) == ["number-not-text", "reserved-id"]


# --- the message catalogue -----------------------------------------------------------


def produced_codes() -> set[str]:
    """Every problem code the code can produce, found in its source."""
    found: set[str] = set()
    sources = sorted((ROOT / "lardomsbanken").rglob("*.py")) + sorted((ROOT / "hooks").glob("*.py"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""(?:Problem|report)\(\s*["']([a-z0-9-]+)["']""", text))
        found |= set(re.findall(r"""catalogue\.text\(\s*["']([a-z0-9-]+)["']""", text))
    found |= {_scalar_code(Scalar(value, "", False, Position("f"))) for value in (True, None, 1, 1.5)}
    return found


def test_every_problem_code_has_swedish_and_english_text(data):
    codes = produced_codes()
    assert {"yaml-syntax", "bad-date", "unknown-id", "link-unknown-lesson", "bool-not-text",
            "number-not-text", "region-unknown-county", "build-failed"} <= codes  # the search itself works
    assert len(codes) >= 45
    missing = {code: sorted({"sv", "en"} - set(data.messages.messages.get(code, {}))) for code in codes}
    assert {code: langs for code, langs in missing.items() if langs} == {}


def test_swedish_and_english_texts_have_the_same_placeholders(data):
    formatter = string.Formatter()
    for code, texts in data.messages.messages.items():
        fields = {language: {name for _, name, _, _ in formatter.parse(text) if name}
                  for language, text in texts.items() if language != "help"}  # help is shown as it is
        assert fields["sv"] == fields["en"], code


def test_render_in_swedish_and_english(data):
    problem = Problem("unknown-id", Position("lessons/x.sv.md", 7, 8), field="theme", value="bostad",
                      suggestions=["bostader", "boverket"], file="data/themes.yml")
    assert data.messages.render(problem, "sv") == (
        "lessons/x.sv.md:7:8: okänt id 'bostad' i fältet 'theme'. Menade du 'bostader' eller 'boverket'? "
        "Giltiga id finns i data/themes.yml.")
    assert data.messages.render(problem, "en") == (
        "lessons/x.sv.md:7:8: unknown id 'bostad' in the field 'theme'. Did you mean 'bostader' or 'boverket'? "
        "Valid ids are in data/themes.yml.")


def test_render_in_english_from_a_real_load(load, lesson, render):
    result = load({"x.sv.md": lesson(date="2024-02-30"), "lardom.de.md": lesson()})
    rendered = sorted(render(p, "en") for p in result.problems)
    assert rendered == [
        "lessons/lardom.de.md:1:1: the file name 'lardom.de.md' has the language 'de', which the site does not have. "
        "Valid languages: sv, en.",
        "lessons/x.sv.md:5:7: '2024-02-30' in the field 'date' is not a real date. "
        "Write the date as YYYY-MM-DD, for example 2024-06-18.",
    ]


def test_render_empty_list_and_unknown_code(data):
    problem = Problem("region-unknown-county", Position("data/regions.yml", 3), id="x", value="y", valid=[])
    assert data.messages.render(problem, "sv").endswith("Giltiga län: (inga).")
    assert data.messages.render(problem, "en").endswith("Valid counties: (none).")
    assert data.messages.render(Problem("no-such-code", Position("f", 2, 3), a=1), "sv") == "f:2:3: [no-such-code] a=1"


def test_catalogue_loads_from_its_file():
    catalogue = MessageCatalogue.load(ROOT / "data" / "messages.yml")
    assert catalogue.text("build-failed", "sv", count=3).startswith("Bygget stoppades: 3 fel")
    assert catalogue.text("build-failed", "en", count=3).startswith("The build was stopped: 3 error(s)")


# --- tile map squares ------------------------------------------------------------


def test_every_municipality_has_its_own_square_on_the_tile_map(data):
    municipalities = [t for t in data.regions if t.kind == "municipality"]
    assert all(t.tile is not None for t in municipalities)
    assert len({t.tile for t in municipalities}) == 29
    # Roughly by geography: Kiruna furthest north, Haparanda furthest east, Nordmaling furthest south.
    assert min(municipalities, key=lambda t: t.tile[1]).id == "kiruna"
    assert max(municipalities, key=lambda t: t.tile[0]).id == "haparanda"
    assert max(municipalities, key=lambda t: t.tile[1]).id == "nordmaling"


def test_tile_that_is_not_two_numbers(broken, expect):
    line = line_of("regions.yml", "id: lulea,")
    problem = expect(broken("regions.yml", "tile: [4, 4]", "tile: 4"), "region-bad-tile", "data/regions.yml",
                     line, None, "[kolumn, rad]", "inte 4")
    assert problem.position.column > 1


def test_tile_with_a_negative_number(broken, expect):
    expect(broken("regions.yml", "tile: [4, 4]", "tile: [4, -1]"), "region-bad-tile", "data/regions.yml",
           line_of("regions.yml", "id: lulea,"), None, "två heltal från 0")


def test_two_municipalities_on_one_square(broken, expect):
    expect(broken("regions.yml", "tile: [4, 4]", "tile: [3, 4]"), "region-tile-taken", "data/regions.yml",
           line_of("regions.yml", "id: pitea,"), None, "'pitea'", "[3, 4]", "'lulea'")


def test_tile_on_a_county(broken, expect):
    expect(broken("regions.yml", 'code: "25"', 'code: "25"\n  tile: [9, 9]'), "region-field-not-allowed",
           "data/regions.yml", line_of("regions.yml", 'code: "25"') + 1, 9, "'tile'", "'county'")


# --- the facets are data (data/facets.yml) ---------------------------------------------


def test_facets_come_from_data_in_their_order(data):
    assert data.facet_ids == ("region", "theme", "actor", "industry", "type")
    industry = data.spec("industry")
    assert (industry.folder, industry.param, industry.required, industry.inherited_from) == (
        "branscher", "bransch", False, "actor")
    assert [term.id for term in data.facet("industry")][:3] == ["stal", "gruvnaring", "batterier"]
    assert data.actors["lkab"].links == {"industry": ("gruvnaring",)} and data.actors["boverket"].links == {}


def test_a_company_naming_an_unknown_industry(broken, expect):
    line = line_of("actors.yml", "industry: batterier")
    problem = expect(broken("actors.yml", "industry: batterier", "industry: batteri"), "unknown-id",
                     "data/actors.yml", line, 13, "okänt id 'batteri' i fältet 'industry'", "'batterier'")
    assert problem.params["file"] == "data/industries.yml"


def test_a_facet_the_format_builds_on_cannot_be_removed(broken, expect):
    expect(broken("facets.yml", "- id: theme\n", "- id: tema\n"), "facet-missing", "data/facets.yml", 1, None,
           "saknar facetten 'theme'", alone=False)


def test_a_facet_without_its_words_is_told_which_are_missing(broken, expect):
    problems = broken("labels.yml", "filter.industry: {sv: Bransch, en: Industry}\n", "")
    problem = expect(problems, "facet-label-missing", "data/labels.yml", 1, None,
                     "saknar texten 'filter.industry' som facetten 'industry' behöver")
    assert problem.params == {"facet": "industry", "key": "filter.industry"}


def test_a_facet_flag_must_be_true_or_false(broken, expect):
    line = line_of("facets.yml", "required: false")
    expect(broken("facets.yml", "required: false", "required: nej"), "bad-choice", "data/facets.yml", line, 13,
           "'nej' är inte ett giltigt värde för 'required'", "true, false")


def test_two_facets_sharing_a_folder_are_told_at_the_folder(broken, expect):
    line = line_of("facets.yml", "folder: branscher")
    expect(broken("facets.yml", "folder: branscher", "folder: teman"), "duplicate-id", "data/facets.yml", line, 11,
           "'teman'", alone=False)


def test_an_unknown_facet_to_inherit_from_is_told_at_its_line(broken, expect):
    line = line_of("facets.yml", "inherited_from: actor")
    expect(broken("facets.yml", "inherited_from: actor", "inherited_from: aktor"), "unknown-id", "data/facets.yml",
           line, 19, "'aktor'", alone=False)
