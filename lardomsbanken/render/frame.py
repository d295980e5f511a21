"""Page frames: the theme's rendering of a page, with what differs from page to page left open.

The site engine's theme draws every page's frame (head, header, navigation,
table of contents, footer). Rather than have the theme render each of
thousands of lesson pages, it renders each kind of page once with a
*sentinel* in place of every per-page value (title, content, table of
contents, head additions, counterpart links, edit link, the page's own
address). `Frame.parse` cuts that rendering at the sentinels into literal
pieces and named slots; `Frame.fill` puts a page's values in. The theme's
markup is never copied: the pieces are the theme's own output.

A sentinel carries a probe, `<h1>&amp;"`, so that the rendering shows what
the theme does with a value in that place: prints it as it is, escapes it,
strips its tags, or both. Each slot remembers that, and `fill` does the same
to the page's value (values are given as HTML). Slots that the theme passes
through its `url` filter are made relative to the page the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from lardomsbanken.model.page import TocEntry

SLOT, PROBE, END = "LDSLOT", "LDPROBE", "LDEND"
PROBE_VALUE = '<h1>&amp;"'


def sentinel(name: str, probe: bool = True) -> str:
    """What the theme is given in place of a page's value. Without `probe`, for values
    the theme uses as part of an address (a path, an id), which must stay plain ASCII."""
    return f"{SLOT}{name}{PROBE}{PROBE_VALUE}{END}" if probe else f"{SLOT}{name}{END}"


# What the theme made of the probe -> how `fill` treats a value there.
_TRANSFORMS = {
    PROBE_VALUE: "html",  # printed as it is
    '&lt;h1&gt;&amp;amp;&#34;': "escaped",  # Jinja's escape
    '&lt;h1&gt;&amp;amp;&quot;': "escaped",  # html.escape
    '&"': "text",  # striptags: the text, unescaped
    '&amp;&#34;': "text-escaped",  # striptags, then escape
    '&amp;&quot;': "text-escaped",
    None: "html",  # no probe: a plain value
}
_OCCURRENCE = re.compile(
    rf"(?P<up>(?:\.\./)*){SLOT}(?P<name>[A-Za-z0-9_.-]+?)(?:{PROBE}(?P<probe>.*?))?{END}", re.DOTALL)


class FrameError(ValueError):
    """The theme did something with a slot that this module cannot repeat."""


@dataclass(frozen=True)
class Slot:
    name: str
    transform: str  # html, escaped, text, text-escaped, or url (relative to the page)


@dataclass(frozen=True)
class Frame:
    pieces: tuple[str, ...]  # one more than there are slots
    slots: tuple[Slot, ...]

    @classmethod
    def parse(cls, rendered: str, url_slots: frozenset[str] = frozenset()) -> Frame:
        """A rendering with sentinels, cut into pieces and slots. Slots named in `url_slots`
        went through the theme's `url` filter: the `../` it put in front belongs to the slot."""
        pieces: list[str] = []
        slots: list[Slot] = []
        position = 0
        for match in _OCCURRENCE.finditer(rendered):
            name, probe = match.group("name"), match.group("probe")
            if name in url_slots:
                if probe is not None:
                    raise FrameError(f"slot {name}: an address slot must not carry a probe")
                start, transform = match.start(), "url"
            else:  # a `../` in front is the theme's own
                if probe not in _TRANSFORMS:
                    raise FrameError(f"slot {name}: the theme turned {PROBE_VALUE!r} into {probe!r}")
                start, transform = match.start("name") - len(SLOT), _TRANSFORMS[probe]
            pieces.append(rendered[position:start])
            slots.append(Slot(name, transform))
            position = match.end()
        pieces.append(rendered[position:])
        return cls(tuple(pieces), tuple(slots))

    @property
    def names(self) -> frozenset[str]:
        return frozenset(slot.name for slot in self.slots)

    def fill(self, values: Mapping[str, str], page_url: str = "") -> str:
        """The page: every slot's value (HTML; for address slots a path under the site root)
        treated as the theme treated it. `page_url` is the page's own path under the site root."""
        parts = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):  # a piece after each slot
            parts.append(_apply(slot.transform, values[slot.name], page_url))
            parts.append(piece)
        return "".join(parts)


@dataclass(frozen=True)
class PageFrame:
    """The frames of one kind of page. A page's table of contents is its title (a level 1
    entry, where the theme's skip link leads: slots `first.title`, `first.id`) holding the
    entries below it; for a page with such entries, also the frame of one entry (slots
    `toc.title`, `toc.id`) and of one with entries below it (`toc.children`), and what the
    theme draws between entries. The page's slot `toc` holds the entries."""

    page: Frame
    toc_entry: Frame | None = None
    toc_branch: Frame | None = None
    between_entries: str = ""  # what the theme draws between two entries
    between_children: str = ""

    def render(self, values: Mapping[str, str], toc: Sequence[TocEntry] = (), page_url: str = "") -> str:
        """The page; `toc` is its title's entry (with the entries below it), as `render.nest` makes it."""
        if toc:
            first = toc[0]
            filled = {**values, "first.title": escape_text(first.title), "first.id": first.id}
            if first.children:
                if self.toc_entry is None or self.toc_branch is None:
                    raise FrameError("a page with a table of contents needs a frame made for one")
                filled["toc"] = self.between_entries.join(
                    self._entry(entry, self.toc_entry, self.toc_branch) for entry in first.children)
            values = filled
        return self.page.fill(values, page_url)

    def _entry(self, entry: TocEntry, leaf: Frame, branch: Frame) -> str:
        values = {"toc.title": escape_text(entry.title), "toc.id": entry.id}
        if not entry.children:
            return leaf.fill(values)
        values["toc.children"] = self.between_children.join(
            self._entry(child, leaf, branch) for child in entry.children)
        return branch.fill(values)


def _apply(transform: str, value: str, page_url: str) -> str:
    if transform == "html":
        return value
    if transform == "escaped":
        return str(Markup.escape(value))
    if transform == "text":
        return Markup(value).striptags()
    if transform == "text-escaped":
        return str(Markup.escape(Markup(value).striptags()))
    return relative_url(value, page_url)


def relative_url(url: str, other: str) -> str:
    """`url` (a path under the site root) as seen from the page at `other`, the way MkDocs'
    `url` filter writes it: the shortest relative path, `./` for the page itself."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts = _parts(other)
    url_parts = _parts(url)
    common = 0
    for a, b in zip(other_parts, url_parts, strict=False):  # up to the shorter path
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
        else:
            parts.append(part)
    return parts


def escape_text(text: str) -> str:
    """A plain text as a slot value (slot values are HTML)."""
    return html.escape(text, quote=True)
