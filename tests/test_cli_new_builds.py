"""A lesson made by `lardom new`, with an unfinished English file, builds with
`mkdocs build --strict`: the Swedish page has the template's headings (with GitHub's
ids, in the table of contents) and the English page shows the Swedish text with the
not-translated notice."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sitebuild import Site, build, make_project

from lardomsbanken.cli.main import main


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("lardom-new") / "project")
    runner = CliRunner()
    made = runner.invoke(main, ["--root", str(project), "new", "--type", "lesson", "--title", "Moduler åt byggare",
                                "--summary", "Kommunen hyrde moduler.", "--theme", "bostader", "--region", "gallivare",
                                "--actor", "gallivare-kommun", "--english"], env={"LARDOM_LANG": None})
    assert made.exit_code == 0, made.output
    checked = runner.invoke(main, ["--root", str(project), "check"], env={"LARDOM_LANG": None})
    assert checked.exit_code == 0, checked.output
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(project / "site")


def test_the_new_lesson_builds_with_its_headings(site):
    page = site.page("/lardomar/moduler-at-byggare/")
    assert page.select_one(".md-content h1").get_text() == "Moduler åt byggare"
    headings = [(h2.get_text(strip=True), h2["id"]) for h2 in page.select(".md-content h2")][:5]
    assert headings == [("Bakgrund", "bakgrund"), ("Vad som gjordes", "vad-som-gjordes"), ("Resultat", "resultat"),
                        ("Lärdomar för andra", "lärdomar-för-andra"), ("Kontakt", "kontakt")]  # ids as GitHub's
    toc = [a["href"] for a in page.select("nav.md-nav--secondary a.md-nav__link")][:5]
    assert toc == ["#" + ident for _, ident in headings]


def test_the_unfinished_english_file_leaves_the_swedish_text_with_a_notice(site):
    page = site.page("/en/lardomar/moduler-at-byggare/")
    notice = page.select_one(".ld-untranslated")
    assert notice is not None and "not been translated into English" in notice.get_text()
    assert page.select_one(".md-content h1").get_text() == "Moduler åt byggare"
    assert page.select_one(".md-content h1")["lang"] == "sv"
    assert "Background" not in page.get_text()
