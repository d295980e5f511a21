"""The project's own promises: CI runs the README's test command, versions are pinned."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_readme_gives_a_serve_and_a_test_command():
    commands = readme_commands()
    assert any(command.endswith("lardom preview") for command in commands)
    assert any("pytest" in command for command in commands)


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(command for command in readme_commands() if "pytest" in command)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_dependencies_are_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    assert all("==" in requirement for requirement in requirements), requirements
    assert "mkdocs==1.6.1" in requirements and "mkdocs-static-i18n==1.3.1" in requirements
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
    assert all("==" in line for line in constraints)
