"""The quick reader of front matter in its common shape (yamlcommon.py) against YAML.

Whenever the quick reader accepts a text, its result (nodes, values, how each was
written, positions, problems) must be exactly what composing the text with YAML
gives (`yamlsource.parse_yaml`). The texts are generated near the common shape and
across its edges: keys, plain and quoted scalars of every kind YAML resolves, flow
and block lists, lists of mappings, comments, blank lines, indentation, trailing
spaces, and characters that are special to YAML or to editors.
"""

from __future__ import annotations

import yaml
from conftest import ROOT, make_lesson, make_translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench import corpus  # the benchmark's generated lessons
from lardomsbanken.load.frontmatter import BOUNDARY as _BOUNDARY
from lardomsbanken.load.yamlquick import read_common
from lardomsbanken.load.yamltext import YamlResult, parse, parse_yaml


def assert_same_as_yaml(text: str, first_line: int = 1) -> bool:
    """True when the quick reader accepted the text (and agreed with YAML)."""
    common = read_common(text, "f.md", first_line)
    if common is None:
        return False
    assert YamlResult(*common) == parse_yaml(text, "f.md", first_line), text
    return True


# --- generated texts near the common shape -------------------------------------------------


def mostly(usual, unusual):
    """Usually `usual`: most generated texts are in the common shape, some with an odd turn."""
    return st.integers(0, 15).flatmap(lambda number: unusual if number == 0 else usual)


SPECIAL = ":#,[]{}-?!&*|>'\"%@`\\ ~=<."
ODD = "\t\u2028\u2029\x85\ufeff\xa0\x07\u3000😀é\ufffe\u202e"
USUAL_WORDS = ["vindeln", "Skellefteå", "2024-05-01", "Ett två tre.", "ÅÄÖ åäö", "x" * 30, "https://example.se/a",
               "a-b_c", "Källa: rapport", "ǆ 😀", "a, b", "it's", "100 %"]
ODD_WORDS = [
    "2024-02-30", "12:30", "1:30", "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "Null", "NULL",
    "0", "-1", "+1", "1_000", "0x1F", "0o17", "017", "0b101", "1e3", "1.5", ".5", ".inf", "-.inf", ".nan", "1.2.3",
    "=", "<<", "a: b", "a:b", "a #b", "a#b", "a:", "a ", "https://example.se/a#b?c=d", 'say "hi"', "[a]", "a]",
    "{a}", "a}", "- a", "-a", "? a", "?a", "!x", "&a", "*a", "|", ">", "%x", "@x", "`x", "a\\b", "...", "---",
    "a  b", "a?b", "a!b", "a&b", "a*b",
]
CHARACTERS = mostly(st.sampled_from("abc XYZ019åäö" + SPECIAL), st.one_of(st.sampled_from(ODD), st.characters()))
WORD = mostly(st.sampled_from(USUAL_WORDS),
              st.one_of(st.sampled_from(ODD_WORDS), st.text(CHARACTERS, min_size=1, max_size=12)))


def double_quoted(text: str) -> str:
    return '"' + text + '"'


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


QUOTED = mostly(st.one_of(WORD.map(double_quoted), WORD.map(single_quoted)), st.sampled_from(
    ['""', "''", '"a\\"b"', '"a\\nb"', "'a''b'", "'a'b'", '"a"b"', '"unclosed', "'unclosed", '"a" x', "'a'#c"]))
SCALAR = st.one_of(WORD, WORD, QUOTED)
SPACES = mostly(st.just(""), st.sampled_from([" ", "  ", "   ", "\t", " \t", "\xa0"]))
COMMENT = mostly(st.just(""), st.sampled_from([" # kommentar", "  #", "#x", " #: a", " # - b", "\t# c"]))


@st.composite
def flow_lists(draw) -> str:
    items = draw(st.lists(SCALAR, max_size=4))
    separators = [draw(mostly(st.just(", "), st.sampled_from([",", " , ", " ,", ",  "]))) for _ in items]
    inner = "".join(item + separator for item, separator in zip(items, separators, strict=True))
    if draw(mostly(st.just(True), st.just(False))):
        inner = inner.rstrip(" ,")
    return "[" + draw(SPACES) + inner + draw(SPACES) + "]"


USUAL_KEYS = ["title", "summary", "type", "date", "updated", "region", "theme", "actor", "related", "sources", "url",
              "draft", "translated_from", "a", "A-1", "x_y", "_", "true", "null", "y", "no", "1"]
KEYS = st.lists(mostly(st.sampled_from(USUAL_KEYS), st.sampled_from(
    ["key with space", '"q"', "'q'", "-k", "k ", "?k", "k:k", "<<", "[k]", "å", "a" * 120, "title"])),
    max_size=8, unique=True)
INLINE = st.one_of(SCALAR, SCALAR, flow_lists())


@st.composite
def key_line(draw, key: str) -> str:
    """`key: value` with spaces and a comment, or `key:` with nothing or a comment after it."""
    colon = draw(mostly(st.just(": "), st.sampled_from([":", " : ", ":  "])))
    if draw(st.integers(0, 4)) == 0:
        return key + draw(mostly(st.just(":"), st.sampled_from([": ", ":  ", ": # c", ":#c"])))
    return key + colon + draw(INLINE) + draw(SPACES) + draw(COMMENT)


