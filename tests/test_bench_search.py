"""bench/search.py without timing anything: what it counts as search's bytes, and its table."""

from __future__ import annotations

import gzip

from bench import search as bench_search


def test_index_bytes_are_the_gzipped_files_under_search(tmp_path):
    site = tmp_path / "site"
    (site / "search" / "sv").mkdir(parents=True)
    (site / "search" / "index.json").write_text('{"count": 0}' * 50, encoding="utf-8")
    (site / "search" / "sv" / "d0.json").write_text("{}", encoding="utf-8")
    (site / "lardomar" / "a").mkdir(parents=True)
    (site / "lardomar" / "b").mkdir()
    (site / "lardomar" / "index.html").write_text("", encoding="utf-8")
    files, raw, packed = bench_search.index_bytes(site)
    assert (files, raw) == (2, 602)
    assert packed == sum(len(gzip.compress(path.read_bytes(), 6, mtime=0))
                         for path in (site / "search").rglob("*.json"))
    assert bench_search._lessons(site) == 2


def test_what_search_loads_is_its_scripts_and_index_files():
    counted = bench_search.SEARCH_FILES
    assert all(any(part in path for part in counted) for path in
               ("/assets/js/search.js", "/assets/js/stemmers.js", "/search/index.json", "/en/search/doc/3.json"))
    assert not any(part in "/assets/javascripts/bundle.js" for part in counted)


def test_the_table_has_a_row_per_query():
    rows = [{"label": "ours", "engine": "ours", "lessons": 4000, "query": "brist", "kb": 85.9, "files": 25,
             "total_ms": 334, "after_fetch_ms": 22},
            {"label": "ours", "engine": "pagefind", "lessons": 4000, "query": "brist", "kb": 194.7, "files": 16,
             "total_ms": 816, "after_fetch_ms": 636}]
    lines = bench_search.markdown(rows).splitlines()
    assert lines[2] == "| ours | 4000 | brist | 85.9 | 25 | 334 | 22 |"
    assert lines[3] == "| ours (pagefind) | 4000 | brist | 194.7 | 16 | 816 | 636 |"
