"""From a project folder to every page and file of the collection: the core in a few calls.

`prepare()` loads and checks the data and the lessons (every content error
is found here, before anything is written), builds the index once and plans
every generated page of every language. Then:

- `GeneratedSite.render(plan)` makes one page's content (`render.RenderedPage`);
  `publish.py` puts it in the theme's frame and writes it;
- `fill_directives()` fills the directives of a hand-written page the site
  engine has rendered (`<!-- lardom:latest 6 -->`), `expand_directives()`
  those that must be Markdown (they add headings to the page's contents);
- `outputs()` makes the files that are not pages: feeds, open data, the
  catalogue, the sitemap and the search indexes.

Nothing here knows the site engine. The engine renders the hand-written
pages in `content/` and the theme's frame; the core renders the collection.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lardomsbanken.index.site_index import SiteIndex, build_index
from lardomsbanken.load import body as bodies
from lardomsbanken.load.dataset import DatasetFacts, load_dataset_facts
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.load.vocabularies import SiteData, data_fingerprint, load_site_data
from lardomsbanken.model.lesson import Asset, Lesson, Version
from lardomsbanken.model.page import FrameKey, PagePlan, RenderedPage, Section
from lardomsbanken.model.problems import ContentErrors, Position, Problem
from lardomsbanken.pipeline import places as places_pages
from lardomsbanken.publish import dcat, feeds, opendata
from lardomsbanken.publish import search_index as search
from lardomsbanken.publish.compounds import CompoundRules
from lardomsbanken.publish.compounds import load_rules as load_compound_rules
from lardomsbanken.publish.head import HeadWriter
from lardomsbanken.publish.sitemap import build_sitemap
from lardomsbanken.render import urls
from lardomsbanken.render.field_guide import field_rows
from lardomsbanken.render.matrix import build_matrix
from lardomsbanken.render.message_guide import message_groups
from lardomsbanken.render.pages import TEMPLATES, Renderer, templates_fingerprint
from lardomsbanken.runtime.cache import Memo
from lardomsbanken.runtime.workers import Companion

# A directive stands alone on its line in a hand-written page.
_DIRECTIVE = re.compile(r"^<!--\s*lardom:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->[ \t]*$", re.MULTILINE)
# Once the engine has rendered the page, it is an HTML comment of its own.
_RENDERED_DIRECTIVE = re.compile(r"<!--\s*lardom:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->")
_CONTENT_PAGE = re.compile(r"^(?P<page>.+?)(?:\.(?P<language>[a-z]{2,3}))?\.md$")
# Directives whose output the engine must read as Markdown: they add headings to the page.
MARKDOWN_DIRECTIVES = frozenset({"messages", "fields"})


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    lessons_dir: Path
    data_dir: Path
    directory_urls: bool = True
    site_url: str = ""  # where the site is published, for absolute links in feeds and metadata
    memo: Memo | None = field(default=None, compare=False)  # what a preview or the build cache remembers

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None, directory_urls: bool = True,
           site_url: str = "", memo: Memo | None = None) -> Project:
        root = root.resolve()
        return cls(root, (content_dir or root / "content").resolve(), root / "lessons", root / "data",
                   directory_urls, site_url, memo)


@dataclass(frozen=True)
class SearchWork:
    """The search indexes of the collection under way, a process of their own per language
    (the most work of the files that are not pages); `GeneratedSite.outputs` finishes them."""

    companions: Mapping[str, Companion[dict[str, str]]]  # per language: its index files by path


@dataclass(frozen=True)
class GeneratedSite:
    """What the core makes of a project: every page planned, nothing written yet."""

    data: SiteData
    index: SiteIndex
    facts: DatasetFacts
    renderer: Renderer
    heads: HeadWriter
    plans: Mapping[str, tuple[PagePlan, ...]]  # per language, in the order they are written
    sections: tuple[Section, ...]
    assets: tuple[Asset, ...]
    content_pages: tuple[str, ...]  # the hand-written pages by path (`om`, `index`), for the sitemap
    memo: Memo | None = None
    search_rules: CompoundRules = field(default_factory=CompoundRules)  # data/compounds.yml

    @property
    def style(self) -> urls.UrlStyle:
        return self.renderer.style

    def body_text(self, version: Version) -> str:
        """A lesson body's plain text, for the search index."""
        return self.renderer.bodies.get(version).text

    def frame_keys(self, language: str) -> set[FrameKey]:
        """Every frame the pages of a language may need (with and without a table of contents:
        which one a page needs is known once it is rendered)."""
        return {plan.frame_key(toc) for plan in self.plans[language] for toc in (True, False)}

    def fill_directives(self, html: str, page: str, language: str) -> str:
        """A hand-written page as the engine rendered it, its directives filled in."""
        if "lardom:" not in html:
            return html
        directives = _directives(self.index, self.facts)

        def replace(match: re.Match[str]) -> str:
            name = match.group("name")
            if name not in directives or name in MARKDOWN_DIRECTIVES:
                return match.group(0)  # told at `prepare`, or already expanded
            template, context = directives[name](match.group("args"), language)
            return self.renderer.fragment(template, page, language, **context)

        return _RENDERED_DIRECTIVE.sub(replace, html)

    def expand_directives(self, markdown: str, page: str, language: str) -> str:
        """A hand-written page's Markdown, with the directives that must be Markdown expanded."""
        if "lardom:" not in markdown:
            return markdown
        directives = _directives(self.index, self.facts)

        def replace(match: re.Match[str]) -> str:
            if match.group("name") not in MARKDOWN_DIRECTIVES:
                return match.group(0)
            template, context = directives[match.group("name")](match.group("args"), language)
            return self.renderer.fragment(template, page, language, **context)

        return _DIRECTIVE.sub(replace, markdown)

    def content_head(self, page: str, language: str, title: str | None, description: str | None) -> str:
        """The <head> additions of a hand-written page."""
        return self.heads.head(page, language, title, description)

    def start_search(self, processes: int) -> SearchWork:
        """The search indexes begun at once, beside the pages' work."""
        style, weights = self.style, self.memo.search_weights if self.memo is not None else None
        return SearchWork({
            language: Companion(functools.partial(search.begin_index, self.index, style, language, self.body_text,
                                                  weights, self.search_rules),
                                search.finish_index, alone=processes <= 1)
            for language in self.data.language_codes})

    def outputs(self, content_pages: Iterable[search.ContentPage],
                search_work: SearchWork | None = None) -> dict[str, str | bytes]:
        """Feeds, open data, the catalogue, the sitemap and the search indexes, by path under the site root."""
        work = search_work or self.start_search(1)
        pages = list(content_pages)
        for companion in work.companions.values():
            companion.send(pages)
        made = self._shared_outputs()  # while the search indexes are finished
        for companion in work.companions.values():
            made.update(companion.result())
        return made

    def _shared_outputs(self) -> dict[str, str | bytes]:
        made: dict[str, str | bytes] = {}
        style, site_url = self.style, self.renderer.site_url
        for add in (feeds.add_feeds, opendata.add_open_data, dcat.add_catalog):
            add(made, self.index, self.facts, site_url, style)
        pages = [plan.page for plan in self.plans[self.data.source_language]] + list(self.content_pages)
        made.update(build_sitemap(pages, self.data, style, site_url))
        return made


