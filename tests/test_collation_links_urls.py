"""Swedish sorting, finding and rewriting links in Markdown, slugs and suggestions, and relative URLs."""

from __future__ import annotations

import posixpath
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lardomsbanken.collation import collation_key
from lardomsbanken.links import find_links, rewrite
from lardomsbanken.slugs import fold, is_slug, slugify, suggest
from lardomsbanken import urls
from lardomsbanken.urls import UrlStyle, facet_page, lesson_page, overview_page, source_file

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


# --- links in Markdown -----------------------------------------------------------------


def test_find_links_gives_target_line_and_column():
    body = "Rad ett.\nSe [a](x.md) och ![b](bild.png \"titel\") och [c [d]](<y z.md>).\n"
    links = find_links(body)
    assert [(link.target, link.line, link.column) for link in links] == [
        ("x.md", 1, 8), ("bild.png", 1, 23), ("y z.md", 1, 54),
    ]
    assert body[links[0].start:links[0].end] == "x.md"


def test_link_properties():
    [link] = find_links("[a](../sub/x.sv.md#rubrik)")
    assert (link.path, link.suffix, link.is_relative, link.is_markdown) == ("../sub/x.sv.md", "#rubrik", True, True)
    for target in ("https://example.org/x.md", "mailto:a@example.org", "#rubrik", "/x.md", "?q=1", "HTTP://x"):
        [link] = find_links(f"[a]({target})")
        assert not link.is_relative, target
    [link] = find_links("[a](bild.PNG?v=2)")
    assert (link.path, link.suffix, link.is_markdown) == ("bild.PNG", "?v=2", False)


def test_reference_definitions_are_links():
    links = find_links("Se [a][ref].\n\n[ref]: x.sv.md\n   [ref2]: <y.md>\n")
    assert [(link.target, link.line, link.column) for link in links] == [("x.sv.md", 2, 8), ("y.md", 3, 13)]


@pytest.mark.parametrize("body", [
    "```\n[a](x.md)\n```\n",
    "~~~ markdown\n[a](x.md)\n~~~\n",
    "````\n```\n[a](x.md)\n```\n````\n",
    "   ```\n[a](x.md)\n   ```\n",
    "Text `[a](x.md)` text.\n",
    "Text ``[a](x.md) ` `` text.\n",
    "```\n[a](x.md)\n",  # a fence that is never closed runs to the end
])
def test_links_in_code_are_not_links(body):
    assert find_links(body) == []


def test_code_does_not_shift_positions_of_later_links():
    body = "`kod` och\n```\nx\n```\n[a](x.md)\n"
    [link] = find_links(body)
    assert (link.line, link.column) == (4, 5)


def test_rewrite_replaces_spans_and_keeps_the_rest():
    body = "[a](x.sv.md) och [b](y.md#z)"
    a, b = find_links(body)
    assert rewrite(body, {b.start: (b.end, "y.md#z"), a.start: (a.end, "x.md")}) == "[a](x.md) och [b](y.md#z)"
    assert rewrite(body, {}) == body


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


def test_url_and_page_names():
    assert UrlStyle(True).url("index") == ""
    assert UrlStyle(True).url("lardomar/index") == "lardomar/"
    assert UrlStyle(True).url("teman/bostader") == "teman/bostader/"
    assert UrlStyle(False).url("index") == "index.html"
    assert (lesson_page("x"), facet_page("region", "lulea"), overview_page("actor")) == (
        "lardomar/x", "regioner/lulea", "aktorer/index")
    assert source_file("teman/bostader", "en") == "teman/bostader.en.md"


def test_indented_code_and_footnotes_are_not_links():
    body = ("Text.\n\n    indragen kod [x](saknas.md)\n\n1. Ett\n\n    fortsättning [y](finns.md)\n\n"
            "!!! note\n    notis [z](zink.md)\n\n```\nkod\n```\n\n    kod igen [w](saknas.md)\n\n"
            "Fotnot[^1].\n\n[^1]: Fotnoten.\n\n[ref]: mal.md\n")
    assert [link.target for link in find_links(body)] == ["finns.md", "zink.md", "mal.md"]


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
