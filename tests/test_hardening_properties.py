"""Property-based tests (hypothesis): whatever a lesson file holds, loading it either
succeeds or ends with our own problems, each naming the file and a line in it, in
words from data/messages.yml; never another exception.

The files are generated: random bytes, random text, front matter with values of
every YAML type (text, numbers, yes/no, null, dates, lists, nested mappings), fields
missing and fields extra, very long strings, control characters (NUL, \\x0b, ESC,
U+2028/2029, a BOM inside the text, lone surrogates by YAML escape), right-to-left
text and overrides, combining characters, Sami letters, emoji with joiners, and
Markdown and HTML that try to run code. Examples and time limits: the profiles in
conftest.py.
"""

from __future__ import annotations

import datetime
import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, make_lesson, make_translation, read
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lardomsbanken.check import collection as checks
from lardomsbanken.load import body as bodies
from lardomsbanken.load.lessons import LoadResult, load_lessons
from lardomsbanken.load.safety import forbidden_characters
from lardomsbanken.load.vocabularies import SiteData, load_site_data
from lardomsbanken.load.yamlnodes import Mapping, Scalar, Sequence
from lardomsbanken.load.yamltext import parse
from lardomsbanken.model.problems import Problem
from lardomsbanken.model.schema import lesson_fields

# --- what the files are made of ---------------------------------------------------------

SAMI = "áčđŋšŧžÁČĐŊŠŦŽ"
SPECIAL_TEXTS = [
    "Ávjovárgeaidnu Čáhcesuolu Đ ŋ š ŧ ž",  # Sami
    "مرحبا بالعالم", "שלום עולם", "abc\u202edef", "\u2066isolerad\u2069", "\u061cx",  # right to left
    "e\u0301 a\u0308 o\u0308 Z\u0337\u0327\u0300",  # combining
    "👩\u200d👩\u200d👧\u200d👦 🇸🇪 🏳️\u200d🌈 👍🏽",  # emoji, joiners, flags, skin tones
    "a\x00b", "a\x0bb", "a\x1b[31mröd", "a\u2028b\u2029c", "a\ufeffb", "\x7f\x85\x9f", "\ufffe",
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<img src=x onerror=alert(3)>",
    "& &amp; &lt; \" ' ` *x* _y_ [a](b) # h | t | {: onclick=x }", "]]> <!-- --> <![CDATA[x]]>",
    "yes", "no", "on", "off", "~", "null", "0x1F", "1e3", ".inf", "2024-02-30", "2024-06-18", "12:30:00",
    ": ", "- ", "? ", "&anker", "*alias", "!tagg", "%YAML", "@", "|", ">", "#", "{", "[", "'", '"', "\\",
]
CHARACTERS = st.one_of(st.characters(), st.sampled_from(SAMI + "\x00\x0b\x1b\u2028\u2029\ufeff\u202e\u0301\u200d"))
SHORT_TEXT = st.one_of(st.text(CHARACTERS, max_size=40), st.sampled_from(SPECIAL_TEXTS))
LONG_TEXT = st.builds(lambda piece, times: piece * times, st.text(CHARACTERS, min_size=1, max_size=8),
                      st.integers(200, 1000))  # up to 8 000 characters; longer ones in test_hardening_input.py
TEXT = st.one_of(SHORT_TEXT, SHORT_TEXT, SHORT_TEXT, LONG_TEXT)

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.dates(), st.datetimes())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(SHORT_TEXT, inner, max_size=4)),
                      max_leaves=12)

