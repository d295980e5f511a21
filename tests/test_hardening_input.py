"""Hostile and broken input, case by case: refused with a message that names the file,
the line and column, the field and what would be valid; quickly and in little memory.

The same rules hold for `lardom check` (checks.py reads with the same loader) and the
build (test_hardening_build.py).
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT, WORDS, read
from test_hardening_properties import runs_code

from lardomsbanken.load import body as bodies
from lardomsbanken.load.lessons import load_lessons
from lardomsbanken.load.vocabularies import load_site_data
from lardomsbanken.model.problems import ContentErrors
from lardomsbanken.runtime.cache import Memo

F = "lessons/x.sv.md"
SOURCE = '\n  - title: "Källa"\n    url: {url}'  # the url's value at line 11, column 10


def billion_laughs() -> str:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for number in range(1, 10):
        previous, name = chr(ord("a") + number - 1), chr(ord("a") + number)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(levels)


def measured(call):
    """What `call()` returns, the CPU seconds it took, and the peak of memory it allocated
    (in a second call: tracing memory slows Python down several times). CPU time, not the
    clock's: a machine busy with other work must not make a linear reading look slow."""
    started = time.process_time()
    result = call()
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak


# --- broken files: one clear problem, quickly, in bounded memory ---------------------------

BROKEN_FILES = {
    # name: (content, code, line, column, words in the Swedish message)
    "latin-1": ("---\ntitle: Lärdom\n---\n".encode("latin-1"), "not-utf8", 2, 9, "UTF-8"),
    "utf-16": ("---\ntitle: Lärdom\n---\n".encode("utf-16"), "not-utf8", 1, 1, "UTF-8"),
    "empty": (b"", "empty-file", 1, 1, "filen är tom"),
    "only blank lines": (b"\n \r\n\t\n", "empty-file", 1, 1, "filen är tom"),
    "a list": (b"---\n- type: lesson\n- title: x\n---\n", "front-matter-not-mapping", 2, 1, "namn: värde"),
    "a scalar": (b"---\nbara text\n---\n", "front-matter-not-mapping", 2, 1, "namn: värde"),
    "billion laughs": (f"---\n{billion_laughs()}\n---\n".encode(), "yaml-alias", 2, 4, "ankare och alias"),
    "10 000 [": (b"---\ntitle: " + b"[" * 10_000 + b"\n---\n", "yaml-too-deep", 2, 27, "för många nivåer"),
    "200 nested lists": (b"---\n" + b"".join(b" " * i + b"- \n" for i in range(200)) + b"---\n",
                         "yaml-too-deep", 22, 21, "för många nivåer"),
    "a huge front matter": (b"---\n" + b"k: v\n" * 200_000 + b"---\n", "front-matter-too-long", 1, 1,
                            "metadatablocket är 1000001 tecken långt men får vara högst 32768"),
    "an escape character": (b"---\ntitle: x\n---\n\nText\x1b[31m.\n", "control-character", 5, 5, "U+001B"),
    "a NUL": (b"---\ntitle: \"x\x00\"\n---\n", "control-character", 2, 10, "U+0000"),
    "a C1 control": ("---\ntitle: x\n---\nText\x85\n".encode(), "control-character", 4, 5, "U+0085"),
    "no closing line": (b"---\ntitle: x\n\nText.\n", "front-matter-unclosed", 1, 1, "avslutas aldrig"),
}


@pytest.mark.parametrize("content, code, line, column, words", BROKEN_FILES.values(), ids=BROKEN_FILES)
def test_a_broken_file_is_one_clear_problem_quickly(load, expect, content, code, line, column, words):
    result, seconds, peak = measured(lambda: load({"x.sv.md": content}))
    expect(result, code, F, line, column, words)
    assert result.lessons == {}
    assert seconds < 0.5, f"{seconds:.2f} s"
    assert peak < 30_000_000, f"{peak / 1e6:.0f} MB"