def prepare(project: Project) -> GeneratedSite:
    """Everything that finds content errors, and the plan of every page."""
    memo = project.memo
    if memo is not None:
        memo.start_build()
    data = load_site_data(project.data_dir, project.root)
    loaded = load_lessons(project.lessons_dir, project.root, data, memo.files if memo is not None else None,
                          parsed=memo.analyses if memo is not None else None)
    problems = [problem for problem in loaded.problems if problem.is_error]
    index = build_index(data, loaded.lessons)
    style = urls.UrlStyle(project.directory_urls)
    # What every remembered page, card and head also depends on.
    shared = _digest((data_fingerprint(project.data_dir), templates_fingerprint(), style, project.site_url,
                      bodies.WRITER_VERSION)) if memo is not None else ""
    renderer = Renderer(index, style, project.site_url, memo, shared)
    facts = load_dataset_facts(project.data_dir, project.root, data.language_codes)
    heads = HeadWriter(index, facts, project.site_url, renderer)
    content_pages, content_problems = _content_pages(project, data, style, index, facts)
    problems += content_problems
    search_rules, rule_problems = load_compound_rules(project.data_dir, project.root)
    problems += rule_problems
    if problems:
        raise ContentErrors(problems)
    plans = MappingProxyType({language: tuple(_page_plans(index, renderer, heads, language, memo, shared))
                              for language in data.language_codes})
    sections = tuple(Section(plan.page, {code: _section_title(data, plan.page, code) for code in data.language_codes})
                     for plan in plans[data.source_language] if plan.section)
    return GeneratedSite(data, index, facts, renderer, heads, plans, sections, tuple(loaded.assets),
                         tuple(content_pages), memo, search_rules)


