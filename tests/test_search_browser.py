"""Search in a real build: index files, the header form on every page, the results page,
and the JavaScript in headless Chromium (results, and the same stems and results as Python).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import StaticServer
from bs4 import BeautifulSoup
from sitebuild import ROOT, Site, build, make_project
from test_search import BOSTAD, ENGLISH, KOMMUN, SEARCH_LESSONS, SWEDISH

from lardomsbanken.publish import search_index as search
from lardomsbanken.publish import search_terms as searchterms

# Words the stemmers handle in special ways, on top of every word of the starter lessons.
TRICKY = (
    "kommunerna företagens bostaden bostad myndighets projektet landet samhället skolan ansökan "
    "paketet kometen höst trösten fullt fullständigt heterna hetens arbetet sámediggi čáhci ŋ "
    "dying lying tying skies skis news succeeded proceed exceeding evening innings outing herring "
    "generously communism pasted paste yay sayying 'yes y ay ayy bias biases atlas cosmos only early "
    "generalization hopping hoped luxuriating ogist biology fulli lessli ization national emergency "
    "university arsenal organisation's municipalities' municipality's housing"
).split() + [
    # Every ending the stemmers know, after stems that meet their special conditions.
    stem + ending
    for stem in ("kv", "bal", "ljuv", "pak", "stak", "verk", "projekt", "samhäll", "hop", "commun", "past",
                 "succ", "gener", "say", "fly", "luxuri", "organ", "add", "ebb", "hopp", "d", "inn")
    for ending in ("", "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste",
                   "en", "anden", "aren", "heten", "ern", "ar", "er", "heter", "or", "s", "as", "arnas", "es",
                   "ades", "ens", "hetens", "erns", "at", "et", "ets", "andet", "het", "ast", "dd", "gt", "kt",
                   "tt", "ig", "lig", "els", "fullt", "öst", "an", "'s", "sses", "ied", "ies", "us", "ss", "eed",
                   "ed", "ing", "edly", "eedly", "ingly", "y", "ational", "tional", "enci", "anci", "abli",
                   "entli", "izer", "ization", "ation", "ator", "alism", "aliti", "alli", "fulness", "ousli",
                   "ousness", "iveness", "iviti", "biliti", "bli", "ogist", "ogi", "lessli", "li", "alize",
                   "icate", "iciti", "ical", "ful", "ness", "ative", "ance", "ence", "able", "ible", "ate",
                   "ive", "ize", "ism", "ion", "sion", "tion", "ous", "ant", "ement", "ment", "ent", "le", "ll")
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("search-build") / "project", lessons=SEARCH_LESSONS)
    result = build(project)
    assert result.returncode == 0, result.stderr
    return Site(project / "site")


@pytest.fixture(scope="module")
def server(site):
    server = StaticServer(site.root)
    try:
        yield server
    finally:
        server.close()


def _pages(site: Site) -> list[str]:
    return ["/" + path.relative_to(site.root).as_posix() for path in sorted(site.root.rglob("*.html"))]


# --- the build --------------------------------------------------------------------------------


def test_one_index_per_language_and_no_material_index(site):
    assert not list(site.root.rglob("search_index.json"))
    for url, language in (("/search/index.json", "sv"), ("/en/search/index.json", "en")):
        index = json.loads(site.file(url).read_text(encoding="utf-8"))
        assert index["language"] == language


def test_every_page_has_the_header_search_form_of_its_language(site):
    pages = [url for url in _pages(site) if url != "/404.html"]
    assert len(pages) > 60
    for url in pages:
        page = site.page(url)
        forms = page.select("header form[role=search]")
        assert len(forms) == 1, url
        form = forms[0]
        language = "en" if url.startswith("/en/") else "sv"
        assert form.get("method") == "get" and form.get("aria-label"), url
        assert Site.resolve(url, form["action"]) == ("/en/sok/" if language == "en" else "/sok/"), url
        field = form.select_one("input[name=q]")
        label = form.select_one(f"label[for={field['id']}]")
        assert label.get_text(strip=True) == {"sv": "Sök i Lärdomsbanken", "en": "Search Lärdomsbanken"}[language]
        assert form.select_one("button[type=submit]").get_text(strip=True) == {"sv": "Sök", "en": "Search"}[language]
        ids = [tag["id"] for tag in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids on {url}"
        assert not page.select(".md-search"), url  # Material's search is gone


@pytest.mark.parametrize("url, language", [("/sok/", "sv"), ("/en/sok/", "en")])
def test_results_page_works_without_javascript_by_pointing_to_the_lists(site, url, language):
    page = site.page(url)
    assert page.html["lang"] == language
    form = page.select_one("article form[role=search]")
    assert Site.resolve(url, form["action"]) == url
    assert form.select_one("label[for=ld-search-query]") and form.select_one("input#ld-search-query[name=q]")
    status = page.select_one("#ld-search-status")
    assert status["aria-live"] == "polite" and status["role"] == "status"
    links = [Site.resolve(url, a["href"]) for a in page.select("#ld-search-nojs a")]
    assert len(links) == 6 and all(site.exists(link) for link in links)  # all lessons, and each facet's overview
    results = page.select_one("#ld-search-results")
    assert Site.resolve(url, results["data-index"]) == url.replace("sok/", "search/index.json")
    assert Site.resolve(url, results["data-root"]) == url.replace("sok/", "")
    scripts = [Site.resolve(url, tag["src"]) for tag in page.select("head script[src]") if "assets/js/" in tag["src"]]
    assert scripts == ["/assets/js/stemmers.js", "/assets/js/search.js"] and all(site.exists(s) for s in scripts)


# --- in Chromium --------------------------------------------------------------------------------


# The results page's script has run when its status says more than "loading".
SEARCHED = """() => { const status = document.getElementById('ld-search-status');
  const loading = JSON.parse(document.getElementById('ld-search-results').dataset.labels).status.loading;
  return status.textContent !== '' && status.textContent !== loading; }"""


def _results(browser, server: StaticServer, path: str) -> tuple[BeautifulSoup, list]:
    """The results page's DOM after its script has drawn the results, and the results."""
    browser.open(server.url(path))
    browser.page.wait_for_function(SEARCHED)
    page = BeautifulSoup(browser.page.content(), "html.parser")
    return page, page.select("#ld-search-results > li")


