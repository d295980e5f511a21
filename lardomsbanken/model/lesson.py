"""The content model: lessons and their language versions, free of any site engine."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Target:
    """Where a link or image of a body that points into the site leads: a lesson or a file
    beside the lessons; `suffix` is its query and fragment (`#rubrik`)."""

    lesson: str | None = None  # a slug
    file: str | None = None  # relative to lessons/, as published under lardomar/
    suffix: str = ""
    image: bool = False


@dataclass(frozen=True)
class Version:
    """One language version of a lesson: the words, and where they came from."""

    language: str
    path: str  # as shown to editors, e.g. lessons/bostader/x.sv.md
    title: str
    summary: str
    markdown: str  # the body as written; read in full (body.py) when a page or the search needs it
    body_line: int  # file line of the body's first line
    targets: tuple[Target, ...] = ()  # of the body's references, in order
    digest: str = ""  # of the body's Markdown, for telling whether it changed
    fingerprint: str = ""  # of this version's own words (translations.fingerprint)
    translated_from: str | None = None  # a translation: the source's fingerprint it was made from
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)  # front-matter key -> file line


@dataclass(frozen=True)
class Period:
    """When the events a lesson describes happened (`period:`), apart from when it was published."""

    start: int
    end: int | None  # None: still going on; equal to start for a single year

    def years(self, until: int) -> range:
        """The years covered; an ongoing period runs up to `until` (the lesson's publication year)."""
        return range(self.start, max(self.end if self.end is not None else until, self.start) + 1)

    def iso(self) -> str:
        """ISO 8601 form, for schema.org's temporalCoverage: 2022, 2020/2024, 2024/.."""
        if self.end == self.start:
            return str(self.start)
        return f"{self.start}/{'..' if self.end is None else self.end}"

    def text(self) -> str:
        """As written in both languages: 2022, 2020–2024, 2024–."""
        if self.end == self.start:
            return str(self.start)
        return f"{self.start}–{'' if self.end is None else self.end}"


@dataclass(frozen=True)
class Lesson:
    slug: str
    type: str
    date: datetime.date
    updated: datetime.date | None
    # The ids it is filed under, by facet (`region`, `theme`, `actor`, `industry`): every
    # facet of data/facets.yml but `type`, in the order the editor wrote them.
    facets: dict[str, tuple[str, ...]]
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    period: Period | None = None
    versions: dict[str, Version] = field(default_factory=dict)
    source_language: str = "sv"
    # Translations marked `draft: true`: language -> the file, shown as not translated yet.
    unfinished: dict[str, str] = field(default_factory=dict)

    def version(self, language: str) -> Version:
        """The version in `language`, or the source-language text if not translated."""
        return self.versions.get(language) or self.versions[self.source_language]

    def is_translated(self, language: str) -> bool:
        return language in self.versions

    def event_years(self) -> range:
        """The years the year filter files the lesson under: its period, else its publication year."""
        if self.period is None:
            return range(self.date.year, self.date.year + 1)
        return self.period.years(until=self.date.year)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        return (self.type,) if facet == "type" else self.facets.get(facet, ())

    @property
    def regions(self) -> tuple[str, ...]:
        return self.facets.get("region", ())

    @property
    def themes(self) -> tuple[str, ...]:
        return self.facets.get("theme", ())

    @property
    def actors(self) -> tuple[str, ...]:
        return self.facets.get("actor", ())


@dataclass(frozen=True)
class Asset:
    """A non-Markdown file under lessons/ (an image, a PDF) published beside the lessons."""

    relative_path: str  # relative to lessons/
    absolute_path: str


def lesson_fingerprint(lesson: Lesson) -> tuple[object, ...]:
    """Everything a lesson's pages and cards can show, for telling whether it changed."""
    versions = tuple((code, v.path, v.title, v.summary, v.digest, v.targets, v.fingerprint, v.translated_from)
                     for code, v in sorted(lesson.versions.items()))
    return (lesson.slug, lesson.type, lesson.date, lesson.updated, tuple(lesson.facets.items()), lesson.related,
            lesson.sources, lesson.period, versions, lesson.source_language, tuple(sorted(lesson.unfinished.items())))
