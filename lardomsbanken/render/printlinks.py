"""Absolute link addresses for print: on paper a link is only as good as its written-out address.

Links in pages stay relative (the site works from any sub-path); this adds a
`data-print-href` attribute with the absolute address to every link in a
page's content, and the print style sheet writes it after the link text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

_LINK_TAG = re.compile(r"<a\b[^>]*>")
_HREF = re.compile(r'\shref="(?P<href>[^"]*)"')
_NOT_PRINTED = ("#", "mailto:", "tel:", "javascript:", "data:")


def add_print_hrefs(html: str, page_url: str, site_url: str) -> str:
    """`page_url` is the page's address under the site root, e.g. `en/lardomar/x/`."""
    base = urljoin(site_url.rstrip("/") + "/", page_url)
    resolve = resolver(base)

    def annotate(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or not href.group("href") or href.group("href").startswith(_NOT_PRINTED) \
                or "data-print-href" in tag:
            return tag
        return f'{tag[:href.end()]} data-print-href="{resolve(href.group("href"))}"{tag[href.end():]}'

    return _LINK_TAG.sub(annotate, html)


# A relative link that is only `../` steps and plain path segments (none starting with a
# dot, no colon), then perhaps a query or fragment: most links in a page.
_PLAIN_RELATIVE = re.compile(
    r"(?P<up>(?:\.\./)*)(?P<path>(?:[^/?#:.][^/?#:]*/)*(?:[^/?#:.][^/?#:]*)?)(?P<tail>[?#].*)?", re.S)


def resolver(base: str) -> Callable[[str], str]:
    """`urljoin(base, href)` as a function of `href`; plain relative links, the many,
    are joined without urljoin's general parsing."""
    parts = urlsplit(base)
    folder = parts.path[:parts.path.rfind("/") + 1]
    simple = parts.scheme in ("http", "https") and not parts.query and not parts.fragment \
        and folder.startswith("/") and "/." not in folder and "//" not in folder
    origin = f"{parts.scheme}://{parts.netloc}"
    segments = folder.strip("/").split("/") if folder.strip("/") else []

    def resolve(href: str) -> str:
        match = _PLAIN_RELATIVE.fullmatch(href) if simple else None
        if match is None or (not match.group("path") and not match.group("up")):
            return urljoin(base, href)
        up = len(match.group("up")) // 3
        if up > len(segments):
            return urljoin(base, href)
        kept = segments[:len(segments) - up]
        folders = "".join(segment + "/" for segment in kept)
        return origin + "/" + folders + match.group("path") + (match.group("tail") or "")

    return resolve
