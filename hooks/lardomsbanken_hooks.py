"""MkDocs hooks (mkdocs.yml names this file): each event goes to the core's adapter.

The adapter (lardomsbanken/adapter/events.py) holds the state of a build on one
object; nothing here but the names MkDocs looks for.
"""

from lardomsbanken.adapter.events import MkDocsAdapter

adapter = MkDocsAdapter()

on_startup = adapter.on_startup
on_config = adapter.on_config
on_build_error = adapter.on_build_error
on_files = adapter.on_files
on_nav = adapter.on_nav
on_env = adapter.on_env
on_page_markdown = adapter.on_page_markdown
on_page_content = adapter.on_page_content
on_page_context = adapter.on_page_context
on_template_context = adapter.on_template_context
on_post_page = adapter.on_post_page
on_post_template = adapter.on_post_template
on_post_build = adapter.on_post_build
