"""A reader anywhere in Sweden: the real site built with `mkdocs build --strict` (the fixture
lessons and two more, in Storuman, C9, and Nordmaling, B4), read as HTML without JavaScript.

Readers outside Norrbotten and Västerbotten (Vansbro in Dalarna, C8; Växjö in Kronoberg, B3;
Upplands Väsby in Stockholm, A2) pick their municipality on `din-kommun/` and reach lessons
from places like theirs, in both languages."""

from __future__ import annotations

import csv
import io
import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from sitebuild import ROOT, Site, build, make_project

PLACES_LESSONS = ROOT / "tests" / "fixtures" / "places_lessons"
PREFIXES = ("/", "/en/")
FINDER = "din-kommun/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("places") / "project")
    for lesson in sorted(PLACES_LESSONS.iterdir()):
        shutil.copy(lesson, project / "lessons" / lesson.name)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def content(site: Site, url: str) -> Tag:
    found = site.page(url).select_one(".md-content")
    assert found is not None, url
    return found


def card_slugs(block: Tag | list[Tag], url: str) -> list[str]:
    blocks = block if isinstance(block, list) else [block]
    return [Site.resolve(url, a["href"]).rstrip("/").rsplit("/", 1)[-1]
            for part in blocks for a in part.select(".ld-card__title a")]


def section(page: Tag, heading_text: str, level: str = "h2") -> list[Tag]:
    """The elements after the heading with this text, up to the next heading of its level or higher."""
    heading = next(h for h in page.find_all(level) if h.get_text(strip=True) == heading_text)
    stop = {"h1", "h2"} if level == "h2" else {"h1", "h2", "h3"}
    found = []
    for sibling in heading.find_next_siblings():
        if sibling.name in stop:
            break
        found.append(sibling)
    return found


def finder_links(site: Site, prefix: str) -> dict[str, str]:
    """Every municipality on the finder page: its name -> where its link leads (path#anchor)."""
    url = prefix + FINDER
    found = {}
    for a in content(site, url).select(".ld-places__list a"):
        target = Site.resolve(url, a["href"])
        found[a.get_text(strip=True)] = target + "#" + a["href"].split("#", 1)[1]
    return found


@cache
def _page(site_root: str, url: str) -> BeautifulSoup:
    return Site(Path(site_root)).page(url)


# --- the finder: every municipality, by county, sorted as Swedish sorts ----------------------


@pytest.mark.parametrize("prefix, language, title", [("/", "sv", "Lärdomar för din kommun"),
                                                     ("/en/", "en", "Lessons for your municipality")])
def test_the_finder_lists_all_290_municipalities_by_county(site, prefix, language, title):
    page = site.page(prefix + FINDER)
    assert page.html["lang"] == language
    main = content(site, prefix + FINDER)
    assert main.h1.get_text(strip=True) == title
    counties = [h3.get_text(strip=True) for h3 in main.select(".ld-places__county > h3")]
    assert len(counties) == 21
    if language == "sv":
        assert counties[:3] == ["Blekinge län", "Dalarnas län", "Gotlands län"]
        assert counties[-4:] == ["Västmanlands län", "Västra Götalands län", "Örebro län", "Östergötlands län"]
    else:
        assert counties[:3] == ["Blekinge County", "Dalarna County", "Gotland County"]
        assert counties[-3:] == ["Västra Götaland County", "Örebro County", "Östergötland County"]
    assert len(finder_links(site, prefix)) == 290
    by_county = {county["data-name"]: [li.get_text(" ", strip=True) for li in county.select("li")]
                 for county in main.select(".ld-places__county")}
    stockholm = by_county["Stockholms län" if language == "sv" else "Stockholm County"]
    assert [item.split(" ")[0] for item in stockholm[-3:]] == ["Vaxholm", "Värmdö", "Österåker"]
    skane = [li["data-name"] for li in main.select('.ld-places__county[data-name^="Skåne"] li')]
    assert skane[-3:] == ["Ängelholm", "Örkelljunga", "Östra Göinge"]
    assert skane.index("Sjöbo") < skane.index("Skurup") < skane.index("Staffanstorp") < skane.index("Svalöv")
    norrbotten = [li["data-name"] for li in main.select('.ld-places__county[data-name^="Norrbotten"] li')]
    assert norrbotten[-3:] == ["Älvsbyn", "Överkalix", "Övertorneå"] and len(norrbotten) == 14


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_municipality_leads_to_a_note_on_its_groups_page(site, prefix):
    groups_seen = set()
    for name, target in finder_links(site, prefix).items():
        path, anchor = target.split("#")
        assert path.startswith(prefix + "din-kommun/") and path != prefix + FINDER, target
        note = _page(str(site.root), path).find(id=anchor)
        assert note is not None and "ld-place-note" in note["class"], target
        assert name in note.get_text(), (name, target)
        groups_seen.add(path)
    assert len(groups_seen) == 9


