"""Search: one index per language, written once per build, read by the browser.

`build_indexes()` returns the index files for `GeneratedSite.outputs`:
`search/index.json` in each language's root (`en/search/index.json`). An
index holds every page a reader of that language may look for: lessons and
case notes, the overview and index pages of themes, places, actors and types,
and the hand-written pages. A lesson without a translation is in the English
index once, with its Swedish text: that text is stemmed as Swedish, the
names of its themes and places as English.

Index format (compact JSON, UTF-8):

    {"language": "en",
     "docs": [{"url": "lardomar/x/", "title": "…", "summary": "…",
               "kind": "lesson"|"case"|"page", "lang": "sv", "facet": "theme"?}, …],
     "stop": {"en": [stop words…], "sv": […]},
     "terms": {"en": {"hous": [doc, weight, doc, weight, …], …}, "sv": {…}}}

`url` is relative to the language root. `terms` has one dictionary per
language of the indexed text, keyed by that language's stems; postings are
flat pairs of document number and weight (title 10, summary and names of
themes, places, actors and type 4, body 1 per occurrence up to 10).

`query()` is the reference search; `content/assets/js/search.js` does the same
in the browser: tokens without stop words, every token must match (AND); a
token matches the stem it has in each text language (weight ×2), and the last
token, which the reader may still be typing, also matches every indexed stem
that begins with it (weight ×1). Results are ordered by summed weight, then
by their order in the index (newest lessons first).
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Lesson, Version
from lardomsbanken.publish import search_terms as searchterms
from lardomsbanken.render import urls
from lardomsbanken.runtime.cache import Table

INDEX_FILE = "search/index.json"
TITLE, SUMMARY, META, BODY = 10, 4, 4, 1
BODY_LIMIT = 10  # occurrences of a word in a body that still add weight
PREFIX_MIN = 2  # the shortest last token that is also matched as a prefix
EXACT, PREFIX = 2, 1
Weights = dict[str, dict[str, int]]  # a document's terms' weights


@dataclass(frozen=True)
class ContentPage:
    """A hand-written page as the site engine rendered it, for the index of one language."""

    page: str  # its path, `om`, `index`
    language: str  # the language the index is for
    text_language: str  # the language of its words (a page shown untranslated is in the source language)
    title: str
    summary: str
    text: str  # plain text of its content (`html_text`)


class _TextParser(HTMLParser):
    """The text of an HTML fragment as a reader sees it; comments, scripts and styles left out,
    block elements kept apart by a space."""

    _SILENT = frozenset({"script", "style", "template"})
    _BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br",
                         "tr", "pre", "blockquote", "section", "figcaption", "summary"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SILENT:
            self.silent += 1
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SILENT:
            self.silent = max(0, self.silent - 1)
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


@dataclass
class Document:
    url: str
    title: str
    summary: str
    kind: str  # lesson, case or page
    lang: str  # language of the title, summary and body
    facet: str | None = None  # for the index pages of themes, places, actors, types
    fields: list[tuple[str, str, int]] = field(default_factory=list)  # (text, language, weight)
    # A lesson's body, read when its weights are worked out: (digest of its text, language, how to read it).
    body: tuple[str, str, Callable[[], str]] | None = None

    def key(self) -> tuple[tuple[tuple[str, str, int], ...], tuple[str, str] | None]:
        """What the document's weights depend on (a body by its digest: it need not be read)."""
        return tuple(self.fields), self.body[:2] if self.body else None

    def texts(self) -> list[tuple[str, str, int]]:
        return self.fields + [(self.body[2](), self.body[1], BODY)] if self.body else self.fields

    def record(self) -> dict[str, str]:
        record = {"url": self.url, "title": self.title, "summary": self.summary, "kind": self.kind, "lang": self.lang}
        if self.facet:
            record["facet"] = self.facet
        return record


def build_indexes(index: SiteIndex, style: urls.UrlStyle, content_pages: Iterable[ContentPage],
                  body_text: Callable[[Version], str], memo: Table[Weights] | None = None,
                  languages: Iterable[str] | None = None) -> dict[str, str]:
    """Index file path under the site root -> JSON, for every language (or those given).
    `body_text` gives the plain text of a lesson's body (body.Store).

    With a `memo` (a preview's, or the build cache), a document's term weights are
    worked out again only when its texts have changed."""
    content_pages = list(content_pages)
    outputs: dict[str, str] = {}
    for language in languages or index.data.language_codes:
        outputs.update(finish_index(begin_index(index, style, language, body_text, memo), content_pages))
    return outputs


