"""A quick reader for front matter in its common shape, beside the full YAML reader.

Nearly every lesson's front matter is a flat mapping of `key: value` lines: plain
or quoted one-line scalars, flow lists of them (`[a, b]`), block lists of them and
block lists of small mappings (`sources`). Composing those with YAML and converting
the nodes is most of the time `lardom check` spends on a file, so this module reads
that shape itself, line by line, into the same `Node` objects with the same values
and positions. Scalars are resolved by the same resolver and constructor.

It accepts only what it is sure of: anything else (tabs, anchors, tags, block
scalars, continued lines, nesting it does not know, a repeated key, characters YAML
refuses or counts as line breaks) gives None, and `yamltext.parse` reads the text
with YAML. tests/test_yamlquick.py checks that both readers agree on every text
this one accepts.
"""

from __future__ import annotations

import functools
import re

import yaml

from lardomsbanken.load.yamlnodes import STR, Mapping, Node, NoTimestampResolver, Scalar, Sequence, scalar
from lardomsbanken.model.problems import Position, Problem

# Characters YAML reads as ordinary printable text: no tab, no control, no BOM, no
# U+0085/U+2028/U+2029 (line breaks to YAML, not to editors), no surrogate or U+FFFE/U+FFFF.
_UNCOMMON = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# `key:`, then at least one space before a value; keys are short plain words.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?:$| +)")
_DASH = re.compile(r"- +(?=[^ ])")  # a block list's item, not empty
# A plain scalar may not start with an indicator or a space.
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_END = re.compile(r"(?: +(?:#.*)?)?$")  # what may follow a quoted value or a flow list on its line
_FLOW_PLAIN = re.compile(r"[^,\[\]{}#:\"'!&*|>%@`?\- ][^,\[\]{}#:?]*")
_FLOW_SEPARATOR = re.compile(r" *(,|\]) *")

_RESOLVERS = NoTimestampResolver.yaml_implicit_resolvers
_RESOLVER: yaml.resolver.BaseResolver = NoTimestampResolver()


class _Uncommon(Exception):
    """The text is not in the common shape: YAML reads it."""


def read_common(text: str, file: str, first_line: int) -> tuple[Mapping, list[Problem]] | None:
    """The mapping of a front matter in the common shape and its problems (an explicit
    tag YAML resolves, such as `=`), or None when the text is not in that shape."""
    if _UNCOMMON.search(text) is not None or None in _RESOLVERS or _RESOLVER.yaml_path_resolvers:
        return None
    problems: list[Problem] = []
    try:
        mapping = _Reader(text, file, first_line, problems).document()
    except _Uncommon:
        return None
    return None if mapping is None else (mapping, problems)


