"""Search: a split index per language, written once per build, read by the browser piece by piece.

`build_indexes()` returns the index files for `GeneratedSite.outputs`, under
`search/` in each language's root (`en/search/`). An index holds every page a
reader of that language may look for: lessons and case notes, the overview and
index pages of themes, places, actors and types, and the hand-written pages. A
lesson without a translation is in the English index once, with its Swedish
text: that text is stemmed as Swedish, the names of its themes and places as
English.

The index is split so that a first query fetches little, whatever the size of the
collection (the README's "Search" has the figures). All files are compact JSON:

- `search/index.json`, the manifest (a few KB + about 6 bytes a document):

      {"version": 2, "language": "sv", "count": 4103,
       "languages": {"sv": {"stop": [stop words…], "keys": ["a", "b", "bo", …],
                            "compounds": {"min": 4, "short": […], "never": […]}}, "en": {…}},
       "kinds": ["lesson", "case", "page", "theme", …], "themes": [["teman/bostader/", "Bostäder"], …],
       "docs": [[kind, theme, theme…], …]}

  `keys` are the dictionary shards of a text language: shard `i` is
  `search/<language>/d<i>.json` and holds every term that begins with `keys[i]` and
  with no longer key. `docs` has, per document number, its kind and themes (for the
  counts per type and theme, without fetching the documents).
- `search/<language>/d<i>.json`, a dictionary shard (at most DICT_TERMS terms):
  `{term: [documents with the whole word, documents with it as a part, group, word, display]}`.
  `word` is 1 when the term is a word of the compound dictionary (it may be a part of
  a query's compound); `display` is the word as the texts most often write it, for
  suggestions.
- `search/<language>/p<group>.json`, postings of consecutive terms (about GROUP_BYTES):
  `{term: [whole, part]}`, each a flat list of pairs (document number minus the previous
  one, weight): title 10, summary and names of themes, places, actors and type 4, body 1
  per occurrence up to 10; `part` for a term that is a part of a compound word (compounds.py).
- `search/doc/<n>.json`, what a result shows: url (relative to the language root),
  title, summary, kind, lang, facet, date, places and the text an excerpt is cut from.

`query()` is the reference search; `content/assets/js/search.js` does the same in
the browser (tests compare them): tokens without stop words, every token must match
(AND). A token matches the stem it has in each text language as a whole word
(weight ×2) or as a part of a compound (×1); the last token, which the reader may still be
typing, also matches the PREFIX_TERMS most frequent stems that begin with it as whole
words (×1). A Swedish token is also split like a compound (`bostadsbrist` -> `bostad` +
`brist`, with the index's dictionary) and matches the documents with both parts (×1).
A document that matches a token only through parts is ranked below every document that
matches it as a word; then by summed weight, then by order in the index (newest lessons
first).
"""

from __future__ import annotations

import bisect
import datetime
import functools
import json
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Lesson, Version
from lardomsbanken.publish import compounds
from lardomsbanken.publish import search_terms as searchterms
from lardomsbanken.publish.compounds import CompoundRules, Splitter
from lardomsbanken.render import urls
from lardomsbanken.render.dates import long_date
from lardomsbanken.runtime.cache import Table

SEARCH_DIR = "search/"
INDEX_FILE = SEARCH_DIR + "index.json"
FORMAT_VERSION = 2
TITLE, SUMMARY, META, BODY = 10, 4, 4, 1
BODY_LIMIT = 10  # occurrences of a word in a body that still add weight
PREFIX_MIN = 2  # the shortest last token that is also matched as a prefix
PREFIX_TERMS = 10  # the most stems a last token is completed to
EXACT, PREFIX, PART = 2, 1, 1
DICT_TERMS = 400  # the most terms of a dictionary shard (unless they all share one key)
GROUP_BYTES = 16_000  # about the size of a postings file, before compression
TEXT_LIMIT = 30_000  # characters of a document's text kept for excerpts
COMPOUND_LANGUAGES = ("sv",)  # languages whose compounds are split
RESULTS_PAGE, RESULTS_ALL = 20, 50  # results shown at a time, unless there are no more than RESULTS_ALL

