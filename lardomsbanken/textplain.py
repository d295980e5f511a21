"""Markdown to plain text, for the search index.

Renders with Python-Markdown (the renderer the site uses) and keeps the text
of the HTML: no tags, no comments (so directives vanish), no scripts. Block
elements are separated by a space so that words of two list items or table
cells never run together.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

_INLINE = frozenset("a abbr b cite code del dfn em i ins kbd mark q s samp small span strong sub sup time u var".split())
_SKIP = frozenset(("script", "style", "template"))
_SPACES = re.compile(r"\s+")


def markdown_text(source: str) -> str:
    html = markdown.markdown(source, extensions=["extra", "admonition"])
    return html_text(html)


def html_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
