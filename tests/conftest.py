"""Shared fixtures. Executed notebooks and built reports are expensive: build each once per session
and share it across the tests that read it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
DATA = REPO / "data"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``casekit`` command (as ``python -m casekit``) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "casekit", *args], capture_output=True, text=True, cwd=cwd or REPO,
        env={**os.environ, **(env or {})}, timeout=900,
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """An editable copy of the shipped data package."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("staging"))
    return target


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Path:
    """All notebooks built once with their defaults, shared by every test that only reads them."""
    out = tmp_path_factory.mktemp("reports")
    result = run_cli("build", "--out", str(out), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


