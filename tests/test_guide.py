"""The editors' guide (content/skriva.*.md) and its catalogue of messages (content/felmeddelanden.*.md).

The guide's claims are checked against the code: its example lesson is
loaded by the real loader next to the real lessons, its table of fields is the
loader's, its list of themes is data/themes.yml, and its data-file snippets
load. The catalogue lists every message code of data/messages.yml in both
languages, so a code added later is in the guide without anyone editing it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest
import yaml
from conftest import ROOT
from sitebuild import Site, built_site
from test_vocabularies import produced_codes

from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.vocabularies import load_site_data
from lardomsbanken.model.lesson import Target
from lardomsbanken.model.problems import ContentErrors
from lardomsbanken.model.schema import lesson_fields
from lardomsbanken.pipeline.site import Project, prepare
from lardomsbanken.render.message_guide import group_key, message_groups, placeholders

LANGUAGES = ("sv", "en")
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


def guide(language: str) -> str:
    return (ROOT / "content" / f"skriva.{language}.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text of a `## heading` section, up to the next `## ` outside a code block."""
    lines = text[text.index(f"\n## {heading}\n") + 1:].split("\n")
    in_code = False
    for number, line in enumerate(lines[1:], start=1):
        in_code ^= line.startswith("```")
        if line.startswith("## ") and not in_code:
            return "\n".join(lines[:number])
    return "\n".join(lines)


def code_blocks(text: str, kind: str) -> list[tuple[int, str]]:
    """Fenced blocks of one kind (```yaml, ```{ .markdown lang="en" }) with their offsets."""
    found = []
    for block in FENCE.finditer(text):
        info = block.group("info").strip()
        if info == kind or re.fullmatch(r"\{\s*\." + kind + r"\b[^}]*\}", info):
            found.append((block.start(), block.group("code")))
    return found


def table_rows(text: str) -> list[list[str]]:
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:] if not set(row[0].strip()) <= {"-"}]


EXAMPLE_HEADING = {"sv": "Ett komplett exempel", "en": "A complete example"}
FIELDS_HEADING = {"sv": "Fälten överst i filen", "en": "The fields at the top of the file"}
DATA_HEADING = {"sv": "Lägga till ett tema, en plats eller en aktör", "en": "Adding a theme, a place or an actor"}


def example_files(language: str) -> dict[str, str]:
    """The example's files, named as the text just before each block names them."""
    text = section(guide(language), EXAMPLE_HEADING[language])
    files = {}
    for start, code in code_blocks(text, "markdown"):
        names = re.findall(r"`(lessons/[a-z0-9-]+\.[a-z]{2}\.md)`", text[:start])
        files[names[-1]] = code
    return files


# --- the example lesson ---------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_example_passes_the_real_loader_beside_the_real_lessons(language, data, tmp_path):
    files = example_files(language)
    assert sorted(files) == ["lessons/exempel-tillfalliga-bostader.en.md", "lessons/exempel-tillfalliga-bostader.sv.md"]
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = load_lessons(tmp_path / "lessons", tmp_path, data)
    assert [data.messages.render(p, "sv") for p in result.problems] == []
    lesson = result.lessons["exempel-tillfalliga-bostader"]
    assert lesson.is_translated("en")
    assert lesson.related == ("samordna-pa-tvaren-i-stallet-for-i-stupror",)
    # The English text's link to another lesson leads to that lesson.
    assert Target(lesson="samordna-pa-tvaren-i-stallet-for-i-stupror") in lesson.versions["en"].targets


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_example_is_complete_and_the_same_lesson_in_both_guides(language):
    files = example_files(language)
    swedish = yaml.safe_load(files["lessons/exempel-tillfalliga-bostader.sv.md"].split("---\n")[1])
    english = yaml.safe_load(files["lessons/exempel-tillfalliga-bostader.en.md"].split("---\n")[1])
    fields = lesson_fields(load_site_data(ROOT / "data", ROOT).facets)
    # Every field of a source file, so the example shows them all; a translation's own.
    assert set(swedish) == {spec.name for spec in fields if not spec.translation_only}
    assert set(english) == {spec.name for spec in fields if spec.translated}
    other = example_files("en" if language == "sv" else "sv")
    assert yaml.safe_load(other["lessons/exempel-tillfalliga-bostader.sv.md"].split("---\n")[1]) == swedish


def test_example_blocks_carry_the_language_they_are_written_in():
    # The English file shown on the Swedish page, and the Swedish file on the English page.
    assert '```{ .markdown lang="en" }\n---\ntitle: "Example' in guide("sv")
    assert '```{ .markdown lang="sv" }\n---\ntype: lesson' in guide("en")


