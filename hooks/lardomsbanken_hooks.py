"""MkDocs adapter for the Lärdomsbanken core. The only code that knows MkDocs.

`on_config` runs before mkdocs-static-i18n's (priority 100 > -100): it asks
the core for the whole site source (hand-written pages from `content/` plus
generated lesson and index pages), writes what changed into a staging
folder and points `docs_dir` there, so that static-i18n and MkDocs only see
ordinary files. A content error stops the build before anything is written
to the site folder, with every problem listed as `file:line:column: message`.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # works without `pip install -e .` too
    sys.path.insert(0, str(_ROOT))

from lardomsbanken import site, staging  # noqa: E402
from lardomsbanken.messages import MessageCatalogue  # noqa: E402
from lardomsbanken.problems import ContentErrors  # noqa: E402

log = logging.getLogger("mkdocs.plugins.lardomsbanken")
STAGING_FOLDER = Path(".staging") / "docs"


def _staging_dir(config) -> Path:
    return Path(config.config_file_path).resolve().parent / STAGING_FOLDER


@event_priority(100)
def on_config(config):
    staging_dir = _staging_dir(config)
    if Path(config.docs_dir).resolve() == staging_dir:
        return config  # static-i18n's build of the next language reuses this build's source
    project = site.Project.at(staging_dir.parent.parent, Path(config.docs_dir), config.use_directory_urls)
    try:
        generated = site.generate(project)
    except ContentErrors as errors:
        _report(project, errors)
    _check_languages(config, generated.data)
    staging.sync(generated.files, staging_dir)
    config.docs_dir = str(staging_dir)
    return config


def on_serve(server, config, builder):
    # The staging folder is our own output; `watch:` in mkdocs.yml lists the real sources.
    server.unwatch(config.docs_dir)
    return server


def _report(project: site.Project, errors: ContentErrors):
    catalogue = MessageCatalogue.load(project.data_dir / "messages.yml")
    language = os.environ.get("LARDOM_LANG", "sv")
    for problem in errors.problems:
        log.error(catalogue.render(problem, language))
    raise PluginError(catalogue.text("build-failed", language, count=len(errors.problems)))


def _check_languages(config, data) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    configured = [language.locale for language in i18n.config.languages if language.build]
    if configured != data.language_codes:
        message = data.messages.text("language-config-mismatch", os.environ.get("LARDOM_LANG", "sv"),
                                     data=data.language_codes, config=configured)
        raise PluginError(f"mkdocs.yml: {message}")
