"""The benchmark's results as readable text or Markdown, with ratios, growth and targets.

Works on the JSON that `run.py --json` writes, so a saved run can be printed
again (`run.py --report results.json --markdown`), and on the JSON of
`serve.py --json` (the preview), alone or with a run.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

COLUMNS = [  # (heading, key in a result, format)
    ("time s", "wall", "{:.2f}"),
    ("best s", "best", "{:.2f}"),
    ("CPU s", "cpu", "{:.2f}"),
    ("peak PSS MB", "peak_pss_mb", "{:.0f}"),
    ("max RSS MB", "max_rss_mb", "{:.0f}"),
    ("HTML pages", "html_pages", "{:d}"),
    ("ms/page", "ms_per_page", "{:.2f}"),
    ("site MB", "site_mb", "{:.1f}"),
    ("lesson KB", "lesson_kb", "{:.1f}"),
    ("other load %", "other_load_pct", "{:.0f}"),
]

# The targets of issue 11, each checked where the run measured the size it names.
MAX_TO_HUGO = {1000: 1.5, 4000: 1.0}  # ours' cold build / Hugo's, per N (at most)
MAX_EXPONENT = 1.05  # growth of ours' build time from 250 to 4000 lessons (at most)
MAX_PEAK_MB, PEAK_SIZE = 1024, 4000  # peak PSS of every process of ours' build (under)
MAX_REBUILD_TO_HUGO, REBUILD_SIZE = 0.3, 1000  # ours' rebuild after one changed lesson / Hugo's full build (at most)
MAX_CHECK_S, CHECK_SIZE = 1.0, 4000  # `lardom check` of the whole collection (under)
MAX_PREVIEW_S, PREVIEW_SIZE = 1.0, 1000  # preview: save → the updated page served (at most)
MAX_ANSWER_S = 1.0  # preview: a page asked for while a content error stands answers (under)
BUILDER_ORDER = ("ours", "ours-seq", "floor", "hugo")


def growth_exponent(small: tuple[int, float], large: tuple[int, float]) -> float | None:
    """How time grows with size: log(t_large / t_small) / log(n_large / n_small); 1 is linear."""
    (n1, t1), (n2, t2) = small, large
    if n2 == n1 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def summarise(run: dict[str, Any]) -> dict[str, Any]:
    """Ratios per size and growth per builder, added to a run's results."""
    by = {(r["builder"], r["n"]): r for r in run["results"] if r.get("ok")}
    rebuilds = {r["n"]: r for r in run.get("rebuilds", []) if r.get("ok")}
    ratios = []
    for n in run["sizes"]:
        ours = by.get(("ours", n))
        row: dict[str, Any] = {"n": n}
        for reference in ("hugo", "floor"):
            other = by.get((reference, n))
            row[f"ours/{reference}"] = ours["wall"] / other["wall"] if ours and other else None
            row[f"ours/{reference} CPU"] = ours["cpu"] / other["cpu"] if ours and other and other.get("cpu") else None
        rebuild, hugo, sequential = rebuilds.get(n), by.get(("hugo", n)), by.get(("ours-seq", n))
        row["rebuild/hugo"] = rebuild["wall"] / hugo["wall"] if rebuild and hugo else None
        row["rebuild/ours"] = rebuild["wall"] / ours["wall"] if rebuild and ours else None
        row["ours/ours-seq"] = ours["wall"] / sequential["wall"] if ours and sequential else None
        ratios.append(row)
    growth = {}
    for builder in run["builders"]:
        measured = sorted((n, r) for (name, n), r in by.items() if name == builder)
        if len(measured) >= 2:
            (small, first), (large, last) = measured[0], measured[-1]
            growth[builder] = {"from": small, "to": large,
                               "exponent": growth_exponent((small, first["wall"]), (large, last["wall"])),
                               "exponent CPU": growth_exponent((small, first.get("cpu", 0)), (large, last.get("cpu", 0)))}
            if len(measured) >= 3:  # fixed costs weigh most at the smallest N: the largest step shows the trend
                (before, row) = measured[-2]
                growth[builder]["last step"] = {"from": before, "to": large,
                                                "exponent": growth_exponent((before, row["wall"]), (large, last["wall"])),
                                                "exponent CPU": growth_exponent((before, row.get("cpu", 0)), (large, last.get("cpu", 0)))}
    checked = targets(run, by, growth) + preview_targets(run.get("preview"))
    return {"ratios": ratios, "growth": growth, "targets": checked}


