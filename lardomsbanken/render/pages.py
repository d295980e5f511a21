"""Turning the index into pages: the content of every generated page, in every language.

Generated pages are HTML made by the Jinja2 templates in `templates/`, with
autoescaping on: titles and summaries are text, never markup. A page's
headings get ids the way a lesson body's do (GitHub's) and make its table of
contents. What surrounds the content (the theme's frame) is not made here:
`RenderedPage` carries the values that differ from page to page, and
`publish.py` puts them into the theme's frame.
"""

from __future__ import annotations

import functools
import hashlib
import html
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from lardomsbanken.index.collation import collation_key
from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load import body as bodies
from lardomsbanken.load.vocabularies import Term
from lardomsbanken.model.lesson import Lesson, Version
from lardomsbanken.model.page import RenderedPage, TocEntry
from lardomsbanken.render import urls
from lardomsbanken.render.dates import long_date
from lardomsbanken.render.tilemap import build_tile_map
from lardomsbanken.runtime.cache import Memo

TEMPLATES = Path(__file__).parent / "templates"


def nest(title: tuple[str, str], headings: list[tuple[int, str, str]]) -> tuple[TocEntry, ...]:
    """The page's table of contents as MkDocs makes it: the page's title (its level 1
    heading, `title` as (id, text)) holding the headings after it, each holding the deeper
    ones after it."""
    # An entry while the list is made: (level, [level, id, text, the entries below it]).
    root: list[tuple[int, list[Any]]] = []
    stack: list[tuple[int, list[Any]]] = []
    for level, ident, text in headings:
        if level < 2:
            continue
        node = (level, [level, ident, text, []])
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1][3] if stack else root).append(node)
        stack.append(node)

    def freeze(nodes: list[tuple[int, list[Any]]]) -> tuple[TocEntry, ...]:
        return tuple(TocEntry(fields[0], fields[1], fields[2], freeze(fields[3])) for _, fields in nodes)

    return (TocEntry(1, title[0], title[1], freeze(root)),)


@dataclass
class _PageState:
    """What one page's rendering collects: its headings, each id used once."""

    ids: bodies.HeadingIds = field(default_factory=bodies.HeadingIds)
    headings: list[tuple[int, str, str]] = field(default_factory=list)


