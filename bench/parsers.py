"""Which Markdown parser for lesson bodies (issue 11): speed, linear time, features, upkeep.

A script, not a test. It compares native CommonMark + GitHub-extension parsers
that Python can call (pyromark, cmarkgfm, comrak, comrak-ext, markdown-it-pyrs,
multimark) with the parser we use today (Python-Markdown, with the site's
extensions) and markdown-it-py (pure Python), and prints:

1. speed: HTML of the 2000 bench corpus bodies (`corpus.py`, 1000 lessons),
   and, where a parser has one, its event or tree API read into Python;
2. linear time: t(4n) / t(n) on hostile inputs, each in a subprocess with a
   timeout (≈ 4 is linear, ≈ 16 quadratic);
3. features: a matrix, each cell from running the parser on a small input;
4. upkeep: PyPI's JSON for each candidate (latest version, releases in the last
   12 months, CPython 3.11 manylinux wheels, the library it wraps).

The candidates are not dependencies of the project. They live in scratch
virtualenvs, made once with `--setup`; every measurement runs in a worker
process (this file with `--worker`) of the virtualenv that has the parser:

    .venv/bin/python bench/parsers.py --setup /tmp/lardom-parsers
    .venv/bin/python bench/parsers.py --envs /tmp/lardom-parsers
    .venv/bin/python bench/parsers.py --envs /tmp/lardom-parsers --markdown   # + the README section
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.report import table  # the bench's table printer, plain text or Markdown

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclass(frozen=True)
class Candidate:
    key: str  # column name
    dist: str  # PyPI distribution
    upstream: str  # the library it wraps
    native: bool
    env: str = "main"  # the scratch virtualenv it is installed in (`--setup`)
    extra: tuple[str, ...] = ()  # other distributions it needs there


CANDIDATES = [
    Candidate("pyromark", "pyromark", "pulldown-cmark (Rust)", True),
    Candidate("cmarkgfm", "cmarkgfm", "cmark-gfm (C, GitHub)", True),
    Candidate("comrak", "comrak", "comrak (Rust)", True),
    # comrak-ext installs the same `comrak` module as comrak: a virtualenv of its own.
    Candidate("comrak-ext", "comrak-ext", "comrak (Rust)", True, env="comrak-ext"),
    Candidate("mdit-pyrs", "markdown-it-pyrs", "markdown-it.rs (Rust)", True),
    Candidate("multimark", "multimark", "cmark-gfm (C, GitHub)", True),
    Candidate("mdit-py", "markdown-it-py", "(pure Python port of markdown-it)", False,
              extra=("mdit-py-plugins", "linkify-it-py")),
    Candidate("py-markdown", "Markdown", "(pure Python; used today)", False),
]
BY_KEY = {candidate.key: candidate for candidate in CANDIDATES}
PINNED = {"Markdown": "Markdown==3.11.3"}  # the version the site uses (pyproject.toml)

# Looked at and left out, with the reason; their upkeep is printed too.
CONSIDERED = [
    ("pycmarkgfm", "cmark-gfm (C)", "no release since 2023"),
    ("pymd4c", "MD4C (C)", "no release since 2022"),
    ("markdown-it-pyrs-abi3", "markdown-it.rs (Rust)", "the same code as markdown-it-pyrs, built for the stable ABI"),
    ("marktip", "MD4C (C++)", "Markdown to Tiptap JSON: no HTML"),
    ("cmark-render", "cmark-gfm (C)", "no wheel: builds from source; HTML only"),
    ("paka-cmark", "cmark (C)", "no wheel for CPython 3.11 manylinux; CommonMark without GitHub's extensions"),
    ("pulldown-cmark", "pulldown-cmark (Rust)", "no wheel: builds from source"),
]

PYROMARK_OPTIONS = ("ENABLE_TABLES", "ENABLE_FOOTNOTES", "ENABLE_STRIKETHROUGH", "ENABLE_TASKLISTS", "ENABLE_GFM")
CMARK_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]  # GitHub's, less tagfilter: raw HTML stays


# ---------------------------------------------------------------- adapters (worker side)

@dataclass
class Adapter:
    """One parser set up the way lesson bodies would use it (GitHub's extensions, raw HTML kept)."""
    html: Callable[[str], str]
    tree: Callable[[str], Any] | None = None  # events or tree, fully read into Python objects
    api: str = "no"
    positions: Callable[[str], dict[str, tuple | None]] | None = None  # {"link": …, "html": …}
    sourcepos_html: Callable[[str], str] | None = None  # HTML with data-sourcepos attributes
    stream: Callable[[str], Any] | None = None  # every event read once, none kept


def _pyromark() -> Adapter:
    import pyromark

    options = pyromark.Options(0)
    for name in PYROMARK_OPTIONS:
        options |= getattr(pyromark.Options, name)
    md = pyromark.Markdown(options=options)

    def positions(text: str) -> dict[str, tuple | None]:
        found: dict[str, tuple | None] = {"link": None, "html": None}
        for event, span in md.events_with_range(text):
            start = event.get("Start") if isinstance(event, dict) else None
            if isinstance(start, dict) and start.get("Link", {}).get("dest_url") == LINK_URL:
                found["link"] = found["link"] or ("byte", span["start"])
            elif isinstance(event, dict) and "InlineHtml" in event:
                found["html"] = found["html"] or ("byte", span["start"])
        return found

    def stream(text: str) -> None:
        for _ in md.events_with_range(text):
            pass

    return Adapter(md.html, lambda text: tuple(md.events_with_range(text)),
                   "events, byte ranges", positions, stream=stream)


def _cmarkgfm() -> Adapter:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    options = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE

    def render(text: str, extra: int = 0) -> str:
        return cmarkgfm.markdown_to_html_with_extensions(text, options=options | extra, extensions=CMARK_EXTENSIONS)

    return Adapter(render, sourcepos_html=lambda text: render(text, Options.CMARK_OPT_SOURCEPOS))


def _comrak_options(comrak: Any, **render: bool) -> tuple[Any, Any]:
    extension = comrak.ExtensionOptions()
    for name in ("table", "footnotes", "strikethrough", "tasklist", "autolink", "alerts"):
        setattr(extension, name, True)
    extension.header_id_prefix = ""
    options = comrak.RenderOptions()
    options.unsafe_ = True
    for name, value in render.items():
        setattr(options, name, value)
    return extension, options


def _comrak() -> Adapter:
    import comrak

    extension, options = _comrak_options(comrak)
    _, with_sourcepos = _comrak_options(comrak, sourcepos=True)
    return Adapter(lambda text: comrak.render_markdown(text, extension_options=extension, render_options=options),
                   sourcepos_html=lambda text: comrak.render_markdown(text, extension_options=extension,
                                                                      render_options=with_sourcepos))


def _comrak_ext() -> Adapter:
    import comrak

    extension = comrak.ExtensionOptions(table=True, footnotes=True, strikethrough=True, tasklist=True, autolink=True,
                                        alerts=True, header_id_prefix="")
    options = comrak.RenderOptions(unsafe_=True)

    def nodes(text: str) -> list:
        """Every node, its value and its source position read once (the tree's objects are made lazily)."""
        seen, stack = [], [comrak.parse_document(text, extension)]
        while stack:
            node = stack.pop()
            position = node.sourcepos
            seen.append((node.node_value, position.start.line, position.start.column, position.end.line,
                         position.end.column))
            stack.extend(reversed(node.children))
        return seen

    def positions(text: str) -> dict[str, tuple | None]:
        found: dict[str, tuple | None] = {"link": None, "html": None}
        for value, line, column, *_ in nodes(text):
            kind = {"Link": "link", "HtmlInline": "html"}.get(type(value).__name__)
            if kind == "link" and value.value.url != LINK_URL:
                continue
            if kind and not found[kind]:
                found[kind] = ("line-column", line, column)
        return found

    return Adapter(lambda text: comrak.markdown_to_html(text, extension, None, options), nodes,
                   "AST, line/column", positions)


def _mdit_pyrs() -> Adapter:
    import markdown_it_pyrs

    md = markdown_it_pyrs.MarkdownIt("gfm")
    md.enable_many(["footnote", "heading_anchors", "tasklist", "autolink_ext"])

    def nodes(text: str) -> list:
        return [(node.name, node.srcmap, node.meta) for node in md.tree(text).walk()]

    def positions(text: str) -> dict[str, tuple | None]:
        found: dict[str, tuple | None] = {"link": None, "html": None}
        for name, srcmap, meta in nodes(text):
            kind = {"link": "link", "html_inline": "html"}.get(name)
            if kind == "link" and meta.get("url") != LINK_URL:
                continue
            if kind and srcmap and not found[kind]:
                found[kind] = ("byte", srcmap[0])
        return found

    return Adapter(md.render, nodes, "tree, byte ranges", positions)


def _multimark() -> Adapter:
    import multimark

    settings = dict(unsafe=True, footnotes=True, extensions=CMARK_EXTENSIONS)

    def nodes(text: str) -> list:
        return [(event, node.type, node.start_line, node.start_column) for event, node in
                multimark.parse(text, **settings).walk()]

    def positions(text: str) -> dict[str, tuple | None]:
        found: dict[str, tuple | None] = {"link": None, "html": None}
        for event, node in multimark.parse(text, **settings).walk():
            kind = {multimark.NodeType.LINK: "link", multimark.NodeType.HTML_INLINE: "html"}.get(node.type)
            if kind == "link" and node.url != LINK_URL:
                continue
            if event == "enter" and kind and not found[kind] and node.start_line:
                found[kind] = ("line-column", node.start_line, node.start_column)
        return found

    return Adapter(lambda text: multimark.markdown_to_html(text, **settings), nodes,
                   "AST, line/column", positions,
                   lambda text: multimark.markdown_to_html(text, sourcepos=True, **settings))


def _mdit_py() -> Adapter:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark").use(gfm_plugin).use(anchors_plugin, max_level=6)

    def positions(text: str) -> dict[str, tuple | None]:
        found: dict[str, tuple | None] = {"link": ("blocks",), "html": ("blocks",)}
        for token in md.parse(text):  # only block tokens have a map (a range of lines); inline ones have none
            for child in token.children or ():
                kind = {"link_open": "link", "html_inline": "html"}.get(child.type)
                if kind and child.map and found[kind] == ("blocks",):
                    found[kind] = ("line-column", child.map[0] + 1, 1)
        return found

    return Adapter(md.render, md.parse, "tokens, block lines", positions)


def _py_markdown(extensions: list) -> Adapter:
    import markdown

    names, configs = [], {}
    for entry in extensions:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if config:
            configs[name] = config
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    return Adapter(lambda text: md.reset().convert(text))


def adapter(key: str, task: dict) -> Adapter:
    if key == "py-markdown":
        return _py_markdown(task["markdown_extensions"])
    return {"pyromark": _pyromark, "cmarkgfm": _cmarkgfm, "comrak": _comrak, "comrak-ext": _comrak_ext,
            "mdit-pyrs": _mdit_pyrs, "multimark": _multimark, "mdit-py": _mdit_py}[key]()


# ---------------------------------------------------------------- hostile inputs

PARAGRAPH = "Vi *lärde* oss att [planen](p) höll `tre` år.\n\n"  # 50 bytes: 1 MB at n = 20 000


def _backticks(n: int) -> str:
    """Backtick runs of growing length, each looking for a closer of its own length (cmark's pathological test);
    about 8n bytes."""
    parts, size, length = [], 0, 1
    while size < 8 * n:
        parts.append("e" + "`" * length)
        size += length + 1
        length += 1
    return "".join(parts)


# name → body of about n units
HOSTILE: dict[str, Callable[[int], str]] = {
    "unclosed [": lambda n: "[" * n + "a\n",
    "[a](": lambda n: "[a](" * n,
    "<b title='": lambda n: "<b title='" * n,
    "nested > quotes": lambda n: "> " * n + "a\n",
    "nested - lists": lambda n: "- " * n + "a\n",
    "*a openers": lambda n: "*a " * n,
    "**_": lambda n: "**_" * n,
    "backticks 1..k": _backticks,
    "[^a": lambda n: "[^a" * n,
    "![": lambda n: "![" * n + "a\n",
    "nested [[a]]": lambda n: "[" * n + "a" + "]" * n,
    "*a_ mismatched": lambda n: "*a_ " * n,
    "paragraphs (n × 50 B)": lambda n: PARAGRAPH * n,
    "long table row": lambda n: "| a | b |\n|---|---|\n" + "| x " * n + "|\n",
    # n/10 columns: parsers stop reading a table as one past some tens of thousands of cells
    "wide table (n/10 columns)": lambda n: "|" + " a |" * (n // 10) + "\n|" + "---|" * (n // 10) + "\n" + "| x |\n" * 20,
}


def _call(function: Callable[[str], Any], text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def hostile_times(function: Callable[[str], Any], texts: list[str], report: Callable[[int, float], None],
                  budget: float = 1.0, most: int = 15) -> None:
    """Each text in turn, again and again (n, 4n, n, 4n …: a noisy moment hits both), while the budget
    lasts; `report(i, median so far)` after every call, so a timeout still leaves what was measured."""
    times: list[list[float]] = [[] for _ in texts]
    while True:
        for i, text in enumerate(texts):
            times[i].append(_call(function, text))
            report(i, statistics.median(times[i]))
        spent = sum(map(sum, times))
        if spent > budget or len(times[0]) >= most or max(map(max, times)) > 2:  # one slow call is enough
            return


# ---------------------------------------------------------------- feature sample

SAMPLE = """## Vad hände

| a | b |
|---|---|
| 1 | 2 |

Text[^1] ~~del~~ <https://a.se/x> and https://b.se/y and www.c.se.

[^1]: Fot.

```python
x = 1
```

- [ ] todo
- [x] done

> [!NOTE]
> Obs.

Ärende: A [link](https://d.se "t") and <b>raw</b>.
"""
LINK_URL = "https://d.se"
LINK_SOURCE, HTML_SOURCE = f'[link]({LINK_URL} "t")', "<b>raw</b>"
GITHUB_ID = "vad-hände"  # GitHub's heading id: lower case, spaces to hyphens, letters kept

FEATURES = ["tables", "footnotes", "fenced code: language class", "strikethrough", "task lists",
            "autolink <https://…>", "bare https://…", "bare www.…", "GitHub alerts > [!NOTE]",
            "heading ids (vad-hände)", "raw HTML kept", "positions: link", "positions: raw HTML",
            "event / AST API"]


def _offset(text: str, position: tuple) -> list[tuple[str, int]]:
    """The byte offset(s) a reported position may mean: line/column in bytes or in characters."""
    if position[0] == "byte":
        return [("bytes", position[1])]
    _, line, column = position
    start = sum(len(row.encode()) + 1 for row in text.split("\n")[:line - 1])
    row = text.split("\n")[line - 1]
    return [("bytes", start + column - 1), ("chars", start + len(row[:column - 1].encode()))]


def _position_cell(text: str, position: tuple | None, source: str, how: str) -> str:
    if position is None:
        return "no"
    if position == ("blocks",):
        return "block lines only"
    data = text.encode()
    for unit, offset in _offset(text, position):
        if data[offset:].startswith(source.encode()):
            return f"{how}{'' if unit == 'bytes' else ' (chars)'}"
    if position[0] == "line-column" and position[2] == 1:
        return "line only"
    return "wrong"


def features(parser: Adapter) -> dict[str, str]:
    html = parser.html(SAMPLE)
    low = html.lower()
    heading = re.search(r"<h2[^>]*\bid=\"([^\"]*)\"|<h2[^>]*>\s*<a[^>]*\bid=\"([^\"]*)\"", html)
    heading_id = heading and (heading.group(1) or heading.group(2))
    code = "yes" if 'class="language-python"' in html else "lang attr" if 'lang="python"' in html else "no"
    cells = {
        "tables": "yes" if "<table" in html else "no",
        "footnotes": "yes" if re.search(r"<sup[^>]*>\s*<a[^>]*href=\"#", html) and "[^1]" not in html else "no",
        "fenced code: language class": code,
        "strikethrough": "yes" if re.search(r"<(del|s)>del</\1>", html) else "no",
        "task lists": "yes" if low.count('type="checkbox"') == 2 and "checked" in low else "no",
        "autolink <https://…>": "yes" if 'href="https://a.se/x"' in html else "no",
        "bare https://…": "yes" if 'href="https://b.se/y"' in html else "no",
        "bare www.…": "yes" if re.search(r'href="https?://www\.c\.se"', html) else "no",
        "GitHub alerts > [!NOTE]": "yes" if "[!NOTE]" not in html and re.search(r'class="[^"]*note', low) else "no",
        "heading ids (vad-hände)": "yes" if heading_id == GITHUB_ID else f"other: {heading_id}" if heading_id else "no",
        "raw HTML kept": "yes" if HTML_SOURCE in html else "no",
    }
    found = parser.positions(SAMPLE) if parser.positions else {"link": None, "html": None}
    how = "byte range" if found["link"] and found["link"][0] == "byte" else "line/column"
    cells["positions: link"] = _position_cell(SAMPLE, found["link"], LINK_SOURCE, how)
    cells["positions: raw HTML"] = _position_cell(SAMPLE, found["html"], HTML_SOURCE, how)
    if parser.sourcepos_html and cells["positions: link"] == "no":
        attribute = re.search(r'<a [^>]*data-sourcepos="(\d+):(\d+)[^"]*"[^>]*href="https://d\.se"', parser.sourcepos_html(SAMPLE))
        cells["positions: link"] = "HTML attribute" if attribute and _position_cell(
            SAMPLE, ("line-column", int(attribute[1]), int(attribute[2])), LINK_SOURCE, "ok") == "ok" else "blocks only"
        cells["positions: raw HTML"] = "no"
    if parser.tree:
        tree = parser.tree(SAMPLE)
        cells["event / AST API"] = parser.api if tree else "empty"
    else:
        cells["event / AST API"] = "no"
    return cells


# ---------------------------------------------------------------- worker

def _bodies(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.glob("*.md"))]


def _upstream_version(dist: str) -> str | None:
    """The wrapped library's version from the wheel's software bill of materials, where it ships one."""
    from importlib import metadata

    names = {"pyromark": "pulldown-cmark", "comrak": "comrak", "comrak-ext": "comrak", "markdown-it-pyrs": "markdown-it"}
    try:
        files = metadata.distribution(dist).files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if "sboms" in str(file) and str(file).endswith(".json") and dist in names:
            for component in json.loads(file.read_text()).get("components", []):
                if component.get("name") == names[dist]:
                    return component.get("version")
    return None


def worker(task: dict) -> None:
    """Runs in the parser's own virtualenv; writes one JSON object per line."""
    key = task["parser"]
    out = lambda value: print(json.dumps(value, ensure_ascii=False), flush=True)  # noqa: E731
    if task["task"] == "probe":
        from importlib import metadata

        dist = BY_KEY[key].dist
        try:
            version = metadata.version(dist)
            adapter(key, task).html("# ok")
        except Exception as error:  # noqa: BLE001  (missing, or installed and broken: both mean "not here")
            return out({"error": f"{type(error).__name__}: {error}"})
        return out({"version": version, "upstream_version": _upstream_version(dist),
                    "python": sys.executable})
    parser = adapter(key, task)
    if task["task"] == "features":
        return out(features(parser))
    if task["task"] == "speed":
        bodies = _bodies(Path(task["corpus"]))
        for body in bodies[:100]:  # warm up
            parser.html(body)
            if parser.tree:
                parser.tree(body)
        result = {}
        for name, function in (("html", parser.html), ("tree", parser.tree)):
            if function:  # passes over every body for at least a second; the median pass
                passes: list[float] = []
                while not passes or sum(passes) < 1:
                    start = time.perf_counter()
                    for body in bodies:
                        function(body)
                    passes.append(time.perf_counter() - start)
                result[name] = statistics.median(passes)
        return out(result)
    if task["task"] == "hostile":
        function = {"html": parser.html, "events": parser.tree, "stream": parser.stream}[task["variant"]]
        function("warm *up*")
        sizes = task["sizes"]
        texts = [HOSTILE[task["case"]](size) for size in sizes]
        try:
            hostile_times(function, texts, lambda i, seconds: out({"size": sizes[i], "seconds": seconds}))
        except RecursionError:
            out({"error": "RecursionError"})
    return None


# ---------------------------------------------------------------- parent side

@dataclass
class Runner:
    envs: Path | None
    extensions: list  # Python-Markdown's, as the site has them
    timeout: float
    found: dict[str, dict] = field(default_factory=dict)  # key → probe result (with "python")

    def interpreters(self, candidate: Candidate) -> list[str]:
        pythons = [self.envs / name / "bin" / "python" for name in (candidate.env, "main")] if self.envs else []
        return [str(path) for path in pythons if path.exists()] + [sys.executable]

    def probe(self, candidates: list[Candidate]) -> None:
        for candidate in candidates:
            errors = []
            for python in dict.fromkeys(self.interpreters(candidate)):
                result = self.call(python, {"task": "probe", "parser": candidate.key})
                if "version" in result:
                    self.found[candidate.key] = result
                    break
                errors.append(result.get("error", "?"))
            else:
                self.found[candidate.key] = {"missing": errors[-1] if errors else "no interpreter"}

    def available(self) -> list[str]:
        return [key for key, result in self.found.items() if "version" in result]

    def call(self, python: str, task: dict, timeout: float | None = None) -> dict:
        lines = self.lines(python, task, timeout)
        return lines[-1] if lines else {"error": "no answer"}

    def lines(self, python: str, task: dict, timeout: float | None = None) -> list[dict]:
        """Run a worker; every JSON line it wrote, and a last {"error": …} if it failed or ran out of time."""
        task = {**task, "markdown_extensions": self.extensions}
        command = [python, "-m", "bench.parsers", "--worker", json.dumps(task)]  # from the checkout's root
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              preexec_fn=_limit_memory) as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout or 600)
                timed_out = False
            except subprocess.TimeoutExpired:
                process.kill()
                stdout, stderr = process.communicate()
                timed_out = True
        lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
        if timed_out:
            lines.append({"error": "timeout"})
        elif process.returncode:
            last = (stderr.strip().splitlines() or [""])[-1][:80]
            signal = f"signal {-process.returncode}" if process.returncode < 0 else f"exit {process.returncode}"
            lines.append({"error": f"crash ({signal}) {last}".strip()})
        return lines

    def python(self, key: str) -> str:
        return self.found[key]["python"]

    def speed(self, keys: list[str], corpus: Path, rounds: int) -> dict[str, Any]:
        """Each round runs every parser once, in turn (A B C A B C …); the median of the rounds."""
        times: dict[str, dict[str, list[float]]] = {key: {"html": [], "tree": []} for key in keys}
        for round_ in range(rounds):
            for key in keys:
                _progress(f"speed: round {round_ + 1}/{rounds}, {key}")
                result = self.call(self.python(key), {"task": "speed", "parser": key, "corpus": str(corpus)})
                for name in ("html", "tree"):
                    if name in result:
                        times[key][name].append(result[name])
        return {key: {name: statistics.median(values) if values else None for name, values in measured.items()}
                | {"rounds": len(measured["html"])} for key, measured in times.items()}

    def hostile(self, columns: list[tuple[str, str]], n: int) -> dict[str, dict[str, Any]]:
        results: dict[str, dict[str, Any]] = {}
        for case in HOSTILE:
            for key, variant in columns:
                column = key if variant == "html" else f"{key} {variant}"
                _progress(f"hostile: {case}, {column}")
                cells = [self.hostile_cell(key, variant, case, n)]
                while len(cells) < RECHECKS + 1 and _cell_ratio(cells[-1]) is not None \
                        and _cell_ratio(cells[-1]) >= RECHECK_FROM:
                    _progress(f"hostile: {case}, {column}: ×{_cell_ratio(cells[-1]):.1f}, again")
                    cells.append(self.hostile_cell(key, variant, case, n))
                if len(cells) > 1:  # the run with the median ratio stands; a noisy moment rarely lasts three runs
                    cells.sort(key=lambda cell: _cell_ratio(cell) or float("inf"))
                    cells[len(cells) // 2]["ratios"] = [_cell_ratio(cell) for cell in cells]
                results.setdefault(case, {})[column] = cells[len(cells) // 2]
        return results

    def hostile_cell(self, key: str, variant: str, case: str, n: int) -> dict[str, Any]:
        lines = self.lines(self.python(key), {"task": "hostile", "parser": key, "case": case, "variant": variant,
                                              "sizes": [n, 4 * n]}, self.timeout)
        cell: dict[str, Any] = {"error": next((line["error"] for line in lines if "error" in line), None)}
        for line in lines:
            if "seconds" in line:
                cell["small" if line["size"] == n else "large"] = line["seconds"]
        return cell

    def features(self, keys: list[str]) -> dict[str, dict[str, str]]:
        return {key: self.call(self.python(key), {"task": "features", "parser": key}) for key in keys}


RECHECK_FROM, RECHECKS = 6.0, 2  # a ratio this high is measured twice more; the median of the three stands


def _cell_ratio(cell: dict) -> float | None:
    return cell["large"] / cell["small"] if cell.get("small") and cell.get("large") else None


def _limit_memory() -> None:
    """A worker may use 6 GiB of address space: a runaway parser fails instead of swapping the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def upkeep(names: list[str], today: datetime.date) -> dict[str, dict[str, Any]]:
    return {name: _pypi(name, today) for name in names}


def _pypi(name: str, today: datetime.date) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
            data = json.load(response)
    except Exception as error:  # noqa: BLE001  (offline: said in the table)
        return {"error": f"{type(error).__name__}"}
    first_upload = {}
    for version, files in data["releases"].items():
        times = [file["upload_time_iso_8601"] for file in files if not file.get("yanked")]
        if times:
            first_upload[version] = datetime.datetime.fromisoformat(min(times).replace("Z", "+00:00")).date()
    latest = data["info"]["version"]
    year_ago = today - datetime.timedelta(days=365)
    wheels = [file["filename"] for file in data["releases"].get(latest, []) if file["filename"].endswith(".whl")]
    return {"latest": latest, "uploaded": str(first_upload.get(latest, "?")),
            "releases_12_months": sum(year_ago < day <= today for day in first_upload.values()),
            "x86_64": _wheel_for(wheels, "x86_64"), "aarch64": _wheel_for(wheels, "aarch64")}


def _wheel_for(wheels: list[str], machine: str) -> str:
    """Whether a wheel of the list installs on CPython 3.11, manylinux, `machine`."""
    for wheel in wheels:
        python, abi, platform = wheel[:-4].split("-")[-3:]
        if platform == "any":
            return "pure"
        cpython = any(tag == "cp311" or (abi == "abi3" and re.fullmatch(r"cp3(\d+)", tag)
                                         and int(tag[3:]) <= 11) for tag in python.split("."))
        if cpython and abi in ("cp311", "abi3", "none") and any(
                tag.startswith("manylinux") and tag.endswith(machine) for tag in platform.split(".")):
            return "yes"
    return "no"


# ---------------------------------------------------------------- report

def _seconds(value: float | None, pattern: str = "{:.3f}") -> str:
    return "–" if value is None else pattern.format(value)


def render(run: dict[str, Any], markdown: bool = False) -> str:
    lines: list[str] = []
    heading = (lambda text: lines.extend(["", f"### {text}", ""])) if markdown else \
        (lambda text: lines.extend(["", text, "=" * len(text)]))
    keys = [key for key in run["parsers"] if "version" in run["found"][key]]

    heading("Candidates")
    rows = []
    for candidate in CANDIDATES:
        found = run["found"].get(candidate.key)
        if not found:
            continue
        version = found.get("version", "not installed")
        upstream = candidate.upstream + (f" {found['upstream_version']}" if found.get("upstream_version") else "")
        rows.append([candidate.key, f"{candidate.dist} {version}", upstream, "native" if candidate.native else "Python"])
    lines += table(["parser", "PyPI distribution", "wraps", "kind"], rows, markdown)

    if "speed" in run:
        speed, corpus = run["speed"], run["corpus"]
        heading(f"Speed: {corpus['bodies']} bodies, {corpus['megabytes']:.2f} MB (median of {run['rounds']} rounds, "
                "A B A B)")
        base = speed.get("pyromark", {}).get("html")
        rows = []
        for key in sorted(speed, key=lambda k: speed[k]["html"] or float("inf")):
            html, tree = speed[key]["html"], speed[key]["tree"]
            rows.append([key, _seconds(html), _seconds(html and 1000 * html / corpus["bodies"]),
                         _seconds(html and corpus["megabytes"] / html, "{:.1f}"),
                         _seconds(html and base and html / base, "{:.2f}"), _seconds(tree),
                         _seconds(tree and base and tree / base, "{:.2f}")])
        lines += table(["parser", "HTML s", "ms/body", "MB/s", "HTML × pyromark", "events/tree s",
                         "events/tree × pyromark HTML"], rows, markdown)
        lines.append("")
        lines.append("events/tree: pyromark `tuple(events_with_range(b))`; comrak-ext `parse_document` with every "
                     "node's value and position read; markdown-it-pyrs `tree(b).walk()`; multimark "
                     "`parse(b).walk()`; markdown-it-py `parse(b)` (tokens).")

    if "hostile" in run:
        hostile = run["hostile"]
        columns = list(next(iter(hostile.values())))
        heading(f"Linear time: t(4n) / t(n), n = {run['hostile_n']} (≈ 4 linear, ≈ 16 quadratic; "
                f"timeout {run['timeout']:.0f} s per parser and case)")
        lines += table(["input", *columns], [[case, *(_ratio(cells[c]) for c in columns)]
                                              for case, cells in hostile.items()], markdown)
        lines += ["", f"* ≥ {RECHECK_FROM:.0f} at first: measured {RECHECKS + 1} times, the median ratio."]
        heading("Linear time: t(n) and t(4n) in ms")
        lines += table(["input", *columns], [[case, *(_both(cells[c]) for c in columns)]
                                              for case, cells in hostile.items()], markdown)

    if "features" in run:
        heading("Features (each cell from running the parser on a small input)")
        cells = run["features"]
        lines += table(["feature", *keys], [[feature, *(cells[key].get(feature, cells[key].get("error", "?"))
                                                           for key in keys)] for feature in FEATURES], markdown)

    if "upkeep" in run:
        heading(f"Upkeep (PyPI, {run['today']}; wheels: CPython 3.11 manylinux)")
        rows = []
        upstream = {c.dist: c.upstream for c in CANDIDATES} | {name: wraps for name, wraps, _ in CONSIDERED}
        for name, info in run["upkeep"].items():
            note = next((why for other, _, why in CONSIDERED if other == name), "")
            if "error" in info:
                rows.append([name, info["error"], "", "", "", "", upstream[name], note])
                continue
            rows.append([name, info["latest"], info["uploaded"], str(info["releases_12_months"]), info["x86_64"],
                         info["aarch64"], upstream[name], f"left out: {note}" if note else ""])
        lines += table(["distribution", "latest", "uploaded", "releases 12 mo", "x86_64", "aarch64", "wraps", ""],
                        rows, markdown)
    return "\n".join(lines).lstrip("\n")


def _ratio(cell: dict) -> str:
    ratio = _cell_ratio(cell)
    return _failure(cell) if ratio is None else f"{ratio:.1f}" + ("*" if "ratios" in cell else "")


def _both(cell: dict) -> str:
    small = f"{1000 * cell['small']:.1f}" if cell.get("small") else _failure(cell)
    return f"{small} / {1000 * cell['large']:.1f}" if cell.get("large") else small if not cell.get("small") \
        else f"{small} / {_failure(cell)}"


def _failure(cell: dict) -> str:
    error = cell.get("error") or "?"
    return "> timeout" if error == "timeout" else error.split(")")[0] + (")" if ")" in error else "")


# ---------------------------------------------------------------- the README section

SUPERLINEAR = 8.0  # t(4n)/t(n) at or above this (growth exponent 1.5) counts as not linear
CHOSEN = "pyromark"


def hostile_summary(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per column of the hostile table: the worst ratio and the inputs it failed or grew too fast on."""
    summary: dict[str, dict[str, Any]] = {}
    for case, cells in run["hostile"].items():
        for column, cell in cells.items():
            entry = summary.setdefault(column, {"worst": 0.0, "worst_case": "", "bad": []})
            if cell.get("small") and cell.get("large"):
                ratio = cell["large"] / cell["small"]
                if ratio > entry["worst"]:
                    entry["worst"], entry["worst_case"] = ratio, case
                if ratio >= SUPERLINEAR:
                    entry["bad"].append(f"`{case}` ×{ratio:.0f}")
            else:
                entry["bad"].append(f"`{case}` {_failure(cell)}")
    return summary


def verdict(run: dict[str, Any]) -> str:
    """The README section: the choice and the figures behind it, from this run's results."""
    if not {"speed", "hostile", "features", "upkeep"} <= set(run) or CHOSEN not in run["speed"]:
        return f"(the README section needs a full run with {CHOSEN}: speed, hostile, features and upkeep)"
    speed, hostile, features = run["speed"], hostile_summary(run), run["features"]
    chosen, corpus = speed[CHOSEN], run["corpus"]
    native = sorted((key for key in speed if BY_KEY[key].native), key=lambda key: speed[key]["html"])
    trees = {key: value["tree"] for key, value in speed.items() if value["tree"] and BY_KEY[key].native}
    fastest_tree = min(trees, key=trees.get) if trees else None
    chosen_columns = [column for column in hostile if column in (CHOSEN, f"{CHOSEN} stream")]
    chosen_bad = [bad for column in chosen_columns for bad in hostile[column]["bad"]]
    against = []
    if native[0] != CHOSEN and speed[native[0]]["html"] < 0.9 * chosen["html"]:
        against.append(f"{native[0]} renders HTML {chosen['html'] / speed[native[0]]['html']:.1f}× faster")
    if fastest_tree and fastest_tree != CHOSEN and trees[fastest_tree] < 0.9 * chosen["tree"]:
        against.append(f"{fastest_tree} gives its tree to Python {chosen['tree'] / trees[fastest_tree]:.1f}× faster")
    if chosen_bad:
        against.append("it is not linear on " + ", ".join(chosen_bad))
    lines = [f"## {'Why pyromark' if not against else 'pyromark is the wrong choice'}", ""]
    measured = (f"Measured with `bench/parsers.py` on {run['today']} ({run['machine']}, a shared machine: "
                "figures ±20 %)")
    if against:
        lines += [f"{measured}: {'; '.join(against)}. See the tables below.", ""]
    else:
        python_md = speed.get("py-markdown", {}).get("html")
        per_body = 1000 * chosen["tree"] / corpus["bodies"]
        lines += [
            "Lesson bodies are CommonMark with GitHub's extensions, read by **pyromark** (Python bindings to "
            "Rust's pulldown-cmark). One call, `Markdown(options=…).events_with_range(body)`, gives every event "
            "with its byte range, and that one parse answers everything the site asks of a body: the HTML (written "
            "by our code from the events), the headings, the links and raw HTML with their positions for the "
            f"checks, and the plain text for search. {measured}:",
            "",
            f"- **Fastest.** HTML of the bench corpus ({corpus['bodies']} bodies of 400–800 words, "
            f"{corpus['megabytes']:.1f} MB) in {1000 * chosen['html']:.0f} ms: "
            + ", ".join(f"{key} {speed[key]['html'] / chosen['html']:.1f}×" for key in native if key != CHOSEN)
            + (f" as long, Python-Markdown (today) {python_md / chosen['html']:.0f}×" if python_md else "")
            + f". Every event with its range, as Python objects: {1000 * chosen['tree']:.0f} ms "
            f"({per_body:.3f} ms a body, {chosen['tree'] / chosen['html']:.1f}× its HTML), less than the other "
            "trees: " + ", ".join(f"{key} {1000 * value:.0f} ms" for key, value in
                                  sorted(trees.items(), key=lambda kv: kv[1]) if key != CHOSEN) + ".",
            f"- **Linear on hostile input.** {len(run['hostile'])} inputs at n = {run['hostile_n']} and 4n: "
            "t(4n)/t(n) at worst "
            + " and ".join(f"{hostile[c]['worst']:.1f} ({'HTML' if c == CHOSEN else 'events read as they come'}, "
                           f"`{hostile[c]['worst_case']}`)" for c in chosen_columns)
            + ", where 4 is linear; no timeout, no crash. " + _others_on_hostile(hostile),
        ]
        kept = hostile.get(f"{CHOSEN} events")
        if kept and kept["worst"] > hostile.get(f"{CHOSEN} stream", {}).get("worst", 0) + 1:
            lines.append(f"- **Read the events as they come.** Kept all at once in a tuple, a hostile body's "
                         f"events grow up to ×{kept['worst']:.1f} for ×4 of input: CPython's garbage collector and "
                         "memory with millions of live objects (a tuple of as many plain dicts grows the same way); "
                         "read one by one they stay linear. Lesson bodies are small "
                         f"({per_body:.3f} ms a body), so only the hostile case matters.")
        lines += [
            "- **What pulldown-cmark leaves to our code.** " + _missing_text(features) + ".",
            "- **Upkeep.** " + _upkeep_text(run) + ".",
            "- **The others.** " + _not_chosen(run, hostile),
        ]
    lines += ["", "### Speed", ""] + table(
        ["parser", "HTML s", "× pyromark", "events/tree s", "× pyromark HTML"],
        [[key, _seconds(value["html"]), _seconds(value["html"] / chosen["html"], "{:.1f}"), _seconds(value["tree"]),
          _seconds(value["tree"] and value["tree"] / chosen["html"], "{:.1f}")]
         for key, value in sorted(speed.items(), key=lambda kv: kv[1]["html"])], True)
    lines += ["", f"### Hostile input: worst t(4n)/t(n), and where ≥ {SUPERLINEAR:.0f} or failing", ""]
    lines += table(["parser", "worst", "not linear or failing"],
                    [[column, f"{entry['worst']:.1f}", ", ".join(entry["bad"]) or "–"] for column, entry in hostile.items()],
                    True)
    lines += ["", "### Features", ""]
    keys = [key for key in run["parsers"] if key in features]
    lines += table(["feature", *keys], [[feature, *(features[key].get(feature, "?") for key in keys)]
                                         for feature in FEATURES], True)
    lines += ["", "Run again: `.venv/bin/python bench/parsers.py --setup /tmp/lardom-parsers` once, then "
              "`.venv/bin/python bench/parsers.py --envs /tmp/lardom-parsers --markdown` (see `bench/README.md`)."]
    return "\n".join(lines)


def _failures(entry: dict[str, Any]) -> list[str]:
    return [bad for bad in entry["bad"] if "×" not in bad]


def _others_on_hostile(hostile: dict[str, dict[str, Any]]) -> str:
    others = {column: entry for column, entry in hostile.items() if not column.startswith(CHOSEN)}
    clean = [column for column, entry in others.items() if not entry["bad"]]
    bad = [f"{column} ({', '.join(entry['bad'])})" for column, entry in others.items() if entry["bad"]]
    text = []
    if bad:
        text.append(f"The others that grow ≥ ×{SUPERLINEAR:.0f}, time out, overflow Python's stack or crash: "
                    + "; ".join(bad) + ".")
    if any("crash" in entry for entry in bad):
        text.append("A crash is a segfault (a native stack overflow): it ends the whole build, and no `except` "
                    "can catch it.")
    if clean:
        text.append("Linear too: " + ", ".join(clean) + ".")
    return " ".join(text)


MISSING_PHRASES = {
    "bare https://…": "bare-URL autolinks (GitHub's `https://…` and `www.…`; pulldown-cmark issue #518, open)",
    "bare www.…": None,  # said with the line above
    "heading ids (vad-hände)": "heading ids",
}


def _missing_text(features: dict[str, dict[str, str]]) -> str:
    missing = [feature for feature in FEATURES if features[CHOSEN].get(feature) == "no"]
    if not missing:
        return "Nothing in the feature list"
    phrases = [MISSING_PHRASES.get(feature, feature) for feature in missing]
    text = "It has no " + " and no ".join(phrase for phrase in phrases if phrase)
    text += ": our code adds them from the `Text` and `Heading` events, the same for every lesson. Python-Markdown " \
            "as the site uses it has no bare-URL links either, and its heading id is " \
            f"`{features.get('py-markdown', {}).get('heading ids (vad-hände)', '?').replace('other: ', '')}` " \
            "(letters lost)"
    have = [key for key in features if key != CHOSEN and all(features[key].get(f) == "yes" for f in missing)]
    if have:
        text += f"; {', '.join(have)} {'has' if len(have) == 1 else 'have'} both built in"
    return text


def _upkeep_text(run: dict[str, Any]) -> str:
    info = run["upkeep"].get(CHOSEN, {})
    if "latest" not in info:
        return "PyPI was not reached"
    return (f"{CHOSEN} {info['latest']} ({info['uploaded']}), {info['releases_12_months']} releases in the last 12 "
            f"months, CPython 3.11 manylinux wheels for x86_64: {info['x86_64']}, aarch64: {info['aarch64']}; it "
            "wraps pulldown-cmark, the parser of rustdoc and mdBook")


def _not_chosen(run: dict[str, Any], hostile: dict[str, dict[str, Any]]) -> str:
    speed, upkeep = run["speed"], run["upkeep"]
    parts = []
    for key in speed:
        if key == CHOSEN:
            continue
        candidate, notes = BY_KEY[key], []
        notes.append(f"HTML {speed[key]['html'] / speed[CHOSEN]['html']:.1f}× as long")
        if speed[key]["tree"]:
            notes.append(f"tree {speed[key]['tree'] / speed[CHOSEN]['tree']:.1f}× as long as pyromark's events")
        else:
            notes.append("no event or tree API (positions would need a second parse)")
        failures = _failures(hostile.get(key, {"bad": []})) + _failures(hostile.get(f"{key} events", {"bad": []}))
        if failures:
            notes.append(f"{len(dict.fromkeys(failures))} hostile input(s) crash or time out")
        if upkeep.get(candidate.dist, {}).get("releases_12_months") == 0:
            notes.append(f"no release in 12 months (last {upkeep[candidate.dist]['uploaded']})")
        if candidate.env != "main":
            notes.append("its module is named `comrak`, like comrak's")
        parts.append(f"**{key}**: " + ", ".join(notes))
    return "; ".join(parts) + "."


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> None:
    parser = _arguments()
    arguments = parser.parse_args(argv)
    if arguments.rounds < 3:
        parser.error("--rounds: at least 3, for a median")
    if arguments.worker:
        return worker(json.loads(arguments.worker))
    if arguments.setup:
        return setup(arguments.setup)
    if arguments.report:
        run = json.loads(arguments.report.read_text(encoding="utf-8"))
    else:
        run = measure(arguments)
        if arguments.json:
            arguments.json.write_text(json.dumps(run, indent=1, ensure_ascii=False), encoding="utf-8")
    print(render(run, markdown=False))
    if arguments.markdown:
        print("\n" + "-" * 72 + "\n")
        print(verdict(run))
    return None


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    from builders import our_markdown_extensions

    # MkDocs always adds toc, tables and fenced_code to the site's own list.
    extensions = ["toc", "tables", "fenced_code"] + [entry for entry in our_markdown_extensions()
                                                     if entry not in ("toc", "tables", "fenced_code")]
    runner = Runner(arguments.envs, extensions, arguments.timeout)
    chosen = [BY_KEY[key] for key in arguments.only] if arguments.only else CANDIDATES
    runner.probe(chosen)
    keys = runner.available()
    for key, result in runner.found.items():
        if "missing" in result:
            _progress(f"{key}: not available ({result['missing']})")
    run: dict[str, Any] = {"parsers": [c.key for c in chosen], "found": runner.found, "rounds": arguments.rounds,
                           "hostile_n": arguments.n, "timeout": arguments.timeout,
                           "today": str(arguments.today), "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"}
    parts = set(arguments.part or ["speed", "hostile", "features", "upkeep"])
    if "features" in parts:
        run["features"] = runner.features(keys)
    if "speed" in parts:
        with tempfile.TemporaryDirectory() as scratch:
            corpus = arguments.corpus or Path(scratch) / "corpus"
            if not arguments.corpus:
                from corpus import Corpus

                _progress(f"corpus: {arguments.lessons} lessons")
                Corpus(arguments.lessons).write(corpus)
            bodies = _bodies(corpus)
            run["corpus"] = {"bodies": len(bodies), "megabytes": sum(len(b.encode()) for b in bodies) / 1e6}
            run["speed"] = runner.speed(keys, corpus, arguments.rounds)
    if "hostile" in parts:
        columns = [(key, "html") for key in keys] + [(key, variant) for key in keys for variant in
                                                     HOSTILE_VARIANTS.get(key, ())]
        run["hostile"] = runner.hostile(columns, arguments.n)
    if "upkeep" in parts:
        run["upkeep"] = upkeep([c.dist for c in chosen] + ([name for name, _, _ in CONSIDERED]
                                                           if not arguments.only else []), arguments.today)
    return run


# Also timed through their event or tree API (read into Python as in the speed table), and pyromark's
# events read once without keeping them (`stream`): the way lessons would be read.
HOSTILE_VARIANTS = {"pyromark": ("events", "stream"), "comrak-ext": ("events",), "mdit-pyrs": ("events",),
                    "multimark": ("events",)}


def setup(folder: Path) -> None:
    """Scratch virtualenvs with the candidates: `main` for most, one of its own where a module name clashes."""
    envs: dict[str, list[str]] = {}
    for candidate in CANDIDATES:
        envs.setdefault(candidate.env, []).extend([PINNED.get(candidate.dist, candidate.dist), *candidate.extra])
    for name, packages in envs.items():
        target = folder / name
        _progress(f"{target}: {' '.join(packages)}")
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", *packages], check=True)


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=Path, help="folder made by --setup: the candidates' virtualenvs")
    parser.add_argument("--setup", type=Path, metavar="FOLDER", help="make the candidates' virtualenvs in FOLDER")
    parser.add_argument("--only", action="append", choices=list(BY_KEY), help="just this parser (repeatable)")
    parser.add_argument("--part", action="append", choices=["speed", "hostile", "features", "upkeep"],
                        help="just this part (repeatable)")
    parser.add_argument("--lessons", type=int, default=1000, help="corpus size in lessons (two bodies each)")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (corpus.py's output)")
    parser.add_argument("--rounds", type=int, default=5, help="speed rounds; the median is printed (≥ 3)")
    parser.add_argument("--n", type=int, default=20_000, help="hostile inputs: n repetitions against 4n")
    parser.add_argument("--timeout", type=float, default=20, help="seconds per parser and hostile input")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--json", type=Path, help="also save the results here")
    parser.add_argument("--report", type=Path, help="print saved results (--json) instead of measuring")
    parser.add_argument("--markdown", action="store_true", help="also print the README section")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
