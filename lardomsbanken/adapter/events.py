"""The MkDocs adapter: MkDocs' events handed to the core. Only lardomsbanken/adapter/ knows MkDocs.

MkDocs, Material and mkdocs-static-i18n render the hand-written pages in
`content/` (static-i18n builds Swedish at the root and English under
`/en/`, one build after the other); the core renders the collection. Per
build of all languages:

- `on_config` (first language only): the core loads and checks every lesson
  and vocabulary and plans every page; a content error stops the build here,
  before anything is written, with every problem as `file:line:column: message`;
- `on_files`, `on_nav`: the collection's section pages (the lists and
  overviews that the navigation and hand-written pages link) join MkDocs'
  files as excluded files, so links and the navigation find them, and MkDocs
  leaves their writing to the core;
- page events of hand-written pages: their directives are filled, their
  <head> additions given, their text kept for the search index;
- `on_post_build` of each language (before static-i18n starts the next
  language's build): Material's frames are rendered for that language and
  the core writes its pages into them;
- the last `on_post_build`: the files that are not pages (feeds, open data,
  sitemap, search indexes) and each language's 404 page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from lardomsbanken.adapter.material_frame import FrameRenderer
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.problems import ContentErrors
from lardomsbanken.pipeline import site
from lardomsbanken.publish import search_index as search
from lardomsbanken.publish import writer as publish
from lardomsbanken.render import urls
from lardomsbanken.render.printlinks import add_print_hrefs
from lardomsbanken.runtime import workers as parallel
from lardomsbanken.runtime.cache import CACHE_FOLDER, SESSION, Memo, build_cache

log = logging.getLogger("mkdocs.plugins.lardomsbanken")
# MkDocs' template context (mkdocs.utils.templates.TemplateContext): a plain dict, to which the
# theme overrides' own keys (`lardom_head`, `lardom_labels`, `lardom_home`) are added here.
Context = dict[str, Any]


class _QuietAboutSections(logging.Filter):
    """MkDocs tells, at INFO, of every link and navigation entry that leads to an excluded
    file: the collection's section pages are excluded from MkDocs' build on purpose (the core
    writes them), so that is not news."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: frozenset[str] = frozenset()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or "excluded from the built site" not in str(record.msg):
            return True
        return not any(f"'{source}'" in str(record.msg) for source in self.sources)


class _Build:
    """One build of every language: the core's site, and what the language builds collect."""

    def __init__(self, generated: site.GeneratedSite, project: site.Project, cache: Path | None):
        self.site = generated
        self.project = project
        self.cache = cache
        self.languages_written: set[str] = set()  # static-i18n builds them one after the other
        self.pages: dict[str, publish.StartedPages] = {}  # language -> its core pages being written
        self.finished = False
        self.writer: publish.Writer | None = None
        self.content_pages: list[search.ContentPage] = []
        self.not_found_pages: dict[str, str] = {}  # each language's 404 page by its path
        self.search: site.SearchWork | None = None
        self.env: jinja2.Environment | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None



