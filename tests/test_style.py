"""The code's style and types are clean: ruff and mypy as configured in pyproject.toml (strict
for the core), run as CI runs them, so the quick lane (`pytest -m "not browser"`) fails on a slip.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

# The quick lane: it starts ruff and mypy (seconds, with mypy's cache), and a slip should show there.
pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("lardomsbanken", "hooks")  # what mypy reads ([tool.mypy] files)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    """A tool of this environment (the pinned one), from the project root, as CI runs it."""
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = run("ruff", "check", ".", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_mypy_is_strict_for_the_core_and_the_hooks():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert set(config["files"]) == set(CHECKED)
    for override in config.get("overrides", []):  # only libraries without types, let off nothing else
        assert set(override) == {"module", "ignore_missing_imports"}, override
        assert not any(module.split(".")[0] in ("lardomsbanken", "lardomsbanken_hooks") for module in override["module"])


def test_mypy_with_this_configuration_refuses_an_unannotated_function(tmp_path):
    """The configuration is really strict: the same run refuses what strict refuses."""
    probe = tmp_path / "probe.py"
    probe.write_text("def untyped(value):\n    return value\n", encoding="utf-8")
    result = run("mypy", "--config-file", str(ROOT / "pyproject.toml"), str(probe))
    assert result.returncode == 1 and "[no-untyped-def]" in result.stdout, result.stdout + result.stderr


def test_every_type_ignore_names_its_error_code_and_says_why():
    allowed = re.compile(r"# type: ignore\[[a-z-]+(?:, *[a-z-]+)*\]  # \S")
    found = []
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if "type: ignore" in line and not allowed.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
