"""The Content-Security-Policy in the hosting examples (deploy/) is the one the site passes:
served with that header, no representative page (search, filters, the map, lessons, 404)
reports a violation in Chromium, nor do the held-out lessons written with every GitHub
extension (which need no other policy), and the examples carry exactly the policy computed
from a build.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browser import StaticServer
from sitebuild import ROOT

from lardomsbanken.publish import csp

# Pages that run every script the site has: Material's, filters, search, the map, a 404.
REPRESENTATIVE = (
    "/", "/en/", "/lardomar/", "/lardomar/?tema=infrastruktur&plats=norrbotten", "/en/lardomar/?typ=lesson",
    "/sok/?q=bostad", "/en/sok/?q=housing", "/regioner/", "/en/regioner/norrbotten/", "/oversikt/",
    "/teman/bostader/", "/oppna-data/", "/en/flode/", "/finns/inte/",
    "/lardomar/zink/", "/en/lardomar/bostader-i-skelleftea/", "/en/lardomar/kompetens-i-norrbotten/",
    "/din-kommun/?kommun=umea", "/en/din-kommun/", "/din-kommun/c8/#kommun-2021",  # the filter box (places.js)
)
LISTS = ("/lardomar/", "/en/lardomar/")  # the lists with filters, which are used too
# The held-out lessons' pages (tests/fixtures/github_lessons).
GITHUB_PAGES = ("/lardomar/github/", "/en/lardomar/github/", "/en/lardomar/bara-svenska/", "/lardomar/ostangt-staket/")
# Runs before the page's own scripts: every CSP violation the page reports is kept.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '') + ' @' + e.lineNumber));
"""
# Uses the filters after the page has loaded (filters.js changes the list and the URL).
USE_FILTERS = """(() => {
  const select = document.querySelector('#ld-filters select');
  if (!select) return false;
  select.selectedIndex = 1;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
})()"""


def violations(browser, server: StaticServer, paths) -> dict[str, list[str]]:
    found = {}
    script = browser.add_script(RECORD_VIOLATIONS)
    try:
        for path in paths:
            browser.open(server.url(path), settle=0.5)
            if urlsplit(path).path in LISTS:
                assert browser.evaluate(USE_FILTERS), path
                browser.settle(0.3)
            found[path] = browser.evaluate("window.__violations")
    finally:
        browser.remove_script(script)
    return found


@pytest.fixture(scope="module")
def policy(served_site) -> str:
    return csp.policy(served_site.root)


def test_no_page_violates_the_policy(browser, served_site, policy):
    server = StaticServer(served_site.root, headers={"Content-Security-Policy": policy})
    try:
        found = violations(browser, server, REPRESENTATIVE)
        # The scripts really ran under the policy: search drew results, the filters are shown.
        browser.open(server.url("/sok/?q=bostad"), settle=1.0)
        assert browser.evaluate("document.querySelectorAll('#ld-search-results > li').length") > 0
        browser.open(server.url("/lardomar/"))
        assert browser.evaluate("document.getElementById('ld-filters').hidden") is False
    finally:
        server.close()
    assert {path: seen for path, seen in found.items() if seen} == {}


def test_lessons_with_every_github_extension_need_no_other_policy_and_violate_nothing(browser, served_github_site,
                                                                                    policy):
    assert csp.policy(served_github_site.root) == policy
    server = StaticServer(served_github_site.root, headers={"Content-Security-Policy": policy})
    try:
        found = violations(browser, server, GITHUB_PAGES)
        assert browser.evaluate("document.querySelector('.md-content h1').textContent") == "Ostängt staket"
    finally:
        server.close()
    assert {path: seen for path, seen in found.items() if seen} == {}


def test_the_check_sees_a_violation_when_the_inline_script_hashes_are_missing(browser, served_site, policy):
    strict = re.sub(r" 'sha256-[^']+'", "", policy)
    server = StaticServer(served_site.root, headers={"Content-Security-Policy": strict})
    try:
        found = violations(browser, server, ["/", "/finns/inte/"])
    finally:
        server.close()
    assert all(any(v.startswith("script-src") for v in seen) for seen in found.values()), found


def test_the_policy_allows_nothing_from_elsewhere_and_no_unsafe_inline(policy):
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "unsafe" not in policy and "*" not in policy and "http" not in policy
    assert directives["script-src"].startswith("'self' 'sha256-")


def test_the_hosting_examples_carry_the_policy_of_a_root_deployment(policy):
    # The fixture site is built for a domain root, as the examples are. A Material
    # upgrade that changes its inline scripts fails here: regenerate the examples
    # with `python -m lardomsbanken.publish.csp site/`.
    for example in ("deploy/_headers", "deploy/nginx.conf"):
        text = (ROOT / example).read_text(encoding="utf-8")
        assert f"Content-Security-Policy: {policy}\n" in text or f'Content-Security-Policy "{policy}"' in text, example
