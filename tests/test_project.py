"""The project's promises about itself: environments in step, packaging, no copied text, clean notebooks."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml

from .conftest import REPO, SEEDS, needs_seeds


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    runtime = {_name(r): r.replace(" ", "") for r in project["dependencies"]}
    conda_named = {_name(d): d.replace(" ", "") for d in conda if _name(d) not in ("python", "pip")}
    assert conda_named == runtime, "environment.yml and pyproject.toml disagree"
    assert "-e ." in pip
    for required in ("jupyterlab", "pandas", "altair", "papermill", "nbformat"):
        assert required in runtime


@needs_seeds
def test_nothing_is_copied_from_the_sources():
    result = subprocess.run([sys.executable, str(SEEDS.parent / "tools" / "copied_text.py"), str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_notebooks_are_committed_without_outputs():
    for path in sorted((REPO / "notebooks").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert not cell.get("outputs") and not cell.get("execution_count"), f"{path.name} has outputs"


def test_the_wheel_ships_the_data_and_works_from_elsewhere(tmp_path):
    """A non-editable install, run from another folder, still finds the data package."""
    if not _has_hatchling():
        pytest.skip("hatchling is not installed (it is in the test extra)")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "wheel"), str(REPO)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("casekit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "casekit/_data/datapackage.json" in names and "casekit/_data/metrics.csv" in names
    assert "casekit/_notebooks/01_history.ipynb" in names
    assert not any("staging" in n or "curation" in n for n in names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import casekit, casekit.paths as p; print(p.data_dir()); print(len(casekit.load('metrics')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(target)})
    assert result.returncode == 0, result.stderr
    folder, rows = result.stdout.split()
    assert folder.startswith(str(target)) and int(rows) >= 250


def _has_hatchling() -> bool:
    try:
        import hatchling  # noqa: F401
    except ImportError:
        return False
    return True


def test_import_casekit_stays_light():
    code = "import sys, casekit; print(sorted(m for m in ('altair','nbconvert','papermill','pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