@pytest.mark.parametrize("prefix, words", [("/", ("Sök efter kommun eller län", "Källor")),
                                           ("/en/", ("Search for a municipality or county", "Sources"))])
def test_the_filter_box_waits_for_javascript_and_the_sources_are_credited(site, prefix, words):
    main = content(site, prefix + FINDER)
    form = main.select_one("form#ld-place-filter")
    assert form.has_attr("hidden")  # shown by assets/js/places.js; without it the whole list is there
    field = form.select_one("input#ld-place-filter-input")
    assert field["name"] == "kommun" and main.select_one('label[for="ld-place-filter-input"]').get_text() == words[0]
    credit = main.select_one(".ld-credit")
    assert credit.get_text().startswith(words[1])
    hosts = [a["href"] for a in credit.select("a")]
    assert hosts[0].startswith("https://skr.se/") and hosts[1].startswith("https://www.scb.se/")
    assert "SKR" in credit.get_text() and "SCB" in credit.get_text()
    scripts = [script.get("src", "") for script in site.page(prefix + FINDER).select("script")]
    assert any(src.endswith("assets/js/places.js") for src in scripts)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_finder_is_in_the_navigation_and_on_the_home_page(site, prefix):
    nav = [Site.resolve(prefix, a["href"]) for a in site.page(prefix).select("nav.md-nav--primary a[href]")]
    assert prefix + FINDER in nav
    home = [Site.resolve(prefix, a["href"]) for a in content(site, prefix).select("a[href]")]
    assert prefix + FINDER in home


# --- a reader outside the two counties ------------------------------------------------------


