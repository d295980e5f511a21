"""The CI files parse and say what the README promises: check, test and build on every push
and pull request, the test jobs check style and types (ruff, mypy) before the tests, ProperDocs
builds too, only the main branch publishes, after all passed, and the build keeps its cache
(.cache/lardom/, lardomsbanken/runtime/cache.py) between runs.
"""

from __future__ import annotations

import yaml
from sitebuild import ROOT

from lardomsbanken.runtime.cache import CACHE_FOLDER

# What a build leaves in its cache folder: the memo and the theme's compiled templates (hooks/).
CACHED = {f"{CACHE_FOLDER.as_posix()}/memo.pickle", f"{CACHE_FOLDER.as_posix()}/jinja"}

INSTALL = 'pip install -c constraints.txt -e ".[test]"'


def load(path: str) -> dict:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def run_lines(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_github_workflow_runs_on_every_push_and_pull_request():
    workflow = load(".github/workflows/site.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "pull_request" in triggers
    assert triggers["push"] is None and triggers["pull_request"] is None  # every branch
    assert workflow["env"]["NO_MKDOCS_2_WARNING"] == "1"
    assert workflow["permissions"] == {"contents": "read"}


def test_github_jobs_install_the_pins_and_check_test_and_build():
    jobs = load(".github/workflows/site.yml")["jobs"]
    for name in ("check", "test", "build", "properdocs"):
        job = jobs[name]
        assert "actions/checkout@v4" in uses(job) and "actions/setup-python@v5" in uses(job), name
        python = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python"))
        assert python["with"]["python-version"] == "3.11"
        assert INSTALL in run_lines(job), name
    assert "lardom check" in run_lines(jobs["check"])
    assert "python -m pytest" in run_lines(jobs["test"])
    assert "CHROMIUM=" in run_lines(jobs["test"])
    assert "mkdocs build --strict" in run_lines(jobs["build"])
    assert 'SITE_URL="${PAGES_BASE_URL%/}/"' in run_lines(jobs["build"])
    assert "properdocs build --strict" in run_lines(jobs["properdocs"])


# What the test jobs run before the tests, with pyproject.toml's [tool.ruff] and [tool.mypy].
CHECKS = ("ruff check .", "mypy")


def test_github_test_job_checks_style_and_types_before_the_tests():
    steps = load(".github/workflows/site.yml")["jobs"]["test"]["steps"]
    runs = [step.get("run", "") for step in steps]
    install = next(number for number, run in enumerate(runs) if INSTALL in run)
    tests = next(number for number, run in enumerate(runs) if "python -m pytest" in run)
    for check in CHECKS:
        at = runs.index(check)  # a step of its own: its failure fails the job, named
        assert install < at < tests, check


def test_gitlab_test_job_checks_style_and_types_before_the_tests():
    pipeline = load(".gitlab-ci.yml")
    assert "test" in pipeline["stages"]
    script = pipeline["test"]["script"]
    tests = next(number for number, line in enumerate(script) if "python -m pytest" in line)
    for check in CHECKS:
        assert script.index(check) < tests, check
    assert ".venv/bin" in " ".join(pipeline["default"]["before_script"])  # the pinned ruff and mypy on the PATH


def test_the_pre_commit_hooks_check_style_and_types_with_the_projects_tools():
    config = load(".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert all(repo["repo"] == "local" for repo in config["repos"])
    ruff, mypy = hooks["ruff"], hooks["mypy"]
    assert ruff["entry"].split()[:2] == ["ruff", "check"] and ruff["language"] == "system"
    assert "python" in ruff["types"]
    assert mypy["entry"] == "mypy" and mypy["language"] == "system"
    assert mypy["pass_filenames"] is False  # mypy checks what [tool.mypy] names, whatever changed


def test_github_publishes_only_from_main_and_only_after_everything_passed():
    jobs = load(".github/workflows/site.yml")["jobs"]
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    deploy = jobs["deploy"]
    assert deploy["if"] == on_main
    assert set(deploy["needs"]) == {"check", "test", "build", "properdocs"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert uses(deploy) == ["actions/deploy-pages@v4"]
    build_steps = {step.get("uses", "").split("@")[0]: step for step in jobs["build"]["steps"]}
    for action in ("actions/configure-pages", "actions/upload-pages-artifact"):
        assert build_steps[action]["if"] == on_main, action
    assert build_steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    for name, job in jobs.items():  # every action pinned to a major version
        assert all("@v" in action for action in uses(job)), name


def test_gitlab_pipeline_checks_tests_builds_and_publishes_the_default_branch():
    pipeline = load(".gitlab-ci.yml")
    assert pipeline["stages"] == ["check", "test", "build", "pages"]
    assert pipeline["default"]["image"] == "python:3.11"
    assert any(INSTALL.replace("pip", ".venv/bin/pip", 1) in line for line in pipeline["default"]["before_script"])
    assert pipeline["variables"]["NO_MKDOCS_2_WARNING"] == "1"
    script = {name: "\n".join(pipeline[name]["script"]) for name in ("check", "test", "build", "properdocs", "pages")}
    assert "lardom check" in script["check"]
    assert "apt-get install -y chromium" in script["test"] and "python -m pytest" in script["test"]
    assert "mkdocs build --strict --site-dir public" in script["build"]
    assert 'SITE_URL="${CI_PAGES_URL%/}/"' in script["build"]
    assert "properdocs build --strict" in script["properdocs"]
    assert pipeline["build"]["artifacts"]["paths"] == ["public"]
    pages = pipeline["pages"]
    assert pages["stage"] == "pages"
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert set(pages["needs"]) == {"check", "test", "build", "properdocs"}
    assert pages["artifacts"]["paths"] == ["public"]


def test_github_restores_and_keeps_the_build_cache_before_the_build():
    steps = load(".github/workflows/site.yml")["jobs"]["build"]["steps"]
    names = [step.get("uses", "").split("@")[0] or step.get("run", "") for step in steps]
    cache_at = names.index("actions/cache")
    build_at = next(number for number, step in enumerate(steps) if "mkdocs build --strict" in step.get("run", ""))
    assert cache_at < build_at
    cache = steps[cache_at]
    assert cache["uses"] == "actions/cache@v4"
    assert set(cache["with"]["path"].split()) == CACHED
    key = cache["with"]["key"]
    assert key.endswith("-${{ github.sha }}")  # a new entry for each commit, saved after the job
    assert cache["with"]["restore-keys"].splitlines() == [key.removesuffix("${{ github.sha }}")]  # the newest one before


def test_gitlab_keeps_the_build_cache_per_branch_falling_back_to_the_default_branch():
    caches = load(".gitlab-ci.yml")["build"]["cache"]
    build_cache = next(cache for cache in caches if ".cache/pip" not in cache["paths"])
    assert set(build_cache["paths"]) == CACHED
    assert build_cache["key"] == "lardom-build-$CI_COMMIT_REF_SLUG"
    assert build_cache["fallback_keys"] == ["lardom-build-$CI_DEFAULT_BRANCH"]
    assert any(cache["paths"] == [".cache/pip"] for cache in caches)  # the job's own cache replaces the default


def test_the_cache_folder_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"/{CACHE_FOLDER.parts[0]}/" in ignored
    assert "/.staging/" not in ignored
