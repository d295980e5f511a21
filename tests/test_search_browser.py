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
from test_search import (
    BOSTAD,
    BOSTADSBRIST,
    BRIST_PA_BOSTADER,
    COMPOUND_LESSONS,
    COMPOUNDS,
    ENGLISH,
    KOMMUN,
    SEARCH_LESSONS,
    SWEDISH,
)

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
    for lesson in COMPOUND_LESSONS.iterdir():  # the lessons of the compound table, beside them
        (project / "lessons" / lesson.name).write_bytes(lesson.read_bytes())
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


# The results page's script has drawn all it shows (results, counts, suggestions) when it has
# marked `lardom-search-results`; or it has failed, and says so in the status.
SEARCHED = """() => performance.getEntriesByName('lardom-search-results').length > 0
  || document.getElementById('ld-search-status').textContent
     === JSON.parse(document.getElementById('ld-search-results').dataset.labels).status.error"""


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
    queries = [text for text, _ in SWEDISH + COMPOUNDS] + ["bostd", "kompetensförsörjningen vätgas"], \
        [text for text, _ in ENGLISH] + ["brist", "försörjning", "bostadsbrist"]
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
        folder = site.file(url).parent
        index = search.SearchIndex(lambda name, folder=folder: (folder / name).read_text(encoding="utf-8"))
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
Promise.all(["sv", "en"].map(async function (language) {
  var index = await new LardomSearch.Index(new URL(language === "sv" ? "search/" : "en/search/", document.baseURI).href).load();
  out.results[language] = [];
  for (var i = 0; i < input.queries[language].length; i++) {
    var hits = await LardomSearch.search(index, input.queries[language][i]);
    var found = [];
    for (var j = 0; j < hits.length; j++) found.push([(await index.document(hits[j].document)).url, hits[j].score]);
    out.results[language].push(found);
  }
})).then(function () { document.getElementById("out").textContent = JSON.stringify(out); },
         function (e) { document.getElementById("error").textContent += String(e); });
