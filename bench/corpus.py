"""A deterministic synthetic corpus of N lessons in the real lesson format.

Every lesson has a Swedish file with all fields and an English file that
repeats the metadata (allowed by the format, and it lets the Hugo reference
build its taxonomies from either language) and records, in `translated_from`,
that it is a finished translation of the current Swedish text. Bodies are 400–800 words with
headings, a bullet list, a numbered list, a table and links to other lessons.
Words come from the starter lessons, ids from `data/`, so the text looks like
the real thing to Markdown, the search index and the stemmers.

    python bench/corpus.py 1000 /tmp/corpus    # writes /tmp/corpus/<slug>.sv.md …
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
from pathlib import Path

import yaml

from lardomsbanken.load.slugs import slugify
from lardomsbanken.load.translations import fingerprint

ROOT = Path(__file__).resolve().parent.parent

SEED = 20261126
FIRST_DAY = datetime.date(2019, 1, 1)
DAYS = (datetime.date(2026, 10, 31) - FIRST_DAY).days
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]{3,}")


def _ids(name: str, **where: str) -> list[str]:
    entries = yaml.safe_load((ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"))
    return [entry["id"] for entry in entries if all(entry.get(k) == v for k, v in where.items())]


def _words(language: str) -> list[str]:
    """The distinct words of the starter lessons' bodies, in a fixed order."""
    seen: dict[str, None] = {}
    for path in sorted((ROOT / "lessons").glob(f"*.{language}.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        body = re.sub(r"\]\([^)]*\)", "]", body)  # not the words of link targets
        for word in _WORD.findall(body):
            seen.setdefault(word.lower(), None)
    return list(seen)


class Corpus:
    def __init__(self, count: int, seed: int = SEED):
        self.count = count
        self.random = random.Random(seed)
        self.words = {language: _words(language) for language in ("sv", "en")}
        regions = yaml.safe_load((ROOT / "data" / "regions.yml").read_text(encoding="utf-8"))
        self.county_of = {r["id"]: r["county"] for r in regions if r.get("kind") == "municipality"}
        self.municipalities = list(self.county_of)
        self.themes = _ids("themes")
        self.actors = _ids("actors")
        self.slugs = [self._slug(number) for number in range(count)]

    def _slug(self, number: int) -> str:
        title = " ".join(self.random.sample(self.words["sv"], 5))
        return f"{slugify(title)}-{number + 1}"

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, slug in enumerate(self.slugs):
            for language, text in self.lesson(number).items():
                path = folder / f"{slug}.{language}.md"
                path.write_text(text, encoding="utf-8")
                written.append(path)
        return written

    def lesson(self, number: int) -> dict[str, str]:
        pick = self.random
        municipality = pick.choice(self.municipalities)
        front = {
            "type": pick.choice(("lesson", "lesson", "case")),
            "date": FIRST_DAY + datetime.timedelta(days=pick.randrange(DAYS)),
            "region": [municipality, self.county_of[municipality]],
            "theme": pick.sample(self.themes, pick.randint(1, 3)),
            "actor": pick.sample(self.actors, pick.randint(1, 3)),
            "related": pick.sample([s for s in self.slugs if s != self.slugs[number]], min(2, self.count - 1)),
            "sources": [{"title": "Källa " + self.sentence("sv", 4), "url": f"https://example.se/rapport/{number + 1}"}],
        }
        links = pick.sample(self.slugs, min(3, self.count))
        texts, done = {}, {}
        for language in ("sv", "en"):
            words = {"title": self.sentence(language, 7).rstrip("."), "summary": self.sentence(language, 25)}
            body = self.body(language, links)
            if language != "sv":  # a finished translation of the current Swedish text, as `lardom translated` marks it
                front = {**front, "translated_from": fingerprint(done["title"], done["summary"], done["body"])}
            texts[language] = _front_matter({**words, **front}) + body
            done = {**words, "body": body}
        return texts

    def sentence(self, language: str, length: int) -> str:
        words = self.random.choices(self.words[language], k=length)
        return " ".join(words).capitalize() + "."

    def paragraph(self, language: str, words: int) -> str:
        """Sentences of 8–20 words, exactly `words` words in all (the last one takes the rest)."""
        lengths = []
        while sum(lengths) < words:
            lengths.append(min(self.random.randint(8, 20), words - sum(lengths)))
        if len(lengths) > 1 and lengths[-1] < 4:  # no stub sentence at the end
            lengths[-2:] = [lengths[-2] + lengths[-1]]
        return " ".join(self.sentence(language, length) for length in lengths)

    def body(self, language: str, links: list[str]) -> str:
        """A body of exactly `target` (400–800) words as `word_count` counts them:
        the headings, lists, table and links first, the three paragraphs fill the rest."""
        pick = self.random
        target = pick.randint(400, 800)
        headings = [self.sentence(language, n).rstrip(".") for n in (3, 2, 3)]
        bullets = ["- " + self.sentence(language, pick.randint(4, 9)) for _ in range(4)]
        numbered = [f"{n}. " + self.sentence(language, pick.randint(4, 9)) for n in range(1, 4)]
        table = ["| " + " | ".join(self.sentence(language, 1).rstrip(".") for _ in range(3)) + " |", "| --- | --- | ---: |"]
        table += [f"| {self.sentence(language, 2)} | {self.sentence(language, 2)} | {pick.randint(1, 9999)} |" for _ in range(4)]
        linked = " ".join(f"[{self.sentence(language, 3).rstrip('.')}]({slug}.md)" for slug in links)
        fixed = word_count("\n".join(headings + bullets + numbered + table + [linked]))
        rest = target - fixed
        first, second = rest * 3 // 10, rest * 3 // 10  # paragraph lengths in the ratio 3 : 3 : 4
        paragraphs = [self.paragraph(language, n) for n in (first, second, rest - first - second)]
        parts = [f"## {headings[0]}", paragraphs[0], *bullets, f"## {headings[1]}", paragraphs[1], *numbered, *table,
                 f"## {headings[2]}", paragraphs[2] + " " + linked]
        return "\n\n".join(_join_blocks(parts)) + "\n"


