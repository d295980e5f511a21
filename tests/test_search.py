"""Search: tokens, stemming, the index format and the reference query (no MkDocs build).

The table tests prepare the core's site over tests/fixtures/search_lessons, give
it hand-written pages as the site engine would (`search.ContentPage`), and query
the index files it would publish, as the browser does.
"""

from __future__ import annotations

import json

import pytest
from conftest import WORDS
from sitebuild import ROOT, make_project

from lardomsbanken.load import body
from lardomsbanken.model.problems import ContentErrors
from lardomsbanken.pipeline.site import Project, prepare
from lardomsbanken.publish import compounds
from lardomsbanken.publish import search_index as search
from lardomsbanken.publish import search_terms as searchterms
from lardomsbanken.publish.search_index import ContentPage, Document

SEARCH_LESSONS = ROOT / "tests" / "fixtures" / "search_lessons"
STAD = "stader-som-vaxer"  # says only "städer"/"städerna" and "sönerna"
KOMMUN, BOSTAD, FORETAG, VATTEN = ("en-kommun-som-planerar", "en-bostad-at-varje-medarbetare",
                                   "ett-foretag-i-forandring", "vatten-och-avlopp")


# --- words ---------------------------------------------------------------------------------


def test_tokens_keep_swedish_and_sami_letters_and_fold_nothing():
    text = "Kommunerna, SKELLEFTEÅ och Sámediggi – EU-projekt 2024! Čáhci ŋ đ"
    assert searchterms.tokens(text) == ["kommunerna", "skellefteå", "och", "sámediggi", "eu", "projekt", "2024",
                                        "čáhci", "ŋ", "đ"]
    assert searchterms.tokens("idé") != searchterms.tokens("ide")
    assert searchterms.tokens("a\u030a") == ["å"]  # decomposed å is normalised first
    assert searchterms.tokens("snake_case it's") == ["snake", "case", "it", "s"]


@pytest.mark.parametrize("words", [
    ("kommunerna", "kommun", "kommuner", "kommunens"),
    ("bostaden", "bostad", "bostads"),
    ("företagens", "företag", "företagen"),
    ("myndighet", "myndigheten", "myndighets", "myndigheternas"),
    ("projektet", "projekt", "projektets"),
    ("samhället", "samhälle"),
    ("skolan", "skola", "skolorna"),
])
def test_swedish_inflections_share_a_stem(words):
    stem = searchterms.stemmer("sv")
    assert len({stem(word) for word in words}) == 1, {word: stem(word) for word in words}


def test_english_inflections_share_a_stem_and_languages_differ():
    stem = searchterms.stemmer("en")
    assert stem("municipalities") == stem("municipality") == "municip"
    assert stem("housing") == stem("houses")
    assert searchterms.stemmer("sv")("housing") != stem("housing")  # each language its own stemmer


def test_unknown_language_and_astral_words_are_not_stemmed():
    assert searchterms.stemmer("fi")("kunnissa") == "kunnissa"
    assert searchterms.stemmer("sv")("bostaden\U0001d400") == "bostaden\U0001d400"


def test_terms_leave_out_stop_words():
    assert searchterms.terms("Bostäder och kommuner i norr", "sv") == ["bostad", "kommun", "norr"]
    assert searchterms.terms("The housing of the north", "en") == ["hous", "north"]


def test_a_lesson_body_is_indexed_as_plain_text_without_comments_or_markup():
    text = body.parse("# Rubrik\n\n<!-- en anteckning -->\n\n- ett\n- två\n\n"
                      "Se [länken](x.md) och **fet**stil.\n\n| a | b |\n|---|---|\n| c | d |\n", WORDS).text
    assert text == "Rubrik ett två Se länken och fetstil. a b c d"


