"""Where the shipped data, notebooks and templates live, in a checkout and in an installed wheel."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent


def _first(*candidates: Path) -> Path:
    return next((c for c in candidates if c.exists()), candidates[0])


def data_dir() -> Path:
    """The data package: $CASEKIT_DATA if set (an edited copy), else ``casekit/_data`` in a wheel,
    ``data/`` in a checkout. Notebook kernels inherit the variable, so a build uses the same copy."""
    override = os.environ.get("CASEKIT_DATA")
    if override:
        return Path(override)
    return _first(PACKAGE / "_data", REPO / "data")


def notebooks_dir() -> Path:
    """The case notebooks: ``casekit/_notebooks`` in a wheel, ``notebooks/`` in a checkout."""
    return _first(PACKAGE / "_notebooks", REPO / "notebooks")


def templates_dir() -> Path:
    return PACKAGE / "templates"
