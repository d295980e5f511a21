"""Loading lessons: every mistake an editor can make, with file, line, column and a message that says the fix."""

from __future__ import annotations

import datetime

import pytest
from conftest import ROOT, read

from lardomsbanken.load import body
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.model.lesson import Source, Target

F = "lessons/x.sv.md"
E = "lessons/x.en.md"
REQUIRED = ["type", "title", "summary", "date", "region", "theme", "actor"]


def codes(result) -> list[tuple[str, str]]:
    return sorted((p.code, str(p.position)) for p in result.problems)


def filled(version) -> str:
    """The body's HTML with each link into the site filled in by what it leads to
    (`lesson:slug#suffix`, `file:path#suffix`), as a page fills in its address."""
    return body.fill(read(version).html, [f"lesson:{target.lesson}{target.suffix}" if target.lesson else
                                         f"file:{target.file}{target.suffix}" for target in version.targets])


# --- a valid lesson ----------------------------------------------------------------


def test_a_valid_lesson_loads_with_every_field(load, lesson):
    sources = '\n  - title: "Rapport"\n    url: "https://example.org/rapport"'
    result = load({
        "x.sv.md": lesson(updated="2024-07-01", related="y", sources=sources),
        "y.sv.md": lesson(type="case", date="2023-01-02", region="[norrbotten, lulea]"),
    })
    assert result.problems == []
    x = result.lessons["x"]
    assert (x.slug, x.type, x.date, x.updated) == ("x", "lesson", datetime.date(2024, 6, 18), datetime.date(2024, 7, 1))
    assert (x.regions, x.themes, x.actors, x.related) == (("skelleftea",), ("bostader",), ("boverket",), ("y",))
    assert x.sources == (Source("Rapport", "https://example.org/rapport"),)
    version = x.versions["sv"]
    assert (version.language, version.path, version.title, version.summary) == ("sv", F, "Titel", "Sammanfattning.")
    assert (read(version).html, read(version).text, version.body_line) == ("<p>Text.</p>\n", "Text.", 16)  # after sources
    assert version.digest == body.digest("Text.\n") and version.targets == ()
    assert result.lessons["y"].regions == ("norrbotten", "lulea")
    assert result.lessons["y"].updated is None and result.lessons["y"].related == () and result.lessons["y"].sources == ()


def test_the_fixture_lessons_load_without_problems(data):
    result = load_lessons(ROOT / "tests" / "fixtures" / "lessons", ROOT, data)
    assert result.problems == []
    assert sorted(result.lessons) == ["arenden", "bostader-i-skelleftea", "kompetens-i-norrbotten",
                                      "ostra-norrbotten", "vatten-i-norrbotten", "zink"]
    housing = result.lessons["bostader-i-skelleftea"]
    assert housing.themes == ("bostader", "finansiering")
    assert housing.is_translated("en") and not result.lessons["zink"].is_translated("en")
    assert housing.versions["en"].path == "tests/fixtures/lessons/bostader-i-skelleftea.en.md"
    swedish = housing.versions["sv"]
    assert swedish.targets == (Target(lesson="kompetens-i-norrbotten", suffix="#bakgrund"),
                               Target(lesson="vatten-i-norrbotten"))
    assert '<a href="lesson:kompetens-i-norrbotten#bakgrund">kompetens</a>' in filled(swedish)
    assert '<a href="lesson:vatten-i-norrbotten">vatten</a>' in filled(swedish)
    # In a code block: shown as it is written, not a link.
    assert '<pre><code class="language-markdown">[inte en länk](finns-inte.md)\n</code></pre>' in filled(swedish)


# --- required, unknown and empty fields ---------------------------------------------


@pytest.mark.parametrize("field", REQUIRED)
def test_missing_required_field(load, lesson, expect, field):
    result = load({"x.sv.md": lesson(**{field: None})})
    problem = expect(result, "missing-field", F, 1, 1, f"fältet '{field}' saknas", "obligatoriskt")
    assert problem.params == {"field": field}
    assert result.lessons == {}


def test_unknown_field_suggests_the_closest(load, lesson, expect):
    result = load({"x.sv.md": lesson(theme=None, them="bostader")})  # `them` is on line 8
    expect(result, "unknown-field", F, 8, 1, "okänt fält 'them'", "Menade du 'theme'?",
           "Giltiga fält: type, title, summary, date, updated, period, region, theme, actor, industry, related, sources", alone=False)
    expect(result, "missing-field", F, 1, 1, "fältet 'theme' saknas", alone=False)
    assert len(result.problems) == 2