def test_a_hand_written_page_is_indexed_as_the_text_a_reader_sees():
    html = ('<h1 id="om">Om</h1>\n<!-- lardom:latest 6 --><p>Se <a href="x/">länken</a> och <strong>fet</strong>stil.'
            '</p><ul><li>ett</li><li>två</li></ul><script>var dold = 1;</script><style>p { color: red }</style>'
            "<table><tr><td>a</td><td>b</td></tr></table>")
    assert search.html_text(html) == "Om Se länken och fetstil. ett två a b"


# --- index format --------------------------------------------------------------------------


def _document(title="", summary="", body="", language="sv") -> Document:
    document = Document("x/", title, summary, "lesson", language)
    document.fields = [(title, language, search.TITLE), (summary, language, search.SUMMARY),
                       (body, language, search.BODY)]
    return document


def test_index_is_compact_json_with_weighted_postings():
    documents = [_document(title="Bostad"), _document(summary="bostad"), _document(body="bostad " * 30)]
    files = search.encode(documents, "sv")
    index_files = {name: text for name, text in files.items() if not name.startswith("doc/")}
    text = "".join(index_files.values())
    assert ": " not in text and ", " not in text
    assert set(index_files) == {"index.json", "sv/d0.json", "sv/p0.json"}
    manifest = json.loads(files["index.json"])
    assert manifest["language"] == "sv"
    assert json.loads(files["doc/0.json"]) == {"url": "x/", "title": "Bostad", "summary": "", "kind": "lesson",
                                              "lang": "sv", "text": ""}
    stem = searchterms.stemmer("sv")("bostad")
    index = search.SearchIndex.from_files(files)
    entry = index.entry("sv", stem)
    # Pairs (document, weight): title > summary > body, body occurrences capped.
    assert list(index.postings("sv", stem, entry, 0)) == [(0, search.TITLE), (1, search.SUMMARY), (2, search.BODY_LIMIT)]
    assert json.loads(files["sv/p0.json"])[stem][0] == [0, search.TITLE, 1, search.SUMMARY, 1, search.BODY_LIMIT]
    assert search.TITLE > search.SUMMARY > search.BODY and search.META == search.SUMMARY
    assert "och" in manifest["languages"]["sv"]["stop"]
    assert "body" not in text and "bostad " not in text  # no full texts: only the documents' own files have them


def test_query_ands_words_prefixes_the_last_and_ranks_by_weight():
    documents = [
        _document(body="kommun skola"),                # 0
        _document(title="Kommunen", body="skolorna"),  # 1
        _document(title="Skola"),                      # 2
        _document(body="kommunikation"),               # 3
    ]
    index = search.SearchIndex.from_files(search.encode(documents, "sv"))
    found = lambda text: [doc["score"] for doc in search.query(index, text)]  # noqa: E731
    assert [d["score"] for d in search.query(index, "kommunerna")] == [20, 2]
    assert len(search.query(index, "kommunerna skolan")) == 2  # AND: both words in each result
    assert search.query(index, "kommun elnät") == []
    assert len(search.query(index, "kommu")) == 3  # the last word is matched as a prefix too
    assert search.query(index, "kommu skola") == []  # only the last word is a prefix
    assert search.query(index, "och") == [] and found("och kommun") == found("kommun")
    assert search.query(index, "") == []
    assert [d["score"] for d in search.query(index, "skola")] == [20, 2, 2]  # ties keep index order


# --- a built index: the table of queries ------------------------------------------------------


# Hand-written pages as the site engine gives them: page, index language, text language, title, summary, text.
CONTENT_PAGES = [
    ContentPage("om", "sv", "sv", "Om Lärdomsbanken", "Varför Lärdomsbanken finns.", "Lärdomsbanken samlar lärdomar."),
    ContentPage("om", "en", "en", "About Lärdomsbanken", "Why Lärdomsbanken exists.", "Lessons learned, collected."),
    ContentPage("tillganglighet", "sv", "sv", "Tillgänglighetsredogörelse", "", "Webbplatsens tillgänglighet."),
    ContentPage("tillganglighet", "en", "en", "Accessibility statement", "", "How the site meets the law."),
]


