"""What a build keeps from the one before, so that work that did not change is not redone.

A `Memo` remembers results that depend only on what they are keyed by:

- a lesson file's parsed front matter and body text, by its path and exact
  bytes (a preview only: it reads the same files again at every save);
- what a body may not hold and its links (`body.Body` of a quick reading), by the digest of
  its text; a body read in full, by the same (a preview only);
- a lesson page's content, by everything it shows (the lesson, its related
  lessons, the vocabularies and words, the templates, the URL style);
- a lesson card, by the lesson and its link;
- a search document's term weights, by its texts.

A preview keeps its memo in memory from one save to the next. A build keeps
it on disk (`save`, `load`, under `.cache/lardom/`, which CI may restore
between runs): a cold build without it makes the same bytes. Each table
keeps what the last build used and forgets the rest, so it does not grow.
The file carries a version made of the core's own source and the parser's
version: after any change of code it is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")
CACHE_FOLDER = Path(".cache") / "lardom"
CACHE_SWITCH = "LARDOM_CACHE"  # "0": no build cache (the preview's memo stays)
# Bodies read in full are left out: they are read again only when a page of theirs must be
# rendered again, and would make the file several times larger.
_PERSISTED = ("analyses", "lesson_pages", "list_pages", "cards", "search_weights")
# What a worker process sends back for one table: per name, the key and value it made, or
# None for an entry it only used.
Journal = dict[Hashable, tuple[Hashable, Any] | None]


@dataclass
class Table(Generic[Value]):
    """Results by name, each valid for one key; entries not used in a build are dropped."""

    entries: dict[Hashable, tuple[Hashable, Value]] = field(default_factory=dict)
    used: set[Hashable] = field(default_factory=set)
    # In a worker process (parallel.py): what it used and made, to send back.
    journal: dict[Hashable, tuple[Hashable, Value] | None] | None = None

    def get(self, name: Hashable, key: Hashable, make: Callable[[], Value]) -> Value:
        self.used.add(name)
        found = self.entries.get(name)
        if found is not None and found[0] == key:
            if self.journal is not None:
                self.journal.setdefault(name, None)
            return found[1]
        value = make()
        self.entries[name] = (key, value)
        if self.journal is not None:
            self.journal[name] = (key, value)
        return value

    def merge(self, journal: dict[Hashable, tuple[Hashable, Value] | None]) -> None:
        """What a worker process used and made, as if it had been done here."""
        for name, entry in journal.items():
            self.used.add(name)
            if entry is not None:
                self.entries[name] = entry

    def start_build(self) -> None:
        if self.used:
            self.entries = {name: entry for name, entry in self.entries.items() if name in self.used}
        self.used = set()

    def kept(self) -> dict[Hashable, tuple[Hashable, Value]]:
        """The entries the current build used."""
        return {name: entry for name, entry in self.entries.items() if name in self.used}


@dataclass
class Memo:
    files: Table[Any] = field(default_factory=Table)
    analyses: Table[Any] = field(default_factory=Table)  # what bodies may not hold, and their links
    bodies: Table[Any] = field(default_factory=Table)
    lesson_pages: Table[Any] = field(default_factory=Table)
    list_pages: Table[Any] = field(default_factory=Table)
    search_weights: Table[Any] = field(default_factory=Table)
    cards: Table[Any] = field(default_factory=Table)

    def tables(self) -> dict[str, Table[Any]]:
        return {"files": self.files, "analyses": self.analyses, "bodies": self.bodies,
                "lesson_pages": self.lesson_pages, "list_pages": self.list_pages,
                "search_weights": self.search_weights, "cards": self.cards}

    def start_build(self) -> None:
        for table in self.tables().values():
            table.start_build()

    # What worker processes send back. Not bodies read in full (not kept on disk), nor search
    # weights (a dictionary of words per document: sending them costs more than working them
    # out again); a preview, which keeps both, works in its own process.
    _JOURNALED = ("files", "analyses", "lesson_pages", "list_pages", "cards")

    def start_journal(self) -> None:
        for name in self._JOURNALED:
            self.tables()[name].journal = {}

    def journals(self) -> dict[str, Journal]:
        return {name: self.tables()[name].journal or {} for name in self._JOURNALED}

    def merge(self, journals: dict[str, Journal]) -> None:
        for name, journal in journals.items():
            self.tables()[name].merge(journal)

    @classmethod
    def load(cls, path: Path) -> Memo:
        """The memo saved at `path`, or an empty one when there is none of this code's version."""
        memo = cls()
        try:
            with open(path, "rb") as stream:
                version, tables = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return memo
        if version != code_version():
            return memo
        for name in _PERSISTED:
            getattr(memo, name).entries = tables.get(name, {})
        return memo

    def save(self, path: Path) -> None:
        """What this build used, written whole or not at all (a build may be stopped)."""
        tables = {name: getattr(self, name).kept() for name in _PERSISTED}
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".memo-")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                pickle.dump((code_version(), tables), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


_CODE_VERSION: str | None = None


def code_version() -> str:
    """The core's source, its templates, the parser and Python: what every remembered result
    also depends on."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        import pyromark

        digest = hashlib.blake2b(digest_size=16)
        package = Path(__file__).parent.parent
        for path in sorted([*package.rglob("*.py"), *package.rglob("*.j2")]):
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
        digest.update(f"{pyromark.__version__} {sys.version}".encode())
        _CODE_VERSION = digest.hexdigest()
    return _CODE_VERSION


def build_cache(root: Path) -> Path | None:
    """Where a build of the project at `root` keeps its memo, or None when turned off."""
    if os.environ.get(CACHE_SWITCH, "1") == "0":
        return None
    return root / CACHE_FOLDER / "memo.pickle"


@dataclass
class Session:
    """The command this process runs, and a preview's memo.

    Kept in the core because the site engine may load its adapter afresh for
    every rebuild (MkDocs re-executes hook files on each `serve` rebuild), and
    whatever the adapter holds is then lost.
    """

    command: str | None = None
    memo: Memo | None = None
    preview: Any = None  # a preview.PreviewSession while `lardom preview` runs: it keeps its memo

    def start(self, command: str) -> None:
        self.command = command
        if self.preview is not None:
            self.memo = self.preview.memo
        else:
            self.memo = Memo() if command == "serve" else None


SESSION = Session()
