"""Where each page lives: source paths of generated pages and relative links between them.

A page is named by its path without extension and language (`teman/bostader`,
`lardomar/index`, `index`); every language has the same paths, under its own
root. Links are relative, so the site works from a domain root or a sub-path.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

HOME = "index"
LESSONS = "lardomar"
FACET_FOLDERS = {"theme": "teman", "region": "regioner", "actor": "aktorer", "type": "typer"}
FACETS = tuple(FACET_FOLDERS)


def lesson_page(slug: str) -> str:
    return f"{LESSONS}/{slug}"


def all_lessons_page() -> str:
    return f"{LESSONS}/index"


def facet_page(facet: str, ident: str) -> str:
    return f"{FACET_FOLDERS[facet]}/{ident}"


def overview_page(facet: str) -> str:
    return f"{FACET_FOLDERS[facet]}/index"


def search_page() -> str:
    """The search results page; the header's search form in overrides/partials/header.html points here."""
    return "sok/index"


def source_file(page: str, language: str) -> str:
    """The Markdown file a page is built from: `teman/bostader.sv.md`."""
    return f"{page}.{language}.md"


@dataclass(frozen=True)
class UrlStyle:
    """How the site engine turns page paths into URLs (MkDocs' use_directory_urls)."""

    directory_urls: bool = True

    def url(self, page: str) -> str:
        """The page's URL relative to its language root: `teman/bostader/` or `teman/bostader.html`."""
        folder, name = posixpath.split(page)
        if self.directory_urls:
            if name == "index":
                return f"{folder}/" if folder else ""
            return f"{page}/"
        return f"{page}.html"

    def href(self, from_page: str, to_page: str) -> str:
        """A relative link from one page to another in the same language."""
        source, target = self.url(from_page), self.url(to_page)
        base = source if source.endswith("/") or source == "" else posixpath.dirname(source)
        path = target.rstrip("/") or "."
        relative = posixpath.relpath(path, base.rstrip("/") or ".")
        if target.endswith("/") or target == "":
            return "./" if relative == "." else relative + "/"
        return relative


def language_root(language: str, default_language: str) -> str:
    """The folder a language's pages live in: the site root for the default language, else `en/`."""
    return "" if language == default_language else f"{language}/"


def absolute(site_url: str, path: str) -> str:
    """An absolute URL for a path under the site root, for feeds and metadata read off-site."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")
