"""Every page's footer links the accessibility statement in its own language, and the
404 page exists in each language, with links that work from any depth and sub-path."""

from __future__ import annotations

import pytest
from sitebuild import Site, build, make_project

SUB_PATH = "/lardomar/"
STATEMENT = {"sv": "Tillgänglighetsredogörelse", "en": "Accessibility statement"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("footer") / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(project / "site")


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("subpath") / "project")
    result = build(project, site_url="https://example.org" + SUB_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(project / "site")


def test_every_page_links_the_accessibility_statement_in_its_language(site):
    checked = 0
    for url in site.urls():
        page = site.page(url)
        language = page.html["lang"]
        links = page.select("footer .md-copyright a.ld-footer-link")
        assert [a.get_text(strip=True) for a in links] == [STATEMENT[language]], url
        href = links[0]["href"]
        if url.endswith("404.html"):
            assert href.startswith("/"), url  # served for any missing path: from the site root
            target = href
        else:
            assert not href.startswith(("/", "http")), f"{url}: {href} is not relative"
            target = Site.resolve(url, href)
        expected = "/tillganglighet/" if language == "sv" else f"/{language}/tillganglighet/"
        assert target == expected, url
        assert site.exists(target), url
        checked += 1
    assert checked > 100


def test_material_credit_line_is_replaced(site):
    assert "squidfunk" not in site.file("/").read_text(encoding="utf-8")


def test_root_404_is_swedish_with_an_english_way_out(site):
    page = site.page("/404.html")
    assert page.html["lang"] == "sv"
    assert page.h1.get_text(strip=True) == "Sidan finns inte"
    english = page.select('.md-content [lang="en"]')
    assert english and english[0].a["href"] == "/en/"
    assert english[0].a.get_text(strip=True).startswith("Page not found")
    switcher = {a["hreflang"]: a["href"] for a in page.select("a.md-select__link")}
    assert switcher == {"sv": "/.", "en": "/en/"}  # start pages, not some other page's counterparts


def test_english_404_is_english(site):
    page = site.page("/en/404.html")
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Page not found"
    assert [a["href"] for a in page.select(".md-content a") if a.get_text(strip=True) == "Go to the start page"] \
        == ["/en/"]
    assert page.select('.md-content [lang="sv"] a')[0]["href"] == "/."


@pytest.mark.parametrize("url", ["/404.html", "/en/404.html"])
def test_404_links_and_assets_work_from_a_sub_path(sub_path_site, url):
    page = sub_path_site.page(url)
    references = [tag.get("href") or tag.get("src") for tag in page.select("[href], [src]")]
    local = [ref for ref in references if not ref.startswith(("http:", "https:", "mailto:", "#", "data:"))]
    assert local
    for ref in local:
        assert ref.startswith(SUB_PATH), f"{url}: {ref} does not work from any depth"
        target = Site.resolve("/", ref)[len(SUB_PATH) - 1:]  # as a browser reads it: `/x/.` is `/x/`
        assert sub_path_site.exists(target), f"{url}: {ref} leads nowhere"
