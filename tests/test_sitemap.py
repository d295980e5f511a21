"""publish/sitemap.py: every page in every language once, alternates both ways, the same bytes every time."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from lardomsbanken.publish.sitemap import build_sitemap
from lardomsbanken.render.urls import UrlStyle

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_every_page_once_per_language_with_its_alternates(data):
    files = build_sitemap(["teman/bostader", "index", "index"], data, UrlStyle(True), "https://example.org/lb/")
    root = ET.fromstring(files["sitemap.xml"])
    entries = {url.find(f"{SITEMAP}loc").text: {link.get("hreflang"): link.get("href")
                                                for link in url.findall(f"{XHTML}link")}
               for url in root.findall(f"{SITEMAP}url")}
    assert sorted(entries) == ["https://example.org/lb/", "https://example.org/lb/en/",
                               "https://example.org/lb/en/teman/bostader/", "https://example.org/lb/teman/bostader/"]
    assert entries["https://example.org/lb/en/teman/bostader/"] == {
        "sv": "https://example.org/lb/teman/bostader/", "en": "https://example.org/lb/en/teman/bostader/",
        "x-default": "https://example.org/lb/teman/bostader/"}
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod") is None  # a build depends on its sources only


def test_the_compressed_copy_is_the_same_text_and_always_the_same_bytes(data):
    first = build_sitemap(["om"], data, UrlStyle(False), "https://example.org/")
    again = build_sitemap(["om"], data, UrlStyle(False), "https://example.org/")
    assert gzip.decompress(first["sitemap.xml.gz"]).decode("utf-8") == first["sitemap.xml"]
    assert first["sitemap.xml.gz"] == again["sitemap.xml.gz"]
    assert "<loc>https://example.org/om.html</loc>" in first["sitemap.xml"]


def test_addresses_are_escaped(data):
    text = build_sitemap(["a&b"], data, UrlStyle(True), "https://example.org/")["sitemap.xml"]
    assert "a&amp;b" in text and "a&b/" not in text
    ET.fromstring(text)
