"""Swedish sorting, the links of a lesson body that lead into the site, slugs and suggestions, and relative URLs."""

from __future__ import annotations

import posixpath
import random
import time

import pytest
from conftest import WORDS
from hypothesis import given
from hypothesis import strategies as st

from lardomsbanken.index.collation import collation_key
from lardomsbanken.load import body
from lardomsbanken.load.slugs import fold, is_slug, slugify, suggest
from lardomsbanken.render import urls
from lardomsbanken.render.urls import UrlStyle, facet_page, lesson_page, overview_page, source_file

# --- collation ------------------------------------------------------------------------

PLACES = ["Östra", "Åsele", "Zinkgruvan", "Älvsbyn", "ärlig", "Arjeplog", "Vännäs", "Vindeln",
          "Vilhelmina", "Överkalix", "Övertorneå", "Éva", "Umeå"]


@pytest.fixture(scope="module")
def sv(data):
    return collation_key(data.language("sv"))


def test_swedish_order_puts_a_ring_a_umlaut_o_umlaut_last(sv):
    assert sorted(PLACES, key=sv) == [
        "Arjeplog", "Éva", "Umeå", "Vilhelmina", "Vindeln", "Vännäs", "Zinkgruvan",
        "Åsele", "Älvsbyn", "ärlig", "Östra", "Överkalix", "Övertorneå",
    ]


def test_order_does_not_depend_on_the_input_order(sv):
    expected = sorted(PLACES, key=sv)
    for seed in range(5):
        shuffled = PLACES[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=sv) == expected


def test_accented_letters_sort_next_to_their_base_letter(sv):
    assert sorted(["Evb", "F", "Éva", "Eva", "Dz"], key=sv) == ["Dz", "Eva", "Éva", "Evb", "F"]
    assert sorted(["Myller", "Müller", "Muller", "Mz"], key=sv) == ["Muller", "Myller", "Müller", "Mz"]  # ü as y
    assert sorted(["Øst", "Ærø", "Zeta", "Åre"], key=sv) == ["Zeta", "Åre", "Ærø", "Øst"]  # æ as ä, ø as ö


def test_case_only_breaks_ties(sv):
    assert sorted(["B", "a", "b", "A"], key=sv) == ["a", "A", "b", "B"]
    assert sorted(["Ärlig", "älg", "Älg"], key=sv) == ["älg", "Älg", "Ärlig"]
    assert sorted(["umeå", "Umeå", "UMEÅ"], key=sv) == ["umeå", "Umeå", "UMEÅ"]
    assert sorted(["Åsele", "asele"], key=sv) == ["asele", "Åsele"]  # å is its own letter, not a with an accent


def test_word_boundary_sorts_before_letters_and_punctuation_is_ignored(sv):
    assert sorted(["Nyby", "Ny stad"], key=sv) == ["Ny stad", "Nyby"]
    assert sorted(["Luleå-Boden", "Luleå Boden"], key=sv)[0] == "Luleå Boden"
    assert sv("Luleå-Boden")[0] == sv("LuleåBoden")[0]


def test_sort_by_uses_the_language(data):
    items = [{"t": "Östra"}, {"t": "Arjeplog"}, {"t": "Åsele"}]
    assert [i["t"] for i in sorted(items, key=lambda i: collation_key(data.language("en"))(i["t"]))] == ["Arjeplog", "Åsele", "Östra"]


# --- links in a lesson body ----------------------------------------------------------------

def references(text: str) -> list[tuple[str, bool, int, int]]:
    """(target, image, line, column) of each link or image of a body that leads into the site."""
    return [(reference.target, reference.image, *body.position(text, reference.offset))
            for reference in body.parse(text, WORDS, ranged=True).references]


def test_references_give_their_target_line_and_column():
    text = "Rad ett.\nSe [a](x.md) och ![b](bild.png \"titel\") och [c [d]](<y z.md>) och ![ö](ö.png).\n"
    assert references(text) == [("x.md", False, 1, 8), ("bild.png", True, 1, 23), ("y z.md", False, 1, 54),
                                ("ö.png", True, 1, 72)]  # columns in characters, not bytes


