"""The `lardom` command for editors: a thin layer over scaffold, checks and status.

Every word it prints comes from `data/labels.yml` (interface words, help) or
`data/messages.yml` (problems and errors), in Swedish unless `--lang` or
LARDOM_LANG asks for another site language. Click's own help layout is
replaced so that headings and help texts are translated too.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from lardomsbanken.check import collection as checks
from lardomsbanken.check import status as status_module
from lardomsbanken.cli import new as scaffold
from lardomsbanken.index.collation import collation_key
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.slugs import is_slug, slugify, suggest
from lardomsbanken.load.translations import mark_translated
from lardomsbanken.load.vocabularies import Labels, SiteData, Term, Vocabulary
from lardomsbanken.load.yamltext import load_plain
from lardomsbanken.model.problems import Problem

PROJECT_MARKER = "mkdocs.yml"
DEFAULT_LANGUAGE = "sv"
_PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"  # a checkout's own words, if no project is found
_YES = ("j", "ja", "y", "yes")


# --- words -------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """Interface words and messages in one language, read without the strict vocabulary checks
    (so that the command can still speak when a vocabulary has errors)."""

    labels: Labels
    messages: MessageCatalogue
    language: str

    @classmethod
    def load(cls, data_dir: Path, language: str) -> Words:
        try:
            texts = load_plain((data_dir / "labels.yml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            texts = None  # `lardom check` says what is wrong with the file; until then, keys for words
        return cls(Labels(texts if isinstance(texts, dict) else {}), MessageCatalogue.load(data_dir / "messages.yml"),
                   language)

    @property
    def languages(self) -> list[str]:
        return list(self.labels.texts.get("cli.help") or ("sv", "en"))

    def __call__(self, key: str, **params: Any) -> str:
        if key not in self.labels.texts:
            return key
        return self.labels(key, self.language, **params)

    def message(self, code: str, **params: Any) -> str:
        return self.messages.text(code, self.language, **params)

    def problem(self, problem: Problem) -> str:
        if problem.is_error:
            return self.messages.render(problem, self.language)
        text = self.messages.text(problem.code, self.language, **problem.params)
        return f"{problem.position}: {self('cli.warning')}: {text}"


class Failure(click.ClickException):
    """An error of the command itself, already in the editor's language."""

    exit_code = 1


def find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    return None


def _language_asked(ctx: click.Context) -> str:
    root = ctx.find_root()
    return root.meta.get("lardom.lang") or os.environ.get("LARDOM_LANG") or DEFAULT_LANGUAGE


def _words_for(ctx: click.Context) -> Words:
    root = ctx.find_root().meta.get("lardom.root") or find_root(Path.cwd())
    data_dir = root / "data" if root and (root / "data" / "labels.yml").is_file() else _PACKAGE_DATA
    words = Words.load(data_dir, DEFAULT_LANGUAGE)
    language = _language_asked(ctx)
    return Words(words.labels, words.messages, language if language in words.languages else DEFAULT_LANGUAGE)


# --- help and errors in the editor's language ------------------------------------------


