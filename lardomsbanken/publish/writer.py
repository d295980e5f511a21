"""Writing the collection into the site folder: every generated page in the theme's frame.

The site engine renders the theme's frame for each kind of page
(`frame.PageFrame`, asked for by `FrameKey`); this module fills each page's
values into it and writes the page, then the files beside the lessons
(images, PDFs) into each language's folder. `Writer` remembers what it
wrote, so that a preview writes only pages whose bytes changed.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from lardomsbanken.load.vocabularies import SiteData
from lardomsbanken.model.lesson import Asset
from lardomsbanken.model.page import FrameKey, PagePlan, RenderedPage
from lardomsbanken.render import urls
from lardomsbanken.render.frame import PageFrame, escape_text
from lardomsbanken.runtime.cache import Memo
from lardomsbanken.runtime.workers import forked_start


class SiteToWrite(Protocol):
    """What writing pages needs of the site the pipeline prepared (pipeline.site.GeneratedSite)."""

    @property
    def data(self) -> SiteData: ...

    @property
    def style(self) -> urls.UrlStyle: ...

    @property
    def memo(self) -> Memo | None: ...

    @property
    def assets(self) -> tuple[Asset, ...]: ...


def page_html(site: SiteToWrite, page: RenderedPage, frame: PageFrame) -> str:
    """A page as readers get it: its values in the theme's frame."""
    data, style = site.data, site.style
    source = data.source_language
    page_url = urls.language_root(page.language, source) + style.url(page.page)
    values = {
        "title": escape_text(page.title),
        "description": escape_text(page.description),
        "content": page.content,
        "head": page.head,
        "page": page.page.rsplit("/", 1)[-1],
        "edit": page.edit or "",
    }
    for code in data.language_codes:
        values[f"alternate.{code}"] = urls.language_root(code, source) + style.url(page.page)
    return frame.render(values, page.toc, page_url)


# What the writing thread is handed: a file's path and bytes, or None at the end.
_Item = tuple[str, bytes] | None


class Writer:
    """Writes pages and files under a site folder; with `remember`, only those that changed
    since it last wrote them (a preview's site folder is its own)."""

    def __init__(self, site_dir: Path, remember: bool = False, background: bool = False):
        self.site_dir = site_dir
        self.root = os.fspath(site_dir)
        self.remember = remember
        # With `background`, files are written by a thread of their own while pages are made:
        # creating folders and files waits on the file system, rendering on the processor.
        # The thread starts with the first file and ends at `finish`: worker processes are
        # forked between (a fork copies no threads, and a thread's locks could be held).
        self.background = background
        self._queue: queue.Queue[_Item] | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.written: dict[str, bytes] = {}  # path -> digest of what was written
        self.pages: dict[str, RenderedPage] = {}  # path -> the rendered page written there (remembered)
        self.folders: set[str] = set()  # made already: thousands of pages share a few folders

    def write(self, path: str, content: str | bytes) -> bool:
        data = content.encode("utf-8") if isinstance(content, str) else content
        if self.remember:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if self.written.get(path) == digest and os.path.isfile(os.path.join(self.root, path)):
                return False
            self.written[path] = digest
        if self.background:
            if self._failure is not None:
                raise self._failure
            if self._thread is None:
                self._queue = queue.Queue(maxsize=512)
                self._thread = threading.Thread(target=self._drain, args=(self._queue,), name="lardom-writer",
                                                daemon=True)
                self._thread.start()
            assert self._queue is not None
            self._queue.put((path, data))
        else:
            self._store(path, data)
        return True

    def _store(self, path: str, data: bytes) -> None:
        target = os.path.join(self.root, path)
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        with open(target, "wb") as stream:
            stream.write(data)

    def _drain(self, work: queue.Queue[_Item]) -> None:
        while (item := work.get()) is not None:
            try:
                if self._failure is None:
                    self._store(*item)
            except BaseException as failure:  # told to the builder at its next write or at `finish`
                self._failure = failure

    def fresh(self) -> Writer:
        """A writer of the same folder, for a worker process."""
        return Writer(self.site_dir, self.remember, self.background)

    def finish(self) -> None:
        """Waits until every file is written, and ends the writing thread; raises what went wrong."""
        if self._thread is not None:
            assert self._queue is not None
            self._queue.put(None)
            self._thread.join()
            self._thread = self._queue = None
        if self._failure is not None:
            raise self._failure

    def has_written(self, path: str, page: RenderedPage) -> bool:
        """Whether this very rendered page (a remembered one) was written there last, as it is."""
        return self.remember and self.pages.get(path) is page and os.path.isfile(os.path.join(self.root, path))

    def write_page(self, path: str, page: RenderedPage, html: str) -> bool:
        if self.remember:
            self.pages[path] = page
        return self.write(path, html)

    def copy(self, path: str, source: str) -> bool:
        if self.remember:
            status = os.stat(source)
            digest = f"{status.st_size} {status.st_mtime_ns}".encode()
            if self.written.get(path) == digest and (self.site_dir / path).is_file():
                return False
            self.written[path] = digest
        target = self.site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return True


