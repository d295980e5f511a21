"""The controlled vocabularies and interface words in `data/`, checked and loaded.

The facets (`facets.yml`: theme, region, actor, industry, type, …) each have a
`Vocabulary` of `Term`s; languages and interface labels are loaded beside them.
Everything an editor may edit is read with the strict YAML reader so mistakes
come back as problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lardomsbanken.load import municipalities
from lardomsbanken.load.fields import FieldReader
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.yamlnodes import Mapping, Node, Scalar, Sequence
from lardomsbanken.load.yamltext import decode, parse
from lardomsbanken.model.places import Places
from lardomsbanken.model.problems import ContentErrors, Position, Problem
from lardomsbanken.model.schema import FacetSpec

RESERVED_IDS = frozenset({"index"})  # would collide with the overview page of a facet
REGION_KINDS = ("county", "municipality", "national")
# The facets the code builds on beyond what every facet has: the region's map and
# codes, the themes' matrix, the actors' kinds, the lesson's type.
CORE_FACETS = ("theme", "region", "actor", "type")
FACET_KEYS = ("id", "vocabulary", "folder", "param", "required", "single", "related", "feeds", "inherited_from")


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
    group: str | None = None  # a municipality's SKR municipality group (data/municipality_groups.yml)
    # Ids of facets this term's lessons inherit (`industry` of an actor).
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
    facets: tuple[FacetSpec, ...]  # in the order pages and filters show them
    vocabularies: dict[str, Vocabulary]  # by facet
    labels: Labels
    messages: MessageCatalogue
    places: Places = field(default_factory=Places)  # every municipality of Sweden with its SKR group

    @property
    def source_language(self) -> str:
        """The language every lesson is written in first (the first in languages.yml)."""
        return self.languages[0].code

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)

    @property
    def facet_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.facets)

    @property
    def list_facets(self) -> tuple[FacetSpec, ...]:
        """The facets a lesson names a list of (all but `type`)."""
        return tuple(spec for spec in self.facets if not spec.single)

    def spec(self, facet: str) -> FacetSpec:
        return self._specs[facet]

    @cached_property
    def _specs(self) -> dict[str, FacetSpec]:
        return {spec.id: spec for spec in self.facets}

    def facet(self, name: str) -> Vocabulary:
        return self.vocabularies[name]

    @property
    def regions(self) -> Vocabulary:
        return self.vocabularies["region"]

    @property
    def themes(self) -> Vocabulary:
        return self.vocabularies["theme"]

    @property
    def actors(self) -> Vocabulary:
        return self.vocabularies["actor"]

    @property
    def types(self) -> Vocabulary:
        return self.vocabularies["type"]


def load_site_data(data_dir: Path, display_root: Path) -> SiteData:
    """Load and check everything in `data_dir`; raise ContentErrors listing every problem."""
    problems: list[Problem] = []
    loader = DataLoader(data_dir, display_root, problems)
    messages = MessageCatalogue.load(data_dir / "messages.yml")
    if messages.problem is not None:
        problems.append(messages.problem)
    languages = loader.languages()
    codes = [language.code for language in languages] or ["sv"]
    labels = loader.labels(codes)
    actor_kinds = labels.group("actor_kind")  # none when labels.yml could not be read
    specs = loader.facets()
    groups = municipalities.load_groups(loader, codes)  # SKR's municipality groups, named by municipalities
    extras: dict[str, _Extras] = {"region": _RegionExtras(groups), "theme": _theme_extras,
                                  "actor": _ActorExtras(actor_kinds), "type": _type_extras}
    vocabularies: dict[str, Vocabulary] = {}
    # A facet that lessons inherit from another's terms is read first: those terms name its ids.
    for spec in sorted(specs, key=lambda spec: spec.inherited_from is None):
        inherited = {other.id: vocabularies[other.id] for other in specs
                     if other.inherited_from == spec.id and other.id in vocabularies}
        vocabularies[spec.id] = loader.vocabulary(spec.id, spec.vocabulary, codes,
                                                  extras.get(spec.id, _described_extras), inherited)
    vocabularies = {spec.id: vocabularies[spec.id] for spec in specs}  # in the order of facets.yml
    if labels.texts:
        _check_facet_labels(specs, labels, loader.display("labels.yml"), problems)
    if "region" in vocabularies:
        regions = vocabularies["region"]
        region_file = next(spec.vocabulary for spec in specs if spec.id == "region")
        _check_counties(regions, problems, loader.rejected.get(region_file, set()))
        _check_tiles(regions, problems)
    places = municipalities.load_places(loader, codes, vocabularies["region"], groups) \
        if "region" in vocabularies else Places()
    if problems:
        raise ContentErrors(problems)
    return SiteData(tuple(languages), specs, vocabularies, labels, messages, places)


class DataLoader:
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

    def facets(self) -> tuple[FacetSpec, ...]:
        """`facets.yml`: the facets lessons are filed under, each checked."""
        reader = self.reader
        found: list[FacetSpec] = []
        inherited_nodes: dict[str, Node] = {}  # facet -> its `inherited_from`, checked once all are read
        entries = self.entries("facets.yml")
        for entry in entries:
            reader.keys(entry, "", FACET_KEYS)
            nodes = {key: reader.require(entry, key, key, entry.position)
                     for key in ("id", "vocabulary", "folder", "param")}
            texts = {key: None if node is None else reader.text(node, key) if key == "vocabulary"
                     else reader.slug(node, key) for key, node in nodes.items()}
            flags = {key: self._flag(entry, key) for key in ("required", "single", "related", "feeds")}
            inherited_node = entry.get("inherited_from")
            inherited = reader.slug(inherited_node, "inherited_from") if inherited_node is not None else None
            # An id, a folder or a filter parameter used twice would make two facets one.
            taken = next((key for key in ("id", "folder", "param")
                          if texts[key] is not None and texts[key] in {getattr(spec, key) for spec in found}), None)
            if taken is not None:
                node = nodes[taken]
                reader.report("duplicate-id", node.position if node else entry.position, value=texts[taken])
                continue
            ident, vocabulary, folder, param = texts["id"], texts["vocabulary"], texts["folder"], texts["param"]
            if ident and vocabulary and folder and param:
                found.append(FacetSpec(ident, vocabulary, folder, param, inherited_from=inherited, **flags))
                if inherited_node is not None:
                    inherited_nodes[ident] = inherited_node
        ids = [spec.id for spec in found]
        for spec in found:
            if spec.inherited_from is not None and spec.inherited_from not in ids:
                reader.report("unknown-id", inherited_nodes[spec.id].position, field="inherited_from",
                              value=spec.inherited_from, suggestions=[], file=self.display("facets.yml"))
        if entries:  # a missing file is told once, as missing
            for core in CORE_FACETS:
                if core not in ids:
                    reader.report("facet-missing", Position(self.display("facets.yml")), facet=core)
        return tuple(found)

    def _flag(self, entry: Mapping, key: str) -> bool:
        """`true` or `false`; absent, or anything else (told as a problem): the default, so
        that a mistake here is told once and not again for everything the facet holds."""
        default = key == "required"
        node = entry.get(key)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.reader.report("bad-choice", node.position, field=key, value=getattr(node, "text", "…"),
                           valid=["true", "false"])
        return default

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

    def vocabulary(self, facet: str, file_name: str, codes: list[str], extras: _Extras,
                   inherited: dict[str, Vocabulary] | None = None) -> Vocabulary:
        """A facet's terms; `inherited`: the facets whose ids a term may list for its lessons."""
        inherited = inherited or {}
        terms: dict[str, Term] = {}
        positions: dict[str, Position] = {}
        for order, entry in enumerate(self.entries(file_name)):
            allowed = ("id", "name") + tuple(extras.keys) + tuple(inherited)
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
            links = self._links(entry, inherited)
            if links is None:
                values = None
            elif values is not None and links:
                values = {**values, "links": links}
            if ident and names and values is not None:
                terms[ident] = Term(ident, names, order, **values)
                positions[ident] = entry.position
            elif ident:
                self.rejected.setdefault(file_name, set()).add(ident)
        return Vocabulary(facet, self.display(file_name), terms, positions)

    def _links(self, entry: Mapping, inherited: dict[str, Vocabulary]) -> dict[str, tuple[str, ...]] | None:
        """The ids of other facets a term lists for its lessons (an actor's `industry`)."""
        links: dict[str, tuple[str, ...]] = {}
        for facet, vocabulary in inherited.items():
            node = entry.get(facet)
            if node is None:
                continue
            ids = self.reader.ids(node, facet, vocabulary.known_names(), vocabulary.file)
            if ids is None:
                return None
            links[facet] = tuple(ids)
        return links

    def _required_text(self, entry: Mapping, key: str) -> str | None:
        node = self.reader.require(entry, key, key, entry.position)
        return self.reader.text(node, key) if node is not None else None


