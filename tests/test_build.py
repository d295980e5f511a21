"""Build the real site with `mkdocs build --strict` once, then read its HTML."""

from __future__ import annotations

import re

import pytest
from sitebuild import Site, build, make_project

ALL = ["bostader-i-skelleftea", "kompetens-i-norrbotten", "vatten-i-norrbotten",
       "ostra-norrbotten", "zink", "arenden"]
XSS_TITLE = 'Kompetens <script>alert(1)</script> & "citat" *inte kursiv*'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("build") / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def card_slugs(site: Site, url: str) -> list[str]:
    links = site.page(url).select(".md-content .ld-card__title a")
    return [Site.resolve(url, a["href"]).rstrip("/").rsplit("/", 1)[-1] for a in links]


def test_every_lesson_has_a_page_in_both_languages(site):
    for slug in ALL:
        assert site.exists(f"/lardomar/{slug}/"), slug
        assert site.exists(f"/en/lardomar/{slug}/"), slug


def test_every_index_page_exists_in_both_languages(site):
    for prefix in ("/", "/en/"):
        for path in ("", "lardomar/", "teman/", "regioner/", "aktorer/", "typer/",
                     "teman/bostader/", "teman/energiforsorjning/", "regioner/norrbotten/",
                     "regioner/skelleftea/", "regioner/asele/", "regioner/sverige/",
                     "aktorer/trafikverket/", "typer/lesson/", "typer/case/",
                     "om/", "skriva/", "tillganglighet/"):
            assert site.exists(prefix + path), prefix + path


@pytest.mark.parametrize("url, expected", [
    ("/teman/infrastruktur/", {"ostra-norrbotten", "zink", "arenden"}),
    ("/teman/bostader/", {"bostader-i-skelleftea"}),
    ("/teman/energiforsorjning/", set()),
    ("/regioner/norrbotten/", {"kompetens-i-norrbotten", "vatten-i-norrbotten", "ostra-norrbotten", "zink", "arenden"}),
    ("/regioner/vasterbotten/", {"bostader-i-skelleftea"}),
    ("/regioner/skelleftea/", {"bostader-i-skelleftea"}),
    ("/regioner/lulea/", {"vatten-i-norrbotten"}),
    ("/regioner/sverige/", {"vatten-i-norrbotten"}),
    ("/aktorer/trafikverket/", {"ostra-norrbotten", "zink", "arenden"}),
    ("/aktorer/norrlandsfonden/", {"bostader-i-skelleftea"}),
    ("/typer/case/", {"bostader-i-skelleftea", "arenden"}),
    ("/typer/lesson/", set(ALL) - {"bostader-i-skelleftea", "arenden"}),
    ("/lardomar/", set(ALL)),
])
def test_index_pages_list_exactly_the_right_lessons(site, url, expected):
    for prefix in ("", "/en"):
        found = card_slugs(site, prefix + url)
        assert set(found) == expected, prefix + url
        assert len(found) == len(expected), "a lesson is listed twice"


def test_all_lessons_newest_first_then_swedish_collation(site):
    assert card_slugs(site, "/lardomar/") == [
        "bostader-i-skelleftea", "kompetens-i-norrbotten",  # 2024-06-18, 2024-03-01
        "zink", "vatten-i-norrbotten", "arenden", "ostra-norrbotten",  # 2023-01-01: Z, Å, Ä, Ö
    ]


def test_municipality_tables_sorted_in_swedish_collation(site):
    page = site.page("/regioner/")
    tables = page.select(".ld-regions table")
    names = [[th.get_text(strip=True) for th in table.select("tbody th")] for table in tables]
    norrbotten = next(n for n in names if "Kiruna" in n)
    vasterbotten = next(n for n in names if "Umeå" in n)
    assert norrbotten[-3:] == ["Älvsbyn", "Överkalix", "Övertorneå"]
    assert vasterbotten.index("Vilhelmina") < vasterbotten.index("Vindeln") < vasterbotten.index("Vännäs")
    assert vasterbotten[-1] == "Åsele"
    assert len(norrbotten) == 14 and len(vasterbotten) == 15


