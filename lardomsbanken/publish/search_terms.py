"""Words as search sees them: tokenising, stop words and stemming per language.

The browser does exactly the same in `content/assets/js/search.js` and
`stemmers.js` (tests compare the two), so a word typed by a reader meets the
word the build indexed:

- text is NFC-normalised and lower-cased; a token is a run of letters and
  digits (`[^\\W_]+`, in JavaScript `[\\p{L}\\p{N}]+`), so å, ä, ö and the Sami
  letters stay as they are and nothing Swedish tells apart is folded;
- stop words (small lists of function words) are neither indexed nor searched;
- each language has its Snowball stemmer (Swedish, English "Porter2"); a
  language without one is searched unstemmed. Words with characters outside
  the Basic Multilingual Plane are left unstemmed: JavaScript counts them as
  two characters, and the stemmers' regions depend on character positions.

Swedish words are stemmed twice. Snowball removes one ending, but Swedish
stacks them, and some stems still end in something that looks like an ending:
once, `bostad` gives `bost` but `bostaden` gives `bostad`, and `myndighets`
gives `myndighet` but `myndighet` gives `mynd`. The second pass makes each
pair meet; on the starter lessons it joins almost only forms of one word.
Two definite endings Snowball leaves are removed after it: `-et` after two
consonants (`projektet`, `landet`, `samhället`; then stemmed once more, so that
`projektet` meets `projekt`) and `-an` (`skolan`, `frågan`, `ansökan`) in
words of five letters or more. Last, a stem whose last vowel is ä or ö gets a
or o there, so that plurals with a changed vowel meet their singular:
`bostäder` and `bostaden` both give `bostad`, `städer` and `staden` `stad`,
`söner` `son`. Both the index and the query do it, so nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+")
_ASTRAL = re.compile(r"[\U00010000-\U0010FFFF]")

SNOWBALL_NAMES = {"sv": "swedish", "en": "english"}
PASSES = {"sv": 2}  # how often a language's stemmer runs over a word (see above)

# Words too common to help a search. Kept short: a stop word can never be found.
STOP_WORDS: dict[str, frozenset[str]] = {
    "sv": frozenset(
        "och i att det som en ett på är av för med till den de om från så kan "
        "eller men vid har var inte sig dess deras".split()
    ),
    "en": frozenset(
        "a an and are as at be by for from in is it its of on or that the their "
        "this to was were with".split()
    ),
}


def tokens(text: str) -> list[str]:
    """The words of a text, normalised and lower-cased, in order."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def stop_words(language: str) -> frozenset[str]:
    return STOP_WORDS.get(language, frozenset())


def stemmer(language: str) -> Callable[[str], str]:
    """The stemming function for a language: a lower-case token -> its stem."""
    return _stemmer(language)


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    name = SNOWBALL_NAMES.get(language)
    if name is None:
        return lambda word: word
    snowball = snowballstemmer.stemmer(name)
    passes = PASSES.get(language, 1)

    @lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        if _ASTRAL.search(word):
            return word
        for _ in range(passes):
            word = snowball.stemWord(word)
        if language == "sv":
            if _definite_et(word):
                word = snowball.stemWord(word[:-2])
            elif len(word) >= 5 and word.endswith("an"):
                word = word[:-2]
            word = _without_plural_umlaut(word)
        return word

    return stem


_SV_VOWELS = frozenset("aeiouyäåö")


def _definite_et(word: str) -> bool:
    """A Swedish `-et` after two consonants, in a word of six letters or more."""
    return (len(word) >= 6 and word.endswith("et")
            and word[-3] not in _SV_VOWELS and word[-4] not in _SV_VOWELS)


_PLURAL_UMLAUTS = {"ä": "a", "ö": "o"}


def _without_plural_umlaut(word: str) -> str:
    """The stem with its last vowel ä/ö as a/o: `bostäd` (from `bostäder`) -> `bostad`."""
    for position in range(len(word) - 1, -1, -1):
        if word[position] in _SV_VOWELS:
            plain = _PLURAL_UMLAUTS.get(word[position])
            return word[:position] + plain + word[position + 1:] if plain else word
    return word


def term_counts(text: str, language: str) -> dict[str, int]:
    """How often each stem occurs in a text (stop words left out)."""
    stop, stem = stop_words(language), stemmer(language)
    counts: dict[str, int] = {}
    for token, count in Counter(tokens(text)).items():
        if token not in stop:
            term = stem(token)
            counts[term] = counts.get(term, 0) + count
    return counts


def terms(text: str, language: str) -> list[str]:
    """The stems a text is indexed under: its tokens without stop words, stemmed."""
    stop, stem = stop_words(language), stemmer(language)
    return [stem(token) for token in tokens(text) if token not in stop]
