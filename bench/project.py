"""A copy of the project with another lessons folder: what the benchmark builds, and the build tests too."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "data", "content", "hooks", "overrides", "lardomsbanken")


def make_project(target: Path, lessons: Path) -> Path:
    """A copy of the project with the given lessons folder, ready to build."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy2(source, target / part)
    shutil.copytree(lessons, target / "lessons", ignore=ignore)
    return target
