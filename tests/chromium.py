"""Headless Chromium for browser tests: serve a built site and read the DOM after scripts ran.

Small on purpose: `--dump-dom` of a URL served by a local `http.server` thread.
No network beyond 127.0.0.1, nothing downloaded. A missing Chromium fails the
test that needs it (never a skip).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on a free local port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(url: str, budget_ms: int = 5000) -> str:
    """The page's DOM after its scripts ran for `budget_ms` of virtual time."""
    assert Path(CHROMIUM).is_file(), f"Chromium not found at {CHROMIUM}: the browser tests need it (set CHROMIUM)"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"Chromium failed on {url}:\n{result.stderr[-2000:]}"
    return result.stdout
