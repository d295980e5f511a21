"""Lessons from places like the reader's: the lists of each SKR municipality group, made once.

A reader anywhere in Sweden picks their municipality; its group's page
(`din-kommun/<group>/`) lists, each lesson once and newest first:

1. the lessons and case notes about the municipalities of the same group that lessons
   are written about (data/regions.yml);
2. those about the municipalities of each neighbouring group (`neighbours` in
   data/municipality_groups.yml), nearest first;
3. those about a whole county or Sweden as a whole: lessons whose places include Sweden
   as a whole, or a county none of whose municipalities they name (a lesson about Luleå
   and Norrbotten is about Luleå).

A page shows the newest `SHOWN` of each list and says how many there are; the places'
own pages list them all. One pass over each language's lessons builds every group's list; a page reads its lists
from here and never scans the collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lardomsbanken.model.lesson import Lesson

if TYPE_CHECKING:
    from lardomsbanken.index.site_index import SiteIndex
    from lardomsbanken.load.vocabularies import SiteData

SHOWN = 30  # lessons a group's page shows of each of its lists, newest first


@dataclass(frozen=True)
class GroupLessons:
    """What a group's page lists, each lesson in one list only."""

    same: list[Lesson]  # about municipalities of the group
    neighbours: list[tuple[str, list[Lesson]]]  # per neighbouring group, nearest first: about its municipalities
    wide: list[Lesson]  # about a whole county or Sweden as a whole

    @property
    def total(self) -> int:
        return len(self.same) + sum(len(lessons) for _, lessons in self.neighbours) + len(self.wide)

    def all(self) -> list[Lesson]:
        return self.same + [lesson for _, lessons in self.neighbours for lesson in lessons] + self.wide


class PlaceIndex:
    """Per language: each group's lessons and the lessons about wider places, newest first."""

    def __init__(self, index: SiteIndex):
        self.data = index.data
        self._groups = {slug: groups_of(self.data, lesson) for slug, lesson in index.lessons.items()}
        self._by_group: dict[str, dict[str, list[Lesson]]] = {}
        self._wide: dict[str, list[Lesson]] = {}
        for language, lessons in index.newest.items():
            by_group: dict[str, list[Lesson]] = {group: [] for group in self.data.places.groups}
            wide: list[Lesson] = []
            for lesson in lessons:  # newest first, so every list is too
                for group in self._groups[lesson.slug]:
                    by_group[group].append(lesson)
                if is_wide(self.data, lesson):
                    wide.append(lesson)
            self._by_group[language] = by_group
            self._wide[language] = wide

    def groups(self, lesson: Lesson) -> list[str]:
        """The groups of the municipalities a lesson is about, in the order of its places."""
        return self._groups[lesson.slug]

    def count(self, group: str) -> int:
        """How many lessons are about municipalities of the group."""
        return len(self._by_group[self.data.source_language][group])

    def lessons(self, group: str, language: str) -> GroupLessons:
        same = self._by_group[language][group]
        shown = {lesson.slug for lesson in same}
        neighbours: list[tuple[str, list[Lesson]]] = []
        for neighbour in self.data.places.groups[group].neighbours:
            listed = [lesson for lesson in self._by_group[language][neighbour] if lesson.slug not in shown]
            shown.update(lesson.slug for lesson in listed)
            neighbours.append((neighbour, listed))
        wide = [lesson for lesson in self._wide[language] if lesson.slug not in shown]
        return GroupLessons(same, neighbours, wide)


def is_wide(data: SiteData, lesson: Lesson) -> bool:
    """Whether a lesson is about Sweden as a whole, or a county more than one of its municipalities."""
    regions = data.regions
    named = {regions[region].county for region in lesson.regions if regions[region].kind == "municipality"}
    return any(regions[region].kind == "national" or (regions[region].kind == "county" and region not in named)
               for region in lesson.regions)


def groups_of(data: SiteData, lesson: Lesson) -> list[str]:
    """The groups of a lesson's municipalities, each once, in the order of its places."""
    found: list[str] = []
    for region in lesson.regions:
        group = data.regions[region].group
        if group is not None and group not in found:
            found.append(group)
    return found