Weights = dict[str, dict[str, int]]  # text language -> stem -> weight
Counts = dict[str, Any]  # what a document's texts hold, token by token (see _token_counts)


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
    date: str = ""  # as the page's language writes it
    places: list[str] = field(default_factory=list)  # names of its places, for the result
    themes: list[str] = field(default_factory=list)  # theme ids, for the counts per theme
    text: str = ""  # a page's text, for excerpts (a lesson's is its body)

    def key(self) -> tuple[object, ...]:
        """What the document's weights depend on (a body by its digest: it need not be read)."""
        return tuple(self.fields), self.body[:2] if self.body else None

    def body_text(self) -> str:
        return self.body[2]() if self.body else self.text

    def record(self) -> dict[str, object]:
        record: dict[str, object] = {"url": self.url, "title": self.title, "summary": self.summary,
                                     "kind": self.kind, "lang": self.lang}
        if self.facet:
            record["facet"] = self.facet
        if self.date:
            record["date"] = self.date
        if self.places:
            record["places"] = self.places
        return record


def build_indexes(index: SiteIndex, style: urls.UrlStyle, content_pages: Iterable[ContentPage],
                  body_text: Callable[[Version], str], memo: Table[Any] | None = None,
                  languages: Iterable[str] | None = None,
                  rules: CompoundRules | None = None) -> dict[str, str]:
    """Index file path under the site root -> JSON, for every language (or those given).
    `body_text` gives the plain text of a lesson's body (body.Store).

    With a `memo` (a preview's, or the build cache), a document's words are counted
    again only when its texts have changed."""
    content_pages = list(content_pages)
    outputs: dict[str, str] = {}
    for language in languages or index.data.language_codes:
        outputs.update(finish_index(begin_index(index, style, language, body_text, memo, rules), content_pages))
    return outputs


@dataclass
class PartialIndex:
    """A language's index of the collection (lessons, themes, places, actors, types), its words
    counted: the most work, which need not wait for the hand-written pages."""

    index: SiteIndex
    style: urls.UrlStyle
    language: str
    counted: list[tuple[Document, Counts]]
    memo: Table[Any] | None
    rules: CompoundRules


def begin_index(index: SiteIndex, style: urls.UrlStyle, language: str, body_text: Callable[[Version], str],
                memo: Table[Any] | None = None, rules: CompoundRules | None = None) -> PartialIndex:
    count = _counter(memo, language)
    documents = [*_lesson_documents(index, style, language, body_text), *_facet_documents(index, style, language)]
    return PartialIndex(index, style, language, [(document, count(document)) for document in documents], memo,
                        rules or CompoundRules())


def finish_index(partial: PartialIndex, content_pages: Iterable[ContentPage]) -> dict[str, str]:
    """The language's index files, the hand-written pages added."""
    count = _counter(partial.memo, partial.language)
    counted = partial.counted + [(document, count(document))
                                 for document in _content_documents(list(content_pages), partial.style,
                                                                    partial.language)]
    data = partial.index.data
    root = urls.language_root(partial.language, data.source_language) + SEARCH_DIR
    extra = _vocabulary_words(partial.index)
    files = _encode(counted, partial.language, partial.rules, extra, _themes(partial.index, partial.style,
                                                                               partial.language))
    return {root + name: text for name, text in files.items()}


def _counter(memo: Table[Any] | None, language: str) -> Callable[[Document], Counts]:
    if memo is None:
        return _token_counts
    return lambda document: memo.get(("words", language, document.url), document.key(),
                                     lambda: _token_counts(document))


def index_path(language: str, source_language: str) -> str:
    return urls.language_root(language, source_language) + INDEX_FILE