class _Reader:
    def __init__(self, text: str, file: str, first_line: int, problems: list[Problem]):
        self.file = file
        self.first_line = first_line
        self.problems = problems
        # The lines that matter (not blank, not a comment): row, indentation, text.
        self.rows = [(row, len(line) - len(content), line) for row, line in enumerate(text.split("\n"))
                     if (content := line.lstrip(" ")) and content[0] != "#"]
        self.next = 0  # the next of `rows` to read

    def position(self, row: int, column: int) -> Position:
        """`column` 0-based, as YAML's marks count."""
        return Position(self.file, self.first_line + row, column + 1)

    def document(self) -> Mapping | None:
        if not self.rows:
            return None  # empty: YAML says what that is
        mapping = self.mapping(0)
        if self.next < len(self.rows):
            raise _Uncommon
        return mapping

    def mapping(self, column: int, after_dash: bool = False) -> Mapping:
        """A block mapping whose keys stand at `column`; `after_dash` when the first
        key follows a list item's `- `."""
        values: dict[str, Node] = {}
        keys: dict[str, Position] = {}
        rows = self.rows
        while self.next < len(rows):
            row, indent, line = rows[self.next]
            if indent != column and not after_dash:
                break
            after_dash = False
            match = _KEY.match(line, column)
            if match is None:
                break
            key = match.group(1)
            if key in keys:
                raise _Uncommon  # YAML tells of the repeated key
            keys[key] = Position(self.file, self.first_line + row, column + 1)
            self.next += 1
            start = match.end()
            if start < len(line) and line[start] != "#":
                values[key] = self.inline(line, row, start, allow_list=True)
            else:
                values[key] = self.no_inline_value(row, match.end(1) + 1, column)
        if not keys:
            raise _Uncommon
        return Mapping(values, keys, next(iter(keys.values())))

    def no_inline_value(self, row: int, colon_end: int, column: int) -> Node:
        """The value of a key with nothing after it on its line, in a mapping at `column`."""
        if self.next < len(self.rows):
            _, indent, following = self.rows[self.next]
            if indent > column or following.startswith("-", column):
                # A list, only as a top-level field's value; nested mappings and worse go to YAML.
                if column == 0 and following.startswith("- ", indent):
                    return self.sequence(indent)
                raise _Uncommon
        return Scalar(None, "", False, self.position(row, colon_end))  # YAML's mark: after the colon

    def sequence(self, column: int) -> Sequence:
        """A block list whose `- ` stand at `column`: one-line scalars or small mappings."""
        items: list[Node] = []
        rows = self.rows
        start = self.position(rows[self.next][0], column)
        while self.next < len(rows):
            row, indent, line = rows[self.next]
            if indent != column or (dash := _DASH.match(line, column)) is None:
                break
            if ":" in line and _KEY.match(line, dash.end()):  # most items are one word
                items.append(self.mapping(dash.end(), after_dash=True))
            else:
                self.next += 1
                items.append(self.inline(line, row, dash.end(), allow_list=False))
        return Sequence(items, start)

    # --- values on one line -----------------------------------------------------------

    def inline(self, line: str, row: int, column: int, allow_list: bool) -> Node:
        """The scalar or flow list starting at `column`, which must end its line."""
        first = line[column]
        if first not in _PLAIN_START:
            comment = line.find(" #", column)
            text = (line[column:] if comment == -1 else line[column:comment]).rstrip(" ")
            if ": " in text or text[-1] == ":":
                raise _Uncommon
            return self.plain(text, row, column)
        node: Node
        if first == "[" and allow_list:
            node, end = self.flow_list(line, row, column)
        elif first == '"' or first == "'":
            node, end = self.quoted(line, row, column)
        else:
            raise _Uncommon
        if _END.match(line, end) is None:
            raise _Uncommon
        return node

    def flow_list(self, line: str, row: int, column: int) -> tuple[Sequence, int]:
        """A flow list on one line, and the column after its `]`."""
        items: list[Node] = []
        separator = _FLOW_SEPARATOR.match(line, column + 1)
        if separator is not None and separator.group(1) == "]":
            return Sequence(items, self.position(row, column)), separator.start(1) + 1
        position = len(line) - len(line[column + 1:].lstrip(" "))  # after `[` and spaces
        while True:
            if line.startswith(("'", '"'), position):
                item, end = self.quoted(line, row, position)
            else:
                match = _FLOW_PLAIN.match(line, position)
                if match is None:
                    raise _Uncommon
                item, end = self.plain(match.group().rstrip(" "), row, position), match.end()
            items.append(item)
            separator = _FLOW_SEPARATOR.match(line, end)
            if separator is None:
                raise _Uncommon
            if separator.group(1) == "]":
                return Sequence(items, self.position(row, column)), separator.start(1) + 1
            position = separator.end()

    def quoted(self, line: str, row: int, column: int) -> tuple[Scalar, int]:
        """A quoted scalar on one line (no escapes), and the column after it."""
        if line[column] == '"':
            match = _DOUBLE.match(line, column)
            value = None if match is None else match.group(1)
        else:
            match = _SINGLE.match(line, column)
            value = None if match is None else match.group(1).replace("''", "'")
        if match is None or value is None:
            raise _Uncommon
        return Scalar(value, value, True, self.position(row, column)), match.end()

    def plain(self, text: str, row: int, column: int) -> Scalar:
        position = Position(self.file, self.first_line + row, column + 1)
        if text[0] in _RESOLVERS and (tag := _tag(text)) != STR:  # a yes/no, a number, a null …
            return scalar(yaml.ScalarNode(tag, text), position, self.problems)
        return Scalar(text, text, False, position)


@functools.lru_cache(maxsize=4096)  # ids and dates come again and again
def _tag(plain: str) -> str:
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False))  # PyYAML's resolver has no types
    return tag
