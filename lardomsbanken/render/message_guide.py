"""The editors' catalogue of messages: every message as an editor sees it, and what to do.

It is made from `data/messages.yml` itself, so a message added there is in
the guide at the next build. Groups are the file's `# --- heading ---`
sections; a placeholder such as `{field}` is shown by its name, «fält».
Group titles and placeholder names are interface words in `data/labels.yml`
(`guide.group.<heading as slug, without notes in brackets>`, `guide.placeholder.<name>`); one that is
missing shows as it is written in messages.yml rather than stopping the build.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from markupsafe import Markup, escape

from lardomsbanken.load.slugs import slugify
from lardomsbanken.load.vocabularies import SiteData

GROUP_LABEL = "guide.group.{}"
PLACEHOLDER_LABEL = "guide.placeholder.{}"
# `did_you_mean` is not a value but a sentence of its own, made from suggestions.
SUGGESTIONS = "did_you_mean"


@dataclass(frozen=True)
class MessageEntry:
    code: str
    message: str  # as the editor sees it, placeholders named: «fält»
    help: Markup | None  # what to do; `code` in backticks becomes <code>


@dataclass(frozen=True)
class MessageGroup:
    key: str  # the section heading as a slug: `files`, `vocabularies-and-site-data`
    title: str
    entries: tuple[MessageEntry, ...]


def message_groups(data: SiteData, language: str) -> list[MessageGroup]:
    catalogue = data.messages
    groups = []
    for heading, codes in catalogue.sections:
        key = group_key(heading)
        entries = tuple(
            MessageEntry(code, shown_message(data, code, language), _inline_code(catalogue.help(code, language)))
            for code in codes
        )
        groups.append(MessageGroup(key, _label(data, GROUP_LABEL.format(key), language, heading), entries))
    return groups


def group_key(heading: str) -> str:
    """`The lardom command (cli.py)` -> `the-lardom-command`: a note in brackets is not part of it."""
    return slugify(re.sub(r"\([^)]*\)", "", heading))


def placeholders(template: str) -> list[str]:
    """The `{names}` in a message text, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def shown_message(data: SiteData, code: str, language: str) -> str:
    catalogue = data.messages
    template = catalogue.messages[code].get(language) or catalogue.messages[code]["en"]
    params = {}
    for name in placeholders(template):
        shown = "«" + _label(data, PLACEHOLDER_LABEL.format(name), language, name) + "»"
        params[name] = catalogue.text("did-you-mean", language, choices=shown) if name == SUGGESTIONS else shown
    return catalogue.text(code, language, **params)


def _label(data: SiteData, key: str, language: str, fallback: str) -> str:
    texts = data.labels.texts.get(key)
    return texts[language] if texts and language in texts else fallback


def _inline_code(text: str | None) -> Markup | None:
    if not text:
        return None
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))