def _digest(value: object) -> str:
    # A short stand-in for a large key that every remembered page, card and head shares.
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


def _section_title(data: SiteData, page: str, language: str) -> str:
    label = data.labels
    if page == urls.all_lessons_page():
        return label("all.title", language)
    if page == urls.MATRIX:
        return label("matrix.title", language)
    if page == urls.search_page():
        return label("search.title", language)
    if page == urls.places_page():
        return label(places_pages.TITLE_LABEL, language)
    facet = next(spec.id for spec in data.facets if page == urls.overview_page(spec))
    return label(f"facet.{facet}.title", language)


def _page_plans(index: SiteIndex, renderer: Renderer, heads: HeadWriter, language: str, memo: Memo | None,
                shared: str) -> list[PagePlan]:
    """The generated pages of a language, in the order they are written."""
    data = index.data
    plans: list[PagePlan] = []

    def label(key: str) -> str:
        return data.labels(key, language)

    def add(page: str, template: str, title: str, description: str, section: bool = False,
            hide_toc: bool = False, inputs: tuple[object, ...] = (), **context: Any) -> None:
        def render() -> RenderedPage:
            rendered = renderer.render(template, page, language, title, description, hide_toc=hide_toc, **context)
            return _with_head(rendered, heads.head(page, language, title, description))

        if memo is not None:  # remembered while what it shows is the same
            made = render
            render = functools.partial(memo.list_pages.get, (page, language), (inputs, shared), made)
        plans.append(PagePlan(page, language, render, section, hide_toc=hide_toc))

    for lesson in index.lessons.values():
        page = urls.lesson_page(lesson.slug)
        plans.append(PagePlan(page, language, functools.partial(_lesson_page, renderer, heads, lesson, language,
                                                                memo, shared), edit=True))
    actor_kinds = data.labels.group("actor_kind")
    # What a list page shows changes with the lessons it lists (their digests), and the counts
    # it shows with the collection: with a memo, a page is rendered again only when they change.
    collection = tuple(index.digest(lesson) for lesson in index.newest[language]) if memo is not None else ()
    add(urls.all_lessons_page(), "all_lessons.html.j2", label("all.title"), label("all.description"), section=True,
        inputs=collection, lessons=index.newest[language], actor_kinds=actor_kinds)
    add(urls.MATRIX, "matrix.html.j2", label("matrix.title"), label("matrix.description"), section=True,
        hide_toc=True, inputs=collection, matrix=build_matrix(index, renderer.sorter(language)))
    for spec in data.facets:
        facet = spec.id
        extra: dict[str, Any] = {"actor_kinds": actor_kinds} if facet == "actor" else {}
        # A facet with a template of its own (the regions' map, the actors' kinds, the types in
        # their order) uses it; any other, such as one known only from data, the plain list of terms.
        own = f"overview_{facet}.html.j2"
        template = own if (TEMPLATES / own).is_file() else "overview.html.j2"
        add(urls.overview_page(spec), template, label(f"facet.{facet}.title"),
            label(f"facet.{facet}.description"), section=True, inputs=collection, facet=facet,
            terms=list(data.facet(facet)), **extra)
        for term in data.facet(facet):
            description = term.descriptions.get(language) or label(f"facet.{facet}.description")
            listed = index.lessons_for(facet, term.id, language)
            # A county's page also counts the lessons of each of its municipalities.
            inputs = (tuple(index.digest(lesson) for lesson in listed), collection if term.kind == "county" else ()) \
                if memo is not None else ()
            add(urls.facet_page(spec, term.id), "facet.html.j2", term.name(language), description,
                inputs=inputs, facet=facet, term=term, lessons=listed)
    places_pages.add_pages(add, index, language)  # a way in for a reader in any municipality
    plans.append(PagePlan(urls.search_page(), language, functools.partial(_search_page, data, renderer, heads,
                                                                            language), section=True))
    return plans


def _with_head(page: RenderedPage, head: str) -> RenderedPage:
    return RenderedPage(page.page, page.language, page.title, page.description, page.content, page.toc,
                        page.head + head, page.edit, page.hide_toc)


