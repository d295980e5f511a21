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


def test_the_test_command_checks_style_and_types_before_the_tests():
    """One command, steps joined by `&&`: a failing ruff or mypy fails it (and CI) before pytest runs."""
    steps = next(command for command in readme_commands() if "pytest" in command).split(" && ")
    assert steps.index(".venv/bin/ruff check .") < steps.index(".venv/bin/mypy") < steps.index(".venv/bin/python -m pytest")


def test_dependencies_are_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    assert all("==" in requirement for requirement in requirements), requirements
    assert "mkdocs==1.6.1" in requirements and "mkdocs-static-i18n==1.3.1" in requirements
    test_tools = {requirement.split("==")[0] for requirement in project["optional-dependencies"]["test"]}
    assert {"mypy", "ruff", "types-PyYAML"} <= test_tools
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
    assert all("==" in line for line in constraints)
    pinned = dict(line.split("==") for line in constraints)
    for requirement in requirements:  # the same versions in both places
        name, version = requirement.split("==")
        assert pinned.get(name.split("[")[0]) == version, requirement