class MkDocsAdapter:
    """The state of the adapter, one object per process: MkDocs' events are its methods.
    Under `mkdocs serve` it outlives a build: on_config starts each build afresh."""

    def __init__(self) -> None:
        self.build: _Build | None = None
        self.quiet = _QuietAboutSections()
        for name in ("mkdocs.structure.nav", "mkdocs.structure.pages"):
            logger = logging.getLogger(name)
            for earlier in [f for f in logger.filters if isinstance(f, _QuietAboutSections)]:
                logger.removeFilter(earlier)  # an earlier adapter's, in this process (`mkdocs serve`)
            logger.addFilter(self.quiet)

    def on_startup(self, command: str, dirty: bool) -> None:
        # Called once per process, while this module is loaded afresh for every rebuild of
        # `mkdocs serve`: the session lives in the core.
        SESSION.start(command)

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.build is not None and not self.build.finished:
            return config  # static-i18n's build of a further language: the core has the site already
        root = _project_root(config)
        cache = build_cache(root) if SESSION.memo is None else None
        memo = SESSION.memo if SESSION.memo is not None else (Memo.load(cache) if cache else None)
        project = site.Project.at(root, Path(config.docs_dir), config.use_directory_urls, config.site_url or "", memo)
        preview = SESSION.preview
        if preview is not None:  # `lardom preview`: it rebuilds the collection alone with what this build leaves
            preview.start_engine_build()
            preview.project = project
        try:
            generated = site.prepare(project)
        except ContentErrors as errors:
            self.build = None
            if preview is not None:
                preview.problems = list(errors.problems)
            _report(project, errors)
        _check_languages(config, generated.data)
        self.build = _Build(generated, project, cache)
        if preview is not None:
            self.build.writer = preview.writer
        else:  # the search indexes begin now, beside MkDocs' work and the pages'
            self.build.search = generated.start_search(parallel.processes())
        self.quiet.sources = frozenset(f"{section.page}.md" for section in generated.sections)
        return config

    def on_build_error(self, error: Exception) -> None:
        self.build = None

    @event_priority(-150)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # After static-i18n's (-100), which makes the files of this language's build.
        if self.build is None:
            return files
        language = _language(config)
        root = urls.language_root(language, self.build.site.data.source_language)
        content_folder = Path(config.docs_dir).resolve().relative_to(self.build.project.root).as_posix()
        for file in files:
            # "Edit this page" goes to the repository file (`content/om.sv.md`).
            if file.src_uri.endswith(".md") and file.edit_uri:
                file.edit_uri = f"{content_folder}/{file.src_uri}"
        for section in self.build.site.sections:
            placeholder = File.generated(config, f"{section.page}.md", content="", inclusion=InclusionLevel.EXCLUDED)
            placeholder.dest_uri = root + placeholder.dest_uri
            files.append(placeholder)
        return files

    @event_priority(-150)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build is None:
            return nav
        titles = {f"{section.page}.md": section.titles[_language(config)] for section in self.build.site.sections}
        for page in nav.pages:
            if page.file.src_uri in titles:
                page.title = titles[page.file.src_uri]
        self.build.nav, self.build.files = nav, files
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.build is None:
            return markdown
        return self.build.site.expand_directives(markdown, self._page_path(page), _language(config))

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.build is not None:
            language = _language(config)
            title = page.title or ""
            self.build.content_pages.append(search.ContentPage(
                self._page_path(page), language, getattr(page.file, "locale", language) or language, str(title),
                str(page.meta.get("description") or ""), search.html_text(html)))
        return add_print_hrefs(html, page.url, config.site_url or "")

    def _page_path(self, page: Page) -> str:
        """A hand-written page's path as the core names pages: `om`, `index`, `teman/index`."""
        stem = page.file.src_uri[:-len(".md")]
        name, _, suffix = stem.rpartition(".")
        return name if name and self.build is not None and suffix in self.build.site.data.language_codes else stem

    def on_page_context(self, context: Context, page: Page, config: MkDocsConfig, nav: Navigation) -> Context:
        if self.build is not None:
            description = page.meta.get("description")
            context["lardom_head"] = self.build.site.content_head(self._page_path(page), _language(config),
                                                                  page.title or None, description)
        return self.theme_context(context)

    def on_template_context(self, context: Context, template_name: str, config: MkDocsConfig) -> Context:
        if template_name == "404.html" and self.build is not None:
            # static-i18n leaves the language switcher's links at the last page it rendered; a
            # missing address leads to each language's start page, under the site's own path.
            base = urlsplit(config.site_url or "").path or "/"
            base = base if base.endswith("/") else base + "/"
            source = self.build.site.data.source_language
            # An attribute of MkDocs' config object beside its key of that name, which Jinja reads
            # first for `config.extra.alternate`: the key stays as mkdocs.yml has it.
            config.extra.alternate = [  # type: ignore[attr-defined]  # not a declared option
                dict(alternate, link=base + urls.language_root(alternate["lang"], source))
                for alternate in config.extra.get("alternate") or []]
        return self.theme_context(context)

    def theme_context(self, context: Context) -> Context:
        # The theme overrides (footer, search form, 404) take their words from data/labels.yml:
        # `lardom_labels(key, language)`, and each language's start page, `lardom_home[language]`.
        if self.build is not None:
            data = self.build.site.data
            context["lardom_labels"] = data.labels
            context["lardom_home"] = {code: urls.language_root(code, data.source_language)
                                      for code in data.language_codes}
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.build is None:
            return output
        if SESSION.preview is not None:  # the preview fills the directives again when lessons change
            SESSION.preview.engine.content_html[page.file.dest_uri] = (self._page_path(page), _language(config), output)
        return self.build.site.fill_directives(output, self._page_path(page), _language(config))

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        # static-i18n builds 404.html once per language into the same file, so the last
        # language would win: keep each and publish it in its own language folder.
        if template_name == "404.html" and self.build is not None:
            language = _language(config)
            root = urls.language_root(language, self.build.site.data.source_language)
            self.build.not_found_pages[root + "404.html"] = output
        return output

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.build is not None:
            self.build.env = env
            if self.build.cache is not None:  # the theme's templates compiled once, not at every build
                folder = self.build.project.root / CACHE_FOLDER / "jinja"
                folder.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
            if SESSION.preview is None and parallel.processes() > 1:
                # The core's pages of this language begin now, in worker processes, while MkDocs
                # writes its own: everything they need (the frames) is known from here on.
                self._start_pages(config)
        return env

    def _start_pages(self, config: MkDocsConfig) -> None:
        # After on_nav and on_env of this language's build, which give the theme's pieces.
        assert self.build is not None and self.build.env is not None
        assert self.build.nav is not None and self.build.files is not None
        language = _language(config)
        generated = self.build.site
        root = urls.language_root(language, generated.data.source_language)
        if self.build.writer is None:
            self.build.writer = publish.Writer(Path(config.site_dir), background=True)
        renderer = FrameRenderer(self.build.env, config, self.build.nav, self.build.files, root, self.theme_context)
        frames = {key: renderer(key) for key in generated.frame_keys(language)}
        if SESSION.preview is not None:
            SESSION.preview.engine.frames[language] = frames
        self.build.pages[language] = publish.start_pages(generated, generated.plans[language], frames,
                                                         self.build.writer, parallel.processes())

    @event_priority(0)
    def on_post_build(self, config: MkDocsConfig) -> None:
        # Before static-i18n's (-100), which builds the next language: this language's frames
        # are rendered while the config is this language's.
        if self.build is None:
            return
        language = _language(config)
        generated = self.build.site
        if language not in self.build.pages:
            self._start_pages(config)
        self.build.pages.pop(language).result()
        assert self.build.writer is not None
        publish.write_assets(generated, language, self.build.writer)
        self.build.languages_written.add(language)
        if self.build.languages_written == set(generated.data.language_codes):
            self._finish()

    def _finish(self) -> None:
        """After the last language: the files that are not pages, and each language's 404 page."""
        assert self.build is not None and self.build.writer is not None
        self.build.writer.finish()  # its thread before the workers that make the outputs are forked
        outputs = self.build.site.outputs(self.build.content_pages, self.build.search)
        outputs.update(self.build.not_found_pages)
        publish.write_outputs(outputs, self.build.writer)
        self.build.writer.finish()
        if SESSION.preview is not None:
            SESSION.preview.engine.content_pages = list(self.build.content_pages)
            SESSION.preview.engine.not_found_pages = dict(self.build.not_found_pages)
        if self.build.cache is not None and self.build.site.memo is not None:
            self.build.site.memo.save(self.build.cache)
        self.build.finished = True


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _language(config: MkDocsConfig) -> str:
    language: str = config.theme["language"]  # static-i18n sets it for each language's build
    return language


def _report(project: site.Project, errors: ContentErrors) -> NoReturn:
    catalogue = MessageCatalogue.load(project.data_dir / "messages.yml")
    language = os.environ.get("LARDOM_LANG", "sv")
    for problem in errors.problems:
        log.error(catalogue.render(problem, language))
    raise PluginError(catalogue.text("build-failed", language, count=len(errors.problems)))


def _check_languages(config: MkDocsConfig, data: SiteData) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    configured = [language.locale for language in i18n.config.languages if language.build]
    if configured != data.language_codes:
        message = data.messages.text("language-config-mismatch", os.environ.get("LARDOM_LANG", "sv"),
                                     data=data.language_codes, config=configured)
        raise PluginError(f"mkdocs.yml: {message}")