@pytest.mark.parametrize("field, written, line, column", [
    ("title", "", 3, 7),
    ("title", '""', 3, 8),
    ("summary", '"   "', 4, 10),
    ("title", "null", 3, 8),
    ("theme", "", 7, 7),
    ("date", "", 5, 6),
])
def test_empty_value(load, lesson, expect, field, written, line, column):
    expect(load({"x.sv.md": lesson(**{field: written})}), "empty-value", F, line, column,
           f"fältet '{field}' är tomt", "Skriv ett värde")


def test_empty_list(load, lesson, expect):
    expect(load({"x.sv.md": lesson(actor="[]")}), "empty-list", F, 8, 8, "fältet 'actor' är en tom lista",
           "minst ett värde")


def test_text_field_given_a_list(load, lesson, expect):
    expect(load({"x.sv.md": lesson(title="[a, b]")}), "list-not-text", F, 3, 8, "fältet 'title' ska vara text")


def test_text_field_given_a_mapping(load, lesson, expect):
    expect(load({"x.sv.md": lesson(title="{a: b}")}), "mapping-not-text", F, 3, 8, "inte en grupp av fält")


def test_text_field_given_a_list_is_told_in_swedish(load, lesson, render):
    [problem] = load({"x.sv.md": lesson(title="[a, b]")}).problems
    assert render(problem, "sv") == f"{F}:3:8: fältet 'title' ska vara text, inte en lista."


# --- vocabulary ids ---------------------------------------------------------------


@pytest.mark.parametrize("field, written, line, column, suggestion, vocabulary", [
    ("theme", "bostad", 7, 8, "bostader", "data/themes.yml"),
    ("region", "Skellefteå", 6, 9, "skelleftea", "data/regions.yml"),
    ("region", "skeleftea", 6, 9, "skelleftea", "data/regions.yml"),
    ("region", "[norrbotten, Luleå]", 6, 22, "lulea", "data/regions.yml"),
    ("actor", "[boverket, trafikverk]", 8, 19, "trafikverket", "data/actors.yml"),
    ("actor", "Boverket", 8, 8, "boverket", "data/actors.yml"),
    ("theme", "Bostäder", 7, 8, "bostader", "data/themes.yml"),
])
def test_unknown_id_suggests_the_closest(load, lesson, expect, field, written, line, column, suggestion, vocabulary):
    value = written.strip("[]").split(", ")[-1]
    problem = expect(load({"x.sv.md": lesson(**{field: written})}), "unknown-id", F, line, column,
                     f"okänt id '{value}' i fältet '{field}'", f"Menade du '{suggestion}'?",
                     f"Giltiga id finns i {vocabulary}")
    assert problem.params["suggestions"][0] == suggestion


def test_unknown_id_with_no_close_match_still_names_the_vocabulary(load, lesson, expect):
    problem = expect(load({"x.sv.md": lesson(theme="qqqqqqqq")}), "unknown-id", F, 7, 8,
                     "okänt id 'qqqqqqqq'", "Giltiga id finns i data/themes.yml")
    assert problem.params["suggestions"] == []
    assert "Menade du" not in problem.params.get("did_you_mean", "")


def test_bad_type_lists_the_valid_values(load, lesson, expect):
    expect(load({"x.sv.md": lesson(type="lärdom")}), "bad-choice", F, 2, 7,
           "'lärdom' är inte ett giltigt värde för 'type'", "Giltiga värden: lesson, case")


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2024-02-30", "2024-13-01", "2024-1-5", "20240105", "18 juni 2024",
                                     "2024-06-18T10:00", "'2024/06/18'"])
def test_bad_date(load, lesson, expect, written):
    shown = written.strip("'")
    problem = expect(load({"x.sv.md": lesson(date=written)}), "bad-date", F, 5, 7,
                     f"'{shown}' i fältet 'date' är inte ett riktigt datum", "ÅÅÅÅ-MM-DD", "2024-06-18")
    assert problem.params == {"field": "date", "value": shown}


def test_bad_updated_date(load, lesson, expect):
    expect(load({"x.sv.md": lesson(updated="2024-06-31")}), "bad-date", F, 9, 10, "fältet 'updated'", "ÅÅÅÅ-MM-DD")


def test_quoted_date_and_leap_day_are_fine(load, lesson):
    result = load({"x.sv.md": lesson(date='"2024-02-29"', updated="2024-02-29")})
    assert result.problems == []
    assert result.lessons["x"].date == result.lessons["x"].updated == datetime.date(2024, 2, 29)


def test_updated_before_date(load, lesson, expect):
    problem = expect(load({"x.sv.md": lesson(updated="2024-06-17")}), "updated-before-date", F, 9, 10,
                     "'updated' (2024-06-17) är före publiceringsdatumet 'date' (2024-06-18)")
    assert problem.params == {"updated": "2024-06-17", "date": "2024-06-18"}