class _Extras:
    """The fields one vocabulary has beyond `id` and `name`."""

    keys: tuple[str, ...] = ()

    def read(self, loader: DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        """The term's fields beyond `id` and `name`, or None when they have problems (reported)."""
        return {}


class _ThemeExtras(_Extras):
    keys: tuple[str, ...] = ("description",)

    def read(self, loader: DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        node = entry.get("description")
        if node is None:
            return {}
        descriptions = loader.translations(node, "description", codes)
        return {"descriptions": descriptions} if descriptions else None


class _TypeExtras(_ThemeExtras):
    keys = ("plural", "description")

    def read(self, loader: DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        values = super().read(loader, entry, codes)
        node = loader.reader.require(entry, "plural", "plural", entry.position)
        plurals = loader.translations(node, "plural", codes) if node is not None else None
        return {**values, "plurals": plurals} if values is not None and plurals else None


class _ActorExtras(_Extras):
    keys = ("kind",)

    def __init__(self, kinds: list[str]):
        self.kinds = kinds

    def read(self, loader: DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        node = loader.reader.require(entry, "kind", "kind", entry.position)
        kind = loader.reader.choice(node, "kind", self.kinds) if node is not None else None
        return {"kind": kind} if kind else None


class _RegionExtras(_Extras):
    keys = ("kind", "code", "county", "tile", "group")

    def __init__(self, groups: municipalities.Groups | None = None):
        self.groups = groups  # None when data/municipality_groups.yml could not be read

    def read(self, loader: DataLoader, entry: Mapping, codes: list[str]) -> dict[str, Any] | None:
        reader = loader.reader
        node = reader.require(entry, "kind", "kind", entry.position)
        kind = reader.choice(node, "kind", REGION_KINDS) if node is not None else None
        if kind is None:
            return None
        values: dict[str, Any] = {"kind": kind}
        code_node = entry.get("code")
        county_node = entry.get("county")
        tile_node = entry.get("tile")
        for only_municipal in ("tile", "group"):
            only_node = entry.get(only_municipal)
            if kind != "municipality" and only_node is not None:
                reader.report("region-field-not-allowed", only_node.position, field=only_municipal, kind=kind)
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
            values["group"] = municipalities.read_region_group(reader, entry, self.groups)  # None: reported
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


_theme_extras = _ThemeExtras()
_described_extras = _ThemeExtras()  # a facet known only from data: an optional description per term
_type_extras = _TypeExtras()


def facet_label_keys(spec: FacetSpec) -> list[str]:
    """The words a facet's pages, filter, facts and search results need from labels.yml."""
    keys = [f"facet.{spec.id}.title", f"facet.{spec.id}.kicker", f"facet.{spec.id}.description",
            f"search.kind.{spec.id}"]
    if not spec.single:
        keys += [f"filter.{spec.id}", f"lesson.{spec.id}"]
    if spec.feeds:
        keys.append(f"feed.{spec.id}.subtitle")
    return keys


def _check_facet_labels(specs: tuple[FacetSpec, ...], labels: Labels, file: str, problems: list[Problem]) -> None:
    for spec in specs:
        for key in facet_label_keys(spec):
            if key not in labels.texts:
                problems.append(Problem("facet-label-missing", Position(file), facet=spec.id, key=key))


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
