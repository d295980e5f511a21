"""Unit tests of feeds, open data, DCAT and page metadata, on the core's site (no MkDocs).

The site is prepared once from the fixture lessons with a site_url on a
sub-path (`site.prepare`); its outputs (`GeneratedSite.outputs`) and the
<head> additions of its pages are read with real parsers: feedparser,
rdflib, jsonschema, csv and json.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import feedparser
import jsonschema
import pytest
import rdflib
import yaml
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from sitebuild import ROOT, make_project

from lardomsbanken.load.dataset import load_dataset_facts
from lardomsbanken.load.vocabularies import load_site_data
from lardomsbanken.model.problems import ContentErrors
from lardomsbanken.pipeline import site
from lardomsbanken.publish import feeds, opendata
from lardomsbanken.publish import head as metadata
from lardomsbanken.render import urls

SITE_URL = "https://example.org/lardomar/"
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FIXTURE_SLUGS = {"bostader-i-skelleftea", "kompetens-i-norrbotten", "vatten-i-norrbotten",
                 "ostra-norrbotten", "zink", "arenden"}
XSS_TITLE = 'Kompetens <script>alert(1)</script> & "citat" *inte kursiv*'


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("reuse") / "project")


@dataclass
class Generated:
    """The core's site, its outputs, and the <head> additions of every page by (page, language)."""

    site: site.GeneratedSite
    outputs: dict[str, str | bytes]
    head: dict[tuple[str, str], str]


def generate(project: Path, processes: int = 1) -> Generated:
    prepared = site.prepare(site.Project.at(project, site_url=SITE_URL))
    head = {(plan.page, language): plan.render().head
            for language, plans in prepared.plans.items() for plan in plans}
    for language in prepared.data.language_codes:
        for page in prepared.content_pages:  # the hand-written pages, as the adapter asks for theirs
            head[(page, language)] = prepared.content_head(page, language, None, None)
    return Generated(prepared, prepared.outputs([], prepared.start_search(processes)), head)


@pytest.fixture(scope="module")
def generated(project) -> Generated:
    return generate(project)


def output(generated, path: str) -> str:
    content = generated.outputs[path]
    return content.decode("utf-8") if isinstance(content, bytes) else content


# --- URLs ---------------------------------------------------------------------

@pytest.mark.parametrize("directory_urls, page, path, root, expected", [
    (True, "index", "flode/lardomar.xml", "", "flode/lardomar.xml"),
    (True, "teman/bostader", "flode/teman/bostader.xml", "", "../../flode/teman/bostader.xml"),
    (True, "oppna-data", "oppna-data/lardomar.json", "en/", "../../oppna-data/lardomar.json"),
    (True, "index", "oppna-data/dcat.rdf", "en/", "../oppna-data/dcat.rdf"),
    (False, "teman/bostader", "flode/lardomar.xml", "", "../flode/lardomar.xml"),
    (False, "index", "oppna-data/lardomar.csv", "en/", "../oppna-data/lardomar.csv"),
])
def test_file_links_are_relative_to_the_page(directory_urls, page, path, root, expected):
    assert urls.UrlStyle(directory_urls).file_href(page, path, root) == expected


def test_absolute_page_urls_keep_the_sub_path():
    style = urls.UrlStyle()
    assert urls.absolute_page(SITE_URL, style, "lardomar/x", "en", "sv") == "https://example.org/lardomar/en/lardomar/x/"
    assert urls.absolute_page(SITE_URL, style, "index", "sv", "sv") == SITE_URL


# --- data/dataset.yml ---------------------------------------------------------

def test_dataset_facts_load_in_every_language(data):
    facts = load_dataset_facts(ROOT / "data", ROOT, data.language_codes)
    for texts in (facts.site_name, facts.publisher_name, facts.title, facts.description, facts.licence_name):
        assert set(texts) == set(data.language_codes)
    assert facts.licence_uri.startswith("http")
    assert facts.languages["sv"].endswith("/SWE") and facts.languages["en"].endswith("/ENG")


