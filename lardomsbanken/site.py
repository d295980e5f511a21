"""From a project folder to the complete Markdown source of the site.

`generate()` is the whole core in one call: load and check the data and the
lessons, build the index once, render every generated page in every
language, and take the hand-written pages from `content/` with their
directives (`<!-- lardom:latest 6 -->`) filled in. It returns files, not
side effects; `staging.py` writes them where a site engine can read them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Union

from . import dcat, feeds, metadata, opendata, search, urls
from .dataset import DatasetFacts, load_dataset_facts
from .index import SiteIndex, build_index
from .loader import load_lessons
from .matrix import build_matrix
from .message_guide import message_groups
from .memo import Memo
from .model import Lesson, lesson_fingerprint
from .problems import ContentErrors, Position, Problem
from .render import Islands, Renderer, templates_fingerprint
from .sitemap import build_sitemap
from .vocab import SiteData, data_fingerprint, load_site_data

# A directive stands alone on its line in a content page.
_DIRECTIVE = re.compile(r"^<!--\s*lardom:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->[ \t]*$", re.MULTILINE)
_CONTENT_PAGE = re.compile(r"^(?P<page>.+?)(?:\.(?P<language>[a-z]{2,3}))?\.md$")

FileContent = Union[str, Path]  # generated text, or a file to copy as it is


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    lessons_dir: Path
    data_dir: Path
    directory_urls: bool = True
    site_url: str = ""  # where the site is published, for absolute links in feeds and metadata
    memo: Memo | None = field(default=None, compare=False)  # a preview session's memory (memo.py)

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None, directory_urls: bool = True,
           site_url: str = "", memo: Memo | None = None) -> "Project":
        root = root.resolve()
        return cls(root, (content_dir or root / "content").resolve(), root / "lessons", root / "data",
                   directory_urls, site_url, memo)


@dataclass
class GeneratedSite:
    data: SiteData
    index: SiteIndex
    files: dict[str, FileContent] = field(default_factory=dict)  # path in the docs folder -> content
    # Files published as they are (feeds, open data, search indexes): path under the
    # site root, language folder included (`en/...`) -> content.
    outputs: dict[str, str | bytes] = field(default_factory=dict)
    # Extra HTML for the <head> of a page, by its docs source file (`lardomar/x.en.md`).
    head: dict[str, str] = field(default_factory=dict)
    # The hand-written pages' Markdown source, by page and language (`("om", "sv")`).
    content_pages: dict[tuple[str, str], str] = field(default_factory=dict)
    # The repository file each staged file is made from (`lardomar/x.en.md` ->
    # `lessons/norrbotten/x.en.md`), for "edit this page" links; generated pages have none.
    sources: dict[str, str] = field(default_factory=dict)
    # Outputs of one language, made on demand: a build whose languages run in parallel
    # processes makes each in the process of its language (the search index).
    language_outputs: dict[str, Callable[[], dict[str, FileContent | bytes]]] = field(default_factory=dict)
    # HTML that pages name by digest instead of holding it in their Markdown (render.Islands).
    islands: Islands = field(default_factory=Islands)
    # Every file of the docs folder once all languages are rendered, rendered or not yet.
    planned: set[str] = field(default_factory=set)
    # The generated pages of each language, not yet rendered: path -> how to render it.
    _unrendered: dict[str, dict[str, Callable[[], str]]] = field(default_factory=dict, repr=False)
    _finish_outputs: Callable[[], None] | None = field(default=None, repr=False)

    def outputs_of(self, languages: Iterable[str]) -> dict[str, FileContent | bytes]:
        made: dict[str, FileContent | bytes] = {}
        for language in languages:
            made.update(self.language_outputs[language]())
        return made

    def all_outputs(self) -> dict[str, FileContent | bytes]:
        """Every output, those of each language made now."""
        return {**self.outputs, **self.outputs_of(self.data.language_codes)}

    def render_languages(self, languages: Iterable[str]) -> dict[str, FileContent]:
        """Renders the generated pages (and their head) of `languages`; returns them.

        A build whose languages run in parallel processes renders each language in
        its own process; everything else about the site is known before."""
        rendered: dict[str, FileContent] = {}
        for language in languages:
            for path, render in self._unrendered.pop(language, {}).items():
                rendered[path] = render()
        self.files.update(rendered)
        return rendered

    def add_shared_outputs(self) -> None:
        """Feeds, open data, the catalogue and the sitemap: the outputs of no single language."""
        if self._finish_outputs is not None:
            self._finish_outputs()
            self._finish_outputs = None


def generate(project: Project) -> GeneratedSite:
    """The whole site, every language rendered."""
    site = prepare(project)
    site.render_languages(site.data.language_codes)
    site.add_shared_outputs()
    return site


def prepare(project: Project) -> GeneratedSite:
    """Everything that finds content errors, and the plan of every page; the generated
    pages are rendered by `render_languages`, the shared outputs by `add_shared_outputs`."""
    if project.memo is not None:
        project.memo.start_build()
    data = load_site_data(project.data_dir, project.root)
    loaded = load_lessons(project.lessons_dir, project.root, data, project.memo and project.memo.files)
    problems = [problem for problem in loaded.problems if problem.is_error]
    index = build_index(data, loaded.lessons)
    site = GeneratedSite(data, index)
    style = urls.UrlStyle(project.directory_urls)
    # What every remembered page, card and head of a preview also depends on.
    shared = _digest((data_fingerprint(project.data_dir), templates_fingerprint(), style, project.site_url)) \
        if project.memo is not None else ""
    renderer = Renderer(index, style, project.memo, shared)
    site.islands = renderer.islands
    # Follow and reuse: feeds, open data and page metadata, from the facts in data/dataset.yml.
    facts = load_dataset_facts(project.data_dir, project.root, data.language_codes)
    lesson_page = _lesson_page_maker(site, renderer, project)
    head = metadata.HeadWriter(index, facts, project.site_url, renderer)
    for language in data.language_codes:
        plan = _page_plan(site, renderer, lesson_page, language)
        site._unrendered[language] = {path: _with_head(site, head, path, render, project.memo, shared)
                                      for path, render in plan.items()}
        site.planned.update(plan)
    for asset in loaded.assets:
        staged = f"{urls.LESSONS}/{asset.relative_path}"
        site.files[staged] = Path(asset.absolute_path)
        site.sources[staged] = _display(Path(asset.absolute_path), project.root)
    problems += _content_pages(project, site, renderer, facts)
    if problems:
        raise ContentErrors(problems)
    metadata.add_head(site, head, site.files)
    site.planned.update(site.files)
    for language in data.language_codes:
        # Made by whichever process builds the language (see `language_outputs`).
        site.language_outputs[language] = functools.partial(
            search.build_indexes, index, renderer.style, site.content_pages,
            project.memo and project.memo.search_weights, [language])

    def finish_outputs() -> None:
        for add in (feeds.add_feeds, opendata.add_open_data, dcat.add_catalog):
            add(site.outputs, index, facts, project.site_url, renderer.style)
        site.outputs.update(build_sitemap(_pages(site), data, renderer.style, project.site_url))

    site._finish_outputs = finish_outputs
    return site


def _with_head(site: GeneratedSite, writer: metadata.HeadWriter, path: str, render: Callable[[], str],
               memo: Memo | None, shared: str) -> Callable[[], str]:
    def render_with_head() -> str:
        text = render()
        if memo is None:
            head = metadata.head_of(site.data, writer, path, text)
        else:
            lesson = writer.lesson_pages.get(path.rsplit(".", 2)[0])
            key = (text, lesson and lesson_fingerprint(lesson), shared)
            head = memo.heads.get(path, key, lambda: metadata.head_of(site.data, writer, path, text))
        if head:
            site.head[path] = site.head.get(path, "") + head
        return text

    return render_with_head


def _digest(value: object) -> str:
    # A short stand-in for a large key that every remembered page, card and head shares.
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


def _pages(site: GeneratedSite) -> Iterable[str]:
    """Every page by its path (`teman/bostader`), from its staged Markdown files in any language."""
    for path in site.planned:
        if path.endswith(".md"):
            page = path[:-len(".md")]
            stem, _, language = page.rpartition(".")
            yield stem if stem and language in site.data.language_codes else page


def _page_plan(site: GeneratedSite, renderer: Renderer, lesson_page: Callable[[Lesson, str], str],
               language: str) -> dict[str, Callable[[], str]]:
    """The generated pages of a language: source file -> how to render it."""
    data, index = site.data, site.index
    plan: dict[str, Callable[[], str]] = {}

    def add(page: str, template: str, title: str, description: str, **context) -> None:
        plan[urls.source_file(page, language)] = functools.partial(
            renderer.render, template, page, language, title, description, **context)

    label = lambda key: data.labels(key, language)  # noqa: E731
    for lesson in index.lessons.values():
        source = urls.source_file(urls.lesson_page(lesson.slug), language)
        plan[source] = functools.partial(lesson_page, lesson, language)
        # An untranslated lesson's page shows, and so edits, the source-language file.
        site.sources[source] = lesson.version(language).path
    actor_kinds = data.labels.group("actor_kind")
    add(urls.all_lessons_page(), "all_lessons.md.j2", label("all.title"), label("all.description"),
        lessons=index.newest[language], actor_kinds=actor_kinds)
    matrix_page = urls.MATRIX
    plan[urls.source_file(matrix_page, language)] = lambda: renderer.render(
        "matrix.md.j2", matrix_page, language, label("matrix.title"), label("matrix.description"),
        hide=("toc",), matrix=build_matrix(index, renderer.sorter(language)))
    for facet in urls.FACETS:
        vocabulary = data.facet(facet)
        extra = {"actor_kinds": actor_kinds} if facet == "actor" else {}
        add(urls.overview_page(facet), f"overview_{facet}.md.j2", label(f"facet.{facet}.title"),
            label(f"facet.{facet}.description"), **extra)
        for term in vocabulary:
            description = term.descriptions.get(language) or label(f"facet.{facet}.description")
            add(urls.facet_page(facet, term.id), "facet.md.j2", term.name(language), description,
                facet=facet, term=term, lessons=index.lessons_for(facet, term.id, language))
    plan[urls.source_file(urls.search_page(), language)] = functools.partial(
        _search_page, site, renderer, language)
    return plan


def _lesson_page_maker(site: GeneratedSite, renderer: Renderer, project: Project) -> Callable[[Lesson, str], str]:
    """Renders a lesson's page; in a preview, only when something it shows has changed."""
    def render(lesson: Lesson, language: str) -> str:
        version = lesson.version(language)
        return renderer.render("lesson.md.j2", urls.lesson_page(lesson.slug), language, version.title,
                               version.summary, lesson=lesson)

    if project.memo is None:
        return render
    table = project.memo.lesson_pages
    shared = renderer.memo_key

    def rendered_with_islands(lesson: Lesson, language: str) -> tuple[str, dict[str, str]]:
        text = render(lesson, language)
        return text, renderer.islands.used_by(text)

    def remembered(lesson: Lesson, language: str) -> str:
        related = tuple(lesson_fingerprint(other) for other in site.index.related[lesson.slug])
        key = (lesson_fingerprint(lesson), related, shared)
        text, islands = table.get((lesson.slug, language), key, lambda: rendered_with_islands(lesson, language))
        renderer.islands.html.update(islands)
        return text

    return remembered