class _Localised(click.Command):
    """Help whose texts are label keys, laid out like click's but with translated headings
    (mixed in before click's Command or Group)."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = _words_for(ctx)
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=words("cli.usage") + ": ")
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(words(self.help))
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record and isinstance(param, click.Option):  # an argument has no help record
                rows.append((record[0], words("cli.help.help" if param.name == "help" else param.help or "")))
        if rows:
            with formatter.section(words("cli.options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(name, words(self.commands[name].help or "")) for name in self.list_commands(ctx)
                        if not self.commands[name].hidden]
            with formatter.section(words("cli.commands")):
                formatter.write_dl(commands)


class LardomCommand(_Localised, click.Command):
    pass


class LardomGroup(_Localised, click.Group):
    command_class = LardomCommand

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's errors (an unknown option, a missing value) get the editor's language around them."""
        try:
            code = super().main(args, prog_name or "lardom", complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            words = _words_for(click.Context(self, info_name="lardom"))
            click.echo(f"{words('cli.error')}: {error.format_message()}", err=True)
            if isinstance(error, click.UsageError):
                click.echo(words("cli.usage_hint"), err=True)
            code = error.exit_code
        except click.Abort:
            click.echo(err=True)
            code = 1
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


# --- the command ---------------------------------------------------------------------


@dataclass
class Env:
    root: Path
    words: Words
    today: datetime.date

    def data(self) -> SiteData:
        """The checked site data; with errors in it, the errors are printed and the command stops."""
        result = checks.load_project(self.root)
        if result.data is None:
            print_problems(result.problems, self.words)
            raise click.exceptions.Exit(1)
        return result.data

    def fail(self, code: str, **params: Any) -> Failure:
        return Failure(self.words.message(code, **params))


def _remember_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        ctx.find_root().meta["lardom.lang"] = value
    return value


@click.group("lardom", cls=LardomGroup, help="cli.help", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", envvar="LARDOM_LANG", is_eager=True, callback=_remember_language, metavar="SPRÅK",
              help="cli.help.lang")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), help="cli.help.root")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)  # for tests: the day warnings count from
@click.pass_context
def main(ctx: click.Context, lang: str | None, root: Path | None, today: datetime.datetime | None) -> None:
    found = find_root(Path.cwd()) if root is None else root.resolve() if (root / PROJECT_MARKER).is_file() else None
    ctx.meta["lardom.root"] = found
    words = _words_for(ctx)
    if lang and lang not in words.languages:
        raise Failure(words.message("cli-unknown-language", language=lang, valid=words.languages))
    if found is None:
        raise Failure(words.message("cli-no-project"))
    ctx.obj = Env(found, words, today.date() if today else datetime.date.today())


def print_problems(problems: list[Problem], words: Words) -> None:
    lines = [words.problem(problem) for problem in problems]
    if os.environ.get("GITHUB_ACTIONS") == "true":
        lines += [annotation(problem, words) for problem in problems]
    if lines:
        click.echo("\n".join(lines))  # in one write: thousands of lines are printed at once


def annotation(problem: Problem, words: Words) -> str:
    """A GitHub Actions workflow command that shows the problem on the file's line."""
    text = words.messages.text(problem.code, words.language, **problem.params)
    where = problem.position
    properties = f"file={_escape_property(where.file)},line={where.line},col={where.column}"
    return f"::{'error' if problem.is_error else 'warning'} {properties}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@main.command(help="cli.help.check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def check(env: Env, paths: tuple[Path, ...]) -> None:
    only = None
    if paths:
        only = []
        for path in paths:
            absolute = (Path.cwd() / path).resolve()
            if not absolute.exists():
                raise env.fail("cli-path-missing", path=str(path))
            try:
                only.append(absolute.relative_to(env.root).as_posix())
            except ValueError:
                only.append(absolute.as_posix())
    result = checks.check(env.root, env.today, only)
    print_problems(result.problems, env.words)
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        click.echo(env.words("cli.check.summary", errors=errors, warnings=warnings))
    else:
        click.echo(env.words("cli.check.ok", files=", ".join(only) if only else env.words("cli.check.all_files")))
    if errors:
        click.echo(env.words("cli.check.failed"))
        raise click.exceptions.Exit(1)


# --- new --------------------------------------------------------------------------


def _ask_text(env: Env, key: str) -> str:
    while True:
        answer = " ".join(click.prompt(env.words(key), default="", show_default=False).split())
        if answer:
            return answer
        click.echo(env.words.message("cli-empty-answer"))