VALID = {
    "type": st.sampled_from(["lesson", "case"]),
    "title": TEXT, "summary": TEXT,
    "date": st.dates().map(datetime.date.isoformat), "updated": st.dates().map(datetime.date.isoformat),
    "period": st.one_of(st.integers(1700, 2100), st.sampled_from(["2020–2024", "2024–", "2024-2020", "–2024", "2020–2024–"])),
    "region": st.sampled_from(["skelleftea", ["norrbotten", "lulea"], "hela-sverige", "Skellefteå"]),
    "theme": st.sampled_from(["bostader", ["bostader", "bostader"], ["kompetensforsorjning", "bostader"]]),
    "actor": st.sampled_from(["boverket", ["lkab", "boverket"]]),
    "industry": st.sampled_from(["stal", ["energi", "bygg"], "bageri"]),
    "related": st.lists(st.sampled_from(["x", "y", "z", "Z Z", ""]), max_size=3),
    "sources": st.lists(st.fixed_dictionaries({"title": TEXT, "url": st.sampled_from(
        ["https://example.org/a", "javascript:alert(1)", " JaVaScRiPt:x", "java\tscript:x", "data:text/html,x",
         "//example.org", "file:///etc/passwd", "https://exa mple.org", "https://example.org/\u202e"])}),
        max_size=3),
}
# A front matter: each field valid, of a random type, or missing; extra fields besides.
# Every field of the format with the project's own facets (data/facets.yml).
FIELDS = [spec.name for spec in lesson_fields(load_site_data(ROOT / "data", ROOT).facets) if not spec.translation_only]
FRONT = st.fixed_dictionaries({}, optional={**{name: st.one_of(VALID[name], VALUES) for name in FIELDS},
                                            "extra": VALUES, "draft": VALUES, "translated_from": VALUES})
RAW_FRONT = st.lists(st.one_of(SHORT_TEXT, st.sampled_from(
    ["title: ", "theme: [", "]", "\n", "\n  - ", ": ", "&a ", "*a", "!!binary ", "'", '"', "\t", "? ", "{", "}", ",",
     "---", "...", "%YAML 1.1\n", "- ", "|\n  ", ">\n  ", "#", "\\x1b", "\\0", "\\ud800", "[" * 60])), max_size=30).map("".join)
BODY = st.lists(st.one_of(TEXT, st.sampled_from(
    ["\n\n", "# Rubrik\n", "[länk](x.md)", "[länk](https://example.org)", "![bild](bild.png)", "`kod`", "```\n",
     "<script>alert(1)</script>", "[x](javascript:alert(1))", "<b onclick=x>", "{ onclick=x }", "\r\n", "\t",
     "---\n", "| a | b |\n|---|---|\n"])), max_size=12).map("".join)


def dump(front: dict, flow: bool) -> str:
    return yaml.safe_dump(front, allow_unicode=True, default_flow_style=flow, sort_keys=False, width=80)


@st.composite
def lesson_files(draw) -> bytes:
    """A whole lesson file: front matter (dumped or raw) and a body, in one of several encodings."""
    front = dump(draw(FRONT), draw(st.booleans())) if draw(st.booleans()) else draw(RAW_FRONT)
    text = "---\n" + front + "\n---\n" + draw(BODY)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf-8") else "replace")


FILE_NAMES = st.one_of(
    st.sampled_from(["a.sv.md", "a.en.md", "b.sv.md", "under/a.sv.md", "under/c.en.md", "index.sv.md", "Min Lärdom.sv.md",
                     "A.SV.MD", "a.de.md", "a.sv.markdown", "aa.svenska.md", "ä.sv.md", "x y.en.md", "-.sv.md"]),
    st.text(st.sampled_from("abz019-" + SAMI + " ÅÄÖ😀"), min_size=1, max_size=20).map(lambda stem: stem + ".sv.md"),
)

# --- what every outcome must be -------------------------------------------------------------

# The site's data, read once; not the `data` fixture, whose repr would fill a failing example's report.
DATA = load_site_data(ROOT / "data", ROOT)
WORDS = bodies.words_from(DATA.labels, "sv")

INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def load_files(files: dict[str, bytes], data: SiteData = DATA) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            path = root / "lessons" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        return load_lessons(root / "lessons", root, data)


