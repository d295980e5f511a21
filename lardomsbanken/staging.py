"""Writing the generated site source into a folder that a site engine reads.

Only files whose content changed are written, and files that are no longer
generated are removed, so that a watching server sees real changes only and
the engine's own caches stay valid.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .site import FileContent


def sync(files: dict[str, FileContent], target: Path) -> list[str]:
    """Make `target` hold exactly `files`; return the paths that were written."""
    written = write(files, target)
    remove_others(target, set(files))
    return written


def write(files: dict[str, FileContent], target: Path) -> list[str]:
    """Write the `files` whose content in `target` differs; return their paths.

    Processes may write different files into the same `target` at once."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for relative, content in files.items():
        path = target / relative
        if isinstance(content, Path):
            if _same_file(content, path):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(content, path)
        else:
            data = content.encode("utf-8")
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        written.append(relative)
    return written


def _same_file(source: Path, copy: Path) -> bool:
    if not copy.is_file():
        return False
    a, b = source.stat(), copy.stat()
    return a.st_size == b.st_size and source.read_bytes() == copy.read_bytes()


def remove_others(target: Path, keep: set[str]) -> None:
    """Remove every file under `target` but those in `keep`, and folders left empty."""
    if not target.is_dir():
        return
    root = str(target)
    for folder, dirs, names in os.walk(root, topdown=False):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            if prefix + name not in keep:
                os.unlink(os.path.join(folder, name))
        if folder != root and not os.listdir(folder):
            os.rmdir(folder)
