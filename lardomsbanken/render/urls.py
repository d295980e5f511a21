"""Where each page lives: source paths of generated pages and relative links between them.

A page is named by its path without extension and language (`teman/bostader`,
`lardomar/index`, `index`); every language has the same paths, under its own
root. Links are relative, so the site works from a domain root or a sub-path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from lardomsbanken.model.schema import FacetSpec

HOME = "index"
LESSONS = "lardomar"
FEEDS = "flode"  # Atom feeds, per language: flode/lardomar.xml, flode/teman/<id>.xml
FEEDS_PAGE = "flode"  # the hand-written page that explains the feeds (content/flode.sv.md)
OPEN_DATA_PAGE = "oppna-data"  # the hand-written page that explains the open data
OPEN_DATA = "oppna-data"  # the open data files, once for all languages, at the site root
OPEN_DATA_FILES = {
    "json": "lardomar.json",
    "csv": "lardomar.csv",
    "schema": "lardom.schema.json",
    "translation-schema": "lardom-oversattning.schema.json",
    "dcat": "dcat.rdf",
}


def lesson_page(slug: str) -> str:
    return f"{LESSONS}/{slug}"


def all_lessons_page() -> str:
    return f"{LESSONS}/index"


def facet_page(facet: FacetSpec, ident: str) -> str:
    """A term's page: `teman/bostader`."""
    return f"{facet.folder}/{ident}"


def overview_page(facet: FacetSpec) -> str:
    """A facet's page of all its terms: `teman/index`."""
    return f"{facet.folder}/index"


def feed_file(facet: FacetSpec | None = None, ident: str | None = None) -> str:
    """A feed's path under its language root: all lessons, or one term's (`flode/teman/bostader.xml`)."""
    return f"{FEEDS}/{facet.folder}/{ident}.xml" if facet and ident else f"{FEEDS}/{LESSONS}.xml"


def open_data_file(kind: str) -> str:
    """An open data file's path under the site root (`oppna-data/lardomar.json`)."""
    return f"{OPEN_DATA}/{OPEN_DATA_FILES[kind]}"


# A reader anywhere in Sweden picks their municipality (din-kommun/) and reaches the page of
# its SKR municipality group (din-kommun/c8/), at the note for their municipality (#kommun-2482).
PLACES = "din-kommun"


def places_page() -> str:
    return f"{PLACES}/index"


def group_page(group: str) -> str:
    return f"{PLACES}/{group}"


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
        return _url(self.directory_urls, page)

    def file(self, page: str) -> str:
        """The file a page is written to, under its language root: `teman/bostader/index.html`."""
        url = self.url(page)
        return url + "index.html" if url.endswith("/") or url == "" else url

    def base(self, page: str) -> str:
        """The folder a page's relative links resolve from: pages with the same base link alike."""
        return self._folder(self.url(page))

    def href(self, from_page: str, to_page: str) -> str:
        """A relative link from one page to another in the same language."""
        return _href(self, self._folder(self.url(from_page)), to_page)

    def file_href(self, from_page: str, path: str, root: str = "") -> str:
        """A relative link from a page to a file (a feed, a data file).

        `path` is under the same language root as the page; with `root`, the
        page's language folder (`en/`), `path` is under the site root instead.
        """
        return relative_path(path, self._folder(root + self.url(from_page)))

    @staticmethod
    def _folder(url: str) -> str:
        """The folder relative links on a page with this URL resolve from."""
        base = url if url.endswith("/") or url == "" else posixpath.dirname(url)
        return base.rstrip("/") or "."


@lru_cache(maxsize=65536)  # every page's address is asked for many times
def _url(directory_urls: bool, page: str) -> str:
    folder, name = posixpath.split(page)
    if directory_urls:
        if name == "index":
            return f"{folder}/" if folder else ""
        return f"{page}/"
    return f"{page}.html"


@lru_cache(maxsize=65536)  # list pages link the same pages from the same folders many times
def _href(style: UrlStyle, folder: str, to_page: str) -> str:
    target = style.url(to_page)
    path = target.rstrip("/") or "."
    relative = relative_path(path, folder)
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    return relative


def relative_path(path: str, start: str) -> str:
    """`posixpath.relpath` for paths under the same root; pages link each other tens of
    thousands of times, and relpath makes both paths absolute first."""
    if _UNUSUAL_PATH.search(path) or _UNUSUAL_PATH.search(start):
        return posixpath.relpath(path, start)
    to = [] if path == "." else path.split("/")
    here = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to, here, strict=False):  # up to the shorter path
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


_UNUSUAL_PATH = re.compile(r"^/|//|(^|/)\.\.?(/|$)|/$|^$")


def language_root(language: str, default_language: str) -> str:
    """The folder a language's pages live in: the site root for the default language, else `en/`."""
    return "" if language == default_language else f"{language}/"


def absolute(site_url: str, path: str) -> str:
    """An absolute URL for a path under the site root, for feeds and metadata read off-site."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")


# The all-lessons page's filters keep their state in its URL: `lardomar/?tema=bostader&plats=lulea`.
YEAR_PARAM = "ar"  # the all-lessons page's year filter in the address; the facets' are in data/facets.yml
GROUP_PARAM = "kommungrupp"  # the filter by SKR municipality group (not a facet: derived from the places)
MATRIX = "oversikt"  # the theme × place matrix


def filtered_lessons_href(from_href: str, values: dict[str, str]) -> str:
    """A link to the all-lessons page with filters set, by parameter: {"tema": "bostader", "plats": "lulea"}."""
    query = "&".join(f"{param}={value}" for param, value in values.items())
    return f"{from_href}?{query}" if query else from_href


def absolute_page(site_url: str, style: UrlStyle, page: str, language: str, default_language: str) -> str:
    """A page's absolute URL in a language, for feeds and metadata."""
    return absolute(site_url, language_root(language, default_language) + style.url(page))
