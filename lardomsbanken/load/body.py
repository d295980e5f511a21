"""One parse of a lesson body answers every question about it.

A body is CommonMark with GitHub's extensions (tables, footnotes, strikethrough,
task lists, autolinks, alerts), parsed once by pulldown-cmark (through
pyromark). Walking the parser's events once gives:

- the HTML of the body, written here so that it fits the site: GitHub's alerts
  become the theme's admonitions, headings get GitHub's ids, footnotes go to
  the end, and every link or image that points into the site (another lesson,
  a file beside the lesson) leaves a numbered mark for its address, filled in
  when a page shows the body (`fill`);
- the headings, for the page's table of contents;
- those local links and images (`Reference`), for checking and rewriting;
- the plain text, for the search index;
- what the body may not contain (`Finding`): raw HTML (refused: write
  Markdown; comments are allowed and left out), links that run code, images
  from other hosts, and syntax that only Python-Markdown understood.

`lardom check` and the build both read bodies through `parse`, so they
cannot disagree about a body. The parser works in time linear in the text;
this module only walks its events.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pyromark
from pyromark.event import Range

from lardomsbanken.load.safety import LINK_SCHEMES, WEB_SCHEMES, link_scheme

if TYPE_CHECKING:
    from lardomsbanken.load.vocabularies import Labels
    from lardomsbanken.model.lesson import Version
    from lardomsbanken.runtime.cache import Table

# What the parser reads: CommonMark plus GitHub's tables, footnotes, strikethrough,
# task lists and alerts (ENABLE_GFM). Part of every cache key of parsed bodies.
OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
           | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_TASKLISTS
           | pyromark.Options.ENABLE_GFM)
PARSER = f"pyromark {pyromark.__version__} options {int(OPTIONS)}"
# Bumped whenever this module writes different HTML or finds different things.
WRITER_VERSION = 2
_MARKDOWN = pyromark.Markdown(options=OPTIONS)
# A parser event as the walk reads it: a bare name (`"SoftBreak"`) or a dictionary of one key
# (`{"Start": tag}`, `{"Text": text}`, ...), and a tag likewise (`"Paragraph"`, `{"Link": {...}}`).
# pyromark.event.Event, loosened: the walk looks keys up with `.get`, the quickest way through
# thousands of events, rather than narrowing the union of typed dictionaries.
Event = str | Mapping[str, Any]
Tag = str | Mapping[str, Any]

MAX_NESTING = 50  # lists and quotes inside each other; a real text uses three or four
MAX_FINDINGS = 100  # per body: enough to fix a pasted page, not a million lines for a million tags
MARK = "\x00"  # around a reference's number in `Body.html`; no lesson can hold it (a control character)

# GitHub's alert kinds, as the theme's admonition types (Material has no `caution`:
# its red one is `danger`, and `important` is styled like `tip`).
ALERTS = {"Note": "note", "Tip": "tip", "Important": "important", "Warning": "warning", "Caution": "danger"}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str  # plain text


@dataclass(frozen=True)
class Reference:
    """A link or image in the body that points into the site (relative, not only a fragment)."""

    target: str  # as written, e.g. `annan-lardom.sv.md#rubrik` or `bilder/karta.png`
    image: bool
    offset: int  # of the link's start, in UTF-8 bytes of the body

    @property
    def path(self) -> str:
        return re.split(r"[?#]", self.target, maxsplit=1)[0]

    @property
    def suffix(self) -> str:
        """The query and fragment, kept on the rewritten address."""
        return self.target[len(self.path):]


@dataclass(frozen=True)
class Finding:
    """Something the body may not contain, at an offset in UTF-8 bytes of the body."""

    code: str
    offset: int
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Body:
    html: str  # with MARK n MARK where the address of references[n] goes
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]
    text: str
    findings: tuple[Finding, ...] = ()
    footnotes: int = 0
    ranged: bool = False  # findings and references carry their offsets


@dataclass(frozen=True)
class Words:
    """The words a body's HTML shows, in the body's own language."""

    alerts: Mapping[str, str]  # admonition type -> title
    footnote_back: str  # with {number}
    task: str  # the name of a task list's check box

    def key(self) -> tuple[tuple[tuple[str, str], ...], str, str]:
        return tuple(sorted(self.alerts.items())), self.footnote_back, self.task


def parse(markdown: str, words: Words, ranged: bool = False, render: bool = True) -> Body:
    """The body read once. Without `ranged`, findings and references carry no offsets (0):
    where a body has a problem to tell, `locate` reads it again with them. Without `render`
    (`lardom check`), only what the body may not hold and its references: the same walk,
    without writing HTML, headings and text."""
    return _Writer(markdown, words, ranged, render).write()


def locate(markdown: str, words: Words, body: Body) -> Body:
    """`body` with the offsets of its findings and references (the same, in the same order)."""
    return body if body.ranged else parse(markdown, words, ranged=True)


def _escape(text: str) -> str:
    """html.escape without quotes, quicker for the common text without `&`, `<` or `>`."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def words_from(labels: Labels, language: str) -> Words:
    """A body's words from the site's labels (data/labels.yml, `body.*`)."""
    return Words({kind: labels(f"body.alert.{kind}", language) for kind in ALERTS.values()},
                 labels("body.footnote_back", language, number="{number}"), labels("body.task", language))