def _indexes(root, content_pages=CONTENT_PAGES) -> dict[str, search.SearchIndex]:
    outputs = prepare(Project.at(root)).outputs(content_pages)
    return {"sv": search.SearchIndex.from_files(outputs, "search/"),
            "en": search.SearchIndex.from_files(outputs, "en/search/")}


def _docs(index: search.SearchIndex) -> list[dict]:
    """Every document of an index, in index order."""
    return [index.document(number) for number in range(index.manifest["count"])]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> dict[str, search.SearchIndex]:
    return _indexes(make_project(tmp_path_factory.mktemp("search") / "project", lessons=SEARCH_LESSONS))


def _lessons_found(index: search.SearchIndex, text: str) -> list[str]:
    return [doc["url"].split("/")[1] for doc in search.query(index, text) if doc["kind"] != "page"]


# Swedish queries and exactly the lessons each must find. The lessons do not
# contain the query's form: e.g. the "kommun" lesson never says "kommunerna".
SWEDISH = [
    ("kommunerna", {KOMMUN}),        # plural definite -> kommun
    ("kommunens", {KOMMUN}),         # genitive
    ("bostaden", {BOSTAD}),          # definite -> bostad
    ("bostäderna", {BOSTAD}),        # plural definite -> the theme Bostäder
    ("staden", {STAD}),              # singular definite meets the umlaut plural städer
    ("stad", {STAD}),
    ("sonen", {STAD}),               # ... and sönerna
    ("företagens", {FORETAG}),       # plural definite genitive -> företag
    ("företagen", {FORETAG}),
    ("skolorna", {KOMMUN}),          # -> skola
    ("skolan", {KOMMUN}),            # definite -an -> skola
    ("elnätets", {FORETAG}),         # -> elnät
    ("utbildningar", {FORETAG}),     # -> utbildning
    ("invånarna", {KOMMUN}),         # -> invånare
    ("planerade", {KOMMUN}),         # -> plan
    ("reningsverket", {VATTEN}),     # -> reningsverken
    ("fossilfria", {FORETAG}),       # -> fossilfri
    ("bostadsbyg", {BOSTAD}),        # a compound typed partly: bostadsbyggande
    ("Kiruna", {FORETAG}),           # a place
    ("kommun plan", {KOMMUN}),       # both words
    ("kommun elnät", set()),         # no lesson has both
    ("sámediggi", {BOSTAD}),         # Sami letters kept
    ("samediggi", set()),            # ... and not folded
    ("municipalities", set()),       # no English text in the Swedish index
]

ENGLISH = [
    ("municipalities", {KOMMUN}),    # -> municipality
    ("companies", {FORETAG}),        # -> company
    ("planning", {KOMMUN}),          # -> plans
    ("schools", {KOMMUN}),           # -> school
    ("grids", {FORETAG}),            # -> grid
    ("treatment plants", {VATTEN}),
    ("housing", {BOSTAD}),           # the untranslated lesson, by its English theme name
    ("bostaden", {BOSTAD}),          # a Swedish word finds the untranslated lesson's Swedish text
    ("kommunerna", set()),           # ... but never the Swedish text of a translated lesson
]


@pytest.mark.parametrize("text, expected", SWEDISH, ids=[text for text, _ in SWEDISH])
def test_swedish_query_table(indexes, text, expected):
    assert set(_lessons_found(indexes["sv"], text)) == expected


@pytest.mark.parametrize("text, expected", ENGLISH, ids=[text for text, _ in ENGLISH])
def test_english_query_table(indexes, text, expected):
    assert set(_lessons_found(indexes["en"], text)) == expected


