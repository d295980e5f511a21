"""No request leaves the site: a lesson may link to other websites, but not show their images or files."""

from __future__ import annotations

import pytest

from lardomsbanken.safety import check_body


@pytest.mark.parametrize("body", [
    "![Karta](https://example.org/karta.png)",
    "![Karta](<http://example.org/karta.png>)",
    "<img src=\"//example.org/karta.png\" alt=\"\">",
    "<img src='\\\\example.org/karta.png' alt=''>",
    "<img src=\"karta.png\" srcset=\"karta.png 1x, https://example.org/stor.png 2x\" alt=\"\">",
    "![Karta][karta]\n\n[karta]: https://example.org/karta.png",
    "![Karta]\n\n[karta]: https://example.org/karta.png",
    "![Karta](karta.png){ src=\"https://example.org/karta.png\" }",
    "<video poster=\"HTTPS://example.org/p.jpg\"></video>",
    "<img src=\"ht&#x74;ps://example.org/karta.png\" alt=\"\">",
])
def test_an_image_from_another_host_is_refused(body):
    assert [finding.code for finding in check_body(body)] == ["external-resource"]


@pytest.mark.parametrize("body", [
    "![Karta över området](karta.png)",
    "![Karta](bilder/karta.png \"Titel\")",
    "Läs [rapporten](https://example.org/rapport.pdf) och [mer][m].\n\n[m]: https://example.org/",
    "<a href=\"https://example.org/\">länk</a>",
    "```\n![Karta](https://example.org/karta.png)\n```",
])
def test_links_and_local_images_are_fine(body):
    assert check_body(body) == []