def test_several_control_characters_are_told_where_each_is(load, render):
    result = load({"x.sv.md": "---\ntitle: x\n---\n\nEtt\x07 två\x08\nTre\x1f\n"})
    assert [render(problem) for problem in result.problems] == [
        "lessons/x.sv.md:5:4: filen innehåller det osynliga styrtecknet U+0007, som inte får finnas i en lärdom. Ta bort det.",
        "lessons/x.sv.md:5:9: filen innehåller det osynliga styrtecknet U+0008, som inte får finnas i en lärdom. Ta bort det.",
        "lessons/x.sv.md:6:4: filen innehåller det osynliga styrtecknet U+001F, som inte får finnas i en lärdom. Ta bort det.",
    ]


@pytest.mark.parametrize("escape, shown", [("\\e", "U+001B"), ("\\0", "U+0000"), ("\\x07", "U+0007"),
                                           ("\\ud800", "U+D800"), ("\\uFFFE", "U+FFFE"), ("\\x85", "U+0085")])
def test_a_control_character_written_as_an_escape_names_the_field(load, lesson, expect, escape, shown):
    expect(load({"x.sv.md": lesson(title=f'"Titel{escape}"')}), "control-character-in-field", F, 3, 8,
           "fältet 'title'", shown, "Ta bort koden")


def test_line_separators_in_the_front_matter_do_not_shift_the_lines(load, lesson, expect):
    # YAML counts U+2028 and U+2029 as line breaks; an editor's editor shows one line.
    expect(load({"x.sv.md": lesson(title='"Rad\u2028två\u2029tre"', tema="bostader")}), "unknown-field", F, 9, 1)


def test_a_huge_title_within_the_limit_loads_quickly(load, lesson):
    title = "Ŧ" * 30_000
    result, seconds, _ = measured(lambda: load({"x.sv.md": lesson(title=f'"{title}"')}))
    assert result.problems == [] and result.lessons["x"].versions["sv"].title == title
    assert seconds < 0.5


def test_thousands_of_wrong_values_are_all_told_quickly(load, lesson):
    themes = "[" + ", ".join(f"tema{number}" for number in range(2_500)) + "]"
    result, seconds, _ = measured(lambda: load({"x.sv.md": lesson(theme=themes)}))
    assert [problem.code for problem in result.problems] == ["unknown-id"] * 2_500
    assert seconds < 1.0, f"{seconds:.2f} s"


HOSTILE_BODIES = {"<a": 200_000, "](": 200_000, "{": 400_000, "```a\n": 80_000, '<b title="x" ': 30_000,
                  "[x](finns-inte.md) ": 20_000, "`": 400_000, "&#": 200_000, "[": 400_000, "<a  onx=": 50_000,
                  # What GitHub's autolinks read: a run of address characters before an `@`, closing
                  # brackets and entities at an address's end.
                  "a_": 500_000, "https://a.se/" + ")" * 1_000_000: 1, "https://a.se/" + "&a;" * 300_000: 1,
                  "> ": 200_000, "- ": 200_000}  # lists and quotes inside each other, each line deeper


@pytest.mark.parametrize("piece, times", HOSTILE_BODIES.items(), ids=[repr(piece[:20]) for piece in HOSTILE_BODIES])
def test_a_huge_hostile_body_is_read_in_linear_time(load, lesson, piece, times):
    # About 1 MB each, read by the parser in linear time; our walk of its events must stay linear too.
    text = lesson(body=piece * times + "@x.se")
    started = time.process_time()  # CPU time: other work on the machine does not count
    result = load({"x.sv.md": text})
    seconds = time.process_time() - started
    assert len(result.problems) <= 200  # told in part, not a line per character
    assert seconds < 1.5, f"{seconds:.2f} s"


# Paragraphs Python-Markdown read in quadratic time (20 000 unclosed `[` took it about
# 85 s, a megabyte of them hours): lessons are no longer read by it. They are text.
COSTLY_PARAGRAPHS = {"[": 20_000, "[a](": 10_000, "![](": 10_000, "[^": 20_000, "<b x='": 20_000,
                     "[" * 3 + "text ": 20_000}


