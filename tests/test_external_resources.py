"""No request leaves the site: a lesson may link to other websites, but not show their images or files."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import WORDS

from lardomsbanken.load import body

F = "lessons/x.sv.md"


@pytest.mark.parametrize("text, line, column, target", [
    ("![Karta](https://example.org/karta.png)", 11, 10, "https://example.org/karta.png"),
    ("![Karta](<http://example.org/karta.png>)", 11, 11, "http://example.org/karta.png"),
    ("![Karta](HTTPS://example.org/karta.png \"Titel\")", 11, 10, "HTTPS://example.org/karta.png"),
    ("![Karta](//example.org/karta.png)", 11, 10, "//example.org/karta.png"),
    ("![Karta](\\\\\\\\example.org\\\\karta.png)", 11, 10, "\\\\example.org\\karta.png"),  # \\host\share
    ("![Karta](ht&#x74;ps://example.org/karta.png)", 11, 10, "https://example.org/karta.png"),
    ("Text.\n\n![Karta][karta]\n\n[karta]: https://example.org/karta.png", 13, 1, "https://example.org/karta.png"),
    ("![Karta]\n\n[karta]: https://example.org/karta.png", 11, 1, "https://example.org/karta.png"),
    ("[![Karta](https://example.org/karta.png)](https://example.org/)", 11, 11, "https://example.org/karta.png"),
])
def test_an_image_from_another_host_is_refused_where_it_is_written(load, lesson, expect, text, line, column, target):
    # A reference-style image is told where it is used, the address where it is written.
    result = load({"x.sv.md": lesson(body=text)})
    problem = expect(result, "external-resource", F, line, column, f"'{target}'")
    assert problem.params == {"target": target}


@pytest.mark.parametrize("text", [
    '<img src="//example.org/karta.png" alt="">',
    "<img src='\\\\example.org/karta.png' alt=''>",
    '<img src="karta.png" srcset="karta.png 1x, https://example.org/stor.png 2x" alt="">',
    '<video poster="HTTPS://example.org/p.jpg"></video>',
    '<img src="ht&#x74;ps://example.org/karta.png" alt="">',
])
def test_html_that_would_fetch_from_another_host_is_refused_as_html(load, lesson, text):
    assert {problem.code for problem in load({"x.sv.md": lesson(body=text)}).problems} == {"raw-html"}


@pytest.mark.parametrize("text", [
    "![Karta över området](karta.png)",
    "![Karta](bilder/karta.png \"Titel\")",
    "Läs [rapporten](https://example.org/rapport.pdf) och [mer][m].\n\n[m]: https://example.org/",
    "Se https://example.org/karta.png och <https://example.org/karta.png>.",  # links, not images
    "```\n![Karta](https://example.org/karta.png)\n```",
    "`![Karta](https://example.org/karta.png)`",
])
def test_links_and_local_images_are_fine(load, lesson, text):
    files = {"x.sv.md": lesson(body=text), "karta.png": b"\x89PNG", "bilder/karta.png": b"\x89PNG"}
    assert load(files).problems == []


@pytest.mark.parametrize("text", [
    "![a](https://example.org/a.png) ![b][b] ![c] [![d](//example.org/d.png)](https://example.org/)\n\n"
    "[b]: http://example.org/b.png\n[c]: <\\\\\\\\example.org\\\\c.png>\n",
    "![Karta](karta.png){ src=\"https://example.org/karta.png\" }",  # Python-Markdown's attributes: text now
    '<img src="https://example.org/a.png"> <video poster="https://example.org/p.jpg"></video>',
])
def test_the_page_shows_no_address_of_another_host_but_in_a_link(text):
    page = BeautifulSoup(body.fill(body.parse(text, WORDS).html, ["karta.png"] * 10), "html.parser")
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            if element.name == "a" and name in ("href", "data-print-href"):
                continue
            assert "example.org" not in str(value), (element, name)
    assert {image["src"] for image in page.find_all("img")} <= {"#", "karta.png"}
