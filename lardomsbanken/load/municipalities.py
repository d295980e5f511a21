"""SKR's municipality groups and Sweden's municipalities, read from `data/` and checked.

- `data/municipality_groups.yml`: the nine groups (A1 … C9), with names, descriptions
  and the neighbouring groups a reader's page also shows;
- `data/regions.yml`: each municipality that lessons are about has its `group`
  (read by `read_region_group`, called while the places are read);
- `data/other_municipalities.yml`: Sweden's other counties and municipalities, a
  reference list (code, name, county, group) for readers elsewhere.

Every mistake is a `Problem` at the file, line and column of the value: an unknown
group, a municipality of `regions.yml` without a group, a code that does not start
with its county's code, a code listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from lardomsbanken.load.fields import FieldReader
from lardomsbanken.load.yamlnodes import Mapping, Node, Scalar
from lardomsbanken.model.places import County, Municipality, MunicipalityGroup, Places

if TYPE_CHECKING:
    from lardomsbanken.load.vocabularies import Vocabulary

GROUPS_FILE = "municipality_groups.yml"
OTHERS_FILE = "other_municipalities.yml"
GROUP_KEYS = ("id", "name", "description", "neighbours")
COUNTY_KEYS = ("id", "code", "name")
MUNICIPALITY_KEYS = ("code", "name", "county", "group")
RESERVED_GROUP_IDS = frozenset({"index"})


@dataclass(frozen=True)
class Groups:
    """The groups read from data/municipality_groups.yml, and the ids of every entry, also those
    with problems of their own (reported once, not again wherever they are named)."""

    found: dict[str, MunicipalityGroup]
    known: frozenset[str]

    def __contains__(self, ident: object) -> bool:
        return ident in self.known


class DataSource(Protocol):
    """What these readers need of the loader of `data/` (`vocabularies.DataLoader`)."""

    reader: FieldReader

    def display(self, name: str) -> str: ...

    def read(self, name: str) -> Node | None: ...

    def entries(self, name: str) -> list[Mapping]: ...

    def translations(self, node: Node, name: str, codes: list[str]) -> dict[str, str] | None: ...


def load_groups(source: DataSource, codes: list[str]) -> Groups | None:
    """The groups by id, in the file's order; None when the file could not be read at all
    (its problem is reported; the groups named elsewhere are then not checked)."""
    reader = source.reader
    entries = source.entries(GROUPS_FILE)
    if not entries:
        return None
    groups: dict[str, MunicipalityGroup] = {}
    known: set[str] = set()
    neighbour_nodes: list[tuple[str, Node]] = []
    for order, entry in enumerate(entries):
        reader.keys(entry, "", GROUP_KEYS)
        ident_node = reader.require(entry, "id", "id", entry.position)
        ident = reader.slug(ident_node, "id") if ident_node is not None else None
        if ident is not None and ident_node is not None and (ident in RESERVED_GROUP_IDS or ident in known):
            reader.report("reserved-id" if ident in RESERVED_GROUP_IDS else "duplicate-id", ident_node.position,
                          value=ident)
            ident = None
        if ident is not None:
            known.add(ident)
        name_node = reader.require(entry, "name", "name", entry.position)
        names = source.translations(name_node, "name", codes) if name_node is not None else None
        description_node = reader.require(entry, "description", "description", entry.position)
        descriptions = source.translations(description_node, "description", codes) \
            if description_node is not None else None
        neighbours: list[str] = []
        listed = entry.get("neighbours")
        if listed is not None:
            for item in reader.sequence(listed, "neighbours") or []:
                value = reader.slug(item, "neighbours")
                if value is not None:
                    neighbours.append(value)
                    neighbour_nodes.append((value, item))
        if ident and names and descriptions:
            groups[ident] = MunicipalityGroup(ident, names, descriptions, tuple(dict.fromkeys(neighbours)), order)
    loaded = Groups(groups, frozenset(known))
    for value, item in neighbour_nodes:
        if value not in loaded:
            _unknown_group(reader, item, value, "neighbours", loaded)
    return loaded


def read_region_group(reader: FieldReader, entry: Mapping, groups: Groups | None) -> str | None:
    """The `group` of a municipality in regions.yml: required, and one of the groups."""
    node = entry.get("group")
    if node is None:
        ident = entry.get("id")
        reader.report("group-missing", entry.position,
                      id=ident.value if isinstance(ident, Scalar) and ident.value is not None else "?")
        return None
    value = reader.slug(node, "group")
    if value is None:
        return None
    if groups is not None and value not in groups:
        _unknown_group(reader, node, value, "group", groups)
        return None
    return value


def load_places(source: DataSource, codes: list[str], regions: Vocabulary, groups: Groups | None) -> Places:
    """Every county and municipality of Sweden: those of regions.yml, then the reference list's."""
    reader = source.reader
    counties: dict[str, County] = {}
    covered: dict[str, Municipality] = {}
    for term in regions:
        if term.kind == "county" and term.code:
            counties[term.id] = County(term.id, term.code, dict(term.names))
    for term in regions:
        if term.kind == "municipality" and term.code and term.county and term.group:
            covered[term.code] = Municipality(term.code, dict(term.names), term.county, term.group, term.id)
    node = source.read(OTHERS_FILE)
    mapping = reader.mapping(node, "-") if node is not None else None
    found: dict[str, Municipality] = dict(covered)
    if mapping is not None:
        reader.keys(mapping, "", ("counties", "municipalities"))
        _read_counties(source, mapping, codes, counties)
        _read_municipalities(source, mapping, codes, counties, groups, covered, found)
    ordered = tuple(sorted(found.values(), key=lambda municipality: municipality.code))
    return Places(dict(groups.found) if groups else {}, counties, ordered)


