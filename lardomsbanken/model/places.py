"""Sweden's municipalities and SKR's municipality groups, beside the places lessons are about.

Lessons are tagged with the places in `data/regions.yml` (the two counties and
their 29 municipalities). A reader can be anywhere in Sweden: `Places` holds
every county and all 290 municipalities, each with its SKR municipality group
(`data/municipality_groups.yml`), so the site can lead from any municipality to
lessons from places like it. The municipalities that lessons can be tagged with
carry the id of their place (`region`); the others are a reference list only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MunicipalityGroup:
    """One of SKR's nine municipality groups (kommungruppsindelning 2023)."""

    id: str  # "c8"
    names: dict[str, str]
    descriptions: dict[str, str]
    neighbours: tuple[str, ...]  # the ids of the groups most like it, nearest first
    order: int

    @property
    def code(self) -> str:
        """The group's code as SKR writes it: "C8"."""
        return self.id.upper()

    def name(self, language: str) -> str:
        return self.names[language]

    def label(self, language: str) -> str:
        """Its code and name: "C8 Landsbygdskommun"."""
        return f"{self.code} {self.names[language]}"


@dataclass(frozen=True)
class County:
    id: str
    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names[language]


@dataclass(frozen=True)
class Municipality:
    """A municipality of Sweden with its SKR group; `region` is its place's id when lessons
    can be tagged with it (data/regions.yml), else None."""

    code: str  # SCB's four digits, "2482"
    names: dict[str, str]
    county: str  # the county's id
    group: str  # the group's id
    region: str | None = None

    def name(self, language: str) -> str:
        return self.names[language]

    @property
    def anchor(self) -> str:
        """The id of its note on its group's page: `din-kommun/c6/#kommun-2482`."""
        return f"kommun-{self.code}"


@dataclass(frozen=True)
class Places:
    groups: dict[str, MunicipalityGroup] = field(default_factory=dict)  # in the file's order, A1 … C9
    counties: dict[str, County] = field(default_factory=dict)  # every county, by id
    municipalities: tuple[Municipality, ...] = ()  # all of them, in the order of their codes

    def __iter__(self) -> Iterator[Municipality]:
        return iter(self.municipalities)

    def group(self, ident: str) -> MunicipalityGroup:
        return self.groups[ident]

    def municipality(self, code: str) -> Municipality:
        return self._by_code[code]

    @functools.cached_property
    def _by_code(self) -> dict[str, Municipality]:
        return {municipality.code: municipality for municipality in self.municipalities}

    def in_group(self, ident: str) -> list[Municipality]:
        return [municipality for municipality in self.municipalities if municipality.group == ident]

    def neighbours(self, ident: str) -> list[MunicipalityGroup]:
        return [self.groups[neighbour] for neighbour in self.groups[ident].neighbours]
