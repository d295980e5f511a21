"""The lesson format, defined once: every front-matter field and every facet.

The loader reads lessons by these definitions, the open data's JSON Schemas and CSV
columns are made from them, `lardom new` writes them and the editors' guide shows
them as a table. The facets (theme, region, actor, industry, type) are data:
`data/facets.yml` lists them, so a new facet is an edit of `data/`, not of code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["choice", "text", "date", "period", "ids", "slugs", "sources", "flag"]


@dataclass(frozen=True)
class FacetSpec:
    """A facet lessons are filed under: a front-matter field (named as the facet) holding
    ids from a vocabulary, with a page per term under `folder`."""

    id: str
    vocabulary: str  # its file in data/
    folder: str  # where its pages live: `teman`, `regioner`
    param: str  # its filter of the all-lessons page in the address: `?tema=bostader`
    required: bool = True
    single: bool = False  # one id, not a list (`type`)
    related: bool = False  # lessons sharing a term are related
    feeds: bool = False  # a feed per term
    inherited_from: str | None = None  # a lesson without the field takes it from these terms (`actor`)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a lesson's front matter."""

    name: str
    kind: FieldKind
    required: bool = False
    translated: bool = False  # each language writes its own (title, summary)
    translation_only: bool = False  # only in a translation (draft, translated_from)
    facet: str | None = None  # the facet whose ids it holds


SOURCE_FIELDS = ("title", "url")  # of each entry of `sources`


def lesson_fields(facets: tuple[FacetSpec, ...]) -> tuple[FieldSpec, ...]:
    """Every field of a lesson, in the order the guide and `lardom new` show them."""
    by_id = {facet.id: facet for facet in facets}
    type_facet = by_id.get("type")
    return (
        FieldSpec("type", "choice", True, facet="type" if type_facet else None),
        FieldSpec("title", "text", True, translated=True),
        FieldSpec("summary", "text", True, translated=True),
        FieldSpec("date", "date", True),
        FieldSpec("updated", "date"),
        FieldSpec("period", "period"),
        *(FieldSpec(facet.id, "ids", facet.required and facet.inherited_from is None, facet=facet.id)
          for facet in facets if not facet.single),
        FieldSpec("related", "slugs"),
        FieldSpec("sources", "sources"),
        FieldSpec("draft", "flag", translation_only=True),
        FieldSpec("translated_from", "text", translation_only=True),
    )