def test_dataset_file_with_a_missing_translation_is_an_error(tmp_path, data):
    folder = tmp_path / "data"
    folder.mkdir()
    text = (ROOT / "data" / "dataset.yml").read_text(encoding="utf-8")
    text = text.replace("  name: {sv: Lärdomsbanken, en: Lärdomsbanken}", "  name: {sv: Lärdomsbanken}")
    (folder / "dataset.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_dataset_facts(folder, tmp_path, data.language_codes)
    assert [problem.code for problem in raised.value.problems] == ["missing-translation"]
    assert raised.value.problems[0].position.file == "data/dataset.yml"


def test_dataset_file_missing_is_an_error(tmp_path, data):
    with pytest.raises(ContentErrors) as raised:
        load_dataset_facts(tmp_path, tmp_path, data.language_codes)
    assert [problem.code for problem in raised.value.problems] == ["data-file-missing"]


# --- Atom feeds ---------------------------------------------------------------

@pytest.mark.parametrize("path, language, slugs", [
    ("flode/lardomar.xml", "sv", FIXTURE_SLUGS),
    ("en/flode/lardomar.xml", "en", FIXTURE_SLUGS),
    ("flode/teman/infrastruktur.xml", "sv", {"ostra-norrbotten", "zink", "arenden"}),
    ("en/flode/teman/bostader.xml", "en", {"bostader-i-skelleftea"}),
])
def test_feeds_parse_with_every_entry_complete(generated, path, language, slugs):
    feed = feedparser.parse(generated.outputs[path])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == language
    assert feed.feed.id == SITE_URL + path
    found = set()
    for entry in feed.entries:
        assert entry.title and entry.summary and entry.published_parsed and entry.updated_parsed
        assert entry.link.startswith(SITE_URL + ("en/" if language == "en" else "") + "lardomar/")
        assert entry.id == entry.link
        assert entry.author
        assert entry.tags
        found.add(entry.link.rstrip("/").rsplit("/", 1)[-1])
    assert found == slugs
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_a_feed_holds_only_the_newest_lessons(project, generated, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ENTRIES", 2)
    outputs = generate(project).outputs
    short = [entry.id for entry in feedparser.parse(outputs["flode/lardomar.xml"]).entries]
    every = [entry.id for entry in feedparser.parse(generated.outputs["flode/lardomar.xml"]).entries]
    assert len(every) == len(FIXTURE_SLUGS) and short == every[:2]


def test_english_feed_marks_untranslated_entries_swedish(generated):
    feed = feedparser.parse(generated.outputs["en/flode/lardomar.xml"])
    by_slug = {entry.link.rstrip("/").rsplit("/", 1)[-1]: entry for entry in feed.entries}
    assert by_slug["bostader-i-skelleftea"].title == "Housing in Skellefteå"
    assert by_slug["bostader-i-skelleftea"].title_detail.language == "en"
    assert by_slug["kompetens-i-norrbotten"].title == XSS_TITLE
    assert by_slug["kompetens-i-norrbotten"].title_detail.language == "sv"
    assert by_slug["kompetens-i-norrbotten"].summary_detail.language == "sv"


def test_feed_updated_is_the_newest_lesson_date(generated):
    feed = feedparser.parse(generated.outputs["flode/lardomar.xml"])
    assert feed.feed.updated == "2025-01-10T00:00:00Z"  # bostader-i-skelleftea's `updated`
    entry = next(e for e in feed.entries if "bostader-i-skelleftea" in e.link)
    assert entry.published.startswith("2024-06-18") and entry.updated.startswith("2025-01-10")


def test_a_theme_without_lessons_still_has_a_valid_feed(generated):
    feed = feedparser.parse(generated.outputs["flode/teman/energiforsorjning.xml"])
    assert not feed.bozo and feed.entries == [] and feed.feed.updated


def test_outputs_are_reproducible_in_one_process_and_in_workers(project):
    first = generate(project, processes=1).outputs
    second = generate(project, processes=2).outputs  # the search indexes made by forked workers
    assert len(first) > 20 and "search/index.json" in first and "en/search/index.json" in first
    assert first == second
    today = datetime.date.today().isoformat()
    for path, content in first.items():
        if path.endswith(".gz"):
            content = gzip.decompress(content)
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        assert today not in text, path


# --- JSON, CSV ----------------------------------------------------------------

def test_json_has_every_lesson_with_both_languages(generated):
    document = json.loads(output(generated, "oppna-data/lardomar.json"))
    lessons = {record["slug"]: record for record in document["lessons"]}
    assert set(lessons) == FIXTURE_SLUGS
    housing = lessons["bostader-i-skelleftea"]
    assert housing["type"] == "case" and housing["date"] == "2024-06-18" and housing["updated"] == "2025-01-10"
    assert housing["theme"] == ["bostader", "finansiering"]
    assert housing["period"] == {"text": "2021–2024", "start": 2021, "end": 2024}
    assert lessons["kompetens-i-norrbotten"]["period"] == {"text": "2023–", "start": 2023, "end": None}
    assert lessons["zink"]["period"] is None
    assert housing["sources"] == [{"title": "Rapport från ett skeende", "url": "https://example.org/rapport"}]
    assert housing["versions"]["en"] == {
        "translated": True, "text_language": "en", "title": "Housing in Skellefteå",
        "summary": "The municipality built more homes as the population grew.",
        "url": SITE_URL + "en/lardomar/bostader-i-skelleftea/",
        "file": "lessons/bostader-i-skelleftea.en.md",
    }
    untranslated = lessons["kompetens-i-norrbotten"]["versions"]["en"]
    assert untranslated["translated"] is False and untranslated["text_language"] == "sv"
    assert untranslated["title"] == XSS_TITLE and untranslated["file"] is None
    assert {term["id"]: term for term in document["vocabularies"]["region"]}["skelleftea"]["code"] == "2482"
    assert document["modified"] == "2025-01-10"


def test_csv_has_the_documented_columns_and_a_row_per_lesson_and_language(generated):
    text = output(generated, "oppna-data/lardomar.csv")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0].keys()) == list(opendata.csv_columns(generated.site.data))
    assert {(row["slug"], row["language"]) for row in rows} == {(slug, language) for slug in FIXTURE_SLUGS for language in ("sv", "en")}
    assert len(rows) == 2 * len(FIXTURE_SLUGS)
    row = next(r for r in rows if r["slug"] == "bostader-i-skelleftea" and r["language"] == "en")
    assert row["title"] == "Housing in Skellefteå" and row["translated"] == "true"
    assert row["region_code"] == "2482" and row["theme"] == "bostader | finansiering"
    assert row["theme_name"] == "Housing | Financing"
    assert row["url"] == SITE_URL + "en/lardomar/bostader-i-skelleftea/"
    assert (row["period"], row["period_start"], row["period_end"]) == ("2021–2024", "2021", "2024")
    untranslated = next(r for r in rows if r["slug"] == "kompetens-i-norrbotten" and r["language"] == "en")
    assert untranslated["translated"] == "false" and untranslated["text_language"] == "sv"
    assert untranslated["title"] == XSS_TITLE
    assert (untranslated["period"], untranslated["period_start"], untranslated["period_end"]) == ("2023–", "2023", "")


