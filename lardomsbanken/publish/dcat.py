"""A DCAT-AP-SE description of the open dataset, in RDF/XML, for dataportal.se.

Sweden's data portal harvests a catalogue in RDF/XML with absolute IRIs and
no blank nodes for the catalogue, dataset, distributions, publisher or
contact point (DCAT-AP-SE harvesting rules), so every one of them has a URI
under the file's own address. Titles and descriptions are given in every
site language. Facts about the publisher and licence come from
`data/dataset.yml`; issued and modified are the dates of the lessons.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.dataset import DatasetFacts, OffSiteWriter
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.publish.feeds import feeds_for, newest_date
from lardomsbanken.render import urls

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
DATA_THEMES = "http://publications.europa.eu/resource/authority/data-theme"
ACCESS_PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
FREQUENCY_IRREGULAR = "http://publications.europa.eu/resource/authority/frequency/IRREG"


@dataclass(frozen=True)
class Distribution:
    ident: str  # the fragment of its URI
    path: str  # under the site root
    file_type: str  # EU file-type code
    media_type: str  # IANA media type
    descriptions: dict[str, str]  # per language
    language: str | None = None  # for a distribution in one language (a feed)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


class CatalogWriter(OffSiteWriter):
    def __init__(self, index: SiteIndex, facts: DatasetFacts, site_url: str, style: urls.UrlStyle):
        super().__init__(index, facts, site_url, style)
        self.file_url = urls.absolute(site_url, urls.open_data_file("dcat"))

    def uri(self, fragment: str) -> str:
        return f"{self.file_url}#{fragment}"

    def distributions(self) -> list[Distribution]:
        labels = self.data.labels
        codes = self.data.language_codes

        def described(key: str) -> dict[str, str]:
            return {code: labels(key, code) for code in codes}

        found = [
            Distribution("json", urls.open_data_file("json"), "JSON", "application/json",
                         described("opendata.file.json")),
            Distribution("csv", urls.open_data_file("csv"), "CSV", "text/csv", described("opendata.file.csv")),
            Distribution("schema", urls.open_data_file("schema"), "JSON", "application/json",
                         described("opendata.file.schema")),
            Distribution("translation-schema", urls.open_data_file("translation-schema"), "JSON", "application/json",
                         described("opendata.file.translation-schema")),
        ]
        for code in codes:
            feed = feeds_for(self.index, code)[0]
            root = urls.language_root(code, self.data.source_language)
            found.append(Distribution(f"feed-{code}", root + feed.path, "ATOM", "application/atom+xml",
                                      {code: feed.subtitle}, language=code))
        return found

    def write(self) -> bytes:
        for prefix, namespace in NAMESPACES.items():
            ET.register_namespace(prefix, namespace)
        facts = self.facts
        lessons = list(self.index.lessons.values())
        root = ET.Element(_q("rdf:RDF"))
        catalog = ET.SubElement(root, _q("dcat:Catalog"), {_q("rdf:about"): self.uri("catalog")})
        self._texts(catalog, "dct:title", facts.site_name)
        self._texts(catalog, "dct:description", facts.description)
        publisher = self._resource(catalog, "dct:publisher", self.publisher_uri())
        self._resource(catalog, "dct:license", facts.licence_uri)
        self._resource(catalog, "foaf:homepage", urls.absolute(self.site_url, ""))
        self._languages(catalog)
        self._resource(catalog, "dcat:themeTaxonomy", DATA_THEMES)
        self._dates(catalog, lessons)

        dataset_link = ET.SubElement(catalog, _q("dcat:dataset"))
        dataset = ET.SubElement(dataset_link, _q("dcat:Dataset"), {_q("rdf:about"): self.uri("dataset")})
        self._texts(dataset, "dct:title", facts.title)
        self._texts(dataset, "dct:description", facts.description)
        self._resource(dataset, "dct:publisher", self.publisher_uri())
        self._contact(dataset)
        for code in self.data.language_codes:
            for keyword in facts.keywords[code]:
                self._literal(dataset, "dcat:keyword", keyword, language=code)
        for theme in facts.themes:
            self._resource(dataset, "dcat:theme", theme)
        self._languages(dataset)
        for place in facts.spatial:
            self._resource(dataset, "dct:spatial", place)
        self._dates(dataset, lessons)
        self._resource(dataset, "dct:accessRights", ACCESS_PUBLIC)
        self._resource(dataset, "dct:accrualPeriodicity", FREQUENCY_IRREGULAR)
        self._resource(dataset, "dcat:landingPage", urls.absolute_page(
            self.site_url, self.style, urls.OPEN_DATA_PAGE, self.data.source_language, self.data.source_language))
        for distribution in self.distributions():
            self._distribution(dataset, distribution)

        self._publisher(publisher)
        ET.indent(root)
        document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return document + b"\n"

    def publisher_uri(self) -> str:
        return self.facts.publisher_uri or self.uri("publisher")

    def _publisher(self, link: ET.Element) -> None:
        """Describe the publisher inside the catalogue's dct:publisher, once."""
        del link.attrib[_q("rdf:resource")]
        agent = ET.SubElement(link, _q("foaf:Agent"), {_q("rdf:about"): self.publisher_uri()})
        self._texts(agent, "foaf:name", self.facts.publisher_name)
        self._resource(agent, "dct:type", self.facts.publisher_type)
        self._resource(agent, "foaf:homepage", self.facts.publisher_homepage)

    def _contact(self, dataset: ET.Element) -> None:
        link = ET.SubElement(dataset, _q("dcat:contactPoint"))
        contact = ET.SubElement(link, _q("vcard:Organization"), {_q("rdf:about"): self.uri("contact")})
        self._texts(contact, "vcard:fn", self.facts.contact_name)
        self._resource(contact, "vcard:hasEmail", "mailto:" + self.facts.contact_email)
        self._resource(contact, "vcard:hasURL", self.facts.contact_url)

    def _distribution(self, dataset: ET.Element, distribution: Distribution) -> None:
        link = ET.SubElement(dataset, _q("dcat:distribution"))
        element = ET.SubElement(link, _q("dcat:Distribution"), {_q("rdf:about"): self.uri(distribution.ident)})
        url = urls.absolute(self.site_url, distribution.path)
        file_name = distribution.path.rsplit("/", 1)[-1]
        titles = {code: f"{file_name} ({self.facts.site_name[code]})" for code in distribution.descriptions}
        self._texts(element, "dct:title", titles)
        self._texts(element, "dct:description", distribution.descriptions)
        self._resource(element, "dcat:accessURL", url)
        self._resource(element, "dcat:downloadURL", url)
        self._resource(element, "dct:format", EU_FILE_TYPE + distribution.file_type)
        self._resource(element, "dcat:mediaType", IANA_MEDIA_TYPE + distribution.media_type)
        self._resource(element, "dct:license", self.facts.licence_uri)
        if distribution.language:
            self._resource(element, "dct:language", self.facts.languages[distribution.language])

    def _languages(self, parent: ET.Element) -> None:
        for code in self.data.language_codes:
            self._resource(parent, "dct:language", self.facts.languages[code])

    def _dates(self, parent: ET.Element, lessons: Sequence[Lesson]) -> None:
        if not lessons:
            return
        issued = min(lesson.date for lesson in lessons)
        self._literal(parent, "dct:issued", issued.isoformat(), datatype=XSD_DATE)
        self._literal(parent, "dct:modified", newest_date(lessons).isoformat(), datatype=XSD_DATE)

    def _texts(self, parent: ET.Element, name: str, texts: dict[str, str]) -> None:
        for code, text in texts.items():
            self._literal(parent, name, text, language=code)

    @staticmethod
    def _literal(parent: ET.Element, name: str, text: str, language: str | None = None,
                 datatype: str | None = None) -> None:
        element = ET.SubElement(parent, _q(name))
        if language:
            element.set(XML_LANG, language)
        if datatype:
            element.set(_q("rdf:datatype"), datatype)
        element.text = text

    @staticmethod
    def _resource(parent: ET.Element, name: str, uri: str) -> ET.Element:
        return ET.SubElement(parent, _q(name), {_q("rdf:resource"): uri})


def add_catalog(outputs: dict[str, str | bytes], index: SiteIndex, facts: DatasetFacts, site_url: str,
                style: urls.UrlStyle) -> None:
    outputs[urls.open_data_file("dcat")] = CatalogWriter(index, facts, site_url, style).write()
