"""`lardom preview`: the preview server, with MkDocs building the site's own part when needed.

Run as `python -m lardomsbanken.adapter.preview_engine` by `lardom preview` (the core's command line does not import
MkDocs). The first build, and a build after a change to `content/`,
`overrides/`, `data/` or `mkdocs.yml`, is an ordinary MkDocs build of the
whole site, in this process, into the preview's own folder. After a change
under `lessons/` the core rebuilds the collection alone (lardomsbanken/cli/preview.py).
Content errors are shown in the browser instead of a page, and the site
comes back as soon as the file is fixed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from lardomsbanken.cli import preview
from lardomsbanken.cli.preview_server import BuildReport, PreviewServer
from lardomsbanken.load.messages import MessageCatalogue
from lardomsbanken.load.vocabularies import load_site_data
from lardomsbanken.runtime.cache import CACHE_FOLDER, SESSION, Memo, build_cache

WATCHED = ("lessons", "content", "data", "overrides", "mkdocs.yml", "lardomsbanken/render/templates")


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--root", type=Path, default=Path.cwd())
    arguments.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT")
    arguments.add_argument("--lang", default="sv", help="the editor's language")
    options = arguments.parse_args(argv)
    host, _, port = options.dev_addr.rpartition(":")
    root = options.root.resolve()
    server = make_server(root, host or "127.0.0.1", int(port), options.lang)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        cache = build_cache(root)
        if cache is not None and SESSION.preview is not None and not SESSION.preview.problems:
            SESSION.preview.memo.save(cache)  # the next session starts warm
    return 0


def make_server(root: Path, host: str, port: int, language: str) -> PreviewServer:
    site_dir = root / CACHE_FOLDER / "preview"
    cache = build_cache(root)
    session = preview.PreviewSession(root, site_dir, memo=Memo.load(cache) if cache else Memo())
    SESSION.preview = session
    SESSION.start("serve")
    catalogue = MessageCatalogue.load(root / "data" / "messages.yml")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the server tells what happened, in the editor's language

    def engine_build() -> None:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config)
        except MkDocsException:
            if not session.problems:
                raise  # not a content error: the server shows it as it is
        finally:
            config.plugins.on_shutdown()

    def rebuild(changed: frozenset[Path]) -> BuildReport:
        written, problems, then = preview.rebuild(session, changed, engine_build)
        return BuildReport(tuple(catalogue.render(problem, language) for problem in problems), tuple(written), then)

    data = load_site_data(root / "data", root)

    def words(key: str, **params: object) -> str:
        return data.labels(key, language, **params)

    watch = [root / name for name in WATCHED if (root / name).exists()]
    return PreviewServer(site_dir, rebuild, watch, words, language, host=host, port=port)


if __name__ == "__main__":
    sys.exit(main())