@pytest.mark.parametrize("piece, times", COSTLY_PARAGRAPHS.items(), ids=[repr(piece) for piece in COSTLY_PARAGRAPHS])
def test_a_paragraph_python_markdown_would_read_for_minutes_is_text_at_once(load, lesson, piece, times):
    text = lesson(body="Ett vanligt stycke först.\n\n" + piece * times + "\n\nOch ett sista.\n")
    result, seconds, _ = measured(lambda: load({"x.sv.md": text}))
    assert result.problems == []
    parsed = read(result.lessons["x"].versions["sv"])
    assert parsed.html.count("<p>") == 3 and parsed.text.endswith("Och ett sista.")
    assert seconds < 1.0, f"{seconds:.2f} s"


# --- what must be refused, with the field and what would be valid -------------------------

BAD_SOURCES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "   javascript:alert(1)", "java\\tscript:alert(1)",
               "java\\nscript:alert(1)", "\\x01javascript:x", "data:text/html;base64,PHNjcmlwdD4=", "DATA:x",
               "vbscript:msgbox(1)", "//evil.example/x", "file:///etc/passwd", "FILE://server/share",
               "https://exa\\u202emple.org", "https:///no-host", "http:\\\\\\\\evil.example", "mailto:a@b.se"]


@pytest.mark.parametrize("url", BAD_SOURCES)
def test_a_source_that_is_not_a_web_address_is_refused(load, lesson, expect, url):
    problems = load({"x.sv.md": lesson(sources=SOURCE.format(url=f'"{url}"'))}).problems
    if url.startswith("\\x01"):  # an invisible character before it: refused for that
        expect(problems, "control-character-in-field", F, 11, 10, "sources[1].url", "U+0001")
        return
    problem = expect(problems, "bad-url", F, 11, 10, "i 'sources[1].url' är inte en giltig webbadress",
                     "Skriv en fullständig adress som börjar med https:// eller http://")
    assert problem.params["field"] == "sources[1].url"


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG", "http://Skellefteå.se/ö",
                                 "https://user@example.org:8080/x"])
def test_web_addresses_are_fine(load, lesson, url):
    assert load({"x.sv.md": lesson(sources=SOURCE.format(url=f'"{url}"'))}).problems == []


BAD_BODIES = [
    # body, code, line in the body (from 0), column (or the columns of each), words in the first Swedish message
    ("[Läs](javascript:alert(1))", "unsafe-link", 0, 7, "'javascript:'"),
    ("[Läs]( JaVaScRiPt:alert(1))", "unsafe-link", 0, 8, "'javascript:'"),
    ("[Läs](<java\tscript:alert(1)>)", "unsafe-link", 0, 8, "'javascript:'"),
    ("[Läs](jav&#x61;script:alert(1))", "unsafe-link", 0, 7, "'javascript:'"),
    ("[Läs](javascript&colon;alert(1))", "unsafe-link", 0, 7, "'javascript:'"),
    ("![Bild](data:image/png;base64,iVBOR)", "unsafe-link", 0, 9, "'data:'"),
    ("[Läs](vbscript:x)", "unsafe-link", 0, 7, "'vbscript:'"),
    ("[Läs](file:///C:/hemligt.docx)", "unsafe-link", 0, 7, "'file:'"),
    ("[Läs][r]\n\n[r]: javascript:alert(1)", "unsafe-link", 0, 1, "'javascript:'"),  # where it is used
    ("<javascript:alert(1)>", "unsafe-link", 0, 1, "'javascript:'"),
    ('<a href="javascript:alert(1)">Läs</a>', "raw-html", 0, (1, 34), "HTML ('<a href=\"javascript:alert(1)\">')"),
    ("<a href='&#106;avascript:alert(1)'>Läs</a>", "raw-html", 0, (1, 39), "HTML ('<a href="),
    ('<img src="bild.png" alt="" onerror="alert(1)">', "raw-html", 0, 1, "HTML ('<img src="),
    ("<script>alert(1)</script>", "raw-html", 0, 1, "HTML ('<script>alert(1)</script>')"),
    ("Text <SCRIPT src=x></SCRIPT>", "raw-html", 0, (6, 20), "HTML ('<SCRIPT src=x>')"),  # each tag
    ('<iframe src="https://example.org"></iframe>', "raw-html", 0, 1, "HTML ('<iframe"),
    ("<style>body { display: none }</style>", "raw-html", 0, 1, "HTML ('<style>"),
    ('<form action="https://example.org"><input></form>', "raw-html", 0, 1, "HTML ('<form"),
    ("Första.\n\n<b>fet</b>, <em>kursiv</em>", "raw-html", 2, (1, 7, 13, 23), "HTML ('<b>')"),
    ('[Läs](https://example.org){: href="javascript:x" }', "legacy-attributes", 0, 27, "'{: href=\"javascript:x\" }'"),
    ("Stycke\n{: onmouseover=alert(1) }", "legacy-attributes", 1, 1, "'{: onmouseover=alert(1) }'"),
    ('Text\n\n<div markdown="1">\n*x*\n</div>', "legacy-markdown-in-html", 2, 1, 'markdown="1"'),
]