@pytest.mark.parametrize("prefix, note", [
    ("/", "Du valde Vansbro i Dalarnas län. Kommunen hör till gruppen C8 Landsbygdskommun."),
    ("/en/", "You chose Vansbro in Dalarna County. The municipality belongs to the group C8 Rural municipalities."),
])
def test_a_reader_in_vansbro_reaches_lessons_from_rural_municipalities(site, prefix, note):
    target = finder_links(site, prefix)["Vansbro"]
    path, anchor = target.split("#")
    assert (path, anchor) == (prefix + "din-kommun/c8/", "kommun-2021")
    page = site.page(path)
    assert page.find(id=anchor).get_text(" ", strip=True) == note
    main = content(site, path)
    sv = prefix == "/"
    same = section(main, "Från kommuner i samma grupp" if sv else "From municipalities in the same group")
    assert card_slugs(same, path) == ["zink", "ostra-norrbotten"]  # Haparanda's, newest first
    neighbours = main.find_all("h3")
    assert [h.get_text(strip=True)[:2] for h in neighbours] == ["C9", "C7"]  # nearest first, as the data says
    c9 = section(main, neighbours[0].get_text(strip=True), "h3")
    assert card_slugs(c9, path) == ["besoksnaring-i-storuman"]
    wide = section(main, "Om ett helt län eller hela Sverige" if sv else "About a whole county or Sweden as a whole")
    assert card_slugs(wide, path) == ["kompetens-i-norrbotten", "vatten-i-norrbotten"]
    assert len(card_slugs(main, path)) == len(set(card_slugs(main, path))) == 5
    why = main.select("p")[main.select("p").index(main.select_one(".ld-lead")) + 1].get_text()
    assert "C9" in why and "C7" in why  # which neighbouring groups, said in the one sentence on why
    assert ("eftersom" if sv else "because") in why


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_reader_in_vaxjo_and_one_in_upplands_vasby(site, prefix):
    links = finder_links(site, prefix)
    assert links["Växjö"] == prefix + "din-kommun/b3/#kommun-0780"
    b3 = content(site, prefix + "din-kommun/b3/")
    assert card_slugs(b3, prefix + "din-kommun/b3/") == [
        "vatten-i-norrbotten",  # Luleå, the same group
        "bostader-i-skelleftea",  # C6
        "pendling-fran-nordmaling",  # B4
        "kompetens-i-norrbotten",  # Norrbotten County
    ]
    assert links["Upplands Väsby"] == prefix + "din-kommun/a2/#kommun-0114"
    a2 = content(site, prefix + "din-kommun/a2/")
    assert card_slugs(a2, prefix + "din-kommun/a2/") == [
        "pendling-fran-nordmaling", "kompetens-i-norrbotten", "vatten-i-norrbotten"]
    empty = a2.select(".ld-empty")
    assert empty, "the group's own list says it has no lessons yet"


def test_an_english_page_shows_untranslated_lessons_marked_swedish(site):
    a2 = content(site, "/en/din-kommun/a2/")
    titles = {a.get_text(strip=True): a.get("lang") for a in a2.select(".ld-card__title a")}
    assert titles["Commuting from Nordmaling"] is None
    assert titles["Åtgärder för vatten"] == "sv"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_group_page_lists_its_municipalities_and_leads_back(site, prefix):
    path = prefix + "din-kommun/c6/"
    main = content(site, path)
    members = section(main, "Kommunerna i gruppen" if prefix == "/" else "The municipalities in the group")
    text = " ".join(part.get_text(" ", strip=True) for part in members)
    assert "27" in text and "290" in text and "Skellefteå" in text and "Karlskrona" in text
    linked = {Site.resolve(path, a["href"]) for part in members for a in part.select("a[href]")}
    assert prefix + "regioner/skelleftea/" in linked
    back = [Site.resolve(path, a["href"]) for a in main.select("a[href]")]
    assert prefix + FINDER in back


# --- everywhere it helps ----------------------------------------------------------------------


@pytest.mark.parametrize("prefix, label, group, similar", [
    ("/", "Kommungrupp (SKR)", "C6 Mindre stad/tätort", "Kommuner som liknar den här"),
    ("/en/", "Municipality group (SKR)", "C6 Small towns", "Municipalities like this one"),
])
def test_a_municipalitys_page_says_its_group_and_links_similar_ones(site, prefix, label, group, similar):
    url = prefix + "regioner/skelleftea/"
    main = content(site, url)
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in main.select("dl.ld-facts dt")}
    assert facts[label].get_text(strip=True) == group
    assert Site.resolve(url, facts[label].a["href"]) == prefix + "din-kommun/c6/"
    link = main.select_one(".ld-similar a")
    assert link.get_text(strip=True) == similar
    assert Site.resolve(url, link["href"]) == prefix + "din-kommun/c6/" and link["href"].endswith("#kommun-2482")
    assert site.page(prefix + "din-kommun/c6/").find(id="kommun-2482") is not None
    county = content(site, prefix + "regioner/norrbotten/")
    assert label not in county.get_text()