@pytest.mark.parametrize("page", ["content/oppna-data.sv.md", "content/oppna-data.en.md"])
def test_open_data_page_documents_every_csv_column(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE)
    assert documented == list(opendata.csv_columns(load_site_data(ROOT / "data", ROOT)))


# --- JSON Schema --------------------------------------------------------------

def front_matter(path: Path) -> dict:
    """The front matter as a JSON reader sees it: dates as text."""
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    return json.loads(json.dumps(meta, default=str))


def lesson_files(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.rglob(f"*.{suffix}.md"))


@pytest.fixture(scope="module")
def schemas(generated):
    found = {}
    for kind in ("schema", "translation-schema"):
        schema = json.loads(output(generated, urls.open_data_file(kind)))
        jsonschema.Draft202012Validator.check_schema(schema)
        found[kind] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return found


@pytest.mark.parametrize("folder", [ROOT / "lessons", ROOT / "tests" / "fixtures" / "lessons"])
def test_schema_accepts_every_lesson(schemas, folder):
    swedish, english = lesson_files(folder, "sv"), lesson_files(folder, "en")
    assert swedish
    for path in swedish:
        errors = [error.message for error in schemas["schema"].iter_errors(front_matter(path))]
        assert not errors, (path, errors)
    for path in english:
        errors = [error.message for error in schemas["translation-schema"].iter_errors(front_matter(path))]
        assert not errors, (path, errors)