def _search_page(site: GeneratedSite, renderer: Renderer, language: str) -> str:
    label = lambda key: site.data.labels(key, language)  # noqa: E731
    page = urls.search_page()
    links = search.page_links(page, language, site.data.source_language, renderer.style)
    text = renderer.render("search.md.j2", page, language, label("search.title"), label("search.description"),
                           links=links, labels=search.page_labels(site.data, language))
    scripts = "".join(f'<script src="{links["site"]}assets/js/{name}" defer></script>'
                      for name in ("stemmers.js", "search.js"))
    source = urls.source_file(page, language)
    site.head[source] = site.head.get(source, "") + scripts
    return text


def _content_pages(project: Project, site: GeneratedSite, renderer: Renderer, facts: DatasetFacts) -> list[Problem]:
    problems: list[Problem] = []
    # Compared by URL: `sok.sv.md` and a generated `sok/index.sv.md` would both be `sok/`.
    generated_urls = {renderer.style.url(path.rsplit(".", 2)[0]) for path in site.planned if path.endswith(".md")}
    for folder, dirs, names in os.walk(project.content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            absolute = Path(folder) / name
            relative = absolute.relative_to(project.content_dir).as_posix()
            display = _display(absolute, project.root)
            site.sources[relative] = display
            match = _CONTENT_PAGE.match(relative)
            if match is None:
                site.files[relative] = absolute
                continue
            page = match.group("page")
            language = match.group("language") or site.data.source_language
            if renderer.style.url(page) in generated_urls:
                problems.append(Problem("page-collision", Position(display), path=relative))
                continue
            text = absolute.read_text(encoding="utf-8-sig")
            site.content_pages[(page, language)] = text
            site.files[relative] = _expand_directives(text, display, page, language, renderer, site.index, facts, problems)
    return problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _directives(index: SiteIndex, facts: DatasetFacts) -> dict[str, Callable[[str, str], tuple[str, dict]]]:
    """Directive name -> (template, context) from its argument and the page's language."""

    def latest(args: str, language: str):
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
        # The editors' catalogue of every message, from data/messages.yml.
        "messages": lambda args, language: ("directive_messages.html.j2",
                                            {"groups": message_groups(index.data, language)}),
    }


def _expand_directives(text, display, page, language, renderer, index, facts, problems) -> str:
    directives = _directives(index, facts)

    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name not in directives:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(Problem("unknown-directive", Position(display, line, 1), directive=name, valid=sorted(directives)))
            return match.group(0)
        template, context = directives[name](match.group("args"), language)
        return renderer.fragment(template, page, language, **context)

    return _DIRECTIVE.sub(replace, text)