@pytest.mark.browser
def test_swedish_results_page_finds_inflected_words(browser, server):
    page, items = _results(browser, server, "sok/?q=kommunerna")
    assert page.select_one("#ld-search-query")["value"] == "kommunerna"
    assert page.select_one("#ld-search-nojs").has_attr("hidden")
    status = page.select_one("#ld-search-status").get_text()
    assert re.fullmatch(r"\d+ träffar för ”kommunerna”\.", status), status
    assert int(status.split()[0]) == len(items)
    first = items[0]
    assert first.a["href"] == f"../lardomar/{KOMMUN}/" and first.a.get_text() == "En kommun som planerar i tid"
    assert first.select_one(".ld-card__type").get_text() == "Lärdom"
    assert not page.select("#ld-search-results [lang]")  # all Swedish on the Swedish site


@pytest.mark.browser
def test_english_results_page_marks_untranslated_lessons_as_swedish(browser, server):
    page, items = _results(browser, server, "en/sok/?q=housing")
    status = page.select_one("#ld-search-status").get_text()
    assert re.fullmatch(r"\d+ results? for “housing”\.", status), status
    lessons = [item for item in items if BOSTAD in item.a["href"]]
    assert len(lessons) == 1
    lesson = lessons[0]
    assert lesson.a["lang"] == "sv" and lesson.select_one(".ld-card__summary")["lang"] == "sv"
    assert lesson.select_one(".ld-card__lang").get_text() == "in Swedish"
    assert lesson.select_one(".ld-card__type").get_text() == "Case note"
    _, items = _results(browser, server, "en/sok/?q=kommunerna")
    assert not [item for item in items if "/lardomar/" in item.a["href"]]  # translated lessons: English text only


