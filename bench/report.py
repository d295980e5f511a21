"""The benchmark's results as readable text or Markdown, with ratios, growth and targets.

Works on the JSON that `run.py --json` writes, so a saved run can be printed
again (`run.py --report results.json --markdown`).
"""

from __future__ import annotations

import math
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

# The targets, checked where the run measured the sizes they name.
TARGET_SIZE, MAX_TO_HUGO, MAX_EXPONENT, MAX_PEAK_MB, MAX_CHECK_S = 1000, 1.5, 1.1, 2048, 2.0


def growth_exponent(small: tuple[int, float], large: tuple[int, float]) -> float | None:
    """How time grows with size: log(t_large / t_small) / log(n_large / n_small); 1 is linear."""
    (n1, t1), (n2, t2) = small, large
    if n2 == n1 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def summarise(run: dict[str, Any]) -> dict[str, Any]:
    """Ratios per size and growth per builder, added to a run's results."""
    by = {(r["builder"], r["n"]): r for r in run["results"] if r.get("ok")}
    ratios = []
    for n in run["sizes"]:
        ours = by.get(("ours", n))
        row: dict[str, Any] = {"n": n}
        for reference in ("hugo", "floor"):
            other = by.get((reference, n))
            row[f"ours/{reference}"] = ours["wall"] / other["wall"] if ours and other else None
            row[f"ours/{reference} CPU"] = ours["cpu"] / other["cpu"] if ours and other and other.get("cpu") else None
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
    return {"ratios": ratios, "growth": growth, "targets": targets(run, by, growth)}


def targets(run: dict[str, Any], by: dict, growth: dict) -> list[dict[str, Any]]:
    checked = []

    def target(name: str, measured: float | None, limit: float, unit: str = "") -> None:
        if measured is not None:
            checked.append({"target": name, "measured": measured, "limit": limit, "unit": unit,
                            "met": measured <= limit})

    ours, hugo, floor = (by.get((name, TARGET_SIZE)) for name in ("ours", "hugo", "floor"))
    if ours and hugo:
        target(f"ours/hugo at {TARGET_SIZE}", ours["wall"] / hugo["wall"], MAX_TO_HUGO, "×")
    if ours and floor:
        target(f"ours/floor at {TARGET_SIZE}", ours["wall"] / floor["wall"], 1.0, "×")
    ours_growth = growth.get("ours")
    if ours_growth and ours_growth["exponent"] is not None and (ours_growth["from"], ours_growth["to"]) == (250, 4000):
        target("growth exponent of ours, 250 → 4000", ours_growth["exponent"], MAX_EXPONENT)
    largest = by.get(("ours", 4000))
    if largest:
        target("peak memory (PSS) of ours at 4000", largest["peak_pss_mb"], MAX_PEAK_MB, " MB")
    for row in run.get("validation", []):
        if row["n"] == 4000 and row.get("ok"):
            target("lardom check of 4000 lessons", row["wall"], MAX_CHECK_S, " s")
    return checked


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several saved runs as one: results of every size, where two runs measured the
    same builder at the same size the later file's. Where they differ, the first
    run's description is kept and the others' are listed under `merged`."""
    merged = {**runs[0], "results": [], "validation": [], "merged": []}
    results: dict[tuple[str, int], dict] = {}
    validation: dict[int, dict] = {}
    for run in runs:
        results.update({(row["builder"], row["n"]): row for row in run["results"]})
        validation.update({row["n"]: row for row in run.get("validation", [])})
        if run is not runs[0]:
            merged["merged"].append({key: run[key] for key in ("date", "command", "versions", "repeat")})
    merged["sizes"] = sorted({n for _, n in results})
    merged["builders"] = [name for name in ("ours", "floor", "hugo") if any(b == name for b, _ in results)]
    merged["results"] = [results[key] for key in sorted(results, key=lambda key: (key[1], merged["builders"].index(key[0])))]
    merged["validation"] = [validation[n] for n in sorted(validation)]
    if not merged["merged"]:
        del merged["merged"]
    return merged


def _cell(value: Any, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _table(headings: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headings))) + "|"]
        return lines + ["| " + " | ".join(row) + " |" for row in rows]
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]
    line = lambda row: "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
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
        out += _table(["builder", *(name for name, _, _ in COLUMNS)], rows, markdown)
        for row in run.get("validation", []):
            if row["n"] == n:
                outcome = (f"{row['wall']:.2f} s, {row['errors']} errors, {row['warnings']} warnings "
                           f"(other load {row.get('other_load_pct', 0):.0f} %)"
                           if row.get("ok") else "FAILED")
                out += ["", f"Validation alone (`lardom check`, {n} lessons): {outcome}"]
    out += ["", heading("Ratios of build times"), ""]
    ratio_keys = ["ours/hugo", "ours/floor", "ours/hugo CPU", "ours/floor CPU"]
    out += _table(["N", "ours/hugo time", "ours/floor time", "ours/hugo CPU", "ours/floor CPU"],
                  [[str(row["n"]), *(_cell(row.get(key), "{:.2f}") for key in ratio_keys)]
                   for row in summary["ratios"]], markdown)
    if summary["growth"]:
        out += ["", heading("Growth exponent log(t_large/t_small) / log(N_large/N_small)"), ""]
        steps = [(name, g) for name, g in summary["growth"].items()]
        steps += [(f"{name}, last step", g["last step"]) for name, g in summary["growth"].items() if "last step" in g]
        out += _table(["builder", "from N", "to N", "exponent (time)", "exponent (CPU)"],
                      [[name, str(g["from"]), str(g["to"]), _cell(g["exponent"], "{:.2f}"),
                        _cell(g.get("exponent CPU"), "{:.2f}")] for name, g in steps], markdown)
    if summary["targets"]:
        out += ["", heading("Targets of issue 5 (where this run measured them)"), ""]
        out += _table(["target", "measured", "limit", "met"],
                      [[t["target"], f"{t['measured']:.2f}{t['unit']}", f"{t['limit']:g}{t['unit']}",
                        "yes" if t["met"] else "NO"] for t in summary["targets"]], markdown)
    return "\n".join(out).lstrip("\n") + "\n"


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
