"""Material's frame around the core's pages, rendered by MkDocs' own theme environment.

For each kind of page the core writes (`site.FrameKey`: a folder of pages
such as `lardomar/*`, or one section page such as `teman/index`), MkDocs'
Jinja environment renders Material's `main.html` once, for a page whose
per-page values are sentinels (`lardomsbanken.render.frame`): its title,
description, content, table of contents, head additions, counterpart links
in the language switcher, edit link and its own address. The core then fills
each page's values into the result. MkDocs' public pieces are used as MkDocs
uses them when it builds a page: `get_context`, `Page`, `File`, `AnchorLink`,
and the theme's templates; nothing of MkDocs or Material is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from lardomsbanken.model.page import FrameKey
from lardomsbanken.render.frame import Frame, FrameError, PageFrame, sentinel

# What the adapter adds to MkDocs' template context (a plain dict) for the theme overrides.
ContextExtras = Callable[[dict[str, Any]], dict[str, Any]]


class _ConfigView:
    """The site's config as the theme reads it, with some values given instead (the
    counterpart links), without changing the config itself."""

    def __init__(self, config: MkDocsConfig, **instead: Any):
        self._config = config
        self._instead = instead

    def __getattr__(self, name: str) -> Any:
        return self._instead[name] if name in self._instead else getattr(self._config, name)

    def __getitem__(self, name: str) -> Any:
        return self._instead[name] if name in self._instead else self._config[name]

    def __contains__(self, name: str) -> bool:
        return name in self._instead or name in self._config

    def get(self, name: str, default: Any = None) -> Any:
        return self._instead[name] if name in self._instead else self._config.get(name, default)


class FrameRenderer:
    """Frames of one language's build, rendered when first asked for."""

    def __init__(self, env: jinja2.Environment, config: MkDocsConfig, nav: Navigation, files: Files, language_root: str,
                 extras: ContextExtras):
        self.env, self.config, self.nav, self.files = env, config, nav, files
        self.language_root = language_root
        self.extras = extras
        self.frames: dict[FrameKey, PageFrame] = {}

    def __call__(self, key: FrameKey) -> PageFrame:
        if key not in self.frames:
            self.frames[key] = self.render(key)
        return self.frames[key]

    def render(self, key: FrameKey) -> PageFrame:
        page, restore = self._page(key)
        alternates = [dict(alternate, link=sentinel(f"alternate.{alternate['lang']}", probe=False))
                      for alternate in (self.config.extra.get("alternate") or [])]
        url_slots = frozenset(f"alternate.{alternate['lang']}" for alternate in alternates)
        try:
            page.title = sentinel("title")
            page.content = sentinel("content")
            # As `meta.title`, the theme prints the title as given (an HTML-escaped text).
            page.meta = {"title": sentinel("title"), "description": sentinel("description")}
            if key.hide_toc:
                page.meta["hide"] = ["toc"]
            # The page's title holds its table of contents, as MkDocs makes it; two entries below
            # it, so that the rendering shows what the theme puts between entries.
            title, first, second = _item("first", 1), _item("toc.a"), _item("toc.b")
            title.children = [first, second] if key.toc else []
            page.toc = TableOfContents([title])
            page.active = True
            context = self.extras({**get_context(self.nav, self.files, self.config, page)})
            context["lardom_head"] = sentinel("head")
            context["config"] = _ConfigView(self.config, extra={**self.config.extra, "alternate": alternates})
            rendered = self.env.get_template("main.html").render(context)
            entry = branch = None
            separators = ("", "")
            if key.toc:
                # The entries of the table of contents (shown twice for a page in the
                # navigation) become one slot; each entry is drawn by the theme's own template.
                rendered, between = _cut_list(rendered, self._entry(first, context), self._entry(second, context),
                                              "toc")
                entry = Frame.parse(self._entry(_item("toc"), context))
                parent, child, sibling = _item("toc"), _item("child", 3), _item("sibling", 3)
                parent.children = [child, sibling]
                branch_text, between_children = _cut_list(self._entry(parent, context), self._entry(child, context),
                                                          self._entry(sibling, context), "toc.children")
                branch = Frame.parse(branch_text)
                separators = (between, between_children)
        finally:
            page.active = False
            restore()
        frame = PageFrame(Frame.parse(rendered, url_slots), entry, branch, *separators)
        _check_slots(frame.page, key, url_slots)
        return frame

    def _entry(self, item: AnchorLink, context: dict[str, Any]) -> str:
        return self.env.get_template("partials/toc-item.html").render({**context, "toc_item": item})

    def _page(self, key: FrameKey) -> tuple[Page, Callable[[], None]]:
        """The page to render the frame for, and how to leave MkDocs' own objects as they were."""
        if key.path.endswith("/*"):  # any page of a folder: a page of its own, named by a sentinel
            generated = File.generated(self.config, f"{key.path[:-2]}/{sentinel('page', probe=False)}.md", content="",
                                       inclusion=InclusionLevel.NOT_IN_NAV)
            if self.language_root:
                generated.dest_uri = self.language_root + generated.dest_uri
            if key.edit:
                generated.edit_uri = sentinel("edit", probe=False)
            return Page(None, generated, self.config), lambda: None
        # A section page: the one MkDocs' navigation holds (the adapter added its file).
        file = self.files.get_file_from_path(f"{key.path}.md")
        if file is None:
            raise FrameError(f"no file for the section page {key.path}")
        page = file.page if file.page is not None else Page(None, file, self.config)  # which sets file.page
        kept = (page.title, page.content, page.meta, page.toc)

        def restore() -> None:
            page.title, page.content, page.meta, page.toc = kept

        return page, restore


def _item(name: str, level: int = 2) -> AnchorLink:
    return AnchorLink(sentinel(f"{name}.title"), sentinel(f"{name}.id", probe=False), level)


def _cut_list(text: str, first: str, second: str, slot: str) -> tuple[str, str]:
    """`text` with every place where the theme drew the two entries made one slot, and what
    it drew between two entries."""
    pattern = re.compile(re.escape(first) + "(.*?)" + re.escape(second), re.DOTALL)
    between = {match.group(1) for match in pattern.finditer(text)}
    if len(between) != 1:
        raise FrameError(f"the theme drew the entries of {slot} in {len(between)} ways")
    replaced = pattern.sub(lambda match: sentinel(slot, probe=False), text)
    if first in replaced or second in replaced:
        raise FrameError(f"the theme drew an entry of {slot} apart from the others")
    return replaced, between.pop()


def _check_slots(frame: Frame, key: FrameKey, url_slots: frozenset[str]) -> None:
    expected = {"title", "description", "content", "head", *url_slots}
    if key.path.endswith("/*"):
        expected.add("page")
    if key.edit:
        expected.add("edit")
    expected.add("first.id")
    if key.toc:
        expected.add("toc")
    missing = {"content", "title"} - frame.names
    unknown = frame.names - expected
    if missing or unknown:
        raise FrameError(f"frame {key}: slots missing {sorted(missing)}, unexpected {sorted(unknown)}")
