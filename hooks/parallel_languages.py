"""Build each further language in its own process, alongside the first.

mkdocs-static-i18n builds the languages one after the other, inside the first
language's `on_post_build`; on a machine with several cores all but one sit
idle. After our `on_config` has generated and staged the site (which both
languages share), the build process forks once per further language. A child
tells static-i18n that it is that language's build and carries on as an
ordinary MkDocs build of it (into `site/<language>/`); the parent builds the
first language and then, instead of letting static-i18n build the others,
waits for the children and fails if any of them failed.

The parent empties the site folder after `on_pre_build`, so each child waits
until the parent's `on_files` (which comes after the emptying) before it
starts writing. Only `mkdocs build` forks, where `os.fork` exists, and not
when `LARDOM_PARALLEL=0`; anything else builds the languages in turn, with
the same output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ENVIRONMENT_SWITCH = "LARDOM_PARALLEL"


@dataclass
class Forked:
    """The state of one build process: the parent, a child, or neither."""

    language: str | None = None  # set in a child: the language it builds
    children: dict[str, int] = field(default_factory=dict)  # in the parent: language -> pid
    ready_fd: int | None = None  # parent: write end; child: read end of the "site folder is empty" pipe
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
    read_fd, write_fd = os.pipe()
    parent = Forked(ready_fd=write_fd)
    for language in languages:
        if language == first:
            continue
        pid = os.fork()
        if pid == 0:
            os.close(write_fd)
            # static-i18n's own state for a further language's build: which language,
            # and `building`, so that this build does not start the others again.
            i18n.current_language = language
            i18n.building = True
            return Forked(language=language, ready_fd=read_fd)
        parent.children[language] = pid
    os.close(read_fd)
    return parent


def wait_until_site_folder_emptied(state: Forked) -> None:
    if state.is_child and state.ready_fd is not None:
        os.read(state.ready_fd, 1)  # returns when the parent closes its end
        os.close(state.ready_fd)
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
