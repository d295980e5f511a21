"""The pages that lead a reader anywhere in Sweden to lessons from places like theirs.

- `din-kommun/` (a section page, in the navigation): every municipality of Sweden by
  county, sorted as the language sorts, with a filter box where JavaScript runs
  (`assets/js/places.js`); each name links to its group's page at the note for it;
- `din-kommun/<group>/`, one per SKR municipality group (nine per language): the note
  for each of its municipalities (shown when the address names it, `#kommun-2482`),
  then the lessons from the same group, from each neighbouring group and about whole
  counties or Sweden as a whole (`index/similar_places.py`), and the group's members.

Two pages per group and language, not one per municipality: a group's lists are the
same for all its municipalities, and are rendered once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lardomsbanken.index.collation import collation_key
from lardomsbanken.index.similar_places import SHOWN
from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.places import County, Municipality
from lardomsbanken.render import urls

FINDER_TEMPLATE = "places.html.j2"
GROUP_TEMPLATE = "places_group.html.j2"
TITLE_LABEL = "places.title"

# `add(page, template, title, description, section=…, inputs=…, **context)`: how the build
# plans a generated page (pipeline/site.py).
AddPage = Callable[..., None]


def add_pages(add: AddPage, index: SiteIndex, language: str) -> None:
    """Plan the finder and every group's page of a language."""
    data = index.data
    places = data.places
    if not places.groups:
        return
    place_index = index.places
    by_county = counties_with_municipalities(data, language)
    counts = tuple(place_index.count(group) for group in places.groups)
    add(urls.places_page(), FINDER_TEMPLATE, data.labels(TITLE_LABEL, language),
        data.labels("places.description", language), section=True, inputs=counts,
        by_county=by_county, places=places, total=len(places.municipalities))
    for group in places.groups.values():
        lists = place_index.lessons(group.id, language)
        members = [(county, [municipality for municipality in municipalities if municipality.group == group.id])
                   for county, municipalities in by_county]
        members = [(county, found) for county, found in members if found]
        shown = [lists.same[:SHOWN], *(lessons[:SHOWN] for _, lessons in lists.neighbours), lists.wide[:SHOWN]]
        covered = {other: covered_in(index, other, language) for other in (group.id, *group.neighbours)}
        shape = (len(lists.same), tuple(len(lessons) for _, lessons in lists.neighbours), len(lists.wide))
        inputs: tuple[Any, ...] = (tuple(index.digest(lesson) for part in shown for lesson in part), shape,
                                   tuple(covered.items()))
        add(urls.group_page(group.id), GROUP_TEMPLATE, group.label(language), group.descriptions[language],
            inputs=inputs, group=group, lists=lists, members=members, places=places, shown=SHOWN,
            covered=covered,
            wide_places=wide_places(data, language), total=len(places.municipalities),
            neighbours=", ".join(other.label(language) for other in places.neighbours(group.id)))


def counties_with_municipalities(data: SiteData, language: str) -> list[tuple[County, list[Municipality]]]:
    """Every county with its municipalities, both sorted by name as the language sorts."""
    key = collation_key(data.language(language))
    places = data.places
    members: dict[str, list[Municipality]] = {county: [] for county in places.counties}
    for municipality in places:
        members[municipality.county].append(municipality)
    counties = sorted(places.counties.values(), key=lambda county: key(county.name(language)))
    return [(county, sorted(members[county.id], key=lambda municipality: key(municipality.name(language))))
            for county in counties if members[county.id]]


def covered_in(index: SiteIndex, group: str, language: str) -> list[str]:
    """The ids of the group's municipalities that lessons are about, sorted by name."""
    data = index.data
    key = collation_key(data.language(language))
    found = [term for term in data.regions
             if term.kind == "municipality" and term.group == group and index.count("region", term.id)]
    return [term.id for term in sorted(found, key=lambda term: key(term.name(language)))]


def wide_places(data: SiteData, language: str) -> list[str]:
    """Sweden as a whole and the counties, whose pages list every lesson about them."""
    key = collation_key(data.language(language))
    found = [term for term in data.regions if term.kind in ("national", "county")]
    return [term.id for term in sorted(found, key=lambda term: (term.kind != "national", key(term.name(language))))]


def pages(data: SiteData) -> Iterator[str]:
    """Every page this module plans, for telling whether a hand-written page collides with one."""
    if data.places.groups:
        yield urls.places_page()
        for group in data.places.groups:
            yield urls.group_page(group)
