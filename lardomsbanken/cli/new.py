"""`lardom new` without the command line: a new lesson file, ready to be written.

The Swedish file gets every field of the format (the optional ones empty,
which the loader reads as absent, with a comment on how to fill them in) and
a body with the headings a good lesson has. An English file, if wanted, is
marked `draft: true`, so that the site keeps showing the Swedish text until
the translation is done. Every word in the files comes from `data/labels.yml`
in the file's own language.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lardomsbanken.load.lessons import RESERVED_SLUGS
from lardomsbanken.load.slugs import slugify, suggest
from lardomsbanken.load.translations import fingerprint
from lardomsbanken.load.vocabularies import SiteData, Term, Vocabulary
from lardomsbanken.model.schema import lesson_fields

_LESSON_FILE = re.compile(r"^(?P<stem>.+?)(?:\.[A-Za-z]{2,3})?\.md$", re.IGNORECASE)
_COMMENT_COLUMN = 20  # where the comments after empty optional fields start


@dataclass(frozen=True)
class NewLesson:
    slug: str
    type: str
    title: str
    summary: str
    date: datetime.date
    regions: tuple[str, ...]
    themes: tuple[str, ...]
    actors: tuple[str, ...]


class SlugTaken(Exception):
    def __init__(self, slug: str, path: str):
        super().__init__(slug)
        self.slug = slug
        self.path = path


# --- choosing ids ----------------------------------------------------------------


@dataclass
class Choice:
    """What an editor's answer named: the ids found, and the words that named nothing."""

    ids: list[str] = field(default_factory=list)
    unknown: list[tuple[str, list[str]]] = field(default_factory=list)  # (word, suggestions)


def choose(answer: str | list[str], vocabulary: Vocabulary, shown: list[Term] | None = None) -> Choice:
    """Ids from numbers (1 = the first term `shown`, by default the vocabulary's first), ids or
    names, separated by commas."""
    words = answer if isinstance(answer, list) else [answer]
    terms = shown if shown is not None else list(vocabulary)
    by_key: dict[str, str] = {}
    for term in terms:
        by_key.setdefault(term.id, term.id)
        for name in term.names.values():
            by_key.setdefault(slugify(name), term.id)
    choice = Choice()
    for word in (part.strip() for text in words for part in text.split(",")):
        if not word:
            continue
        ident: str | None
        if word.isdigit() and 1 <= int(word) <= len(terms):
            ident = terms[int(word) - 1].id
        else:
            ident = by_key.get(word) or by_key.get(slugify(word))
        if ident is None:
            choice.unknown.append((word, [] if word.isdigit() else suggest(word, vocabulary.known_names())))
        elif ident not in choice.ids:
            choice.ids.append(ident)
    return choice


# --- slugs -------------------------------------------------------------------------


