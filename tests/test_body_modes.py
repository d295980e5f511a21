"""The quick readings of a body are the full one with less written, never with less found.

`body.parse` reads a body without offsets (most bodies have nothing to tell),
again with offsets where something must be told (`ranged`), and for
`lardom check` without writing HTML (`render=False`). All are the same walk
of the same parser's events, so they must find the same things in the same
order; these properties hold them to it on bodies made of the pieces of
Markdown that matter: links to lessons and files, images, raw HTML and
comments, code, Python-Markdown's syntax, alerts, headings, lists, tables
and footnotes.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lardomsbanken.load import body

WORDS = body.Words({"note": "Obs", "tip": "Tips", "important": "Viktigt", "warning": "Varning", "danger": "Se upp"},
                   "Tillbaka till fotnot {number}", "Uppgift")

PIECES = [
    "Text med ord. ", "Ännu en mening, på svenska. ", "[en lärdom](annan-lardom.md)", "[samma](annan.sv.md#rubrik)",
    "![karta](bilder/karta.png)", "![extern](https://example.org/a.png)", "[js](javascript:alert(1))",
    "[data](data:text/html,x)", "<b>fet</b>", "<!-- en kommentar -->", "<script>x</script>", "`kod [x](y.md)`",
    "https://example.org/a_(b).", "www.example.se", "namn@example.se", "*kursiv*", "**fet**", "~~struken~~",
    "{: .klass }", "[^1]", "\\[inte länk](x.md)", "[ref][r]", "<div markdown=\"1\">", "ä" * 3, "[", "]", "(", ")",
]
BLOCKS = [
    "## Rubrik", "### Underrubrik {: #id }", "> [!NOTE]\n> Obs här.", "> [!WARNING]\n> Se upp.", "> citat [l](l.md)",
    "- punkt\n- [x] klar\n- [ ] inte klar", "1. ett\n2. två", "```python\n[x](kod.md) <b>\n```", "```{ .python }\nx\n```",
    "!!! note \"Titel\"\n    text", "Term\n: definition", "*[EU]: Europeiska unionen", "[TOC]",
    "| a | b |\n|:-:|--:|\n| [c](c.md) | d |", "[^1]: En fotnot med [länk](f.md).", "[r]: ref.md", "<div>\nhtml\n</div>",
    "    indragen kod [x](i.md)", "---",
]
paragraph = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
bodies = st.lists(st.one_of(paragraph, st.sampled_from(BLOCKS)), min_size=1, max_size=10).map("\n\n".join)


def _found(parsed: body.Body) -> tuple:
    return ([(finding.code, finding.params) for finding in parsed.findings],
            [(reference.target, reference.image) for reference in parsed.references])


@given(bodies)
def test_reading_with_offsets_finds_the_same_as_reading_without(markdown):
    quick, ranged = body.parse(markdown, WORDS), body.parse(markdown, WORDS, ranged=True)
    assert _found(quick) == _found(ranged)
    assert quick.html == ranged.html and quick.text == ranged.text and quick.headings == ranged.headings


@given(bodies)
def test_the_check_finds_the_same_as_the_build(markdown):
    built, checked = body.parse(markdown, WORDS), body.parse(markdown, WORDS, render=False)
    assert _found(built) == _found(checked)
    assert checked.html == "" and checked.text == ""


@given(bodies)
def test_every_offset_points_into_the_body_at_what_was_found(markdown):
    ranged = body.parse(markdown, WORDS, ranged=True)
    source = markdown.encode("utf-8")
    for reference in ranged.references:
        assert 0 <= reference.offset < len(source)
        # A link's offset is where its target is written, or where the link starts.
        assert source[reference.offset:].startswith(reference.target.encode("utf-8")) or \
            source[reference.offset:reference.offset + 1] in (b"[", b"!")
    for finding in ranged.findings:
        assert 0 <= finding.offset <= len(source)