@pytest.mark.parametrize("written, start, end, text, iso, years", [
    ("2022", 2022, 2022, "2022", "2022", [2022]),
    ("2020–2024", 2020, 2024, "2020–2024", "2020/2024", [2020, 2021, 2022, 2023, 2024]),
    ("2020-2024", 2020, 2024, "2020–2024", "2020/2024", [2020, 2021, 2022, 2023, 2024]),  # a hyphen for the dash
    ('"2022 – 2023"', 2022, 2023, "2022–2023", "2022/2023", [2022, 2023]),
    ("2023–", 2023, None, "2023–", "2023/..", [2023, 2024]),  # ongoing: up to the publication year
])
def test_period_says_when_the_events_happened(load, lesson, written, start, end, text, iso, years):
    result = load({"x.sv.md": lesson(period=written)})
    assert result.problems == []
    period = result.lessons["x"].period
    assert (period.start, period.end, period.text(), period.iso()) == (start, end, text, iso)
    assert list(result.lessons["x"].event_years()) == years


def test_without_a_period_the_year_filter_goes_by_publication(load, lesson):
    result = load({"x.sv.md": lesson()})
    assert result.lessons["x"].period is None and list(result.lessons["x"].event_years()) == [2024]


@pytest.mark.parametrize("written, shown", [
    ("2024–2020", "2024–2020"), ("våren 2022", "våren 2022"), ("22", "22"), ("2020–2024–2025", "2020–2024–2025"),
    ("1066", "1066"),
])
def test_bad_period(load, lesson, expect, written, shown):
    problem = expect(load({"x.sv.md": lesson(period=written)}), "bad-period", F, 9, 9,
                     f"'{shown}' i fältet 'period' är ingen tidsperiod", "2020–2024", "2024–")
    assert problem.params == {"field": "period", "value": shown}


def test_period_ending_after_publication(load, lesson, expect):
    problem = expect(load({"x.sv.md": lesson(period="2023–2025")}), "period-after-date", F, 9, 9,
                     "slutar efter publiceringsdatumet 'date' (2024-06-18)", "2023–")
    assert problem.params == {"field": "period", "value": "2023–2025", "date": "2024-06-18"}


# --- translations ------------------------------------------------------------------


def test_translation_without_swedish_file_names_the_expected_path(load, translation, expect):
    result = load({"sub/x.en.md": translation()})
    expect(result, "translation-without-source", "lessons/sub/x.en.md", 1, 1,
           "översättningen saknar sin svenska fil", "Skapa lessons/sub/x.sv.md")
    assert result.lessons == {}


@pytest.mark.parametrize("field, swedish, english, line, shown", [
    ("date", "2024-06-18", "2024-06-19", 4, "2024-06-18"),
    ("theme", "[bostader, finansiering]", "bostader", 4, "bostader, finansiering"),
    ("type", "lesson", "case", 4, "lesson"),
    ("region", "skelleftea", "[skelleftea, umea]", 4, "skelleftea"),
    ("updated", None, "2024-07-01", 4, "-"),
    ("period", "2020–2022", "2021–2022", 4, "2020–2022"),
])
def test_translation_that_contradicts_the_swedish_file(load, lesson, translation, expect, field, swedish, english, line, shown):
    result = load({"x.sv.md": lesson(**{field: swedish}), "x.en.md": translation(**{field: english})})
    problem = expect(result, "translation-mismatch", E, line, 1,
                     f"fältet '{field}' har ett annat värde än i den svenska filen ({shown})",
                     "Ta bort fältet här")
    assert problem.params["field"] == field
    assert result.lessons == {}


def test_several_mismatches_are_all_reported(load, lesson, translation):
    result = load({"x.sv.md": lesson(), "x.en.md": translation(date="2024-06-19", theme="finansiering", type="case")})
    assert codes(result) == [("translation-mismatch", f"{E}:4:1"), ("translation-mismatch", f"{E}:5:1"),
                             ("translation-mismatch", f"{E}:6:1")]


