"""publish/dcat.py: the DCAT-AP catalogue of the open data, read back as RDF."""

from __future__ import annotations

import datetime

import rdflib
from conftest import ROOT
from rdflib.namespace import DCAT, DCTERMS, RDF
from test_site_index import make

from lardomsbanken.index.site_index import build_index
from lardomsbanken.load.dataset import load_dataset_facts
from lardomsbanken.publish.dcat import add_catalog
from lardomsbanken.render.urls import UrlStyle


def catalogue(data, *lessons):
    outputs: dict = {}
    facts = load_dataset_facts(ROOT / "data", ROOT, data.language_codes)
    add_catalog(outputs, build_index(data, {lesson.slug: lesson for lesson in lessons}), facts,
                "https://example.org/lb/", UrlStyle(True))
    (path, content), = outputs.items()
    graph = rdflib.Graph()
    graph.parse(data=content, format="xml")
    return path, graph


def test_the_dataset_is_dated_by_its_first_and_newest_lesson(data):
    path, graph = catalogue(data, make("a", "2026-11-03"), make("b", "2026-12-01"))
    assert path == "oppna-data/dcat.rdf"
    dataset = graph.value(predicate=RDF.type, object=DCAT.Dataset, any=False)
    assert str(dataset) == "https://example.org/lb/oppna-data/dcat.rdf#dataset"
    assert graph.value(dataset, DCTERMS.issued).toPython() == datetime.date(2026, 11, 3)
    assert graph.value(dataset, DCTERMS.modified).toPython() == datetime.date(2026, 12, 1)
    titles = {title.language: str(title) for title in graph.objects(dataset, DCTERMS.title)}
    assert set(titles) == {"sv", "en"}


def test_an_empty_collection_has_no_dates_but_a_valid_catalogue(data):
    _, graph = catalogue(data)
    dataset = graph.value(predicate=RDF.type, object=DCAT.Dataset, any=False)
    assert graph.value(dataset, DCTERMS.issued) is None
    assert len(list(graph.objects(dataset, DCAT.distribution))) >= 4