@pytest.mark.browser
def test_empty_query_asks_for_words(browser, server):
    page, items = _results(browser, server, "sok/")
    assert items == [] and page.select_one("#ld-search-status").get_text() == "Skriv ett eller flera sökord."


@pytest.mark.browser
def test_javascript_tokens_stems_and_results_equal_python(site, browser, server):
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "lessons").glob("*.md"))]
    words = sorted({word for text in texts for word in searchterms.tokens(text)} | set(TRICKY))
    queries = [text for text, _ in SWEDISH], [text for text, _ in ENGLISH]
    # A test page in the built site that runs our scripts and prints what they return.
    Path(site.root, "stemtest.html").write_text(_STEM_PAGE.replace("INPUT", json.dumps(
        {"words": words, "texts": texts, "queries": {"sv": queries[0], "en": queries[1]}})), encoding="utf-8")
    browser.open(server.url("stemtest.html"))
    browser.page.wait_for_function("() => document.getElementById('out').textContent"
                                   " || document.getElementById('error').textContent")
    page = BeautifulSoup(browser.page.content(), "html.parser")
    output = page.select_one("#out").get_text()
    assert output, page.select_one("#error").get_text()
    answers = json.loads(output)  # what our scripts returned in Chromium

    assert answers["tokens"] == [searchterms.tokens(text) for text in texts]
    for language, snowball_name in (("sv", "swedish"), ("en", "english")):
        import snowballstemmer
        snowball = snowballstemmer.stemmer(snowball_name)
        differ = {w: (snowball.stemWord(w), s) for w, s in zip(words, answers[snowball_name], strict=True) if snowball.stemWord(w) != s}
        assert not differ, f"{snowball_name}: Python vs JavaScript {differ}"
        stem = searchterms.stemmer(language)
        differ = {w: (stem(w), s) for w, s in zip(words, answers["stem"][language], strict=True) if stem(w) != s}
        assert not differ, f"stem {language}: Python vs JavaScript {differ}"
    for language, url in (("sv", "/search/index.json"), ("en", "/en/search/index.json")):
        index = json.loads(site.file(url).read_text(encoding="utf-8"))
        python = [[(doc["url"], doc["score"]) for doc in search.query(index, text)] for text in answers["queries"][language]]
        javascript = [[tuple(hit) for hit in hits] for hits in answers["results"][language]]
        assert javascript == python


_STEM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>stems</title>
<script src="assets/js/stemmers.js"></script><script src="assets/js/search.js"></script></head>
<body><pre id="out"></pre><pre id="error"></pre>
<script>
window.addEventListener("error", function (e) { document.getElementById("error").textContent += e.message; });
var input = INPUT;
var out = {tokens: input.texts.map(LardomSearch.tokens),
  swedish: input.words.map(LardomStemmers.swedish), english: input.words.map(LardomStemmers.english),
  stem: {sv: input.words.map(function (w) { return LardomStemmers.stem("sv", w); }),
         en: input.words.map(function (w) { return LardomStemmers.stem("en", w); })},
  queries: input.queries, results: {}};
Promise.all(["sv", "en"].map(function (language) {
  return fetch(language === "sv" ? "search/index.json" : "en/search/index.json").then(function (r) { return r.json(); })
    .then(function (index) {
      out.results[language] = input.queries[language].map(function (text) {
        return LardomSearch.query(index, text).map(function (doc) { return [doc.url, doc.score]; });
      });
    });
})).then(function () { document.getElementById("out").textContent = JSON.stringify(out); },
         function (e) { document.getElementById("error").textContent += String(e); });
</script></body></html>
"""
