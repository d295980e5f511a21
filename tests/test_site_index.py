"""The cross-index: lists per theme, region, actor and type, newest first, and related lessons."""

from __future__ import annotations

import datetime
import random

import pytest
from conftest import ROOT

from lardomsbanken.index.site_index import RELATED_LIMIT, build_index
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.model.lesson import Lesson, Version


def make(slug: str, date: str = "2024-01-01", title: str | None = None, *, regions=("skelleftea",),
         themes=("bostader",), actors=("boverket",), type: str = "lesson", related=(), english: str | None = None) -> Lesson:
    versions = {"sv": Version("sv", f"lessons/{slug}.sv.md", title or slug, "S.", "", 11)}
    if english is not None:
        versions["en"] = Version("en", f"lessons/{slug}.en.md", english, "S.", "", 6)
    return Lesson(slug=slug, type=type, date=datetime.date.fromisoformat(date), updated=None,
                  facets={"region": tuple(regions), "theme": tuple(themes), "actor": tuple(actors), "industry": ()},
                  related=tuple(related),
                  versions=versions)


def index_of(data, *lessons: Lesson):
    return build_index(data, {lesson.slug: lesson for lesson in lessons})


def slugs(lessons) -> list[str]:
    return [lesson.slug for lesson in lessons]


# --- postings -----------------------------------------------------------------------------


def test_a_county_lists_its_municipalities_lessons(data):
    index = index_of(
        data,
        make("skelleftea-1", regions=["skelleftea"]),
        make("lulea-1", regions=["lulea"]),
        make("both", regions=["norrbotten", "lulea"]),
        make("national", regions=["sverige"]),
        make("county", regions=["vasterbotten"]),
    )
    for language in ("sv", "en"):
        assert sorted(slugs(index.lessons_for("region", "norrbotten", language))) == ["both", "lulea-1"]
        assert sorted(slugs(index.lessons_for("region", "vasterbotten", language))) == ["county", "skelleftea-1"]
        assert sorted(slugs(index.lessons_for("region", "lulea", language))) == ["both", "lulea-1"]
        assert slugs(index.lessons_for("region", "sverige", language)) == ["national"]
        assert index.lessons_for("region", "umea", language) == []
    assert index.count("region", "norrbotten") == 2  # `both` is listed once
    assert index.count("region", "kiruna") == 0


def test_theme_actor_and_type_postings(data):
    index = index_of(
        data,
        make("a", themes=["bostader", "finansiering"], actors=["boverket", "lkab"], type="case"),
        make("b", themes=["finansiering"], actors=["lkab"]),
    )
    assert sorted(slugs(index.lessons_for("theme", "finansiering", "sv"))) == ["a", "b"]
    assert slugs(index.lessons_for("theme", "bostader", "sv")) == ["a"]
    assert sorted(slugs(index.lessons_for("actor", "lkab", "en"))) == ["a", "b"]
    assert slugs(index.lessons_for("type", "case", "sv")) == ["a"]
    assert slugs(index.lessons_for("type", "lesson", "sv")) == ["b"]
    assert index.count("theme", "energiforsorjning") == 0


def test_newest_first_with_swedish_title_order_on_the_same_day(data):
    index = index_of(
        data,
        make("ostra", "2023-01-01", "Östra Norrbotten"),
        make("zink", "2023-01-01", "Zink och Ärenden"),
        make("arenden", "2023-01-01", "Ärenden i Älvsbyn"),
        make("vatten", "2023-01-01", "Åtgärder för vatten"),
        make("nyast", "2024-06-18", "Ö är sist men nyast"),
        make("mitten", "2024-03-01", "Arjeplog"),
        make("b-twin", "2023-01-01", "Samma titel"),
        make("a-twin", "2023-01-01", "Samma titel"),
    )
    expected = ["nyast", "mitten", "a-twin", "b-twin", "zink", "vatten", "arenden", "ostra"]
    assert slugs(index.newest["sv"]) == expected
    assert slugs(index.lessons_for("region", "skelleftea", "sv")) == expected
    assert slugs(index.lessons_for("region", "vasterbotten", "sv")) == expected


def test_english_lists_sort_by_the_english_title(data):
    index = index_of(
        data,
        make("a", "2023-01-01", "Bostäder", english="Zinc"),
        make("b", "2023-01-01", "Zink", english="Housing"),
        make("c", "2023-01-01", "Åtgärder"),  # untranslated: its Swedish title is used
    )
    assert slugs(index.newest["sv"]) == ["a", "b", "c"]
    assert slugs(index.newest["en"]) == ["b", "a", "c"]
    assert slugs(index.lessons_for("theme", "bostader", "en")) == ["b", "a", "c"]


