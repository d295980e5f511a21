"""The controlled vocabularies and interface words in `data/`, checked and loaded.

Regions, themes, actors and types are `Vocabulary` objects of `Term`s; languages
and interface labels are loaded beside them. Everything an editor may edit is
read with the strict YAML reader so mistakes come back as problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lardomsbanken.load.fields import FieldReader
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.yamltext import Mapping, Node, Scalar, Sequence, decode, parse
from lardomsbanken.model.problems import ContentErrors, Position, Problem

RESERVED_IDS = frozenset({"index"})  # would collide with the overview page of a facet
REGION_KINDS = ("county", "municipality", "national")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    locale: str
    alphabet: str
    equivalents: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a theme, region, actor or type."""

    id: str
    names: dict[str, str]
    order: int
    descriptions: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    code: str | None = None
    county: str | None = None
    tile: tuple[int, int] | None = None  # a municipality's square on the tile map: (column, row)

    def name(self, language: str) -> str:
        return self.names[language]


@dataclass(frozen=True)
class Vocabulary:
    facet: str
    file: str
    terms: dict[str, Term]
    positions: dict[str, Position] = field(default_factory=dict)

    def __contains__(self, ident: object) -> bool:
        return ident in self.terms

    def __getitem__(self, ident: str) -> Term:
        return self.terms[ident]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def known_names(self) -> dict[str, list[str]]:
        """Each id with its names, for suggestions."""
        return self._known_names

    @cached_property  # asked once per lesson and field
    def _known_names(self) -> dict[str, list[str]]:
        return {term.id: list(term.names.values()) for term in self}


@dataclass(frozen=True)
class Labels:
    texts: dict[str, dict[str, str]]

    def __call__(self, key: str, language: str, /, **params: Any) -> str:
        text = self.texts[key][language]
        return text.format(**params) if params else text

    def group(self, prefix: str) -> list[str]:
        """The keys below `prefix.` (e.g. the actor kinds under `actor_kind.`)."""
        return [key[len(prefix) + 1:] for key in self.texts if key.startswith(prefix + ".")]


@dataclass(frozen=True)
class SiteData:
    languages: tuple[Language, ...]
    regions: Vocabulary
    themes: Vocabulary
    actors: Vocabulary
    types: Vocabulary
    labels: Labels
    messages: MessageCatalogue

    @property
    def source_language(self) -> str:
        """The language every lesson is written in first (the first in languages.yml)."""
        return self.languages[0].code

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)

    def facet(self, name: str) -> Vocabulary:
        return {"region": self.regions, "theme": self.themes, "actor": self.actors, "type": self.types}[name]


def load_site_data(data_dir: Path, display_root: Path) -> SiteData:
    """Load and check everything in `data_dir`; raise ContentErrors listing every problem."""
    problems: list[Problem] = []
    loader = _DataLoader(data_dir, display_root, problems)
    messages = MessageCatalogue.load(data_dir / "messages.yml")
    if messages.problem is not None:
        problems.append(messages.problem)
    languages = loader.languages()
    codes = [language.code for language in languages] or ["sv"]
    labels = loader.labels(codes)
    actor_kinds = labels.group("actor_kind")  # none when labels.yml could not be read
    regions = loader.vocabulary("region", "regions.yml", codes, _region_extras)
    themes = loader.vocabulary("theme", "themes.yml", codes, _theme_extras)
    actors = loader.vocabulary("actor", "actors.yml", codes, _actor_extras(actor_kinds))
    types = loader.vocabulary("type", "types.yml", codes, _type_extras)
    _check_counties(regions, problems, loader.rejected.get("regions.yml", set()))
    _check_tiles(regions, problems)
    if problems:
        raise ContentErrors(problems)
    return SiteData(tuple(languages), regions, themes, actors, types, labels, messages)