class Renderer:
    def __init__(self, index: SiteIndex, style: urls.UrlStyle, site_url: str = "", memo: Memo | None = None,
                 memo_key: Hashable = ""):
        """With a `memo`, lesson cards are rendered once as long as they do not change; `memo_key`
        stands for everything else a card shows (vocabularies, templates)."""
        self.index = index
        self.data = index.data
        self.style = style
        self.site_url = site_url
        self.env = environment()
        self.memo, self.memo_key = memo, memo_key
        self.bodies = bodies.Store(
            {code: bodies.words_from(self.data.labels, code) for code in self.data.language_codes},
            memo.bodies if memo is not None else None)
        self._sort_keys = {language.code: collation_key(language) for language in self.data.languages}
        self.tile_map = build_tile_map(index)
        # A lesson's card is the same on every list page of a language whose link to it
        # is the same, and lists repeat lessons many times: render each card once.
        self._cards: dict[tuple[str, str, str, bool], Markup] = {}
        self._templates: dict[str, jinja2.Template] = {}
        self._links: dict[tuple[str, str, str], Markup] = {}
        # (where the page's links resolve from, page linked, language)
        self._term_links: dict[tuple[str, str, str, str], str] = {}

    def template(self, name: str) -> jinja2.Template:
        """A template, looked up once per build (the environment asks the file system each time)."""
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def sorter(self, language: str) -> Callable[[Iterable[Term]], list[Term]]:
        """Sorts terms by their names as the language sorts them."""
        key = self._sort_keys[language]
        return lambda terms: sorted(terms, key=lambda term: key(term.name(language)))

    def render(self, template: str, page: str, language: str, title: str, description: str,
               hide_toc: bool = False, edit: str | None = None, **context: Any) -> RenderedPage:
        """A whole page's content, and what its frame needs to know about it."""
        state = _PageState()
        helpers = self._helpers(page, language, state)
        title_id = state.ids.take(title)  # the page's <h1>, first in its contents
        content = self.template(template).render(**helpers, title_id=title_id, **context).strip("\n") + "\n"
        return RenderedPage(page, language, title, description, content, nest((title_id, title), state.headings),
                            edit=edit, hide_toc=hide_toc)

    def fragment(self, template: str, page: str, language: str, **context: Any) -> str:
        """A piece of HTML for a hand-written page (a directive's output)."""
        helpers = self._helpers(page, language, _PageState())
        return self.template(template).render(**helpers, **context).strip("\n")

    def body_addresses(self, version: Version, page: str) -> list[str]:
        """The address of each link and image of a lesson body that points into the site,
        HTML-escaped, for `body.fill`; a link's also gives its address for print."""
        addresses = []
        for target in version.targets:
            if target.lesson is not None:
                to = urls.lesson_page(target.lesson)
                href = self.style.href(page, to) + target.suffix
                printed = urls.absolute_page(self.site_url, self.style, to, version.language,
                                             self.data.source_language) + target.suffix
                addresses.append(f'{bodies.escape_address(href)}" data-print-href="{bodies.escape_address(printed)}')
            else:
                href = self.style.file_href(page, f"{urls.LESSONS}/{target.file}") + target.suffix
                addresses.append(bodies.escape_address(href) if target.image else
                                 f'{bodies.escape_address(href)}" data-print-href="'
                                 + bodies.escape_address(urls.absolute(self.site_url, f"{urls.LESSONS}/{target.file}")))
        return addresses

    def _helpers(self, page: str, language: str, state: _PageState) -> dict[str, Any]:
        data, index = self.data, self.index
        source = data.source_language

        def t(key: str, **params: Any) -> str:
            return data.labels(key, language, **params)

        def href(to_page: str) -> str:
            return self.style.href(page, to_page)

        base = self.style.base(page)

        def print_href(to_page: str) -> str:
            """A page's absolute address, which print.css writes out after a link on paper."""
            return urls.absolute_page(self.site_url, self.style, to_page, language, source)

        def link(to_page: str) -> Markup:
            """A link's attributes: its relative address, and its absolute one for print."""
            key = (base, to_page, language)
            found = self._links.get(key)
            if found is None:
                found = self._links[key] = Markup(f'href="{Markup.escape(href(to_page))}" '
                                                  f'data-print-href="{Markup.escape(print_href(to_page))}"')
            return found

        def file_link(path: str, site_root: bool = False) -> Markup:
            printed = urls.absolute(self.site_url,
                                    (urls.language_root(language, source) if not site_root else "") + path)
            return Markup(f'href="{Markup.escape(file_href(path, site_root))}" '
                          f'data-print-href="{Markup.escape(printed)}"')

        def term_links(facet: str, ids: Iterable[str]) -> Markup:
            return Markup(", ".join(term_link(facet, ident) for ident in ids))

        def term_link(facet: str, ident: str) -> str:
            key = (base, facet, ident, language)
            found = self._term_links.get(key)
            if found is None:
                name = html.escape(data.facet(facet)[ident].name(language), quote=False)
                found = self._term_links[key] = f"<a {link(urls.facet_page(data.spec(facet), ident))}>{name}</a>"
            return found

        def lesson_list(lessons: Sequence[Lesson], filterable: bool = False) -> Markup:
            if not lessons:
                return Markup(f'<p class="ld-empty">{Markup.escape(t("list.empty"))}</p>')
            cards = "\n".join(card(lesson, filterable) for lesson in lessons)
            return Markup('<ul class="ld-list">\n' + cards + "\n</ul>")

        def file_href(path: str, site_root: bool = False) -> str:
            """A link to a file under this language's root, or with `site_root` under the site root."""
            return self.style.file_href(page, path, urls.language_root(language, source) if site_root else "")

        sort_terms = self.sorter(language)

        def count_text(count: int) -> str:
            form = "zero" if count == 0 else "one" if count == 1 else "other"
            return t(f"count.{form}", count=count)

        def text_lang(lesson: Lesson) -> str | None:
            """The language of the lesson's words when it differs from the page's."""
            return None if lesson.is_translated(language) else source

        def heading(level: int, text: str) -> Markup:
            ident = state.ids.take(text)
            state.headings.append((level, ident, text))
            return Markup(f'<h{level} id="{Markup.escape(ident)}">{Markup.escape(text)}</h{level}>')

        def body(version: Version) -> Markup:
            """A lesson body, its links made relative to this page; its headings join the page's."""
            read = self.bodies.get(version)
            for item in read.headings:
                state.ids.used.setdefault(item.id, 0)
                state.headings.append((item.level, item.id, item.title))
            return Markup(bodies.fill(read.html, self.body_addresses(version, page)))

        def card(lesson: Lesson, filterable: bool = False) -> Markup:
            key = (lesson.slug, language, href(urls.lesson_page(lesson.slug)), filterable)
            if key not in self._cards:
                def render() -> Markup:
                    rendered = self.template("_card.html.j2").render(**helpers, lesson=lesson,
                                                                              filterable=filterable)
                    return Markup(rendered.strip("\n"))

                self._cards[key] = render() if self.memo is None else \
                    self.memo.cards.get(key, (self.index.digest(lesson), self.memo_key), render)
            return self._cards[key]

        helpers = {
            "card": card,
            "heading": heading,
            "body": body,
            "lang": language,
            "source_language": source,
            "t": t,
            "href": href,
            "print_href": print_href,
            "link": link,
            "file_link": file_link,
            "file_href": file_href,
            "term_links": term_links,
            "lesson_list": lesson_list,
            "name": lambda term: term.name(language),
            "date": lambda value: long_date(value, data.language(language)),
            "period": lambda period: (period.text() if period.end is not None
                                      else t("period.ongoing", start=period.start)),
            "count_text": count_text,
            "text_lang": text_lang,
            "sort_terms": sort_terms,
            "regions": data.regions,
            "data_places": data.places,  # every municipality of Sweden and SKR's groups
            "themes": data.themes,
            "actors": data.actors,
            "types": data.types,
            "index": index,
            "facets": data.facets,
            "vocabulary": data.facet,
            "term_page": lambda facet, ident: urls.facet_page(data.spec(facet), ident),
            "overview_page": lambda facet: urls.overview_page(data.spec(facet)),
            # The all-lessons page's filters in its address: `?tema=bostader&ar=2024`.
            "filter_params": {**{spec.id: spec.param for spec in data.facets}, "group": urls.GROUP_PARAM,
                              "year": urls.YEAR_PARAM},
            "tile_map_data": self.tile_map,
            "urls": urls,
            "language_name": lambda code: t(f"language.{code}"),
            "version": lambda lesson: lesson.version(language),
        }
        return helpers


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The templates' environment, one per process: it compiles each template once and again
    only when its file changes (a preview runs many builds)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=True,
    )


def templates_fingerprint() -> str:
    """The templates as they are now (edited during a preview, they are read again)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(TEMPLATES.glob("*.j2")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


RenderFunction = Callable[[], RenderedPage]