def _choose(env: Env, data: SiteData, vocabulary: Vocabulary, given: tuple[str, ...], field: str,
            many: bool) -> list[str]:
    """Ids from the options, or asked for from a numbered list; wrong answers are asked again."""
    words = env.words
    if given:
        ids, problem = _resolve(env, vocabulary, list(given), field, many)
        if problem:
            raise Failure(problem)
        return ids
    # Listed by name as the editor's language sorts them (å, ä, ö last); numbers follow the list.
    key = collation_key(data.language(words.language))
    shown = sorted(vocabulary, key=lambda term: key(term.name(words.language)))
    click.echo(f"\n{words('cli.ask.' + field)}:")
    width = len(str(len(shown)))
    id_width = max(len(term.id) for term in shown)
    for number, term in enumerate(shown, start=1):
        click.echo(f"  {str(number).rjust(width)}  {term.id.ljust(id_width)}  {term.name(words.language)}")
    click.echo(words("cli.ask.many" if many else "cli.ask.one"))
    while True:
        answer = click.prompt(words("cli.ask." + field), default="", show_default=False)
        ids, problem = _resolve(env, vocabulary, [answer], field, many, shown)
        if not problem:
            return ids
        click.echo(problem)


def _resolve(env: Env, vocabulary: Vocabulary, answers: list[str], field: str, many: bool,
             shown: list[Term] | None = None) -> tuple[list[str], str]:
    choice = scaffold.choose(answers, vocabulary, shown)
    if choice.unknown:
        value, suggestions = choice.unknown[0]
        return [], env.words.message("cli-bad-choice", value=value, field=field, suggestions=suggestions)
    if not choice.ids:
        return [], env.words.message("cli-empty-answer")
    if len(choice.ids) > 1 and not many:
        return [], env.words.message("cli-only-one", field=field)
    return choice.ids, ""


@main.command(help="cli.help.new")
@click.option("--type", "type_", metavar="TYP", help="cli.help.new.type")
@click.option("--title", help="cli.help.new.title")
@click.option("--summary", help="cli.help.new.summary")
@click.option("--theme", multiple=True, help="cli.help.new.theme")
@click.option("--region", multiple=True, help="cli.help.new.region")
@click.option("--actor", multiple=True, help="cli.help.new.actor")
@click.option("--date", "date_text", metavar="ÅÅÅÅ-MM-DD", help="cli.help.new.date")
@click.option("--english/--no-english", default=None, help="cli.help.new.english")
@click.option("--slug", help="cli.help.new.slug")
@click.pass_obj
def new(env: Env, type_: str | None, title: str | None, summary: str | None, theme: tuple[str, ...],
        region: tuple[str, ...], actor: tuple[str, ...], date_text: str | None, english: bool | None,
        slug: str | None) -> None:
    data = env.data()
    words = env.words
    try:
        date = datetime.date.fromisoformat(date_text) if date_text else env.today
    except ValueError:
        raise env.fail("cli-bad-date", value=date_text) from None  # the message says it all
    if slug is not None and not is_slug(slug):
        raise env.fail("cli-bad-slug", value=slug, suggestion=slugify(slug) or "min-lardom")
    type_id = _choose(env, data, data.types, (type_,) if type_ else (), "type", many=False)[0]
    title = " ".join(title.split()) if title else _ask_text(env, "cli.ask.title")
    slug = slug or slugify(title)
    if not slug:
        raise env.fail("cli-no-slug")
    try:  # before the other questions: a taken name should not waste the editor's answers
        scaffold.free_slug(slug, env.root / "lessons", env.root)
    except scaffold.SlugTaken as taken:
        raise env.fail("cli-slug-taken" if taken.path else "cli-slug-reserved", slug=slug, path=taken.path) from taken
    summary = " ".join(summary.split()) if summary else _ask_text(env, "cli.ask.summary")
    themes = _choose(env, data, data.themes, theme, "theme", many=True)
    regions = _choose(env, data, data.regions, region, "region", many=True)
    actors = _choose(env, data, data.actors, actor, "actor", many=True)
    if english is None:
        answer = click.prompt(words("cli.ask.english"), default="", show_default=False, prompt_suffix=" ")
        english = answer.strip().lower() in _YES
    lesson = scaffold.NewLesson(slug, type_id, title, summary, date, tuple(regions), tuple(themes), tuple(actors))
    translations = [code for code in data.language_codes if code != data.source_language] if english else []
    written = scaffold.create(env.root, lesson, data, translations)
    click.echo()
    shown = [path.relative_to(env.root).as_posix() for path in written]
    for path in shown:
        click.echo(words("cli.created", path=path))
    result = checks.check(env.root, env.today, shown)
    print_problems(result.problems, words)
    click.echo(words("cli.created.next", path=shown[0]))
    if result.errors:
        raise click.exceptions.Exit(1)