class _DataLoader:
    def __init__(self, data_dir: Path, display_root: Path, problems: list[Problem]):
        self.data_dir = data_dir
        self.display_root = display_root
        self.problems = problems
        self.reader = FieldReader(problems)
        self.rejected: dict[str, set[str]] = {}  # per file: ids of entries with problems

    def display(self, name: str) -> str:
        path = self.data_dir / name
        try:
            return path.relative_to(self.display_root).as_posix()
        except ValueError:
            return path.as_posix()

    def read(self, name: str) -> Node | None:
        file = self.display(name)
        try:
            text, problem = decode((self.data_dir / name).read_bytes(), file)
        except FileNotFoundError:
            self.problems.append(Problem("data-file-missing", Position(file)))
            return None
        except OSError:
            self.problems.append(Problem("file-unreadable", Position(file)))
            return None
        if problem is not None:
            self.problems.append(problem)
        if text is None:  # not UTF-8: the problem says where
            return None
        result = parse(text, file)
        self.problems.extend(result.problems)
        return result.node

    def entries(self, name: str) -> list[Mapping]:
        node = self.read(name)
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self.reader.report("data-not-list", node.position)
            return []
        return [mapping for entry in node.items if (mapping := self.reader.mapping(entry, "-")) is not None]

    def languages(self) -> list[Language]:
        found = []
        for entry in self.entries("languages.yml"):
            self.reader.keys(entry, "", ("code", "name", "locale", "alphabet", "equivalents"))
            code, name, locale, alphabet = (self._required_text(entry, key)
                                            for key in ("code", "name", "locale", "alphabet"))
            equivalents: dict[str, str] = {}
            if (equivalents_node := entry.get("equivalents")) is not None:
                mapping = self.reader.mapping(equivalents_node, "equivalents")
                if mapping:
                    equivalents = {key: self.reader.text(value, "equivalents." + key) or ""
                                   for key, value in mapping.values.items()}
            if code and name and locale and alphabet:
                found.append(Language(code, name, locale, alphabet, equivalents=equivalents))
        return found

    def labels(self, codes: list[str]) -> Labels:
        node = self.read("labels.yml")
        texts: dict[str, dict[str, str]] = {}
        if node is None:
            return Labels(texts)
        mapping = self.reader.mapping(node, "-")
        if mapping is None:
            return Labels(texts)
        for key, value in mapping.values.items():
            names = self.translations(value, key, codes)
            if names:
                texts[key] = names
        return Labels(texts)

    def translations(self, node: Node, name: str, codes: list[str]) -> dict[str, str] | None:
        """A text in every site language: `{sv: …, en: …}`."""
        mapping = self.reader.mapping(node, name)
        if mapping is None:
            return None
        self.reader.keys(mapping, name + ".", codes)
        names: dict[str, str] = {}
        for code in codes:
            value = mapping.get(code)
            if value is None:
                self.reader.report("missing-translation", mapping.position, field=name, language=code)
                continue
            text = self.reader.text(value, f"{name}.{code}")
            if text is not None:
                names[code] = text
        return names if len(names) == len(codes) else None

    def vocabulary(self, facet: str, file_name: str, codes: list[str], extras: _Extras) -> Vocabulary:
        terms: dict[str, Term] = {}
        positions: dict[str, Position] = {}
        for order, entry in enumerate(self.entries(file_name)):
            allowed = ("id", "name") + tuple(extras.keys)
            self.reader.keys(entry, "", allowed)
            ident_node = self.reader.require(entry, "id", "id", entry.position)
            ident = self.reader.slug(ident_node, "id") if ident_node is not None else None
            if ident_node is not None and ident in RESERVED_IDS:
                self.reader.report("reserved-id", ident_node.position, value=ident)
                ident = None
            if ident_node is not None and ident is not None and ident in terms:
                self.reader.report("duplicate-id", ident_node.position, value=ident)
                ident = None
            name_node = self.reader.require(entry, "name", "name", entry.position)
            names = self.translations(name_node, "name", codes) if name_node is not None else None
            values = extras.read(self, entry, codes)
            if ident and names and values is not None:
                terms[ident] = Term(ident, names, order, **values)
                positions[ident] = entry.position
            elif ident:
                self.rejected.setdefault(file_name, set()).add(ident)
        return Vocabulary(facet, self.display(file_name), terms, positions)

    def _required_text(self, entry: Mapping, key: str) -> str | None:
        node = self.reader.require(entry, key, key, entry.position)
        return self.reader.text(node, key) if node is not None else None


