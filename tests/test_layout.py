"""The house rules that keep the code easy to find one's way in: dependencies point one way
(the contracts in pyproject.toml, checked with import-linter), and no module grows past
about 600 lines before it is split by what it owns."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MOST_LINES = 650  # "about 600": room for a docstring, not for a second responsibility
CODE = ["bookshop", "shop", "catalogue", "tests", "bench"]


def test_dependencies_point_one_way():
    """shop imports catalogue, never the reverse; neither imports bookshop."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def python_modules() -> list[Path]:
    return sorted(
        path
        for folder in CODE
        for path in (REPO / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.mark.parametrize("path", python_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_passes_about_600_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MOST_LINES, f"{path.relative_to(REPO)} has {lines} lines: split it"
