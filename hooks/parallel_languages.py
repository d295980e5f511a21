"""Build each further language in its own process, alongside the first.

mkdocs-static-i18n builds the languages one after the other, inside the first
language's `on_post_build`; on a machine with several cores all but one sit
idle. After our `on_config` has generated and staged the site (which both
languages share), the build process forks once per further language. A child
tells static-i18n that it is that language's build and carries on as an
ordinary MkDocs build of it (into `site/<language>/`); the parent builds the
first language and then, instead of letting static-i18n build the others,
waits for the children and fails if any of them failed.

Everything that can find a content error is done before the fork; each
process then renders its own languages' pages into the staging folder, and
waits in `on_pre_build` until the others have staged theirs (MkDocs reads the
staging folder after that event). The parent empties the whole site folder
after `on_pre_build`; a child does not empty its language's folder itself (two
processes emptying one folder at once trip over each other), and waits before
it writes anything (`on_env`) until the parent's `on_files`, which comes after
the emptying. Only `mkdocs build` forks, where `os.fork` exists, and not
when `LARDOM_PARALLEL=0`; anything else builds the languages in turn, with
the same output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import mkdocs.utils

ENVIRONMENT_SWITCH = "LARDOM_PARALLEL"


@dataclass
class Forked:
    """The state of one build process: the parent, a child, or neither."""

    language: str | None = None  # set in a child: the language it builds
    children: dict[str, int] = field(default_factory=dict)  # in the parent: language -> pid
    ready_fd: int | None = None  # parent: write end; child: read end of the "site folder is empty" pipe
    staged_fd: int | None = None  # parent: read end; child: write end of the "children have staged" pipe
    first_staged_fd: int | None = None  # parent: write end; child: read end of the "parent has staged" pipe
    held_back: list = field(default_factory=list)  # parent: static-i18n language configs set not to build

    @property
    def is_child(self) -> bool:
        return self.language is not None


def wanted(command: str | None) -> bool:
    return command == "build" and hasattr(os, "fork") and os.environ.get(ENVIRONMENT_SWITCH, "1") != "0"


def fork_languages(i18n) -> Forked:
    """Fork one child per further built language; returns this process's part."""
    languages = [language.locale for language in i18n.config.languages if language.build]
    first = i18n.default_language
    # Each signal is the closing of a pipe's write ends: a reader gets end-of-file
    # once every writer has closed its end or exited, whatever became of it.
    ready_read, ready_write = os.pipe()
    staged_read, staged_write = os.pipe()
    first_staged_read, first_staged_write = os.pipe()
    parent = Forked(ready_fd=ready_write, staged_fd=staged_read, first_staged_fd=first_staged_write)
    for language in languages:
        if language == first:
            continue
        pid = os.fork()
        if pid == 0:
            for end in (ready_write, staged_read, first_staged_write):
                os.close(end)
            # static-i18n's own state for a further language's build: which language,
            # and `building`, so that this build does not start the others again.
            i18n.current_language = language
            i18n.building = True
            # The parent empties the whole site folder; static-i18n does the same when it
            # builds the further languages itself.
            mkdocs.utils.clean_directory = lambda directory: None
            return Forked(language=language, ready_fd=ready_read, staged_fd=staged_write,
                          first_staged_fd=first_staged_read)
        parent.children[language] = pid
    for end in (ready_read, staged_write, first_staged_read):
        os.close(end)
    return parent


def staged(state: Forked) -> None:
    """This process's pages are in the staging folder."""
    end = state.staged_fd if state.is_child else state.first_staged_fd
    if end is not None:
        os.close(end)
        if state.is_child:
            state.staged_fd = None
        else:
            state.first_staged_fd = None


def wait_until_staged(state: Forked) -> None:
    """Returns when the other processes have staged their pages (or have ended)."""
    end = state.first_staged_fd if state.is_child else state.staged_fd
    if end is not None:
        _wait_for_end_of_file(end)
        if state.is_child:
            state.first_staged_fd = None
        else:
            state.staged_fd = None


def _wait_for_end_of_file(end: int) -> None:
    while os.read(end, 1):
        pass
    os.close(end)


def wait_until_site_folder_emptied(state: Forked) -> None:
    if state.is_child and state.ready_fd is not None:
        _wait_for_end_of_file(state.ready_fd)  # the parent closes its end
        state.ready_fd = None


def site_folder_emptied(state: Forked) -> None:
    if not state.is_child and state.ready_fd is not None:
        os.close(state.ready_fd)
        state.ready_fd = None


def hold_back_forked_languages(state: Forked, i18n) -> None:
    """Before static-i18n's on_post_build: it must not build what a child builds."""
    for language in i18n.config.languages:
        if language.locale in state.children and language.build:
            language.build = False
            state.held_back.append(language)


def wait_for_children(state: Forked) -> list[str]:
    """Waits for every child; returns the languages whose build failed."""
    for language in state.held_back:
        language.build = True
    state.held_back.clear()
    failed = []
    for language, pid in state.children.items():
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(language)
    state.children.clear()
    return failed