def test_region_pages_show_scb_codes(site):
    facts = site.page("/regioner/skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    assert "2482" in facts and "Västerbottens län" in facts
    assert "24" in site.page("/regioner/vasterbotten/").select_one("dl.ld-facts").get_text()
    rows = {th.get_text(strip=True): th.find_next_sibling("td").get_text() for th in site.page("/regioner/").select(".ld-regions table tbody th")}
    assert rows["Skellefteå"] == "2482" and rows["Kiruna"] == "2584"


@pytest.mark.parametrize("slug", ALL)
def test_switcher_and_hreflang_lead_to_the_counterpart(site, slug):
    for here, other, other_lang in ((f"/lardomar/{slug}/", f"/en/lardomar/{slug}/", "en"),
                                    (f"/en/lardomar/{slug}/", f"/lardomar/{slug}/", "sv")):
        page = site.page(here)
        alternates = {link["hreflang"]: Site.resolve(here, link["href"]) for link in page.select('link[rel="alternate"][hreflang]')}
        assert alternates[other_lang] == other
        switcher = {a["hreflang"]: Site.resolve(here, a["href"]) for a in page.select("a.md-select__link")}
        assert switcher[other_lang] == other
        assert page.select_one(f'a.md-select__link[hreflang="{other_lang}"]')["lang"] == other_lang


def test_index_pages_switch_to_their_counterpart_too(site):
    page = site.page("/en/teman/bostader/")
    alternates = {link["hreflang"]: Site.resolve("/en/teman/bostader/", link["href"]) for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"sv": "/teman/bostader/", "en": "/en/teman/bostader/"}


def test_untranslated_lesson_is_marked_swedish_with_an_english_notice(site):
    page = site.page("/en/lardomar/kompetens-i-norrbotten/")
    assert page.html["lang"] == "en"
    notice = page.select_one(".ld-untranslated")
    assert notice is not None and "not been translated into English" in notice.get_text()
    assert notice.get("lang") in (None, "en")
    assert page.select_one(".md-content h1")["lang"] == "sv"
    assert page.select_one(".ld-lead")["lang"] == "sv"
    body = page.select_one(".ld-body")
    assert body["lang"] == "sv" and "Arbetsförmedlingen öppnade" in body.get_text()
    assert page.select_one("dl.ld-facts").get_text(" ", strip=True).startswith("Published")
    # in English lists, the Swedish title is marked as Swedish
    card = next(a for a in site.page("/en/lardomar/").select(".ld-card__title a") if "kompetens" in a["href"])
    assert card["lang"] == "sv"


def test_translated_lesson_has_no_notice_and_english_text(site):
    page = site.page("/en/lardomar/bostader-i-skelleftea/")
    assert page.select_one(".ld-untranslated") is None
    h1 = page.select_one(".md-content h1")
    assert h1.get_text() == "Housing in Skellefteå" and not h1.has_attr("lang")
    assert site.page("/lardomar/kompetens-i-norrbotten/").select_one(".ld-untranslated") is None


def test_titles_and_summaries_are_escaped_everywhere(site):
    page = site.page("/lardomar/kompetens-i-norrbotten/")
    assert page.select_one(".md-content h1").get_text() == XSS_TITLE
    assert page.title.get_text() == XSS_TITLE + " - Lärdomsbanken"
    assert page.select_one(".ld-lead").get_text() == "Sammanfattning med <b>taggar</b> & tecken."
    assert page.select_one('meta[name="description"]')["content"] == "Sammanfattning med <b>taggar</b> & tecken."
    for html_file in site.root.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, html_file
        assert "<b>taggar" not in text, html_file


def test_dates_are_written_as_each_language_writes_them(site):
    sv = site.page("/lardomar/bostader-i-skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    en = site.page("/en/lardomar/bostader-i-skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    assert "Publicerad 18 juni 2024" in sv and "Uppdaterad 10 januari 2025" in sv
    assert "Published 18 June 2024" in en and "Updated 10 January 2025" in en


def test_period_of_the_events_is_shown_apart_from_publication(site):
    sv = site.page("/lardomar/bostader-i-skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    en = site.page("/en/lardomar/bostader-i-skelleftea/").select_one("dl.ld-facts").get_text(" ", strip=True)
    assert "Händelser 2021–2024" in sv and "Events 2021–2024" in en
    ongoing = site.page("/lardomar/kompetens-i-norrbotten/").select_one("dl.ld-facts").get_text(" ", strip=True)
    assert "Händelser från 2023, pågår" in ongoing
    assert "Händelser" not in site.page("/lardomar/zink/").select_one("dl.ld-facts").get_text(" ", strip=True)
    # The list's cards name the period; its year filter goes by it (else by publication).
    page = site.page("/lardomar/")
    card = page.select_one('.ld-card:has(a[href*="bostader-i-skelleftea"])')
    assert "händelser 2021–2024" in card.select_one(".ld-card__meta").get_text(" ", strip=True)
    years = {c.select_one(".ld-card__title a")["href"].strip("/").rsplit("/", 1)[-1]: c["data-ar"].split()
             for c in page.select(".md-content .ld-card")}
    assert years["bostader-i-skelleftea"] == ["2021", "2022", "2023", "2024"]
    assert years["kompetens-i-norrbotten"] == ["2023", "2024"] and years["zink"] == ["2023"]
    options = [o.get_text() for o in page.select("select[name=ar] option")]
    assert "2021 (1)" in options and "2024 (2)" in options and "2023 (6)" in options
    lesson_ld = site.page("/lardomar/bostader-i-skelleftea/").find("script", type="application/ld+json").string
    assert '"temporalCoverage": "2021/2024"' in lesson_ld


def test_lesson_page_shows_linked_metadata_and_sources(site):
    url = "/lardomar/bostader-i-skelleftea/"
    page = site.page(url)
    facts = {a.get_text(): Site.resolve(url, a["href"]) for a in page.select("dl.ld-facts a")}
    assert facts == {
        "Skellefteå": "/regioner/skelleftea/", "Bostäder": "/teman/bostader/",
        "Finansiering": "/teman/finansiering/", "Skellefteå kommun": "/aktorer/skelleftea-kommun/",
        "Stiftelsen Norrlandsfonden": "/aktorer/norrlandsfonden/",
        "C6 Mindre stad/tätort": "/din-kommun/c6/",  # Skellefteå's municipality group
    }
    assert page.select_one(".ld-kicker").get_text() == "Fallbeskrivning"
    source = page.select_one("ul.ld-sources a")
    assert source["href"] == "https://example.org/rapport" and source.get_text() == "Rapport från ett skeende"
    en = site.page("/en/lardomar/bostader-i-skelleftea/")
    assert [a.get_text() for a in en.select("dl.ld-facts a")][:3] == ["Skellefteå", "C6 Small towns", "Housing"]


def test_links_between_lessons_resolve_in_the_readers_language(site):
    url = "/lardomar/bostader-i-skelleftea/"
    body_links = [Site.resolve(url, a["href"]) for a in site.page(url).select(".md-content p a")]
    assert "/lardomar/kompetens-i-norrbotten/" in body_links
    assert "/lardomar/vatten-i-norrbotten/" in body_links  # a lesson in a sub-folder
    en_url = "/en/lardomar/bostader-i-skelleftea/"
    en_links = [Site.resolve(en_url, a["href"]) for a in site.page(en_url).select(".md-content p a")]
    assert "/en/lardomar/kompetens-i-norrbotten/" in en_links


def test_related_lessons_explicit_first_then_shared_metadata(site):
    related = card_slugs(site, "/lardomar/bostader-i-skelleftea/")
    assert related[0] == "kompetens-i-norrbotten"
    # zink shares place, theme and actor with ostra-norrbotten, theme and actor with arenden,
    # and only the county (through Haparanda) with the other Norrbotten lessons
    related = card_slugs(site, "/lardomar/zink/")
    assert related[:2] == ["ostra-norrbotten", "arenden"]
    assert set(related[2:]) == {"kompetens-i-norrbotten", "vatten-i-norrbotten"}
    assert "zink" not in related


def test_navigation_holds_sections_not_lessons(site):
    page = site.page("/lardomar/zink/")
    nav_links = [a["href"] for a in page.select("nav.md-nav--primary a.md-nav__link")]
    assert 5 <= len(nav_links) <= 13  # the sections, the finder for any municipality and the pages
    assert not any("zink" in href or "arenden" in href for href in nav_links)
    nav_text = page.select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Teman" in nav_text and "Platser" in nav_text
    en_nav = site.page("/en/lardomar/zink/").select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Themes" in en_nav and "Places" in en_nav and "Teman" not in en_nav


def test_home_page_has_latest_lessons_and_ways_in(site):
    for url, heading in (("/", "Senaste"), ("/en/", "Latest")):
        page = site.page(url)
        assert heading in page.select_one(".md-content").get_text()
        assert card_slugs(site, url)[0] == "bostader-i-skelleftea"
        hrefs = [Site.resolve(url, a["href"]) for a in page.select(".md-content a")]
        assert url + "teman/bostader/" in hrefs and url + "regioner/norrbotten/" in hrefs
        assert "lardom:" not in page.select_one(".md-content").decode()


def test_no_request_leaves_the_site(site):
    for html_file in site.root.rglob("*.html"):
        page = Site(site.root).page("/" + html_file.relative_to(site.root).as_posix())
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in page.find_all(tag):
                value = element.get(attribute)
                if value and not (tag == "link" and element.get("rel") in (["canonical"], ["alternate"])):
                    assert not re.match(r"^(https?:)?//", value), (html_file, value)
        assert "fonts.googleapis" not in html_file.read_text(encoding="utf-8")


def test_every_page_has_hreflang_alternates_that_lead_back(site):
    pages = [p for p in site.root.rglob("index.html")]
    assert len(pages) > 50
    for html_file in pages:
        url = "/" + html_file.parent.relative_to(site.root).as_posix() + "/"
        url = "/" if url == "/./" else url
        language = "en" if url.startswith("/en/") else "sv"
        alternates = {link["hreflang"]: Site.resolve(url, link["href"]) for link in site.page(url).select('link[rel="alternate"][hreflang]')}
        assert set(alternates) == {"sv", "en"}, url
        assert alternates[language] == url, url
        other = "sv" if language == "en" else "en"
        counterpart = alternates[other]
        assert site.exists(counterpart), (url, counterpart)
        assert counterpart == (url[3:] if language == "en" else "/en" + url), url
        assert site.page(counterpart).html["lang"] == other
