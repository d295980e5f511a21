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
    _remove_others(target, set(files))
    return written


def _same_file(source: Path, copy: Path) -> bool:
    if not copy.is_file():
        return False
    a, b = source.stat(), copy.stat()
    return a.st_size == b.st_size and source.read_bytes() == copy.read_bytes()


def _remove_others(target: Path, keep: set[str]) -> None:
    for folder, dirs, names in os.walk(target, topdown=False):
        for name in names:
            path = Path(folder) / name
            if path.relative_to(target).as_posix() not in keep:
                path.unlink()
        if Path(folder) != target and not os.listdir(folder):
            os.rmdir(folder)