def page_links(page: str, language: str, source_language: str, style: urls.UrlStyle) -> dict[str, str]:
    """Relative links from a page to its language's index, its language root and the site root
    (and how many results the page shows at a time)."""
    root = urls.language_root(language, source_language)
    here = root + style.url(page)
    base = here if here.endswith("/") else posixpath.dirname(here)

    def link(target: str) -> str:
        relative = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        return relative if not (target == "" or target.endswith("/")) else ("./" if relative == "." else relative + "/")

    return {"index": link(root + INDEX_FILE), "root": link(root), "site": link(""),
            "page": str(RESULTS_PAGE), "all": str(RESULTS_ALL)}


SEARCH_LABELS = ("counts_type", "counts_theme", "count_item", "suggest", "suggest_themes", "more", "places")


def page_labels(data: SiteData, language: str) -> dict[str, Any]:
    """The words search.js writes into the results page, in the page's language."""
    def label(key: str, **params: str) -> str:
        return data.labels(key, language, **params)

    kinds = {term.id: term.name(language) for term in data.types}
    kinds.update({kind: label(f"search.kind.{kind}") for kind in ("page", *data.facet_ids)})
    return {
        "status": {state: label(f"search.status.{state}")
                   for state in ("empty", "loading", "error", "none", "one", "other")},
        "kind": kinds,
        "in_language": {code: label("list.in_language", language=label(f"language.{code}"))
                        for code in data.language_codes},
        "text": {name: label(f"search.{name}") for name in SEARCH_LABELS},
    }


# --- words ---------------------------------------------------------------------------------


def _token_counts(document: Document) -> Counts:
    """What a document's texts hold: per text language, each token's weight from the title,
    summary and names (`fields`), and each token's occurrences in the bodies (`bodies`)."""
    fields: dict[str, dict[str, int]] = {}
    bodies: dict[str, dict[str, int]] = {}
    texts = list(document.fields)
    if document.body is not None:
        texts.append((document.body[2](), document.body[1], BODY))
    for text, language, weight in texts:
        is_body = weight == BODY
        found = (bodies if is_body else fields).setdefault(language, {})
        factor = 1 if is_body else weight
        for token, count in Counter(searchterms.tokens(text)).items():
            found[token] = found.get(token, 0) + factor * count
    return {"fields": fields, "bodies": bodies}


def _weights(counts: Counts, stem_of: Callable[[str, str], str],
             parts_of: Callable[[str, str], tuple[str, ...]]) -> tuple[Weights, Weights]:
    """(whole, part): language -> stem -> weight. Body occurrences count up to BODY_LIMIT per stem."""
    sums: dict[str, Weights] = {}  # fields whole, fields part, bodies whole, bodies part
    for source in ("fields", "bodies"):
        whole: Weights = sums.setdefault(source + ".whole", {})
        part: Weights = sums.setdefault(source + ".part", {})
        for language, tokens in counts[source].items():
            stop = searchterms.stop_words(language)
            into_whole = whole.setdefault(language, {})
            into_part = part.setdefault(language, {})
            for token, value in tokens.items():
                if token in stop:
                    continue
                stem = stem_of(language, token)
                into_whole[stem] = into_whole.get(stem, 0) + value
                for piece in parts_of(language, token):
                    into_part[piece] = into_part.get(piece, 0) + value
    result: list[Weights] = []
    for kind in ("whole", "part"):
        weights = sums["fields." + kind]
        for language, stems in sums["bodies." + kind].items():
            into = weights.setdefault(language, {})
            for stem, count in stems.items():
                into[stem] = into.get(stem, 0) + BODY * min(count, BODY_LIMIT)
        result.append({language: stems for language, stems in weights.items() if stems})
    return result[0], result[1]


