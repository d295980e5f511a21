"""`lardom check` without the command line: the build's rules plus editors' warnings.

Errors come from the same loaders as the build (`load_site_data`,
`load_lessons`), so a file that passes here passes the build. Warnings do not
stop anything; they point at work waiting to be done: translations missing,
unfinished or made from an older Swedish text, and lessons not updated for
a long time.
"""

from __future__ import annotations

import datetime
import os
import pickle
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from lardomsbanken.load.lessons import LoadResult, Part, load_lessons
from lardomsbanken.load.vocabularies import SiteData, load_site_data
from lardomsbanken.model.lesson import Lesson
from lardomsbanken.model.problems import ContentErrors, Position, Problem, sort_problems

STALE_AFTER_YEARS = 2


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    data: SiteData | None = None  # None when the vocabularies themselves have errors
    loaded: LoadResult | None = None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]


def load_project(root: Path) -> CheckResult:
    """Data and lessons of the project at `root`, with every error the build would find."""
    try:
        data = load_site_data(root / "data", root)
    except ContentErrors as errors:
        return CheckResult(list(errors.problems))
    loaded = load_lessons(root / "lessons", root, data)
    return CheckResult(list(loaded.problems), data, loaded)


def check(root: Path, today: datetime.date, only: list[str] | None = None) -> CheckResult:
    """Every problem and warning in the project; with `only` (project-relative
    paths of files or folders), those in these files. Data errors are always
    kept: without the vocabularies no lesson can be checked.

    With many lessons and a machine that can fork, the lessons are checked in
    parallel processes, each reading its part (`loader.Part`); the result is the
    same, but `loaded` is then not kept."""
    parts = _parts(root)
    result = _check_part(root, today, None) if parts == 1 else _check_in_parts(root, today, parts)
    if only is not None and result.data is not None:
        result.problems = [problem for problem in result.problems if _is_under(problem.position.file, only)]
    result.problems = sort_problems(result.problems)
    return result


# Below this many lesson files, starting processes costs more than it saves.
PARALLEL_FROM_FILES = 400


def _parts(root: Path) -> int:
    if not hasattr(os, "fork") or os.environ.get("LARDOM_PARALLEL", "1") == "0":
        return 1
    count = sum(name.endswith(".md") for _, _, names in os.walk(root / "lessons") for name in names)
    return min(os.cpu_count() or 1, 4) if count >= PARALLEL_FROM_FILES else 1


def _check_part(root: Path, today: datetime.date, part: Part | None) -> CheckResult:
    try:
        data = load_site_data(root / "data", root)
    except ContentErrors as errors:
        return CheckResult(list(errors.problems))
    loaded = load_lessons(root / "lessons", root, data, part=part)
    result = CheckResult(list(loaded.problems), data, loaded)
    for lesson in loaded.lessons.values():
        result.problems += lesson_warnings(lesson, data, today)
    return result


def _check_in_parts(root: Path, today: datetime.date, parts: int) -> CheckResult:
    """Each part in a forked process, which sends back its problems (not its lessons)."""
    readers = []
    for index in range(1, parts):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check its part, send the problems, leave at once
            os.close(read_end)
            status = 1
            try:
                problems = _check_part(root, today, Part(index, parts)).problems
                with os.fdopen(write_end, "wb") as stream:
                    pickle.dump(problems, stream)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        readers.append((pid, read_end))
    result = _check_part(root, today, Part(0, parts))
    for pid, read_end in readers:
        with os.fdopen(read_end, "rb") as stream:
            received = stream.read()  # before waiting: a full pipe would block the child
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not received:
            raise RuntimeError("a checking process failed")  # a bug of ours, not a content problem
        result.problems += pickle.loads(received)
    result.loaded = None
    return result


def _is_under(file: str, paths: list[str]) -> bool:
    return any(file == path or file.startswith(path.rstrip("/") + "/") for path in paths)


def lesson_warnings(lesson: Lesson, data: SiteData, today: datetime.date) -> list[Problem]:
    warnings: list[Problem] = []
    source = lesson.versions[lesson.source_language]
    for language in data.language_codes:
        if language == lesson.source_language:
            continue
        state = translation_state(lesson, language)
        if state == "current":
            continue
        if state == "missing":
            expected = posixpath.join(posixpath.dirname(source.path), f"{lesson.slug}.{language}.md")
            where, params = Position(source.path), {"expected": expected}
        elif state == "unfinished":
            where, params = Position(lesson.unfinished[language]), {}
        else:  # outdated or untracked: the translation is published
            version = lesson.versions[language]
            where = Position(version.path, version.field_lines.get("translated_from", 1), 1)
            params = {"source": source.path}
        warnings.append(Problem(f"translation-{state}", where, "warning", language=language,
                                slug=lesson.slug, **params))
    changed = last_changed(lesson)
    if changed < years_before(today, STALE_AFTER_YEARS):
        name = "updated" if lesson.updated else "date"
        line = source.field_lines.get(name, 1)
        warnings.append(Problem("lesson-not-updated", Position(source.path, line, 1), "warning",
                                date=changed.isoformat(), years=STALE_AFTER_YEARS, today=today.isoformat()))
    return warnings


def last_changed(lesson: Lesson) -> datetime.date:
    """The newest of `date` and `updated`."""
    return max(lesson.date, lesson.updated or lesson.date)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def translation_state(lesson: Lesson, language: str) -> str:
    """`current`, `outdated`, `untracked`, `unfinished` or `missing`."""
    if language in lesson.unfinished:
        return "unfinished"
    version = lesson.versions.get(language)
    if version is None:
        return "missing"
    if version.translated_from is None:
        return "untracked"
    source = lesson.versions[lesson.source_language]
    return "current" if version.translated_from == source.fingerprint else "outdated"