# --- translated --------------------------------------------------------------------


@main.command(help="cli.help.translated")
@click.argument("slug")
@click.option("--language", "languages", multiple=True, metavar="SPRÅK", help="cli.help.translated.language")
@click.pass_obj
def translated(env: Env, slug: str, languages: tuple[str, ...]) -> None:
    project = checks.load_project(env.root)
    if project.data is None or project.loaded is None:
        print_problems(project.problems, env.words)
        raise click.exceptions.Exit(1)
    data, lessons = project.data, project.loaded.lessons
    lesson = lessons.get(slug)
    if lesson is None:
        if scaffold.existing_slugs(env.root / "lessons", env.root).get(slug):
            raise env.fail("cli-lesson-has-errors")
        raise env.fail("cli-unknown-lesson", slug=slug, suggestions=suggest(slug, {s: [] for s in lessons}))
    source = lesson.versions[lesson.source_language]
    wanted = list(languages) or [code for code in data.language_codes if code != data.source_language
                                 and (lesson.is_translated(code) or code in lesson.unfinished)]
    paths = []
    for language in wanted or [code for code in data.language_codes if code != data.source_language][:1]:
        path = lesson.versions[language].path if lesson.is_translated(language) else lesson.unfinished.get(language)
        if path is None:
            expected = Path(source.path).with_name(f"{slug}.{language}.md").as_posix()
            raise env.fail("cli-no-translation-file", slug=slug, language=language, path=expected)
        file = env.root / path
        file.write_text(mark_translated(file.read_text(encoding="utf-8"), source.fingerprint), encoding="utf-8")
        click.echo(env.words("cli.translated.done", path=path, fingerprint=source.fingerprint))
        paths.append(path)
    result = checks.check(env.root, env.today, paths)
    print_problems(result.problems, env.words)
    if result.errors:
        raise click.exceptions.Exit(1)


# --- status and preview ------------------------------------------------------------


@main.command(help="cli.help.status")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              help="cli.help.status.format")
@click.pass_obj
def status(env: Env, output: str) -> None:
    project = checks.load_project(env.root)
    if project.data is None or project.loaded is None:
        print_problems(project.problems, env.words)
        raise click.exceptions.Exit(1)
    errors = sum(1 for problem in project.problems if problem.is_error)
    summary = status_module.collection_status(project.loaded.lessons, project.data, errors)
    if output == "json":
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(status_module.status_text(summary, project.data, env.words.language), nl=False)


@main.command(help="cli.help.preview")
@click.option("-a", "--dev-addr", "address", default="127.0.0.1:8000", metavar="IP:PORT",
              help="cli.help.preview.addr")
@click.pass_obj
def preview(env: Env, address: str) -> None:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The site engine's side of the preview, in a process of its own: the core does not import MkDocs.
    command = [sys.executable, "-m", "lardomsbanken.adapter.preview_engine", "--root", str(env.root),
               "--dev-addr", address, "--lang", env.words.language]
    process = subprocess.Popen(command, cwd=env.root, env=environment)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        # Ctrl+C reaches the preview too: it stops, and keeps what it built for the next
        # session (the build cache), which takes a moment with many lessons; wait for it.
        code = process.wait()
        code = 0 if code in (0, -signal.SIGINT, 130) else code
    raise click.exceptions.Exit(code)
