"""Slugs and suggestions: how editors' words become ids, and near misses are found."""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Letters that do not decompose into a base letter plus a mark under NFKD.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l", "ı": "i"})


# difflib compares a word with every candidate slowly: with thousands of lessons and
# many broken links that took minutes. Beyond this many candidates, it compares only
# those that share the most three-letter pieces with the word.
SHORTLIST = 12


def _shortlist(wanted: str, keys: list[str]) -> list[str]:
    if len(keys) <= SHORTLIST:
        return keys
    pieces = _trigrams(wanted)
    scored = heapq.nlargest(SHORTLIST, enumerate(keys), key=lambda item: (len(pieces & _trigrams(item[1])), -item[0]))
    return [key for _, key in sorted(scored)]  # in the candidates' own order, as difflib saw them


@lru_cache(maxsize=65536)
def _trigrams(text: str) -> frozenset[str]:
    padded = f"  {text} "
    return frozenset(padded[index:index + 3] for index in range(len(padded) - 2))


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


def fold(text: str) -> str:
    """Lower-case ASCII approximation: `Skellefteå` -> `skelleftea`, `Öje` -> `oje`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def suggest(value: str, candidates: Mapping[str, Iterable[str]], limit: int = 3) -> list[str]:
    """Ids whose id or names are closest to `value`, best first.

    `candidates` maps each id to the names it is known by, so that an editor
    who writes `Skellefteå` or `bostad` is pointed to `skelleftea` or `bostader`.
    """
    wanted = slugify(value)
    if not wanted:
        return []
    by_key: dict[str, str] = {}
    for ident, names in candidates.items():
        by_key.setdefault(ident, ident)
        for name in names:
            by_key.setdefault(slugify(name), ident)
    if wanted in by_key:
        return [by_key[wanted]]
    found: list[str] = []
    for key in difflib.get_close_matches(wanted, _shortlist(wanted, list(by_key)), n=limit * 3, cutoff=0.6):
        ident = by_key[key]
        if ident not in found:
            found.append(ident)
    if not found:  # a prefix is a strong hint too: `bostad` -> `bostader`
        found = [ident for key, ident in by_key.items() if key.startswith(wanted) or wanted.startswith(key)]
        found = list(dict.fromkeys(found))
    return found[:limit]