def test_a_reference_splits_into_path_and_suffix_and_only_relative_links_are_references():
    [reference] = body.parse("[a](../sub/x.sv.md#rubrik)", WORDS).references
    assert (reference.path, reference.suffix) == ("../sub/x.sv.md", "#rubrik")
    [reference] = body.parse("[a](bild.PNG?v=2)", WORDS).references
    assert (reference.path, reference.suffix) == ("bild.PNG", "?v=2")
    for target in ("https://example.org/x.md", "mailto:a@example.org", "tel:+46101234567", "#rubrik", "/x.md",
                   "?q=1", "HTTP://x"):
        assert body.parse(f"[a]({target})", WORDS).references == (), target


def test_reference_style_links_are_told_where_they_are_used_and_unused_definitions_are_no_links():
    text = "Se [a][ref] och [b][ref2].\n\n[ref]: x.sv.md\n   [ref2]: <y.md>\n[oanvänd]: z.md\n"
    assert references(text) == [("x.sv.md", False, 0, 4), ("y.md", False, 0, 17)]


@pytest.mark.parametrize("text", [
    "```\n[a](x.md)\n```\n",
    "~~~ markdown\n[a](x.md)\n~~~\n",
    "````\n```\n[a](x.md)\n```\n````\n",
    "   ```\n[a](x.md)\n   ```\n",
    "Text `[a](x.md)` text.\n",
    "Text ``[a](x.md) ` `` text.\n",
    "```\n[a](x.md)\n",  # a fence that is never closed runs to the end
    "Text.\n\n    indragen kod [a](x.md)\n",
])
def test_links_in_code_are_not_links_and_are_shown_as_written(text):
    parsed = body.parse(text, WORDS)
    assert parsed.references == ()
    assert "<a " not in parsed.html and "[a](x.md)" in parsed.html


def test_code_does_not_shift_positions_of_later_links():
    assert references("`kod` och\n```\nx\n```\n[a](x.md)\n") == [("x.md", False, 4, 5)]


def test_fill_puts_each_address_in_its_place_and_keeps_the_rest():
    parsed = body.parse("[a](x.sv.md) och [b](y.md#z) och [c](x.sv.md)", WORDS)
    assert body.fill(parsed.html, ["x/", "y/#z", "x/"]) == \
        '<p><a href="x/">a</a> och <a href="y/#z">b</a> och <a href="x/">c</a></p>\n'
    assert body.fill("<p>Inga länkar.</p>\n", []) == "<p>Inga länkar.</p>\n"


def test_links_in_lists_lazy_lines_and_footnotes_are_links_and_unused_definitions_are_not():
    text = ("Text.\n\n    indragen kod [x](saknas.md)\n\n1. Ett\n\n    fortsättning [y](finns.md)\n\n"
            "!!! note\n    notis [z](zink.md)\n\n```\nkod\n```\n\n    kod igen [w](saknas.md)\n\n"
            "Fotnot[^1].\n\n[^1]: Fotnoten [v](fot.md).\n\n[ref]: mal.md\n")
    assert [target for target, *_ in references(text)] == ["finns.md", "zink.md", "fot.md"]


# --- slugs and suggestions --------------------------------------------------------------