def assert_loaded_or_told(result: LoadResult, files: dict[str, bytes], data: SiteData = DATA) -> None:
    written = {f"lessons/{name}": content for name, content in files.items()}
    for problem in result.problems:
        assert_our_problem(problem, data)
        assert problem.position.file in written, problem
        lines = len(re.split(rb"\r\n|\r|\n", written[problem.position.file]))
        assert 1 <= problem.position.line <= lines and problem.position.column >= 1, problem
    told = {problem.position.file for problem in result.problems}
    loaded = {version.path for lesson in result.lessons.values() for version in lesson.versions.values()}
    loaded |= {path for lesson in result.lessons.values() for path in lesson.unfinished.values()}
    for path in written:
        if path.endswith(".md"):  # anything else is a file next to a lesson (an asset)
            assert path in loaded or path in told, f"{path} was neither loaded nor told about"
    for lesson in result.lessons.values():
        for version in lesson.versions.values():
            page = bodies.fill(read(version).html, ["x/"] * len(version.targets))
            for text in (version.title, version.summary, read(version).text, page):
                assert not forbidden_characters(text), version.path


def assert_our_problem(problem: Problem, data: SiteData = DATA) -> None:
    assert isinstance(problem, Problem)
    assert problem.code in data.messages.messages, f"no words for {problem.code}"
    for language in ("sv", "en"):
        line = data.messages.render(problem, language)
        assert line.startswith(f"{problem.position.file}:{problem.position.line}:{problem.position.column}: "), line
        assert not INVISIBLE.search(line), f"invisible characters printed: {line!r}"
        assert "{" + "did_you_mean" not in line


# --- loading ---------------------------------------------------------------------------------


@given(st.binary(max_size=400))
@example(b"\xff\xfe---\n")
@example(b"---\ntitle: \xe9\n---\n")
def test_any_bytes(raw):
    files = {"x.sv.md": raw}
    assert_loaded_or_told(load_files(files), files)


@given(st.text(CHARACTERS, max_size=400), st.booleans())
@example("---\n- en lista\n---\n", False)
@example("---\n" + "[" * 10_000 + "\n---\n", False)
@example("---\na: &a [x]\nb: [*a, *a]\n---\n", False)
def test_any_text(text, with_boundary):
    files = {"x.sv.md": (("---\n" if with_boundary else "") + text).encode("utf-8", "surrogatepass")}
    assert_loaded_or_told(load_files(files), files)


@given(FRONT, st.booleans(), BODY)
@settings(max_examples=150)
def test_front_matter_of_any_types(front, flow, body):
    files = {"a.sv.md": ("---\n" + dump(front, flow) + "---\n\n" + body).encode("utf-8", "surrogatepass"),
             "b.sv.md": make_lesson(related="[a]").encode("utf-8")}
    assert_loaded_or_told(load_files(files), files)


def quoted(text: str, style: str) -> str:
    """A YAML double-quoted scalar: JSON's (escapes for controls), or PyYAML's own."""
    if style == "json":
        return json.dumps(text, ensure_ascii=False)
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).removesuffix("\n...\n").strip()


