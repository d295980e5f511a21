"""The frame the core fills is Material's own: each page rendered both ways is the same outside its slots.

A real MkDocs build of the project runs in this process with one more plugin,
which keeps what MkDocs itself rendered for a sample of hand-written pages and,
before static-i18n starts the next language, asks the adapter's
`FrameRenderer` for the frame of each of those pages: the same page, drawn by
the same theme, with its per-page values left as slots. Outside the slots the
two must be identical byte for byte. The sample covers pages in the
navigation (section pages share this shape) and a page outside it in a folder
of its own with an edit link and a table of contents (the shape of a lesson
page), in both languages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority
from sitebuild import make_project

from lardomsbanken.model.page import FrameKey, TocEntry
from lardomsbanken.render.frame import Frame, PageFrame

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_PAGE = """---
title: "Referens & jämförelse"
description: "En sida utanför navigationen, formad som en lärdom."
---

# Referens & jämförelse

Text med en [länk](../om.md).

## Första rubriken

Mer text.

### En underrubrik

## Andra rubriken

Slut.
"""


class _Compare(BasePlugin):
    """Keeps MkDocs' own rendering of the sample pages, and the adapter's frame for each."""

    def __init__(self, sample: dict[str, FrameKey]):
        super().__init__()
        self.sample = sample  # page (`om`, `lardomar/referens`) -> the frame key the adapter would use
        self.rendered: dict[tuple[str, str], tuple[str, object]] = {}  # (language, page) -> (output, page)
        self.frames: dict[tuple[str, str], PageFrame] = {}

    def on_nav(self, nav, config, files):
        self.nav, self.files = nav, files

    def on_env(self, env, config, files):
        self.env = env

    @event_priority(-1000)  # after the adapter's and static-i18n's own page events
    def on_post_page(self, output, page, config):
        name = re.sub(r"\.(sv|en)\.md$", "", page.file.src_uri)
        if name in self.sample:
            self.rendered[(config.theme["language"], name)] = (output, page)
        return output

    @event_priority(50)  # before static-i18n's, which builds the next language
    def on_post_build(self, config):
        from lardomsbanken.adapter.material_frame import FrameRenderer

        adapter = config.plugins["hooks/lardomsbanken_hooks.py"]
        language = config.theme["language"]
        root = "" if language == "sv" else f"{language}/"
        renderer = FrameRenderer(self.env, config, self.nav, self.files, root, adapter.adapter.theme_context)
        for name, key in self.sample.items():
            if (language, name) in self.rendered:
                self.frames[(language, name)] = renderer(key)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("frame") / "project")
    (project / "content" / "lardomar").mkdir()
    (project / "content" / "lardomar" / "referens.sv.md").write_text(REFERENCE_PAGE, encoding="utf-8")
    sample = {
        "om": FrameKey("om", toc=True, edit=True),
        "tillganglighet": FrameKey("tillganglighet", toc=True, edit=True),
        "oppna-data": FrameKey("oppna-data", toc=True, edit=True),
        "lardomar/referens": FrameKey("lardomar/*", toc=True, edit=True),
    }
    previous = Path.cwd()
    os.chdir(project)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        config = load_config(str(project / "mkdocs.yml"))
        plugin = _Compare(sample)
        config.plugins["frame-compare"] = plugin
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    finally:
        os.chdir(previous)
    return plugin


def _pattern(frame: Frame) -> re.Pattern:
    """The frame as a pattern: its pieces as they are, each slot anything."""
    return re.compile("(.*?)".join(re.escape(piece) for piece in frame.pieces), re.DOTALL)


def test_every_sampled_page_was_rendered_both_ways_in_both_languages(compared):
    expected = {(language, src) for language in ("sv", "en") for src in compared.sample}
    assert set(compared.rendered) == expected
    assert set(compared.frames) == expected


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("src", ["om", "tillganglighet", "oppna-data", "lardomar/referens"])
def test_mkdocs_rendering_is_the_frame_byte_for_byte_outside_its_slots(compared, language, src):
    output, _ = compared.rendered[(language, src)]
    frame = compared.frames[(language, src)]
    assert frame.page.slots, "a frame without slots would compare nothing"
    match = _pattern(frame.page).fullmatch(output)
    assert match is not None, _first_difference(frame.page, output)
    slots = {slot.name: value for slot, value in zip(frame.page.slots, match.groups(), strict=True)}
    # What MkDocs put in the slots is this page's own: its content, and its headings in the contents.
    headings = re.findall(r'<h2 id="([^"]+)"', slots["content"])
    assert headings
    assert all(f'href="#{ident}"' in slots["toc"] for ident in headings)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_frame_filled_with_the_pages_own_values_is_mkdocs_rendering_exactly(compared, language):
    """A page outside the navigation, shaped like a lesson page: the core's way of filling
    the frame gives exactly what MkDocs gave, table of contents and edit link included."""
    output, page = compared.rendered[(language, "lardomar/referens")]
    frame = compared.frames[(language, "lardomar/referens")]
    toc = (_entry(page.toc.items[0]),)  # the page's h1, holding the rest
    values = {
        "title": page.meta["title"],  # MkDocs prints the front matter's title as it is
        "description": page.meta["description"],
        "content": page.content,
        "head": _slot_value(frame.page, output, "head"),
        "page": "referens",
        "edit": "content/lardomar/referens.sv.md",
    }
    for code in ("sv", "en"):
        values[f"alternate.{code}"] = ("" if code == "sv" else f"{code}/") + "lardomar/referens/"
    root = "" if language == "sv" else f"{language}/"
    rendered = frame.render(values, toc, root + "lardomar/referens/")
    assert rendered == output


def _entry(item) -> TocEntry:
    return TocEntry(item.level, item.id, item.title, tuple(_entry(child) for child in item.children))


def _slot_value(frame: Frame, output: str, name: str) -> str:
    match = _pattern(frame).fullmatch(output)
    assert match is not None
    return next(value for slot, value in zip(frame.slots, match.groups(), strict=True) if slot.name == name)


def _first_difference(frame: Frame, output: str) -> str:
    """Where the rendering leaves the frame: the first piece not found in order."""
    position = 0
    for number, piece in enumerate(frame.pieces):
        found = output.find(piece, position)
        if found == -1:
            return f"piece {number} not found after offset {position}: {piece[:300]!r}\n...in: {output[position:position + 300]!r}"
        position = found + len(piece)
    return "the pieces are all there, but not with only slots between them"

