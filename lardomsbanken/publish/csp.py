"""The Content-Security-Policy a built site passes, read from the site itself.

Everything the site loads is its own (no CDN, fonts or external scripts), so
the policy is `'self'` throughout, except Material's few inline scripts. Their
text is fixed for a Material version, but one of them names the page's depth
(`new URL("../..", location)`) and, on the 404 page, the site's path, so the
policy lists the hash of every inline script found in the built pages rather
than allowing `'unsafe-inline'`. Print it for a build with

    python -m lardomsbanken.publish.csp site/
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

# An executable inline script: no `src`, no data type (JSON and JSON-LD are not run).
_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_DATA_TYPE = re.compile(r"""\btype=["']?application/(?:ld\+)?json""", re.IGNORECASE)
_SOURCE = re.compile(r"\bsrc=", re.IGNORECASE)

# Besides scripts: styles and images only from the site (Material's icons are
# data: URLs in its CSS), fetches (search indexes) only from the site, nothing framed.
_OTHERS = (
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)


def inline_script_hashes(site_dir: Path) -> list[str]:
    """`'sha256-…'` of every distinct inline script in the site's HTML pages, sorted."""
    hashes = set()
    for page in sorted(Path(site_dir).rglob("*.html")):
        for match in _SCRIPT.finditer(page.read_text(encoding="utf-8")):
            attributes = match.group("attributes")
            if _SOURCE.search(attributes) or _DATA_TYPE.search(attributes):
                continue
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.add("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(hashes)


def policy(site_dir: Path) -> str:
    """The Content-Security-Policy header value for the built site in `site_dir`."""
    directives = [("default-src", "'self'"),
                  ("script-src", " ".join(["'self'", *inline_script_hashes(site_dir)]))]
    directives += _OTHERS
    return "; ".join(f"{name} {value}" for name, value in directives)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: python -m lardomsbanken.publish.csp SITE_DIR")
    print(policy(Path(sys.argv[1])))
