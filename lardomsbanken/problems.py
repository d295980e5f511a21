"""Problems found in content: where they are and what they are, not yet in words.

A problem carries a message code and its parameters; `messages.py` turns it
into text in the editor's language from `data/messages.yml`, so the same
problem can be shown by the build, by a command-line check or by a test.
"""

from __future__ import annotations

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


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.position, p.code))


class ContentErrors(Exception):
    """Raised when content has errors; holds every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in content")
        self.problems = sort_problems(problems)