def digest(markdown: str) -> str:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).hexdigest()


class Store:
    """Lesson bodies read in full (HTML, headings, text), each once: by a version's language
    and the digest of its text, in a memo table when there is one."""

    def __init__(self, words: Mapping[str, Words], cache: Table[Body] | None = None):
        self.words = words
        self.cache = cache  # a memo table, or None
        self.made: dict[tuple[str, str], Body] = {}

    def get(self, version: Version) -> Body:
        key = (version.digest, version.language)
        found = self.made.get(key)
        if found is None:
            words = self.words[version.language]
            if self.cache is None:
                found = parse(version.markdown, words)
            else:
                found = self.cache.get(key, words.key(), lambda: parse(version.markdown, words))
            self.made[key] = found
        return found


class Parser:
    """Parses bodies in each site language, each text once: a cache (a preview's memo,
    or the build cache) keeps what a body gave by its digest and the words it shows."""

    def __init__(self, words: Mapping[str, Words], cache: Table[Body] | None = None, render: bool = True):
        self.words = words
        self.cache = cache  # a memo table, or None
        self.render = render  # False for `lardom check`: what a body may not hold, and its links

    def locate(self, markdown: str, language: str, body: Body) -> Body:
        """`body` with the offsets of its findings and references, to tell where a problem is."""
        return body if body.ranged else parse(markdown, self.words[language], ranged=True, render=self.render)

    def parse(self, markdown: str, language: str) -> tuple[Body, str]:
        """The parsed body and the digest of its text."""
        key = digest(markdown)
        words = self.words[language]
        if self.cache is None:
            return parse(markdown, words, render=self.render), key
        return self.cache.get((key, language), (words.key(), self.render),
                              lambda: parse(markdown, words, render=self.render)), key


def _events(markdown: str, ranged: bool) -> Iterator[tuple[Event, Range | None]]:
    """The parser's events, each with its offsets when `ranged`."""
    if ranged:
        return _MARKDOWN.events_with_range(markdown)
    # Most bodies: no offsets needed, and the parser joins adjacent pieces of text.
    return zip(_MARKDOWN.events(markdown), itertools.repeat(None), strict=False)  # repeat() is endless


def fill(body_html: str, addresses: list[str]) -> str:
    """The body's HTML with each reference's address (already HTML-escaped) in place."""
    if MARK not in body_html:
        return body_html
    return _FILL.sub(lambda match: addresses[int(match.group(1))], body_html)


_FILL = re.compile(MARK + r"(\d+)" + MARK)


def position(markdown: str, offset: int) -> tuple[int, int]:
    """The 0-based line and 1-based column (in characters) of a UTF-8 byte offset in `markdown`."""
    before = markdown.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    line = before.count("\n")
    return line, len(before) - (before.rfind("\n") + 1) + 1