@pytest.mark.parametrize("swedish, english", [
    ({}, {"date": "2024-06-18", "type": "lesson", "theme": "bostader", "region": "skelleftea", "actor": "boverket"}),
    ({}, {"date": '"2024-06-18"'}),
    ({}, {"theme": "[bostader]"}),  # one id and a one-item list are the same
    ({"theme": "[bostader, finansiering]"}, {"theme": "[finansiering, bostader]"}),  # order does not matter
    ({"theme": "[bostader, finansiering]"}, {"theme": "[finansiering, bostader, bostader]"}),
    ({"related": "y"}, {"related": "[y]"}),
    ({"updated": "2024-07-01"}, {"updated": "2024-07-01"}),
])
def test_translation_repeating_the_same_value_is_fine(load, lesson, translation, swedish, english):
    result = load({"x.sv.md": lesson(**swedish), "x.en.md": translation(**english), "y.sv.md": lesson()})
    assert result.problems == []
    x = result.lessons["x"]
    assert x.versions["en"].title == "Title" and x.versions["en"].summary == "Summary."


def test_an_invalid_value_in_the_translation_is_reported_once(load, lesson, translation, expect):
    result = load({"x.sv.md": lesson(), "x.en.md": translation(theme="bostad")})
    expect(result, "unknown-id", E, 4, 8, "Menade du 'bostader'?")


def test_an_invalid_swedish_value_is_not_also_a_mismatch(load, lesson, translation, expect):
    result = load({"x.sv.md": lesson(theme="bostad"), "x.en.md": translation(theme="bostader")})
    expect(result, "unknown-id", F, 7, 8, "Menade du 'bostader'?")


@pytest.mark.parametrize("missing", ["title", "summary"])
def test_translation_needs_title_and_summary(load, lesson, translation, expect, missing):
    result = load({"x.sv.md": lesson(), "x.en.md": translation(**{missing: None})})
    expect(result, "missing-field", E, 1, 1, f"fältet '{missing}' saknas")
    assert result.lessons == {}


def test_translation_with_unknown_field(load, lesson, translation, expect):
    result = load({"x.sv.md": lesson(), "x.en.md": translation(them="bostader")})
    expect(result, "unknown-field", E, 4, 1, "okänt fält 'them'", "Menade du 'theme'?")


def test_translation_title_trap(load, lesson, translation, expect):
    expect(load({"x.sv.md": lesson(), "x.en.md": translation(title="no")}), "bool-not-text", E, 2, 8, '"no"')


# --- file names and slugs ---------------------------------------------------------


def test_duplicate_slug_in_two_sub_folders_names_the_other_file(load, lesson, expect):
    result = load({"a/x.sv.md": lesson(), "b/x.sv.md": lesson()})
    expect(result, "duplicate-slug", "lessons/b/x.sv.md", 1, 1,
           "det finns redan en fil med samma namn: lessons/a/x.sv.md", "även i olika mappar")


@pytest.mark.parametrize("name, suggestion", [
    ("Min Lardom.sv.md", "min-lardom.sv.md"),
    ("MinLardom.sv.md", "minlardom.sv.md"),
    ("min_lardom.sv.md", "min-lardom.sv.md"),
    ("Lärdom om bostäder.sv.md", "lardom-om-bostader.sv.md"),
    ("lardom.md", "lardom.sv.md"),
    ("min lardom.en.md", "min-lardom.en.md"),
    ("x.SV.md", "x.sv.md"),
    ("x.sv.MD", "x.sv.md"),
    ("x.svenska.md", "x-svenska.sv.md"),
    ("x.deu.md", "x-deu.sv.md"),
])
def test_bad_file_name_suggests_a_valid_one(load, lesson, expect, name, suggestion):
    result = load({name: lesson()})
    problem = expect(result, "bad-file-name", f"lessons/{name}", 1, 1, f"filnamnet '{name}' är inte giltigt",
                     "<slug>.sv.md", f"till exempel '{suggestion}'")
    assert problem.params["suggestion"] == suggestion
    assert result.lessons == {}


def test_unknown_language_suffix_lists_the_languages(load, lesson, expect):
    problem = expect(load({"lardom.de.md": lesson()}), "bad-language-suffix", "lessons/lardom.de.md", 1, 1,
                     "filnamnet 'lardom.de.md' har språket 'de'", "Giltiga språk: sv, en")
    assert problem.params["language"] == "de"


def test_reserved_slug(load, lesson, expect):
    expect(load({"index.sv.md": lesson()}), "reserved-slug", "lessons/index.sv.md", 1, 1,
           "namnet 'index' är reserverat", "Välj ett annat filnamn")


def test_other_files_are_assets_and_hidden_files_are_skipped(load, lesson):
    result = load({"x.sv.md": lesson(), "bilder/karta.png": b"\x89PNG", ".utkast.sv.md": "trasig", "rapport.pdf": b"%PDF"})
    assert result.problems == []
    assert [a.relative_path for a in result.assets] == ["rapport.pdf", "bilder/karta.png"]


# --- related -------------------------------------------------------------------------


