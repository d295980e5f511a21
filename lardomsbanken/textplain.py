"""Markdown to plain text, for the search index.

The index needs the words a reader sees, not the page's structure, so this
strips Markdown and HTML syntax with a handful of regular expressions instead
of rendering: a full Python-Markdown pass per lesson was most of the search
index's build time. Comments (so directives) and scripts vanish; block
elements, list items and table cells are separated by spaces, so words of two
cells never run together, while inline markup (`**fet**stil`) joins as shown.
"""

from __future__ import annotations

import html
import re

_SPACES = re.compile(r"\s+")

# In order: a character the syntax needs (a cheap test that skips the pattern), the
# pattern, and what it leaves behind.
_MARKDOWN = [(needed, re.compile(pattern, flags), replacement) for needed, pattern, flags, replacement in (
    ("<!--", r"<!--.*?-->", re.S, " "),                                       # comments, directives
    ("<", r"<((?:https?|mailto):[^>\s]+)>", 0, r" \1 "),                     # autolinks: the address is text
    ("<", r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I, " "),        # never text
    ("]:", r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M, " "),                    # link definitions
    ("](", r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^)\s]*\))*(?:\s+\"[^\"\n]*\")?\)", 0, r"\1"),  # links, images
    ("][", r"!?\[([^\]\n]*)\]\[[^\]\n]*\]", 0, r"\1"),                       # reference links
    ("[^", r"\[\^[^\]\n]+\]:?", 0, " "),                                      # footnote marks
    ("{", r"\{:?[ \t]*[#.][^}\n]*\}", 0, " "),                                 # attribute lists
    ("<", r"</?[A-Za-z][^>]*>", 0, " "),                                       # HTML tags
    ("--", r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M, " "),  # table rules
    ("", r"^[ \t]*(?:[=\-*_][ \t]*){3,}$", re.M, " "),                         # setext underlines, rules
    ("", r"^[ \t]*(?:#{1,6}[ \t]|>[ \t]?|[-*+][ \t]|\d{1,9}[.)][ \t]|[!?]{3}\+?[ \t]*[\w-]+)", re.M, " "),  # line markers
    ("|", r"\|", 0, " "),                                                      # table cells
    ("_", r"_+(?=[^\w])|(?<=[^\w])_+|^_+|_+$", re.M, ""),                      # emphasis, not snake_case
)]
_MARKS = ("*", "~", "`", "#")  # emphasis, strike-through and code marks


_CODE = re.compile(r"^ {0,3}(```|~~~)[^\n]*\n(?P<block>.*?)^ {0,3}\1|(`+)(?P<span>.+?)\3", re.M | re.S)
_HELD = re.compile("\x00(\\d+)\x00")


def markdown_text(source: str) -> str:
    # Code is shown as written, so it is held aside while the syntax around it
    # is stripped: `[a](b.md)` or `<slug>` inside code are text.
    held: list[str] = []

    def hold(match: re.Match) -> str:
        held.append(match.group("block") if match.group("block") is not None else match.group("span"))
        return f" \x00{len(held) - 1}\x00 "

    text = source.replace("\x00", " ")
    if "`" in text or "~~~" in text:
        text = _CODE.sub(hold, text)
    for needed, pattern, replacement in _MARKDOWN:
        if needed in text:
            text = pattern.sub(replacement, text)
    for mark in _MARKS:  # str.replace is many times faster than str.translate here
        text = text.replace(mark, "")
    text = _HELD.sub(lambda match: held[int(match.group(1))], html.unescape(text))
    return _SPACES.sub(" ", text).strip()
