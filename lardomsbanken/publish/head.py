"""What every page says about itself in its <head>: feeds, Open Graph, schema.org JSON-LD.

Every page links its language's site feed (autodiscovery), theme and lesson
pages also their themes' feeds; hrefs are relative so the site works from a
sub-path. Open Graph and JSON-LD are read off-site, so their URLs are
absolute. The JSON-LD is escaped so that no text in it can end the script
element (`</script>`) or open a comment.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.dataset import DatasetFacts, OffSiteWriter
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.publish.feeds import MEDIA_TYPE, feeds_for
from lardomsbanken.render import urls
from lardomsbanken.render.pages import Renderer

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
# schema.org types for the actor kinds in labels.yml (`actor_kind.*`); others are Organization.
ACTOR_TYPES = {
    "government": "GovernmentOrganization",
    "agency": "GovernmentOrganization",
    "region": "GovernmentOrganization",
    "municipality": "GovernmentOrganization",
    "company": "Corporation",
    "academia": "CollegeOrUniversity",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: `<`, `>` and `&` written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda match: _JSON_ESCAPES[match.group(0)], text)


class HeadWriter(OffSiteWriter):
    def __init__(self, index: SiteIndex, facts: DatasetFacts, site_url: str, renderer: Renderer):
        super().__init__(index, facts, site_url, renderer.style)
        self.template = renderer.env.get_template("head.html.j2")
        self.feeds = {code: feeds_for(index, code) for code in self.data.language_codes}
        self.lesson_pages = {urls.lesson_page(slug): lesson for slug, lesson in index.lessons.items()}

    def head(self, page: str, language: str, title: str | None = None, description: str | None = None) -> str:
        """The head additions of a page; `title` and `description` as plain text, or None for the site's."""
        lesson = self.lesson_pages.get(page)
        meta: dict[str, str | None]
        if lesson is not None:
            version = lesson.version(language)
            meta = {"title": version.title, "description": version.summary}
        else:
            meta = {"title": title, "description": description}
        locales = {language.code: language.locale for language in self.data.languages}
        return self.template.render(
            feeds=self._feed_links(page, language, lesson),
            og={
                "type": "article" if lesson else "website",
                "title": meta.get("title") or self.facts.site_name[language],
                "description": meta.get("description") or self.facts.description[language],
                "url": self.page_url(page, language),
                "site_name": self.facts.site_name[language],
                "locale": locales[language],
                "alternates": [locale for code, locale in locales.items() if code != language],
            },
            lesson=lesson,
            json_ld=script_json(self.article(lesson, language)) if lesson else None,
        ).strip() + "\n"

    def _feed_links(self, page: str, language: str, lesson: Lesson | None) -> list[dict[str, str]]:
        feeds = self.feeds[language]
        if lesson is not None:  # the feeds of the terms it is filed under
            chosen = [feeds[0]] + [feed for feed in feeds[1:]
                                   if feed.facet and feed.term in lesson.facet_values(feed.facet)]
        else:  # a term's page: its own feed
            chosen = [feeds[0]] + [feed for feed in feeds[1:] if feed.page == page]
        return [{"title": feed.title, "href": self.style.file_href(page, feed.path), "type": MEDIA_TYPE}
                for feed in chosen]

    def article(self, lesson: Lesson, language: str) -> dict[str, Any]:
        """schema.org Article for a lesson page in `language`."""
        data, facts = self.data, self.facts
        version = lesson.version(language)
        page = urls.lesson_page(lesson.slug)
        url = self.page_url(page, language)

        def place(ident: str) -> dict[str, Any]:
            region = data.regions[ident]
            found: dict[str, Any] = {"@type": "Place", "name": region.name(language),
                                     "url": self.page_url(urls.facet_page(data.spec("region"), ident), language)}
            if region.code:
                found["identifier"] = {"@type": "PropertyValue", "propertyID": "SCB", "value": region.code}
            return found

        article: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "@id": url,
            "url": url,
            "mainEntityOfPage": url,
            "headline": version.title,
            "description": version.summary,
            "inLanguage": version.language,
            "datePublished": lesson.date.isoformat(),
            "dateModified": (lesson.updated or lesson.date).isoformat(),
            **({"temporalCoverage": lesson.period.iso()} if lesson.period else {}),
            "genre": data.types[lesson.type].name(language),
            "spatialCoverage": [place(ident) for ident in lesson.regions],
            "about": [{"@type": "Thing", "name": data.themes[ident].name(language),
                       "url": self.page_url(urls.facet_page(data.spec("theme"), ident), language)}
                      for ident in lesson.themes],
            "mentions": [{"@type": ACTOR_TYPES.get(data.actors[ident].kind or "", "Organization"),
                          "name": data.actors[ident].name(language),
                          "url": self.page_url(urls.facet_page(data.spec("actor"), ident), language)}
                         for ident in lesson.actors],
            "publisher": {"@type": "GovernmentOrganization", "name": facts.publisher_name[language],
                          "url": facts.publisher_homepage},
            "isPartOf": {"@type": "WebSite", "name": facts.site_name[language],
                         "url": self.page_url(urls.HOME, language)},
            "license": facts.licence_uri,
        }
        if lesson.sources:
            article["citation"] = [{"@type": "CreativeWork", "name": source.title, "url": source.url}
                                   for source in lesson.sources]
        if version.language == lesson.source_language:
            translations = [{"@type": "Article", "@id": self.page_url(page, code), "inLanguage": code}
                            for code in data.language_codes
                            if code != lesson.source_language and lesson.is_translated(code)]
            if translations:
                article["workTranslation"] = translations
        else:
            original = self.page_url(page, lesson.source_language)
            article["translationOfWork"] = {"@type": "Article", "@id": original, "inLanguage": lesson.source_language}
        return article