def test_related_unknown_suggests_a_lesson(load, lesson, expect):
    result = load({"x.sv.md": lesson(related="[bostader-i-skeleftea]"), "bostader-i-skelleftea.sv.md": lesson()})
    problem = expect(result, "related-unknown", F, 9, 11,
                     "'related' nämner 'bostader-i-skeleftea', men ingen lärdom har det namnet",
                     "Menade du 'bostader-i-skelleftea'?")
    assert problem.params["suggestions"] == ["bostader-i-skelleftea"]


def test_related_self(load, lesson, expect):
    expect(load({"x.sv.md": lesson(related="[y, x]"), "y.sv.md": lesson()}), "related-self", F, 9, 14,
           "'related' nämner lärdomen själv ('x')", "Ta bort den ur listan")


def test_related_not_a_slug(load, lesson, expect):
    expect(load({"x.sv.md": lesson(related="Bostäder i Skellefteå")}), "bad-slug", F, 9, 10,
           "'Bostäder i Skellefteå' i 'related' är inte ett giltigt id", "'bostader-i-skelleftea'")


def test_related_to_a_lesson_with_errors_is_not_a_second_error(load, lesson, expect):
    result = load({"x.sv.md": lesson(related="y", body="Se [y](y.md).\n"), "y.sv.md": lesson(date="2024-02-30")})
    expect(result, "bad-date", "lessons/y.sv.md", 5, 7)
    assert list(result.lessons) == ["x"]


def test_related_cycles_single_ids_and_lists_load(load, lesson):
    result = load({"a.sv.md": lesson(related="b"), "b.sv.md": lesson(related="[a, a]")})
    assert result.problems == []
    assert result.lessons["a"].related == ("b",) and result.lessons["b"].related == ("a",)


# --- links in the body ---------------------------------------------------------------


LINKS_BODY = """Se [a](x.md), [b](x.sv.md), [c](x.en.md), [d](../sub/x.md) och [e](x.md#bakgrund).
Också [f](./x.sv.md#a-b "titel") och <https://example.org/y.md> och [g](https://example.org/saknas.md).
[h](mailto:a@example.org) [i](#rubrik) [j](/absolut.md) [k][ref]

[ref]: x.sv.md
"""


def test_links_to_lessons_lead_to_the_slug_whatever_folder_or_language_they_name(load, lesson):
    result = load({"sub/x.sv.md": lesson(), "y.sv.md": lesson(body=LINKS_BODY)})
    assert result.problems == []
    version = result.lessons["y"].versions["sv"]
    assert version.targets == (Target(lesson="x"),) * 4 + (Target(lesson="x", suffix="#bakgrund"),
                                                           Target(lesson="x", suffix="#a-b"), Target(lesson="x"))
    # Web, e-mail, fragment and site-absolute links are not the site's to rewrite.
    assert filled(version) == (
        '<p>Se <a href="lesson:x">a</a>, <a href="lesson:x">b</a>, <a href="lesson:x">c</a>, <a href="lesson:x">d</a>'
        ' och <a href="lesson:x#bakgrund">e</a>.\n'
        'Också <a href="lesson:x#a-b" title="titel">f</a> och <a href="https://example.org/y.md"'
        ' data-print-href="https://example.org/y.md">https://example.org/y.md</a> och'
        ' <a href="https://example.org/saknas.md" data-print-href="https://example.org/saknas.md">g</a>.\n'
        '<a href="mailto:a@example.org">h</a> <a href="#rubrik">i</a> <a href="/absolut.md">j</a>'
        ' <a href="lesson:x">k</a></p>\n'
    )


def test_link_to_a_missing_lesson_names_the_file_line_and_column(load, lesson, expect):
    body = "Första raden.\n\nSe [bostäder](bostader-i-skeleftea.sv.md#x) här.\n"
    result = load({"x.sv.md": lesson(body=body), "bostader-i-skelleftea.sv.md": lesson()})
    # front matter: lines 1-9, blank line 10, body from line 11: the link is on line 13
    problem = expect(result, "link-unknown-lesson", F, 13, 15,
                     "länken går till 'bostader-i-skeleftea.sv.md#x'", "ingen lärdom heter 'bostader-i-skeleftea'",
                     "Menade du 'bostader-i-skelleftea'?", "[text](annan-lardom.md)")
    assert problem.params["slug"] == "bostader-i-skeleftea"
    assert result.lessons["x"].versions["sv"].body_line == 11


def test_link_line_counts_extra_front_matter_and_crlf(load, lesson, expect):
    text = lesson(updated="2024-07-01", body="a\n\n  [x](saknas.md)\n").replace("\n", "\r\n")
    assert "\r\r" not in text
    expect(load({"x.sv.md": text}), "link-unknown-lesson", F, 14, 7)


