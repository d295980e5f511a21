"""`lardom check` splits a large collection over processes (checks.py, loader.Part): the same
problems, in the same order, as one process finds."""

from __future__ import annotations

import datetime

import pytest
from sitebuild import make_project

from lardomsbanken.check import collection as checks

TODAY = datetime.date(2026, 11, 26)


def _keys(result: checks.CheckResult) -> list[tuple]:
    return [(p.code, str(p.position), p.severity, repr(sorted(p.params.items()))) for p in result.problems]


@pytest.fixture()
def project(tmp_path):
    root = make_project(tmp_path / "project")
    lessons = root / "lessons"
    # Errors that cross lessons and parts: unknown related lessons and links, a link to a
    # lesson of the other part, a bad file name, a YAML error; and what the body's parse finds.
    zink = lessons / "norrbotten" / "zink.sv.md"
    zink.write_text(zink.read_text(encoding="utf-8").replace("---\n\n", "---\n\nSe [a](saknas.md) och "
                                                             "[b](bostader-i-skelleftea.md).\n\n!!! note\n    <b>x</b>"
                                                             " ![k](https://example.org/k.png)\n\n", 1), encoding="utf-8")
    (lessons / "Fel Namn.sv.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (lessons / "trasig.sv.md").write_text("---\ntitle: [oavslutad\n---\n", encoding="utf-8")
    return root


def test_parts_find_what_one_process_finds(project, monkeypatch):
    monkeypatch.setenv("LARDOM_PARALLEL", "0")
    alone = checks.check(project, TODAY)
    monkeypatch.setenv("LARDOM_PARALLEL", "1")
    monkeypatch.setattr(checks, "PARALLEL_FROM_FILES", 1)
    monkeypatch.setattr(checks.os, "cpu_count", lambda: 3)
    assert checks._parts(project) == 3
    in_parts = checks.check(project, TODAY)
    assert _keys(in_parts) == _keys(alone)
    codes = {problem.code for problem in alone.problems}
    assert {"link-unknown-lesson", "bad-file-name", "yaml-syntax", "legacy-admonition", "raw-html",
            "external-resource"} <= codes


def test_a_small_collection_is_checked_in_one_process(project):
    assert checks._parts(project) == 1
