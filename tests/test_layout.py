"""The house rules that keep the code easy to find one's way in: dependencies point one way
(the contracts in pyproject.toml, checked with import-linter)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_dependencies_point_one_way():
    """shop imports catalogue, never the reverse; neither imports bookshop."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
