"""What no text of a lesson may hold, and which links a page may carry, for its readers' sake.

- Invisible control characters (C0 and C1 controls other than tab and line
  breaks, lone surrogates, non-characters) are refused anywhere in a lesson
  file: they make feeds invalid XML, break JSON readers and can rewrite an
  editor's terminal.
- A link is a web address (http, https), an e-mail address (mailto), a phone
  number (tel), or relative. Schemes that run code or smuggle content
  (`javascript:`, `data:`, `vbscript:`, `file:`) are refused; `body.py` finds
  them among a body's links as the parser reads them.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import urlsplit

LINK_SCHEMES = ("https", "http", "mailto", "tel")
WEB_SCHEMES = ("https", "http")

# Characters no text of ours may hold: C0 controls but tab, LF and CR; DEL and the C1
# controls; lone surrogates (a YAML escape such as "\ud800" makes one); non-characters.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SCHEME = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*):")
_SPACE = re.compile(r"\s+")
_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what a URL parser strips from both ends


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
