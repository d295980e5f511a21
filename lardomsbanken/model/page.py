"""What a generated page is, before and after rendering.

A `PagePlan` names a page of one language and how to render it; rendering gives a
`RenderedPage`: its words, its table of contents and its <head> additions, all as
values. Publishing puts a rendered page into the theme's frame for its `FrameKey`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TocEntry:
    """One entry of a page's table of contents."""

    level: int
    id: str
    title: str  # plain text
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class RenderedPage:
    """A generated page in one language, before the theme's frame is put around it."""

    page: str  # its path, `lardomar/x`, `teman/index`
    language: str
    title: str  # plain text
    description: str  # plain text
    content: str  # HTML
    toc: tuple[TocEntry, ...] = ()
    head: str = ""  # extra HTML for the <head> (publish/head.py)
    edit: str | None = None  # the repository file the page is made from, for an edit link
    hide_toc: bool = False


@dataclass(frozen=True)
class FrameKey:
    """Which frame of the theme a page needs. Pages in one folder share one (`lardomar/*`);
    a section page (a list, an overview) has its own, as the navigation marks it."""

    path: str
    toc: bool
    edit: bool
    hide_toc: bool = False


@dataclass(frozen=True)
class PagePlan:
    """A generated page of one language, not yet rendered."""

    page: str
    language: str
    render: Callable[[], RenderedPage] = field(compare=False, repr=False)
    section: bool = False  # a section page: the navigation and hand-written pages link it
    edit: bool = False  # it has an edit link (a lesson's page)
    hide_toc: bool = False

    @property
    def frame_path(self) -> str:
        return self.page if self.section else self.page.rsplit("/", 1)[0] + "/*"

    def frame_key(self, toc: bool) -> FrameKey:
        """`toc`: whether the page has headings below its title."""
        return FrameKey(self.frame_path, toc, self.edit, self.hide_toc)


@dataclass(frozen=True)
class Section:
    """A generated page that the navigation and hand-written pages may link: its title per language."""

    page: str
    titles: dict[str, str]