def test_each_index_holds_its_language_and_each_lesson_once(indexes):
    swedish, english = indexes["sv"], indexes["en"]
    assert {doc["lang"] for doc in _docs(swedish)} == {"sv"} and swedish.languages == ["sv"]
    lessons = lambda index: [doc for doc in _docs(index) if doc["kind"] != "page"]  # noqa: E731
    for index in (swedish, english):
        urls = [doc["url"] for doc in lessons(index)]
        assert len(urls) == len(set(urls)) == 5
    languages = {doc["url"].split("/")[1]: doc["lang"] for doc in lessons(english)}
    assert languages == {KOMMUN: "en", BOSTAD: "sv", FORETAG: "en", VATTEN: "en", STAD: "en"}
    untranslated = next(doc for doc in lessons(english) if doc["lang"] == "sv")
    assert untranslated["title"] == "En bostad åt varje ny medarbetare"
    found = search.query(english, "housing")
    assert [doc["url"] for doc in found].count(untranslated["url"]) == 1
    # English words never find Swedish pages' text in the Swedish index, and the other way round.
    assert _lessons_found(swedish, "municipality company school") == []
    assert _lessons_found(english, "kommun företag skola") == []


def test_index_pages_and_hand_written_pages_are_indexed(indexes):
    swedish, english = indexes["sv"], indexes["en"]
    by_url = {doc["url"]: doc for doc in _docs(swedish)}
    assert by_url["teman/bostader/"]["facet"] == "theme" and by_url["teman/bostader/"]["kind"] == "page"
    assert by_url["om/"]["title"] == "Om Lärdomsbanken"
    assert "sok/" not in by_url
    assert search.query(swedish, "skellefteå kommun")[0]["url"] == "aktorer/skelleftea-kommun/"
    assert search.query(swedish, "2482")[0]["url"] == "regioner/skelleftea/"  # SCB code
    assert search.query(english, "accessibility")[0]["url"] == "tillganglighet/"
    assert all(doc["lang"] == "en" for doc in _docs(english) if doc["kind"] == "page")


def test_untranslated_content_page_is_indexed_in_its_own_language(tmp_path):
    root = make_project(tmp_path / "project", lessons=SEARCH_LESSONS)
    # The English site shows the Swedish page: in the English index, with Swedish words.
    extra = [ContentPage("extra", language, "sv", "Extrasida", "", "Om vindkraften.") for language in ("sv", "en")]
    english = _indexes(root, CONTENT_PAGES + extra)["en"]
    assert [(doc["url"], doc["lang"]) for doc in search.query(english, "vindkraft")] == [("extra/", "sv")]