class _Targets(list):
    """The targets checked: each a measured figure against its limit, `met` or not."""

    def add(self, name: str, measured: float | None, limit: float, unit: str = "", *, under: bool = False,
            also: bool = True, note: str = "") -> None:
        """`under`: the figure must stay below the limit (else at most the limit); `also`:
        a condition the figure means nothing without (the site shows the change)."""
        if measured is None:
            return
        met = (measured < limit if under else measured <= limit) and also
        self.append({"target": name, "measured": measured, "limit": limit, "unit": unit,
                     "comparison": "<" if under else "≤", "met": met, "note": note})

    def check(self, name: str, held: bool, note: str = "") -> None:
        """A target that holds or not, with no figure."""
        self.append({"target": name, "measured": None, "limit": None, "unit": "", "comparison": "",
                     "met": held, "note": note})


def targets(run: dict[str, Any], by: dict, growth: dict) -> list[dict[str, Any]]:
    checked = _Targets()
    for n, limit in MAX_TO_HUGO.items():
        ours, hugo = by.get(("ours", n)), by.get(("hugo", n))
        if ours and hugo:
            checked.add(f"ours/hugo, full cold build at {n}", ours["wall"] / hugo["wall"], limit, " ×")
    ours_growth = growth.get("ours")
    if ours_growth and ours_growth["exponent"] is not None and (ours_growth["from"], ours_growth["to"]) == (250, 4000):
        checked.add("growth exponent of ours, 250 → 4000", ours_growth["exponent"], MAX_EXPONENT)
    largest = by.get(("ours", PEAK_SIZE))
    if largest:
        checked.add(f"peak memory (PSS, all processes) of ours at {PEAK_SIZE}", largest["peak_pss_mb"],
                    MAX_PEAK_MB, " MB", under=True)
    rebuild = next((row for row in run.get("rebuilds", []) if row["n"] == REBUILD_SIZE and row.get("ok")), None)
    hugo = by.get(("hugo", REBUILD_SIZE))
    if rebuild and hugo:
        checked.add(f"ours' rebuild after one changed lesson / hugo's full build at {REBUILD_SIZE}",
                    rebuild["wall"] / hugo["wall"], MAX_REBUILD_TO_HUGO, " ×", also=rebuild["shown"],
                    note="" if rebuild["shown"] else "the rebuilt site does not show the change")
    for row in run.get("validation", []):
        if row["n"] == CHECK_SIZE and row.get("ok"):
            checked.add(f"lardom check of {CHECK_SIZE} lessons", row["wall"], MAX_CHECK_S, " s", under=True)
    return checked


def is_preview(saved: dict[str, Any]) -> bool:
    """Whether saved JSON is bench/serve.py's (the preview) rather than a build run's."""
    return saved.get("kind") == "preview" or "edits" in saved


def _median(edits: list[dict[str, Any]], key: str) -> float | None:
    values = [edit[key] for edit in edits if edit.get(key) is not None]
    return statistics.median(values) if values else None


def preview_targets(preview: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The preview's targets: the time from save to served at 1000 lessons, and, at any
    size, that a content error is shown in the browser without holding a request."""
    checked = _Targets()
    if not preview:
        return checked
    if preview["lessons"] == PREVIEW_SIZE:
        checked.add(f"preview at {PREVIEW_SIZE}: save → lesson page served (median)",
                    _median(preview["edits"], "lesson"), MAX_PREVIEW_S, " s")
        checked.add(f"preview at {PREVIEW_SIZE}: save → lesson page and lesson list served (median)",
                    _median(preview["edits"], "both"), MAX_PREVIEW_S, " s")
        checked.add(f"preview at {PREVIEW_SIZE}: save → open pages told to reload, the rebuild done (median)",
                    _median(preview["edits"], "reload"), MAX_PREVIEW_S, " s")
    error = preview.get("error")
    if error:
        checked.check("preview: a content error shows its file:line:column in the browser (status 500)",
                      error.get("shown") is not None and error.get("names_position", False),
                      note=error.get("position") or "")
        answered = all(other.get("status") is not None for other in error.get("others", []))
        checked.add("preview: other pages answer while the error stands", slowest_answer(error), MAX_ANSWER_S,
                    " s", under=True, also=answered, note="" if answered else "no answer")
        checked.check("preview: the page is served again after the fix", error.get("fixed") is not None)
    return checked


def slowest_answer(error: dict[str, Any]) -> float | None:
    answers = [other["seconds"] for other in error.get("others", [])]
    return max(answers) if answers else None


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several saved runs as one: results of every size, where two runs measured the
    same builder at the same size the later file's. Where they differ, the first
    run's description is kept and the others' are listed under `merged`."""
    merged = {**runs[0], "results": [], "validation": [], "rebuilds": [], "merged": []}
    results: dict[tuple[str, int], dict] = {}
    validation: dict[int, dict] = {}
    rebuilds: dict[int, dict] = {}
    for run in runs:
        results.update({(row["builder"], row["n"]): row for row in run["results"]})
        validation.update({row["n"]: row for row in run.get("validation", [])})
        rebuilds.update({row["n"]: row for row in run.get("rebuilds", [])})
        if run is not runs[0]:
            merged["merged"].append({key: run[key] for key in ("date", "command", "versions", "repeat")})
    merged["sizes"] = sorted({n for _, n in results})
    names = {name for name, _ in results}
    merged["builders"] = [name for name in BUILDER_ORDER if name in names] + sorted(names - set(BUILDER_ORDER))
    merged["results"] = [results[key] for key in sorted(results, key=lambda key: (key[1], merged["builders"].index(key[0])))]
    merged["validation"] = [validation[n] for n in sorted(validation)]
    merged["rebuilds"] = [rebuilds[n] for n in sorted(rebuilds)]
    if not merged["merged"]:
        del merged["merged"]
    return merged


def _cell(value: Any, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def table(headings: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headings))) + "|"]
        return lines + ["| " + " | ".join(row) + " |" for row in rows]
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))

    return [line(headings), "  ".join("-" * width for width in widths), *map(line, rows)]


