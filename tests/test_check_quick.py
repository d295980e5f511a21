"""The quicker ways `lardom check` reads a lesson give what the plain ways gave.

Each shortcut taken for speed (issue 5) is held here to the simple form it
replaced, on generated input: positions in a body found only when a problem is
told (from the parser's byte offsets), the byte test before the forbidden-character
scan, the web-address test and the message formatting. The quick YAML reader
has its own tests in test_yamlquick.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from conftest import ROOT
from hypothesis import example, given
from hypothesis import strategies as st

from lardomsbanken.load import body
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.safety import _SPACE, forbidden_characters, is_web_address, may_hold_forbidden
from lardomsbanken.load.yamltext import decode

MARKDOWN = st.text(st.one_of(st.sampled_from("[]()!<>\\ \n\t`~:#\"'ab.md/åÅ€"), st.characters(exclude_categories=("Cs",))),
                   max_size=120)  # text read from UTF-8: no lone surrogates


def listed_line_and_column(text: str, index: int) -> tuple[int, int]:
    """The 0-based line and 1-based column of a character, from a list of line starts."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    line = bisect_right(starts, index) - 1
    return line, index - starts[line] + 1


@st.composite
def text_and_index(draw) -> tuple[str, int]:
    text = draw(MARKDOWN)
    return text, draw(st.integers(0, len(text)))


@given(text_and_index())
@example(("å\n€ [x](y.md)", 4))
def test_a_byte_offset_gives_the_line_and_column_a_list_of_lines_gives(text_index):
    # The parser counts in UTF-8 bytes; editors read characters.
    text, index = text_index
    offset = len(text[:index].encode("utf-8"))
    assert body.position(text, offset) == listed_line_and_column(text, index)


@given(st.text(st.one_of(st.characters(), st.sampled_from("\x00\x0b\x1b\x7f\x85\x9f\ufdd0\ufdef\ufffe\uffff\ufeffå"))))
@example("\ufeffa\r\nb")
def test_bytes_without_a_suspect_byte_decode_to_allowed_text(text):
    raw = text.encode("utf-8", "surrogatepass")
    decoded, _ = decode(raw, "f.md")
    if decoded is not None and forbidden_characters(decoded):
        assert may_hold_forbidden(raw)


@given(st.text(st.one_of(st.characters(), st.sampled_from(" \t\n\xa0\u2028\u3000\x85\x1c"))))
@example("https://example.org/\u202e")
@example("https://exa mple.org")
def test_web_addresses_refuse_what_they_refused(url):
    shown_or_spaced = any(c.isspace() or not c.isprintable() for c in url)
    assert (not url.isprintable() or bool(_SPACE.search(url))) == shown_or_spaced
    if shown_or_spaced:
        assert not is_web_address(url)


def test_the_catalogue_fills_every_message_and_keeps_a_missing_parameter_visible():
    # Through the catalogue itself: every message of both languages with all its parameters,
    # and with one left out, which must stay in the text as `{name}` rather than fail.
    catalogue = MessageCatalogue.load(ROOT / "data" / "messages.yml")
    count = 0
    for code, entry in catalogue.messages.items():
        for language, template in ((key, text) for key, text in entry.items() if key in ("sv", "en")):
            names = sorted(set(re.findall(r"\{([a-z_]+)", template)) - {"did_you_mean"})
            for given_names in (names, names[1:]):
                params = {name: f"<{name}>" for name in given_names}
                text = catalogue.text(code, language, **params)
                for name in given_names:
                    assert f"<{name}>" in text, (code, language, name)
                for missing in set(names) - set(given_names):
                    assert "{" + missing + "}" in text, (code, language, missing)
                count += 1
    assert count > 100
