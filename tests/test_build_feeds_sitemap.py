"""Build the fixture site once on a sub-path and read feeds, metadata and sitemap as clients do."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from sitebuild import Site, build, make_project

SITE_URL = "https://example.org/lardomar/"
XSS_TITLE = 'Kompetens <script>alert(1)</script> & "citat" *inte kursiv*'
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("build-reuse") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, replaced = re.subn(r"^site_url: .*$", f"site_url: {SITE_URL}", text, flags=re.MULTILINE)
    assert replaced == 1
    config.write_text(text, encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def page_urls(site: Site) -> list[str]:
    """Every built page (404 excepted) as a site path: `/`, `/en/teman/bostader/`."""
    found = []
    for path in sorted(site.root.rglob("index.html")):
        relative = path.parent.relative_to(site.root).as_posix()
        found.append("/" if relative == "." else f"/{relative}/")
    return found


def og(page, prop: str) -> list[str]:
    return [meta["content"] for meta in page.find_all("meta", attrs={"property": prop})]


def test_every_page_has_open_graph_tags_once(site):
    urls = page_urls(site)
    assert len(urls) > 100
    for url in urls:
        page = site.page(url)
        language = page.html["lang"]
        for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name", "og:locale"):
            assert len(og(page, prop)) == 1, (url, prop)
        assert og(page, "og:url") == [SITE_URL + url.lstrip("/")], url
        assert og(page, "og:locale") == [{"sv": "sv_SE", "en": "en_GB"}[language]], url
        assert og(page, "og:locale:alternate") == [{"sv": "en_GB", "en": "sv_SE"}[language]], url
        is_lesson = "/lardomar/" in url and not url.endswith("/lardomar/")
        assert og(page, "og:type") == ["article" if is_lesson else "website"], url
        if is_lesson:
            assert len(og(page, "article:published_time")) == 1 and len(og(page, "article:modified_time")) == 1


def test_every_page_links_its_languages_feed(site):
    for url in page_urls(site):
        page = site.page(url)
        feeds = page.find_all("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
        targets = [Site.resolve(url, link["href"]) for link in feeds]
        root = "/en/" if url.startswith("/en/") else "/"
        assert targets[0] == root + "flode/lardomar.xml", url
        for link, target in zip(feeds, targets, strict=True):
            assert link.get("title"), url
            assert site.exists(target), (url, target)
            assert target.startswith(root + "flode/"), (url, target)


def test_theme_and_lesson_pages_link_their_theme_feeds(site):
    def feeds(url):
        page = site.page(url)
        return {Site.resolve(url, link["href"]) for link in
                page.find_all("link", attrs={"rel": "alternate", "type": "application/atom+xml"})}

    assert feeds("/en/teman/bostader/") == {"/en/flode/lardomar.xml", "/en/flode/teman/bostader.xml"}
    assert feeds("/lardomar/bostader-i-skelleftea/") == {
        "/flode/lardomar.xml", "/flode/teman/bostader.xml", "/flode/teman/finansiering.xml"}


def json_ld(page) -> list[dict]:
    return [json.loads(script.string) for script in page.find_all("script", attrs={"type": "application/ld+json"})]


def test_lesson_pages_carry_json_ld(site):
    page = site.page("/lardomar/bostader-i-skelleftea/")
    [article] = json_ld(page)
    assert article["@type"] == "Article" and article["@context"] == "https://schema.org"
    assert article["headline"] == "Bostäder i Skellefteå"
    assert article["inLanguage"] == "sv"
    assert article["datePublished"] == "2024-06-18" and article["dateModified"] == "2025-01-10"
    assert article["url"] == SITE_URL + "lardomar/bostader-i-skelleftea/"
    assert article["spatialCoverage"] == [{
        "@type": "Place", "name": "Skellefteå", "url": SITE_URL + "regioner/skelleftea/",
        "identifier": {"@type": "PropertyValue", "propertyID": "SCB", "value": "2482"}}]
    assert [thing["name"] for thing in article["about"]] == ["Bostäder", "Finansiering"]
    assert article["publisher"]["name"] == "Tillväxtverket"
    assert article["workTranslation"][0]["@id"] == SITE_URL + "en/lardomar/bostader-i-skelleftea/"
    [english] = json_ld(site.page("/en/lardomar/bostader-i-skelleftea/"))
    assert english["inLanguage"] == "en" and english["headline"] == "Housing in Skellefteå"
    assert english["translationOfWork"]["@id"] == article["url"]


def test_json_ld_cannot_be_broken_out_of(site):
    for url in ("/lardomar/kompetens-i-norrbotten/", "/en/lardomar/kompetens-i-norrbotten/"):
        html = site.file(url).read_text(encoding="utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
        assert "<" not in block and ">" not in block
        [article] = json_ld(site.page(url))
        assert article["headline"] == XSS_TITLE
        assert article["inLanguage"] == "sv"
        assert og(site.page(url), "og:title") == [XSS_TITLE]
        assert "<script>alert(1)" not in html


def test_non_lesson_pages_have_no_json_ld(site):
    for url in ("/", "/teman/bostader/", "/en/oppna-data/"):
        assert json_ld(site.page(url)) == []


def test_feeds_and_open_data_are_published(site):
    for url in ("/flode/lardomar.xml", "/en/flode/lardomar.xml", "/flode/teman/bostader.xml",
                "/oppna-data/lardomar.json", "/oppna-data/lardomar.csv", "/oppna-data/lardom.schema.json",
                "/oppna-data/lardom-oversattning.schema.json", "/oppna-data/dcat.rdf"):
        assert site.exists(url), url
    feed = feedparser.parse(site.file("/en/flode/lardomar.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 6
    assert all(entry.link.startswith(SITE_URL + "en/lardomar/") for entry in feed.entries)
    for entry in feed.entries:
        assert site.exists("/" + entry.link[len(SITE_URL):]), entry.link


@pytest.mark.parametrize("prefix", ["/", "/en/"])
def test_feed_and_open_data_pages_link_every_file(site, prefix):
    feeds_page = site.page(prefix + "flode/")
    feed_links = [Site.resolve(prefix + "flode/", a["href"]) for a in feeds_page.select(".ld-feeds a")]
    assert prefix + "flode/lardomar.xml" in feed_links and prefix + "flode/teman/bostader.xml" in feed_links
    assert all(site.exists(link) for link in feed_links)
    data_page = site.page(prefix + "oppna-data/")
    data_links = {Site.resolve(prefix + "oppna-data/", a["href"]) for a in data_page.select(".ld-open-data a")}
    assert data_links == {"/oppna-data/lardomar.json", "/oppna-data/lardomar.csv", "/oppna-data/lardom.schema.json",
                          "/oppna-data/lardom-oversattning.schema.json", "/oppna-data/dcat.rdf"}
    nav = {Site.resolve(prefix, a["href"]) for a in site.page(prefix).select("nav a[href]")}
    assert prefix + "flode/" in nav and prefix + "oppna-data/" in nav


def test_sitemap_lists_every_page_once_with_alternates_both_ways(site):
    tree = ET.parse(site.root / "sitemap.xml")
    entries = {}
    for url in tree.getroot().findall("s:url", SITEMAP):
        loc = url.find("s:loc", SITEMAP).text
        assert loc not in entries, f"listed twice: {loc}"
        assert url.find("s:lastmod", SITEMAP) is None, "no build dates"
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP)}
    expected = {SITE_URL + url.lstrip("/") for url in page_urls(site)}
    assert set(entries) == expected
    for loc, alternates in entries.items():
        assert set(alternates) == {"sv", "en", "x-default"}, loc
        assert loc in (alternates["sv"], alternates["en"]), loc
        assert alternates["x-default"] == alternates["sv"]
        assert alternates["en"] == alternates["sv"].replace(SITE_URL, SITE_URL + "en/", 1), loc
        for href in alternates.values():
            assert entries[href] == alternates, f"{href} does not point back"