def write_pages(site: SiteToWrite, plans: Sequence[PagePlan], frames: Mapping[FrameKey, PageFrame],
                writer: Writer, processes: int = 1) -> list[str]:
    """Renders and writes the planned pages; returns the paths written. With more than one
    process, the pages are shared out among worker processes (parallel.py), which write
    their pages themselves."""
    return start_pages(site, plans, frames, writer, processes).result()


class StartedPages(Protocol):
    """Pages being written (`start_pages`): `result()` waits for them and gives the paths written."""

    def result(self) -> list[str]: ...


class _Done:
    def __init__(self, written: list[str]):
        self.written = written

    def result(self) -> list[str]:
        return self.written


def start_pages(site: SiteToWrite, plans: Sequence[PagePlan], frames: Mapping[FrameKey, PageFrame],
                writer: Writer, processes: int = 1) -> StartedPages:
    """`write_pages` begun: with worker processes it returns at once, and `result()` waits for
    them (this process may do other work meanwhile); else it has written the pages already."""
    if processes <= 1 or len(plans) < PARALLEL_FROM_PAGES or writer.remember:
        return _Done(_write(site, plans, frames, writer))
    writer.finish()  # its thread, if any, before the fork
    step = -(-len(plans) // (processes * 4))  # a few parts a process, so that none waits long for another
    spans = [(start, min(start + step, len(plans))) for start in range(0, len(plans), step)]

    def part(span: tuple[int, int]) -> list[str]:
        own = writer.fresh()
        try:
            return _write(site, plans[span[0]:span[1]], frames, own)
        finally:
            own.finish()

    pending = forked_start(part, spans, processes, site.memo)

    class _Pages:
        def result(self) -> list[str]:
            return [path for part in pending.result() for path in part]

    return _Pages()


# Below this many pages, starting processes costs more than it saves.
PARALLEL_FROM_PAGES = 200


def _write(site: SiteToWrite, plans: Sequence[PagePlan], frames: Mapping[FrameKey, PageFrame],
           writer: Writer) -> list[str]:
    style, source = site.style, site.data.source_language
    written = []
    for plan in plans:
        page = plan.render()
        path = urls.language_root(plan.language, source) + style.file(plan.page)
        if writer.has_written(path, page):
            continue  # a preview: the same remembered page as last time, in the same frame
        frame = frames[plan.frame_key(bool(page.toc and page.toc[0].children))]
        if writer.write_page(path, page, page_html(site, page, frame)):
            written.append(path)
    return written


def write_assets(site: SiteToWrite, language: str, writer: Writer) -> list[str]:
    """The files beside the lessons, under the language's folder (lessons link them relatively)."""
    root = urls.language_root(language, site.data.source_language)
    written = []
    for asset in site.assets:
        path = f"{root}{urls.LESSONS}/{asset.relative_path}"
        if writer.copy(path, asset.absolute_path):
            written.append(path)
    return written


def write_outputs(outputs: dict[str, str | bytes], writer: Writer) -> list[str]:
    return [path for path, content in sorted(outputs.items()) if writer.write(path, content)]
