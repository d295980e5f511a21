"""Loading lessons from `lessons/`: files, front matter, fields, and links between them.

Every problem is collected, none stops the loading early, so an editor sees
all mistakes of a run at once. The schema is the lesson format in
PRODUCT.md: the Swedish file holds every field, a translation holds `title`
and `summary` and may repeat other fields only with the same value.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import os
import posixpath
import re
import stat
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lardomsbanken.load import body as bodies
from lardomsbanken.load import frontmatter
from lardomsbanken.load.fields import MAX_SUGGESTED, FieldReader
from lardomsbanken.load.safety import character_name, forbidden_characters, is_web_address, may_hold_forbidden
from lardomsbanken.load.slugs import is_slug, slugify, suggest
from lardomsbanken.load.translations import fingerprint
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.load.yamlnodes import Mapping, Node, Scalar, Sequence
from lardomsbanken.load.yamltext import decode, parse
from lardomsbanken.model.lesson import Asset, Lesson, Period, Source, Target, Version
from lardomsbanken.model.problems import Position, Problem
from lardomsbanken.model.schema import SOURCE_FIELDS, lesson_fields
from lardomsbanken.runtime.cache import Table

# Fields each language writes itself, and those only a translation has: `draft: true` while
# it is unfinished (it is then treated as missing), and `translated_from`, the fingerprint of
# the source text it was made from. The facets do not change them.
TRANSLATED = tuple(spec.name for spec in lesson_fields(()) if spec.translated)
TRANSLATION_ONLY = tuple(spec.name for spec in lesson_fields(()) if spec.translation_only)
RESERVED_SLUGS = frozenset({"index"})
# A real front matter is a few hundred characters; YAML reads a long one slowly.
MAX_FRONT_MATTER = 32 * 1024
MAX_CHARACTER_PROBLEMS = 10  # per file: a pasted binary would otherwise list thousands
MAX_LINK_PROBLEMS = 100  # broken links told per file

# A lesson file read: its front matter, its body, and the file line the body starts on.
FileRead = tuple[Mapping, str, int]
# What a memo keeps of a file by its bytes: the file read (None: it could not be), and its problems.
RememberedFile = tuple[FileRead | None, list[Problem]]
_LESSON_NAME = re.compile(r"^(?P<stem>.+?)\.(?P<language>[A-Za-z]{2,3})\.md$", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """One of `count` parts of the collection, split by slug, for loading in parallel
    processes: a part reads only its own lessons and knows the others' slugs."""

    index: int
    count: int

    def holds(self, slug: str) -> bool:
        return zlib.crc32(slug.encode("utf-8")) % self.count == self.index


@dataclass
class LoadResult:
    lessons: dict[str, Lesson] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _File:
    """One lesson file, split into front matter and body."""

    path: str  # for messages
    folder: str  # relative to lessons/, for links to assets
    slug: str
    language: str
    front: Mapping
    body: str
    body_line: int

    @functools.cached_property  # asked for by every field a file must have
    def start(self) -> Position:
        return Position(self.path, 1, 1)


def load_lessons(lessons_dir: Path, display_root: Path, data: SiteData, memo: Table[RememberedFile] | None = None,
                 part: Part | None = None, parsed: Table[bodies.Body] | None = None) -> LoadResult:
    """`memo`, a preview's memory of files read before, spares reading unchanged files again;
    `parsed`, a cache of what bodies hold (by their text), reading them again. A body is read
    here for its problems and links only: its HTML is made when a page needs it (body.Store)."""
    words = {code: bodies.words_from(data.labels, code) for code in data.language_codes}
    parser = bodies.Parser(words, parsed, render=False)
    with _no_cycle_collection():
        return _load_lessons(lessons_dir, display_root, data, memo, part, parser)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Loading makes hundreds of thousands of small objects that stay, and hardly a cycle:
    Python's cycle collector would read them all again and again, for nothing (an
    eighth of the time of `lardom check`). Reference counting still frees the rest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_lessons(lessons_dir: Path, display_root: Path, data: SiteData, memo: Table[RememberedFile] | None,
                  part: Part | None, parser: bodies.Parser) -> LoadResult:
    result = LoadResult()
    reader = FieldReader(result.problems)
    files, assets, elsewhere = _discover(lessons_dir, display_root, data, result.problems, memo, part)
    result.assets = assets
    grouped = _group(files, data.source_language, result.problems)
    unfinished = _set_aside_unfinished(grouped, data.source_language, reader)
    # Every lesson is read and its links checked even when some of its fields
    # are wrong, so that one run reports all of its problems.
    drafts = {slug: _read_lesson(slug, by_language, data, reader) for slug, by_language in grouped.items()}
    known_assets = {asset.relative_path for asset in assets}
    known = drafts.keys() | elsewhere  # the lessons links and `related` may name
    for slug, draft in drafts.items():
        _check_related(draft, known, reader)
        versions = {
            language: _version(file, draft, known, known_assets, data, reader, parser)
            for language, file in draft.files.items()
        }
        if draft.valid:
            values = dict(draft.values)
            facets = {spec.id: values.pop(spec.id) for spec in data.list_facets}
            result.lessons[slug] = Lesson(
                slug=slug, versions=versions, source_language=data.source_language,
                unfinished=unfinished.get(slug, {}), facets=facets, **values
            )
    return result