@pytest.mark.parametrize("body, code, line, columns, words", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_code_in_a_lesson_body_is_refused_where_it_stands(load, lesson, render, body, code, line, columns, words):
    result = load({"x.sv.md": lesson(body=body)})
    columns = columns if isinstance(columns, tuple) else (columns,)
    assert [(problem.code, str(problem.position)) for problem in result.problems] == \
        [(code, f"{F}:{11 + line}:{column}") for column in columns]
    assert render(result.problems[0]).startswith(f"{F}:{11 + line}:{columns[0]}: ")
    assert words in render(result.problems[0])
    assert runs_code(bodies.fill(bodies.parse(body, WORDS).html, [])) == []  # and none of it reaches the page


@pytest.mark.parametrize("body", [
    "```html\n<script>alert(1)</script>\n<img onerror=x>\n```\n",  # a fenced code block: shown as text
    "  ```\n<script>alert(1)</script>\n  ```",  # a fence may stand up to three spaces in
    "`<script>alert(1)</script>` och `<a href=\"javascript:x\">`",  # inline code: shown as text
    "[Läs](https://example.org) och [skriv](mailto:lardomar@example.org) eller [ring](tel:+46101234567).",
    "Den kostar < 5 kronor och tar > 2 dagar: data: SCB, online = ja.",
    "[^1]: Data: SCB 2024.",
    "<svg/onload=alert(1)>",  # no tag to CommonMark: text
    "[Läs](java\tscript:alert(1)) och [Läs](<java\nscript:alert(1)>)",  # no link to CommonMark: text
    '[Läs](https://example.org){ onclick="alert(1)" }',  # Python-Markdown's attributes are text now
    "Kommentar <!-- anteckning --> och\n\n<!--\nblock\n-->\n",  # notes to editors, not published
])
def test_ordinary_text_comments_and_code_are_fine_and_shown_as_text(load, lesson, body):
    result = load({"x.sv.md": lesson(body=body)})
    assert result.problems == []
    html = read(result.lessons["x"].versions["sv"]).html
    assert runs_code(html) == [] and "anteckning" not in html and "block" not in html


def test_a_link_with_a_scheme_is_not_also_a_missing_file(load, lesson, expect):
    expect(load({"x.sv.md": lesson(body="[Läs](jav&#x61;script:alert(1))")}), "unsafe-link", F, 11, 7)


@pytest.mark.parametrize("name, valid", [("Min Lärdom.sv.md", "min-lardom.sv.md"), ("Zink.sv.md", "zink.sv.md"),
                                         ("Bostäder i Luleå.en.md", "bostader-i-lulea.en.md"),
                                         ("ŊÁČ ŧest.sv.md", "nac-test.sv.md"), ("min_lärdom.SV.MD", "min-lardom.sv.md")])
def test_a_file_name_with_capitals_or_spaces_is_told_the_valid_name(load, lesson, expect, name, valid):
    expect(load({name: lesson()}), "bad-file-name", f"lessons/{name}", 1, 1, f"'{name}'", f"'{valid}'")


def test_related_naming_the_lesson_itself(load, lesson, expect):
    expect(load({"x.sv.md": lesson(related="[x]")}), "related-self", F, 9, 11, "'related' nämner lärdomen själv ('x')")


@pytest.mark.parametrize("remembered", [False, True])  # True: as the preview and the build cache read
def test_a_broken_link_is_told_not_a_traceback(expect, tmp_path, data, remembered):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "x.sv.md").symlink_to(tmp_path / "finns-inte.md")
    memo = Memo().files if remembered else None
    expect(load_lessons(tmp_path / "lessons", tmp_path, data, memo), "file-unreadable", F, 1, 1, "går inte att läsa")


