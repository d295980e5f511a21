"""Strict YAML: files that cannot be read, YAML syntax, and YAML's traps, with file:line:column."""

from __future__ import annotations

import time

import pytest

from lardomsbanken.load.yamlnodes import Mapping, Scalar, Sequence
from lardomsbanken.load.yamltext import parse

F = "lessons/x.sv.md"


# --- the file around the front matter ------------------------------------------------


def test_yaml_syntax_error_names_the_line(load, lesson, expect):
    result = load({"x.sv.md": lesson(summary="a: b")})  # line 4
    problem = expect(result, "yaml-syntax", F, 4, 11, "metadatablocket går inte att läsa",
                     "mapping values are not allowed here", "Kontrollera kolon, indrag och citattecken")
    assert result.lessons == {}
    assert problem.params == {"detail": "mapping values are not allowed here"}


def test_unclosed_quote_is_reported_on_the_line_after_it(load, lesson, expect):
    # The parser only notices on line 4; the message tells the editor to look at the line above too.
    result = load({"x.sv.md": lesson(title='"Titel')})  # the quote opens on line 3
    expect(result, "yaml-syntax", F, 4, None, "raden eller raden ovanför")


def test_yaml_syntax_error_counts_blank_lines_before_the_fields(load, expect):
    text = "---\n\n\ntype: lesson\ntitle: [\n---\n\nText.\n"
    expect(load({"x.sv.md": text}), "yaml-syntax", F, 6, 1)


def test_unclosed_front_matter(load, lesson, expect):
    text = lesson().replace("\n---\n\nText.", "\n\nText.")
    assert text.count("---") == 1
    expect(load({"x.sv.md": text}), "front-matter-unclosed", F, 1, 1,
           "metadatablocket avslutas aldrig", "'---'")


@pytest.mark.parametrize("text", ["Bara text.\n", "# Rubrik\n\n---\ntype: lesson\n---\n", " ---\ntype: lesson\n---\n"])
def test_no_front_matter(load, expect, text):
    expect(load({"x.sv.md": text}), "no-front-matter", F, 1, 1,
           "saknar metadatablock", "Börja filen med en rad '---'")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(load, expect, content):
    expect(load({"x.sv.md": content}), "empty-file", F, 1, 1, "filen är tom", "'---'")