def render(run: dict[str, Any], markdown: bool = False) -> str:
    summary = summarise(run)
    heading = (lambda text: f"### {text}") if markdown else (lambda text: f"== {text} ==")
    out: list[str] = []
    for n in run["sizes"]:
        out += ["", heading(f"N = {n} lessons ({2 * n} Markdown files, sv + en)"), ""]
        rows = []
        for result in run["results"]:
            if result["n"] != n:
                continue
            if not result.get("ok"):
                rows.append([result["builder"], "FAILED", *[""] * (len(COLUMNS) - 1)])
                continue
            rows.append([result["builder"], *(_cell(result.get(key), pattern) for _, key, pattern in COLUMNS)])
        out += table(["builder", *(name for name, _, _ in COLUMNS)], rows, markdown)
        for row in run.get("rebuilds", []):
            if row["n"] == n:
                out += ["", f"Rebuild after one changed lesson (ours, `mkdocs build --strict` with the cache its "
                            f"cold build left, {len(row['runs'])} time(s)): {_rebuild_outcome(row)}"]
        for row in run.get("validation", []):
            if row["n"] == n:
                outcome = (f"{row['wall']:.2f} s, {row['errors']} errors, {row['warnings']} warnings "
                           f"(other load {row.get('other_load_pct', 0):.0f} %)"
                           if row.get("ok") else "FAILED")
                out += ["", f"Validation alone (`lardom check`, {n} lessons): {outcome}"]
    out += ["", heading("Ratios of build times"), ""]
    ratio_columns = [("ours/hugo time", "ours/hugo"), ("ours/floor time", "ours/floor"),
                     ("ours/hugo CPU", "ours/hugo CPU"), ("ours/floor CPU", "ours/floor CPU"),
                     ("rebuild/hugo time", "rebuild/hugo"), ("rebuild/ours time", "rebuild/ours"),
                     ("ours/ours-seq time", "ours/ours-seq")]
    ratio_columns = [(name, key) for name, key in ratio_columns  # only what the run measured
                     if any(row.get(key) is not None for row in summary["ratios"])]
    out += table(["N", *(name for name, _ in ratio_columns)],
                  [[str(row["n"]), *(_cell(row.get(key), "{:.2f}") for _, key in ratio_columns)]
                   for row in summary["ratios"]], markdown)
    if summary["growth"]:
        out += ["", heading("Growth exponent log(t_large/t_small) / log(N_large/N_small)"), ""]
        steps = [(name, g) for name, g in summary["growth"].items()]
        steps += [(f"{name}, last step", g["last step"]) for name, g in summary["growth"].items() if "last step" in g]
        out += table(["builder", "from N", "to N", "exponent (time)", "exponent (CPU)"],
                      [[name, str(g["from"]), str(g["to"]), _cell(g["exponent"], "{:.2f}"),
                        _cell(g.get("exponent CPU"), "{:.2f}")] for name, g in steps], markdown)
    if run.get("preview"):
        shown = render_preview(run["preview"], with_targets=False).rstrip("\n").split("\n")
        out += ["", heading("Preview (bench/serve.py)"), "", *(["```text", *shown, "```"] if markdown else shown)]
    if summary["targets"]:
        out += ["", heading("Targets of issue 11 (where this run measured them)"), ""]
        out += _targets_table(summary["targets"], markdown)
    return "\n".join(out).lstrip("\n") + "\n"


