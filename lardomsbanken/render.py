"""Turning the index into Markdown source pages, one per page and language.

Generated pages are Markdown files with an HTML skeleton made by Jinja2
templates in `templates/`, with autoescaping on: titles and summaries are
text, never markup. The site engine renders them like hand-written pages.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Hashable

import jinja2
from markupsafe import Markup

from . import urls
from .collation import collation_key
from .dates import long_date
from .index import SiteIndex
from .memo import Memo
from .model import Lesson, lesson_fingerprint
from .tilemap import build_tile_map
from .yamlsource import dump_plain

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class PageContext:
    """What a template needs to know about the page it renders."""

    page: str
    language: str


class Renderer:
    def __init__(self, index: SiteIndex, style: urls.UrlStyle, memo: Memo | None = None, memo_key: Hashable = ""):
        """With a preview's `memo`, templates are compiled and lesson cards rendered once per
        session; `memo_key` stands for everything else a card shows (vocabularies, templates)."""
        self.index = index
        self.data = index.data
        self.style = style
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=memo.templates if memo is not None else None,
        )
        self.memo, self.memo_key = memo, memo_key
        self._sort_keys = {language.code: collation_key(language) for language in self.data.languages}
        self.tile_map = build_tile_map(index)
        # A lesson's card is the same on every list page of a language whose link to it
        # is the same, and lists repeat lessons many times: render each card once.
        self._cards: dict[tuple[str, str, str, bool], Markup] = {}
        self.islands = Islands()

    def sorter(self, language: str):
        """Sorts terms by their names as the language sorts them."""
        key = self._sort_keys[language]
        return lambda terms: sorted(terms, key=lambda term: key(term.name(language)))

    def render(self, template: str, page: str, language: str, title: str, description: str,
               hide: tuple[str, ...] = (), **context: Any) -> str:
        """A whole page; `hide` lists parts of the theme's layout the page does without (`toc`)."""
        helpers = self._helpers(PageContext(page, language))
        body = self.env.get_template(template).render(**helpers, **context)
        return _front_matter(title, description, hide) + body

    def fragment(self, template: str, page: str, language: str, **context: Any) -> str:
        """A piece of HTML for a hand-written page (a directive's output)."""
        helpers = self._helpers(PageContext(page, language))
        return self.env.get_template(template).render(**helpers, **context).strip("\n")

    def _helpers(self, here: PageContext) -> dict[str, Any]:
        data, index, language = self.data, self.index, here.language
        source = data.source_language

        def t(key: str, **params: Any) -> str:
            return data.labels(key, language, **params)

        def href(page: str) -> str:
            return self.style.href(here.page, page)

        def file_href(path: str, site_root: bool = False) -> str:
            """A link to a file under this language's root, or with `site_root` under the site root."""
            return self.style.file_href(here.page, path, urls.language_root(language, source) if site_root else "")

        sort_terms = self.sorter(language)

        def count_text(count: int) -> str:
            form = "zero" if count == 0 else "one" if count == 1 else "other"
            return t(f"count.{form}", count=count)

        def text_lang(lesson: Lesson) -> str | None:
            """The language of the lesson's words when it differs from the page's."""
            return None if lesson.is_translated(language) else source

        def card(lesson: Lesson, filterable: bool = False) -> Markup:
            key = (lesson.slug, language, href(urls.lesson_page(lesson.slug)), filterable)
            if key not in self._cards:
                def render() -> Markup:
                    rendered = self.env.get_template("_card.html.j2").render(**helpers, lesson=lesson,
                                                                              filterable=filterable)
                    return Markup(rendered.strip("\n"))

                self._cards[key] = render() if self.memo is None else \
                    self.memo.cards.get(key, (lesson_fingerprint(lesson), self.memo_key), render)
            return self._cards[key]

        helpers = {
            "card": card,
            "island": self.islands.add,
            "lang": language,
            "source_language": source,
            "t": t,
            "href": href,
            "file_href": file_href,
            "name": lambda term: term.name(language),
            "date": lambda value: long_date(value, data.language(language)),
            "count_text": count_text,
            "text_lang": text_lang,
            "sort_terms": sort_terms,
            "regions": data.regions,
            "themes": data.themes,
            "actors": data.actors,
            "types": data.types,
            "index": index,
            "tile_map_data": self.tile_map,
            "urls": urls,
            "language_name": lambda code: t(f"language.{code}"),
            "version": lambda lesson: lesson.version(language),
        }
        return helpers


class Islands:
    """Finished HTML kept out of a page's Markdown, put back in the page's HTML.

    A list of a thousand lessons is plain HTML, and Markdown would only read it
    through to copy it: the page's Markdown holds a comment naming the HTML by
    its digest instead (so the page's source still changes when the list does),
    and the site engine puts the HTML in its place (`restore`).
    """

    _MARK = re.compile(r"<!-- lardom:island (?P<digest>[0-9a-f]{20}) -->")

    def __init__(self) -> None:
        self.html: dict[str, str] = {}

    def add(self, html: str) -> Markup:
        html = str(html).strip("\n")
        digest = hashlib.blake2b(html.encode("utf-8"), digest_size=10).hexdigest()
        self.html[digest] = html
        return Markup(f"<!-- lardom:island {digest} -->")

    def used_by(self, text: str) -> dict[str, str]:
        return {digest: self.html[digest] for digest in self._MARK.findall(text)}

    def restore(self, html: str) -> str:
        if "lardom:island" not in html:
            return html
        return self._MARK.sub(lambda match: self.html.get(match.group("digest"), match.group(0)), html)


def templates_fingerprint() -> tuple:
    """The templates as they are now (edited during a preview, they are read again)."""
    return tuple((path.name, path.stat().st_mtime_ns) for path in sorted(TEMPLATES.glob("*.j2")))


def _front_matter(title: str, description: str, hide: tuple[str, ...] = ()) -> str:
    # Material prints meta title and description into HTML unescaped, so they
    # are stored escaped: the reader then sees exactly what the editor wrote.
    meta: dict[str, Any] = {"title": html.escape(title), "description": html.escape(description)}
    if hide:
        meta["hide"] = list(hide)
    return "---\n" + dump_plain(meta) + "---\n\n"