@pytest.mark.parametrize("prefix, label, expected", [
    ("/", "Kommungrupp (SKR)", "B3 Större stad (Luleå)"),
    ("/en/", "Municipality group (SKR)", "B3 Medium-sized towns (Luleå)"),
])
def test_a_lesson_page_names_the_group_of_each_municipality(site, prefix, label, expected):
    url = prefix + "lardomar/vatten-i-norrbotten/"
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in content(site, url).select("dl.ld-facts dt")}
    assert facts[label].get_text(" ", strip=True) == expected
    assert Site.resolve(url, facts[label].a["href"]) == prefix + "din-kommun/b3/"
    county_only = content(site, prefix + "lardomar/kompetens-i-norrbotten/")
    assert label not in county_only.select_one("dl.ld-facts").get_text()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_list_filters_gain_the_group(site, prefix):
    main = content(site, prefix + "lardomar/")
    select = main.select_one("select#ld-filter-group")
    assert select["name"] == "kommungrupp"
    options = [option["value"] for option in select.select("option")]
    assert options == ["", "b3", "b4", "b5", "c6", "c8", "c9"]  # the groups with lessons
    cards = {Site.resolve(prefix + "lardomar/", li.select_one(".ld-card__title a")["href"]).rstrip("/").rsplit("/", 1)[-1]:
             li["data-kommungrupp"] for li in main.select("li.ld-card")}
    assert cards["vatten-i-norrbotten"] == "b3" and cards["zink"] == "c8" and cards["kompetens-i-norrbotten"] == ""


def test_the_open_data_carries_the_groups(site):
    document = json.loads(site.file("/oppna-data/lardomar.json").read_text(encoding="utf-8"))
    groups = document["vocabularies"]["municipality_group"]
    assert [group["code"] for group in groups] == ["A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"]
    assert groups[7]["name"] == {"sv": "Landsbygdskommun", "en": "Rural municipalities"}
    assert groups[7]["neighbours"] == ["c9", "c7"]
    regions = {term["id"]: term for term in document["vocabularies"]["region"]}
    assert regions["skelleftea"]["group"] == "c6" and "group" not in regions["norrbotten"]
    municipalities = {entry["code"]: entry for entry in document["municipalities"]}
    assert len(municipalities) == 290
    assert municipalities["0780"] == {"code": "0780", "name": "Växjö", "county": "07", "group": "b3", "region": None}
    assert municipalities["2482"]["region"] == "skelleftea"
    lessons = {lesson["slug"]: lesson for lesson in document["lessons"]}
    assert lessons["vatten-i-norrbotten"]["municipality_group"] == ["b3"]
    assert lessons["kompetens-i-norrbotten"]["municipality_group"] == []
    rows = list(csv.DictReader(io.StringIO(site.file("/oppna-data/lardomar.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["slug"] == "besoksnaring-i-storuman" and r["language"] == "en")
    assert (row["municipality_group"], row["municipality_group_name"]) == \
        ("c9", "Rural municipalities with a visitor industry")
    schema = json.loads(site.file("/oppna-data/lardom.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["municipality_group"]["enum"] == [group["id"] for group in groups]
    assert schema["$defs"]["region"]["x-municipality-group"]["storuman"] == "c9"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_about_page_credits_skr_and_scb(site, prefix):
    main = content(site, prefix + "om/")
    hrefs = [a["href"] for a in main.select("a[href]")]
    assert any(href.startswith("https://skr.se/") and "kommungruppsindelning" in href for href in hrefs)
    assert any(href.startswith("https://www.scb.se/") for href in hrefs)
    assert prefix + FINDER in {Site.resolve(prefix + "om/", href) for href in hrefs}
    if prefix == "/en/":
        assert main.find("em", string="kommungruppsindelning")["lang"] == "sv"


def test_the_group_pages_are_in_the_sitemap_with_both_languages(site):
    sitemap = site.file("/sitemap.xml").read_text(encoding="utf-8")
    for group in ("a1", "c9"):
        assert f"din-kommun/{group}/</loc>" in sitemap
        assert f'hreflang="en" href="https://lardomsbanken.example.org/en/din-kommun/{group}/"' in sitemap
