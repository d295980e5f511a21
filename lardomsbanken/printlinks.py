"""Absolute link addresses for print: on paper a link is only as good as its written-out address.

Links in pages stay relative (the site works from any sub-path); this adds a
`data-print-href` attribute with the absolute address to every link in a
page's content, and the print style sheet writes it after the link text.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

_LINK_TAG = re.compile(r"<a\b[^>]*>")
_HREF = re.compile(r'\shref="(?P<href>[^"]*)"')
_NOT_PRINTED = ("#", "mailto:", "tel:", "javascript:", "data:")


def add_print_hrefs(html: str, page_url: str, site_url: str) -> str:
    """`page_url` is the page's address under the site root, e.g. `en/lardomar/x/`."""
    base = urljoin(site_url.rstrip("/") + "/", page_url)

    def annotate(match: re.Match) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or not href.group("href") or href.group("href").startswith(_NOT_PRINTED) \
                or "data-print-href" in tag:
            return tag
        return f'{tag[:href.end()]} data-print-href="{urljoin(base, href.group("href"))}"{tag[href.end():]}'

    return _LINK_TAG.sub(annotate, html)
