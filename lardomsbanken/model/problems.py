"""Problems found in content: where they are and what they are, not yet in words.

A problem carries a message code and its parameters; `messages.py` turns it
into text in the editor's language from `data/messages.yml`, so the same
problem can be shown by the build, by a command-line check or by a test.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Position(NamedTuple):
    """Where in a file: made for every value read, so a light tuple (sorts by file, line, column)."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    code: str
    position: Position
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def __init__(self, code: str, position: Position, severity: str = "error", **params: Any):
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "params", params)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class LineIndex:
    """Where an offset in a text is: its 0-based line and 1-based column, counting only
    `\n` as a line break (as editors' editors do; YAML and `str.splitlines` count more),
    found by bisection, so that a text with thousands of links is not read once per link."""

    def __init__(self, text: str):
        self.text = text

    @functools.cached_property
    def starts(self) -> list[int]:
        return [0] + [match.end() for match in re.finditer("\n", self.text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def column(self, offset: int) -> int:
        return offset - self.starts[self.line(offset)] + 1


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.position, p.code))


class ContentErrors(Exception):
    """Raised when content has errors; holds every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in content")
        self.problems = sort_problems(problems)
