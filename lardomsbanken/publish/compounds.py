"""Swedish compounds for search: `bostadsbristen` is indexed under `bostad` and `brist` too.

Swedish writes compounds as one word, so a reader who types `brist` must also find
`bostadsbristen`. A compound is split only into parts that are themselves words:

- **The dictionary** is every Swedish word the collection uses on its own (lessons'
  titles, summaries and bodies, the names and descriptions of themes, places, actors
  and types), and the word list `words` in `data/compounds.yml` (common parts the
  collection may use only inside compounds). It is compared by stem, so a part in any
  inflection matches: the tail of `bostadsbristen` is `bristen`, stem `brist`.
- **Parts are long enough**: at least `min_part` letters (4), except the few short
  words in `short_parts` (`el`, `nät`, `väg`, …). So `kort` is never `k` + `ort` and
  `export` never `exp` + `ort`; a part is never a stop word (`till` in `tillstånd`).
- **The linking `s`** between the parts is dropped (`bostads|brist` -> `bostad`,
  `brist`); the stemmer already removes one from a part's end.
- Words that look like parts but are endings (`ande` in `byggande`, `ning`) are in
  `never`, and are never a part.
- A part may itself be a compound (`miljötillståndsprövning` -> `miljötillstånd`,
  `prövning`, and `miljö`, `tillstånd`). Of the ways to split a word the one with the
  fewest parts wins, then the one whose shortest part is longest (`bostads|byggandet`
  over `bostadsbygg|andet`), then the longest last part.

Why a dictionary and not every substring of four letters: `ort` in `kort`, `rapp` in
`rapport`, `ande` in `byggande` are substrings but not parts; requiring both sides to be
words keeps results about what a reader meant. Why the collection and not only a word
list: the collection's own words are the parts readers look for, and a list of all
Swedish words would be larger than the index.

The splitter runs at build time (the index stores every compound's parts as terms of
their own, weighed apart from whole words) and, in the reference query and
`search.js`, on a query word that is not in the index as a whole word, with the
index's own dictionary flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lardomsbanken.load.yamlnodes import Mapping, Scalar, Sequence
from lardomsbanken.load.yamltext import decode, parse_yaml
from lardomsbanken.model.problems import Position, Problem

COMPOUNDS_FILE = "compounds.yml"
LINKING = "s"
LIMIT = 40  # longer tokens are not split (no Swedish word is; a long token is a code or an address)


@dataclass(frozen=True)
class CompoundRules:
    """`data/compounds.yml`: how long a part must be, the exceptions, and the words that
    count as parts besides the collection's own."""

    min_part: int = 4
    short_parts: frozenset[str] = frozenset()  # parts all the same, though short (or with a short stem)
    short_heads: frozenset[str] = frozenset()  # the same, but only as the first part (`el` in `elnät`)
    never: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()

    def digest(self) -> tuple[object, ...]:
        return (self.min_part, sorted(self.short_parts), sorted(self.short_heads), sorted(self.never), self.words)

    def allows(self, piece: str, head: bool, stem: Callable[[str], str], stop: frozenset[str]) -> bool:
        """Whether a piece of a word may be a part, before the dictionary is asked: not an
        ending or a stop word (nor its stem an ending), and the piece and its stem long enough (`rade` in
        `fungerade` has the stem `rad`), or a listed short part in any form (`nätet`)."""
        if piece in self.never or piece in stop:
            return False
        stemmed = stem(piece)
        shorts = (*self.short_parts, *self.short_heads) if head else tuple(self.short_parts)
        if piece in shorts or any(stemmed == stem(short) for short in shorts):
            return True
        return len(piece) >= self.min_part and len(stemmed) >= self.min_part and stemmed not in self.never


def load_rules(data_dir: Path, display_root: Path) -> tuple[CompoundRules, list[Problem]]:
    """Read and check `data/compounds.yml` (a missing file means no extra words), and the
    problems found in it, each with the file, line and column."""
    path = data_dir / COMPOUNDS_FILE
    try:
        display = path.relative_to(display_root).as_posix()
    except ValueError:
        display = path.as_posix()
    if not path.is_file():
        return CompoundRules(), []
    text, problem = decode(path.read_bytes(), display)
    if problem is not None or text is None:
        return CompoundRules(), [problem or Problem("file-unreadable", Position(display))]
    result = parse_yaml(text, display)
    problems = list(result.problems)
    rules = _rules(result.node, display, problems)
    return rules, problems


