"""The two commands a newcomer runs (README quick start) and CI: they parse and explain themselves.

The full setup (venv, pip, npm, demo data) is not run here: CI runs it for real (.ci/run).
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "dev.py"


def _dev(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DEV), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_dev_py_uses_only_the_standard_library():
    tree = ast.parse(DEV.read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    assert modules - {"__future__"} <= sys.stdlib_module_names


def test_help_lists_the_two_commands():
    result = _dev("--help")
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout and "test" in result.stdout


def test_test_command_explains_that_arguments_go_to_pytest():
    result = _dev("test", "--help")
    assert result.returncode == 0, result.stderr
    assert "pytest" in result.stdout


def test_an_unknown_command_is_refused_with_usage():
    result = _dev("deploy")
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_readme_quick_start_is_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:\w+)?\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert [c.split("#")[0].strip() for c in commands] == ["python3 dev.py demo", "python3 dev.py test"]


def test_ci_script_is_executable_and_stops_at_the_first_failure():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert "python3 dev.py test" in text and "DATABASE_URL=postgres" in text and "ruff check" in text


def test_every_setting_from_the_environment_is_documented_in_the_readme():
    settings_py = (ROOT / "src" / "seedling" / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(SEEDLING_[A-Z0-9_]+)"', settings_py))
    names |= {f"SEEDLING_{n}" for n in re.findall(r'_secret\("([A-Z0-9_]+)"\)', settings_py)}
    assert "SEEDLING_ENV" in names and "SEEDLING_FIELD_KEY" in names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert sorted(n for n in names if f"`{n}`" not in configuration) == []