</script></body></html>
"""


# --- results a reader can judge (compounds, excerpts, counts, suggestions) ----------------------


@pytest.mark.browser
def test_a_part_finds_its_compounds_after_the_whole_word_with_an_excerpt(browser, server):
    page, items = _results(browser, server, "sok/?q=brist")
    hrefs = [item.a["href"] for item in items]
    assert hrefs.index(f"../lardomar/{BRIST_PA_BOSTADER}/") < hrefs.index(f"../lardomar/{BOSTADSBRIST}/")
    skills = items[hrefs.index("../lardomar/kompetensforsorjningen-i-norr/")]
    excerpt = skills.select_one(".ld-search-excerpt")
    assert [mark.get_text() for mark in excerpt.select("mark")] == ["Personalbristen"]
    assert "Personalbristen var stor" in excerpt.get_text()
    meta = skills.select_one(".ld-card__meta")
    assert meta.select_one(".ld-card__type").get_text() == "Lärdom"
    assert meta.select_one(".ld-card__date").get_text() == "1 februari 2024"
    assert meta.select_one(".ld-card__places").get_text() == "Platser: Luleå"
    assert meta.select_one(".ld-card__places .ld-sr-only").get_text().strip() == "Platser:"


@pytest.mark.browser
@pytest.mark.parametrize("query, slug", [("försörjning", "kompetensforsorjningen-i-norr"),
                                         ("bostad", "bostadsbristen-i-gruvstaden"),
                                         ("bostadsbrist", BRIST_PA_BOSTADER),
                                         ("tillstånd", "tillstandsprovningen-tog-tid")])
def test_compound_queries_in_the_browser(browser, server, query, slug):
    _, items = _results(browser, server, f"sok/?q={query}")
    assert f"../lardomar/{slug}/" in [item.a["href"] for item in items]


@pytest.mark.browser
def test_counts_per_type_and_theme(browser, server):
    page, items = _results(browser, server, "sok/?q=brist")
    counts = page.select_one("#ld-search-counts")
    assert not counts.has_attr("hidden") and counts["role"] == "group" and counts["aria-label"] == "Antal träffar"
    labels = [p.get_text() for p in counts.select(".ld-search-counts__label")]
    assert labels == ["Träffar per typ:", "Träffar per tema:"]
    by_type, by_theme = [[li.get_text() for li in ul.select("li")] for ul in counts.select("ul")]
    total = sum(int(re.search(r"\((\d+)\)$", text).group(1)) for text in by_type)
    assert total == len(items)
    assert "Bostäder (2)" in by_theme and "Kompetensförsörjning (1)" in by_theme


@pytest.mark.browser
@pytest.mark.parametrize("url, near, themes", [("sok/?q=bostadsbrust", "bostadsbristen", "Eller börja från ett tema:"),
                                               ("en/sok/?q=hosing", "housing", "Or start from a theme:")])
def test_no_result_suggests_a_near_spelling_and_the_themes(site, browser, server, url, near, themes):
    page, items = _results(browser, server, url)
    assert items == []
    suggest = page.select_one("#ld-search-suggest")
    assert not suggest.has_attr("hidden")
    links = suggest.select(".ld-search-suggest__near a")
    assert links and links[0].get_text() == near and links[0]["href"] == "?q=" + near
    assert suggest.select_one(".ld-search-suggest__label").get_text() == themes
    theme_links = [Site.resolve("/" + url.split("?")[0], a["href"]) for a in suggest.select("ul a")]
    assert len(theme_links) == 9 and all(site.exists(link) for link in theme_links)
    assert page.select_one("#ld-search-counts").has_attr("hidden")


@pytest.mark.browser
def test_more_results_by_keyboard_move_focus_to_the_first_new_one(site, browser, server):
    # The results page as built, at the same depth, showing 5 results at a time.
    html = site.file("/sok/").read_text(encoding="utf-8")
    assert 'data-page="20" data-all="50"' in html
    small = site.root / "sok-5" / "index.html"
    small.parent.mkdir(exist_ok=True)
    small.write_text(html.replace('data-page="20" data-all="50"', 'data-page="5" data-all="5"'), encoding="utf-8")
    browser.open(server.url("sok-5/?q=kommunerna"), settle=1.0)
    count = "document.querySelectorAll('#ld-search-results > li').length"
    assert browser.evaluate(count) == 5
    assert browser.evaluate("document.getElementById('ld-search-more').textContent") == "Visa fler träffar"
    browser.evaluate("document.getElementById('ld-search-more').focus()")
    browser.press("Enter")
    browser.settle(0.5)
    assert browser.evaluate(count) == 10
    focused = browser.focused()
    sixth = browser.evaluate("document.querySelectorAll('#ld-search-results > li')[5].querySelector('a').getAttribute('href')")
    assert focused["tag"] == "a" and focused["href"] == sixth


@pytest.mark.browser
@pytest.mark.parametrize("path", ["sok/?q=brist", "sok/?q=bostadsbrust", "en/sok/?q=housing", "sok-5/?q=kommunerna"])
def test_results_page_in_every_state_passes_axe_and_the_keyboard(site, browser, server, path):
    from axe import axe_violations_now
    from keyboard import tab_through
    if path.startswith("sok-5/"):  # the results page showing 5 at a time, with the button for more
        small = site.root / "sok-5" / "index.html"
        small.parent.mkdir(exist_ok=True)
        small.write_text(site.file("/sok/").read_text(encoding="utf-8")
                         .replace('data-page="20" data-all="50"', 'data-page="5" data-all="5"'), encoding="utf-8")
    browser.open(server.url(path), settle=1.0)
    assert browser.evaluate("document.querySelectorAll('#ld-search-results > li, #ld-search-suggest a').length") > 0
    assert axe_violations_now(browser) == []
    stops = tab_through(browser)  # every stop shows its focus, nothing traps it
    links = browser.evaluate("[...document.querySelectorAll('#ld-search-results a, #ld-search-suggest a')]"
                             ".map(a => a.getAttribute('href'))")
    reached = [stop.get("href") for stop in stops]
    assert all(link in reached for link in links)
    if path.startswith("sok-5/"):
        assert any(stop["id"] == "ld-search-more" for stop in stops)
