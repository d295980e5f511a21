"""The preview's builds: the whole site when the engine must take part, the collection alone otherwise.

An editor saves a lesson and wants to see it at once. The site engine
(MkDocs) need not run for that: its part of the site (the hand-written
pages, the theme's frames) only changes when `content/`, `overrides/`,
`data/` or the engine's configuration do. So a preview session keeps what
the engine's last build left (`EngineOutput`: each language's frames, the
hand-written pages before their directives were filled, their text for the
search index, the 404 pages), and after a change under `lessons/` the core
rebuilds the collection by itself, with the memo of the session, writing
only the pages whose bytes changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lardomsbanken.model.page import FrameKey
from lardomsbanken.model.problems import ContentErrors, Problem
from lardomsbanken.pipeline import site
from lardomsbanken.publish import writer as publish
from lardomsbanken.publish.search_index import ContentPage
from lardomsbanken.render.frame import PageFrame
from lardomsbanken.runtime.cache import Memo

# Folders and files whose change needs the engine: everything else the core rebuilds alone.
ENGINE_SOURCES = ("content", "overrides", "data", "hooks", "mkdocs.yml")
CORE_SOURCES = ("lessons", "lardomsbanken/render/templates")


@dataclass
class EngineOutput:
    """What the engine's last build of the preview left for the core's own rebuilds."""

    frames: dict[str, dict[FrameKey, PageFrame]] = field(default_factory=dict)  # per language
    # Hand-written pages as the engine rendered them, before their directives were filled:
    # site path -> (page, language, HTML).
    content_html: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    content_pages: list[ContentPage] = field(default_factory=list)
    not_found_pages: dict[str, str] = field(default_factory=dict)


@dataclass
class PreviewSession:
    """One preview: its memo, its writer (which remembers what it wrote), and the engine's output."""

    root: Path
    site_dir: Path
    memo: Memo = field(default_factory=Memo)
    engine: EngineOutput | None = None
    writer: publish.Writer | None = None
    problems: list[Problem] = field(default_factory=list)  # of the last build
    project: site.Project | None = None  # as the engine's last build configured it

    def start_engine_build(self) -> None:
        """The engine empties the site folder and writes everything again."""
        self.engine = EngineOutput()
        self.writer = publish.Writer(self.site_dir, remember=True)
        self.problems = []

    def needs_engine(self, changed: Iterable[Path]) -> bool:
        if self.engine is None or not self.engine.frames:
            return True
        for path in changed:
            try:
                relative = path.resolve().relative_to(self.root).as_posix()
            except ValueError:
                return True
            if not relative.startswith(tuple(source + "/" for source in CORE_SOURCES)):
                return True
        return False

    def rebuild_collection(self, project: site.Project) -> tuple[list[str], Callable[[], list[str]]]:
        """The collection again, with the engine's last output; returns the site paths written,
        and what writes the files that are not pages (which open pages need not wait for).
        A content error raises ContentErrors, and nothing is written."""
        assert self.engine is not None and self.writer is not None
        generated = site.prepare(project)
        written: list[str] = []
        for language in generated.data.language_codes:
            frames = self.engine.frames[language]
            missing = generated.frame_keys(language) - frames.keys()
            if missing:  # a kind of page the engine has not drawn yet
                raise NeedsEngine(missing)
            written += publish.write_pages(generated, generated.plans[language], frames, self.writer)
            written += publish.write_assets(generated, language, self.writer)
        for path, (page, language, html) in self.engine.content_html.items():
            if self.writer.write(path, generated.fill_directives(html, page, language)):
                written.append(path)
        engine, writer = self.engine, self.writer

        def write_outputs() -> list[str]:
            outputs = generated.outputs(engine.content_pages)
            outputs.update(engine.not_found_pages)
            return publish.write_outputs(outputs, writer)

        return written, write_outputs


class NeedsEngine(Exception):
    """The collection needs something only the engine can make (a new kind of page)."""


def rebuild(session: PreviewSession, changed: Iterable[Path],
            engine_build: Callable[[], None]) -> tuple[list[str], list[Problem], Callable[[], list[str]] | None]:
    """After `changed` files: the collection alone, or the whole site with the engine. Returns the
    site paths written (none listed after the engine's build, which writes everything), the
    problems, and what is left to write once open pages have been told to reload."""
    changed = list(changed)
    if not session.needs_engine(changed):
        try:
            assert session.project is not None
            written, then = session.rebuild_collection(session.project)
            session.problems = []
            return written, [], then
        except ContentErrors as errors:
            session.problems = list(errors.problems)
            return [], session.problems, None
        except NeedsEngine:
            pass
    engine_build()
    return [], session.problems, None
