"""Publishing: one build of the fixture site for a sub-path (`https://example.org/lardomar/`),
served under that prefix. Every link, asset, feed, language switch and the search index
resolve under it; lessons and hand-written pages link their source file for editing,
generated pages do not; and ProperDocs builds the very same site.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser import StaticServer
from bs4 import BeautifulSoup
from sitebuild import Site, build, make_project, mkdocs_env

SITE_URL = "https://example.org/lardomar/"
PREFIX = "/lardomar/"
EDIT_BASE = "https://github.com/example-org/lardomsbanken/edit/main/"
# Where a page's URLs are: (tag, attribute).
LINKING = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
           ("iframe", "src"), ("form", "action"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("publish") / "project")
    result = build(project, site_url=SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project


@pytest.fixture(scope="module")
def site(project) -> Site:
    return Site(project / "site")


@pytest.fixture(scope="module")
def server(site):
    server = StaticServer(site.root, prefix=PREFIX)
    try:
        yield server
    finally:
        server.close()


def edit_link(site: Site, url: str) -> tuple[str, str] | None:
    """The page's "edit this page" link: (href, its accessible name), or None."""
    links = site.page(url).select("a.md-content__button[rel=edit]")
    assert len(links) <= 1
    return (links[0]["href"], links[0]["title"]) if links else None


# --- edit links --------------------------------------------------------------------------------

def test_every_lesson_page_links_its_own_source_file_for_editing(site, project):
    for source in sorted((project / "lessons").rglob("*.md")):
        slug, language = source.name.split(".")[:2]
        url = f"/lardomar/{slug}/" if language == "sv" else f"/{language}/lardomar/{slug}/"
        expected = EDIT_BASE + source.relative_to(project).as_posix()
        assert edit_link(site, url) == (expected, "Redigera sidan" if language == "sv" else "Edit this page"), url


def test_an_untranslated_lessons_english_page_edits_the_swedish_file_it_shows(site, project):
    untranslated = [source for source in sorted((project / "lessons").rglob("*.sv.md"))
                    if not source.with_name(source.name.replace(".sv.md", ".en.md")).exists()]
    assert untranslated, "the fixture lessons need an untranslated lesson"
    for source in untranslated:
        slug = source.name.split(".")[0]
        expected = EDIT_BASE + source.relative_to(project).as_posix()
        assert edit_link(site, f"/en/lardomar/{slug}/") == (expected, "Edit this page")


def test_hand_written_pages_link_their_content_file(site, project):
    assert edit_link(site, "/om/") == (EDIT_BASE + "content/om.sv.md", "Redigera sidan")
    assert edit_link(site, "/en/om/") == (EDIT_BASE + "content/om.en.md", "Edit this page")
    assert edit_link(site, "/") == (EDIT_BASE + "content/index.sv.md", "Redigera sidan")


def test_generated_pages_have_no_edit_link(site):
    generated = ["/lardomar/", "/en/lardomar/", "/teman/", "/teman/bostader/", "/en/regioner/norrbotten/",
                 "/aktorer/", "/typer/", "/oversikt/", "/en/oversikt/", "/sok/", "/en/sok/", "/404.html",
                 "/en/404.html"]
    for url in generated:
        assert site.exists(url), url
        assert edit_link(site, url) is None, url


def test_the_edit_address_comes_from_mkdocs_yml(site, project):
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"edit_uri: {EDIT_BASE}\n" in config
    assert re.search(r"^repo_url:", config, re.MULTILINE) is None  # see the comment in mkdocs.yml


# --- the site from a sub-path -------------------------------------------------------------------

def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def own_address(server: StaticServer, page_address: str, reference: str) -> str | None:
    """The served address a reference on a page leads to; None if it leads off the site."""
    address = urljoin(page_address, reference.strip())
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https"):
        return None  # mailto:, data:
    if address.startswith(SITE_URL):
        address = server.origin + parts.path  # absolute links made from site_url (canonical, feeds)
    elif not address.startswith(server.origin):
        return None  # another site: sources (a fixture cites example.org/rapport), the edit page
    return address.split("#")[0]