@dataclass
class PartialIndex:
    """A language's index of the collection (lessons, themes, places, actors, types), its words
    weighed: the most work, which need not wait for the hand-written pages."""

    index: SiteIndex
    style: urls.UrlStyle
    language: str
    weighed: list[tuple[Document, Weights]]
    memo: Table[Weights] | None


def begin_index(index: SiteIndex, style: urls.UrlStyle, language: str, body_text: Callable[[Version], str],
                memo: Table[Weights] | None = None) -> PartialIndex:
    weigh = _weigher(memo, language)
    documents = [*_lesson_documents(index, style, language, body_text), *_facet_documents(index, style, language)]
    return PartialIndex(index, style, language, [(document, weigh(document)) for document in documents], memo)


def finish_index(partial: PartialIndex, content_pages: Iterable[ContentPage]) -> dict[str, str]:
    """The language's index file, the hand-written pages added."""
    weigh = _weigher(partial.memo, partial.language)
    content = _content_documents(list(content_pages), partial.style, partial.language)
    weighed = partial.weighed + [(document, weigh(document)) for document in content]
    data = partial.index.data
    return {index_path(partial.language, data.source_language): _encode(weighed, partial.language)}


def _weigher(memo: Table[Weights] | None, language: str) -> Callable[[Document], dict[str, dict[str, int]]]:
    if memo is None:
        return _weights
    return lambda document: memo.get(("weights", language, document.url), document.key(),
                                     lambda: _weights(document))


def index_path(language: str, source_language: str) -> str:
    return urls.language_root(language, source_language) + INDEX_FILE


def page_links(page: str, language: str, source_language: str, style: urls.UrlStyle) -> dict[str, str]:
    """Relative links from a page to its language's index, its language root and the site root."""
    root = urls.language_root(language, source_language)
    here = root + style.url(page)
    base = here if here.endswith("/") else posixpath.dirname(here)

    def link(target: str) -> str:
        relative = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        return relative if not (target == "" or target.endswith("/")) else ("./" if relative == "." else relative + "/")

    return {"index": link(root + INDEX_FILE), "root": link(root), "site": link("")}


def page_labels(data: SiteData, language: str) -> dict[str, dict[str, str]]:
    """The words search.js writes into the results page, in the page's language."""
    label: Callable[..., str] = lambda key, **params: data.labels(key, language, **params)  # noqa: E731
    kinds = {term.id: term.name(language) for term in data.types}
    kinds.update({kind: label(f"search.kind.{kind}") for kind in ("page", *data.facet_ids)})
    return {
        "status": {state: label(f"search.status.{state}")
                   for state in ("empty", "loading", "error", "none", "one", "other")},
        "kind": kinds,
        "in_language": {code: label("list.in_language", language=label(f"language.{code}"))
                        for code in data.language_codes},
    }


def encode(documents: list[Document], language: str,
           weights: Callable[[Document], dict[str, dict[str, int]]] | None = None) -> str:
    return _encode([(document, (weights or _weights)(document)) for document in documents], language)


def _encode(weighed: list[tuple[Document, dict[str, dict[str, int]]]], language: str) -> str:
    terms: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for number, (_, weights) in enumerate(weighed):
        # Documents in order, so every term's postings are in document order.
        for text_language, weighted in weights.items():
            postings = terms[text_language]
            for term, weight in weighted.items():
                found = postings.get(term)
                if found is None:
                    postings[term] = [number, weight]
                else:
                    found += (number, weight)
    result = {
        "language": language,
        "docs": [document.record() for document, _ in weighed],
        "stop": {code: sorted(searchterms.stop_words(code)) for code in sorted(terms)},
        "terms": {code: dict(sorted(terms[code].items())) for code in sorted(terms)},
    }
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def _weights(document: Document) -> dict[str, dict[str, int]]:
    """Language -> stem -> weight. Counted per distinct word, not per occurrence."""
    weights: dict[str, dict[str, int]] = {}
    bodies: dict[str, dict[str, int]] = {}
    for text, language, weight in document.texts():
        counts = searchterms.term_counts(text, language)
        if weight == BODY:
            if language in bodies:
                counts = {term: bodies[language].get(term, 0) + counts.get(term, 0)
                          for term in {**bodies[language], **counts}}
            bodies[language] = counts
            continue
        weighted = weights.setdefault(language, {})
        for term, count in counts.items():
            weighted[term] = weighted.get(term, 0) + weight * count
    for language, counts in bodies.items():
        # Only the first BODY_LIMIT occurrences of a word in the bodies add weight.
        weighted = weights.setdefault(language, {})
        for term, count in counts.items():
            weighted[term] = weighted.get(term, 0) + BODY * (count if count < BODY_LIMIT else BODY_LIMIT)
    return weights