def test_schema_enums_come_from_the_vocabularies(generated, data):
    schema = json.loads(output(generated, urls.open_data_file("schema")))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SITE_URL + "oppna-data/lardom.schema.json"
    assert schema["$defs"]["theme"]["enum"] == [term.id for term in data.themes]
    assert schema["$defs"]["region"]["enum"] == [term.id for term in data.regions]
    assert schema["$defs"]["actor"]["enum"] == [term.id for term in data.actors]
    assert schema["properties"]["type"]["enum"] == ["lesson", "case"]


GOOD = {"type": "lesson", "title": "T", "summary": "S", "date": "2024-06-18",
        "region": "skelleftea", "theme": ["bostader"], "actor": "boverket"}


@pytest.mark.parametrize("change", [
    {"theme": "bostad"},  # not in themes.yml
    {"region": []},
    {"type": "note"},
    {"date": "2024-6-18"},
    {"date": "18 juni 2024"},
    {"title": "  "},
    {"title": None},
    {"sources": [{"title": "Utan adress"}]},
    {"sources": [{"title": "Fel", "url": "ftp://example.org"}]},
    {"related": ["Inte En Slug"]},
    {"author": "någon"},  # no such field
])
def test_schema_rejects_bad_front_matter(schemas, change):
    meta = {**GOOD, **change}
    meta = {key: value for key, value in meta.items() if not (key == "title" and value is None)}
    assert schemas["schema"].is_valid(GOOD)
    assert not schemas["schema"].is_valid(meta), change


def test_translation_schema_needs_title_and_summary(schemas):
    assert schemas["translation-schema"].is_valid({"title": "T", "summary": "S"})
    assert not schemas["translation-schema"].is_valid({"title": "T"})
    assert not schemas["translation-schema"].is_valid({"title": "T", "summary": "S", "theme": "bostad"})


def test_translation_schema_knows_what_a_translation_was_made_from_and_drafts(schemas):
    validator = schemas["translation-schema"]
    assert validator.is_valid({"title": "T", "summary": "S", "translated_from": "0123456789ab"})
    assert validator.is_valid({"draft": True, "title": "", "summary": "", "translated_from": "0123456789ab"})
    assert not validator.is_valid({"draft": False, "title": "", "summary": ""})  # finished: words needed
    assert not validator.is_valid({"draft": "ja", "title": "T", "summary": "S"})


# --- DCAT-AP-SE ---------------------------------------------------------------

@pytest.fixture(scope="module")
def graph(generated) -> rdflib.Graph:
    return rdflib.Graph().parse(data=generated.outputs["oppna-data/dcat.rdf"], format="xml")


def languages_of(graph, subject, predicate) -> set[str]:
    return {literal.language for literal in graph.objects(subject, predicate)}


