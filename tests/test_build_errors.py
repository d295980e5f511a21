"""A broken lesson stops `mkdocs build --strict` with messages that name the file, and publishes nothing."""

from __future__ import annotations

import shutil

import pytest
from sitebuild import build, make_project

BROKEN = {
    "fel-tema.sv.md": "---\ntype: lesson\ntitle: \"Fel tema\"\nsummary: \"S.\"\ndate: 2024-01-01\n"
                      "region: skelleftea\ntheme: bostad\nactor: tillvaxtverket\n---\n\nText.\n",
    "bara-engelska.en.md": "---\ntitle: \"Only English\"\nsummary: \"S.\"\n---\n\nText.\n",
    "trasig-yaml.sv.md": "---\ntype: lesson\ntitle: \"Oavslutad\nsummary: x\n---\n\nText.\n",
    "fel-datum.sv.md": "---\ntype: case\ntitle: no\nsummary: \"S.\"\ndate: 2024-02-30\n"
                       "region: [norrbotten]\ntheme: [bostader]\nactor: [lkab]\n---\n\nSe [x](finns-inte.md).\n",
}


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("broken") / "project")
    for name, text in BROKEN.items():
        (project / "lessons" / name).write_text(text, encoding="utf-8")
    return project, build(project)


def test_build_fails(failed):
    _, result = failed
    assert result.returncode != 0


def test_every_problem_is_reported_with_file_and_line(failed):
    _, result = failed
    output = result.stdout + result.stderr
    assert "lessons/fel-tema.sv.md:7:8: okänt id 'bostad' i fältet 'theme'. Menade du 'bostader'?" in output
    assert "lessons/bara-engelska.en.md:1:1:" in output and "lessons/bara-engelska.sv.md" in output
    assert "lessons/trasig-yaml.sv.md:" in output
    assert "lessons/fel-datum.sv.md:3:8:" in output and '"no"' in output
    assert "lessons/fel-datum.sv.md:5:7: '2024-02-30'" in output
    assert "lessons/fel-datum.sv.md:11:" in output and "finns-inte" in output


def test_no_traceback_and_a_summary(failed):
    _, result = failed
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "Inget har publicerats" in output


def test_nothing_is_published(failed):
    project, _ = failed
    assert not (project / "site").exists()


def test_a_failed_rebuild_leaves_the_last_good_site_alone(tmp_path):
    project = make_project(tmp_path / "project")
    assert build(project).returncode == 0
    page = project / "site" / "lardomar" / "zink" / "index.html"
    before = page.read_bytes()
    shutil.copy(project / "lessons" / "norrbotten" / "zink.sv.md", project / "lessons" / "kopia.en.md")
    (project / "lessons" / "norrbotten" / "zink.sv.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "lessons/norrbotten/zink.sv.md:" in result.stderr
    assert page.read_bytes() == before