# --- files -------------------------------------------------------------------


def _discover(lessons_dir: Path, display_root: Path, data: SiteData, problems: list[Problem],
              memo: Table[RememberedFile] | None, part: Part | None) -> tuple[list[_File], list[Asset], set[str]]:
    """The lesson files of this part, the assets, and the slugs of other parts' lessons."""
    files: list[_File] = []
    assets: list[Asset] = []
    elsewhere: set[str] = set()
    # Problems of a file's name are told by the first part only.
    name_problems = problems if part is None or part.index == 0 else []
    if not lessons_dir.is_dir():
        return files, assets, elsewhere
    # Paths as strings, joined as pathlib would: thousands of Path objects cost more than reading the files.
    top = os.fspath(lessons_dir)
    shown = _display(lessons_dir, display_root)
    prefix = "" if shown == "." else shown if shown.endswith("/") else shown + "/"  # as posixpath.join
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        below = folder[len(top):].lstrip(os.sep).replace(os.sep, "/")  # the folder below lessons/
        for name in sorted(names):
            if name.startswith("."):
                continue
            absolute = os.path.join(folder, name)
            relative = f"{below}/{name}" if below else name
            display = prefix + relative
            if not name.lower().endswith(".md"):
                assets.append(Asset(relative, absolute))
                continue
            named = _parse_name(name, display, data, name_problems)
            if named is None:
                continue
            if part is not None and not part.holds(named[0]):
                elsewhere.add(named[0])
                continue
            if memo is None:
                parsed = _read_file(absolute, display, problems)
            else:
                parsed = _read_remembered(absolute, display, problems, memo)
            if parsed is None:
                continue
            front, body, body_line = parsed
            files.append(_File(display, posixpath.dirname(relative), named[0], named[1], front, body, body_line))
    return files, assets, elsewhere


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _parse_name(name: str, display: str, data: SiteData, problems: list[Problem]) -> tuple[str, str] | None:
    source, codes = data.source_language, data.language_codes
    match = _LESSON_NAME.match(name)
    if match is None or match.group("language").lower() not in codes and len(match.group("language")) > 2:
        stem = name[:-3]
        problems.append(Problem("bad-file-name", Position(display), name=name, source=source,
                                suggestion=f"{slugify(stem) or 'min-lardom'}.{source}.md"))
        return None
    stem, language = match.group("stem"), match.group("language")
    if language.lower() not in codes:
        problems.append(Problem("bad-language-suffix", Position(display), name=name, language=language, valid=codes))
        return None
    if not is_slug(stem) or language != language.lower() or not name.endswith(".md"):
        problems.append(Problem("bad-file-name", Position(display), name=name, source=source,
                                suggestion=f"{slugify(stem) or 'min-lardom'}.{language.lower()}.md"))
        return None
    if stem in RESERVED_SLUGS:
        problems.append(Problem("reserved-slug", Position(display), slug=stem))
        return None
    return stem, language


def _read_remembered(path: str, display: str, problems: list[Problem],
                     memo: Table[RememberedFile]) -> FileRead | None:
    """`_read_file`, unless the file's bytes are the same as when it was last read (nodes are frozen)."""
    def read() -> RememberedFile:
        found: list[Problem] = []
        return _read_file(path, display, found), found

    try:
        raw = _read_regular_file(path)
    except OSError:  # a broken link, a file removed meanwhile: told as `_read_file` tells it
        problems.append(Problem("file-unreadable", Position(display)))
        return None
    parsed, found = memo.get((path, display), raw, read)
    problems.extend(found)
    return parsed


