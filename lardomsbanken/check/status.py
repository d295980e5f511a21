"""`lardom status` without the command line: the collection in numbers.

`collection_status` counts what is there and lists what needs doing; the
result is plain data with stable English keys (`--format json`), and
`status_text` lays it out as aligned text in the editor's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lardomsbanken.check.collection import last_changed, translation_state
from lardomsbanken.index.collation import collation_key
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Lesson

LISTED = 5  # newest and stalest lessons shown
PENDING_STATES = ("missing", "unfinished", "outdated", "untracked")


@dataclass
class Status:
    total: int
    by_type: dict[str, int]
    by_theme: dict[str, int]
    by_county: dict[str, int]
    by_language: dict[str, int]
    translations: dict[str, dict[str, list[str]]]  # language -> state -> slugs
    newest: list[dict[str, str]]
    stalest: list[dict[str, str]]
    errors: int = 0
    titles: dict[str, str] = field(default_factory=dict, repr=False)  # slug -> source-language title

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "errors": self.errors,
            "by_type": self.by_type, "by_theme": self.by_theme, "by_county": self.by_county,
            "by_language": self.by_language, "translations": self.translations,
            "newest": self.newest, "stalest": self.stalest,
        }


def collection_status(lessons: dict[str, Lesson], data: SiteData, errors: int = 0) -> Status:
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in ("type", "theme", "county")}
    by_language: Counter[str] = Counter()
    translations: dict[str, dict[str, list[str]]] = {code: {state: [] for state in PENDING_STATES}
                    for code in data.language_codes if code != data.source_language}
    for lesson in sorted(lessons.values(), key=lambda lesson: lesson.slug):
        counts["type"][lesson.type] += 1
        counts["theme"].update(set(lesson.themes))
        counts["county"].update(_counties(lesson, data))
        by_language.update(code for code in data.language_codes if lesson.is_translated(code))
        for code, states in translations.items():
            state = translation_state(lesson, code)
            if state in states:
                states[state].append(lesson.slug)

    def in_file_order(facet: str, counter: Counter[str]) -> dict[str, int]:
        vocabulary = data.regions if facet == "county" else data.facet(facet)
        return {term.id: counter[term.id] for term in vocabulary if counter[term.id] or facet != "county"}

    by_change = sorted(lessons.values(), key=lambda lesson: (last_changed(lesson), lesson.slug))
    return Status(
        total=len(lessons),
        by_type=in_file_order("type", counts["type"]),
        by_theme=in_file_order("theme", counts["theme"]),
        by_county=in_file_order("county", counts["county"]),
        by_language={code: by_language[code] for code in data.language_codes},
        translations=translations,
        newest=[_entry(lesson) for lesson in reversed(by_change[-LISTED:])],
        stalest=[_entry(lesson) for lesson in by_change[:LISTED]],
        errors=errors,
        titles={slug: lesson.versions[lesson.source_language].title for slug, lesson in lessons.items()},
    )


def _counties(lesson: Lesson, data: SiteData) -> set[str]:
    """The counties (or `national` regions) a lesson is about; a municipality counts for its county."""
    found: set[str] = set()
    for ident in lesson.regions:
        term = data.regions[ident]
        # Every municipality names its county (load/vocabularies.py refuses one that does not).
        found.add(term.county if term.kind == "municipality" and term.county is not None else ident)
    return found


def _entry(lesson: Lesson) -> dict[str, str]:
    return {"slug": lesson.slug, "changed": last_changed(lesson).isoformat(), "date": lesson.date.isoformat(),
            "path": lesson.versions[lesson.source_language].path}


def status_text(status: Status, data: SiteData, language: str) -> str:
    def label(key: str, **params: object) -> str:
        return data.labels(key, language, **params)

    lines = [label("status.title"), "=" * len(label("status.title")), ""]
    lines += _table([(label("status.total"), status.total)])
    sort_key = collation_key(data.language(language))  # names as the reader's language sorts them
    for heading, counts, vocabulary in (
        ("status.by_type", status.by_type, data.types),
        ("status.by_theme", status.by_theme, data.themes),
        ("status.by_county", status.by_county, data.regions),
    ):
        rows = sorted(((vocabulary[ident].name(language), count) for ident, count in counts.items()),
                      key=lambda row: sort_key(row[0]))
        lines += ["", label(heading)] + _table(rows)
    languages = [(label(f"language.{code}"), count) for code, count in status.by_language.items()]
    lines += ["", label("status.by_language")] + _table(languages)  # the site's order: source language first
    lines += ["", label("status.translations")]
    todo = [(f"{slug} ({label(f'language.{code}')}, {label(f'status.translation.{state}')})", "")
            for code, states in status.translations.items() for state, slugs in states.items() for slug in slugs]
    lines += _table(todo) if todo else ["  " + label("status.translations.none")]
    for heading, entries in (("status.newest", status.newest), ("status.stalest", status.stalest)):
        lines += ["", label(heading)] + _table([(entry["changed"], status.titles.get(entry["slug"], entry["slug"]))
                                                for entry in entries])
    if status.errors:
        lines += ["", label("status.errors", count=status.errors)]
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple[Any, Any]]) -> list[str]:
    """Two aligned columns: numbers right-aligned, text left-aligned."""
    if not rows:
        return []
    width = max(len(str(first)) for first, _ in rows)
    out = []
    for first, second in rows:
        if isinstance(second, int):
            out.append(f"  {str(first).ljust(width)}  {second:>4}")
        else:
            out.append(f"  {str(first).ljust(width)}  {second}".rstrip())
    return out