# --- heading ids --------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # headings repeat from lesson to lesson: "Bakgrund", "Resultat"
def heading_id(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, letters (å, ä, ö too), digits, marks,
    `_`, `-` and spaces kept, spaces made `-`, everything else removed."""
    kept = [c for c in title.lower() if c in " -_" or unicodedata.category(c)[0] in "LMN" or c == "\u200d"]
    return "".join(kept).replace(" ", "-")


@dataclass
class HeadingIds:
    """Ids for a page's headings, each used once: a repeated heading gets `-1`, `-2` …"""

    used: dict[str, int] = field(default_factory=dict)

    def take(self, title: str) -> str:
        base = heading_id(title) or "rubrik"
        candidate, count = base, self.used.get(base, 0)
        while candidate in self.used:
            count += 1
            candidate = f"{base}-{count}"
        self.used[base] = count
        self.used.setdefault(candidate, 0)
        return candidate


# --- addresses ----------------------------------------------------------------

# Characters left as they are in an address (as CommonMark's reference renderers do);
# the rest is percent-encoded, an existing %XX kept.
_ADDRESS_SAFE = ";/?:@&=+$,-_.!~*'()#%"


def escape_address(url: str) -> str:
    return html.escape(quote(url, safe=_ADDRESS_SAFE), quote=True)


def _is_local(url: str) -> bool:
    """Relative to the page: another lesson, a file beside the lesson."""
    return bool(url) and link_scheme(url) is None and not url.startswith(("/", "#", "?"))


# --- GitHub's extended autolinks ------------------------------------------------

# www.…, http(s)://… and e-mail addresses in text, as GitHub finds them (cmark-gfm's
# autolink extension; GitHub Flavored Markdown spec 0.29-gfm, 6.9): a valid domain, then
# anything up to white space or `<`, less trailing punctuation (quotes too), an unbalanced
# `)` and a trailing `;` or entity-like `&…;`. As in cmark-gfm, `www.` must start a word
# (after white space or `*`, `_`, `~`, `(`), a scheme only needs no letter before it
# (`"https://…"` is a link), and an e-mail address is the whole run of address characters
# before its `@`. Each text is read once: no pattern here starts again inside a run it
# has read, and trimming goes back over each character once.
_AUTOLINK = re.compile(
    r"(?P<url>(?:(?<![A-Za-z])(?i:https?://)|(?:(?<=^)|(?<=[\s*_~(]))www\.)"
    r"(?P<domain>[\w-]+(?:\.[\w-]+)*)[^\s<]*)"
    r"|(?P<email>(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)",
)
_TRAILING = frozenset("?!.,:*_~'\"")


def _autolinks(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, address) of each autolink in a text."""
    if "://" not in text and "www." not in text and "@" not in text:
        return  # what almost every text is, found quickest
    for match in _AUTOLINK.finditer(text):
        if match.group("email"):
            address = match.group("email")
            if address[-1] in "-_":
                continue
            if address.endswith("."):
                address = address[:-1]
            yield match.start(), match.start() + len(address), "mailto:" + address
            continue
        url, domain = match.group("url"), match.group("domain")
        if url.startswith("www."):
            domain = "www." + domain  # a segment too: `www.example` is a link, as `http://localhost` is
        if any("_" in segment for segment in domain.split(".")[-2:]):
            continue
        url = _trim_autolink(url)
        address = url if "://" in url else "http://" + url
        yield match.start(), match.start() + len(url), address


def _trim_autolink(url: str) -> str:
    """The address without what ends the sentence around it, in one pass from its end."""
    end = len(url)
    unmatched = url.count(")") - url.count("(")
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and unmatched > 0:
            unmatched -= 1
            end -= 1
        elif last == ";":  # `&hl;` goes whole, a `;` alone by itself
            start = end - 1
            while start and url[start - 1].isascii() and url[start - 1].isalpha():
                start -= 1
            end = start - 1 if start < end - 1 and start and url[start - 1] == "&" else end - 1
        else:
            break
    return url[:end]


# --- syntax that only Python-Markdown understood ----------------------------------

_LEGACY_ADMONITION = re.compile(r"^(?P<marker>(?:!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+))")
_LEGACY_ATTRIBUTES = re.compile(r"\{:[^}\n]*\}|\{[ \t]*[#.][\w-][^}\n]*\}[ \t]*$", re.MULTILINE)
_LEGACY_ABBREVIATION = re.compile(r"^\*\[[^\]\n]+\]:")
_LEGACY_DEFINITION = re.compile(r"^:[ \t]+\S")
_ADMONITION_AS_ALERT = {
    "note": "NOTE", "info": "NOTE", "abstract": "NOTE", "summary": "NOTE", "tldr": "NOTE", "todo": "NOTE",
    "example": "NOTE", "quote": "NOTE", "cite": "NOTE", "question": "NOTE", "help": "NOTE", "faq": "NOTE",
    "tip": "TIP", "hint": "TIP", "success": "TIP", "check": "TIP", "done": "TIP",
    "important": "IMPORTANT",
    "warning": "WARNING", "caution": "WARNING", "attention": "WARNING",
    "danger": "CAUTION", "error": "CAUTION", "failure": "CAUTION", "fail": "CAUTION", "missing": "CAUTION",
    "bug": "CAUTION",
}
_COMMENTS = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.DOTALL)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- the writer -------------------------------------------------------------------

_SIMPLE_START = {"Emphasis": "<em>", "Strong": "<strong>", "Strikethrough": "<del>", "Superscript": "<sup>",
                 "Subscript": "<sub>"}
# Ends without anything to do but write the closing tag (and, for a block, keep the text apart).
_SIMPLE_END = {"Emphasis": "</em>", "Strong": "</strong>", "Strikethrough": "</del>", "Superscript": "</sup>",
               "Subscript": "</sub>", "Item": "</li>\n", "TableRow": "</tr>\n"}
_ALIGN = {"Left": ' align="left"', "Center": ' align="center"', "Right": ' align="right"', "None": ""}
_BLOCK_ENDS = frozenset({"Paragraph", "Item", "TableCell", "CodeBlock", "HtmlBlock"})
# What the walk for `lardom check` reads of the starts and ends of elements (the rest is HTML only).
_ANALYSED_STARTS = frozenset({"BlockQuote", "List", "CodeBlock", "Link", "Image", "Heading"})
_ANALYSED_ENDS = frozenset({"Paragraph", "CodeBlock", "Link", "Image", "HtmlBlock"})
_BRACKET = re.compile(r"[\[\]]")


def _brackets_open(count: int, text: str, start: int = 0, end: int | None = None) -> int:
    """How many `[` are open after `text[start:end]`, each `]` closing the last one open."""
    for match in _BRACKET.finditer(text, start, len(text) if end is None else end):
        count = count + 1 if match.group() == "[" else max(0, count - 1)
    return count


class _Writer:
    """Walks the events of one body once; `write` returns everything found."""

    def __init__(self, markdown: str, words: Words, ranged: bool = False, render: bool = True):
        self.ranged = ranged  # offsets of findings and references wanted: a second, slower reading
        self.render = render  # the HTML, headings and text wanted, not only what the body may not hold
        self.markdown = markdown
        self.source: bytes | None = None  # the text as UTF-8, in which the parser's offsets count
        self.words = words
        self.out: list[str] = []  # where HTML goes now: the body, or a footnote being read
        self.body: list[str] = self.out
        self.text: list[str] = []
        self.headings: list[Heading] = []
        self.references: list[Reference] = []
        self.findings: list[Finding] = []
        self.ids = HeadingIds()
        # Open containers, innermost last: ("quote", kind) for quotes and alerts, ("list", ordered).
        self.open: list[tuple[str, object]] = []
        self.heading: list[str] | None = None  # plain text of the heading being read
        self.heading_start = 0
        self.image_alt: list[str] | None = None  # an image's description, its `alt`
        self.image: dict[str, str | None] | None = None  # the image being read: src, title
        self.in_link = 0
        self.in_code_block = False
        self.table_alignments: tuple[str, ...] = ()
        self.table_cell = 0
        self.in_table_head = False
        self.table_rows = 0
        self.paragraph_start: int | None = None  # offset of the paragraph being read, for legacy checks
        self.paragraph_first_text = True
        self.after_break = False
        self.footnote_numbers: dict[str, int] = {}
        self.footnote_bodies: dict[str, list[str]] = {}
        self.footnote_references: dict[str, int] = {}  # label -> references seen
        self.too_deep = False
        self.html_block: list[str] | None = None  # the lines of an HTML block, judged at its end
        self.html_block_start = 0
        self.item = 0  # where the list item being read starts in `out`
        # `[` that made no link and no `]` has closed yet in this paragraph (heading, cell, item):
        # GitHub makes no autolink there (`[https://…]`, `[se www.…]`).
        self.brackets = 0

    def write(self) -> Body:
        events = _events(self.markdown, self.ranged)
        if not self.render:
            return self._analyse(events)
        pending: list[str] = []  # adjacent pieces of text, which the parser gives apart with offsets
        pending_start = 0
        simple_start, simple_end, block_ends = _SIMPLE_START, _SIMPLE_END, _BLOCK_ENDS
        text_of = self._text
        plain = self.text.append
        for event, span in events:
            if isinstance(event, str):
                if pending:
                    text_of(pending[0] if len(pending) == 1 else "".join(pending), pending_start)
                    pending.clear()
                self._bare(event)
                continue
            text = event.get("Text")
            if text is not None:
                if not pending:
                    pending_start = span["start"] if span is not None else 0
                pending.append(text)
                continue
            if pending:
                text_of(pending[0] if len(pending) == 1 else "".join(pending), pending_start)
                pending.clear()
                if len(self.findings) >= MAX_FINDINGS:
                    break
            value = event.get("Start")
            if value is not None:
                if isinstance(value, str) and self.image_alt is None:
                    markup = simple_start.get(value)
                    if markup is not None:
                        self.out.append(markup)
                        continue
                    if value == "Item":
                        self.brackets = 0
                        self.item = len(self.out)  # a task list's check box marks it
                        self.out.append("<li>")
                        continue
                    if value == "Paragraph":
                        self.brackets = 0
                        self.paragraph_start = span["start"] if span else 0
                        self.paragraph_first_text = True
                        self.after_break = False
                        self.out.append("<p>")
                        continue
                self._start(value, span["start"] if span else 0, span["end"] if span else 0)
                continue
            value = event.get("End")
            if value is not None:
                if isinstance(value, str) and self.image_alt is None:
                    markup = simple_end.get(value)
                    if markup is not None:
                        self.out.append(markup)
                        if value in block_ends:
                            plain(" ")
                        continue
                self._end(value)
                continue
            (kind, value), = event.items()
            if kind == "Code":
                self._emit(f"<code>{_escape(value)}</code>")
                self._plain(value)
            elif kind == "Html" and self.html_block is not None:
                self.html_block.append(value)
            elif kind in ("Html", "InlineHtml"):
                self._html(value, span["start"] if span else 0)
            elif kind == "FootnoteReference":
                self._footnote_reference(value)
            elif kind == "TaskListMarker":
                if self.item < len(self.out) and self.out[self.item] == "<li>":
                    self.out[self.item] = '<li class="task-list-item">'  # the theme shows no bullet then
                checked = " checked" if value else ""
                self._emit(f'<input type="checkbox" disabled{checked} aria-label="{html.escape(self.words.task)}"> ')
            else:  # math and metadata blocks are not turned on
                self._text(str(value), span["start"] if span else 0)
        if pending:
            self._text("".join(pending), pending_start)
        self._footnotes()
        text = " ".join("".join(self.text).split())
        return Body("".join(self.body), tuple(self.headings), tuple(self.references), text,
                    tuple(self.findings), len(self.footnote_numbers), self.ranged)

    def _analyse(self, events: Iterable[tuple[Event, Range | None]]) -> Body:
        """The walk for `lardom check`: the same events, and the same methods for everything that
        finds a problem or a link, without writing HTML, headings and text (tests/test_body_modes.py
        holds the two walks to the same findings)."""
        pending: list[str] = []
        pending_start = 0
        nesting_and_links = _ANALYSED_STARTS
        for event, span in events:
            if isinstance(event, str):
                if pending:
                    self._text(pending[0] if len(pending) == 1 else "".join(pending), pending_start)
                    pending.clear()
                if event != "Rule":
                    self.after_break = True
                continue
            (kind, value), = event.items()
            if kind == "Text":
                if not pending:
                    pending_start = span["start"] if span is not None else 0
                pending.append(value)
                continue
            if pending:
                self._text(pending[0] if len(pending) == 1 else "".join(pending), pending_start)
                pending.clear()
                if len(self.findings) >= MAX_FINDINGS:
                    break
            if kind == "Start":
                if isinstance(value, str):
                    if value == "Paragraph":
                        self.paragraph_start = span["start"] if span is not None else 0
                        self.paragraph_first_text = True
                        self.after_break = False
                    elif value == "HtmlBlock":
                        self.html_block = []
                        self.html_block_start = span["start"] if span is not None else 0
                elif next(iter(value)) in nesting_and_links:
                    self._start(value, span["start"] if span is not None else 0, span["end"] if span is not None else 0)
            elif kind == "End":
                if isinstance(value, str):
                    if value in _ANALYSED_ENDS:
                        self._end(value)
                else:
                    (tag, _), = value.items()
                    if tag == "Heading":
                        self.heading = None
                        self.paragraph_start = None
                    elif tag in ("BlockQuote", "List"):
                        self.open.pop()
            elif kind == "Html" and self.html_block is not None:
                self.html_block.append(value)
            elif kind == "Html" or kind == "InlineHtml":
                self._html(value, span["start"] if span is not None else 0)
        if pending:
            self._text("".join(pending), pending_start)
        return Body("", (), tuple(self.references), "", tuple(self.findings), 0, self.ranged)

    # -- output helpers

    def _emit(self, markup: str) -> None:
        if self.image_alt is None:
            self.out.append(markup)

    def _plain(self, text: str) -> None:
        self.text.append(text)
        if self.heading is not None:
            self.heading.append(text)
        if self.image_alt is not None:
            self.image_alt.append(text)

    def _find(self, code: str, offset: int, **params: str) -> None:
        self.findings.append(Finding(code, offset, tuple(sorted(params.items()))))

    # -- events

    def _bare(self, event: str) -> None:
        if event == "SoftBreak":
            self._emit("\n")
            self._plain(" ")
            self.after_break = True
        elif event == "HardBreak":
            self._emit("<br>\n")
            self._plain(" ")
            self.after_break = True
        elif event == "Rule":
            self._emit("<hr>\n")

    def _text(self, value: str, offset: int) -> None:
        if self.in_code_block:
            self._emit(_escape(value))
            self._plain(value)
            return
        # Python-Markdown's syntax, which CommonMark reads as text; each test needs a character
        # that most texts lack, looked for first.
        if self.paragraph_start is not None:
            if self.paragraph_first_text:
                self.paragraph_first_text = False
                if value[:1] in "!?*[" and value:
                    self._legacy_first(value, offset)
            elif self.after_break and value[:1] in ":*" and value:
                self._legacy_after_break(value, offset)
        if "{" in value and (match := _LEGACY_ATTRIBUTES.search(value)):
            self._find("legacy-attributes", offset + len(value[:match.start()].encode("utf-8")),
                       text=_shorten(match.group(0)))
        self.after_break = False
        if not self.render:
            return
        self.text.append(value)
        if self.heading is not None:
            self.heading.append(value)
        if self.image_alt is not None:
            self.image_alt.append(value)
            return
        if self.in_link or ("://" not in value and "www." not in value and "@" not in value):
            if not self.in_link and ("[" in value or "]" in value):
                self.brackets = _brackets_open(self.brackets, value)
            self.out.append(_escape(value))
            return
        position = counted = 0
        for start, end, address in _autolinks(value):
            self.brackets = _brackets_open(self.brackets, value, counted, start)
            counted = start
            if self.brackets and not address.startswith("mailto:"):
                continue
            self.out.append(_escape(value[position:start]))
            shown = _escape(value[start:end])
            escaped = escape_address(address)
            printed = "" if address.startswith("mailto:") else f' data-print-href="{escaped}"'
            self.out.append(f'<a href="{escaped}"{printed}>{shown}</a>')
            position = counted = end
        self.brackets = _brackets_open(self.brackets, value, counted)
        self.out.append(_escape(value[position:]))

    def _legacy_first(self, value: str, offset: int) -> None:
        """The first text of a paragraph: an admonition, an abbreviation, a `[TOC]` marker."""
        if match := _LEGACY_ADMONITION.match(value):
            kind = (match.group("kind") or "note").lower()
            self._find("legacy-admonition", offset, marker=match.group("marker").strip(),
                       suggestion=f"> [!{_ADMONITION_AS_ALERT.get(kind, 'NOTE')}]")
        elif _LEGACY_ABBREVIATION.match(value):
            self._find("legacy-abbreviation", offset, text=value.split(":", 1)[0])
        elif value.strip() == "[TOC]":
            self._find("legacy-toc-marker", offset)

    def _legacy_after_break(self, value: str, offset: int) -> None:
        """A line of a paragraph: a definition (`: …`) or an abbreviation."""
        if _LEGACY_DEFINITION.match(value):
            self._find("legacy-definition-list", offset)
        elif _LEGACY_ABBREVIATION.match(value):
            self._find("legacy-abbreviation", offset, text=value.split(":", 1)[0])

    def _start(self, tag: Tag, offset: int, end: int = 0) -> None:
        if isinstance(tag, str):
            if tag == "Paragraph":
                self.paragraph_start = offset
                self.paragraph_first_text = True
                self.after_break = False
                self.brackets = 0
                self._emit("<p>")
            elif tag == "Item":
                self.brackets = 0
                self.item = len(self.out)
                self._emit("<li>")
            elif tag in _SIMPLE_START:
                self._emit(_SIMPLE_START[tag])
            elif tag == "TableHead":
                self.in_table_head = True
                self.table_cell = 0
                self._emit("<thead>\n<tr>\n")
            elif tag == "TableRow":
                if self.table_rows == 0:
                    self._emit("<tbody>\n")
                self.table_rows += 1
                self.table_cell = 0
                self._emit("<tr>\n")
            elif tag == "TableCell":
                self.brackets = 0
                alignments = self.table_alignments
                align = _ALIGN[alignments[self.table_cell]] if self.table_cell < len(alignments) else ""
                self._emit(f"<th{align}>" if self.in_table_head else f"<td{align}>")
            elif tag == "HtmlBlock":
                self.html_block = []
                self.html_block_start = offset
            else:  # definition lists are not turned on
                pass
            return
        (kind, value), = tag.items()
        if kind == "Heading":
            self.brackets = 0
            self.heading = []
            self.heading_start = len(self.out)
            self.paragraph_start = offset  # `## Rubrik {: #id }`
            self.paragraph_first_text = False
            self._emit(f"<{value['level'].lower()}>")
        elif kind == "BlockQuote":
            self._nest("quote", value, offset)
            if value in ALERTS:
                alert = ALERTS[value]
                title = html.escape(self.words.alerts[alert])
                self._emit(f'<div class="admonition {alert}">\n<p class="admonition-title">{title}</p>\n')
            else:
                self._emit("<blockquote>\n")
        elif kind == "List":
            self._nest("list", value is not None, offset)
            if value is None:
                self._emit("<ul>\n")
            else:
                self._emit("<ol>\n" if value == 1 else f'<ol start="{value}">\n')
        elif kind == "CodeBlock":
            self.in_code_block = True
            language = ""
            if isinstance(value, dict) and "Fenced" in value:
                info = value["Fenced"].strip()
                if info.startswith("{"):
                    self._find("legacy-fence-attributes", offset, info=_shorten(info))
                elif info:
                    language = f' class="language-{html.escape(info.split()[0])}"'
            self._emit(f"<pre><code{language}>")
        elif kind == "Link":
            self.in_link += 1
            self._emit(self._link_start(value, self._target_offset(value["dest_url"], offset, end)))
        elif kind == "Image":
            self._image_start(value, self._target_offset(value["dest_url"], offset, end))
        elif kind == "Table":
            self.table_alignments = value
            self.table_rows = 0
            self._emit("<table>\n")
        elif kind == "FootnoteDefinition":
            self.out = self.footnote_bodies.setdefault(value, [])
            self.out.clear()
        else:  # metadata blocks are not turned on
            pass

    def _end(self, tag: Tag) -> None:
        if isinstance(tag, str):
            if tag == "Paragraph":
                self.paragraph_start = None
                self._emit("</p>\n")
            elif tag == "Item":
                self._emit("</li>\n")
            elif tag in _SIMPLE_END:
                self._emit(_SIMPLE_END[tag])
            elif tag == "TableHead":
                self.in_table_head = False
                self._emit("</tr>\n</thead>\n")
            elif tag == "TableRow":
                self._emit("</tr>\n")
            elif tag == "TableCell":
                self.table_cell += 1
                self._emit("</th>\n" if self.in_table_head else "</td>\n")
            elif tag == "Table":
                self._emit("</tbody>\n</table>\n" if self.table_rows else "</table>\n")
            elif tag == "CodeBlock":
                self.in_code_block = False
                self._emit("</code></pre>\n")
            elif tag == "Link":
                self.in_link -= 1
                self._emit("</a>")
            elif tag == "Image":
                self._image_end()
            elif tag == "FootnoteDefinition":
                self.out = self.body
            elif tag == "HtmlBlock":
                self._html("".join(self.html_block or ()), self.html_block_start)
                self.html_block = None
            if tag in _BLOCK_ENDS:
                self._plain(" ")
            return
        (kind, value), = tag.items()
        if kind == "Heading":
            self._heading_end(value)
        elif kind == "BlockQuote":
            self.open.pop()
            self._emit("</div>\n" if value in ALERTS else "</blockquote>\n")
        elif kind == "List":
            self.open.pop()
            self._emit("</ol>\n" if value else "</ul>\n")
        self._plain(" ")

    def _nest(self, kind: str, value: object, offset: int) -> None:
        self.open.append((kind, value))
        if len(self.open) > MAX_NESTING and not self.too_deep:
            self.too_deep = True
            self._find("nesting-too-deep", offset, limit=str(MAX_NESTING))

    def _heading_end(self, level: str) -> None:
        assert self.heading is not None
        if not self.render:
            self.heading = None
            self.paragraph_start = None
            return
        title = " ".join("".join(self.heading).split())
        ident = self.ids.take(title)
        tag = level.lower()
        self.out[self.heading_start] = f'<{tag} id="{html.escape(ident)}">'
        self._emit(f"</{tag}>\n")
        self.headings.append(Heading(int(level[1]), ident, title))
        self.heading = None
        self.paragraph_start = None

    # -- links and images

    def _target_offset(self, url: str, start: int, end: int) -> int:
        """Where a link's target is written, to point an editor at it; where the link
        starts when it is not written there (a reference to a definition elsewhere)."""
        if self.source is None:
            self.source = self.markdown.encode("utf-8")
        opening = self.source.find(b"](", start, end)
        found = self.source.find(url.encode("utf-8"), opening, end) if opening != -1 and url else -1
        if found == -1 and opening != -1 and self.source[end - 1:end] == b")":
            # Written otherwise than read (`jav&#x61;script:`, `a\_b`): where the target begins.
            found = self.source.rfind(b"](", start, end) + 2
            while found < end and self.source[found] in b" \t\r\n<":
                found += 1
        return found if found != -1 else start

    def _address(self, url: str, offset: int, image: bool) -> str:
        """The escaped address of a link or image; a mark for one into the site."""
        scheme = link_scheme(url)
        if scheme is not None and scheme not in LINK_SCHEMES:
            self._find("unsafe-link", offset, target=_shorten(url, 80), scheme=scheme + ":")
            return "#"
        if image and (scheme in WEB_SCHEMES or url.startswith(("//", "\\\\"))):
            self._find("external-resource", offset, target=_shorten(url, 80))
            return "#"
        if _is_local(url):
            self.references.append(Reference(url, image, offset))
            return f"{MARK}{len(self.references) - 1}{MARK}"
        return escape_address(url)

    def _link_start(self, link: Mapping[str, Any], offset: int) -> str:
        url = link["dest_url"]
        address = self._address(url, offset, image=False)
        title = f' title="{html.escape(link["title"])}"' if link["title"] else ""
        if link["link_type"] == "Email":
            return f'<a href="mailto:{escape_address(url)}"{title}>'
        scheme = link_scheme(url)
        printed = f' data-print-href="{address}"' if scheme in WEB_SCHEMES else ""
        return f'<a href="{address}"{title}{printed}>'

    def _image_start(self, image: Mapping[str, Any], offset: int) -> None:
        self.image = {"src": self._address(image["dest_url"], offset, image=True), "title": image["title"]}
        if self.image_alt is None:
            self.image_alt = []
        else:  # an image in an image's description: only its description counts
            self.image = None

    def _image_end(self) -> None:
        if self.image is None:
            return
        alt = html.escape(" ".join("".join(self.image_alt or []).split()))
        self.image_alt = None
        title = f' title="{html.escape(self.image["title"])}"' if self.image["title"] else ""
        self._emit(f'<img src="{self.image["src"]}" alt="{alt}"{title}>')
        self.image = None

    # -- raw HTML

    def _html(self, value: str, offset: int) -> None:
        comments = _COMMENTS.match(value)
        if not value.strip() or (comments and comments.end() == len(value)):
            return  # notes for editors: allowed, and not published
        if comments:  # the HTML begins after them
            offset += len(value[:comments.end()].encode("utf-8"))
            value = value[comments.end():]
        if "markdown=" in value.lower():
            self._find("legacy-markdown-in-html", offset)
        else:
            self._find("raw-html", offset, html=_shorten(value.strip(), 40))

    # -- footnotes, numbered in the order of their first reference, listed at the end

    def _footnote_reference(self, label: str) -> None:
        number = self.footnote_numbers.setdefault(label, len(self.footnote_numbers) + 1)
        seen = self.footnote_references.get(label, 0) + 1
        self.footnote_references[label] = seen
        anchor = f"fnref:{number}" if seen == 1 else f"fnref{seen}:{number}"
        self._emit(f'<sup id="{anchor}"><a class="footnote-ref" href="#fn:{number}">{number}</a></sup>')

    def _footnotes(self) -> None:
        numbered = [(number, label) for label, number in self.footnote_numbers.items()]
        if not numbered:
            return
        self.body.append('<div class="footnote">\n<hr>\n<ol>\n')
        for number, label in sorted(numbered):
            back = html.escape(self.words.footnote_back.format(number=number))
            content = "".join(self.footnote_bodies.get(label, []))
            link = f'<a class="footnote-backref" href="#fnref:{number}" aria-label="{back}">↩</a>'
            if content.endswith("</p>\n"):
                content = content[:-len("</p>\n")] + f"&nbsp;{link}</p>\n"
            else:
                content += f"<p>{link}</p>\n"
            self.body.append(f'<li id="fn:{number}">\n{content}</li>\n')
        self.body.append("</ol>\n</div>\n")