# --- the format -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_of_fields_is_the_loaders(language):
    # The guide holds the directive; the table is made from the lesson format at build time.
    text = section(guide(language), FIELDS_HEADING[language]).split("\n### ")[0]
    assert "<!-- lardom:fields -->" in text and "| `type` |" not in text
    prepared = prepare(Project.at(ROOT))
    rows = table_rows(prepared.expand_directives(text, "skriva", language))
    fields = [row[0].strip("`") for row in rows]
    specs = [spec for spec in lesson_fields(prepared.data.facets) if not spec.translation_only]
    assert fields == [spec.name for spec in specs] and "industry" in fields and "period" in fields
    required = [row[0].strip("`") for row in rows if row[1] in ("ja", "yes")]
    assert required == ["type", "title", "summary", "date", "region", "theme", "actor"]
    industry = next(row for row in rows if row[0] == "`industry`")
    assert "`data/industries.yml`" in industry[2] and "`data/actors.yml`" in industry[2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_of_themes_is_data_themes(language, data):
    text = guide(language)
    heading = {"sv": "### Teman som finns i dag", "en": "### The themes today"}[language]
    table = text[text.index(heading):].split("\n\n")[1]
    rows = [(row[0].strip("`"), row[1]) for row in table_rows(table)]
    assert rows == [(term.id, term.name(language)) for term in data.themes]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_id_the_guide_names_exists(language, data):
    """Ids written as `field: id` in the guide, e.g. `region: skelleftea`, are real."""
    text = guide(language)
    for field, facet in (("region", data.regions), ("theme", data.themes), ("actor", data.actors)):
        for match in re.finditer(rf"`{field}: \[?([a-z0-9, -]+)\]?`", text):
            for ident in match.group(1).split(","):
                assert ident.strip() in facet.terms, (field, ident)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_file_snippets_load(language, tmp_path):
    text = section(guide(language), DATA_HEADING[language])
    shutil.copytree(ROOT / "data", tmp_path / "data")
    regions = (ROOT / "data" / "regions.yml").read_text(encoding="utf-8")
    added = []
    for _, code in code_blocks(text, "yaml"):
        if "id: skelleftea," in code:
            assert code in regions  # the guide shows Skellefteå exactly as the file has it
            continue
        target = {"theme": "themes.yml", "county": "regions.yml", "company": "actors.yml"}[
            "theme" if "description:" in code else re.search(r"kind: (\w+)", code).group(1)]
        with open(tmp_path / "data" / target, "a", encoding="utf-8") as stream:
            stream.write("\n" + code)
        added.append(re.search(r"id: ([a-z0-9-]+)", code).group(1))
    try:
        data = load_site_data(tmp_path / "data", tmp_path)
    except ContentErrors as errors:
        pytest.fail("\n".join(str(p) for p in errors.problems))
    assert added == ["nytt-tema", "jamtland", "exempelbolaget"]
    assert "nytt-tema" in data.themes.terms and "exempelbolaget" in data.actors.terms
    assert data.regions.terms["jamtland"].code == "23"


# --- the catalogue of messages ------------------------------------------------------------


def message_codes(catalogue: MessageCatalogue) -> list[str]:
    """Every code after the first section heading: the messages, not the pieces of messages."""
    return [code for _, codes in catalogue.sections for code in codes]


def test_every_message_is_in_a_section_and_every_produced_code_in_the_catalogue(data):
    codes = message_codes(data.messages)
    assert sorted(codes) == sorted(set(data.messages.messages) - {"none", "did-you-mean", "or"})
    assert produced_codes() - {"none", "did-you-mean", "or"} <= set(codes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_lists_every_code_once_grouped_in_the_files_order(language, data):
    groups = message_groups(data, language)
    listed = [entry.code for group in groups for entry in group.entries]
    assert listed == message_codes(data.messages)
    assert [group.key for group in groups][:4] == ["files", "yaml", "fields", "links"]
    assert len({group.key for group in groups}) == len(groups)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_titles_placeholder_names_and_help_for_everything(language, data):
    """Labels for every group and placeholder, and a `help` text for every code, in every language."""
    labels = data.labels.texts
    missing = []
    for heading, codes in data.messages.sections:
        if language not in labels.get(f"guide.group.{group_key(heading)}", {}):
            missing.append(f"guide.group.{group_key(heading)}")
        for code in codes:
            if not data.messages.help(code, language):
                missing.append(f"{code}: help.{language}")
            for name in placeholders(data.messages.messages[code][language]):
                if language not in labels.get(f"guide.placeholder.{name}", {}):
                    missing.append(f"guide.placeholder.{name}")
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_show_placeholders_by_name(language, data):
    entries = {entry.code: entry for group in message_groups(data, language) for entry in group.entries}
    assert all("{" not in entry.message for entry in entries.values())
    if language == "sv":
        assert entries["unknown-id"].message == (
            "okänt id '«värde»' i fältet '«fält»'. Menade du «förslag»? Giltiga id finns i «fil».")
        assert str(entries["bad-date"].help).endswith("<code>2026-03-05</code>, inte <code>2026-3-5</code>.")
    else:
        assert entries["unknown-id"].message == (
            "unknown id '«value»' in the field '«field»'. Did you mean «suggestion»? Valid ids are in «file».")
    for entry in entries.values():
        texts = data.messages.messages[entry.code]
        assert texts["help"][language] != texts[language]


def test_a_code_added_later_is_listed_even_before_it_has_words_for_the_guide(data, tmp_path):
    """The other messages' sections stay; a new section shows its heading, a new placeholder its name."""
    text = (ROOT / "data" / "messages.yml").read_text(encoding="utf-8")
    text += ('\n# --- A later tool (lardomsbanken/later.py) ------\n'
             'new-warning: {sv: "ny varning om {thing}", en: "a new warning about {thing}"}\n')
    path = tmp_path / "messages.yml"
    path.write_text(text, encoding="utf-8")
    catalogue = MessageCatalogue.load(path)
    assert catalogue.sections[-1] == ("A later tool (lardomsbanken/later.py)", ("new-warning",))
    groups = message_groups(dataclasses.replace(data, messages=catalogue), "sv")
    last = groups[-1]
    assert (last.key, last.title) == ("a-later-tool", "A later tool (lardomsbanken/later.py)")
    assert last.entries[0].message == "ny varning om «thing»" and last.entries[0].help is None


def test_help_texts_have_no_placeholders(data):
    """`help` is shown as written: a `{name}` in it would reach the reader unfilled."""
    for code in message_codes(data.messages):
        for language in LANGUAGES:
            assert not re.search(r"\{[a-z_]+\}", data.messages.help(code, language)), code


# --- the built pages ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return built_site(tmp_path_factory.mktemp("guide") / "project")


@pytest.mark.parametrize("prefix, language", [("/", "sv"), ("/en/", "en")])
def test_the_built_catalogue_has_every_code_with_its_anchor_and_help(site, data, prefix, language):
    page = site.page(prefix + "felmeddelanden/")
    codes = message_codes(data.messages)
    anchors = [dt["id"] for dt in page.select(".md-content dl.ld-messages > dt")]
    assert anchors == codes
    for code in ("unknown-id", "bad-date", "build-failed"):
        dd = page.select_one(f"dt#{code} + dd")
        assert data.messages.help(code, language).split("`")[0] in dd.get_text()
    headings = [h2["id"] for h2 in page.select(".md-content h2[id^=messages-]")]
    assert headings == [f"messages-{group_key(heading)}" for heading, _ in data.messages.sections]
    toc = {a["href"] for a in page.select(".md-sidebar--secondary a[href^='#messages-']")}
    assert "#messages-fields" in toc  # groups are in the page's table of contents
    assert page.html["lang"] == language


@pytest.mark.parametrize("prefix", ["/", "/en/"])
def test_the_guide_is_in_the_navigation_and_links_the_catalogue(site, prefix):
    # The catalogue is a reference for editors, reached from the guide; the
    # navigation stays the readers' sections.
    guide_page = site.page(prefix + "skriva/")
    links = [Site.resolve(prefix + "skriva/", a["href"]) for a in guide_page.select(".md-content a[href]")]
    assert links.count(prefix + "felmeddelanden/") >= 2  # near the top and in "when something is wrong"
    nav = {Site.resolve(prefix, a["href"]) for a in site.page(prefix).select(".md-nav--primary a[href]")}
    assert prefix + "skriva/" in nav and prefix + "felmeddelanden/" not in nav
    catalogue = site.page(prefix + "felmeddelanden/")
    back = {Site.resolve(prefix + "felmeddelanden/", a["href"]) for a in catalogue.select(".md-content a[href]")}
    assert prefix + "skriva/" in back
    blocks = guide_page.select(".md-content pre code")
    assert any(code.get_text().startswith("---\ntype: lesson") for code in blocks)


def test_the_english_guide_marks_swedish_text(site):
    page = site.page("/en/skriva/")
    swedish_example = next(code for code in page.select("pre code") if code.get_text().startswith("---\ntype: lesson"))
    assert swedish_example["lang"] == "sv"
    english_example = next(code for code in site.page("/skriva/").select("pre code")
                           if code.get_text().startswith('---\ntitle: "Example'))
    assert english_example["lang"] == "en"
