"""The sitemap: every page in every language once, with its alternates both ways.

Written by the core rather than by the theme because the theme's sitemap is
made by each language's build into the same file, with only the languages
built so far, and MkDocs stamps the compressed copy with the build time.
Every page exists in every language (an untranslated page shows the source
language's text), `x-default` points to the source language, and there is
no `<lastmod>`: the output of a build depends on its sources only.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from html import escape

from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.render import urls

FILE = "sitemap.xml"
COMPRESSED_FILE = "sitemap.xml.gz"


def build_sitemap(pages: Iterable[str], data: SiteData, style: urls.UrlStyle, site_url: str) -> dict[str, str | bytes]:
    """`sitemap.xml` and `sitemap.xml.gz` for pages given by path (`index`, `teman/bostader`)."""
    source = data.source_language

    def location(page: str, language: str) -> str:
        return escape(urls.absolute_page(site_url, style, page, language, source))

    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    ordered = sorted(set(pages))
    for language in data.language_codes:
        for page in ordered:
            lines.append("    <url>")
            lines.append(f"        <loc>{location(page, language)}</loc>")
            for alternate in data.language_codes:
                lines.append(f'        <xhtml:link rel="alternate" hreflang="{alternate}"'
                             f' href="{location(page, alternate)}"/>')
            lines.append(f'        <xhtml:link rel="alternate" hreflang="x-default" href="{location(page, source)}"/>')
            lines.append("    </url>")
    lines.append("</urlset>")
    text = "\n".join(lines) + "\n"
    return {FILE: text, COMPRESSED_FILE: _gzip(text.encode("utf-8"))}


def _gzip(content: bytes) -> bytes:
    # mtime 0 and no file name: the same sitemap always compresses to the same bytes.
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as compressed:
        compressed.write(content)
    return buffer.getvalue()