def _read_file(path: str, display: str, problems: list[Problem]) -> FileRead | None:
    try:
        raw = _read_regular_file(path)
    except OSError:
        problems.append(Problem("file-unreadable", Position(display)))
        return None
    text, problem = decode(raw, display)
    if problem is not None:
        problems.append(problem)
        return None
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        problems.append(Problem("empty-file", Position(display)))
        return None
    if may_hold_forbidden(raw) and (forbidden := forbidden_characters(text)):
        for offset, character in forbidden[:MAX_CHARACTER_PROBLEMS]:
            column = offset - text.rfind("\n", 0, offset)
            problems.append(Problem("control-character", Position(display, _line_of(text, offset), column),
                                    character=character_name(character)))
        return None
    try:
        place = frontmatter.split(text)
    except frontmatter.NoFrontMatter:
        problems.append(Problem("no-front-matter", Position(display)))
        return None
    except frontmatter.Unclosed:
        problems.append(Problem("front-matter-unclosed", Position(display)))
        return None
    front_text = place.front(text)
    if len(front_text) > MAX_FRONT_MATTER:
        problems.append(Problem("front-matter-too-long", Position(display), size=len(front_text),
                                limit=MAX_FRONT_MATTER))
        return None
    parsed = parse(front_text, display, first_line=_line_of(text, place.front_start))
    problems.extend(parsed.problems)
    if parsed.node is None:
        if not parsed.problems:
            problems.append(Problem("front-matter-not-mapping", Position(display)))
        return None
    if not isinstance(parsed.node, Mapping):
        problems.append(Problem("front-matter-not-mapping", parsed.node.position))
        return None
    body_start = place.body_start
    if text.startswith("\n", body_start):
        body_start += 1
    return parsed.node, text[body_start:], _line_of(text, body_start)


def _read_regular_file(path: str) -> bytes:
    """The bytes of a file; OSError for a broken link, a pipe (nothing to read, or never an
    end to it) or anything else that is not a regular file. In as few system calls as can be:
    a collection is thousands of files."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"not a regular file: {path}")
        raw = os.read(descriptor, status.st_size + 1)
        while chunk := os.read(descriptor, 1 << 16):  # it grew meanwhile
            raw += chunk
        return raw
    finally:
        os.close(descriptor)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _group(files: list[_File], source_language: str, problems: list[Problem]) -> dict[str, dict[str, _File]]:
    grouped: dict[str, dict[str, _File]] = {}
    for file in files:
        by_language = grouped.setdefault(file.slug, {})
        if file.language in by_language:
            problems.append(Problem("duplicate-slug", file.start, other=by_language[file.language].path))
            continue
        by_language[file.language] = file
    for slug in list(grouped):
        by_language = grouped[slug]
        if source_language not in by_language:
            for file in by_language.values():
                expected = posixpath.join(posixpath.dirname(file.path), f"{slug}.{source_language}.md")
                problems.append(Problem("translation-without-source", file.start, expected=expected))
            del grouped[slug]
    return dict(sorted(grouped.items()))


def _set_aside_unfinished(grouped: dict[str, dict[str, _File]], source_language: str,
                          reader: FieldReader) -> dict[str, dict[str, str]]:
    """Take translations marked `draft: true` out: the site shows the source text instead."""
    unfinished: dict[str, dict[str, str]] = {}
    for slug, by_language in grouped.items():
        for language, file in list(by_language.items()):
            node = file.front.get("draft")
            if language == source_language or node is None or _is_empty(node):
                continue
            if not (isinstance(node, Scalar) and isinstance(node.value, bool)):
                reader.report("draft-not-yes-no", node.position, text=getattr(node, "text", "…"))
            elif not node.value:
                continue
            unfinished.setdefault(slug, {})[language] = file.path
            del by_language[language]
    return unfinished


# --- fields ------------------------------------------------------------------


@dataclass
class _Draft:
    """A lesson's checked field values, before links are resolved."""

    slug: str
    files: dict[str, _File]
    values: dict[str, Any]
    related_positions: dict[str, Position]
    translated: dict[str, dict[str, str]]
    valid: bool
    translated_from: dict[str, str] = field(default_factory=dict)  # language -> source fingerprint


def _read_lesson(slug: str, by_language: dict[str, _File], data: SiteData, reader: FieldReader) -> _Draft:
    source = by_language[data.source_language]
    before = len(reader.problems)
    values, related_positions = _read_shared(source, data, reader, required=True)
    translated = {data.source_language: _read_translated(source, reader)}
    translated_from: dict[str, str] = {}
    for language, file in by_language.items():
        if language == data.source_language:
            continue
        translated[language] = _read_translated(file, reader)
        node = file.front.get("translated_from")
        if node is not None and not _is_empty(node):
            if (value := reader.text(node, "translated_from")) is not None:
                translated_from[language] = value
        repeated, _ = _read_shared(file, data, reader, required=False)
        for name, value in repeated.items():
            if name not in values or value is None:
                continue  # not a shared field, or its value here is wrong and already reported
            if values[name] is None and name in source.front.values:
                continue  # the Swedish value is wrong and already reported
            if _comparable(value) != _comparable(values[name]):
                position = file.front.keys.get(name, file.start)
                reader.report("translation-mismatch", position, field=name, source_value=_show(values[name]))
    valid = len(reader.problems) == before
    return _Draft(slug, by_language, values, related_positions, translated, valid, translated_from)


