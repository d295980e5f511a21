"""The editors' table of a lesson's fields (`<!-- lardom:fields -->` in the guide), made
from the lesson format itself (model/schema.py and data/facets.yml), so the guide shows
exactly what the loader reads."""

from __future__ import annotations

from dataclasses import dataclass

from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.schema import lesson_fields


@dataclass(frozen=True)
class FieldRow:
    name: str
    required: bool
    value: str  # Markdown
    example: str  # Markdown


def field_rows(data: SiteData, language: str) -> list[FieldRow]:
    """A row per field an editor writes in a lesson's source file."""
    labels = data.labels
    rows = []
    for spec in lesson_fields(data.facets):
        if spec.translation_only:
            continue  # the translation guide tells of these
        own = f"guide.field.{spec.name}.value"
        if spec.facet and spec.kind == "ids":
            facet = data.spec(spec.facet)
            key = own if own in labels.texts else "guide.field.facet.value"
            value = labels(key, language, file=facet.vocabulary)
            if facet.inherited_from:
                source = data.spec(facet.inherited_from)
                value += " " + labels("guide.field.inherited", language, facet=labels(
                    f"lesson.{source.id}", language).lower(), file=source.vocabulary)
            example_key = f"guide.field.{spec.name}.example"
            first = next(iter(data.facet(spec.facet)), None)
            example = labels(example_key, language) if example_key in labels.texts else \
                f"`{spec.name}: {first.id if first else ''}`"
        else:
            value = labels(own, language)
            example = labels(f"guide.field.{spec.name}.example", language)
        rows.append(FieldRow(spec.name, spec.required, value, example))
    return rows
