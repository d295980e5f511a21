"""Atom feeds (RFC 4287) per language: all lessons, and one per term of a facet with feeds (themes, industries).

Written with ElementTree, so every text is escaped by the XML library. Feeds
live under each language's root (`flode/lardomar.xml`, `en/flode/teman/bostader.xml`)
and link the pages in their own language. A lesson without a translation
appears in the English feed in Swedish, marked with `xml:lang="sv"`.
Dates come from the lessons only, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.dataset import DatasetFacts, OffSiteWriter
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.render import urls

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"
EPOCH = datetime.date(1970, 1, 1)  # `updated` of a feed when there are no lessons at all


@dataclass(frozen=True)
class Feed:
    path: str  # under the language root
    language: str
    title: str
    subtitle: str
    page: str  # the page the feed follows
    lessons: list[Lesson]
    facet: str | None = None  # the term it follows, if not all lessons
    term: str | None = None


# A feed tells readers what is new; the whole collection is on the site and in the
# open data. Feed readers fetch feeds often, so they stay small as the collection grows.
FEED_ENTRIES = 50


def feeds_for(index: SiteIndex, language: str) -> list[Feed]:
    """The site feed first, then one per term of each facet with feeds, in vocabulary order;
    each with its newest lessons."""
    labels = index.data.labels
    newest = index.newest[language][:FEED_ENTRIES]
    found = [Feed(urls.feed_file(), language, labels("feed.all.title", language),
                  labels("feed.all.subtitle", language), urls.all_lessons_page(), newest)]
    for spec in index.data.facets:
        if not spec.feeds:
            continue
        for term in index.data.facet(spec.id):
            name = term.name(language)
            found.append(Feed(urls.feed_file(spec, term.id), language, labels("feed.term.title", language, name=name),
                              labels(f"feed.{spec.id}.subtitle", language, name=name),
                              urls.facet_page(spec, term.id),
                              index.lessons_for(spec.id, term.id, language)[:FEED_ENTRIES], spec.id, term.id))
    return found


def lesson_updated(lesson: Lesson) -> datetime.date:
    return lesson.updated or lesson.date


def newest_date(lessons: Iterable[Lesson]) -> datetime.date:
    return max((lesson_updated(lesson) for lesson in lessons), default=EPOCH)


def timestamp(date: datetime.date) -> str:
    """An RFC 3339 date-time for a lesson date (the start of that day, UTC)."""
    return f"{date.isoformat()}T00:00:00Z"


class FeedWriter(OffSiteWriter):

    def feed_url(self, feed: Feed) -> str:
        return urls.absolute(self.site_url, urls.language_root(feed.language, self.data.source_language) + feed.path)

    def write(self, feed: Feed) -> bytes:
        language = feed.language
        # Unqualified names under a default namespace declared on the root: <feed xmlns="…Atom">.
        root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: language})
        _text(root, "id", self.feed_url(feed))
        _text(root, "title", feed.title, type="text")
        _text(root, "subtitle", feed.subtitle, type="text")
        _link(root, self.feed_url(feed), "self", MEDIA_TYPE)
        _link(root, self.page_url(feed.page, language), "alternate", "text/html")
        # The feed is as new as its newest lesson; a theme without lessons takes the site's newest date.
        _text(root, "updated", timestamp(newest_date(feed.lessons) if feed.lessons else
                                         newest_date(self.index.lessons.values())))
        self._author(root, language)
        _text(root, "rights", self.facts.licence_name[language], type="text")
        for lesson in feed.lessons:
            self._entry(root, lesson, language)
        ET.indent(root)
        document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return document + b"\n"

    def _author(self, parent: ET.Element, language: str) -> None:
        author = ET.SubElement(parent, "author")
        _text(author, "name", self.facts.publisher_name[language])
        _text(author, "uri", self.facts.publisher_homepage)

    def _entry(self, root: ET.Element, lesson: Lesson, language: str) -> None:
        version = lesson.version(language)
        text_language = version.language
        entry = ET.SubElement(root, "entry")
        if text_language != language:
            entry.set(XML_LANG, text_language)
        url = self.page_url(urls.lesson_page(lesson.slug), language)
        _text(entry, "id", url)
        _text(entry, "title", version.title, type="text")
        link = _link(entry, url, "alternate", "text/html")
        link.set("hreflang", text_language)
        _text(entry, "published", timestamp(lesson.date))
        _text(entry, "updated", timestamp(lesson_updated(lesson)))
        self._author(entry, language)
        for spec in self.data.list_facets:  # every facet the lesson is filed under, but its type
            vocabulary = self.data.facet(spec.id)
            scheme = self.page_url(urls.overview_page(spec), language)
            for ident in lesson.facet_values(spec.id):
                category = ET.SubElement(entry, "category",
                                         {"term": ident, "scheme": scheme, "label": vocabulary[ident].name(language)})
                if text_language != language:
                    category.set(XML_LANG, language)  # the label is in the feed's language
        _text(entry, "summary", version.summary, type="text")


def _text(parent: ET.Element, name: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    element.text = value
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> ET.Element:
    return ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": href})


def add_feeds(outputs: dict[str, str | bytes], index: SiteIndex, facts: DatasetFacts, site_url: str,
              style: urls.UrlStyle) -> None:
    writer = FeedWriter(index, facts, site_url, style)
    for language in index.data.language_codes:
        root = urls.language_root(language, index.data.source_language)
        for feed in feeds_for(index, language):
            outputs[root + feed.path] = writer.write(feed)