def _read_translated(file: _File, reader: FieldReader) -> dict[str, str]:
    found = {}
    for name in TRANSLATED:
        node = reader.require(file.front, name, name, file.start)
        value = reader.text(node, name) if node is not None else None
        if value is not None:
            found[name] = value
    return found


def _read_shared(file: _File, data: SiteData, reader: FieldReader,
                 required: bool) -> tuple[dict[str, Any], dict[str, Position]]:
    """The fields every language shares; in a translation only those it repeats."""
    front = file.front
    reader.keys(front, "", [spec.name for spec in lesson_fields(data.facets)])
    if required:  # the source file: these fields only make sense in a translation
        for name in TRANSLATION_ONLY:
            if name in front.keys:
                reader.report("translation-field-in-source", front.keys[name], field=name)
    values: dict[str, Any] = {}
    related_positions: dict[str, Position] = {}

    def node_for(name: str, is_required: bool) -> Node | None:
        if required and is_required:
            return reader.require(front, name, name, file.start)
        node = front.get(name)
        # An optional field left empty (`updated:`, `related: []`) is the same as no field.
        return None if _is_empty(node) else node

    if (node := node_for("type", True)) is not None:
        values["type"] = reader.choice(node, "type", [t.id for t in data.types])
    if (node := node_for("date", True)) is not None:
        values["date"] = reader.date(node, "date")
    if (updated := node_for("updated", False)) is not None:
        values["updated"] = reader.date(updated, "updated")
    elif required:
        values["updated"] = None
    if updated is not None and values.get("updated") and values.get("date") and values["updated"] < values["date"]:
        reader.report("updated-before-date", updated.position,
                      updated=values["updated"].isoformat(), date=values["date"].isoformat())
    if (node := node_for("period", False)) is not None:
        values["period"] = reader.period(node, "period", values.get("date"))
    elif required:
        values["period"] = None
    for spec in data.list_facets:
        if (node := node_for(spec.id, spec.required and spec.inherited_from is None)) is not None:
            vocabulary = data.facet(spec.id)
            ids = reader.ids(node, spec.id, vocabulary.known_names(), vocabulary.file)
            values[spec.id] = tuple(ids) if ids is not None else None
        elif required:
            values[spec.id] = ()
    if required:  # a facet the lesson does not name, taken from its terms of another (an actor's industry)
        for spec in data.list_facets:
            source_ids = values.get(spec.inherited_from or "")
            if spec.inherited_from and values[spec.id] == () and source_ids:
                terms = data.facet(spec.inherited_from)
                values[spec.id] = tuple(dict.fromkeys(
                    ident for term in source_ids for ident in terms[term].links.get(spec.id, ())))
    if (node := node_for("related", False)) is not None:
        values["related"] = _read_related(node, reader, related_positions)
    elif required:
        values["related"] = ()
    if (node := node_for("sources", False)) is not None:
        values["sources"] = _read_sources(node, reader)
    elif required:
        values["sources"] = ()
    return values, related_positions


def _is_empty(node: Node | None) -> bool:
    if isinstance(node, Scalar):
        return node.value is None and not node.quoted
    return isinstance(node, Sequence) and not node.items


def _read_related(node: Node, reader: FieldReader, positions: dict[str, Position]) -> tuple[str, ...] | None:
    items = reader.items(node, "related")
    if items is None:
        return None
    slugs: list[str] = []
    for item in items:
        slug = reader.slug(item, "related")
        if slug is not None and slug not in slugs:
            slugs.append(slug)
            positions[slug] = item.position
    return tuple(slugs)


def _read_sources(node: Node, reader: FieldReader) -> tuple[Source, ...] | None:
    items = reader.sequence(node, "sources")
    if items is None:
        return None
    sources: list[Source] = []
    for number, item in enumerate(items, start=1):
        prefix = f"sources[{number}]"
        mapping = reader.mapping(item, prefix)
        if mapping is None:
            continue
        reader.keys(mapping, prefix + ".", SOURCE_FIELDS)
        title_node = reader.require(mapping, "title", prefix + ".title", mapping.position)
        url_node = reader.require(mapping, "url", prefix + ".url", mapping.position)
        title = reader.text(title_node, prefix + ".title") if title_node is not None else None
        url = reader.text(url_node, prefix + ".url") if url_node is not None else None
        if url_node is not None and url is not None and not is_web_address(url):
            reader.report("bad-url", url_node.position, field=prefix + ".url", value=url)
            url = None
        if title and url:
            sources.append(Source(title, url))
    return tuple(sources)