class _Extras:
    """The fields one vocabulary has beyond `id` and `name`."""

    keys: tuple[str, ...] = ()

    def read(self, loader: _DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        """The term's fields beyond `id` and `name`, or None when they have problems (reported)."""
        return {}


class _ThemeExtras(_Extras):
    keys: tuple[str, ...] = ("description",)

    def read(self, loader: _DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        node = entry.get("description")
        if node is None:
            return {}
        descriptions = loader.translations(node, "description", codes)
        return {"descriptions": descriptions} if descriptions else None


class _TypeExtras(_ThemeExtras):
    keys = ("plural", "description")

    def read(self, loader: _DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        values = super().read(loader, entry, codes)
        node = loader.reader.require(entry, "plural", "plural", entry.position)
        plurals = loader.translations(node, "plural", codes) if node is not None else None
        return {**values, "plurals": plurals} if values is not None and plurals else None


class _ActorExtras(_Extras):
    keys = ("kind",)

    def __init__(self, kinds: list[str]):
        self.kinds = kinds

    def read(self, loader: _DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        node = loader.reader.require(entry, "kind", "kind", entry.position)
        kind = loader.reader.choice(node, "kind", self.kinds) if node is not None else None
        return {"kind": kind} if kind else None


class _RegionExtras(_Extras):
    keys = ("kind", "code", "county", "tile")

    def read(self, loader: _DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        reader = loader.reader
        node = reader.require(entry, "kind", "kind", entry.position)
        kind = reader.choice(node, "kind", REGION_KINDS) if node is not None else None
        if kind is None:
            return None
        values: dict[str, Any] = {"kind": kind}
        code_node = entry.get("code")
        county_node = entry.get("county")
        tile_node = entry.get("tile")
        if kind != "municipality" and tile_node is not None:
            reader.report("region-field-not-allowed", tile_node.position, field="tile", kind=kind)
        if kind == "national":
            for extra, extra_node in (("code", code_node), ("county", county_node)):
                if extra_node is not None:
                    reader.report("region-field-not-allowed", extra_node.position, field=extra, kind=kind)
            return values
        digits = 2 if kind == "county" else 4
        code_node = reader.require(entry, "code", "code", entry.position)  # the same node, now required
        code = reader.text(code_node, "code") if code_node is not None else None
        if code_node is None or code is None:
            return None
        if not (code.isascii() and code.isdigit() and len(code) == digits):
            reader.report("region-bad-code", code_node.position, value=code, digits=digits)
            return None
        values["code"] = code
        if kind == "municipality":
            county_node = reader.require(entry, "county", "county", entry.position)
            county = reader.slug(county_node, "county") if county_node is not None else None
            if county is None:
                return None
            values["county"] = county
            if tile_node is not None:
                tile = _tile(reader, tile_node)
                if tile is None:
                    return None
                values["tile"] = tile
        elif county_node is not None:
            reader.report("region-field-not-allowed", county_node.position, field="county", kind=kind)
        return values


def _tile(reader: FieldReader, node: Node) -> tuple[int, int] | None:
    """`tile: [column, row]`, two whole numbers from 0, the square's place on the tile map."""
    items = node.items if isinstance(node, Sequence) else None
    numbers = [item.value for item in items or () if isinstance(item, Scalar) and type(item.value) is int]
    if items is None or len(items) != 2 or len(numbers) != 2 or min(numbers) < 0:
        text = node.text if isinstance(node, Scalar) else None
        reader.report("region-bad-tile", node.position, value=text or "…")
        return None
    return numbers[0], numbers[1]


_region_extras = _RegionExtras()
_theme_extras = _ThemeExtras()
_type_extras = _TypeExtras()


def _actor_extras(kinds: list[str]) -> _ActorExtras:
    return _ActorExtras(kinds)


def _check_tiles(regions: Vocabulary, problems: list[Problem]) -> None:
    """Two municipalities cannot share a square on the tile map."""
    taken: dict[tuple[int, int], str] = {}
    for term in regions:
        if term.tile is None:
            continue
        if term.tile in taken:
            problems.append(Problem("region-tile-taken", regions.positions[term.id], id=term.id,
                                    other=taken[term.tile], column=term.tile[0], row=term.tile[1]))
        else:
            taken[term.tile] = term.id


def _check_counties(regions: Vocabulary, problems: list[Problem], rejected: AbstractSet[str] = frozenset()) -> None:
    """A municipality's county must be a county, and its code must start with the county's."""
    for term in list(regions):
        if term.kind != "municipality" or term.county in rejected:
            continue  # a county entry with problems is reported once, not for each of its municipalities
        county = regions.terms.get(term.county or "")
        where = regions.positions[term.id]
        if county is None or county.kind != "county":
            counties = [t.id for t in regions if t.kind == "county"]
            problems.append(Problem("region-unknown-county", where, value=term.county, id=term.id, valid=counties))
        elif not (term.code or "").startswith(county.code or "?"):
            problems.append(Problem("region-code-county", where, id=term.id, value=term.code, county=county.id,
                                    prefix=county.code))


def data_fingerprint(data_dir: Path) -> tuple[tuple[str, bytes], ...]:
    """The vocabularies' and words' files as they are now, for telling whether any changed."""
    return tuple((path.name, path.read_bytes()) for path in sorted(data_dir.glob("*.yml")))
