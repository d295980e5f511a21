"""What a lesson may not contain, for its readers' sake.

Refused before anything reaches a page, a feed or a terminal:

- invisible control characters (C0 and C1 controls other than tab and line
  breaks, lone surrogates, non-characters): they make feeds invalid XML, break
  JSON readers and can rewrite an editor's terminal;
- in the body, HTML that runs code or takes over the page (`<script>`,
  `<iframe>`, `<style>`, `<form>` …) and event-handler attributes (`onerror=`),
  written as HTML or with attr_list's `{ onclick=… }`;
- links whose scheme runs code or smuggles content (`javascript:`, `data:`,
  `vbscript:`, `file:`): a link is a web address (http, https), an e-mail
  address (mailto), a phone number (tel), or relative.

Markdown passes raw HTML through as it is and keeps odd link targets (a
newline inside `java\\nscript:` survives, the browser drops it), so the body is
checked more strictly than Markdown reads it: only the content of fenced code
blocks, found exactly as Python-Markdown's fenced_code finds them, is skipped,
because it is the one place whose text never reaches the page as HTML. Inline
code is checked too: inside a raw HTML block Markdown leaves it alone.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .problems import LineIndex

LINK_SCHEMES = ("https", "http", "mailto", "tel")
WEB_SCHEMES = ("https", "http")

# Characters no text of ours may hold: C0 controls but tab, LF and CR; DEL and the C1
# controls; lone surrogates (a YAML escape such as "\ud800" makes one); non-characters.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

# Elements that run code, load other documents or change the whole page.
FORBIDDEN_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "portal",
    "base", "link", "meta", "form", "svg", "math", "template",
})
# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "ping", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "icon", "usemap",
    "archive", "classid", "profile",
})

# Attributes whose URL the browser fetches by itself as the page loads: from another host
# that would be a request leaving the site, which the site never makes (images go next to
# the lesson). Links (href) are followed only when the reader chooses to.
LOADING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "icon",
                                "manifest", "codebase", "archive", "classid", "profile"})
# Markdown images, `![alt](target)`, and the labels of reference images, `![alt][label]`.
_IMAGE_TARGET = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\s*\(\s*<?(?P<url>[^\s)>]*)")
_IMAGE_REFERENCE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\](?:\[(?P<label>[^\[\]\n]*)\])?(?!\s*\()")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*\n?[ \t]*<?(?P<target>[^\s>]+)", re.MULTILINE)
_ELEMENT = re.compile(r"<\s*(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)")  # opening tags; a lone closing tag does nothing
_TAG_START = re.compile(r"<[a-zA-Z]")
_BRACE = re.compile(r"\{")  # attr_list's `{ … }`, always on one line
_BRACE_ATTRIBUTE = re.compile(r"""(?:^|[\s{:;,])(?P<name>[^\s=}{'"]+)\s*=\s*"""
                              r"""(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<uq>[^\s}]*))""")
# Markdown link targets. Inline, `](` and what can spell a scheme after it: letters,
# digits, `+.-:`, white space (a browser drops it) and character references (`&#x61;`,
# `&colon;`); possessive and atomic, so each character is read once, and as none of them
# is `]`, no `](` inside another link's target is passed over. A reference definition,
# `[id]: target`, has its target on the same line or the next.
_INLINE_TARGET = re.compile(r"\]\s*\(\s*<?(?P<start>(?:[a-zA-Z0-9+.:\s-]|(?>&#?[a-zA-Z0-9]++;?))*+)")
_REFERENCE_TARGET = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*<?(?P<target>[^\s>]+)", re.MULTILINE)
_SCHEME = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*):")
_PLAIN_WEB = re.compile(r"(?:https?|mailto|tel):[^\s&:]*$", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
_DEFINITION_MARK = re.compile(r"\]:")  # a regex finds these two characters quicker than `in`
_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what a URL parser strips from both ends
_FENCE_LINE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)
MAX_FINDINGS = 100  # per body: enough to fix a pasted page, not a million lines for a million tags
MAX_FENCE_WORK = 50_000_000  # fences times characters: a 1 MB text with 50 code blocks


@dataclass(frozen=True)
class Finding:
    """Something the body may not contain; `line` is 0-based in the body, `column` 1-based."""

    code: str
    line: int
    column: int
    params: dict


def forbidden_characters(text: str) -> list[tuple[int, str]]:
    """(offset, character) of every character no lesson may hold."""
    if _FORBIDDEN_CHARACTER.search(text) is None:  # the usual answer, found quickest
        return []
    return [(match.start(), match.group()) for match in _FORBIDDEN_CHARACTER.finditer(text)]


# Bytes of UTF-8 that cannot begin a forbidden character: all but the C0 and DEL controls
# themselves and the lead bytes of the C1 controls (C2), surrogates (ED) and non-characters (EF).
_ORDINARY_BYTES = bytes(b for b in range(256) if b in b"\t\n\r" or not (b < 0x20 or b in (0x7F, 0xC2, 0xED, 0xEF)))


def may_hold_forbidden(raw: bytes) -> bool:
    """False when UTF-8 bytes surely decode to text without a forbidden character: a quick
    test before `forbidden_characters` reads the text itself."""
    return bool(raw.translate(None, _ORDINARY_BYTES))


def character_name(character: str) -> str:
    return f"U+{ord(character):04X}"


def link_scheme(url: str) -> str | None:
    """The scheme a browser reads in a link, lower-case; None when it is relative.

    Character references are decoded and tabs and line breaks removed, as an
    HTML parser and a URL parser do: `jav&#x61;script:` and `java\\tscript:` are
    both `javascript`.
    """
    if ":" not in url and "&" not in url:
        return None  # the common case, a relative link
    text = _TAB_OR_BREAK.sub("", html.unescape(url)).strip(_C0_AND_SPACE)
    match = _SCHEME.match(text)
    return match.group("scheme").lower() if match else None


def is_allowed_link(url: str) -> bool:
    scheme = link_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


@functools.lru_cache(maxsize=4096)  # a translation repeats its source's addresses
def is_web_address(url: str) -> bool:
    """A full http(s) address with a host and nothing invisible in it (for `sources`)."""
    if not url.isprintable() or _SPACE.search(url) or link_scheme(url) not in WEB_SCHEMES:
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def check_body(body: str) -> list[Finding]:
    """Every script, event handler and unsafe link in a lesson body, in order."""
    text = without_fenced_code(body)
    where = LineIndex(text)
    found: dict[tuple, Finding] = {}
    seen: list[str] = []  # every report, the same thing seen again included

    def report(code: str, offset: int, **params) -> None:
        # Several of the checks below may see the same thing: one finding per thing and line.
        line = where.line(offset)
        found.setdefault((line, code, repr(sorted(params.items()))), Finding(code, line, where.column(offset), params))
        seen.append(code)
        if len(found) >= MAX_FINDINGS or len(seen) >= 10 * MAX_FINDINGS:
            raise _Enough

    try:
        _check(text, where, report)
    except _Enough:
        pass
    return sorted(found.values(), key=lambda finding: (finding.line, finding.column, finding.code))


class _Enough(Exception):
    """MAX_FINDINGS found: the rest of the body is not read."""


def _check(text: str, where: LineIndex, report) -> None:
    # Most bodies have no HTML and no attribute list: `in` tells that quickest.
    if "<" in text:
        _check_html(text, where, report)
    if "{" in text:
        _check_attribute_lists(text, report)
    for match in _INLINE_TARGET.finditer(text):
        start = match.group("start")
        # No scheme without a colon, written or as a reference; most links are plain https.
        if (":" in start or "&" in start) and not _PLAIN_WEB.match(start):
            start = _BLANK_LINE.split(start, maxsplit=1)[0]  # a link ends with its paragraph
            _check_urls(report, match.start("start"), "", _SPACE.sub("", start))
    if _DEFINITION_MARK.search(text):  # quicker than the pattern, which tries every line
        for match in _REFERENCE_TARGET.finditer(text):
            _check_urls(report, match.start("target"), "", match.group("target"))
    if "!" in text and "![" in text:  # `in` finds one character quickest
        _check_images(text, report)


def _check_html(text: str, where: LineIndex, report) -> None:
    for match in _ELEMENT.finditer(text):
        if match.group("name").lower() in FORBIDDEN_ELEMENTS:
            report("unsafe-element", match.start(), element=match.group("name").lower())
    # Tags read as an HTML parser reads them: quotes, character references.
    if _TAG_START.search(text):
        for offset, name, value in _html_attributes(text, where):
            if name.startswith("on"):
                report("unsafe-attribute", offset, attribute=name)
            elif name in URL_ATTRIBUTES and value is not None:
                _check_urls(report, offset, name, value)
                _check_loaded(report, offset, name, value)


def _check_attribute_lists(text: str, report) -> None:
    """attr_list's `{ key=value }`, on one line."""
    for start, end in _spans(text, _BRACE, "\n"):
        end = text.rfind("}", start, end) + 1
        if end == 0:
            continue
        for attribute in _BRACE_ATTRIBUTE.finditer(text, start, end):
            if (name := attribute.group("name").lower()).startswith("on"):
                report("unsafe-attribute", attribute.start("name"), attribute=name)
            elif name in URL_ATTRIBUTES:
                value = next(value for value in attribute.group("dq", "sq", "uq") if value is not None)
                _check_urls(report, attribute.start("name"), name, value)
                _check_loaded(report, attribute.start("name"), name, value)


def _check_images(text: str, report) -> None:
    """Markdown images load as the page does: none from another host."""
    for match in _IMAGE_TARGET.finditer(text):
        _check_loaded(report, match.start("url"), "src", match.group("url"))
    labels = {_label(match.group("label") or match.group("alt")) for match in _IMAGE_REFERENCE.finditer(text)}
    for match in _REFERENCE_DEFINITION.finditer(text):
        if _label(match.group("label")) in labels:
            _check_loaded(report, match.start("target"), "src", match.group("target"))


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_loaded(report, offset: int, attribute: str, value: str) -> None:
    if attribute not in LOADING_ATTRIBUTES:
        return
    if attribute == "srcset":
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    else:
        urls = [value]
    for url in urls:
        stripped = _TAB_OR_BREAK.sub("", html.unescape(url)).strip(_C0_AND_SPACE)
        if stripped.startswith(("//", "\\\\")) or link_scheme(url) in WEB_SCHEMES:
            report("external-resource", offset, target=_shorten(url))


def _spans(text: str, start: re.Pattern, stop: str) -> list[tuple[int, int]]:
    """From each first `start` after a `stop` to the next `stop` (or the end): linear, however
    many starts come before one stop."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (match := start.search(text, position)) is not None:
        end = text.find(stop, match.start())
        end = len(text) if end == -1 else end
        spans.append((match.start(), end))
        position = end + 1
    return spans


def _check_urls(report, offset: int, attribute: str, value: str) -> None:
    if attribute == "srcset":  # `a.png 1x, b.png 2x`
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    else:
        urls = [value]
    for url in urls:
        if not is_allowed_link(url):
            report("unsafe-link", offset, target=_shorten(url), scheme=link_scheme(url) + ":")


def _shorten(url: str, limit: int = 80) -> str:
    url = " ".join(url.split())
    return url if len(url) <= limit else url[:limit - 1] + "…"


def without_fenced_code(body: str) -> str:
    """The body with the content of fenced code blocks blanked out, offsets unchanged.

    The blocks are found as Python-Markdown's FencedBlockPreprocessor finds them
    (tabs are spaces to it by then), and only their content is blanked: the
    opening line may carry `{ attributes }` that end up on the page.
    """
    if ("`" not in body or "```" not in body) and ("~" not in body or "~~~" not in body):
        return body
    # Imported here: most bodies have no fence, and `lardom check` starts quicker without Markdown.
    from markdown.extensions.attr_list import get_attrs_and_remainder
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    pattern = FencedBlockPreprocessor.FENCED_BLOCK_RE
    # Markdown's pattern reads to the end of the text for every fence left open: with
    # thousands of them in a long text, skip nothing rather than wait (stricter, not weaker).
    if len(_FENCE_LINE.findall(body)) * len(body) > MAX_FENCE_WORK:
        return body
    searched = body.replace("\t", " ")
    parts: list[str] = []
    position = index = 0
    while (match := pattern.search(searched, index)) is not None:
        if match.group("attrs") and get_attrs_and_remainder(match.group("attrs"))[1]:
            index = match.end("attrs")  # not a fence to Markdown either
            continue
        start, end = match.span("code")
        parts.append(body[position:start])
        parts.append(re.sub(r"[^\n]", " ", body[start:end]))
        position, index = end, match.end()  # Markdown goes on after the closing fence
    parts.append(body[position:])
    return "".join(parts)


class _AttributeParser(HTMLParser):
    """Start tags with their attributes as a browser reads them (names lower-case, values decoded)."""

    def __init__(self, where: LineIndex):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.found: list[tuple[int, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        offset = self.where.starts[min(line - 1, len(self.where.starts) - 1)] + column
        self.found.extend((offset, name, value) for name, value in attrs)

    handle_startendtag = handle_starttag


def _html_attributes(text: str, where: LineIndex) -> list[tuple[int, str, str | None]]:
    # Comments, declarations and processing instructions are read as ordinary text, so
    # that a tag inside an unclosed `<!--` (which Markdown may print as text) is seen.
    text = re.sub(r"<(?=[!?])", " ", text)
    parser = _AttributeParser(where)
    parser.feed(text)
    parser.feed("\n>")  # a tag left open at the end of the body would run into the page's next tag
    parser.close()
    return parser.found