def word_count(markdown: str) -> int:
    """Words of a body as a reader sees them: not link targets, list markers or table rules."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"^\d+\. ", "", text, flags=re.MULTILINE)
    return len(re.findall(r"\w+", text))


def mark_lesson(path: Path, mark: str) -> tuple[str, str]:
    """Change a lesson as an editor would: a new word at the end of its title, a new
    sentence at the end of its body. Returns the two new words (title, body), each
    found in a page only once it shows this change."""
    title_mark, body_mark = f"Titelmarkering{mark}", f"Textmarkering{mark}"
    text = path.read_text(encoding="utf-8")
    text, found = re.subn(r"^title: (.*)$", lambda m: f"title: {m.group(1)} {title_mark}", text, count=1,
                          flags=re.MULTILINE)
    if not found:
        raise ValueError(f"no title line in {path}")
    text = text.rstrip("\n") + f" Ny mening {body_mark}.\n"
    path.write_text(text, encoding="utf-8")
    return title_mark, body_mark


def _join_blocks(parts: list[str]) -> list[str]:
    """Keep list items and table rows together as one block each."""
    blocks: list[str] = []
    for part in parts:
        item = part[:2] in ("- ", "| ") or part[:3] in ("1. ", "2. ", "3. ")
        if item and blocks and blocks[-1][:2] == part[:2] or item and part[:3] in ("2. ", "3. "):
            blocks[-1] += "\n" + part
        else:
            blocks.append(part)
    return blocks


def _front_matter(values: dict) -> str:
    text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{text}---\n\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    files = Corpus(arguments.count).write(arguments.folder)
    print(f"{len(files)} files in {arguments.folder}")


if __name__ == "__main__":
    main()