def _target_cells(t: dict[str, Any]) -> list[str]:
    measured = "" if t["measured"] is None else f"{t['measured']:.2f}{t['unit']}"
    limit = "" if t["limit"] is None else f"{t['comparison']} {t['limit']:g}{t['unit']}"
    return [t["target"], measured, limit, "yes" if t["met"] else "NO", t.get("note", "")]


def _targets_table(checked: list[dict[str, Any]], markdown: bool) -> list[str]:
    return table(["target", "measured", "limit", "met", "note"], [_target_cells(t) for t in checked], markdown)


def _rebuild_outcome(row: dict[str, Any]) -> str:
    if not row.get("ok"):
        return "FAILED"
    return (f"{row['wall']:.2f} s (best {row['best']:.2f} s, CPU {row['cpu']:.2f} s, peak PSS "
            f"{row['peak_pss_mb']:.0f} MB, other load {row.get('other_load_pct', 0):.0f} %); "
            f"the site shows the change: {'yes' if row['shown'] else 'NO'}; "
            f"the cold build's cache was there: {'yes' if row['cache_kept'] else 'NO'}")


def render_preview(preview: dict[str, Any], with_targets: bool = True) -> str:
    """bench/serve.py's figures: save → served per edit, the content error's course, and
    (`with_targets`) the preview's targets."""
    lines = [f"Preview: {preview['command']} on {preview['lessons']} lessons",
             f"first served after {preview['first_serve']:.1f} s", "",
             "edit  lesson page s  lesson list s  both s  reload told s"]
    for number, edit in enumerate(preview["edits"], 1):
        told = _cell(edit.get("reload"), "{:.2f}")
        lines.append(f"{number:>4}  {edit['lesson']:>13.2f}  {edit['index']:>13.2f}  {edit['both']:>6.2f}  {told:>13}")
    if preview["edits"]:
        lines += ["", f"median from save to served: lesson page {_median(preview['edits'], 'lesson'):.2f} s, "
                      f"lesson list {_median(preview['edits'], 'index'):.2f} s, "
                      f"both {_median(preview['edits'], 'both'):.2f} s "
                      f"(target: at most {MAX_PREVIEW_S:g} s at {PREVIEW_SIZE} lessons)"]
    error = preview.get("error")
    if error:
        shown = ("never" if error.get("shown") is None else
                 f"after {error['shown']:.2f} s, status {error['status']}, naming "
                 f"{error.get('position') or 'no position'} (the error is at {error['expected']}): "
                 f"{'yes' if error.get('names_position') else 'NO'}")
        lines += ["", f"content error (a broken link appended to the lesson): error page {shown}"]
        for other in error.get("others", []):
            answer = ("no answer" if other.get("status") is None
                      else f"status {other['status']} after {other['seconds']:.2f} s")
            lines.append(f"  meanwhile {other['url']}: {answer}")
        fixed = "never" if error.get("fixed") is None else f"after {error['fixed']:.2f} s"
        lines.append(f"fixed (the link removed): the lesson page served again {fixed}")
    if with_targets:
        lines += ["", "Targets of issue 11" + ("" if preview["lessons"] == PREVIEW_SIZE else
                                             f" (save → served is a target at {PREVIEW_SIZE} lessons only)"), ""]
        lines += table(["target", "measured", "limit", "met", "note"],
                        [_target_cells(t) for t in preview_targets(preview)], markdown=False)
    return "\n".join(lines) + "\n"


def describe(run: dict[str, Any], markdown: bool = False) -> str:
    """Where and with what the run was made."""
    machine, versions = run["machine"], run["versions"]
    lines = [f"date: {run['date']}", f"machine: {machine['cpu']}, {machine['cores']} cores, "
             f"{machine['memory_gb']:.1f} GB RAM, {machine['system']}",
             f"python: {machine['python']}", *(f"{name}: {text}" for name, text in versions.items()),
             f"command: {run['command']}", f"statistic: {run['statistic']} of {run['repeat']} run(s) per build"]
    for other in run.get("merged", []):
        lines.append(f"merged with: {other['command']} ({other['date']}, {other['repeat']} run(s) per build)")
    return "\n".join(f"- {line}" if markdown else line for line in lines) + "\n"
