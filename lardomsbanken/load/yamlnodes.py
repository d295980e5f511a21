"""The YAML nodes the loaders read: a scalar, list or mapping with where it stood.

Both readers of YAML make these (yamltext.py, PyYAML with positions; yamlquick.py,
the fast path for flat front matter), with the same resolver and constructor, so a
value is the same whichever read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from lardomsbanken.model.problems import Position, Problem

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


class NoTimestampResolver(Resolver):
    """The YAML 1.1 resolver without timestamps: `2024-05-01` stays text."""


NoTimestampResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Scalar:
    """A scalar with what YAML made of it (`value`) and how it was written (`text`)."""

    value: str | bool | int | float | None
    text: str
    quoted: bool
    position: Position

    @property
    def is_text(self) -> bool:
        return isinstance(self.value, str)


@dataclass(frozen=True)
class Sequence:
    items: list[Node]
    position: Position


@dataclass(frozen=True)
class Mapping:
    """A mapping whose keys are plain text; `keys` keeps where each key stood."""

    values: dict[str, Node]
    keys: dict[str, Position]
    position: Position

    def get(self, key: str) -> Node | None:
        return self.values.get(key)


Node = Scalar | Sequence | Mapping  # a runtime alias too: isinstance(value, Node) works



_CONSTRUCTOR = SafeConstructor()


def scalar(node: yaml.ScalarNode, position: Position, problems: list[Problem]) -> Scalar:
    quoted = node.style in ("'", '"', "|", ">")
    tag = node.tag
    if tag == STR or quoted:
        return Scalar(str(node.value), node.value, quoted, position)
    if tag in (BOOL, INT, FLOAT, NULL):
        try:
            value = _CONSTRUCTOR.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            value = node.value
        return Scalar(value, node.value, quoted, position)
    # An explicit tag (!!binary, !custom): keep the text and let the schema decide.
    shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
    problems.append(Problem("yaml-tag", position, tag=shown))  # as the editor wrote it: !!binary
    return Scalar(str(node.value), node.value, quoted, position)