@pytest.mark.parametrize("linked", [False, True])
def test_a_pipe_is_unreadable_and_never_waited_for(load, expect, tmp_path, linked):
    (tmp_path / "lessons").mkdir()
    pipe = tmp_path / ("rör" if linked else "lessons/x.sv.md")
    os.mkfifo(pipe)
    if linked:
        (tmp_path / "lessons" / "x.sv.md").symlink_to(pipe)
    expect(load({}), "file-unreadable", F, 1, 1, "går inte att läsa")


def test_messages_never_print_invisible_characters(load, lesson, render):
    # A right-to-left override would turn the rest of the editor's line around.
    problem = load({"x.sv.md": lesson(theme='"bo\u202estäder"')}).problems[0]
    assert problem.code == "unknown-id"
    assert "okänt id 'bo\\u202estäder'" in render(problem) and "\u202e" not in render(problem)


# --- the data files ------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


@pytest.mark.parametrize("name, content, code", [
    ("regions.yml", "- id: a\n  name: &n {sv: A, en: A}\n- id: b\n  name: *n\n", "yaml-alias"),
    ("themes.yml", f"{billion_laughs()}\n", "yaml-alias"),
    ("actors.yml", "[" * 10_000, "yaml-too-deep"),
    ("types.yml", "Lärdom".encode("latin-1"), "not-utf8"),
    ("labels.yml", "- en lista\n", "expected-mapping"),
    ("languages.yml", "kod: sv\n", "data-not-list"),
    ("dataset.yml", "publisher: [\n", "yaml-syntax"),
    ("messages.yml", "inte: [yaml\n", "yaml-syntax"),
    ("regions.yml", None, "data-file-missing"),
    ("themes.yml", "- id: bostader\n  name: {sv: \"Bo\\e\", en: Housing}\n", "control-character-in-field"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 30 and "\n" not in value else None)
def test_a_broken_data_file_is_a_problem_naming_it(data_copy, name, content, code):
    path = data_copy / "data" / name
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    def load_everything():
        from lardomsbanken.load.dataset import load_dataset_facts
        data = load_site_data(data_copy / "data", data_copy)
        load_dataset_facts(data_copy / "data", data_copy, data.language_codes)

    with pytest.raises(ContentErrors) as raised:
        load_everything()
    problems = raised.value.problems
    assert code in {problem.code for problem in problems}
    assert all(problem.position.file.startswith("data/") for problem in problems)
    assert f"data/{name}" in {problem.position.file for problem in problems}


def test_an_ordinary_lesson_body_has_no_findings_and_every_link_is_a_reference():
    text = ("## Rubrik\n\nEtt stycke med [en länk](annan-lardom.md) och [en till](https://example.org/sida). " * 4
            + "\n\n- punkt\n- punkt med *betoning*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n") * 10
    parsed = bodies.parse(text, WORDS)
    assert parsed.findings == ()
    assert [reference.target for reference in parsed.references] == ["annan-lardom.md"] * 40
