"""Nasty input through a real `mkdocs build --strict`: what must build builds and shows
exactly what the editor wrote, and what must not build stops with our messages.

Built once each for the module: the fixture lessons plus nasty ones that must build
(a byte-order mark, CRLF line endings, tabs, no body, a 1 MB body, 20 000 unclosed `[`
in one paragraph, lists and quotes nested as deep as allowed, titles and summaries full
of HTML, quotes and Markdown, a theme listed twice, cycles in `related`), and the
fixture lessons plus broken and hostile ones that must stop the build (raw HTML, a
`javascript:` link, lists and quotes nested thousands deep, broken front matter), all
reported at once as `file:line:column: message`, with no traceback. Both builds must
take about as long as an ordinary one: the parser reads a body in time linear in its size.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from sitebuild import Site, build, make_project

from lardomsbanken.publish.search_index import SearchIndex

TITLE = "<script>alert(1)</script> & \"citat\" 'apostrof' *x* [a](b) `c` # h </script><!-- ]]>"
SUMMARY = "Sammanfattning <img src=x onerror=alert(2)> & &amp; *y* [l](javascript:alert(3)) `k` </title>"
TITLE_EN = "</title><script>alert(4)</script> & \"quotes\" *not italic* [no](link)"
SUMMARY_EN = "Summary </script><script>alert(5)</script> & \"quotes\"."
BIG_BODY_END = "Slutet på den stora texten."
BRACKETS_END = "Slutet efter hakparenteserna."
# A fixture build takes a few seconds; one that reads a hostile body in quadratic time, minutes.
BUILD_SECONDS = 30
ALLOWED_DEPTH = 50  # lists and quotes inside each other (lardomsbanken/load/body.py, MAX_NESTING)
UNICODE_TITLE = "Ávjovárgeaidnu Čáhcesuolu ŊŦŽ e\u0301 مرحبا שלום \u202eabc\u202c 👩\u200d👩\u200d👧\u200d👦 🇸🇪 a\ufeffb"


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a double-quoted YAML scalar


def lesson(title: str, region: str, theme: str, actor: str, body: str = "Text.\n", date: str = "2024-03-01",
           **extra: str) -> str:
    fields = ["type: lesson", f"title: {yaml_text(title)}", f"summary: {yaml_text('Om ' + title + '.')}",
              f"date: {date}", f"region: {region}", f"theme: {theme}", f"actor: {actor}"]
    fields += [f"{key}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(fields) + "\n---\n\n" + body


def big_body() -> str:
    """About 1 MB of ordinary Markdown: long paragraphs, a link and a heading now and then."""
    paragraph = ("Ett stycke om bostäder, kompetens och samverkan i Norrbotten och Västerbotten, som fortsätter "
                 "länge med vanliga ord, å, ä och ö. ") * 20 + "Se [källan](https://example.org/).\n\n"
    sections = [f"## Avsnitt {number}\n\n" + paragraph * 19 for number in range(20)]
    body = "".join(sections)
    assert len(body.encode("utf-8")) > 1_000_000
    return body + BIG_BODY_END + "\n"


NASTY = {
    "elak-titel.sv.md": "---\n" + "\n".join([
        "type: lesson", f"title: {yaml_text(TITLE)}", f"summary: {yaml_text(SUMMARY)}", "date: 2029-01-01",
        "region: mala", "theme: [bostader, bostader]", "actor: [boverket, boverket]",
        'sources:\n  - title: "<b>Källa</b> & \\"citat\\""\n    url: "https://example.org/?a=1&b=<2>"',
    ]) + "\n---\n\nText med *riktig* betoning.\n",
    "elak-titel.en.md": f"---\ntitle: {yaml_text(TITLE_EN)}\nsummary: {yaml_text(SUMMARY_EN)}\n---\n\nText.\n",
    "bom-crlf.sv.md": "\ufeff" + lesson("Tabb\tinne", "sorsele", "bostader", "boverket",
                                      body="Första raden.\n\n\tIndragen kod med tabb.\n\nSista\tordet.\n")
    .replace("\n", "\r\n"),
    "utan-text.sv.md": lesson("Utan text", "sorsele", "bostader", "boverket", body="").rstrip("\n"),
    "stor.sv.md": lesson("Stor text", "arjeplog", "flernivasamverkan", "northvolt", body=big_body()),
    # Sami, combining, right-to-left and emoji; the first and the last day a date can have
    "unicode.sv.md": lesson(UNICODE_TITLE, "jokkmokk", "befolkningsattraktion", "ssab", date="0001-01-01",
                            updated="9999-12-31", body="Text med \u2028 radskiftstecken och \u2029 styckestecken.\n"),
    # 20 000 unclosed brackets in one paragraph: text, read in linear time
    "hakparenteser.sv.md": lesson("Hakparenteser", "kalix", "bostader", "boverket",
                                  body="Början " + "[" * 20_000 + " " + BRACKETS_END + "\n"),
    # quotes and lists inside each other as deep as allowed, then a comment (a note to editors: not published),
    # and what only looks like a link (CommonMark allows no tab in a bare link target: it is text)
    "djupt-tillatet.sv.md": lesson("Djupt men tillåtet", "kalix", "bostader", "boverket",
                                   body="> - " * (ALLOWED_DEPTH // 2) + "Längst in.\n\n"
                                   "<!-- en anteckning till redaktörerna -->\n\n"
                                   "[Läs](java\tscript:alert(6))\n"),
    # a <-> b, and a -> b -> c -> a
    "cykel-a.sv.md": lesson("Cykel A", "dorotea", "finansiering", "hybrit", related="[cykel-b]"),
    "cykel-b.sv.md": lesson("Cykel B", "dorotea", "finansiering", "hybrit", related="[cykel-a]"),
    "tre-a.sv.md": lesson("Tre A", "storuman", "energiforsorjning", "oecd", related="[tre-b]"),
    "tre-b.sv.md": lesson("Tre B", "storuman", "energiforsorjning", "oecd", related="[tre-c]"),
    "tre-c.sv.md": lesson("Tre C", "storuman", "energiforsorjning", "oecd", related="[tre-a]"),
}


def timed_build(project):
    started = time.monotonic()
    result = build(project)
    return result, time.monotonic() - started


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Site, float]:
    project = make_project(tmp_path_factory.mktemp("nasty") / "project")
    for name, text in NASTY.items():
        (project / "lessons" / name).write_bytes(text.encode("utf-8"))
    result, seconds = timed_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site"), seconds


@pytest.fixture(scope="module")
def site(built) -> Site:
    return built[0]


def cards(site: Site, url: str, slug: str) -> list[BeautifulSoup]:
    """The list cards on a page that link to a lesson."""
    return [card for card in site.page(url).select(".ld-card")
            if Site.resolve(url, card.select_one(".ld-card__title a")["href"]).endswith(f"/lardomar/{slug}/")]


# --- shown exactly as written, never run ----------------------------------------------------


def test_no_page_runs_what_an_editor_wrote(site):
    pages = list(site.root.rglob("*.html"))
    assert len(pages) > 100
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script>alert|<img src=x", html), page
        if not re.search(r"apostrof|alert\([2-5]\)", html):  # none of this module's nasty text here
            continue
        shown += 1
        soup = BeautifulSoup(html, "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") != "application/ld+json":
                assert "alert(" not in (script.string or ""), page
        for element in soup.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")], (page, element.name)
            for name in ("href", "src"):
                assert not element.get(name, "").strip().lower().startswith("javascript:"), (page, element)
    assert shown >= 16  # the lesson, its lists and its neighbours' related lists, in both languages


@pytest.mark.parametrize("prefix, title, summary", [("", TITLE, SUMMARY), ("/en", TITLE_EN, SUMMARY_EN)])
def test_the_lesson_page_shows_title_and_summary_as_written(site, prefix, title, summary):
    page = site.page(f"{prefix}/lardomar/elak-titel/")
    assert page.select_one(".md-content h1").get_text() == title
    assert page.title.get_text() == f"{title} - Lärdomsbanken"
    assert page.select_one(".ld-lead").get_text() == summary
    assert page.select_one('meta[name="description"]')["content"] == summary
    assert page.select_one('meta[property="og:title"]')["content"] == title
    assert page.select_one('meta[property="og:description"]')["content"] == summary
    h1 = page.select_one(".md-content h1")
    assert h1.find(True) is None  # no markup made of the asterisks, brackets or backticks


@pytest.mark.parametrize("prefix, title, summary", [("", TITLE, SUMMARY), ("/en", TITLE_EN, SUMMARY_EN)])
def test_json_ld_is_valid_and_cannot_break_out_of_its_script(site, prefix, title, summary):
    html = site.file(f"{prefix}/lardomar/elak-titel/").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    assert not re.search(r"</|<!--|<script", blocks[0], re.IGNORECASE)
    data = json.loads(blocks[0])
    assert (data["headline"], data["description"]) == (title, summary)


def test_sources_are_shown_as_written(site):
    link = site.page("/lardomar/elak-titel/").select_one(".ld-sources a")
    assert link.get_text() == '<b>Källa</b> & "citat"'
    assert link["href"] == "https://example.org/?a=1&b=<2>"


@pytest.mark.parametrize("url", ["/", "/lardomar/", "/teman/bostader/", "/regioner/mala/", "/regioner/vasterbotten/",
                                 "/aktorer/boverket/", "/typer/lesson/"])
def test_lists_show_the_title_and_summary_as_written(site, url):
    found = cards(site, url, "elak-titel")
    assert len(found) == 1, url  # listed once, though the theme and the actor are written twice
    assert found[0].select_one(".ld-card__title a").get_text() == TITLE
    assert found[0].select_one(".ld-card__summary").get_text() == SUMMARY


def test_english_lists_show_the_english_title(site):
    found = cards(site, "/en/lardomar/", "elak-titel")
    assert [card.select_one(".ld-card__title a").get_text() for card in found] == [TITLE_EN]


def test_a_theme_listed_twice_counts_once(site):
    page = site.page("/lardomar/elak-titel/")
    assert [a.get_text() for a in page.select('.ld-facts a[href*="/teman/"]')] == ["Bostäder"]
    assert [a.get_text() for a in page.select('.ld-facts a[href*="/aktorer/"]')] == ["Boverket"]
    listed = len(site.page("/teman/bostader/").select(".ld-card"))
    overview = site.page("/teman/").get_text(" ")
    assert re.search(rf"Bostäder\s+\({listed}\)", overview)


def test_the_search_index_holds_the_text_as_written(site):
    for path, title in (("search/index.json", TITLE), ("en/search/index.json", TITLE_EN)):
        folder = (site.root / path).parent
        index = SearchIndex(lambda name, folder=folder: (folder / name).read_text(encoding="utf-8"))
        docs = [index.document(number) for number in range(index.manifest["count"])]
        titles = [doc["title"] for doc in docs if doc["url"].rstrip("/").endswith("lardomar/elak-titel")]
        assert titles == [title], path


@pytest.mark.parametrize("path, title, summary", [("flode/lardomar.xml", TITLE, SUMMARY),
                                                  ("flode/teman/bostader.xml", TITLE, SUMMARY),
                                                  ("en/flode/lardomar.xml", TITLE_EN, SUMMARY_EN)])
def test_feeds_are_valid_xml_with_the_text_as_written(site, path, title, summary):
    raw = (site.root / path).read_bytes()
    ET.fromstring(raw)  # well-formed
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    entries = [entry for entry in feed.entries if entry.link.rstrip("/").endswith("/lardomar/elak-titel")]
    assert len(entries) == 1
    assert (entries[0].title, entries[0].summary) == (title, summary)


def test_open_data_holds_the_text_as_written(site):
    document = json.loads((site.root / "oppna-data/lardomar.json").read_text(encoding="utf-8"))
    record = next(lesson for lesson in document["lessons"] if lesson["slug"] == "elak-titel")
    assert (record["versions"]["sv"]["title"], record["versions"]["en"]["title"]) == (TITLE, TITLE_EN)
    assert record["theme"] == ["bostader"] and record["actor"] == ["boverket"]
    rows = list(csv.DictReader(io.StringIO((site.root / "oppna-data/lardomar.csv").read_text(encoding="utf-8"))))
    assert {(row["language"], row["title"], row["summary"]) for row in rows if row["slug"] == "elak-titel"} == {
        ("sv", TITLE, SUMMARY), ("en", TITLE_EN, SUMMARY_EN)}


# --- awkward files that build ------------------------------------------------------------------


def test_a_byte_order_mark_crlf_and_tabs(site):
    html = site.file("/lardomar/bom-crlf/").read_text(encoding="utf-8")
    assert "\r" not in html and "\ufeff" not in html
    page = site.page("/lardomar/bom-crlf/")
    assert page.select_one(".md-content h1").get_text() == "Tabb inne"
    text = page.select_one(".md-content").get_text()
    assert "Första raden." in text and re.search(r"Sista\s+ordet\.", text)
    assert "Indragen kod med tabb." in page.select_one(".md-content pre code").get_text()


def test_any_letters_and_extreme_dates(site):
    page = site.page("/lardomar/unicode/")
    assert page.select_one(".md-content h1").get_text() == UNICODE_TITLE
    assert page.select_one(".md-content time")["datetime"] == "0001-01-01"
    entries = feedparser.parse((site.root / "flode/lardomar.xml").read_bytes()).entries
    assert [entry.title for entry in entries if entry.link.rstrip("/").endswith("/unicode")] == [UNICODE_TITLE]


def test_a_lesson_without_a_body(site):
    page = site.page("/lardomar/utan-text/")
    assert page.select_one(".md-content h1").get_text() == "Utan text"
    assert page.select_one(".ld-facts") is not None


def test_a_one_megabyte_body(site):
    html = site.file("/lardomar/stor/").read_text(encoding="utf-8")
    assert BIG_BODY_END in html and html.count('<h2 id="avsnitt-') == 20


def test_twenty_thousand_unclosed_brackets_are_text(site):
    paragraph = next(p for p in site.page("/lardomar/hakparenteser/").select(".md-content p")
                     if BRACKETS_END in p.get_text())
    assert paragraph.get_text() == "Början " + "[" * 20_000 + " " + BRACKETS_END
    assert paragraph.find("a") is None


def test_quotes_and_lists_as_deep_as_allowed_build(site):
    content = site.page("/lardomar/djupt-tillatet/").select_one(".md-content")
    innermost = [li for li in content.select("li") if li.get_text(strip=True) == "Längst in."][-1]
    assert innermost.find("li") is None
    depth = len(innermost.find_parents(["blockquote", "ul"])) - len(content.find_parents(["blockquote", "ul"]))
    assert depth == ALLOWED_DEPTH


def test_a_comment_is_not_published_and_a_tab_in_a_bare_link_target_leaves_text(site):
    html = site.file("/lardomar/djupt-tillatet/").read_text(encoding="utf-8")
    assert "anteckning till redaktörerna" not in html
    paragraph = next(p for p in site.page("/lardomar/djupt-tillatet/").select(".md-content p") if "Läs" in p.get_text())
    assert paragraph.get_text() == "[Läs](java\tscript:alert(6))" and paragraph.find("a") is None


def test_hostile_bodies_build_in_an_ordinary_builds_time(built):
    _, seconds = built
    assert seconds < BUILD_SECONDS, f"the build with hostile bodies took {seconds:.0f} s"


@pytest.mark.parametrize("slug, others", [("cykel-a", {"cykel-b"}), ("cykel-b", {"cykel-a"}),
                                          ("tre-a", {"tre-b", "tre-c"}), ("tre-b", {"tre-a", "tre-c"}),
                                          ("tre-c", {"tre-a", "tre-b"})])
def test_cycles_in_related_build_and_each_page_links_the_others(site, slug, others):
    url = f"/lardomar/{slug}/"
    linked = {Site.resolve(url, a["href"]).strip("/").rsplit("/", 1)[-1]
              for a in site.page(url).select(".md-content .ld-card__title a")}
    assert others <= linked and slug not in linked


# --- what must not build: every problem at once, in our words, no traceback ----------------

LAUGHS = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
    f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ", ".join([f"*{chr(ord('a') + n - 1)}"] * 9) + "]"
    for n in range(1, 10)])
VALID_FIELDS = "type: lesson\ntitle: \"T\"\nsummary: \"S.\"\ndate: 2024-01-01\nregion: lulea\ntheme: bostader\nactor: lkab\n"
BROKEN = {
    # file: (content, where the first problem is, words of its message)
    "latin1.sv.md": ("---\ntitle: Lärdom\n---\n".encode("latin-1"), "2:9", "UTF-8"),
    "tom.sv.md": (b"", "1:1", "filen är tom"),
    "lista.sv.md": (b"---\n- type: lesson\n---\n", "2:1", "namn: värde"),
    "skalar.sv.md": (b"---\nbara text\n---\n", "2:1", "namn: värde"),
    "bomb.sv.md": (f"---\n{LAUGHS}\n---\n".encode(), "2:4", "ankare och alias"),
    "djup.sv.md": (b"---\ntitle: " + b"[" * 10_000 + b"\n---\n", "2:27", "för många nivåer"),
    "stor-front.sv.md": (b"---\n" + b"k: v\n" * 20_000 + b"---\n", "1:1", "högst 32768"),
    "styrtecken.sv.md": (f"---\n{VALID_FIELDS}---\n\nText\x1b[2J.\n".encode(), "11:5", "U+001B"),
    # raw HTML is refused, whatever it is (the raw-html message quotes it)
    "skript.sv.md": (f"---\n{VALID_FIELDS}---\n\n<script>alert(1)</script>\n".encode(), "11:1",
                     "texten innehåller HTML ('<script>alert(1)</script>')"),
    "attribut.sv.md": (f"---\n{VALID_FIELDS}---\n\nBild: <img src=\"a.png\" onerror=\"alert(1)\">\n".encode(),
                       "11:7", "texten innehåller HTML ('<img src=\"a.png\" onerror=\"alert(1)\">')"),
    # a link target in <…> may hold a tab, which a browser drops: `javascript:`
    "js-lank.sv.md": (f"---\n{VALID_FIELDS}sources:\n  - title: \"K\"\n    url: \" JavaScript:alert(1)\"\n---\n\n"
                      "[Läs](<java\tscript:alert(1)>)\n".encode(), "11:10", "sources[1].url"),
    # nested thousands deep, on one line
    "djup-lista.sv.md": (f"---\n{VALID_FIELDS}---\n\n{'- ' * 10_000}x\n".encode(), f"11:{2 * ALLOWED_DEPTH + 1}",
                         f"fler än {ALLOWED_DEPTH} nivåer"),
    "djupa-citat.sv.md": (f"---\n{VALID_FIELDS}---\n\n{'>' * 10_000} x\n".encode(), f"11:{ALLOWED_DEPTH + 1}",
                          f"fler än {ALLOWED_DEPTH} nivåer"),
    "Min Lärdom.sv.md": (f"---\n{VALID_FIELDS}---\n".encode(), "1:1", "'min-lardom.sv.md'"),
    "sig-sjalv.sv.md": (f"---\n{VALID_FIELDS}related: [sig-sjalv]\n---\n".encode(), "9:11", "lärdomen själv"),
}


@pytest.fixture(scope="module")
def failed_timed(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("broken") / "project")
    for name, (content, _, _) in BROKEN.items():
        (project / "lessons" / name).write_bytes(content)
    result, seconds = timed_build(project)
    return project, result, seconds


@pytest.fixture(scope="module")
def failed(failed_timed):
    project, result, _ = failed_timed
    return project, result


def test_the_build_stops_and_publishes_nothing(failed):
    project, result = failed
    assert result.returncode != 0
    assert not (project / "site").exists()
    assert "Traceback" not in result.stdout + result.stderr
    assert f"Bygget stoppades: {len(BROKEN) + 1} fel i innehållet" in result.stderr  # js-lank.sv.md has two
    assert "Inget har publicerats" in result.stderr


def test_hostile_bodies_are_stopped_in_an_ordinary_builds_time(failed_timed):
    _, _, seconds = failed_timed
    assert seconds < BUILD_SECONDS, f"the build with hostile bodies took {seconds:.0f} s"


@pytest.mark.parametrize("name", BROKEN)
def test_every_broken_file_is_told_at_once_with_its_line_and_column(failed, name):
    _, result = failed
    _, where, words = BROKEN[name]
    lines = [line for line in result.stderr.splitlines() if f"lessons/{name}:{where}: " in line]
    assert lines and words in lines[0], result.stderr


def test_a_body_link_and_a_source_are_both_told(failed):
    _, result = failed
    # the message shows the tab as a space (white space in a message is folded)
    assert "lessons/js-lank.sv.md:14:8: länken 'java script:alert(1)' börjar med 'javascript:'" in result.stderr


def test_lardom_check_tells_the_same(failed):
    from click.testing import CliRunner

    from lardomsbanken.cli.main import main
    project, build_result = failed
    result = CliRunner().invoke(main, ["--root", str(project), "--today", "2026-06-18", "check"],
                                env={"LARDOM_LANG": None, "GITHUB_ACTIONS": None}, catch_exceptions=False)
    assert result.exit_code == 1
    for name, (_, where, _) in BROKEN.items():
        assert f"lessons/{name}:{where}: " in result.output, name


def test_broken_data_files_stop_the_build_with_our_messages(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "data" / "regions.yml").write_bytes("- id: skelleftea\n  name: Skellefteå\n".encode("latin-1"))
    (project / "data" / "themes.yml").write_text(LAUGHS + "\n", encoding="utf-8")
    (project / "data" / "actors.yml").write_text("[" * 10_000, encoding="utf-8")
    (project / "data" / "messages.yml").write_text("not-utf8: {sv: [\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0 and not (project / "site").exists()
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    # With messages.yml itself broken, the messages are codes, still with file, line and column.
    for where in ("data/regions.yml:2:", "data/themes.yml:1:4: [yaml-alias]", "data/actors.yml:1:21: [yaml-too-deep]",
                  "data/messages.yml:2:1: [yaml-syntax]"):
        assert where in output, output
