"""Finding and rewriting relative links in a lesson's Markdown body.

Editors link lessons the way MkDocs authors expect: `[text](other-slug.md)`
or `[text](other-slug.sv.md)`, from any sub-folder. Lessons are published
flat by slug, so each such link is rewritten to `<slug>.md` and the page in
the reader's language is chosen by the site builder. Links to other files
(images, PDFs) are rewritten relative to where the file will be published.
Code spans and fenced code blocks are left alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .problems import LineIndex

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
# An image's `!` in front changes nothing of where its target is, and without it the
# pattern begins with a plain `[`, which the regex engine finds many times faster.
_INLINE = re.compile(
    r"\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]"  # [text] with one level of nested brackets
    r"\(\s*(?P<target><[^<>\n]*>|[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*(?P<target><[^<>\n]*>|\S+)", re.MULTILINE)  # not footnotes
# Blocks whose indented lines belong to them rather than being code: list items,
# admonitions and details, footnote definitions.
_CONTAINER = re.compile(r"^ {0,3}(?:[-*+]\s|\d{1,9}[.)]\s|!!!|\?\?\?|\[\^[^\]]+\]:)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_INDENTED_LINE = re.compile("\n(?:    |\t)")
_DEFINITION_MARK = re.compile(r"\]:")
_QUERY_OR_FRAGMENT = re.compile(r"[#?]")


@dataclass(frozen=True)
class Link:
    target: str
    start: int  # offsets of the target in the body text
    end: int
    where: LineIndex = field(compare=False, repr=False)  # of the body: the line is found only when asked for

    @functools.cached_property
    def line(self) -> int:
        """0-based, within the body."""
        return self.where.line(self.start)

    @functools.cached_property
    def column(self) -> int:
        """1-based."""
        return self.where.column(self.start)

    @property
    def is_relative(self) -> bool:
        t = self.target
        return not (_SCHEME.match(t) or t.startswith(("/", "#", "?")))

    @functools.cached_property
    def path(self) -> str:
        return _QUERY_OR_FRAGMENT.split(self.target, maxsplit=1)[0]

    @property
    def suffix(self) -> str:
        return self.target[len(self.path):]

    @property
    def is_markdown(self) -> bool:
        return self.path.lower().endswith(".md")


def _blank(line: str) -> str:
    return " " * len(line.rstrip("\n")) + ("\n" if line.endswith("\n") else "")


def _mask_code(body: str) -> str:
    """The body with code blocks and spans blanked out, offsets unchanged.

    Fenced blocks are exact. Indented code is recognised as Markdown does in
    the common cases: indented lines after a blank line, unless they continue
    a list item, an admonition or a footnote.
    """
    # A single character is looked for quickest with `in`, a few of them with a regex.
    if "`" not in body and ("~" not in body or "~~~" not in body) and not _INDENTED_LINE.search(body) \
            and not body.startswith(("    ", "\t")):
        return body  # no code anywhere: the common case, and this is read for every lesson
    out: list[str] = []
    fence: str | None = None
    in_container = in_indented_code = after_blank = False
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            in_container = in_indented_code = after_blank = False  # a fence at the margin ends any block
            out.append(_blank(line))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
                fence = None
            out.append(_blank(line))
            continue
        if not line.strip():
            after_blank = True
            out.append(line)
            continue
        indented = line.startswith(("    ", "\t"))
        if not indented:
            in_container, in_indented_code = bool(_CONTAINER.match(line)), False
        elif in_indented_code or (after_blank and not in_container):
            in_indented_code = True
        after_blank = False
        out.append(_blank(line) if in_indented_code else line)
    masked = "".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)


def find_links(body: str) -> list[Link]:
    masked = _mask_code(body)
    where = LineIndex(masked)
    links: list[Link] = []
    # A reference definition needs its `]:`; looking for that first is much quicker than the pattern.
    for pattern in (_INLINE, _REFERENCE) if _DEFINITION_MARK.search(masked) else (_INLINE,):
        for match in pattern.finditer(masked):
            start, end = match.span("target")
            target = body[start:end]
            if target.startswith("<") and target.endswith(">"):
                target, start, end = target[1:-1], start + 1, end - 1
            links.append(Link(target, start, end, where))
    return sorted(links, key=lambda link: link.start)


def rewrite(body: str, replacements: dict[int, tuple[int, str]]) -> str:
    """Replace body[start:end] by text for each `start: (end, text)`."""
    parts: list[str] = []
    position = 0
    for start in sorted(replacements):
        end, text = replacements[start]
        parts.append(body[position:start])
        parts.append(text)
        position = end
    parts.append(body[position:])
    return "".join(parts)
