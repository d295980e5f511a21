"""The publisher and dataset facts in `data/dataset.yml`, checked and loaded.

Feeds, open data and page metadata all name the same publisher, licence and
dataset; they read them from here so that the agency edits them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lardomsbanken.load.vocabularies import DataLoader  # the same strict reading as the vocabularies
from lardomsbanken.load.yamlnodes import Mapping, Scalar
from lardomsbanken.model.problems import ContentErrors, Problem
from lardomsbanken.render import urls

if TYPE_CHECKING:
    from lardomsbanken.index.site_index import SiteIndex

FILE = "dataset.yml"
EU_DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

Texts = dict[str, str]  # language code -> text


@dataclass(frozen=True)
class DatasetFacts:
    site_name: Texts
    publisher_name: Texts
    publisher_homepage: str
    publisher_uri: str  # empty: the DCAT file names the publisher itself
    publisher_type: str
    contact_name: Texts
    contact_email: str
    contact_url: str
    licence_uri: str
    licence_name: Texts
    title: Texts
    description: Texts
    keywords: dict[str, list[str]]
    languages: Texts  # site language code -> EU language authority URI
    themes: list[str]  # EU data theme URIs
    spatial: list[str]


def load_dataset_facts(data_dir: Path, display_root: Path, codes: list[str]) -> DatasetFacts:
    problems: list[Problem] = []
    loader = DataLoader(data_dir, display_root, problems)
    reader = loader.reader
    node = loader.read(FILE)
    root = reader.mapping(node, "-") if node is not None else None
    values: dict[str, Any] = {}

    def section(root: Mapping, name: str) -> Mapping | None:
        found = reader.require(root, name, name, root.position)
        return reader.mapping(found, name) if found is not None else None

    def texts(parent: Mapping, key: str, name: str) -> Texts | None:
        found = reader.require(parent, key, name, parent.position)
        return loader.translations(found, name, codes) if found is not None else None

    def text(parent: Mapping, key: str, name: str, optional: bool = False) -> str | None:
        if optional:
            found = parent.get(key)
            if found is None or (isinstance(found, Scalar) and found.value in (None, "")):
                return ""
        else:
            found = reader.require(parent, key, name, parent.position)
        return reader.text(found, name) if found is not None else None

    def text_list(parent: Mapping, key: str, name: str) -> list[str] | None:
        found = reader.require(parent, key, name, parent.position)
        items = reader.items(found, name) if found is not None else None
        if items is None:
            return None
        listed = [reader.text(item, name) for item in items]
        texts = [text for text in listed if text is not None]
        return texts if len(texts) == len(listed) else None

    if root is not None:
        if (site := section(root, "site")) is not None:
            values["site_name"] = texts(site, "name", "site.name")
        if (publisher := section(root, "publisher")) is not None:
            values["publisher_name"] = texts(publisher, "name", "publisher.name")
            values["publisher_homepage"] = text(publisher, "homepage", "publisher.homepage")
            values["publisher_uri"] = text(publisher, "uri", "publisher.uri", optional=True)
            values["publisher_type"] = text(publisher, "type", "publisher.type")
        if (contact := section(root, "contact")) is not None:
            values["contact_name"] = texts(contact, "name", "contact.name")
            values["contact_email"] = text(contact, "email", "contact.email")
            values["contact_url"] = text(contact, "url", "contact.url")
        if (licence := section(root, "licence")) is not None:
            values["licence_uri"] = text(licence, "uri", "licence.uri")
            values["licence_name"] = texts(licence, "name", "licence.name")
        if (dataset := section(root, "dataset")) is not None:
            values["title"] = texts(dataset, "title", "dataset.title")
            values["description"] = texts(dataset, "description", "dataset.description")
            keywords = reader.require(dataset, "keywords", "dataset.keywords", dataset.position)
            keyword_map = reader.mapping(keywords, "dataset.keywords") if keywords is not None else None
            if keyword_map is not None:
                found = {code: text_list(keyword_map, code, f"dataset.keywords.{code}") for code in codes}
                values["keywords"] = None if None in found.values() else found
            languages = texts(dataset, "languages", "dataset.languages")
            values["languages"] = {code: EU_LANGUAGE + name for code, name in languages.items()} if languages else None
            themes = text_list(dataset, "themes", "dataset.themes")
            values["themes"] = [EU_DATA_THEME + theme for theme in themes] if themes is not None else None
            values["spatial"] = text_list(dataset, "spatial", "dataset.spatial")
    if problems:
        raise ContentErrors(problems)
    return DatasetFacts(**values)


class OffSiteWriter:
    """Base of the writers of files read off the site (feeds, open data, metadata): absolute URLs."""

    def __init__(self, index: SiteIndex, facts: DatasetFacts, site_url: str, style: urls.UrlStyle):
        self.index = index
        self.data = index.data
        self.facts = facts
        self.site_url = site_url
        self.style = style

    def page_url(self, page: str, language: str) -> str:
        return urls.absolute_page(self.site_url, self.style, page, language, self.data.source_language)