def _entries(reader: FieldReader, mapping: Mapping, key: str) -> list[Mapping]:
    """The mappings listed under `key`; its absence and anything not a mapping are told."""
    listed = mapping.get(key)
    if listed is None:
        reader.report("missing-field", mapping.position, field=key)
        return []
    return [entry for item in reader.sequence(listed, key) or [] if (entry := reader.mapping(item, key)) is not None]


def _read_counties(source: DataSource, mapping: Mapping, codes: list[str], counties: dict[str, County]) -> None:
    """The reference list's counties; one that regions.yml has (by id or code) is taken from there."""
    reader = source.reader
    known_codes = {county.code: county.id for county in counties.values()}
    seen: dict[str, str] = {}  # code -> id, in this file
    for entry in _entries(reader, mapping, "counties"):
        reader.keys(entry, "counties.", COUNTY_KEYS)
        ident_node = reader.require(entry, "id", "id", entry.position)
        ident = reader.slug(ident_node, "id") if ident_node is not None else None
        code_node = reader.require(entry, "code", "code", entry.position)
        code = _code(reader, code_node, 2)
        name_node = reader.require(entry, "name", "name", entry.position)
        names = source.translations(name_node, "name", codes) if name_node is not None else None
        if ident is None or code is None or names is None or code_node is None or ident_node is None:
            continue
        if ident in seen.values():
            reader.report("duplicate-id", ident_node.position, value=ident)
            continue
        if code in seen:
            reader.report("place-duplicate-code", code_node.position, value=code, listed=seen[code])
            continue
        seen[code] = ident
        if ident in counties or code in known_codes:
            continue  # regions.yml has it, with lessons' words for it
        counties[ident] = County(ident, code, names)


def _read_municipalities(source: DataSource, mapping: Mapping, codes: list[str], counties: dict[str, County],
                         groups: Groups | None, covered: dict[str, Municipality],
                         found: dict[str, Municipality]) -> None:
    reader = source.reader
    seen: dict[str, str] = {}  # code -> name, in this file
    for entry in _entries(reader, mapping, "municipalities"):
        reader.keys(entry, "municipalities.", MUNICIPALITY_KEYS)
        code_node = reader.require(entry, "code", "code", entry.position)
        code = _code(reader, code_node, 4)
        name_node = reader.require(entry, "name", "name", entry.position)
        name = reader.text(name_node, "name") if name_node is not None else None
        county_node = reader.require(entry, "county", "county", entry.position)
        county_id = reader.slug(county_node, "county") if county_node is not None else None
        group_node = reader.require(entry, "group", "group", entry.position)
        group = reader.slug(group_node, "group") if group_node is not None else None
        shown = name or code or "?"
        county = counties.get(county_id or "")
        if county_id is not None and county is None and county_node is not None:
            reader.report("place-unknown-county", county_node.position, id=shown, value=county_id,
                          valid=sorted(counties))
        if group is not None and groups is not None and group not in groups and group_node is not None:
            _unknown_group(reader, group_node, group, "group", groups)
            group = None
        if code is None or name is None or county is None or group is None or code_node is None:
            continue
        if not code.startswith(county.code):
            reader.report("region-code-county", code_node.position, id=name, value=code, county=county.id,
                          prefix=county.code)
            continue
        if code in seen:
            reader.report("place-duplicate-code", code_node.position, value=code, listed=seen[code])
            continue
        seen[code] = name
        if code in covered:  # lessons are about it now: regions.yml has it, and must agree on its group
            if covered[code].group != group and group_node is not None:
                reader.report("place-group-differs", group_node.position, id=name, value=group,
                              group=covered[code].group)
            continue
        found[code] = Municipality(code, {language: name for language in codes}, county.id, group)


def _code(reader: FieldReader, node: Node | None, digits: int) -> str | None:
    """An SCB code: `digits` digits in quotes."""
    if node is None:
        return None
    code = reader.text(node, "code")
    if code is None:
        return None
    if not (code.isascii() and code.isdigit() and len(code) == digits):
        reader.report("region-bad-code", node.position, value=code, digits=digits)
        return None
    return code


def _unknown_group(reader: FieldReader, node: Node, value: str, field: str, groups: Groups) -> None:
    reader.report("group-unknown", node.position, value=value, field=field, valid=sorted(groups.known))
