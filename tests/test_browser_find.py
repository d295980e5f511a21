"""The readers' controls in headless Chromium, used by keyboard: the all-lessons filters
(state in the URL, back button, announced count), the tile map, the theme × place matrix
and search (with axe over a results page the script has drawn)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from axe import axe_violations_now
from keyboard import assert_visible_focus, describe, focus_on, tab_through

VISIBLE_CARDS = "[...document.querySelectorAll('.ld-list > li')].filter(li => !li.hidden).length"
STATUS = "document.getElementById('ld-filter-status').textContent"


def query(browser) -> dict[str, list[str]]:
    return parse_qs(urlsplit(browser.location()).query)


def select_values(browser) -> dict[str, str]:
    return browser.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#ld-filters select')].map(s => [s.name, s.value]))")


def test_filters_show_with_script_and_start_with_the_whole_list(browser, served_site):
    browser.open(served_site.url("/lardomar/"))
    assert browser.evaluate("document.getElementById('ld-filters').hidden") is False
    assert browser.evaluate(VISIBLE_CARDS) == 6
    assert browser.evaluate(STATUS) == "6 lärdomar och fallbeskrivningar."


def test_a_shared_filtered_address_opens_the_filtered_list(browser, served_site):
    browser.open(served_site.url("/lardomar/?tema=infrastruktur&plats=norrbotten"))
    assert select_values(browser) == {"tema": "infrastruktur", "plats": "norrbotten", "kommungrupp": "", "aktor": "",
                                     "bransch": "", "typ": "", "ar": ""}
    assert browser.evaluate(VISIBLE_CARDS) == 3
    assert browser.evaluate(STATUS) == "3 av 6 lärdomar och fallbeskrivningar matchar filtren."
    browser.open(served_site.url("/en/lardomar/?plats=haparanda&typ=lesson&ar=2023"))
    assert browser.evaluate(VISIBLE_CARDS) == 2
    assert browser.evaluate(STATUS) == "2 of 6 lessons and case notes match the filters."


def test_an_unknown_value_in_the_address_means_all(browser, served_site):
    browser.open(served_site.url("/lardomar/?tema=finns-inte"))
    assert select_values(browser)["tema"] == ""
    assert browser.evaluate(VISIBLE_CARDS) == 6


def test_filters_work_by_keyboard_keep_state_in_the_url_and_follow_the_back_button(browser, served_site):
    browser.open(served_site.url("/lardomar/"))
    theme = focus_on(browser, lambda f: f["id"] == "ld-filter-theme")
    assert theme, "Tab never reached the theme filter"
    assert_visible_focus(browser)
    wanted = browser.evaluate("[...document.querySelector('select[name=tema]').options].map(o => o.value)"
                              ".indexOf('infrastruktur')")
    for _ in range(wanted):  # a closed <select> steps through its options with the arrow keys
        browser.press("ArrowDown")
    assert select_values(browser)["tema"] == "infrastruktur"
    assert query(browser) == {"tema": ["infrastruktur"]}
    assert browser.evaluate(VISIBLE_CARDS) == 3
    assert "3 av 6" in browser.evaluate(STATUS)

    place = focus_on(browser, lambda f: f["id"] == "ld-filter-region")
    assert place
    browser.press("End")  # the last place in the list: a municipality in Norrbotten
    chosen = select_values(browser)["plats"]
    assert chosen and query(browser)["plats"] == [chosen]
    narrowed = browser.evaluate(VISIBLE_CARDS)
    assert narrowed < 3

    browser.evaluate("history.back()")
    browser.settle(0.2)
    assert query(browser) == {"tema": ["infrastruktur"]}
    assert select_values(browser)["plats"] == ""
    assert browser.evaluate(VISIBLE_CARDS) == 3
    browser.evaluate("history.forward()")
    browser.settle(0.2)
    assert browser.evaluate(VISIBLE_CARDS) == narrowed

    clear = focus_on(browser, lambda f: f["tag"] == "button" and f["text"] == "Visa alla")
    assert clear, "Tab never reached the button that clears the filters"
    assert_visible_focus(browser)
    browser.press("Enter")
    browser.settle(0.2)
    assert query(browser) == {}
    assert browser.evaluate(VISIBLE_CARDS) == 6
    assert browser.evaluate(STATUS) == "6 lärdomar och fallbeskrivningar."


def test_every_filter_control_has_a_visible_focus_and_nothing_traps_it(browser, served_site):
    browser.open(served_site.url("/en/lardomar/"))
    stops = tab_through(browser)
    filters = [stop["id"] for stop in stops if (stop["id"] or "").startswith("ld-filter-")]
    assert filters == ["ld-filter-theme", "ld-filter-region", "ld-filter-group", "ld-filter-actor",
                       "ld-filter-industry", "ld-filter-type", "ld-filter-year"]
    assert any(stop["tag"] == "button" and stop["text"] == "Show all" for stop in stops), \
        [describe(stop) for stop in stops]


def test_map_tiles_are_links_reached_by_keyboard(browser, served_site):
    browser.open(served_site.url("/regioner/"))
    stops = tab_through(browser, check=False)  # the page's other stops are checked in test_keyboard
    tiles = [stop for stop in stops if "ld-map__tile" in stop["classes"]]
    assert len(tiles) == 29, [describe(stop) for stop in stops]
    # Reading order: Kiruna (furthest north) first, Nordmaling (furthest south) last.
    assert tiles[0]["label"].startswith("Kiruna:") and tiles[-1]["label"].startswith("Nordmaling:")
    focus_on(browser, lambda f: (f.get("label") or "").startswith("Haparanda:"))
    assert_visible_focus(browser)
    browser.press("Enter")
    browser.settle(0.2)
    assert urlsplit(browser.location()).path == "/regioner/haparanda/"


def test_matrix_scrolls_by_keyboard_and_its_links_open_the_filtered_list(browser, served_site):
    browser.open(served_site.url("/en/oversikt/"))
    region = focus_on(browser, lambda f: "ld-matrix" in f["classes"])
    assert region, "the matrix's scrolling region is not reachable by Tab"
    assert_visible_focus(browser)
    scrolled = browser.evaluate("""(() => { const r = document.querySelector('.ld-matrix');
        return r.scrollWidth > r.clientWidth; })()""")
    if scrolled:  # at this window size the table is wider than the page: arrow keys scroll it
        browser.press("ArrowRight")
        browser.settle(0.2)
        assert browser.evaluate("document.querySelector('.ld-matrix').scrollLeft") > 0
    cell = focus_on(browser, lambda f: "plats=norrbotten" in (f.get("href") or "")
                    and "tema=infrastruktur" in (f.get("href") or ""))
    assert cell, "no matrix cell for Infrastructure in Norrbotten County"
    assert_visible_focus(browser)
    browser.press("Enter")
    browser.settle(0.3)
    assert urlsplit(browser.location()).path == "/en/lardomar/"
    assert browser.evaluate(VISIBLE_CARDS) == 3


def test_header_search_works_by_keyboard_and_its_results_can_be_reached(browser, served_site):
    browser.open(served_site.url("/en/lardomar/zink/"))
    field = focus_on(browser, lambda f: f["id"] == "ld-header-query")
    assert field
    assert_visible_focus(browser)
    for key in "housing":
        browser.press(key)
    browser.press("Enter")
    browser.settle(0.5)
    location = urlsplit(browser.location())
    assert location.path == "/en/sok/" and parse_qs(location.query) == {"q": ["housing"]}
    stops = tab_through(browser)
    results = [stop for stop in stops if "#ld-search-results" in stop["selector"] and stop["tag"] == "a"]
    assert results, "Tab reached no search result: " + ", ".join(describe(stop) for stop in stops)
    assert any(stop["id"] == "ld-search-query" for stop in stops)


def test_search_results_page_with_results_passes_axe(browser, served_site):
    for url in ("/sok/?q=kommun", "/en/sok/?q=housing"):
        browser.open(served_site.url(url), settle=0.5)
        assert browser.evaluate("document.querySelectorAll('#ld-search-results li').length") > 0, url
        assert axe_violations_now(browser) == [], url


def test_a_lesson_prints_without_navigation_with_links_written_out_and_sources_kept(browser, served_site):
    browser.open(served_site.url("/lardomar/bostader-i-skelleftea/"))
    browser.command("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.evaluate("""(() => {
            const display = sel => { const el = document.querySelector(sel);
                                     return el ? getComputedStyle(el).display : 'missing'; };
            return {header: display('.md-header'), sidebar: display('.md-sidebar--primary'),
                    footer: display('.md-footer'), content: display('.md-content'),
                    sources: display('.ld-sources')}; })()""")
        assert shown["header"] == shown["sidebar"] == shown["footer"] == "none", shown
        assert shown["content"] != "none" and shown["sources"] != "none", shown
        written = browser.evaluate("""[...document.querySelectorAll('.md-content a[href]')]
            .map(a => getComputedStyle(a, '::after').content)""")
        assert any("https://lardomsbanken.example.org/teman/bostader/" in text for text in written), written
        assert any("https://example.org/rapport" in text for text in written), written  # a source
    finally:
        browser.command("Emulation.setEmulatedMedia", {"media": ""})