ODD_LINES = st.sampled_from(["", "  ", "# c", "  # c", "  - nested", "   more", "\t", "more", "- item", "..."])


@st.composite
def block_list(draw) -> list[str]:
    """A block list's lines: scalars or small mappings as items, at some indentation."""
    indent = " " * draw(mostly(st.sampled_from([0, 2]), st.sampled_from([1, 4])))
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        dash = indent + draw(mostly(st.just("- "), st.sampled_from(["-  ", "-", "-\t"])))
        if draw(st.booleans()):
            lines.append(dash + draw(SCALAR) + draw(SPACES) + draw(COMMENT))
        else:
            inner = " " * (len(dash) + draw(mostly(st.just(0), st.sampled_from([1, -1]))))
            keys = draw(KEYS.filter(bool).map(lambda keys: keys[:3]))
            lines.append(dash + draw(key_line(keys[0])))
            lines.extend(inner + draw(key_line(key)) for key in keys[1:])
        if draw(st.integers(0, 5)) == 0:
            lines.append(indent + draw(ODD_LINES))
    return lines


@st.composite
def front_matters(draw) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("")  # what is left of the `---` line
    for key in draw(KEYS):
        kind = draw(st.integers(0, 12))
        if kind <= 6:
            lines.append(draw(key_line(key)))
        elif kind <= 10:
            lines.append(key + draw(mostly(st.just(":"), st.sampled_from([": ", ": # c"]))))
            lines.extend(draw(block_list()))
        elif kind == 11:
            lines.append(draw(st.sampled_from(["", " ", "# kommentar", "  # indragen", "#", "   "])))
        else:
            lines.append(draw(st.sampled_from(["  ", " "])) + draw(key_line(key)))
        if draw(st.integers(0, 12)) == 0:
            lines.append(draw(ODD_LINES))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n"]))


@given(front_matters(), st.integers(1, 5))
@settings(max_examples=1_000)
@example("\ntitle: a\nupdated:\nregion:\n- x\n", 1)
@example("a: [b, 'c', \"d\"]  # k\nb: [ ]\nc: []\n", 2)
@example("sources:\n  - title: a\n    url: https://x.se/#a\n  -  title: b\n     url:\nx: 1\n", 1)
@example("a: =\nb: <<\nc: yes\nd: 0x1F\ne: .inf\nf: ~\ng: 1_0\n", 1)
@example("a: 😀 x\nb: [😀]\nc: 'é😀'\n", 1)
@example("a: 'x''y'  \nb: \"\"\n", 1)
@example("a: x\t\nb: \tc\n", 1)
@example("a: x\xa0\nb: y\u3000\nc: [z\xa0]\n", 1)
def test_the_quick_reader_agrees_with_yaml(text, first_line):
    assert_same_as_yaml(text, first_line)


def dump(front: dict, flow: bool) -> str:
    return yaml.safe_dump(front, allow_unicode=True, default_flow_style=flow, sort_keys=False, width=80)


VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(CHARACTERS, max_size=20), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(USUAL_KEYS), inner,
                                                                          max_size=3)),
    max_leaves=8)


@given(st.dictionaries(st.sampled_from(USUAL_KEYS), VALUES, max_size=6), st.booleans(), st.booleans())
def test_the_quick_reader_agrees_with_yaml_on_dumped_yaml(front, flow, indented):
    text = dump(front, flow)
    if indented:  # lists indented under their key, as many editors write them
        text = text.replace("\n- ", "\n  - ").replace("\n  ", "\n    ").replace("\n    - ", "\n  - ")
    assert_same_as_yaml(text)


# --- the shapes it must read itself (or the check is slow again) ----------------------------


def front_of(text: str) -> tuple[str, int]:
    matches = _BOUNDARY.finditer(text)
    opening, closing = next(matches), next(matches)
    return text[opening.end():closing.start()], text.count("\n", 0, opening.end()) + 1


def test_the_common_shapes_are_read_quickly_and_as_yaml_reads_them(tmp_path):
    texts = [make_lesson(), make_translation(), make_lesson(related="[a, b]", region="[norrbotten, lulea]"),
             *(path.read_text(encoding="utf-8") for path in sorted((ROOT / "lessons").glob("*.md")))]
    corpus.Corpus(20, seed=5).write(tmp_path)
    texts += [path.read_text(encoding="utf-8") for path in sorted(tmp_path.rglob("*.md"))]
    assert len(texts) > 40
    for text in texts:
        front, first_line = front_of(text)
        assert assert_same_as_yaml(front, first_line), front


def test_what_it_does_not_know_goes_to_yaml():
    for text in ["a: |\n  x\n", "a: &x b\n", "a: !!str b\n", "a:\n  b: c\n", "a: b\n  c\n", "a: b\na: c\n",
                 "a:\tb\n", "- a\n", "a: {b: c}\n", "a: \"x\\\"y\"\n", "a: x\u2028y\n", "", "# c\n"]:
        assert read_common(text, "f.md", 1) is None, text
    assert parse("a: b\na: c\n", "f.md").problems[0].code == "yaml-duplicate-key"
