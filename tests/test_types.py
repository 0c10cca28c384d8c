"""The package type-checks: ``mypy bot`` with the configuration in pyproject.toml ([tool.mypy])."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_mypy_finds_no_errors():
    # From the project root, so that mypy reads pyproject.toml (and keeps its cache in .mypy_cache).
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "bot"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy bot failed:\n{result.stdout}{result.stderr}"