def test_every_link_and_asset_of_every_page_resolves_under_the_sub_path(site, server):
    checked: dict[str, int] = {}
    failures = []
    pages = server.pages()
    assert len(pages) > 100
    for path in pages:
        page_address = server.url(path)
        status, body = fetch(page_address)
        assert status == 200, path
        soup = BeautifulSoup(body, "html.parser")
        for tag, attribute in LINKING:
            for element in soup.find_all(tag, attrs={attribute: True}):
                address = own_address(server, page_address, element[attribute])
                if address is None:
                    continue
                if not urlsplit(address).path.startswith(PREFIX):
                    failures.append(f"{path}: {element[attribute]} leaves {PREFIX}")
                    continue
                if address not in checked:
                    checked[address] = fetch(address)[0]
                if checked[address] != 200:
                    failures.append(f"{path}: {element[attribute]} -> {checked[address]}")
    assert not failures, "\n".join(failures[:40])
    assert len(checked) > len(pages)  # pages, assets, feeds, open data


def test_language_switcher_and_feed_links_are_there_to_check(site):
    page = site.page("/en/lardomar/")
    switcher = [a["href"] for a in page.select("a.md-select__link")]
    assert len(switcher) == 2
    assert page.select('link[rel=alternate][type="application/atom+xml"]')
    assert page.select('link[rel=alternate][hreflang]')


def test_the_404_page_leads_into_the_sub_path_from_any_depth(site, server):
    status, body = fetch(server.url("/finns/inte/alls/"))
    assert status == 404
    soup = BeautifulSoup(body, "html.parser")
    for tag, attribute in LINKING:
        for element in soup.find_all(tag, attrs={attribute: True}):
            address = own_address(server, server.url("/finns/inte/alls/"), element[attribute])
            if address is not None and not element[attribute].startswith("#"):
                assert urlsplit(address).path.startswith(PREFIX), element
                assert fetch(address)[0] == 200, element


def test_the_feeds_and_open_data_use_the_sub_path(site):
    feed = (site.root / "flode" / "lardomar.xml").read_text(encoding="utf-8")
    addresses = re.findall(r'href="([^"]+)"', feed)
    assert addresses and all(a.startswith(SITE_URL) for a in addresses), addresses[:5]
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    assert all(loc.startswith(SITE_URL) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap))


def test_search_fetches_its_index_under_the_sub_path(browser, server):
    for path, index in (("/sok/?q=bostad", "/search/index.json"), ("/en/sok/?q=housing", "/en/search/index.json")):
        browser.open(server.url(path), settle=1.0)
        assert server.url(index) in browser.requests, browser.requests
        results = browser.evaluate("document.querySelectorAll('#ld-search-results > li a').length")
        assert results > 0, path
        hrefs = browser.evaluate("[...document.querySelectorAll('#ld-search-results > li a')].map(a => a.href)")
        assert all(href.startswith(server.origin + PREFIX) for href in hrefs), hrefs
        assert all(fetch(href)[0] == 200 for href in hrefs), hrefs


# --- ProperDocs ----------------------------------------------------------------------------------

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_site(project, site, tmp_path):
    """ProperDocs (the maintained MkDocs 1.x fork) reads mkdocs.yml, runs the hook and
    static-i18n unchanged, and writes the same files; only the generator tag differs."""
    output = tmp_path / "properdocs-site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(output)],
        cwd=project, env=mkdocs_env(SITE_URL), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    ours = sorted(p.relative_to(site.root) for p in site.root.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file())
    assert ours == theirs
    different = [str(path) for path in ours
                 if GENERATOR.sub(b"", (site.root / path).read_bytes()) != GENERATOR.sub(b"", (output / path).read_bytes())]
    assert different == []
    assert b"ProperDocs" in (output / "index.html").read_bytes()