def test_content_page_at_the_search_page_address_is_a_collision(tmp_path):
    root = make_project(tmp_path / "project", lessons=SEARCH_LESSONS)
    (root / "content" / "sok.sv.md").write_text("# Sök\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        prepare(Project.at(root))
    assert [(problem.code, problem.position.file) for problem in caught.value.problems] == \
        [("page-collision", "content/sok.sv.md")]


def test_search_page_links_are_relative_to_the_page():
    from lardomsbanken.render.urls import UrlStyle, search_page
    assert search.page_links(search_page(), "sv", "sv", UrlStyle(True)) == \
        {"index": "../search/index.json", "root": "../", "site": "../", "page": "20", "all": "50"}
    assert search.page_links(search_page(), "en", "sv", UrlStyle(False)) == \
        {"index": "../search/index.json", "root": "../", "site": "../../", "page": "20", "all": "50"}


# --- compounds ------------------------------------------------------------------------------

COMPOUND_LESSONS = ROOT / "tests" / "fixtures" / "compound_lessons"
# One lesson (or two) per theme of data/themes.yml, whose compounds are the point.
(KOMPETENS, INFLYTTNING, JARNVAG, BOSTADSBRIST, BRIST_PA_BOSTADER, TILLSTAND, RISKKAPITAL, LEVERANTOR,
 SAMVERKAN, ELNAT) = ("kompetensforsorjningen-i-norr", "inflyttningskampanjen", "jarnvagsutbyggnaden",
                      "bostadsbristen-i-gruvstaden", "brist-pa-bostader", "tillstandsprovningen-tog-tid",
                      "riskkapitalet-rackte-inte", "leverantorsutvecklingen", "samverkansplattformen",
                      "elnatsutbyggnaden")


@pytest.fixture(scope="module")
def compound_indexes(tmp_path_factory) -> dict[str, search.SearchIndex]:
    root = make_project(tmp_path_factory.mktemp("compounds") / "project", lessons=SEARCH_LESSONS)
    for lesson in COMPOUND_LESSONS.iterdir():
        (root / "lessons" / lesson.name).write_bytes(lesson.read_bytes())
    return _indexes(root)


# Swedish queries and exactly the lessons each must find, in the Swedish index. A part
# finds the compounds that contain it (part -> compound); a compound typed whole also finds
# the lessons that have its parts as words of their own (compound -> parts).
COMPOUNDS = [
    # kompetensforsorjning
    ("försörjning", {KOMPETENS, ELNAT, FORETAG}),     # kompetensförsörjningen, energiförsörjningen; the theme name
    ("rekrytering", {KOMPETENS}),                     # rekryteringsbehovet
    ("kompetensbrist", {KOMPETENS}),                  # kompetens(försörjningen) + (personal)bristen
    # befolkningsattraktion
    ("kampanj", {INFLYTTNING}),                       # inflyttningskampanjen
    ("ökning", {INFLYTTNING}),                        # befolkningsökningen
    # infrastruktur
    ("järnväg", {JARNVAG}),                           # järnvägsutbyggnaden
    ("utbyggnad", {JARNVAG, ELNAT}),                  # järnvägs-, elnätsutbyggnaden
    ("investering", {JARNVAG}),                       # infrastrukturinvesteringarna
    # bostader
    ("brist", {BOSTADSBRIST, BRIST_PA_BOSTADER, KOMPETENS}),  # bostadsbristen, personalbristen, brist
    ("bostad", {BOSTAD, BOSTADSBRIST, BRIST_PA_BOSTADER}),    # bostadsbyggandet, bostäder
    ("bostadsbrist", {BOSTADSBRIST, BRIST_PA_BOSTADER}),      # ... and brist på bostäder
    ("hyresrätt", {BOSTADSBRIST}),
    # miljotillstandsprovning
    ("tillstånd", {TILLSTAND}),                       # tillståndsprövningen, miljötillståndet
    ("prövning", {TILLSTAND}),
    ("miljöprövning", {TILLSTAND}),                   # miljö(tillståndet) + prövningen
    ("samråd", {TILLSTAND}),                          # samrådsprocessen
    # finansiering
    ("kapital", {RISKKAPITAL}),                       # riskkapitalet
    ("kredit", {RISKKAPITAL}),                        # kreditgarantin
    # sma-och-medelstora-foretag
    ("utveckling", {LEVERANTOR}),                     # leverantörsutvecklingen
    ("stöd", {LEVERANTOR}),                           # företagsstödet
    ("företagsutveckling", {LEVERANTOR}),             # företags(stödet) + (leverantörs)utvecklingen
    # flernivasamverkan
    ("plattform", {SAMVERKAN}),                       # samverkansplattformen
    ("samverkan", {SAMVERKAN}),                       # samverkansplattformen, myndighetssamverkan
    # energiforsorjning
    ("vätgas", {ELNAT}),                              # vätgasproduktionen
    ("produktion", {ELNAT, FORETAG}),                 # vätgasproduktionen; produktion
    ("ledning", {ELNAT, VATTEN}),                     # kraftledningarna; ledningar
    ("nät", {ELNAT, FORETAG, JARNVAG}),               # elnätsutbyggnaden, nätet; elnät; vägnätet
    # no accidental parts
    ("ort", {STAD, VATTEN}),                          # orter, not kort, rapporten
    ("ande", set()),                                  # not byggandet
    ("rade", set()),
]


@pytest.mark.parametrize("text, expected", COMPOUNDS, ids=[text for text, _ in COMPOUNDS])
def test_compound_query_table(compound_indexes, text, expected):
    assert set(_lessons_found(compound_indexes["sv"], text)) == expected


def test_whole_words_rank_above_parts(compound_indexes):
    # `brist` is a word in one lesson's title and a part in another's: the word comes first.
    assert _lessons_found(compound_indexes["sv"], "brist")[:3] == [BRIST_PA_BOSTADER, BOSTADSBRIST, KOMPETENS]
    # A compound typed whole: the lesson with the compound, then the one with its parts.
    assert _lessons_found(compound_indexes["sv"], "bostadsbrist") == [BOSTADSBRIST, BRIST_PA_BOSTADER]
    hits = search.search(compound_indexes["sv"], "brist")
    assert [hit.parts for hit in hits if "lardomar/" in compound_indexes["sv"].document(hit.document)["url"]] \
        == [0, 1, 1]


def test_untranslated_swedish_compounds_are_split_in_the_english_index(compound_indexes):
    assert set(_lessons_found(compound_indexes["en"], "brist")) == {BOSTADSBRIST, BRIST_PA_BOSTADER, KOMPETENS}
    assert set(_lessons_found(compound_indexes["en"], "försörjning")) == {KOMPETENS, ELNAT}


def _splitter(*words: str) -> compounds.Splitter:
    rules, problems = compounds.load_rules(ROOT / "data", ROOT)
    assert problems == []
    splitter = search.splitter("sv", rules, words)
    assert splitter is not None
    return splitter


@pytest.mark.parametrize("word, parts", [
    ("bostadsbristen", ("bostad", "brist")),          # the linking s dropped
    ("kompetensförsörjningen", ("kompetens", "försörjning")),  # an s of the word itself kept
    ("bostadsbyggandet", ("bostad", "byggande")),     # not bostadsbygg + andet
    ("byggandet", ()),                                # `ande` is an ending: never a part
    ("fastighetsägare", ("fastighet", "ägare")),      # not fastighet + sägare
    ("elnätet", ("el", "nät")),                       # a listed short first part
    ("kort", ()), ("export", ()), ("rapporten", ()),  # no accidental `ort`
    ("fungerade", ()),                                # `rade`: its stem `rad` is too short
    ("handel", ()),                                   # `el` only as the first part
    ("tillstånd", ()),                                # `till` is a stop word
])
def test_compounds_split_only_into_words(word, parts):
    splitter = _splitter("ort", "rapp", "rad", "fungera", "hand", "stånd", "fastighet", "säga", "ande", "expo")
    stem = searchterms.stemmer("sv")
    assert splitter.parts(word) == tuple(stem(part) for part in parts)
    if parts:
        head, tail = splitter.split(word)
        assert (stem(head), stem(tail)) == tuple(stem(part) for part in parts)


def test_parts_of_parts_are_indexed_too():
    splitter = _splitter("miljötillstånd")
    stem = searchterms.stemmer("sv")
    assert set(splitter.parts("miljötillståndsprövningen")) == {stem(w) for w in ("miljötillstånd", "prövning",
                                                                                    "miljö", "tillstånd")}


def test_compound_rules_are_checked_with_positions(tmp_path):
    (tmp_path / "compounds.yml").write_text("min_part: 4\nnever: [ande, Ande]\nwords: [bostad, 12]\nother: 1\n",
                                            encoding="utf-8")
    _, problems = compounds.load_rules(tmp_path, tmp_path)
    assert [(p.code, p.position.line, p.position.column) for p in problems] == [
        ("compounds-invalid", 2, 15), ("compounds-invalid", 3, 17), ("compounds-invalid", 4, 1)]
