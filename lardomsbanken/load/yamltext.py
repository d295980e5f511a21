"""Strict YAML reading that keeps line numbers and refuses YAML's traps.

PyYAML's safe loader turns `no` into False, `2482` into an int, accepts a key
twice and expands aliases. Editors should be told about each of these, so we
compose the document into nodes ourselves and convert them into `Node`
objects that remember where every value stood and what YAML made of it.
Timestamps are not resolved at all: dates stay text and are checked later.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from lardomsbanken.load.yamlnodes import (
    Mapping,
    Node,
    NoTimestampResolver,
    Sequence,
    scalar,
)
from lardomsbanken.load.yamlquick import read_common
from lardomsbanken.model.problems import LineIndex, Position, Problem

# Lists in mappings in lists: a lesson needs 3 levels, a data file 4. Python's own
# recursion limit (PyYAML composes recursively) is reached at a few hundred.
MAX_DEPTH = 20


class _Mark(Protocol):
    """Where an event or error stood: PyYAML's Mark, or libyaml's."""

    index: int
    line: int  # 0-based, counting YAML's line breaks
    column: int  # 0-based


class _Refused(Exception):
    def __init__(self, code: str, mark: _Mark | None):
        self.code = code
        self.mark = mark


class _StrictComposer(Composer):
    """Composer that refuses anchors and aliases, so an alias bomb cannot expand,
    and nesting deeper than MAX_DEPTH, so `[[[[…` cannot exhaust the stack."""

    depth = 0
    # Given by the parser this is mixed with (yaml.parser.Parser or libyaml's CParser):
    # the next event, which is there whenever a node is composed.
    peek_event: Callable[[], yaml.Event]

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("yaml-alias", event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused("yaml-too-deep", event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _NodeLoader(Protocol):
    """What composing needs of a loader class's instance."""

    def get_single_node(self) -> yaml.Node | None: ...

    def dispose(self) -> None: ...


class _Loader(Reader, Scanner, Parser, _StrictComposer, SafeConstructor, NoTimestampResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        SafeConstructor.__init__(self)
        NoTimestampResolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser  # where yaml.cyaml takes it from (not among its exports)

    class _FastLoader(_StrictComposer, CParser, SafeConstructor, NoTimestampResolver):
        """libyaml's scanner and parser (six times faster) under our own strict composer."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            SafeConstructor.__init__(self)
            NoTimestampResolver.__init__(self)

    class _PlainLoader(CParser, SafeConstructor, NoTimestampResolver):
        """libyaml throughout, composer too: only for text that cannot hold an anchor or alias."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            NoTimestampResolver.__init__(self)

    _LOADERS: tuple[Callable[[str], _NodeLoader], ...] = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADERS = (_Loader,)


_PLAIN_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_plain(text: str) -> Any:
    """YAML we wrote ourselves (generated pages' front matter): no positions, no checks."""
    return yaml.load(text, Loader=_PLAIN_LOADER)


def dump_plain(value: object) -> str:
    return yaml.dump(value, Dumper=_PLAIN_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)


# libyaml's own composer recurses in C, with no limit of ours: it reads only front
# matter short enough that its nesting cannot run deep, and its result is measured.
_PLAIN_LIMIT = 8192


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree. A document libyaml refuses is read again by the
    pure-Python reader, so that editors get its wording and positions for errors."""
    if yaml.__with_libyaml__ and "&" not in text and "*" not in text and len(text) <= _PLAIN_LIMIT:
        # Anchors and aliases are written with `&` and `*`: without them there is
        # nothing to refuse, and libyaml's own composer is faster still.
        try:
            root = _compose_with(_PlainLoader, text)
        except yaml.YAMLError:
            pass
        else:
            if _depth(root) <= MAX_DEPTH:
                return root
    for loader_class in _LOADERS[:-1]:
        try:
            return _compose_with(loader_class, text)
        except (yaml.YAMLError, _Refused):
            pass
    return _compose_with(_LOADERS[-1], text)


def _depth(root: yaml.Node | None) -> int:
    """How deep collections nest in a node tree (a scalar alone is 1), without recursion."""
    deepest, stack = 0, [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
    return deepest


def _compose_with(loader_class: Callable[[str], _NodeLoader], text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


@dataclass
class YamlResult:
    node: Node | None
    problems: list[Problem] = field(default_factory=list)




@dataclass
class _Where:
    """File positions of YAML marks, from the mark's offset: YAML's own line count takes
    U+2028 and U+2029 for line breaks, an editor's editor does not."""

    file: str
    lines: LineIndex
    first_line: int

    @functools.cached_property
    def yaml_lines_are_lines(self) -> bool:
        """Without those characters YAML's line and column are the editor's (the common case)."""
        return not any(character in self.lines.text for character in "\x85\u2028\u2029")

    def __call__(self, mark: _Mark | None) -> Position:
        if mark is None:  # the parsers give every event and error a mark; none: the start
            return self.at(0)
        if self.yaml_lines_are_lines:
            return Position(self.file, self.first_line + mark.line, mark.column + 1)
        return self.at(mark.index)

    def at(self, offset: int) -> Position:
        return Position(self.file, self.first_line + self.lines.line(offset), self.lines.column(offset))


def decode(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    """An editor's file as text with `\n` line ends (a byte-order mark dropped), or
    the problem `not-utf8` at the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start:error.start].decode("utf-8", "replace")) + 1
        return None, Problem("not-utf8", Position(file, raw.count(b"\n", 0, error.start) + 1, column))
    if "\r" not in text:  # the usual case: nothing to replace
        return text, None
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse(text: str, file: str, first_line: int = 1) -> YamlResult:
    """Parse one YAML document; `first_line` is the file line of the text's first line."""

    if (common := read_common(text, file, first_line)) is not None:
        return YamlResult(*common)  # the usual front matter, read without composing YAML
    return parse_yaml(text, file, first_line)


def parse_yaml(text: str, file: str, first_line: int = 1) -> YamlResult:
    """`parse` by composing YAML, for a text of any shape."""
    where = _Where(file, LineIndex(text), first_line)
    try:
        root = _compose(text)
    except _Refused as refused:
        if refused.code == "yaml-too-deep":
            return YamlResult(None, [Problem("yaml-too-deep", where(refused.mark), limit=MAX_DEPTH)])
        return YamlResult(None, [Problem("yaml-alias", where(refused.mark))])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or str(error)
        return YamlResult(None, [Problem("yaml-syntax", where(mark), detail=_describe(detail))])
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        offset = getattr(error, "position", 0) or 0
        return YamlResult(None, [Problem("yaml-syntax", where.at(offset), detail=_describe(str(error)))])
    if root is None:
        return YamlResult(None)
    problems: list[Problem] = []
    node = _convert(root, where, problems)
    return YamlResult(node, problems)


def _describe(detail: str) -> str:
    return re.sub(r"\s+", " ", detail).strip()


def _convert(node: yaml.Node, where: _Where, problems: list[Problem]) -> Node:
    position = where(node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        return scalar(node, position, problems)
    if isinstance(node, yaml.SequenceNode):
        return Sequence([_convert(item, where, problems) for item in node.value], position)
    values: dict[str, Node] = {}
    keys: dict[str, Position] = {}
    for key_node, value_node in node.value:
        key_position = where(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem("yaml-complex-key", key_position))
            continue
        key = str(key_node.value)
        if key in values:
            problems.append(Problem("yaml-duplicate-key", key_position, field=key, first_line=keys[key].line))
            continue
        keys[key] = key_position
        values[key] = _convert(value_node, where, problems)
    return Mapping(values, keys, position)
