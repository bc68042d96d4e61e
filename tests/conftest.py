"""Shared fixtures. Executed notebooks and built reports are expensive: build each once per session
and share it across the tests that read it.

A test is ``slow`` when it runs a kernel or a browser: those that use one of the shared built
fixtures below are marked automatically; the others that run a kernel say so with
``@pytest.mark.slow``. ``pytest -m "not slow"`` runs everything else in seconds.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
# The sources' plain-text copies: beside the repository, or wherever CASEKIT_SEEDS says (a worktree).
SEEDS = Path(os.environ.get("CASEKIT_SEEDS") or REPO.parent / "shared" / "seeds")
DATA = REPO / "data"
BUILT_FIXTURES = {"reports", "variants", "history_variant", "instructor_reports", "browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BUILT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

# Reproducible build times. The shared `reports` fixture builds with it, and it is part of the cache
# key: a test that rebuilds into a copy of those reports and expects a cache hit passes it too.
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``casekit`` command (as ``python -m casekit``) and capture its output.

    For tests where a separate process is the point (exit status, pipes, signals, a clean
    interpreter); otherwise call :func:`casekit.cli.main` in-process (see :func:`main`)."""
    return subprocess.run(
        [sys.executable, "-m", "casekit", *args], capture_output=True, text=True, cwd=cwd or REPO,
        env={**os.environ, **(env or {})}, timeout=900,
    )


@pytest.fixture
def main(capsys):
    """``casekit ARGS`` in this process: returns (exit code, stdout, stderr)."""
    from casekit.cli import main as casekit_main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = casekit_main(list(args))
        except SystemExit as exit:  # argparse: --help, usage errors
            code = exit.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """An editable copy of the shipped data package."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("staging"))
    return target


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")


def small_notebook(path: Path, *code: str, metadata: dict | None = None, parameters: str = "size: int = 3  # how many") -> Path:
    """A small parameterized notebook: a title, a parameters cell and the given code cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), cell, *(nbformat.v4.new_code_cell(c) for c in code)]
    for index, each in enumerate(nb.cells):  # stable ids: the same notebook gives the same report
        each.id = f"cell-{index}"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Path:
    """All notebooks built once with their defaults, shared by every test that only reads them."""
    out = tmp_path_factory.mktemp("reports")
    result = run_cli("build", "--out", str(out), env=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def instructor_reports(tmp_path_factory) -> Path:
    """All notebooks built once for an instructor: every teaching note, solution and check answer."""
    from casekit.build import Builder, plan
    from casekit.notebooks import available

    out = tmp_path_factory.mktemp("instructor")
    summary = Builder(out, jobs=2).build([plan(name, {"audience": "instructor"}, name=name) for name in available()])
    assert summary.ok, str(summary)
    return out


# ---- headless Chromium, for the tests that open reports and feedback pages ---------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-quic", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