def _lesson_documents(index: SiteIndex, style: urls.UrlStyle, language: str,
                      body_text: Callable[[Version], str]) -> Iterator[Document]:
    for lesson in index.newest[language]:
        version = lesson.version(language)
        document = Document(style.url(urls.lesson_page(lesson.slug)), version.title, version.summary,
                            lesson.type, version.language)
        document.fields = [
            (version.title, version.language, TITLE),
            (version.summary, version.language, SUMMARY),
            *((name, language, META) for name in _lesson_names(index, lesson, language)),
        ]
        document.body = (version.digest, version.language, functools.partial(body_text, version))
        yield document


def _lesson_names(index: SiteIndex, lesson: Lesson, language: str) -> Iterable[str]:
    """The names a lesson page shows for its type, themes, places (with their counties) and actors."""
    data = index.data
    yield data.types[lesson.type].name(language)
    for spec in data.list_facets:
        if spec.id == "region":
            continue  # below, with their counties
        for ident in lesson.facet_values(spec.id):
            yield data.facet(spec.id)[ident].name(language)
    for ident in lesson.regions:
        region = data.regions[ident]
        yield region.name(language)
        if region.county:
            yield data.regions[region.county].name(language)


def _facet_documents(index: SiteIndex, style: urls.UrlStyle, language: str) -> Iterator[Document]:
    data = index.data
    label: Callable[[str], str] = lambda key: data.labels(key, language)  # noqa: E731
    yield _page(style, urls.all_lessons_page(), language, label("all.title"), label("all.description"))
    for spec in data.facets:
        facet = spec.id
        description = label(f"facet.{facet}.description")
        yield _page(style, urls.overview_page(spec), language, label(f"facet.{facet}.title"), description)
        for term in data.facet(facet):
            # Only a term's own description: the shared fallback text would match every term.
            document = _page(style, urls.facet_page(spec, term.id), language, term.name(language),
                             term.descriptions.get(language, ""))
            document.facet = facet
            if term.code:
                document.fields.append((term.code, language, META))
            if term.county:
                document.fields.append((data.regions[term.county].name(language), language, META))
            yield document


def _page(style: urls.UrlStyle, page: str, language: str, title: str, summary: str, body: str = "",
          text_language: str | None = None) -> Document:
    text_language = text_language or language
    document = Document(style.url(page), title, summary, "page", text_language)
    document.fields = [(title, text_language, TITLE), (summary, text_language, SUMMARY)]
    if body:
        document.fields.append((body, text_language, BODY))
    return document


def _content_documents(content_pages: list[ContentPage], style: urls.UrlStyle, language: str) -> Iterator[Document]:
    """Hand-written pages in `language` (or in the source language where the site shows them untranslated)."""
    for content in sorted((page for page in content_pages if page.language == language), key=lambda page: page.page):
        yield _page(style, content.page, language, content.title, content.summary, content.text, content.text_language)


def query(index: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The documents of a loaded index that match a query, best first, each with its `score`."""
    languages = list(index["terms"])
    stop = {word for language in languages for word in index["stop"].get(language, ())}
    words = [word for word in searchterms.tokens(text) if word not in stop]
    scores: dict[int, int] | None = None
    for position, word in enumerate(words):
        prefix = position == len(words) - 1 and len(word) >= PREFIX_MIN
        found = _matches(index["terms"], word, prefix)
        scores = found if scores is None else {doc: scores[doc] + score for doc, score in found.items()
                                               if doc in scores}
    ranked = sorted((scores or {}).items(), key=lambda item: (-item[1], item[0]))
    return [dict(index["docs"][doc], score=score) for doc, score in ranked]


def _matches(terms: dict[str, dict[str, list[int]]], word: str, prefix: bool) -> dict[int, int]:
    """Document number -> the best weight with which one query word matches it."""
    best: dict[int, int] = {}

    def add(postings: list[int], factor: int) -> None:
        for i in range(0, len(postings), 2):
            doc, weight = postings[i], postings[i + 1] * factor
            if weight > best.get(doc, 0):
                best[doc] = weight

    for language, dictionary in terms.items():
        stem = searchterms.stemmer(language)(word)
        if stem in dictionary:
            add(dictionary[stem], EXACT)
        if prefix:
            for term, postings in dictionary.items():
                if term != stem and term.startswith(word):
                    add(postings, PREFIX)
    return best
