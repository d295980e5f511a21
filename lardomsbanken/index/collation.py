"""Sorting text the way a language's readers expect, from the alphabet in data/languages.yml.

Swedish puts å, ä and ö after z, in that order; accented letters sort as
their base letter (é as e) and a few letters as another (ü as y). Ties are
broken by accents, then by case, then by the text itself, so the order is
total and stable across builds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from lardomsbanken.load.vocabularies import Language

# Letters' places, then their accents, then their cases, then the text itself.
SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]


def collation_key(language: Language) -> Callable[[str], SortKey]:
    weights = {letter: index for index, letter in enumerate(language.alphabet)}
    equivalents = language.equivalents
    unknown = len(weights)

    def primary_of(char: str) -> tuple[int, int] | None:
        """The letter's place in the alphabet and whether it carried an accent."""
        if char in weights:
            return weights[char], 0
        if char in equivalents:
            return weights.get(equivalents[char], unknown), 1
        base = unicodedata.normalize("NFD", char)[0]
        if base in weights:
            return weights[base], 1
        if char.isalnum():
            return unknown + ord(char), 0
        return None  # spaces and punctuation only separate words

    weights_of: dict[str, tuple[int, int, int] | None] = {}  # per character: sorting is per title

    def weights_of_char(char: str) -> tuple[int, int, int] | None:
        if char not in weights_of:
            folded = char.casefold()
            weight = primary_of(folded if len(folded) == 1 else char)
            weights_of[char] = None if weight is None else \
                (weight[0] + 1, weight[1], 0 if char.islower() or not char.isalpha() else 1)
        return weights_of[char]

    def key(text: str) -> SortKey:
        primary: list[int] = []
        accents: list[int] = []
        cases: list[int] = []
        for word in text.split():
            for char in word:
                weight = weights_of_char(char)
                if weight is None:
                    continue
                primary.append(weight[0])
                accents.append(weight[1])
                cases.append(weight[2])
            primary.append(0)  # a word boundary sorts before any letter: "Ny stad" < "Nyby"
        return tuple(primary), tuple(accents), tuple(cases), text

    return key
