"""Finding and seeing: filter data, the tile map, the theme × place matrix and print links.

Unit tests on the core (fixture lessons, no build), then one real build whose
HTML is read as a reader's browser would get it. The filters' behaviour in a
browser is tested in test_browser_find.py.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from sitebuild import FIXTURE_LESSONS, Site, build, make_project

from lardomsbanken.index.collation import collation_key
from lardomsbanken.index.site_index import build_index
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.render.matrix import build_matrix
from lardomsbanken.render.printlinks import add_print_hrefs, resolver
from lardomsbanken.render.tilemap import CountRange, build_tile_map, count_ranges


@pytest.fixture(scope="module")
def index(data):
    loaded = load_lessons(FIXTURE_LESSONS, ROOT, data)
    return build_index(data, loaded.lessons)


# --- core -------------------------------------------------------------------------


def test_count_ranges_split_the_counts_into_at_most_four_shades():
    assert count_ranges(0) == [CountRange(0, 0, 0)]
    assert count_ranges(1) == [CountRange(0, 0, 0), CountRange(1, 1, 4)]
    assert count_ranges(2) == [CountRange(0, 0, 0), CountRange(1, 1, 2), CountRange(2, 2, 4)]
    assert count_ranges(10) == [CountRange(0, 0, 0), CountRange(1, 3, 1), CountRange(4, 5, 2),
                                CountRange(6, 8, 3), CountRange(9, 10, 4)]
    for highest in range(1, 200):  # every count has exactly one shade, darker for more
        ranges = count_ranges(highest)
        covered = [n for step in ranges for n in range(step.low, step.high + 1)]
        assert covered == list(range(highest + 1))
        assert [step.shade for step in ranges] == sorted({step.shade for step in ranges})
        assert ranges[-1].shade == 4


def test_tile_map_places_every_municipality_by_its_tile_in_reading_order(index):
    tile_map = build_tile_map(index)
    assert len(tile_map.tiles) == 29
    positions = [(tile.y, tile.x) for tile in tile_map.tiles]
    assert positions == sorted(positions) and len(set(positions)) == 29
    by_id = {tile.term.id: tile for tile in tile_map.tiles}
    assert (by_id["haparanda"].count, by_id["lulea"].count, by_id["skelleftea"].count) == (2, 1, 1)
    assert by_id["haparanda"].shade == 4 and by_id["lulea"].shade == 2 and by_id["umea"].shade == 0
    assert by_id["kiruna"].y < by_id["lulea"].y < by_id["umea"].y
    assert all(0 <= t.x and t.x + tile_map.tile_size <= tile_map.width for t in tile_map.tiles)
    assert all(0 <= t.y and t.y + tile_map.tile_size <= tile_map.height for t in tile_map.tiles)


def test_theme_region_counts_include_a_countys_municipalities_and_count_a_lesson_once(index):
    counts = index.theme_region
    assert counts["infrastruktur", "haparanda"] == 2
    assert counts["infrastruktur", "norrbotten"] == 3  # two in Haparanda, one in Älvsbyn
    assert counts["bostader", "skelleftea"] == 1  # the fixture lists bostader twice
    assert counts["bostader", "vasterbotten"] == 1
    assert counts["miljotillstandsprovning", "sverige"] == 1
    assert counts["bostader", "norrbotten"] == 0
    assert index.years == {2024: 2, 2023: 6, 2022: 1, 2021: 1}  # by the events' years (period), else published


def test_matrix_rows_are_sweden_then_each_county_with_its_municipalities_in_swedish_order(index, data):
    key = collation_key(data.language("sv"))
    matrix = build_matrix(index, lambda terms: sorted(terms, key=lambda t: key(t.name("sv"))))
    places = [row.place.id for row in matrix.rows]
    assert places[:2] == ["sverige", "norrbotten"]
    assert places.index("vasterbotten") == 16 and len(places) == 32
    norrbotten = [data.regions[p].name("sv") for p in places[2:16]]
    assert norrbotten[-3:] == ["Älvsbyn", "Överkalix", "Övertorneå"]
    assert [t.name("sv") for t in matrix.themes][-1] == "Små och medelstora företag"
    row = next(row for row in matrix.rows if row.place.id == "norrbotten")
    cell = next(cell for cell in row.cells if cell.theme.id == "infrastruktur")
    assert (cell.count, cell.shade, row.total) == (3, 4, 5)


def test_print_links_are_absolute_and_leave_anchors_and_mail_alone():
    html = ('<p><a href="../../teman/bostader/">B</a> <a href="#x">X</a> <a href="mailto:a@b.se">M</a> '
            '<a class="c" href="https://other.example/p?a=1&amp;b=2">O</a></p>')
    out = add_print_hrefs(html, "en/lardomar/x/", "https://example.org/lardomar/")
    assert 'href="../../teman/bostader/" data-print-href="https://example.org/lardomar/en/teman/bostader/"' in out
    assert '<a href="#x">' in out and '<a href="mailto:a@b.se">' in out
    assert 'data-print-href="https://other.example/p?a=1&amp;b=2"' in out
    assert add_print_hrefs(out, "en/lardomar/x/", "https://example.org/") == out  # never twice


# --- the built site ------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("find") / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(project / "site")


def test_all_lessons_page_has_a_filter_form_hidden_until_script_runs(site):
    for prefix, label in (("/", "Tema"), ("/en/", "Theme")):
        page = site.page(f"{prefix}lardomar/")
        form = page.select_one("form#ld-filters")
        assert form is not None and form.has_attr("hidden")
        names = [select["name"] for select in form.select("select")]
        assert names == ["tema", "plats", "kommungrupp", "aktor", "bransch", "typ", "ar"]
        for select in form.select("select"):  # every control has a visible label
            assert form.select_one(f'label[for="{select["id"]}"]').get_text(strip=True)
        assert form.select_one('label[for="ld-filter-theme"]').get_text() == label
        status = page.select_one("#ld-filter-status")
        assert status["role"] == "status" and status["data-total"] == "6"
        assert page.select_one('script[src$="assets/js/filters.js"]') is not None


def test_filter_options_are_the_values_that_have_lessons_with_counts(site):
    form = site.page("/lardomar/").select_one("form#ld-filters")
    themes = [o.get_text() for o in form.select('select[name="tema"] option')]
    assert themes == ["Alla", "Bostäder (1)", "Finansiering (1)", "Infrastruktur (3)",
                      "Kompetensförsörjning (1)", "Miljötillståndsprövning (1)"]
    places = form.select_one('select[name="plats"]')
    assert [g["label"] for g in places.select("optgroup")] == ["Norrbottens län", "Västerbottens län"]
    assert [o.get_text() for o in places.select('optgroup[label="Norrbottens län"] option')] == [
        "Hela Norrbottens län (5)", "Haparanda (2)", "Luleå (1)", "Älvsbyn (1)"]
    assert [o["value"] for o in form.select('select[name="ar"] option')] == ["", "2024", "2023", "2022", "2021"]
    english = site.page("/en/lardomar/").select_one('select[name="plats"] optgroup')["label"]
    assert english == "Norrbotten County"


def test_every_listed_lesson_carries_what_the_filters_match(site):
    items = {Site.resolve("/lardomar/", li.select_one(".ld-card__title a")["href"]).split("/")[-2]: li
             for li in site.page("/lardomar/").select("ul.ld-list > li")}
    assert len(items) == 6
    zink = items["zink"]
    assert (zink["data-tema"], zink["data-plats"], zink["data-aktor"], zink["data-typ"], zink["data-ar"]) == (
        "infrastruktur", "haparanda norrbotten", "trafikverket", "lesson", "2023")
    assert items["vatten-i-norrbotten"]["data-plats"].split() == ["lulea", "sverige", "norrbotten"]
    assert items["bostader-i-skelleftea"]["data-tema"] == "bostader finansiering"


def test_tile_map_on_home_and_places_pages_links_every_municipality(site):
    for url, with_table in (("/", True), ("/en/", True), ("/regioner/", False), ("/en/regioner/", False)):
        page = site.page(url)
        svg = page.select_one("figure.ld-map svg")
        assert svg is not None, url
        title_id = svg["aria-labelledby"]
        assert svg.select_one(f"title#{title_id}").get_text(strip=True)
        tiles = svg.select("a.ld-map__tile")
        assert len(tiles) == 29
        for tile in tiles:
            target = Site.resolve(url, tile["href"])
            assert site.exists(target), (url, target)
            assert re.fullmatch(r"(/en)?/regioner/[a-z-]+/", target)
        haparanda = next(t for t in tiles if "haparanda" in t["href"])
        assert "ld-shade-4" in haparanda["class"]
        assert haparanda.select("text")[1].get_text() == "2"
        label = "Haparanda: 2 lärdomar och fallbeskrivningar" if url in ("/", "/regioner/") else \
            "Haparanda: 2 lessons and case notes"
        assert haparanda["aria-label"] == label
        # The text alternative: the same counts in tables, on the page or in a <details>.
        table_rows = page.select(".ld-regions tbody tr")
        assert len(table_rows) == 29
        assert bool(page.select_one("details.ld-map__table")) == with_table


def test_matrix_page_counts_and_links_to_filtered_lists(site):
    for prefix in ("/", "/en/"):
        url = f"{prefix}oversikt/"
        page = site.page(url)
        table = page.select_one(".ld-matrix table")
        assert table.select_one("caption").get_text(strip=True)
        region = page.select_one(".ld-matrix")
        assert region["role"] == "region" and region["tabindex"] == "0"
        themes = [th.get_text(strip=True) for th in table.select("thead th")][1:-1]
        assert len(themes) == 9
        rows = {tr.select_one("th").get_text(strip=True): tr for tr in table.select("tbody tr")}
        county = "Norrbottens län" if prefix == "/" else "Norrbotten County"
        cells = rows[county].select("td")
        infra = themes.index("Infrastruktur" if prefix == "/" else "Infrastructure")
        link = cells[infra].select_one("a")
        assert link.contents[0].strip() == "3"
        assert link.select_one(".ld-sr-only").get_text(strip=True)
        target = urlsplit(link["href"])
        assert Site.resolve(url, target.path) == f"{prefix}lardomar/"
        assert parse_qs(target.query) == {"tema": ["infrastruktur"], "plats": ["norrbotten"]}
        assert cells[-1].get_text() == "5"
        assert rows["Umeå"].select("td")[0].get_text() == "0" and not rows["Umeå"].select("td a")


def test_matrix_and_lists_are_reachable_from_the_navigation(site):
    nav_links = [Site.resolve("/", a["href"]) for a in site.page("/").select(".md-nav--primary a.md-nav__link")]
    assert "/oversikt/" in nav_links


def test_print_style_and_absolute_print_addresses_on_lesson_pages(site):
    page = site.page("/en/lardomar/bostader-i-skelleftea/")
    assert page.select_one('link[rel="stylesheet"][href$="assets/print.css"]') is not None
    links = page.select(".md-content a[href]")
    printed = [a for a in links if a.has_attr("data-print-href")]
    assert printed, "no link carries its printed address"
    for a in printed:
        assert a["data-print-href"].startswith(("https://", "http://")), a
    theme = next(a for a in printed if a["href"].endswith("teman/bostader/"))
    assert theme["data-print-href"] == "https://lardomsbanken.example.org/en/teman/bostader/"
    css = (site.root / "assets" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css and 'attr(data-print-href)' in css
    assert re.search(r"\.md-header,\s*\n\s*\.md-tabs,\s*\n\s*\.md-sidebar", css)


_BASES = st.sampled_from(["https://example.org/", "https://example.org/en/lardomar/x/", "https://example.org/a/b.html",
                          "http://example.org/sub/path/", "https://example.org/a/./b/", "https://example.org/a?x=1"])
_HREF_PARTS = st.sampled_from(["..", ".", "teman", "b.c", "x:y", "", "?q=1", "#f", "a?b", "c#d", "%20", "//host"])


@given(_BASES, st.lists(_HREF_PARTS, min_size=1, max_size=5).map("/".join), st.booleans())
def test_print_address_resolver_is_urljoin(base, href, folder):
    # The shortcut for plain relative links must give what urljoin gives, for any link.
    href = href + "/" if folder else href
    assert resolver(base)(href) == urljoin(base, href)
