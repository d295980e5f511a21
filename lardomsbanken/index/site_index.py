"""The cross-index of all lessons, built once per build in one pass.

Pages ask the index for their lists (a theme's lessons, the newest lessons,
a lesson's related lessons) and never scan the whole collection themselves.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from lardomsbanken.index.collation import collation_key
from lardomsbanken.index.similar_places import PlaceIndex
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Lesson, lesson_fingerprint

RELATED_LIMIT = 5
# Related lessons are sought among the newest lessons of each of a lesson's themes, places
# and actors. A whole county's or theme's list grows with the collection, and scanning all
# of it for every lesson would make the build quadratic; small lists (a municipality, an
# actor), where the telling overlaps are, are read whole.
RELATED_CANDIDATES_PER_LIST = 200


@dataclass
class SiteIndex:
    data: SiteData
    lessons: dict[str, Lesson]
    newest: dict[str, list[Lesson]] = field(default_factory=dict)  # per language, newest first
    postings: dict[str, dict[str, dict[str, list[Lesson]]]] = field(default_factory=dict)  # language -> facet -> id
    related: dict[str, list[Lesson]] = field(default_factory=dict)
    # How many lessons share a theme and a place (a county counts its municipalities' lessons).
    theme_region: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Year of the events (else of publication) -> lessons, newest first.
    years: dict[int, int] = field(default_factory=dict)
    _digests: dict[str, str] = field(default_factory=dict, repr=False)

    def lessons_for(self, facet: str, ident: str, language: str) -> list[Lesson]:
        return self.postings[language][facet].get(ident, [])

    def count(self, facet: str, ident: str) -> int:
        return len(self.postings[self.data.source_language][facet].get(ident, []))

    def digest(self, lesson: Lesson) -> str:
        """A short digest of everything a lesson's pages and cards can show, made once per
        build: what remembered pages and cards are keyed by."""
        found = self._digests.get(lesson.slug)
        if found is None:
            found = self._digests[lesson.slug] = hashlib.blake2b(
                repr(lesson_fingerprint(lesson)).encode("utf-8"), digest_size=16).hexdigest()
        return found

    @functools.cached_property
    def places(self) -> PlaceIndex:
        """Each SKR municipality group's lessons, for the pages of readers' municipalities."""
        return PlaceIndex(self)

    def region_ids(self, lesson: Lesson) -> list[str]:
        """The places a lesson is listed under: its own, and the counties of its municipalities."""
        return _posting_ids(self.data, lesson, "region")


def build_index(data: SiteData, lessons: dict[str, Lesson]) -> SiteIndex:
    index = SiteIndex(data, lessons)
    for language in data.languages:
        title_key = collation_key(language)
        ordered = sorted(
            lessons.values(),
            key=lambda lesson: (-lesson.date.toordinal(), title_key(lesson.version(language.code).title), lesson.slug),
        )
        index.newest[language.code] = ordered
        postings: dict[str, dict[str, list[Lesson]]] = {facet: {} for facet in data.facet_ids}
        for lesson in ordered:  # appending in date order keeps every posting list sorted
            for facet in data.facet_ids:
                for ident in _posting_ids(data, lesson, facet):
                    postings[facet].setdefault(ident, []).append(lesson)
        index.postings[language.code] = postings
    # Lessons by (newest first, slug): a related lesson's rank among equally related ones.
    by_date = sorted(lessons.values(), key=lambda lesson: (-lesson.date.toordinal(), lesson.slug))
    ranks = {lesson.slug: position for position, lesson in enumerate(by_date)}
    # The newest lessons of each list, by slug: where related lessons are looked for.
    newest_slugs = {spec.id: {ident: [other.slug for other in listed[:RELATED_CANDIDATES_PER_LIST]]
                              for ident, listed in index.postings[data.source_language][spec.id].items()}
                    for spec in data.facets if spec.related}
    index.related = {slug: _related(index, lesson, newest_slugs, ranks, by_date) for slug, lesson in lessons.items()}
    for lesson in lessons.values():
        for region in _posting_ids(data, lesson, "region"):
            for theme in dict.fromkeys(lesson.themes):
                index.theme_region[theme, region] += 1
    per_year = Counter(year for lesson in lessons.values() for year in lesson.event_years())
    index.years = {year: per_year[year] for year in sorted(per_year, reverse=True)}
    return index


def _posting_ids(data: SiteData, lesson: Lesson, facet: str) -> list[str]:
    """The ids a lesson is listed under; a municipality's lessons also count for its county."""
    ids = list(lesson.facet_values(facet))
    if facet == "region":
        for ident in lesson.regions:
            county = data.regions[ident].county
            if county and county not in ids:
                ids.append(county)
    return ids


def _related(index: SiteIndex, lesson: Lesson, newest_slugs: dict[str, dict[str, list[str]]],
             ranks: dict[str, int], by_date: list[Lesson]) -> list[Lesson]:
    """Explicit `related` first, then the lessons sharing the most themes, places and actors."""
    chosen = [index.lessons[slug] for slug in lesson.related if slug in index.lessons][:RELATED_LIMIT]
    room = RELATED_LIMIT - len(chosen)
    if room <= 0:
        return chosen
    shared: Counter[str] = Counter()
    for facet in newest_slugs:  # the facets where sharing a term makes lessons related
        for ident in _posting_ids(index.data, lesson, facet):  # a shared county counts too
            shared.update(newest_slugs[facet].get(ident, ()))
    excluded = {lesson.slug, *lesson.related}
    # Only the candidates that share the most can be chosen: those down to the `room`-th most
    # shared, and any sharing as many (a sort in C, then a few Python steps, not one per candidate).
    finalists: list[tuple[str, int]] = []
    threshold = 0
    for slug, count in sorted(shared.items(), key=itemgetter(1), reverse=True):
        if count < threshold:
            break
        if slug not in excluded:
            finalists.append((slug, count))
            if len(finalists) == room:
                threshold = count
    # Most shared first, then the same type, then newest, then by slug: one integer per
    # candidate orders them so.
    size, most = len(by_date), sum(shared.values()) + 1
    scores = [((most - count) * 2 + (by_date[ranks[slug]].type != lesson.type)) * size + ranks[slug]
              for slug, count in finalists]
    best = [by_date[score % size] for score in heapq.nsmallest(room, scores)]
    return chosen + best
