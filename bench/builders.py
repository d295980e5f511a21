"""The three builders the benchmark compares, each on the same generated lessons.

- `ours`: a copy of this project with the lessons replaced, built with the
  documented command (`ours_build_command`); `ours-seq` the same with
  `LARDOM_PARALLEL=0` (everything in one process), only when asked for.
- `floor`: plain MkDocs + Material + mkdocs-static-i18n (our pinned versions),
  no hooks, the lessons as ordinary pages kept out of the navigation — the
  least this stack can do with the same Markdown.
- `hugo`: Hugo from Debian with the minimal multilingual theme in `bench/hugo/`.

A builder prepares a project folder once; every measured build starts cold:
`clean` deletes the output and any cache first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

from bench.project import make_project  # the same project copy as the build tests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

HUGO_THEME = BENCH / "hugo"
LESSON_FOLDER = "lardomar"  # where every builder publishes lessons: /lardomar/<slug>/, /en/lardomar/<slug>/

# Everything our build may keep between runs; deleted before each (cold) build.
OURS_CACHE_DIRS = [".cache"]
# What a build of ours leaves there for the next one (the memo of bodies and pages: lardomsbanken/runtime/cache.py).
OURS_BUILD_CACHE = Path(".cache") / "lardom" / "memo.pickle"


def ours_build_command() -> list[str]:
    """The documented build of the site (README: `mkdocs build --strict`)."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict"]


def ours_cli_command(*arguments: str) -> list[str]:
    """`lardom ARGUMENTS…` on the project in the working directory, with the copied
    project's own code (cwd first on sys.path), not the installed package's."""
    return [sys.executable, "-c", "import sys; from lardomsbanken.cli.main import main; sys.exit(main(prog_name='lardom'))",
            *arguments]


def ours_serve_command(address: str) -> list[str]:
    """The editor's preview (README: `lardom preview`, which runs lardomsbanken/adapter/preview_engine.py)."""
    return ours_cli_command("preview", "--dev-addr", address)


def ours_check_command() -> list[str]:
    """`lardom check`, the editor's check before a commit."""
    return ours_cli_command("check")


def mkdocs_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@dataclass(frozen=True)
class Builder(ABC):
    """One way of building the corpus; each builder says how to prepare, run and name it."""

    name: str
    description: str
    output_name: str  # the folder the site is written to, in the project
    cache_names: tuple[str, ...] = ()  # other folders a cold build starts without

    @abstractmethod
    def prepare(self, corpus: Path, target: Path) -> Path:
        ...

    @abstractmethod
    def command(self) -> list[str]:
        ...

    def env(self) -> dict[str, str]:
        return mkdocs_env()

    def clean(self, project: Path) -> None:
        for name in (self.output_name, *self.cache_names):
            shutil.rmtree(project / name, ignore_errors=True)

    def output(self, project: Path) -> Path:
        return project / self.output_name

    def lesson_page(self, project: Path, slug: str) -> Path:
        """The built HTML of a lesson's Swedish page."""
        return self.output(project) / LESSON_FOLDER / slug / "index.html"

    @abstractmethod
    def version(self) -> str:
        ...


class Ours(Builder):
    def prepare(self, corpus: Path, target: Path) -> Path:
        project = make_project(target, corpus)
        _compile(project)
        return project

    def command(self) -> list[str]:
        return ours_build_command()

    def version(self) -> str:
        return f"this project ({_git_head()}); {_mkdocs_stack()}"


class OursSequential(Ours):
    """Ours with the core's forked workers turned off (`LARDOM_PARALLEL=0`): what they buy."""

    def env(self) -> dict[str, str]:
        return {**mkdocs_env(), "LARDOM_PARALLEL": "0"}


class Floor(Builder):
    def prepare(self, corpus: Path, target: Path) -> Path:
        docs = target / "docs"
        shutil.copytree(corpus, docs / LESSON_FOLDER)
        (docs / "index.sv.md").write_text("# Lärdomsbanken\n\nLärdomar och fallbeskrivningar.\n", encoding="utf-8")
        (docs / "index.en.md").write_text("# Lärdomsbanken\n\nLessons and case notes.\n", encoding="utf-8")
        config = floor_config(our_markdown_extensions())
        (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return target

    def command(self) -> list[str]:
        # Not --strict: a plain project has no reason to be, and static-i18n logs
        # about the pages that have no English (here: none) are no failure.
        return [sys.executable, "-m", "mkdocs", "build"]

    def version(self) -> str:
        return _mkdocs_stack()


class Hugo(Builder):
    def prepare(self, corpus: Path, target: Path) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(HUGO_THEME / "hugo.toml", target / "hugo.toml")
        shutil.copytree(HUGO_THEME / "layouts", target / "layouts")
        shutil.copytree(corpus, target / "content" / LESSON_FOLDER)  # unchanged: <slug>.sv.md, <slug>.en.md
        return target

    def command(self) -> list[str]:
        return ["hugo", "--quiet", "--destination", self.output_name]

    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def version(self) -> str:
        try:
            return subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
        except OSError:
            return "hugo not installed"


BUILDERS: dict[str, Builder] = {
    builder.name: builder
    for builder in (
        Ours("ours", "this project: mkdocs build --strict, the core rendering the collection", "site",
             tuple(OURS_CACHE_DIRS)),
        OursSequential("ours-seq", "ours with LARDOM_PARALLEL=0 (one process)", "site", tuple(OURS_CACHE_DIRS)),
        Floor("floor", "mkdocs + material + static-i18n, no hooks, lessons out of the nav", "site"),
        Hugo("hugo", "Hugo with a minimal multilingual theme and taxonomies", "public", ("resources",)),
    )
}
DEFAULT_BUILDERS = ("ours", "floor", "hugo")  # ours-seq only when asked for


def floor_config(markdown_extensions: list) -> dict:
    """A plain project of our stack: Material with the plugins such a project has
    (search, i18n with the suffix structure), a navigation of the home page only."""
    return {
        "site_name": "Lärdomsbanken",
        "site_url": "https://lardomsbanken.example.org/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "sv", "font": False},
        "nav": ["index.md"],
        "not_in_nav": f"/{LESSON_FOLDER}/*",
        "markdown_extensions": markdown_extensions,
        "plugins": [
            "search",
            {"i18n": {
                "docs_structure": "suffix",
                "fallback_to_default": True,
                "reconfigure_material": True,
                "languages": [
                    {"locale": "sv", "name": "Svenska", "default": True, "build": True},
                    {"locale": "en", "name": "English", "build": True},
                ],
            }},
        ],
    }


def our_markdown_extensions() -> list:
    """`markdown_extensions` of our mkdocs.yml, so the floor renders the Markdown the same way."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and the like
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return config["markdown_extensions"]


def _compile(project: Path) -> None:
    """Byte-compile the copied code once, so that no measured build pays for it."""
    import compileall

    for folder in ("lardomsbanken", "hooks"):
        if (project / folder).is_dir():
            compileall.compile_dir(project / folder, quiet=1)


def _mkdocs_stack() -> str:
    names = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def _git_head() -> str:
    result = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return re.sub(r"\s+", " ", result.stdout.strip()) + (" + uncommitted changes" if dirty else "")