def test_dcat_catalog_and_dataset_have_the_mandatory_properties(graph):
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(catalogs) == 1 and len(datasets) == 1
    catalog, dataset = catalogs[0], datasets[0]
    assert (catalog, DCAT.dataset, dataset) in graph
    for subject in (catalog, dataset):
        assert isinstance(subject, rdflib.URIRef) and str(subject).startswith(SITE_URL)
        assert languages_of(graph, subject, DCTERMS.title) == {"sv", "en"}
        assert languages_of(graph, subject, DCTERMS.description) == {"sv", "en"}
        assert len(list(graph.objects(subject, DCTERMS.publisher))) == 1
    assert list(graph.objects(catalog, DCTERMS.license)) == [rdflib.URIRef("http://creativecommons.org/licenses/by/4.0/")]
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert languages_of(graph, publisher, FOAF.name) == {"sv", "en"}
    assert str(graph.value(publisher, DCTERMS.type)).startswith("http://purl.org/adms/publishertype/")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert str(graph.value(contact, VCARD.hasEmail)).startswith("mailto:")
    assert graph.value(contact, VCARD.hasURL) is not None
    assert languages_of(graph, dataset, DCAT.keyword) == {"sv", "en"}
    assert {str(t) for t in graph.objects(dataset, DCAT.theme)} >= {
        "http://publications.europa.eu/resource/authority/data-theme/REGI"}
    assert {str(t).rsplit("/", 1)[-1] for t in graph.objects(dataset, DCTERMS.language)} == {"SWE", "ENG"}
    assert str(graph.value(dataset, DCTERMS.issued)) == "2023-01-01"
    assert str(graph.value(dataset, DCTERMS.modified)) == "2025-01-10"
    assert graph.value(dataset, DCTERMS.spatial) is not None


def test_dcat_distributions_have_access_url_format_and_licence(graph):
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    distributions = list(graph.objects(dataset, DCAT.distribution))
    access = {}
    for distribution in distributions:
        assert isinstance(distribution, rdflib.URIRef)
        urls_found = list(graph.objects(distribution, DCAT.accessURL))
        formats = list(graph.objects(distribution, DCTERMS.format))
        assert len(urls_found) == 1 and len(formats) == 1
        assert str(formats[0]).startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert str(graph.value(distribution, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert graph.value(distribution, DCTERMS.license) is not None
        assert graph.value(distribution, DCTERMS.title) is not None
        access[str(urls_found[0])] = str(formats[0]).rsplit("/", 1)[-1]
    assert access == {
        SITE_URL + "oppna-data/lardomar.json": "JSON",
        SITE_URL + "oppna-data/lardomar.csv": "CSV",
        SITE_URL + "oppna-data/lardom.schema.json": "JSON",
        SITE_URL + "oppna-data/lardom-oversattning.schema.json": "JSON",
        SITE_URL + "flode/lardomar.xml": "ATOM",
        SITE_URL + "en/flode/lardomar.xml": "ATOM",
    }


def test_dcat_has_no_blank_nodes(graph):
    for triple in graph:
        assert not any(isinstance(term, rdflib.BNode) for term in triple), triple


# --- head: feeds, Open Graph, JSON-LD -----------------------------------------

def test_script_json_cannot_end_the_script_element():
    text = metadata.script_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_every_page_has_head_metadata(generated):
    pages = {(plan.page, language) for language, plans in generated.site.plans.items() for plan in plans}
    pages |= {(page, language) for page in generated.site.content_pages for language in generated.site.plans}
    assert len(pages) > 200 and ("om", "en") in pages and ("lardomar/zink", "sv") in pages
    assert set(generated.head) == pages
    for page, head in generated.head.items():
        assert 'type="application/atom+xml"' in head and 'property="og:url"' in head, page


def test_theme_and_lesson_pages_link_their_theme_feeds(generated):
    assert 'href="../../flode/teman/bostader.xml"' in generated.head[("teman/bostader", "sv")]
    lesson_head = generated.head[("lardomar/bostader-i-skelleftea", "en")]
    assert 'href="../../flode/teman/finansiering.xml"' in lesson_head
    assert 'href="../../flode/lardomar.xml"' in lesson_head
    assert "flode/teman/" not in generated.head[("om", "sv")]


def test_compressed_sitemap_is_the_sitemap_without_a_build_time(generated):
    compressed = generated.outputs["sitemap.xml.gz"]
    assert gzip.decompress(compressed).decode("utf-8") == generated.outputs["sitemap.xml"]
    assert compressed[4:8] == b"\0\0\0\0", "gzip header time must be zero"