def _vocabulary_words(index: SiteIndex) -> dict[str, list[str]]:
    """Words of the vocabularies and of every lesson's title and summary, per language: the
    compound dictionary knows them whichever lessons an index holds."""
    data = index.data
    words: dict[str, list[str]] = {}
    for code in data.language_codes:
        texts: list[str] = []
        for facet in data.facet_ids:
            for term in data.facet(facet):
                texts.append(term.name(code))
                texts.append(term.descriptions.get(code, ""))
        for lesson in index.lessons.values():
            version = lesson.versions.get(code)
            if version is not None:
                texts += [version.title, version.summary]
        words[code] = [token for text in texts for token in searchterms.tokens(text)]
    return words


def splitter(language: str, rules: CompoundRules, words: Iterable[str]) -> Splitter | None:
    """The compound splitter of a text language, with the dictionary made of `words` (the
    collection's own) and the rules' list; None for a language whose compounds are not split."""
    if language not in COMPOUND_LANGUAGES:
        return None
    stem = searchterms.stemmer(language)
    stop = searchterms.stop_words(language)
    return Splitter(rules, stem, compounds.dictionary(words, rules, stem, stop), stop)


# --- the files -----------------------------------------------------------------------------


def encode(documents: list[Document], language: str, rules: CompoundRules | None = None) -> dict[str, str]:
    """The index files (names relative to `search/`) of the given documents."""
    return _encode([(document, _token_counts(document)) for document in documents], language,
                   rules or CompoundRules(), {}, [])


def _encode(counted: list[tuple[Document, Counts]], language: str, rules: CompoundRules,
            extra_words: Mapping[str, list[str]], themes: list[tuple[str, str, str]]) -> dict[str, str]:
    text_languages = sorted({code for _, counts in counted for section in ("fields", "bodies")
                             for code, tokens in counts[section].items() if tokens})
    # The compound dictionary of each text language: every word its texts use on their own.
    splitters: dict[str, Splitter | None] = {}
    surface: dict[str, Counter[str]] = {code: Counter() for code in text_languages}
    for _, counts in counted:
        for section in ("fields", "bodies"):
            for code, tokens in counts[section].items():
                surface[code].update(tokens)
    for code in text_languages:
        splitters[code] = splitter(code, rules, [*surface[code], *extra_words.get(code, ())])

    def stem_of(code: str, token: str) -> str:
        return searchterms.stemmer(code)(token)

    def parts_of(code: str, token: str) -> tuple[str, ...]:
        split = splitters.get(code)
        return split.parts(token) if split is not None else ()

    postings: dict[str, dict[str, tuple[list[int], list[int]]]] = {code: {} for code in text_languages}
    for number, (_, counts) in enumerate(counted):
        whole, part = _weights(counts, stem_of, parts_of)
        for which, weights in ((0, whole), (1, part)):
            for code, stems in weights.items():
                table = postings[code]
                for stem, weight in stems.items():
                    lists = table.get(stem)
                    if lists is None:
                        lists = table[stem] = ([], [])
                    lists[which].extend((number, weight))

    files: dict[str, str] = {}
    manifest_languages: dict[str, Any] = {}
    for code in text_languages:
        split = splitters[code]
        display = _display_words(surface[code], code)
        keys, shards, groups = _split_terms(postings[code], split, display)
        for number, shard in enumerate(shards):
            files[f"{code}/d{number}.json"] = _json(shard)
        for number, group in enumerate(groups):
            files[f"{code}/p{number}.json"] = _json(group)
        described: dict[str, Any] = {"stop": sorted(searchterms.stop_words(code)), "keys": keys}
        if split is not None:
            described["compounds"] = {"min": rules.min_part, "short": sorted(rules.short_parts),
                                      "heads": sorted(rules.short_heads), "never": sorted(rules.never)}
        manifest_languages[code] = described

    kinds: list[str] = []
    theme_numbers = {ident: number for number, (ident, _, _) in enumerate(themes)}
    docs: list[list[int]] = []
    for number, (document, _) in enumerate(counted):
        doc_kind = document.facet or document.kind
        if doc_kind not in kinds:
            kinds.append(doc_kind)
        docs.append([kinds.index(doc_kind), *(theme_numbers[t] for t in document.themes if t in theme_numbers)])
        record = document.record()
        record["text"] = document.body_text()[:TEXT_LIMIT]
        files[f"doc/{number}.json"] = _json(record)
    files["index.json"] = _json({
        "version": FORMAT_VERSION, "language": language, "count": len(counted), "languages": manifest_languages,
        "kinds": kinds, "themes": [[url, name] for _, url, name in themes], "docs": docs,
    })
    return files


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _display_words(surface: Counter[str], language: str) -> dict[str, str]:
    """Stem -> the form the texts use most (then the shortest, then the first in order)."""
    stem = searchterms.stemmer(language)
    best: dict[str, tuple[int, int, str]] = {}
    for token, count in surface.items():
        term = stem(token)
        rank = (-count, len(token), token)
        if term not in best or rank < best[term]:
            best[term] = rank
    return {term: rank[2] for term, rank in best.items()}