def _rules(node: object, display: str, problems: list[Problem]) -> CompoundRules:
    if node is None:
        return CompoundRules()
    if not isinstance(node, Mapping):
        problems.append(Problem("compounds-invalid", getattr(node, "position", Position(display)), field="-"))
        return CompoundRules()
    min_part = 4
    lists: dict[str, list[str]] = {"short_parts": [], "short_heads": [], "never": [], "words": []}
    for key, value in node.values.items():
        if key == "min_part":
            if isinstance(value, Scalar) and isinstance(value.value, int) and not isinstance(value.value, bool) \
                    and 2 <= value.value <= 8:
                min_part = value.value
            else:
                problems.append(Problem("compounds-invalid", value.position, field=key))
        elif key in lists:
            if not isinstance(value, Sequence):
                problems.append(Problem("compounds-invalid", value.position, field=key))
                continue
            for item in value.items:
                word = item.value if isinstance(item, Scalar) else None
                if not isinstance(word, str) or not word.isalpha() or word != word.lower():
                    problems.append(Problem("compounds-invalid", item.position, field=key))
                else:
                    lists[key].append(word)
        else:
            problems.append(Problem("compounds-invalid", node.keys[key], field=key))
    return CompoundRules(min_part, frozenset(lists["short_parts"]), frozenset(lists["short_heads"]),
                         frozenset(lists["never"]), tuple(lists["words"]))


@dataclass
class Splitter:
    """Splits Swedish words into the parts that are words of its dictionary.

    `stem` is the Swedish stemmer of search_terms; `known` the stems of the words of
    the dictionary (`dictionary()` makes it). Results are cached per word."""

    rules: CompoundRules
    stem: Callable[[str], str]
    known: frozenset[str]
    stop: frozenset[str] = frozenset()
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _splits: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False)

    def is_part(self, piece: str, head: bool = False) -> bool:
        """Whether a piece of a word is a part: allowed by the rules (`CompoundRules.allows`)
        and, by its stem, a word of the dictionary."""
        return self.rules.allows(piece, head, self.stem, self.stop) and self.stem(piece) in self.known

    def parts(self, word: str) -> tuple[str, ...]:
        """The stems of a word's parts, outer parts first, then the parts of parts; ()
        when the word is not a compound of dictionary words."""
        found = self._cache.get(word)
        if found is None:
            split = self.split(word)
            if split is None:
                found = ()
            else:
                head, tail = split
                stems: dict[str, None] = {self.stem(head): None, self.stem(tail): None}
                for piece in (head, tail):
                    stems.update(dict.fromkeys(self.parts(piece)))
                stems.pop(self.stem(word), None)
                found = tuple(stems)
            self._cache[word] = found
        return found

    def split(self, word: str) -> tuple[str, str] | None:
        """The best way to cut a word in two (head, tail), the linking s dropped from the head."""
        if word not in self._splits:
            self._splits[word] = best_split(word, self.is_part, self._splittable)
        return self._splits[word]

    def _splittable(self, piece: str, head: bool) -> bool:
        return self.is_part(piece, head) or (len(piece) >= 2 * SHORTEST and self.split(piece) is not None)


SHORTEST = 2  # no piece is shorter


def best_split(word: str, is_part: Callable[[str, bool], bool],
               acceptable: Callable[[str, bool], bool]) -> tuple[str, str] | None:
    """The best cut of a word into head and tail that are both `acceptable` (a part, or a
    compound of parts; the flag says whether the piece is the head); `is_part` tells a
    piece that is a word itself. search.js has the same function."""
    if len(word) > LIMIT or not word.isalpha():
        return None
    best: tuple[tuple[int, int, int, int], tuple[str, str]] | None = None
    for cut in range(SHORTEST, len(word) - SHORTEST + 1):
        tail = word[cut:]
        if not acceptable(tail, False):
            continue
        head = word[:cut]
        after_s = int(head[-1] == LINKING)
        if not acceptable(head, True):
            # The linking s: `bostads|brist` -> `bostad`, `brist` (a head that ends in s
            # as written, `kompetens`, keeps it).
            if not after_s or cut - 1 < SHORTEST or not acceptable(head[:-1], True):
                continue
            head = head[:-1]
        # Fewest parts first (a side that is a word itself beats one that is split again),
        # then a cut after an s (`fastighets|ägare`, not `fastighet|sägare`), then the
        # longest shortest side, then the longest tail.
        depth = int(not is_part(head, True)) + int(not is_part(tail, False))
        rank = (-depth, after_s, min(len(head), len(tail)), len(tail))
        if best is None or rank > best[0]:
            best = (rank, (head, tail))
    return best[1] if best else None


def dictionary(words: Iterable[str], rules: CompoundRules, stem: Callable[[str], str],
               stop: frozenset[str]) -> frozenset[str]:
    """The stems of the words that may be parts: the given words (the collection's own
    Swedish words), the rules' word list and short parts, without endings and stop words."""
    known: set[str] = set()
    for word in (*words, *rules.words, *rules.short_parts, *rules.short_heads):
        if not word.isalpha():
            continue
        if rules.allows(word, True, stem, stop):
            known.add(stem(word))
    return frozenset(known)
