"""Bodies that would keep Markdown busy for minutes, found in linear time.

Python-Markdown reads a paragraph's links and inline HTML by searching, from
every `[` and `<`, for what closes it; when nothing does, it searches to the end
of the paragraph, and does so again from the next `[`. Its time grows with the
square of such a paragraph: 5 000 unclosed `[` take 5 s, 20 000 take 85 s, and
a megabyte of them would keep the build busy for hours. A real lesson comes
nowhere near: its brackets close within a few words. This estimates that work
the way Markdown does it, in C and stopping as soon as the estimate is over the
limit, so that such a body is refused with a message instead of hanging the build.
"""

from __future__ import annotations

import bisect
import re

from .safety import without_fenced_code

# Estimated work, in characters Markdown reads (about 25 ns each in the worst shapes
# measured: unclosed `[`, `](`, `<b title='`): some 2 s of Markdown, and thousands of
# times any real lesson's.
MAX_WORK = 80_000_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_TEXT = re.compile(r"\S")
# Markdown reads after a `[` (and after the `(` of its `](`) about eight times slower
# than after a `<`: a link is matched in Python, a tag by a regular expression.
LINK_WEIGHT = 8


def costly_paragraph(body: str) -> int | None:
    """Where the paragraph starts at which the body's work passes MAX_WORK (an offset), or None.
    The content of fenced code blocks is not read as Markdown, and not counted."""
    if "[" not in body and "<" not in body:
        return None
    body = without_fenced_code(body)
    ends = [match.start() for match in _PARAGRAPH_BREAK.finditer(body)] + [len(body)]
    work = 0
    for opener, work_from in (("[", _link_work), ("<", _tag_work)):
        position = body.find(opener)
        while position != -1:
            if position == 0 or body[position - 1] != "\\":  # `\[` is text to Markdown
                paragraph = bisect.bisect_right(ends, position)
                work += work_from(body, position, ends[paragraph])
                if work > MAX_WORK:
                    start = ends[paragraph - 1] if paragraph else 0
                    first = _TEXT.search(body, start)
                    return first.start() if first else start
            position = body.find(opener, position + 1)
    return None


def _link_work(body: str, position: int, end: int) -> int:
    """From a `[` to its `]`, and on from a `](` to its `)`; to the paragraph's end if unclosed."""
    close = body.find("]", position + 1, end)
    if close == -1:
        return LINK_WEIGHT * (end - position)
    work = close - position
    if body.startswith("(", close + 1):
        parenthesis = body.find(")", close + 2, end)
        work += (parenthesis if parenthesis != -1 else end) - close
    return LINK_WEIGHT * work


def _tag_work(body: str, position: int, end: int) -> int:
    close = body.find(">", position + 1, end)
    return (close if close != -1 else end) - position