def _lesson_page(renderer: Renderer, heads: HeadWriter, lesson: Lesson, language: str, memo: Memo | None,
                 shared: str) -> RenderedPage:
    """A lesson's page; with a memo, rendered again only when something it shows has changed."""
    def render() -> RenderedPage:
        version = lesson.version(language)
        page = urls.lesson_page(lesson.slug)
        # An untranslated lesson's page shows, and so edits, the source-language file.
        rendered = renderer.render("lesson.html.j2", page, language, version.title, version.summary,
                                   edit=version.path, lesson=lesson)
        return _with_head(rendered, heads.head(page, language))

    if memo is None:
        return render()
    index = renderer.index
    related = tuple(index.digest(other) for other in index.related[lesson.slug])
    page: RenderedPage = memo.lesson_pages.get((lesson.slug, language), (index.digest(lesson), related, shared), render)
    return page


def _search_page(data: SiteData, renderer: Renderer, heads: HeadWriter, language: str) -> RenderedPage:
    def label(key: str) -> str:
        return data.labels(key, language)

    page = urls.search_page()
    links = search.page_links(page, language, data.source_language, renderer.style)
    rendered = renderer.render("search.html.j2", page, language, label("search.title"), label("search.description"),
                               links=links, labels=search.page_labels(data, language))
    scripts = "".join(f'<script src="{links["site"]}assets/js/{name}" defer></script>'
                      for name in ("stemmers.js", "search.js"))
    return _with_head(rendered, heads.head(page, language, label("search.title"), label("search.description"))
                      + scripts)


def _content_pages(project: Project, data: SiteData, style: urls.UrlStyle, index: SiteIndex,
                   facts: DatasetFacts) -> tuple[list[str], list[Problem]]:
    """The hand-written pages by path; a page at a generated page's address, and an unknown
    directive, are errors."""
    problems: list[Problem] = []
    generated = {style.url(page) for page in _generated_pages(index)}
    known = _directives(index, facts)
    pages: set[str] = set()
    for folder, dirs, names in os.walk(project.content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            absolute = Path(folder) / name
            relative = absolute.relative_to(project.content_dir).as_posix()
            match = _CONTENT_PAGE.match(relative)
            if match is None:
                continue
            display = _display(absolute, project.root)
            page = match.group("page")
            if style.url(page) in generated:
                problems.append(Problem("page-collision", Position(display), path=relative))
                continue
            pages.add(page)
            text = absolute.read_text(encoding="utf-8-sig")
            for directive in _DIRECTIVE.finditer(text):
                if directive.group("name") not in known:
                    line = text.count("\n", 0, directive.start()) + 1
                    problems.append(Problem("unknown-directive", Position(display, line, 1),
                                            directive=directive.group("name"), valid=sorted(known)))
    return sorted(pages), problems


def _generated_pages(index: SiteIndex) -> Iterable[str]:
    for slug in index.lessons:
        yield urls.lesson_page(slug)
    yield urls.all_lessons_page()
    yield urls.MATRIX
    yield urls.search_page()
    yield from places_pages.pages(index.data)
    for spec in index.data.facets:
        yield urls.overview_page(spec)
        for term in index.data.facet(spec.id):
            yield urls.facet_page(spec, term.id)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _directives(index: SiteIndex, facts: DatasetFacts) -> dict[str, Callable[[str, str], tuple[str, dict[str, Any]]]]:
    """Directive name -> (template, context) from its argument and the page's language."""

    def latest(args: str, language: str) -> tuple[str, dict[str, Any]]:
        count = int(args) if args.strip().isdigit() else 5
        return "directive_latest.html.j2", {"lessons": index.newest[language][:count]}

    return {
        "latest": latest,
        "themes": lambda args, language: ("directive_themes.html.j2", {}),
        "regions": lambda args, language: ("directive_regions.html.j2", {}),
        "map": lambda args, language: ("directive_map.html.j2", {}),
        "feeds": lambda args, language: ("directive_feeds.html.j2", {"feeds": feeds.feeds_for(index, language)}),
        "opendata": lambda args, language: ("directive_opendata.html.j2", {"files": list(urls.OPEN_DATA_FILES),
                                                                           "facts": facts}),
        # The editors' table of a lesson's fields, from the lesson format.
        "fields": lambda args, language: ("directive_fields.md.j2", {"rows": field_rows(index.data, language)}),
        # The editors' catalogue of every message, from data/messages.yml.
        "messages": lambda args, language: ("directive_messages.html.j2",
                                            {"groups": message_groups(index.data, language)}),
    }