def test_links_in_code_are_ignored(load, lesson):
    body = ("```markdown\n[a](saknas-1.md)\n```\n\n~~~~\n[b](saknas-2.md)\n```\n[c](saknas-3.md)\n~~~~\n\n"
            "Inline `[d](saknas-4.md)` och ``[e](saknas-5.md)`` här.\n")
    result = load({"x.sv.md": lesson(body=body)})
    assert result.problems == []
    version = result.lessons["x"].versions["sv"]
    assert version.targets == () and read(version).references == ()
    assert filled(version) == (
        '<pre><code class="language-markdown">[a](saknas-1.md)\n</code></pre>\n'
        '<pre><code>[b](saknas-2.md)\n```\n[c](saknas-3.md)\n</code></pre>\n'
        '<p>Inline <code>[d](saknas-4.md)</code> och <code>[e](saknas-5.md)</code> här.</p>\n'
    )


def test_an_unclosed_fence_makes_the_rest_code_for_the_check_and_the_page_alike(load, lesson):
    # The check and the page read the body once: the link is code on the page, so no error.
    result = load({"x.sv.md": lesson(body="Före.\n\n```\nkod\n\n[x](finns-inte.md)\n")})
    assert result.problems == []
    assert filled(result.lessons["x"].versions["sv"]) == \
        "<p>Före.</p>\n<pre><code>kod\n\n[x](finns-inte.md)\n</code></pre>\n"


def test_a_reference_link_to_a_missing_lesson_is_told_where_it_is_used(load, lesson, expect):
    result = load({"x.sv.md": lesson(body="Text.\n\nSe [bostäder][b] här.\n\n[b]: saknas.md\n")})
    expect(result, "link-unknown-lesson", F, 13, 4, "'saknas.md'")


def test_a_reference_definition_no_link_uses_is_no_link(load, lesson):
    # GitHub shows nothing for it, and neither does the page: nothing to check.
    result = load({"x.sv.md": lesson(body="Text.\n\n[b]: saknas.md\n")})
    assert result.problems == []
    assert filled(result.lessons["x"].versions["sv"]) == "<p>Text.</p>\n"


def test_a_link_after_a_code_block_is_still_checked(load, lesson, expect):
    body = "```\n[a](saknas-1.md)\n```\n[b](saknas-2.md)\n"
    expect(load({"x.sv.md": lesson(body=body)}), "link-unknown-lesson", F, 14, 5, "'saknas-2.md'")


def test_link_to_a_missing_image_or_file(load, lesson, expect):
    result = load({"x.sv.md": lesson(body="Bild: ![karta](bilder/karta.png)\n")})
    expect(result, "link-missing-file", F, 11, 16, "länken går till 'bilder/karta.png', men den filen finns inte")


def test_images_in_sub_folders_are_rewritten_relative_to_the_lessons_root(load, lesson):
    body = "![karta](bilder/karta.png) [pdf](../rapport.pdf#page=2) ![igen](./bilder/karta.png \"Karta\")\n"
    result = load({"norr/x.sv.md": lesson(body=body), "norr/bilder/karta.png": b"\x89PNG", "rapport.pdf": b"%PDF"})
    assert result.problems == []
    version = result.lessons["x"].versions["sv"]
    assert version.targets == (Target(file="norr/bilder/karta.png", image=True),
                               Target(file="rapport.pdf", suffix="#page=2"),
                               Target(file="norr/bilder/karta.png", image=True))
    assert filled(version) == ('<p><img src="file:norr/bilder/karta.png" alt="karta"> <a href="file:rapport.pdf#page=2">'
                               'pdf</a> <img src="file:norr/bilder/karta.png" alt="igen" title="Karta"></p>\n')


def test_an_asset_link_must_be_relative_to_the_lesson(load, lesson, expect):
    # rapport.pdf is at the root of lessons/, not next to norr/x.sv.md
    result = load({"norr/x.sv.md": lesson(body="[pdf](rapport.pdf)\n"), "rapport.pdf": b"%PDF"})
    expect(result, "link-missing-file", "lessons/norr/x.sv.md", 11, 7, "'rapport.pdf'")


def test_english_links_are_checked_and_rewritten_too(load, lesson, translation, expect):
    result = load({"x.sv.md": lesson(), "y.sv.md": lesson(),
                   "x.en.md": translation(body="See [y](y.en.md) and [z](z.md).\n")})
    expect(result, "link-unknown-lesson", E, 6, 26, "'z.md'")


# --- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x", "www.example.org",
                                 "https://exa mple.org", "http://", "JAVASCRIPT:alert(1)"])