def test_non_utf8_bytes_name_the_line(load, lesson, expect):
    raw = lesson(title='"Tit\u00e9l"').encode("utf-8").replace("é".encode(), "é".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    expect(load({"x.sv.md": raw}), "not-utf8", F, 3, 12, "inte sparad som UTF-8", "Spara den som UTF-8")  # at the é


@pytest.mark.parametrize("front, line, column", [
    ("- type: lesson\n- title: x\n", 2, 1),  # a list
    ("bara text\n", 2, 1),  # a plain scalar
    ("", 1, 1),  # nothing at all between the lines
    ("# bara en kommentar\n", 1, 1),
])
def test_front_matter_that_is_not_a_mapping(load, expect, front, line, column):
    text = f"---\n{front}---\n\nText.\n"
    expect(load({"x.sv.md": text}), "front-matter-not-mapping", F, line, column,
           "fält på formen 'namn: värde'")


# --- anchors and aliases -------------------------------------------------------------


def test_alias_is_refused(load, lesson, expect):
    result = load({"x.sv.md": lesson(theme="&t bostader", related="*t")})
    expect(result, "yaml-alias", F, 7, 8, "YAML-ankare och alias (& och *) är inte tillåtna", "Skriv ut värdet")
    assert result.lessons == {}


def test_anchor_alone_is_refused(load, lesson, expect):
    expect(load({"x.sv.md": lesson(theme="&t bostader")}), "yaml-alias", F, 7, 8)


def test_billion_laughs_is_refused_quickly(load, expect):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for number in range(1, 10):
        previous, name = chr(ord("a") + number - 1), chr(ord("a") + number)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "---\n" + "\n".join(levels) + "\n---\n\nText.\n"
    started = time.perf_counter()
    result = load({"x.sv.md": text})
    assert time.perf_counter() - started < 1.0
    expect(result, "yaml-alias", F, 2, 4)
    assert result.lessons == {}


# --- YAML's traps --------------------------------------------------------------------


@pytest.mark.parametrize("written", ["no", "yes", "No", "off", "true", "on"])
def test_yes_no_words_are_not_text(load, lesson, expect, written):
    problem = expect(load({"x.sv.md": lesson(title=written)}), "bool-not-text", F, 3, 8,
                     f"läses '{written}' som ja/nej-värde", f'Skriv det inom citattecken: "{written}"')
    assert problem.params == {"field": "title", "text": written}


@pytest.mark.parametrize("written", ["2482", "1.5", "0x1F", "1_000", "012"])
def test_numbers_are_not_text(load, lesson, expect, written):
    problem = expect(load({"x.sv.md": lesson(title=written)}), "number-not-text", F, 3, 8,
                     f"läses '{written}' som ett tal", f'"{written}"')
    assert problem.params["text"] == written


@pytest.mark.parametrize("written", ['"no"', "'2482'", '"yes"'])
def test_quoted_traps_are_text(load, lesson, written):
    result = load({"x.sv.md": lesson(title=written)})
    assert result.problems == []
    assert result.lessons["x"].versions["sv"].title == written[1:-1]


def test_duplicate_key_names_the_first_line(load, lesson, expect):
    text = lesson(related="[]").replace("related: []", "theme: finansiering")  # theme again on line 9
    problem = expect(load({"x.sv.md": text}), "yaml-duplicate-key", F, 9, 1,
                     "fältet 'theme' finns två gånger", "första gången på rad 7", "Ta bort det ena")
    assert problem.params == {"field": "theme", "first_line": 7}


def test_duplicate_key_inside_a_source(load, lesson, expect):
    sources = '\n  - title: "A"\n    url: "https://a.example"\n    title: "B"'
    expect(load({"x.sv.md": lesson(sources=sources)}), "yaml-duplicate-key", F, 12, 5, "första gången på rad 10")


def test_explicit_tag_is_refused_as_written(load, lesson, expect):
    expect(load({"x.sv.md": lesson(title="!!binary aGVq")}), "yaml-tag", F, 3, 8,
           "YAML-taggen '!!binary' är inte tillåten")


def test_complex_key_is_refused(load, lesson, expect):
    text = lesson().replace("actor: boverket", "actor: boverket\n? [a, b]\n: c")
    expect(load({"x.sv.md": text}), "yaml-complex-key", F, 9, 3, "ett fältnamn måste vara enkel text")


# --- the parser on its own -----------------------------------------------------------


def test_parse_keeps_positions_and_what_yaml_made_of_each_value():
    text = "a: 2024-05-01\nb: no\nc: \"no\"\nd: 2482\ne: ~\nf:\n  - x\n  - 'y'\n"
    result = parse(text, "f.yml", first_line=5)
    assert result.problems == []
    node = result.node
    assert isinstance(node, Mapping)
    assert node.keys["a"].line == 5 and node.keys["f"].line == 10
    date = node.values["a"]
    assert isinstance(date, Scalar) and date.value == "2024-05-01" and date.is_text  # no timestamps
    assert (node.values["b"].value, node.values["b"].quoted) == (False, False)
    assert (node.values["c"].value, node.values["c"].quoted) == ("no", True)
    assert node.values["d"].value == 2482 and node.values["d"].text == "2482"
    assert node.values["e"].value is None
    items = node.values["f"]
    assert isinstance(items, Sequence)
    assert [(i.value, i.position.line, i.position.column) for i in items.items] == [("x", 11, 5), ("y", 12, 5)]
    assert str(node.values["d"].position) == "f.yml:8:4"


def test_parse_empty_document_is_no_node():
    assert parse("", "f.yml").node is None
    assert parse("# kommentar\n", "f.yml").problems == []


@pytest.mark.parametrize("text, line, column", [
    ("a: [1, 2\nb: 3\n", 3, 2),
    ("a: b\n c: d\n", 3, 3),
    ("a: b\n\tc: d\n", 3, 1),
])
def test_parse_syntax_errors_are_positioned(text, line, column):
    result = parse(text, "f.yml", first_line=2)
    assert result.node is None
    assert [(p.code, p.position.line, p.position.column) for p in result.problems] == [("yaml-syntax", line, column)]


def test_parse_control_character_is_a_syntax_problem():
    result = parse("a: b\nc: \"x\x07\"\n", "f.yml")
    assert [(p.code, p.position.line) for p in result.problems] == [("yaml-syntax", 2)]


def test_parse_refuses_an_alias_before_expanding_it():
    bomb = "a: &a [" + ", ".join(["x"] * 50) + "]\n" + "".join(
        f"{chr(98 + i)}: [" + ", ".join([f"*{chr(97 + i)}"] * 50) + "]\n" for i in range(1)
    )
    result = parse(bomb, "f.yml")
    assert result.node is None
    assert [(p.code, str(p.position)) for p in result.problems] == [("yaml-alias", "f.yml:1:4")]
