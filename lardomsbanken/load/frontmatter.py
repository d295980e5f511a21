"""Where a lesson file's front matter is: the one splitter of a file into its YAML block and body.

A file starts with a line of three or more dashes, then the YAML, then another such
line; the body follows. Both the loader (which reads the YAML with positions) and
`lardom translated` (which edits one line of it) find the block here, so they
cannot disagree about where it ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# A line of three or more dashes (trailing spaces allowed), as Jekyll, Hugo and
# python-frontmatter read it.
BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Split:
    """Offsets into the file's text."""

    front_start: int  # after the opening line
    front_end: int  # at the closing line
    body_start: int  # after the closing line

    def front(self, text: str) -> str:
        return text[self.front_start:self.front_end]


class NoFrontMatter(ValueError):
    """The text does not start with a boundary line."""


class Unclosed(ValueError):
    """The opening boundary line has no closing one."""


def split(text: str) -> Split:
    """The front matter's place in `text`; raises NoFrontMatter or Unclosed."""
    boundaries: Iterator[re.Match[str]] = BOUNDARY.finditer(text)  # only the first two: not every `---` of the body
    opening = next(boundaries, None)
    if opening is None or opening.start() != 0:
        raise NoFrontMatter
    closing = next(boundaries, None)
    if closing is None:
        raise Unclosed
    return Split(opening.end(), closing.start(), closing.end())