def test_index_of_the_fixture_lessons(data):
    loaded = load_lessons(ROOT / "tests" / "fixtures" / "lessons", ROOT, data)
    assert loaded.problems == []
    index = build_index(data, loaded.lessons)
    assert slugs(index.newest["sv"]) == ["bostader-i-skelleftea", "kompetens-i-norrbotten",
                                         "zink", "vatten-i-norrbotten", "arenden", "ostra-norrbotten"]
    assert slugs(index.lessons_for("region", "norrbotten", "sv")) == [
        "kompetens-i-norrbotten", "zink", "vatten-i-norrbotten", "arenden", "ostra-norrbotten"]
    assert slugs(index.lessons_for("region", "vasterbotten", "sv")) == ["bostader-i-skelleftea"]
    assert slugs(index.lessons_for("region", "sverige", "sv")) == ["vatten-i-norrbotten"]
    assert slugs(index.lessons_for("theme", "infrastruktur", "sv")) == ["zink", "arenden", "ostra-norrbotten"]
    assert slugs(index.related["bostader-i-skelleftea"])[0] == "kompetens-i-norrbotten"


# --- related lessons ------------------------------------------------------------------------


def test_explicit_related_come_first_in_their_order(data):
    index = index_of(
        data,
        make("x", related=["far", "near"]),
        make("near"),
        make("far", regions=["kiruna"], themes=["energiforsorjning"], actors=["lkab"]),
        make("closest"),
    )
    assert slugs(index.related["x"]) == ["far", "near", "closest"]


def test_related_by_most_shared_theme_region_and_actor(data):
    index = index_of(
        data,
        make("x", regions=["skelleftea"], themes=["bostader", "finansiering"], actors=["boverket"]),
        make("three", regions=["kiruna"], themes=["bostader", "finansiering"], actors=["boverket"]),
        make("county", regions=["umea"], themes=["energiforsorjning"], actors=["lkab"]),  # same county only
        make("four", regions=["skelleftea"], themes=["bostader", "finansiering"], actors=["lkab"]),
        make("one", regions=["kiruna"], themes=["bostader"], actors=["lkab"]),
        make("none", regions=["kiruna"], themes=["energiforsorjning"], actors=["lkab"]),
    )
    # four: 2 themes + municipality + county = 4; three: 2 themes + actor = 3; one: 1 theme; county: 1
    assert slugs(index.related["x"]) == ["four", "three", "county", "one"]


def test_related_ties_prefer_the_same_type_then_the_newest_then_the_slug(data):
    index = index_of(
        data,
        make("x", type="case"),
        make("lesson-new", "2024-05-01", type="lesson"),
        make("case-old", "2020-01-01", type="case"),
        make("case-new-b", "2024-01-01", type="case"),
        make("case-new-a", "2024-01-01", type="case"),
    )
    assert slugs(index.related["x"]) == ["case-new-a", "case-new-b", "case-old", "lesson-new"]


def test_related_at_most_five_never_itself_and_no_repeats(data):
    others = [make(f"l{number:02d}", f"2024-01-{number + 1:02d}") for number in range(12)]
    index = index_of(data, make("x", related=["l00", "x-missing"]), *others)
    related = slugs(index.related["x"])
    assert len(related) == RELATED_LIMIT == 5
    assert related == ["l00", "l11", "l10", "l09", "l08"]
    assert "x" not in related and len(set(related)) == len(related)
    for lesson in others:
        assert lesson.slug not in slugs(index.related[lesson.slug])
        assert len(index.related[lesson.slug]) == 5


def test_more_explicit_related_than_the_limit_are_cut(data):
    others = [make(f"l{number}") for number in range(7)]
    index = index_of(data, make("x", related=[f"l{number}" for number in range(6, -1, -1)]), *others)
    assert slugs(index.related["x"]) == ["l6", "l5", "l4", "l3", "l2"]


def test_related_lessons_that_share_nothing_are_not_suggested(data):
    index = index_of(data, make("x"), make("y", regions=["kiruna"], themes=["energiforsorjning"], actors=["lkab"]))
    assert index.related == {"x": [], "y": []}


def test_related_cycles_are_fine(data):
    index = index_of(data, make("a", related=["b"]), make("b", related=["a"]))
    assert slugs(index.related["a"]) == ["b"] and slugs(index.related["b"]) == ["a"]


@pytest.mark.parametrize("seed", range(4))
def test_index_does_not_depend_on_the_order_lessons_were_found(data, seed):
    lessons = [
        make("a", "2024-01-01", regions=["lulea"], themes=["bostader", "infrastruktur"]),
        make("b", "2024-01-01", regions=["kiruna"], themes=["infrastruktur"]),
        make("c", "2023-06-01", regions=["lulea"], themes=["bostader"], type="case"),
        make("d", "2023-06-01", regions=["norrbotten"], themes=["bostader"]),
        make("e", "2022-06-01", regions=["sverige"], themes=["infrastruktur"], actors=["trafikverket"]),
        make("f", "2022-06-01", regions=["lulea"], themes=["bostader"]),
        make("g", "2024-01-01", regions=["lulea"], themes=["bostader"]),
    ]
    reference = index_of(data, *lessons)
    shuffled = lessons[:]
    random.Random(seed).shuffle(shuffled)
    index = index_of(data, *shuffled)
    assert slugs(index.newest["sv"]) == slugs(reference.newest["sv"])
    assert {k: slugs(v) for k, v in index.related.items()} == {k: slugs(v) for k, v in reference.related.items()}
    # g, f, c share 4 (lulea, norrbotten, bostader, boverket), c is a case; b and d share 3, b is newer
    assert slugs(reference.related["a"]) == ["g", "f", "c", "b", "d"]