def test_source_with_a_bad_url(load, lesson, expect, url):
    sources = f'\n  - title: "Källa"\n    url: "{url}"'
    problem = expect(load({"x.sv.md": lesson(sources=sources)}), "bad-url", F, 11, 10,
                     f"'{url}' i 'sources[1].url' är inte en giltig webbadress", "https://")
    assert problem.params["field"] == "sources[1].url"


def test_source_without_title(load, lesson, expect):
    sources = '\n  - title: "A"\n    url: "https://a.example"\n  - url: "https://b.example"'
    expect(load({"x.sv.md": lesson(sources=sources)}), "missing-field", F, 12, 5,
           "fältet 'sources[2].title' saknas")


def test_source_with_unknown_key(load, lesson, expect):
    sources = '\n  - {title: "A", url: "https://a.example", titel: "B"}'
    expect(load({"x.sv.md": lesson(sources=sources)}), "unknown-field", F, 10, 44,
           "okänt fält 'sources[1].titel'", "Menade du 'title'?", "Giltiga fält: title, url")


def test_source_that_is_only_an_address(load, lesson, expect):
    expect(load({"x.sv.md": lesson(sources='\n  - "https://a.example"')}), "expected-mapping", F, 10, 5,
           "'sources[1]' ska bestå av fält")


def test_sources_that_is_not_a_list(load, lesson, expect):
    expect(load({"x.sv.md": lesson(sources='{title: A, url: "https://a.example"}')}), "expected-list", F, 9, 10,
           "fältet 'sources' ska vara en lista")


# --- one run, every problem ------------------------------------------------------------


def test_every_broken_file_is_reported_in_one_run(load, lesson, translation):
    result = load({
        "a.sv.md": lesson(theme="bostad"),
        "b.sv.md": lesson(date="2024-02-30", title="no"),
        "sub/c.sv.md": "---\ntitle: [\n---\n",
        "d.en.md": translation(),
        "Fel Namn.sv.md": lesson(),
        "ok.sv.md": lesson(body="[a](a.md) [saknas](saknas.md)\n"),
    })
    assert codes(result) == [
        ("bad-date", "lessons/b.sv.md:5:7"),
        ("bad-file-name", "lessons/Fel Namn.sv.md:1:1"),
        ("bool-not-text", "lessons/b.sv.md:3:8"),
        ("link-unknown-lesson", "lessons/ok.sv.md:11:20"),
        ("translation-without-source", "lessons/d.en.md:1:1"),
        ("unknown-id", "lessons/a.sv.md:7:8"),
        ("yaml-syntax", "lessons/sub/c.sv.md:3:1"),
    ]
    assert {p.position.file for p in result.problems} == {
        "lessons/a.sv.md", "lessons/b.sv.md", "lessons/sub/c.sv.md", "lessons/d.en.md",
        "lessons/Fel Namn.sv.md", "lessons/ok.sv.md"}
    assert list(result.lessons) == ["ok"]


def test_every_problem_of_one_lesson_is_reported(load, lesson):
    result = load({"x.sv.md": lesson(type="artikel", date="2024-1-5", region="narrbotten", theme="bostad",
                                     actor="trafikverk", related="x")})
    assert codes(result) == [
        ("bad-choice", f"{F}:2:7"), ("bad-date", f"{F}:5:7"), ("related-self", f"{F}:9:10"),
        ("unknown-id", f"{F}:6:9"), ("unknown-id", f"{F}:7:8"), ("unknown-id", f"{F}:8:8"),
    ]


# --- nasty but valid ------------------------------------------------------------------


def test_bom_and_crlf_and_no_body(load, lesson):
    result = load({
        "bom.sv.md": ("\ufeff" + lesson()).encode("utf-8"),
        "crlf.sv.md": lesson(body="Rad ett.\n[bom](bom.md)\n").replace("\n", "\r\n").encode("utf-8"),
        "cr.sv.md": lesson().replace("\n", "\r").encode("utf-8"),
        "tom.sv.md": lesson(body=""),
        "slut.sv.md": lesson(body="").rstrip("\n"),
    })
    assert result.problems == []
    assert sorted(result.lessons) == ["bom", "cr", "crlf", "slut", "tom"]
    assert result.lessons["bom"].versions["sv"].title == "Titel"
    crlf = result.lessons["crlf"].versions["sv"]
    assert filled(crlf) == '<p>Rad ett.\n<a href="lesson:bom">bom</a></p>\n'
    assert crlf.digest == body.digest("Rad ett.\n[bom](bom.md)\n")  # the same text as with \n alone
    for name in ("tom", "slut"):
        empty = read(result.lessons[name].versions["sv"])
        assert (empty.html, empty.text, empty.headings, empty.references) == ("", "", (), ())