def existing_slugs(lessons_dir: Path, display_root: Path) -> dict[str, str]:
    """Every slug used under `lessons/`, in any language or folder -> one of its files."""
    found: dict[str, str] = {}
    if not lessons_dir.is_dir():
        return found
    for folder, dirs, names in os.walk(lessons_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            match = _LESSON_FILE.match(name)
            if match and not name.startswith("."):
                path = (Path(folder) / name).relative_to(display_root).as_posix()
                found.setdefault(match.group("stem").lower(), path)
    return found


def free_slug(slug: str, lessons_dir: Path, display_root: Path) -> None:
    """Raise SlugTaken if a lesson (or a reserved page) already has `slug`."""
    if slug in RESERVED_SLUGS:
        raise SlugTaken(slug, "")
    taken = existing_slugs(lessons_dir, display_root)
    if slug in taken:
        raise SlugTaken(slug, taken[slug])


# --- the files ---------------------------------------------------------------------


def lesson_text(new: NewLesson, data: SiteData) -> str:
    """The new source file: every field of the lesson format in its order, those the editor
    gave filled in and the optional ones as comments saying what they take."""
    language = data.source_language

    def label(key: str, **params: object) -> str:
        return data.labels(key, language, **params)

    given: dict[str, list[str]] = {
        "type": [f"type: {new.type}"],
        "title": [f"title: {_quoted(new.title)}"],
        "summary": [f"summary: {_quoted(new.summary)}"],
        "date": [f"date: {new.date.isoformat()}"],
        "region": _ids("region", new.regions),
        "theme": _ids("theme", new.themes),
        "actor": _ids("actor", new.actors),
        "related": [_commented("related: []", label("scaffold.comment.related"))],
        "sources": [_commented("sources: []", label("scaffold.comment.sources")),
                    f"#   - title: {_quoted(label('scaffold.example.source_title'))}",
                    "#     url: https://example.org/"],
    }
    lines = ["---"]
    for spec in lesson_fields(data.facets):
        if spec.translation_only:
            continue
        if spec.name in given:
            lines += given[spec.name]
        elif spec.facet:  # a facet `lardom new` does not ask for: say where its ids are
            lines.append(_commented(f"{spec.name}:", label("scaffold.comment.facet",
                                                           file=data.spec(spec.facet).vocabulary)))
        else:
            lines.append(_commented(f"{spec.name}:", label(f"scaffold.comment.{spec.name}")))
    lines += ["---", ""]
    return "\n".join(lines) + "\n" + body_template(new.type, data, language)


def translation_text(new: NewLesson, data: SiteData, language: str) -> str:
    """An unfinished translation: `draft: true`, empty title and summary, the headings."""

    def label(key: str, **params: object) -> str:
        return data.labels(key, language, **params)

    lines = [
        "---",
        f"# {label('scaffold.comment.draft', slug=new.slug)}",
        "draft: true",
        f"translated_from: {_quoted(source_fingerprint(new, data))}",
        _commented('title: ""', label("scaffold.comment.title")),
        _commented('summary: ""', label("scaffold.comment.summary")),
        "---",
        "",
    ]
    return "\n".join(lines) + "\n" + body_template(new.type, data, language)


def source_fingerprint(new: NewLesson, data: SiteData) -> str:
    """The fingerprint of the Swedish file as `lesson_text` writes it."""
    return fingerprint(new.title, new.summary, body_template(new.type, data, data.source_language))


def body_template(type_id: str, data: SiteData, language: str) -> str:
    """`## heading` and a question to answer under it, for each section of this type."""
    prefix = f"scaffold.{type_id}" if data.labels.group(f"scaffold.{type_id}") else "scaffold.lesson"
    sections = [key for key in data.labels.group(prefix) if "." not in key]
    parts = []
    for section in sections:
        parts.append(f"## {data.labels(f'{prefix}.{section}', language)}\n\n"
                     f"{data.labels(f'{prefix}.{section}.prompt', language)}\n")
    return "\n".join(parts)


def create(root: Path, new: NewLesson, data: SiteData, languages: list[str]) -> list[Path]:
    """Write the Swedish file and unfinished translations in `languages`; refuse a taken slug."""
    lessons_dir = root / "lessons"
    free_slug(new.slug, lessons_dir, root)
    lessons_dir.mkdir(exist_ok=True)
    written = []
    texts = {data.source_language: lesson_text(new, data)}
    for language in languages:
        if language != data.source_language:
            texts[language] = translation_text(new, data, language)
    for language, text in texts.items():
        path = lessons_dir / f"{new.slug}.{language}.md"
        with open(path, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        written.append(path)
    return written


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's string syntax is valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _commented(line: str, comment: str) -> str:
    return f"{line.ljust(_COMMENT_COLUMN - 1)} # {comment}"


def _ids(name: str, ids: tuple[str, ...]) -> list[str]:
    if len(ids) == 1:
        return [f"{name}: {ids[0]}"]
    return [f"{name}:", *(f"  - {ident}" for ident in ids)]