@given(TEXT, TEXT, BODY, st.sampled_from(["json", "yaml"]), st.booleans())
@example("<script>alert(1)</script> & \"x\" *y*", "a\x1bb", "", "json", False)
@example("👩\u200d👩\u200d👧 \ufeff Ávjovárgeaidnu \u202eabc", "e\u0301", "\x00", "yaml", True)
@example("\ud800", "S.", "", "json", False)  # written as it is: not UTF-8
@example("\ud800", "S.", "", "yaml", False)  # written as an escape: a control character in the field
def test_a_lesson_with_any_title_summary_and_body(title, summary, body, style, crlf):
    """Everything else right: the lesson loads with exactly the text written, or is refused for it."""
    text = make_lesson(body=body, title=quoted(title, style), summary=quoted(summary, style))
    files = {"a.sv.md": (text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass")}
    result = load_files(files)
    assert_loaded_or_told(result, files)
    codes = {problem.code for problem in result.problems}
    if "not-utf8" in codes:  # a lone surrogate written as it is: not UTF-8, refused as a whole
        return
    if forbidden_characters(body):
        assert "control-character" in codes
    if not codes & {"control-character", "front-matter-too-long"}:  # else the file is refused as a whole
        for field, value in (("title", title), ("summary", summary)):
            if forbidden_characters(value):
                assert "control-character-in-field" in codes, (field, value)
            elif not value.split():
                assert "empty-value" in codes, (field, value)
    if not result.problems:
        version = result.lessons["a"].versions["sv"]
        assert (version.title, version.summary) == (" ".join(title.split()), " ".join(summary.split()))
        written = (body.replace("\n", "\r\n") if crlf else body).replace("\r\n", "\n").replace("\r", "\n")
        parsed = bodies.parse(written, WORDS)  # blank lines before it go, and change nothing
        assert (read(version).html, read(version).text, read(version).headings) == \
            (parsed.html, parsed.text, parsed.headings)


@given(st.dictionaries(FILE_NAMES, lesson_files(), max_size=3))
@settings(max_examples=100)
@example({"a.sv.md": "---\nx:\n  ? '\u2028\u2028 '\n  : null\ny:\n  ? '\u2028\u2028 '\n  : null\ntitle: ''\n---\n".encode()})
def test_several_files_of_any_names_and_contents(files):
    assert_loaded_or_told(load_files(files), files)


@given(st.dictionaries(FILE_NAMES, st.one_of(lesson_files(), st.just(make_lesson().encode()),
                                             st.just(make_translation().encode())), max_size=4))
@settings(max_examples=100)
def test_lardom_check_gives_only_our_problems(files):
    # `lardom check` adds warnings (translations, age) to the loader's problems; the
    # vocabularies are the session's, read once (reading data/ takes a third of a second).
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(checks, "load_site_data", return_value=DATA):
        root = Path(folder)
        for name, content in files.items():
            (root / "lessons" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "lessons" / name).write_bytes(content)
        result = checks.check(root, datetime.date(2026, 6, 18))
    for problem in result.problems:
        assert_our_problem(problem)
        assert problem.position.file.removeprefix("lessons/") in files, problem


# --- the YAML reader -------------------------------------------------------------------------


@given(st.one_of(RAW_FRONT, st.text(CHARACTERS, max_size=300), FRONT.map(lambda front: dump(front, False))))
@example("[" * 10_000)
@example("- " * 5_000)
@example("a: &a [1]\nb: *a\n")
def test_the_yaml_reader_returns_nodes_or_problems(text):
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # as read from a file: no lone surrogates
    result = parse(text, "f.yml", first_line=3)
    assert result.node is None or isinstance(result.node, (Scalar, Sequence, Mapping))
    for problem in result.problems:
        assert problem.position.file == "f.yml" and problem.position.line >= 3 and problem.position.column >= 1
        assert problem.code.startswith("yaml-")


# --- the body: whatever it holds, the page runs no code of it -------------------------------

# Refused wherever they stand outside code: raw HTML and links that run code.
REFUSED = ["<script>alert(1)</script>", "<SCRIPT SRC=x>", "<img src=x onerror=alert(1)>", "<iframe srcdoc=x>",
           "<a href=\"javascript:alert(1)\">a</a>", "<a href='jav&#x61;script:alert(1)'>a</a>",
           "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](<java\tscript:x>)", "[a]( vbscript:x)",
           "![i](data:text/html,x)", "[a][r]\n\n[r]: javascript:x\n", "[a][]\n\n[a]:\n  data:x\n",
           "<a title=\">\" onclick=x>", "<scr<script>ipt>", "<!-- <img src=x onerror=y>", "[a](javascript&colon;x)",
           "<javascript:alert(1)>"]
# What Python-Markdown read as code, CommonMark as text (or syntax of old, told as such).
TEXT_NOW = ["<svg/onload=alert(1)>", "[a](java\nscript:alert(1))", "[a](https://ok.se){ onclick=\"alert(1)\" }",
            "[a](https://ok.se){ href=\"javascript:x\" }", "# h { onmouseover=x }", "para\n{: onclick=x }\n",
            "<img src=x onerror=x", "``` { onclick=x }\nkod\n```\n", "<b/onclick=x>"]
DANGER = REFUSED + TEXT_NOW
HARMLESS = ["text", "\n\n", "\n", "```\n", "```python\n", "~~~\n", "`", "    ", "- ", "> ", "<b>", "</b>", "<div>",
            "<div markdown=\"1\">", "</div>", "[a](x.md)", "[a](https://example.org/a:b)", "mailto:a@b.se",
            "{: .klass }", "<!--", "-->", "*", "\\", "(", ")", "]", "[", "<", ">", "\"", "'", "&", ";", ":", "\t",
            "> [!WARNING]\n> ", "[^1]", "[^1]: ", "| a |\n|---|\n| ", "https://example.org/(a", "www.x.se"]
BODY_PIECES = st.lists(st.one_of(st.sampled_from(DANGER), st.sampled_from(HARMLESS), st.sampled_from(HARMLESS)),
                       max_size=12).map("".join)
DANGEROUS_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file):")


def runs_code(html: str) -> list[str]:
    """What in rendered HTML a browser would run or follow into code."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name in ("script", "iframe", "object", "embed", "svg", "style", "base", "form", "meta", "link"):
            found.append(element.name)
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(name)
            for one in values:
                url = re.sub(r"[\t\n\r]", "", one).strip("".join(map(chr, range(0x21)))).lower()
                if DANGEROUS_SCHEME.match(url):
                    found.append(f"{name}={one}")
    return found


@given(BODY_PIECES)
@example("```\n<script>alert(1)</script>\n```")  # a fenced block: shown as text
@example("```\n<script>z</script>\n```\t\n<script>alert(1)</script>\n```")  # the tab ends the block
@example("  ```\n<script>alert(1)</script>\n  ```")  # indented: a fence all the same
@example("[a](b [c](javascript:x)")
@example("<div>\n<script>alert(1)</script>\n")
def test_no_body_renders_code_that_runs_and_none_leaves_a_tag_open(body):
    # Raw HTML is refused and never written, a link that runs code loses its address: whatever
    # the findings, the page runs nothing of the body. The page goes on after the body: a tag
    # left open there would take the next one in.
    parsed = bodies.parse(body, WORDS)
    page = bodies.fill(parsed.html, ["../x/"] * len(parsed.references)) + '<ul class="ld"><li>x</li></ul>\n'
    assert runs_code(page) == [], page
    assert BeautifulSoup(page, "html.parser").find("ul", class_="ld").parent.name == "[document]", page


CODE_OR_ESCAPE = ("```", "~~~", "`", "    ", "\t", "\\", "<!--")


@given(st.sampled_from(REFUSED), st.sampled_from(HARMLESS), st.sampled_from(HARMLESS))
def test_every_refused_piece_is_found_wherever_it_stands_outside_code(danger, before, after):
    text = before + danger + after
    if any(piece in before for piece in CODE_OR_ESCAPE):  # code, or an escape, before it makes it text
        return
    if danger.startswith("<!--") and "-->" in after:  # a comment, closed: a note to editors
        return
    assert bodies.parse(text, WORDS).findings, text


@pytest.mark.parametrize("text", TEXT_NOW)
def test_what_python_markdown_ran_is_text_now_or_told_as_old_syntax(text):
    parsed = bodies.parse(text, WORDS)
    assert {finding.code for finding in parsed.findings} <= {"legacy-attributes", "legacy-fence-attributes"}
    assert runs_code(parsed.html) == []
