"""Benchmark: build N generated lessons with this project and two references.

For each N (default 250, 1000, 4000) one corpus is generated (bench/corpus.py)
and built, cold, by `ours` (this project), `floor` (plain MkDocs + Material +
static-i18n, no hooks) and `hugo` (Hugo with a minimal theme); with
--sequential also by `ours-seq` (ours with LARDOM_PARALLEL=0). Printed per N
and builder: wall time, peak memory of the whole process tree (sum of PSS)
and of the largest process (max RSS), HTML pages, ms per page, site size and
the size of one lesson's page; for ours also the rebuild after one changed
lesson with the cache its cold build left, and `lardom check` alone. Then the
ratios ours/hugo and ours/floor, the growth exponent per builder and the
issue's targets. A script, not a test; see bench/README.md.

    .venv/bin/python bench/run.py                          # 250, 1000, 4000; all builders
    .venv/bin/python bench/run.py --sizes 250,1000 --repeat 3 --json out.json
    .venv/bin/python bench/run.py --report out.json --markdown   # print a saved run again
    .venv/bin/python bench/run.py --report small.json n4000.json # two runs as one
    .venv/bin/python bench/run.py --report run.json serve.json   # with bench/serve.py's preview
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import measure, report
from bench.builders import (
    BUILDERS,
    DEFAULT_BUILDERS,
    LESSON_FOLDER,
    OURS_BUILD_CACHE,
    Builder,
    mkdocs_env,
    ours_check_command,
)
from bench.corpus import Corpus, mark_lesson

DEFAULT_SIZES = (250, 1000, 4000)


def main(argv: list[str] | None = None) -> None:
    arguments = _parser().parse_args(argv)
    if arguments.report:
        saved = [json.loads(path.read_text(encoding="utf-8")) for path in arguments.report]
        builds = [one for one in saved if not report.is_preview(one)]
        previews = [one for one in saved if report.is_preview(one)]
        if not builds:  # only bench/serve.py's results
            print("".join(report.render_preview(preview) for preview in previews), end="")
            return
        run = report.merge(builds)
        if previews:
            run["preview"] = previews[-1]
    else:
        run = benchmark(arguments)
    print(report.describe(run, markdown=arguments.markdown))
    print(report.render(run, markdown=arguments.markdown), end="")
    if arguments.json:
        _save(run, arguments.json)


def _save(run: dict[str, Any], path: Path) -> None:
    run["summary"] = report.summarise(run)
    path.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Run it with the project's environment: .venv/bin/python bench/run.py")
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES, metavar="N,N,…",
                        help="numbers of lessons (default: 250,1000,4000)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="build each K times (default 1)")
    parser.add_argument("--statistic", choices=("median", "best"), default="median",
                        help="which of the K times to report and compare (default: median)")
    parser.add_argument("--only", action="append", choices=sorted(BUILDERS), metavar="|".join(BUILDERS),
                        help="build only with this builder (repeatable; default: " + ", ".join(DEFAULT_BUILDERS) + ")")
    parser.add_argument("--sequential", action="store_true",
                        help="also build with ours-seq: ours with LARDOM_PARALLEL=0, everything in one process")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build in DIR and keep the corpora, projects, sites and logs there")
    parser.add_argument("--no-check", action="store_true", help="do not time `lardom check` for ours")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="do not time ours' rebuild after one changed lesson")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown (for bench/RESULTS.md)")
    parser.add_argument("--report", type=Path, nargs="+", metavar="FILE",
                        help="print runs saved with --json, merged (e.g. one of 250,1000 and one of 4000), "
                             "and bench/serve.py's --json; build nothing (with --json: save the merged run)")
    return parser


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part) for part in text.split(",") if part.strip())
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are positive whole numbers, e.g. 250,1000")
    return sizes


def benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    chosen = {*(arguments.only or DEFAULT_BUILDERS), *(["ours-seq"] if arguments.sequential else [])}
    names = [name for name in BUILDERS if name in chosen]
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="lardom-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {
        "date": datetime.date.today().isoformat(), "machine": machine(),
        "versions": {name: BUILDERS[name].version() for name in names},
        "command": shlex.join(["bench/run.py", *(sys.argv[1:])]),
        "sizes": list(arguments.sizes), "builders": names, "repeat": arguments.repeat,
        "statistic": arguments.statistic, "results": [], "validation": [], "rebuilds": [],
    }
    try:
        for n in arguments.sizes:
            results, rebuilds = measure_size(n, names, work / f"n{n}", arguments)
            run["results"] += results
            if rebuilds is not None:
                run["rebuilds"].append(rebuilds)
            if "ours" in names and not arguments.no_check:
                run["validation"].append(measure_check(n, work / f"n{n}" / "ours", arguments))
            if arguments.json:  # what is done so far survives a run stopped at a larger N
                _save(run, arguments.json)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    return run


def measure_size(n: int, names: list[str], folder: Path,
                 arguments: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Cold builds of every builder, taking turns; after each of ours, its rebuild after one
    changed lesson. Returns the builders' results and the rebuilds' (None if not measured)."""
    corpus = Corpus(n)
    lessons = folder / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    corpus.write(lessons)
    projects = {name: BUILDERS[name].prepare(lessons, folder / name) for name in names}
    runs: dict[str, list[measure.Measurement]] = {name: [] for name in names}
    sites: dict[str, dict[str, Any]] = {}  # what each builder's last cold build made
    rebuilds: list[dict[str, Any]] = []
    rebuilding = "ours" in names and not arguments.no_rebuild
    for attempt in range(1, arguments.repeat + 1):  # builders take turns, so drifts in the machine hit all alike
        for name in names:
            builder, project = BUILDERS[name], projects[name]
            _progress(f"N={n} {name} build {attempt}/{arguments.repeat} …")
            builder.clean(project)
            measured = measure.run(builder.command(), project, builder.env(), folder / f"{name}.{attempt}.log")
            _progress(f"  {measured.wall:.2f} s (CPU {measured.cpu:.2f} s), peak PSS {measured.peak_pss_mb:.0f} MB, "
                      f"other load {measured.other_load:.0%}, exit {measured.returncode}")
            runs[name].append(measured)
            sites[name] = site_figures(builder, project, corpus.slugs[0])  # before a rebuild changes the site
            if name == "ours" and rebuilding and measured.returncode == 0:
                _progress(f"N={n} ours rebuild after one changed lesson {attempt}/{arguments.repeat} …")
                rebuilds.append(rebuild_once(project, corpus.slugs[0], folder / f"ours.rebuild.{attempt}.log",
                                             f"{attempt}n{n}"))
                _progress(f"  {rebuilds[-1]['wall']:.2f} s (CPU {rebuilds[-1]['cpu']:.2f} s), "
                          f"cache kept: {rebuilds[-1]['cache_kept']}, shows the change: {rebuilds[-1]['shown']}, "
                          f"exit {rebuilds[-1]['returncode']}")
    results = [result(n, BUILDERS[name], runs[name], sites[name], folder, arguments) for name in names]
    return results, (rebuild_result(n, rebuilds, folder, arguments) if rebuilding else None)


