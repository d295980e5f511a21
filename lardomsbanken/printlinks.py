"""Absolute link addresses for print: on paper a link is only as good as its written-out address.

Links in pages stay relative (the site works from any sub-path); this adds a
`data-print-href` attribute with the absolute address to every link in a
page's content, and the print style sheet writes it after the link text.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

_LINK = re.compile(r'<a\b(?P<attrs>[^>]*?)\shref="(?P<href>[^"]*)"')
_NOT_PRINTED = ("#", "mailto:", "tel:", "javascript:", "data:")


def add_print_hrefs(html: str, page_url: str, site_url: str) -> str:
    """`page_url` is the page's address under the site root, e.g. `en/lardomar/x/`."""
    base = urljoin(site_url.rstrip("/") + "/", page_url)

    def annotate(match: re.Match) -> str:
        href = match.group("href")
        if not href or href.startswith(_NOT_PRINTED) or "data-print-href" in match.group("attrs"):
            return match.group(0)
        return f'{match.group(0)} data-print-href="{urljoin(base, href)}"'

    return _LINK.sub(annotate, html)
