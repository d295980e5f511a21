"""Every built page of both languages in headless Chromium: axe-core finds no WCAG 2.1 A/AA
violation, and no page asks anything of a host but the site's own. The same for the pages
of the held-out lessons written with every GitHub extension (tables, footnotes, code, task
lists, alerts), at a desktop's and a phone's width."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from axe import AXE, AXE_RUN
from browser import StaticServer, Tab

LOCAL_SCHEMES = ("data:", "blob:", "about:")
TABS = 2  # pages audited at once: 93 s with one tab, 66 s with two (2 CPUs; more tabs gave no more)


@dataclass
class Audit:
    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)  # page -> axe violations
    external: dict[str, list[str]] = field(default_factory=dict)  # page -> requests elsewhere
    seconds: float = 0.0


def audit_page(browser: Tab, server: StaticServer, path: str, audit: Audit) -> None:
    # axe runs while the page's late requests (search worker) come in; the log is read after.
    browser.open(server.url(path), settle=0)
    found = browser.evaluate(AXE_RUN)
    if found:
        audit.violations[path] = found
    browser.settle(0.1)
    elsewhere = [url for url in browser.requests
                 if not (url.startswith(server.origin + "/") or url.startswith(LOCAL_SCHEMES))]
    if elsewhere:
        audit.external[path] = elsewhere


@pytest.fixture(scope="module")
def audit(browser, served_site) -> Audit:
    # Pages are shared out over a few tabs of the one browser, audited in parallel.
    result = Audit(pages=served_site.pages())
    start = time.monotonic()
    tabs = [browser] + [browser.new_tab() for _ in range(TABS - 1)]
    pages = iter(result.pages)
    lock = threading.Lock()

    def work(tab: Tab) -> None:
        script = tab.add_script(AXE.read_text(encoding="utf-8"))
        try:
            while True:
                with lock:
                    path = next(pages, None)
                if path is None:
                    return
                audit_page(tab, served_site, path, result)
        finally:
            tab.remove_script(script)

    try:
        with ThreadPoolExecutor(len(tabs)) as pool:
            for done in [pool.submit(work, tab) for tab in tabs]:
                done.result()
    finally:
        for tab in tabs[1:]:
            tab.close()
    result.seconds = time.monotonic() - start
    print(f"\naxe over {len(result.pages)} pages in {result.seconds:.1f} s ({TABS} tabs)")
    return result


def describe(violations: dict[str, list[dict]]) -> str:
    lines = []
    for page, found in violations.items():
        for violation in found:
            targets = "; ".join(violation["targets"][:5])
            more = f" (+{len(violation['targets']) - 5} more)" if len(violation["targets"]) > 5 else ""
            lines.append(f"{page}: {violation['id']} ({violation['impact']}) {violation['help']}: "
                         f"{targets}{more}")
    return "\n".join(lines)


def test_every_page_of_both_languages_is_audited(audit):
    assert "/" in audit.pages and "/en/" in audit.pages
    assert "/404.html" in audit.pages and "/en/404.html" in audit.pages
    assert "/lardomar/zink/" in audit.pages and "/en/lardomar/zink/" in audit.pages
    # A reader's municipality anywhere in Sweden: the finder and every group's page.
    for group in ("", "a1/", "a2/", "b3/", "b4/", "b5/", "c6/", "c7/", "c8/", "c9/"):
        assert "/din-kommun/" + group in audit.pages and "/en/din-kommun/" + group in audit.pages
    assert len(audit.pages) > 100


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(audit):
    assert not audit.violations, "axe-core violations:\n" + describe(audit.violations)


def test_no_page_requests_anything_from_another_host(audit):
    lines = [f"{page}: {url}" for page, urls in audit.external.items() for url in urls]
    assert not lines, "requests to other hosts:\n" + "\n".join(lines)


# The held-out lessons' pages (tests/fixtures/github_lessons) and their titles.
GITHUB_PAGES = {"/lardomar/github/": "Allt som GitHub kan", "/en/lardomar/github/": "Everything GitHub can do",
                "/en/lardomar/bara-svenska/": "Bara på svenska", "/lardomar/ostangt-staket/": "Ostängt staket"}


def test_axe_finds_no_violation_on_lessons_with_every_github_extension(browser, served_github_site):
    audit = Audit(pages=list(GITHUB_PAGES))
    script = browser.add_script(AXE.read_text(encoding="utf-8"))
    try:
        for width, height, mobile in ((1280, 800, False), (390, 844, True)):
            with browser.viewport(width, height, mobile):
                for path, title in GITHUB_PAGES.items():
                    audit_page(browser, served_github_site, path, audit)
                    assert browser.evaluate("document.querySelector('.md-content h1').textContent") == title, path
    finally:
        browser.remove_script(script)
    assert not audit.violations, "axe-core violations:\n" + describe(audit.violations)
    assert not audit.external, audit.external


def test_requests_made_by_scripts_are_recorded_too(browser, served_site):
    # The check above is only as good as the request log: the search page fetches its index.
    browser.open(served_site.url("/en/sok/?q=housing"), settle=1.0)
    assert any(url.endswith("/en/search/index.json") for url in browser.requests), browser.requests


def test_a_missing_path_at_any_depth_gets_the_swedish_404_with_working_links(browser, served_site):
    # Static hosts serve the root 404.html for every missing path, at any depth.
    browser.open(served_site.url("/finns/inte/har/"))
    assert browser.evaluate("document.documentElement.lang") == "sv"
    assert browser.evaluate("document.querySelector('h1').textContent") == "Sidan finns inte"
    assert browser.evaluate("[...document.styleSheets].every(sheet => sheet.cssRules.length > 0)")
    statuses = browser.evaluate("""Promise.all(
        [...document.querySelectorAll('a[href]:not([href^="#"]), link[href], script[src]')]
          .map(e => e.href || e.src).filter(u => u.startsWith(location.origin))
          .map(u => fetch(u).then(r => [u, r.status])))""")
    assert len(statuses) > 10
    assert [url for url, status in statuses if status != 200] == []