def _split_terms(table: dict[str, tuple[list[int], list[int]]], split: Splitter | None,
                 display: dict[str, str]) -> tuple[list[str], list[dict[str, list[Any]]],
                                                   list[dict[str, list[list[int]]]]]:
    """The dictionary shards (their keys and contents) and the postings groups of one text language."""
    terms = sorted(table)
    groups: list[dict[str, list[list[int]]]] = []
    group_of: dict[str, int] = {}
    size = GROUP_BYTES
    for term in terms:
        lists = [_deltas(table[term][0]), _deltas(table[term][1])]
        length = len(term) + sum(len(str(value)) + 1 for values in lists for value in values) + 8
        if size + length > GROUP_BYTES:
            groups.append({})
            size = 0
        groups[-1][term] = lists
        group_of[term] = len(groups) - 1
        size += length
    keys = _shard_keys(terms)
    shards: list[dict[str, list[Any]]] = [{} for _ in keys]
    position = {key: number for number, key in enumerate(keys)}
    for term in terms:
        whole, part = table[term]
        word = 1 if split is not None and term in split.known else 0
        entry: list[Any] = [len(whole) // 2, len(part) // 2, group_of[term], word]
        if term in display and display[term] != term:
            entry.append(display[term])
        key = shard_key(term, keys)
        assert key is not None  # every term has a shard: the keys are made from the terms
        shards[position[key]][term] = entry
    return keys, shards, groups


def _shard_keys(terms: list[str]) -> list[str]:
    """Keys (prefixes) such that each shard, the terms whose longest key prefix is its key, has at
    most DICT_TERMS terms, or only terms that are all its key's continuation by one more letter."""
    keys: list[str] = []

    def place(prefix: str, group: list[str]) -> None:
        if len(group) <= DICT_TERMS:
            keys.append(prefix)
            return
        own = [term for term in group if len(term) == len(prefix)]
        if own:
            keys.append(prefix)
        children: dict[str, list[str]] = {}
        for term in group:
            if len(term) > len(prefix):
                children.setdefault(term[:len(prefix) + 1], []).append(term)
        for child in sorted(children):
            place(child, children[child])

    if terms:
        place("", terms)
    return sorted(keys)


def shard_key(term: str, keys: list[str]) -> str | None:
    """The longest key that begins `term`: its dictionary shard."""
    for length in range(len(term), -1, -1):
        if _contains(keys, term[:length]):
            return term[:length]
    return None


def _contains(keys: list[str], key: str) -> bool:
    at = bisect.bisect_left(keys, key)
    return at < len(keys) and keys[at] == key


def _deltas(pairs: list[int]) -> list[int]:
    """Flat (document, weight) pairs with each document number as the difference to the previous."""
    result: list[int] = []
    previous = 0
    for i in range(0, len(pairs), 2):
        result += (pairs[i] - previous, pairs[i + 1])
        previous = pairs[i]
    return result


def _undelta(deltas: list[int]) -> Iterator[tuple[int, int]]:
    document = 0
    for i in range(0, len(deltas), 2):
        document += deltas[i]
        yield document, deltas[i + 1]


# --- the documents -------------------------------------------------------------------------


def _lesson_documents(index: SiteIndex, style: urls.UrlStyle, language: str,
                      body_text: Callable[[Version], str]) -> Iterator[Document]:
    data = index.data
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
        document.date = _date(lesson.date, data, language)
        document.places = [data.regions[ident].name(language) for ident in lesson.regions]
        document.themes = list(lesson.themes)
        yield document


def _date(date: datetime.date, data: SiteData, language: str) -> str:
    return long_date(date, data.language(language))


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


def _themes(index: SiteIndex, style: urls.UrlStyle, language: str) -> list[tuple[str, str, str]]:
    """(id, url, name) of every theme, for the counts per theme and the suggestions."""
    spec = index.data.spec("theme")
    return [(term.id, style.url(urls.facet_page(spec, term.id)), term.name(language)) for term in index.data.themes]


def _facet_documents(index: SiteIndex, style: urls.UrlStyle, language: str) -> Iterator[Document]:
    data = index.data

    def label(key: str) -> str:
        return data.labels(key, language)

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
    document.text = body or summary
    return document


def _content_documents(content_pages: list[ContentPage], style: urls.UrlStyle, language: str) -> Iterator[Document]:
    """Hand-written pages in `language` (or in the source language where the site shows them untranslated)."""
    for content in sorted((page for page in content_pages if page.language == language), key=lambda page: page.page):
        yield _page(style, content.page, language, content.title, content.summary, content.text, content.text_language)


# --- the reference query -------------------------------------------------------------------


class SearchIndex:
    """A language's index as the browser reads it: file by file, as a query needs them.
    `load(name)` gives a file's JSON text by its name under `search/`; `fetched` lists
    what was read, in order."""

    def __init__(self, load: Callable[[str], str]) -> None:
        self._load = load
        self._files: dict[str, Any] = {}
        self.fetched: list[str] = []
        self.manifest: dict[str, Any] = self.file("index.json")

    @classmethod
    def from_files(cls, files: Mapping[str, str], root: str = "") -> SearchIndex:
        """From build outputs (paths under the site root; `root`, the language root + `search/`)."""
        return cls(lambda name: files[root + name])

    def file(self, name: str) -> Any:
        if name not in self._files:
            self.fetched.append(name)
            self._files[name] = json.loads(self._load(name))
        return self._files[name]

    @property
    def languages(self) -> list[str]:
        return list(self.manifest["languages"])

    def stop(self) -> set[str]:
        return {word for entry in self.manifest["languages"].values() for word in entry["stop"]}

    def entry(self, language: str, term: str) -> list[Any] | None:
        keys = self.manifest["languages"][language]["keys"]
        key = shard_key(term, keys)
        if key is None:
            return None
        found: list[Any] | None = self.file(f"{language}/d{keys.index(key)}.json").get(term)
        return found

    def with_prefix(self, language: str, prefix: str) -> dict[str, list[Any]]:
        """Every term that begins with `prefix`, with its dictionary entry."""
        keys: list[str] = self.manifest["languages"][language]["keys"]
        shards = {key for key in keys if key.startswith(prefix) and len(key) > len(prefix)}
        own = shard_key(prefix, keys)
        if own is not None:
            shards.add(own)
        found: dict[str, list[Any]] = {}
        for key in sorted(shards):
            for term, entry in self.file(f"{language}/d{keys.index(key)}.json").items():
                if term.startswith(prefix):
                    found[term] = entry
        return found

    def postings(self, language: str, term: str, entry: list[Any], kind: int) -> Iterator[tuple[int, int]]:
        return _undelta(self.file(f"{language}/p{entry[2]}.json")[term][kind])

    def document(self, number: int) -> dict[str, Any]:
        found: dict[str, Any] = self.file(f"doc/{number}.json")
        return found


@dataclass
class Hit:
    document: int
    score: int
    parts: int  # how many query words it matches only through parts of compounds


def query(index: SearchIndex, text: str) -> list[dict[str, Any]]:
    """The documents of an index that match a query, best first, each with its `score`."""
    return [dict(index.document(hit.document), score=hit.score) for hit in search(index, text)]


def search(index: SearchIndex, text: str) -> list[Hit]:
    """The matching documents' numbers, best first (see the module's description)."""
    stop = index.stop()
    words = [word for word in searchterms.tokens(text) if word not in stop]
    combined: dict[int, Hit] | None = None
    for position, word in enumerate(words):
        whole, part = _word_matches(index, word, position == len(words) - 1)
        found = {doc: Hit(doc, score, 0) for doc, score in whole.items()}
        for doc, score in part.items():
            if doc not in found:
                found[doc] = Hit(doc, score, 1)
        if combined is None:
            combined = found
        else:
            combined = {doc: Hit(doc, hit.score + found[doc].score, hit.parts + found[doc].parts)
                        for doc, hit in combined.items() if doc in found}
    hits = list((combined or {}).values())
    hits.sort(key=lambda hit: (hit.parts, -hit.score, hit.document))
    return hits


def _word_matches(index: SearchIndex, word: str, last: bool) -> tuple[dict[int, int], dict[int, int]]:
    """(whole, part): document -> the best weight with which one query word matches it as a
    word, or only as part of a compound."""
    whole: dict[int, int] = {}
    part: dict[int, int] = {}

    def add(best: dict[int, int], postings: Iterable[tuple[int, int]], factor: int) -> None:
        for doc, weight in postings:
            if weight * factor > best.get(doc, 0):
                best[doc] = weight * factor

    for language in index.languages:
        stem = searchterms.stemmer(language)(word)
        entry = index.entry(language, stem)
        if entry is not None:
            add(whole, index.postings(language, stem, entry, 0), EXACT)
            add(part, index.postings(language, stem, entry, 1), PART)
        if last and len(word) >= PREFIX_MIN:
            candidates = [(term, found) for term, found in index.with_prefix(language, word).items()
                          if term != stem and found[0]]
            candidates.sort(key=lambda item: (-item[1][0], item[0]))
            for term, found in candidates[:PREFIX_TERMS]:
                add(whole, index.postings(language, term, found, 0), PREFIX)
    for language in index.languages:
        for doc, score in _split_matches(index, language, word).items():
            if score > part.get(doc, 0):
                part[doc] = score
    return whole, part


def _split_matches(index: SearchIndex, language: str, word: str) -> dict[int, int]:
    """A query word split like a compound: the documents with both parts (as words or as
    parts of their compounds), with the sum of the parts' best weights."""
    found = index.manifest["languages"][language].get("compounds")
    if found is None:
        return {}
    rules = CompoundRules(found["min"], frozenset(found["short"]), frozenset(found["heads"]),
                          frozenset(found["never"]))
    stem = searchterms.stemmer(language)
    stop = frozenset(index.stop())

    def is_part(piece: str, head: bool) -> bool:
        if not rules.allows(piece, head, stem, stop):
            return False
        entry = index.entry(language, stem(piece))
        return entry is not None and entry[3] == 1

    split = compounds.best_split(word, is_part, is_part)
    if split is None:
        return {}
    scores: dict[int, int] | None = None
    for piece in split:
        best: dict[int, int] = {}
        # The part's stem, and the part as written (without a linking s) where that is a stem
        # too (`bostad` is the stem of `bostäder`, `bost` that of `bostad`).
        written = piece[:-1] if piece.endswith(compounds.LINKING) else piece
        for term in dict.fromkeys((stem(piece), written)):
            entry = index.entry(language, term)
            if entry is None:
                continue
            for kind in (0, 1):
                for doc, weight in index.postings(language, term, entry, kind):
                    best[doc] = max(best.get(doc, 0), weight * PART)
        scores = best if scores is None else {doc: scores[doc] + score for doc, score in best.items()
                                              if doc in scores}
    return scores or {}