def _comparable(value: Any) -> Any:
    if isinstance(value, tuple) and value and isinstance(value[0], str):
        return frozenset(value)
    return value


def _show(value: Any) -> str:
    if value is None:  # an optional field the Swedish file does not have
        return "-"
    if isinstance(value, tuple):
        return ", ".join(item.url if isinstance(item, Source) else str(item) for item in value) or "[]"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Period):
        return value.text()
    return str(value)


# --- links between lessons ---------------------------------------------------


def _check_related(draft: _Draft, drafts: Collection[str], reader: FieldReader) -> None:
    unknown = 0
    for slug in draft.values.get("related") or ():
        position = draft.related_positions[slug]
        if slug == draft.slug:
            reader.report("related-self", position, value=slug)
        elif slug not in drafts:
            unknown += 1
            reader.report("related-unknown", position, value=slug,
                          suggestions=_suggest_lesson(slug, drafts) if unknown <= MAX_SUGGESTED else [])
    draft.values["related"] = tuple(s for s in draft.values.get("related") or () if s in drafts and s != draft.slug)


def _version(file: _File, draft: _Draft, drafts: Collection[str], assets: set[str], data: SiteData,
             reader: FieldReader, parser: bodies.Parser) -> Version:
    body, digest = parser.parse(file.body, file.language)
    resolved = [_resolve(reference, file, drafts, assets, data.language_codes) for reference in body.references]
    if body.findings or None in resolved:  # a problem to tell: where it is needs the offsets
        located = parser.locate(file.body, file.language, body)
        # Raw HTML, links that run code, images from elsewhere, Python-Markdown's syntax.
        for finding in located.findings:
            reader.report(finding.code, _body_position(file, finding.offset), **dict(finding.params))
        broken = 0  # links of this file reported; a file of nothing but broken links is told in part
        for reference, target in zip(located.references, resolved, strict=True):  # the same references, located
            if target is not None or (broken := broken + 1) > MAX_LINK_PROBLEMS:
                continue
            where = _body_position(file, reference.offset)
            if not reference.image and reference.path.lower().endswith(".md"):
                slug = _slug_of_link(reference.path, data.language_codes)
                reader.report("link-unknown-lesson", where, target=reference.target, slug=slug,
                              suggestions=_suggest_lesson(slug, drafts) if broken <= MAX_SUGGESTED else [])
            else:
                reader.report("link-missing-file", where, target=reference.target)
    # A broken reference is never shown (the lesson has an error): a target that leads nowhere.
    targets = tuple(target or Target(suffix=reference.suffix, image=reference.image)
                    for reference, target in zip(body.references, resolved, strict=True))
    texts = draft.translated[file.language]
    title, summary = texts.get("title", ""), texts.get("summary", "")
    return Version(file.language, file.path, title, summary, file.body, file.body_line, targets, digest,
                   fingerprint=fingerprint(title, summary, file.body),
                   translated_from=draft.translated_from.get(file.language),
                   field_lines={key: position.line for key, position in file.front.keys.items()})


def _resolve(reference: bodies.Reference, file: _File, drafts: Collection[str], assets: set[str],
             languages: list[str]) -> Target | None:
    """Where a body's link or image leads: another lesson, or a file beside the lessons; None if nowhere."""
    path = reference.path
    if not reference.image and path.lower().endswith(".md"):
        slug = _slug_of_link(path, languages)
        return Target(lesson=slug, suffix=reference.suffix) if slug in drafts else None
    target = posixpath.normpath(posixpath.join(file.folder, path))
    return Target(file=target, suffix=reference.suffix, image=reference.image) if target in assets else None


def _body_position(file: _File, offset: int) -> Position:
    line, column = bodies.position(file.body, offset)
    return Position(file.path, file.body_line + line, column)


def _suggest_lesson(slug: str, drafts: Collection[str]) -> list[str]:
    return suggest(slug, dict.fromkeys(sorted(drafts), ()))


def _slug_of_link(path: str, languages: list[str]) -> str:
    name = posixpath.basename(path)[: -len(".md")]
    stem, _, language = name.rpartition(".")
    return stem if stem and language in languages else name
