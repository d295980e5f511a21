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
from lardomsbanken.load.fields import PERIOD  # its syntax is also valid ECMA-262, JSON Schema's dialect
from lardomsbanken.load.slugs import SLUG
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.publish.feeds import newest_date
from lardomsbanken.render import urls

LIST_SEPARATOR = " | "  # between the values of a list in one CSV cell
CSV_COLUMNS = (
    "slug", "language", "translated", "text_language", "url", "type", "title", "summary",
    "date", "updated", "period", "period_start", "period_end", "region", "region_code", "region_name",
    "theme", "theme_name",
    "actor", "actor_name", "related", "source_title", "source_url",
)
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TRANSLATED_FIELDS = ("title", "summary")  # the fields a translation must have


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
            "region": list(lesson.regions),
            "theme": list(lesson.themes),
            "actor": list(lesson.actors),
            "related": list(lesson.related),
            "sources": [{"title": source.title, "url": source.url} for source in lesson.sources],
            "source_language": lesson.source_language,
            "versions": versions,
        }

    def vocabularies(self) -> dict[str, list[dict[str, Any]]]:
        found = {}
        for facet in urls.FACETS:
            terms = []
            for term in self.data.facet(facet):
                entry: dict[str, Any] = {"id": term.id, "name": dict(term.names)}
                for extra in ("kind", "code", "county"):
                    if getattr(term, extra) is not None:
                        entry[extra] = getattr(term, extra)
                terms.append(entry)
            found[facet] = terms
        return found

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
            "region": joined(lesson.regions),
            "region_code": joined(code for ident in lesson.regions if (code := data.regions[ident].code)),
            "region_name": names("region"),
            "theme": joined(lesson.themes),
            "theme_name": names("theme"),
            "actor": joined(lesson.actors),
            "actor_name": names("actor"),
            "related": joined(lesson.related),
            "source_title": joined(source.title for source in lesson.sources),
            "source_url": joined(source.url for source in lesson.sources),
        }

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")  # RFC 4180
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
        for facet in ("region", "theme", "actor"):
            defs[facet] = {"type": "string", "enum": [term.id for term in data.facet(facet)]}

        def one_or_more(name: str) -> dict[str, Any]:
            return {"anyOf": [{"$ref": f"#/$defs/{name}"},
                              {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{name}"}}]}

        def optional(schema: dict[str, Any]) -> dict[str, Any]:
            return {"anyOf": [{"type": "null"}, schema]}  # an optional field left empty is absent

        properties: dict[str, Any] = {
            "type": {"type": "string", "enum": [term.id for term in data.types]},
            "title": {"$ref": "#/$defs/text"},
            "summary": {"$ref": "#/$defs/text"},
            "date": {"$ref": "#/$defs/date"},
            "updated": optional({"$ref": "#/$defs/date"}),
            "period": optional({"anyOf": [{"type": "integer", "minimum": 1800, "maximum": 9999},
                                          {"type": "string", "pattern": PERIOD.pattern}]}),
            "region": one_or_more("region"),
            "theme": one_or_more("theme"),
            "actor": one_or_more("actor"),
            "related": optional({"anyOf": [{"$ref": "#/$defs/slug"},
                                           {"type": "array", "items": {"$ref": "#/$defs/slug"}}]}),
            "sources": optional({"type": "array", "items": {"$ref": "#/$defs/source"}}),
        }
        required = list(TRANSLATED_FIELDS) if translation else [
            "type", "title", "summary", "date", "region", "theme", "actor"]
        unfinished: dict[str, Any] = {}
        if translation:
            # What the translation was made from, and `draft: true` while it is unfinished:
            # a draft is not published, so its title and summary may still be empty.
            properties["translated_from"] = optional({"$ref": "#/$defs/text"})
            properties["draft"] = optional({"type": "boolean"})
            finished = {"required": required, "properties": {name: properties.pop(name) for name in TRANSLATED_FIELDS}}
            properties.update({name: {"type": ["string", "null"]} for name in TRANSLATED_FIELDS})
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

    def schema_json(self, translation: bool = False) -> str:
        return json.dumps(self.schema(translation), ensure_ascii=False, indent=2) + "\n"


def add_open_data(outputs: dict[str, str | bytes], index: SiteIndex, facts: DatasetFacts, site_url: str,
                  style: urls.UrlStyle) -> None:
    files = OpenData(index, facts, site_url, style)
    outputs[urls.open_data_file("json")] = files.json()
    outputs[urls.open_data_file("csv")] = files.csv()
    outputs[urls.open_data_file("schema")] = files.schema_json()
    outputs[urls.open_data_file("translation-schema")] = files.schema_json(translation=True)
