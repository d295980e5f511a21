"""The whole collection as open data: JSON, CSV and the JSON Schema of the front matter.

One set of files for all languages, at the site root under `oppna-data/`.
JSON and CSV carry every front-matter field, each language version's text
and page address, and whether the version is a translation. The schemas are
generated from the vocabularies in `data/`, so their enums always match.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.dataset import DatasetFacts, OffSiteWriter
from lardomsbanken.load.fields import EARLIEST_YEAR, PERIOD  # PERIOD is valid ECMA-262 too, JSON Schema's dialect
from lardomsbanken.load.slugs import SLUG
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.model.schema import FieldSpec, lesson_fields
from lardomsbanken.publish.feeds import newest_date
from lardomsbanken.render import urls

LIST_SEPARATOR = " | "  # between the values of a list in one CSV cell
CSV_FIRST_COLUMNS = ("slug", "language", "translated", "text_language", "url", "type", "title", "summary",
                     "date", "updated", "period", "period_start", "period_end")
CSV_LAST_COLUMNS = ("related", "source_title", "source_url")
# After the places: SKR's municipality groups of the lesson's municipalities (data/municipality_groups.yml).
GROUP_COLUMNS = ("municipality_group", "municipality_group_name")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def csv_columns(data: SiteData) -> tuple[str, ...]:
    """The CSV's columns: each facet's ids and names (and the regions' SCB codes and municipality
    groups) between the others."""
    facets = tuple(column for spec in data.list_facets
                   for column in (spec.id, *(("region_code",) if spec.id == "region" else ()), f"{spec.id}_name",
                                  *(GROUP_COLUMNS if spec.id == "region" else ())))
    return CSV_FIRST_COLUMNS + facets + CSV_LAST_COLUMNS


class OpenData(OffSiteWriter):

    def lessons(self) -> list[Lesson]:
        return self.index.newest[self.data.source_language]

    def lesson_url(self, lesson: Lesson, language: str) -> str:
        return self.page_url(urls.lesson_page(lesson.slug), language)

    # --- JSON ----------------------------------------------------------------
    def lesson_record(self, lesson: Lesson) -> dict[str, Any]:
        versions = {}
        for language in self.data.language_codes:
            version = lesson.version(language)
            versions[language] = {
                "translated": lesson.is_translated(language),
                "text_language": version.language,
                "title": version.title,
                "summary": version.summary,
                "url": self.lesson_url(lesson, language),
                "file": lesson.versions[language].path if lesson.is_translated(language) else None,
            }
        return {
            "slug": lesson.slug,
            "type": lesson.type,
            "date": lesson.date.isoformat(),
            "updated": lesson.updated.isoformat() if lesson.updated else None,
            # When the events happened: end null while they go on.
            "period": ({"text": lesson.period.text(), "start": lesson.period.start, "end": lesson.period.end}
                       if lesson.period else None),
            **{spec.id: list(lesson.facet_values(spec.id)) for spec in self.data.list_facets},
            # SKR's municipality groups of the municipalities it is about (data/municipality_groups.yml)
            "municipality_group": self.index.places.groups(lesson),
            "related": list(lesson.related),
            "sources": [{"title": source.title, "url": source.url} for source in lesson.sources],
            "source_language": lesson.source_language,
            "versions": versions,
        }

    def vocabularies(self) -> dict[str, list[dict[str, Any]]]:
        found = {}
        for facet in self.data.facet_ids:
            terms = []
            for term in self.data.facet(facet):
                entry: dict[str, Any] = {"id": term.id, "name": dict(term.names)}
                for extra in ("kind", "code", "county", "group"):
                    if getattr(term, extra) is not None:
                        entry[extra] = getattr(term, extra)
                entry.update({linked: list(ids) for linked, ids in term.links.items()})
                terms.append(entry)
            found[facet] = terms
        found["municipality_group"] = [
            {"id": group.id, "code": group.code, "name": dict(group.names), "description": dict(group.descriptions),
             "neighbours": list(group.neighbours)}
            for group in self.data.places.groups.values()]
        return found

    def municipalities(self) -> list[dict[str, Any]]:
        """Every municipality of Sweden with its county and SKR group; `region` is its place's
        id when lessons can be about it, else null."""
        places, source = self.data.places, self.data.source_language
        return [{"code": municipality.code, "name": municipality.name(source),
                 "county": places.counties[municipality.county].code, "group": municipality.group,
                 "region": municipality.region}
                for municipality in places]

    def json(self) -> str:
        facts = self.facts
        document = {
            "title": facts.title,
            "description": facts.description,
            "publisher": {"name": facts.publisher_name, "homepage": facts.publisher_homepage},
            "licence": {"uri": facts.licence_uri, "name": facts.licence_name},
            "languages": self.data.language_codes,
            "source_language": self.data.source_language,
            "modified": newest_date(self.lessons()).isoformat() if self.lessons() else None,
            "schema": urls.absolute(self.site_url, urls.open_data_file("schema")),
            "vocabularies": self.vocabularies(),
            "municipalities": self.municipalities(),
            "lessons": [self.lesson_record(lesson) for lesson in self.lessons()],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    # --- CSV -----------------------------------------------------------------
    def csv_rows(self) -> list[dict[str, str]]:
        rows = []
        for lesson in self.lessons():
            for language in self.data.language_codes:
                rows.append(self._csv_row(lesson, language))
        return rows

    def _csv_row(self, lesson: Lesson, language: str) -> dict[str, str]:
        data = self.data
        version = lesson.version(language)

        def joined(values: Iterable[str]) -> str:
            return LIST_SEPARATOR.join(values)

        def names(facet: str) -> str:
            vocabulary = data.facet(facet)
            return joined(vocabulary[ident].name(language) for ident in lesson.facet_values(facet))

        return {
            "slug": lesson.slug,
            "language": language,
            "translated": "true" if lesson.is_translated(language) else "false",
            "text_language": version.language,
            "url": self.lesson_url(lesson, language),
            "type": lesson.type,
            "title": version.title,
            "summary": version.summary,
            "date": lesson.date.isoformat(),
            "updated": lesson.updated.isoformat() if lesson.updated else "",
            "period": lesson.period.text() if lesson.period else "",
            "period_start": str(lesson.period.start) if lesson.period else "",
            "period_end": str(lesson.period.end) if lesson.period and lesson.period.end is not None else "",
            **{column: value for spec in data.list_facets for column, value in (
                (spec.id, joined(lesson.facet_values(spec.id))), (f"{spec.id}_name", names(spec.id)))},
            "region_code": joined(code for ident in lesson.regions if (code := data.regions[ident].code)),
            "municipality_group": joined(self.index.places.groups(lesson)),
            "municipality_group_name": joined(data.places.groups[group].name(language)
                                              for group in self.index.places.groups(lesson)),
            "related": joined(lesson.related),
            "source_title": joined(source.title for source in lesson.sources),
            "source_url": joined(source.url for source in lesson.sources),
        }

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=csv_columns(self.data), lineterminator="\r\n")  # RFC 4180
        writer.writeheader()
        writer.writerows(self.csv_rows())
        return buffer.getvalue()

    # --- JSON Schema ---------------------------------------------------------
    def schema(self, translation: bool = False) -> dict[str, Any]:
        """The front matter of a lesson file (`<slug>.sv.md`), or of a translation (`<slug>.en.md`)."""
        data = self.data
        kind = "translation-schema" if translation else "schema"
        defs: dict[str, Any] = {
            "text": {"type": "string", "pattern": "\\S"},
            "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
            "slug": {"type": "string", "pattern": SLUG.pattern},
            "source": {
                "type": "object",
                "required": ["title", "url"],
                "properties": {"title": {"$ref": "#/$defs/text"},
                               "url": {"type": "string", "format": "uri", "pattern": "^https?://[^\\s]+$"}},
                "additionalProperties": False,
            },
        }
        for spec in data.list_facets:
            defs[spec.id] = {"type": "string", "enum": [term.id for term in data.facet(spec.id)]}
        # SKR's municipality groups: not a field of a lesson, but what each municipality in `region` is.
        if "region" in defs:
            defs["municipality_group"] = {
                "type": "string", "enum": list(data.places.groups),
                "description": "\n\n".join(data.labels("opendata.municipality_group", code)
                                            for code in data.language_codes)}
            defs["region"]["x-municipality-group"] = {term.id: term.group for term in data.regions if term.group}
        fields = [spec for spec in lesson_fields(data.facets) if translation or not spec.translation_only]
        properties = {spec.name: self._field_schema(spec, translation) for spec in fields}
        required = [spec.name for spec in fields if spec.translated] if translation else [
            spec.name for spec in fields if spec.required]
        unfinished: dict[str, Any] = {}
        if translation:
            # What the translation was made from, and `draft: true` while it is unfinished:
            # a draft is not published, so its title and summary may still be empty.
            translated = [spec.name for spec in fields if spec.translated]
            finished = {"required": required, "properties": {name: properties.pop(name) for name in translated}}
            properties.update({name: {"type": ["string", "null"]} for name in translated})
            unfinished = {"if": {"required": ["draft"], "properties": {"draft": {"const": True}}}, "else": finished}
            required = []
        return {**unfinished,
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": urls.absolute(self.site_url, urls.open_data_file(kind)),
            "title": data.labels(f"opendata.file.{kind}", data.source_language),
            "description": "\n\n".join(data.labels(f"opendata.file.{kind}", code) for code in data.language_codes),
            "type": "object",
            "required": required,
            "properties": properties,
            "additionalProperties": False,
            "$defs": defs,
        }

    def _field_schema(self, spec: FieldSpec, translation: bool) -> dict[str, Any]:
        """What a field may hold; an optional one may also be left empty."""
        found: dict[str, Any]
        if spec.kind == "choice":
            found = {"type": "string", "enum": [term.id for term in self.data.types]}
        elif spec.kind == "text":
            found = {"$ref": "#/$defs/text"}
        elif spec.kind == "date":
            found = {"$ref": "#/$defs/date"}
        elif spec.kind == "period":
            found = {"anyOf": [{"type": "integer", "minimum": EARLIEST_YEAR, "maximum": 9999},
                               {"type": "string", "pattern": PERIOD.pattern}]}
        elif spec.kind == "ids":
            found = {"anyOf": [{"$ref": f"#/$defs/{spec.facet}"},
                               {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{spec.facet}"}}]}
        elif spec.kind == "slugs":
            found = {"anyOf": [{"$ref": "#/$defs/slug"}, {"type": "array", "items": {"$ref": "#/$defs/slug"}}]}
        elif spec.kind == "sources":
            found = {"type": "array", "items": {"$ref": "#/$defs/source"}}
        else:  # flag
            found = {"type": "boolean"}
        if spec.required and not (translation and not spec.translated):
            return found
        return {"anyOf": [{"type": "null"}, found]}  # an optional field left empty is absent

    def schema_json(self, translation: bool = False) -> str:
        return json.dumps(self.schema(translation), ensure_ascii=False, indent=2) + "\n"


def add_open_data(outputs: dict[str, str | bytes], index: SiteIndex, facts: DatasetFacts, site_url: str,
                  style: urls.UrlStyle) -> None:
    files = OpenData(index, facts, site_url, style)
    outputs[urls.open_data_file("json")] = files.json()
    outputs[urls.open_data_file("csv")] = files.csv()
    outputs[urls.open_data_file("schema")] = files.schema_json()
    outputs[urls.open_data_file("translation-schema")] = files.schema_json(translation=True)