def test_html_and_markdown_in_title_and_summary_are_kept_as_text(load, lesson):
    title = '"<script>alert(1)</script> & \\"citat\\" *kursiv* [länk](saknas.md) `kod`"'
    summary = "'Det är ''bra'' & <b>fett</b> &amp; {{ jinja }}'"
    result = load({"x.sv.md": lesson(title=title, summary=summary)})
    assert result.problems == []
    version = result.lessons["x"].versions["sv"]
    assert version.title == '<script>alert(1)</script> & "citat" *kursiv* [länk](saknas.md) `kod`'
    assert version.summary == "Det är 'bra' & <b>fett</b> &amp; {{ jinja }}"


def test_repeated_ids_are_dropped_keeping_the_order(load, lesson):
    result = load({"x.sv.md": lesson(theme="[finansiering, bostader, finansiering]", region="[lulea, lulea]")})
    assert result.problems == []
    assert result.lessons["x"].themes == ("finansiering", "bostader")
    assert result.lessons["x"].regions == ("lulea",)


def test_sami_letters_emoji_and_long_titles(load, lesson):
    title = '"Sámi giella: Jåhkåmåhkke, Ŋ ŧ đ ž č – 🌲⚡ Árran"'
    multi = "|\n  Första raden\n  och andra raden."
    result = load({"x.sv.md": lesson(title=title, summary=multi)})
    assert result.problems == []
    version = result.lessons["x"].versions["sv"]
    assert version.title == "Sámi giella: Jåhkåmåhkke, Ŋ ŧ đ ž č – 🌲⚡ Árran"
    assert version.summary == "Första raden och andra raden."


def test_a_horizontal_rule_in_the_body_is_not_front_matter(load, lesson):
    result = load({"x.sv.md": lesson(body="Före.\n\n---\n\nEfter.\n")})
    assert result.problems == []
    assert read(result.lessons["x"].versions["sv"]).html == "<p>Före.</p>\n<hr>\n<p>Efter.</p>\n"


def test_untranslated_lesson_falls_back_to_swedish(load, lesson):
    x = load({"x.sv.md": lesson()}).lessons["x"]
    assert not x.is_translated("en")
    assert x.version("en") is x.versions["sv"]


def test_no_lessons_folder_is_no_lessons(tmp_path, data):
    result = load_lessons(tmp_path / "lessons", tmp_path, data)
    assert (result.lessons, result.problems, result.assets) == ({}, [], [])


def test_english_body_links_are_rewritten(load, lesson, translation):
    result = load({"x.sv.md": lesson(), "y.sv.md": lesson(),
                   "x.en.md": translation(body="See [y](y.en.md#top) and [y again](sub/y.sv.md).\n")})
    assert result.problems == []
    english = result.lessons["x"].versions["en"]
    assert english.targets == (Target(lesson="y", suffix="#top"), Target(lesson="y"))
    assert filled(english) == '<p>See <a href="lesson:y#top">y</a> and <a href="lesson:y">y again</a>.</p>\n'
    assert result.lessons["x"].versions["en"].body_line == 6


@pytest.mark.parametrize("field, written", [("updated", ""), ("updated", "~"), ("related", "[]"), ("related", ""),
                                            ("sources", "[]"), ("sources", "")])
def test_optional_fields_left_empty_are_no_fields(load, lesson, field, written):
    result = load({"x.sv.md": lesson(**{field: written})})
    assert result.problems == []
    x = result.lessons["x"]
    assert (x.updated, x.related, x.sources) == (None, (), ())


# --- facets from data/facets.yml ---------------------------------------------------


def test_a_lesson_takes_its_industry_from_its_companies(load, lesson):
    result = load({"x.sv.md": lesson(actor="[lkab, northvolt, boverket]"),
                   "y.sv.md": lesson(actor="lkab", industry="[bygg]"),
                   "z.sv.md": lesson(actor="boverket")})
    assert result.problems == []
    assert result.lessons["x"].facet_values("industry") == ("gruvnaring", "batterier")  # in the actors' order
    assert result.lessons["y"].facet_values("industry") == ("bygg",)  # its own, not the companies'
    assert result.lessons["z"].facet_values("industry") == ()


def test_an_unknown_industry_is_told_with_its_vocabulary(load, lesson, expect):
    problem = expect(load({"x.sv.md": lesson(industry="stål")}), "unknown-id", F, 9, 11,
                     "okänt id 'stål' i fältet 'industry'", "'stal'")
    assert problem.params["file"] == "data/industries.yml"
