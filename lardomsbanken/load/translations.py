"""What a translation was made from: a short fingerprint of the source text.

An English file records, in `translated_from`, the fingerprint of the Swedish
file's translatable words (title, summary, body) at the time it was
translated. When the Swedish words change, the fingerprint changes and
`lardom check` can say that the translation is out of date. Front-matter
fields that are not translated (dates, themes …) do not count, nor do
differences in line endings or trailing spaces.
"""

from __future__ import annotations

import hashlib

from lardomsbanken.load import frontmatter

FINGERPRINT_LENGTH = 12  # hex digits; plenty to tell versions of one lesson apart


def fingerprint(title: str, summary: str, body: str) -> str:
    if "\r" in body:  # never in a lesson as the loader reads it
        body = body.replace("\r\n", "\n")
    lines = [line.rstrip() for line in body.split("\n")]
    normalised = "\n".join(lines).strip("\n")
    text = "\x00".join((" ".join(title.split()), " ".join(summary.split()), normalised))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def mark_translated(text: str, source_fingerprint: str) -> str:
    """A translation file's text with `translated_from` set and any `draft` line removed.

    Edits the front matter line by line, so the editor's comments, order and
    quoting stay as they were. Expects a file that starts with a `---` block.
    """
    place = frontmatter.split(text)
    front = place.front(text).strip("\n").split("\n")
    value = f'translated_from: "{source_fingerprint}"'
    kept = [line for line in front if not _is_field(line, "draft")]
    replaced = [value if _is_field(line, "translated_from") else line for line in kept]
    if value not in replaced:
        replaced.append(value)
    return text[:place.front_start] + "\n" + "\n".join(replaced) + "\n" + text[place.front_end:]


def _is_field(line: str, name: str) -> bool:
    """A top-level `name:` line (not indented, not a comment)."""
    return line.startswith(name + ":")
