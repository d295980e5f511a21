"""What a preview keeps from one build to the next, so a save rebuilds only what changed.

`mkdocs serve` rebuilds the whole site on every save. With thousands of
lessons, reading every file and rendering every lesson page again would take
longer than an editor should wait, and almost all of it is the same as last
time. A `Memo` remembers, for one preview session, results that depend only
on what they are keyed by:

- a lesson file's parsed front matter and body, by its path and exact bytes;
- a lesson page's Markdown, by everything it shows (the lesson, its related
  lessons, the vocabularies and words, the templates and the URL style);
- a search document's term weights, by its texts;
- a lesson card, by the lesson and its link; a page's head, by the page;
- compiled templates (ours and the theme's), by their source.

A one-off build uses no memo (`None`), so it holds nothing it will not use.
Each table keeps one entry per file, page or document and forgets the rest
at the start of every build, so a long session does not grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Hashable, TypeVar

import jinja2

Value = TypeVar("Value")


@dataclass
class Table(Generic[Value]):
    """Results by name, each valid for one key; entries not used in a build are dropped."""

    entries: dict[Hashable, tuple[Hashable, Value]] = field(default_factory=dict)
    used: set[Hashable] = field(default_factory=set)

    def get(self, name: Hashable, key: Hashable, make: Callable[[], Value]) -> Value:
        self.used.add(name)
        found = self.entries.get(name)
        if found is not None and found[0] == key:
            return found[1]
        value = make()
        self.entries[name] = (key, value)
        return value

    def start_build(self) -> None:
        if self.used:
            self.entries = {name: entry for name, entry in self.entries.items() if name in self.used}
        self.used = set()


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory. A site engine makes its template
    environment afresh for every build, and compiling the theme's templates again
    costs more than rendering the pages that changed. Jinja keys each template
    by its name and a checksum of its source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Memo:
    files: Table[Any] = field(default_factory=Table)
    lesson_pages: Table[Any] = field(default_factory=Table)
    search_weights: Table[Any] = field(default_factory=Table)
    cards: Table[Any] = field(default_factory=Table)
    heads: Table[Any] = field(default_factory=Table)
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)

    def start_build(self) -> None:
        for table in (self.files, self.lesson_pages, self.search_weights, self.cards, self.heads):
            table.start_build()


@dataclass
class Session:
    """The command this process runs, and a preview's memo.

    Kept in the core because the site engine may load its adapter afresh for
    every rebuild (MkDocs re-executes hook files on each `serve` rebuild), and
    whatever the adapter holds is then lost.
    """

    command: str | None = None
    memo: Memo | None = None

    def start(self, command: str) -> None:
        self.command = command
        self.memo = Memo() if command == "serve" else None


SESSION = Session()
