"""Reading typed values out of YAML nodes, with a problem for every mistake.

Each reader returns the value, or None after recording why it could not.
`name` is the field as the editor sees it (`theme`, `sources[2].url`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from collections.abc import Mapping as TypingMapping
from typing import Any

from lardomsbanken.load.safety import character_name, forbidden_characters
from lardomsbanken.load.slugs import is_slug, slugify, suggest
from lardomsbanken.load.yamlnodes import Mapping, Node, Scalar, Sequence
from lardomsbanken.model.lesson import Period
from lardomsbanken.model.problems import Position, Problem

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# `period:` 2022, 2020–2024 or 2024– (ongoing); a hyphen is taken for the dash.
PERIOD = re.compile(r"^(\d{4})(?:\s*([–-])\s*(\d{4})?)?$")
EARLIEST_YEAR = 1800
# Suggestions are found by fuzzy matching, which is slow: a list of thousands of wrong
# ids is reported in full, with suggestions for the first few.
MAX_SUGGESTED = 10


class FieldReader:
    """Collects problems while values are read from one file's YAML."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def report(self, code: str, position: Position, **params: Any) -> None:
        self.problems.append(Problem(code, position, **params))

    # --- scalars -------------------------------------------------------------
    def text(self, node: Node, name: str) -> str | None:
        if isinstance(node, Scalar):
            if isinstance(raw := node.value, str):
                # A control character can only come from an escape in quotes ("\e", "\0"):
                # the file itself is checked for them before YAML reads it.
                if forbidden := forbidden_characters(raw):
                    self.report("control-character-in-field", node.position, field=name,
                                character=character_name(forbidden[0][1]))
                    return None
                value = " ".join(raw.split())
                if value:
                    return value
                self.report("empty-value", node.position, field=name)
                return None
            self.report(_scalar_code(node), node.position, field=name, text=node.text)
            return None
        self.report(f"{_shape(node)}-not-text", node.position, field=name)
        return None

    def slug(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not is_slug(value):
            self.report("bad-slug", node.position, field=name, value=value, suggestion=slugify(value) or "-")
            return None
        return value

    def date(self, node: Node, name: str) -> datetime.date | None:
        if isinstance(node, Scalar) and node.is_text is False and isinstance(node.value, (int, float)):
            self.report("bad-date", node.position, field=name, value=node.text)
            return None
        value = self.text(node, name)
        if value is None:
            return None
        if DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.report("bad-date", node.position, field=name, value=value)
        return None

    def period(self, node: Node, name: str, published: datetime.date | None) -> Period | None:
        if isinstance(node, Scalar) and node.is_text is False and isinstance(node.value, int):
            value: str | None = node.text
        else:
            value = self.text(node, name)
        if value is None:
            return None
        match = PERIOD.match(value)
        if not match:
            self.report("bad-period", node.position, field=name, value=value)
            return None
        start = int(match.group(1))
        end = int(match.group(3)) if match.group(3) else (None if match.group(2) else start)
        if start < EARLIEST_YEAR or (end is not None and end < start):
            self.report("bad-period", node.position, field=name, value=value)
            return None
        # A lesson cannot describe what happened after it was published.
        if published is not None and max(start, end or start) > published.year:
            self.report("period-after-date", node.position, field=name, value=value, date=published.isoformat())
            return None
        return Period(start, end)

    def choice(self, node: Node, name: str, valid: Iterable[str]) -> str | None:
        valid = list(valid)
        value = self.text(node, name)
        if value is None:
            return None
        if value not in valid:
            self.report("bad-choice", node.position, field=name, value=value, valid=valid)
            return None
        return value

    # --- collections ---------------------------------------------------------
    def items(self, node: Node, name: str) -> list[Node] | None:
        """One value or a list of values, as a list (an empty list is a problem)."""
        if isinstance(node, Sequence):
            if not node.items:
                self.report("empty-list", node.position, field=name)
                return None
            return node.items
        if isinstance(node, Scalar) and node.value is None and not node.quoted:
            self.report("empty-value", node.position, field=name)
            return None
        if isinstance(node, Mapping):
            self.report("expected-list", node.position, field=name)
            return None
        return [node]

    def sequence(self, node: Node, name: str) -> list[Node] | None:
        if isinstance(node, Sequence):
            return node.items
        self.report("expected-list", node.position, field=name)
        return None

    def mapping(self, node: Node, name: str) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        self.report("expected-mapping", node.position, field=name)
        return None

    def ids(self, node: Node, name: str, known: TypingMapping[str, Iterable[str]], facet_file: str) -> list[str] | None:
        """One id or a list of ids from a vocabulary; repeats are dropped."""
        items = self.items(node, name)
        if items is None:
            return None
        found: list[str] = []
        ok = True
        unknown = 0
        for item in items:
            value = self.text(item, name)
            if value is None:
                ok = False
                continue
            if value not in known:
                unknown += 1
                self.report(
                    "unknown-id", item.position, field=name, value=value,
                    suggestions=suggest(value, known) if unknown <= MAX_SUGGESTED else [], file=facet_file,
                )
                ok = False
                continue
            if value not in found:
                found.append(value)
        return found if ok else None

    def keys(self, mapping: Mapping, name_prefix: str, allowed: Iterable[str]) -> None:
        """Report every key that is not one of `allowed`, with the closest match."""
        allowed = list(allowed)
        unknown = 0
        for key, position in mapping.keys.items():
            if key not in allowed:
                unknown += 1
                hint = suggest(key, {a: [] for a in allowed}, limit=1) if unknown <= MAX_SUGGESTED else []
                self.report("unknown-field", position, field=name_prefix + key, suggestions=hint, valid=allowed)

    def require(self, mapping: Mapping, key: str, name: str, where: Position) -> Node | None:
        node = mapping.get(key)
        if node is None:
            self.report("missing-field", where, field=name)
        return node


def _scalar_code(node: Scalar) -> str:
    if isinstance(node.value, bool):
        return "bool-not-text"
    if node.value is None:
        return "empty-value"
    return "number-not-text"


def _shape(node: Node) -> str:
    if isinstance(node, Sequence):
        return "list"
    if isinstance(node, Mapping):
        return "mapping"
    return "text"