def rebuild_once(project: Path, slug: str, log: Path, mark: str) -> dict[str, Any]:
    """Ours' rebuild after one changed lesson, with the cache the last build left: the
    lesson's Swedish title and body changed (`mark_lesson`), `mkdocs build --strict`
    again without `Builder.clean` (MkDocs empties site/ itself, `.cache` stays), then a
    look at whether the lesson's page and the lesson list show the change. The lesson
    is put back afterwards, so that the next cold build builds the same corpus as the
    other builders."""
    builder = BUILDERS["ours"]
    source = project / "lessons" / f"{slug}.sv.md"
    original = source.read_bytes()
    cache_kept = (project / OURS_BUILD_CACHE).is_file()
    title_mark, body_mark = mark_lesson(source, mark)
    try:
        measured = measure.run(builder.command(), project, builder.env(), log)
    finally:
        source.write_bytes(original)
    lesson = _text(builder.lesson_page(project, slug))
    listing = _text(builder.output(project) / LESSON_FOLDER / "index.html")
    shown = {"lesson page": title_mark in lesson and body_mark in lesson, "lesson list": title_mark in listing}
    return {**vars(measured), "cache_kept": cache_kept, "shown": all(shown.values()), "shown_in": shown}


def rebuild_result(n: int, rebuilds: list[dict[str, Any]], folder: Path,
                   arguments: argparse.Namespace) -> dict[str, Any]:
    row: dict[str, Any] = {"n": n, "runs": rebuilds}
    failed = [one for one in rebuilds if one["returncode"] != 0]
    if failed or not rebuilds:
        if failed:
            log = folder / f"ours.rebuild.{rebuilds.index(failed[0]) + 1}.log"
            _progress(f"N={n} ours rebuild FAILED (exit {failed[0]['returncode']}); the end of {log}:\n"
                      + "\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        return {**row, "ok": False}
    times = [one["wall"] for one in rebuilds]
    return {**row, "ok": True, "wall": statistics.median(times) if arguments.statistic == "median" else min(times),
            "best": min(times), "cpu": statistics.median(one["cpu"] for one in rebuilds),
            "peak_pss_mb": max(one["peak_pss_mb"] for one in rebuilds),
            "other_load_pct": 100 * max(one["other_load"] for one in rebuilds),
            "cache_kept": all(one["cache_kept"] for one in rebuilds), "shown": all(one["shown"] for one in rebuilds)}


def site_figures(builder: Builder, project: Path, slug: str) -> dict[str, Any]:
    """The pages and size of the site a build made, and the size of one lesson's page."""
    output = builder.output(project)
    lesson = builder.lesson_page(project, slug)
    return {"html_pages": sum(1 for _ in output.rglob("*.html")), "site_mb": _size(output) / 1e6,
            "lesson_kb": lesson.stat().st_size / 1e3 if lesson.is_file() else None,
            "lesson_page": str(lesson.relative_to(project))}


def result(n: int, builder: Builder, runs: list[measure.Measurement], site: dict[str, Any],
           folder: Path, arguments: argparse.Namespace) -> dict[str, Any]:
    row: dict[str, Any] = {"builder": builder.name, "n": n, "runs": [vars(m) for m in runs]}
    failed = [m for m in runs if m.returncode != 0]
    if failed:
        log = folder / f"{builder.name}.{runs.index(failed[0]) + 1}.log"
        _progress(f"N={n} {builder.name} FAILED (exit {failed[0].returncode}); the end of {log}:\n"
                  + "\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        return {**row, "ok": False}
    times = [m.wall for m in runs]
    wall = statistics.median(times) if arguments.statistic == "median" else min(times)
    pages = site["html_pages"]
    return {
        **row, "ok": True, "wall": wall, "best": min(times), "cpu": statistics.median(m.cpu for m in runs),
        "other_load_pct": 100 * max(m.other_load for m in runs),
        "peak_pss_mb": max(m.peak_pss_mb for m in runs), "max_rss_mb": max(m.max_rss_mb for m in runs),
        **site, "ms_per_page": 1000 * wall / pages if pages else None,
        "warnings": sum(line.startswith("WARNING") for line in (folder / f"{builder.name}.1.log").open(errors="replace")),
    }


def measure_check(n: int, project: Path, arguments: argparse.Namespace) -> dict[str, Any]:
    """`lardom check` of the whole collection in our project copy, as an editor runs it."""
    runs = []
    for attempt in range(arguments.repeat):
        _progress(f"N={n} lardom check {attempt + 1}/{arguments.repeat} …")
        log = project.parent / f"check.{attempt + 1}.log"
        runs.append(measure.run(ours_check_command(), project, mkdocs_env(), log))
    times = [m.wall for m in runs]
    summary = (project.parent / "check.1.log").read_text(errors="replace")
    problems = [line for line in summary.splitlines() if ":" in line and line.startswith("lessons/")]
    warnings = sum(": varning:" in line or ": warning:" in line for line in problems)
    return {"n": n, "ok": all(m.returncode == 0 for m in runs), "runs": [vars(m) for m in runs],
            "wall": statistics.median(times) if arguments.statistic == "median" else min(times),
            "errors": len(problems) - warnings, "warnings": warnings,
            "other_load_pct": 100 * max(m.other_load for m in runs)}


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory_kb / 1024 / 1024,
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