@pytest.mark.parametrize("text, slug", [
    ("Skellefteå", "skelleftea"), ("Bostäder i Norrbotten", "bostader-i-norrbotten"), ("Öje", "oje"),
    ("Min_Lärdom!", "min-lardom"), ("  --a--  ", "a"), ("Sámi Ŋ", "sami-n"), ("Ærø Ø", "aero-o"), ("🌲", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slug == "" or is_slug(slug)


def test_is_slug():
    assert is_slug("a-1") and is_slug("x")
    for text in ("", "A", "a--b", "-a", "a-", "a_b", "å", "a b"):
        assert not is_slug(text), text


def test_fold():
    assert fold("SKELLEFTEÅ") == "skelleftea"


def test_suggest_by_id_name_and_prefix(data):
    regions, themes = data.regions.known_names(), data.themes.known_names()
    assert suggest("Skellefteå", regions) == ["skelleftea"]
    assert suggest("skeleftea", regions) == ["skelleftea"]
    assert suggest("Norrbottens län", regions) == ["norrbotten"]
    assert suggest("bostad", themes) == ["bostader"]
    assert suggest("Housing", themes) == ["bostader"]  # the English name is known too
    assert suggest("qqqqqq", themes) == []
    assert suggest("", themes) == []
    assert len(suggest("kommun", data.actors.known_names())) <= 3


# --- URLs --------------------------------------------------------------------------------

PAGES = ["index", "lardomar/index", "lardomar/x", "teman/bostader"]

DIRECTORY_HREFS = {
    "index": ["./", "lardomar/", "lardomar/x/", "teman/bostader/"],
    "lardomar/index": ["../", "./", "x/", "../teman/bostader/"],
    "lardomar/x": ["../../", "../", "./", "../../teman/bostader/"],
    "teman/bostader": ["../../", "../../lardomar/", "../../lardomar/x/", "./"],
}
FILE_HREFS = {
    "index": ["index.html", "lardomar/index.html", "lardomar/x.html", "teman/bostader.html"],
    "lardomar/index": ["../index.html", "index.html", "x.html", "../teman/bostader.html"],
    "lardomar/x": ["../index.html", "index.html", "x.html", "../teman/bostader.html"],
    "teman/bostader": ["../index.html", "../lardomar/index.html", "../lardomar/x.html", "bostader.html"],
}


@pytest.mark.parametrize("directory_urls, table", [(True, DIRECTORY_HREFS), (False, FILE_HREFS)])
def test_href_between_pages_in_every_direction(directory_urls, table):
    style = UrlStyle(directory_urls)
    for source, hrefs in table.items():
        assert [style.href(source, target) for target in PAGES] == hrefs, source


def test_hrefs_resolve_to_the_target_url():
    for directory_urls in (True, False):
        style = UrlStyle(directory_urls)
        for source in PAGES:
            url = "/" + style.url(source)
            folder = url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"
            for target in PAGES:
                href = style.href(source, target)
                assert posixpath.normpath(posixpath.join(folder, href)) == posixpath.normpath("/" + style.url(target)), (
                    directory_urls, source, target, href)
                assert href.endswith("/") == style.url(target).endswith("/") or style.url(target) == ""


def test_url_and_page_names(data):
    assert UrlStyle(True).url("index") == ""
    assert UrlStyle(True).url("lardomar/index") == "lardomar/"
    assert UrlStyle(True).url("teman/bostader") == "teman/bostader/"
    assert UrlStyle(False).url("index") == "index.html"
    assert (lesson_page("x"), facet_page(data.spec("region"), "lulea"), overview_page(data.spec("actor"))) == (
        "lardomar/x", "regioner/lulea", "aktorer/index")  # the folders are data (data/facets.yml)
    assert source_file("teman/bostader", "en") == "teman/bostader.en.md"


_SEGMENTS = st.sampled_from(["a", "b", "lardomar", "en", "x-y", ".", "..", ""])
_PATHS = st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join)


@given(_PATHS, _PATHS, st.booleans())
def test_relative_path_is_posix_relpath(path, start, absolute):
    # Our shortcut for page links must agree with posixpath.relpath on any two paths.
    if absolute:
        path, start = "/" + path, "/" + start
    try:
        expected = posixpath.relpath(path, start)
    except ValueError:  # an empty path
        return
    assert urls.relative_path(path, start) == expected


def test_suggestions_among_thousands_of_lessons_are_quick_and_still_found():
    # With thousands of candidates difflib only compares a shortlist (slugs.SHORTLIST).
    rng = random.Random(5)
    words = ["bostader", "kompetens", "skelleftea", "lulea", "energi", "vatten", "industri", "skola", "vard"]
    slugs = sorted({"-".join(rng.sample(words, 3)) + f"-{number}" for number in range(3000)})
    candidates = dict.fromkeys(slugs, ())
    started = time.perf_counter()
    for slug in slugs[:200]:
        typo = slug.replace("a", "e", 1) if "a" in slug else slug + "x"
        assert suggest(typo, candidates)[0] == slug
    assert time.perf_counter() - started < 5
