"""Every notebook has a MyST Markdown twin (jupytext) that says the same thing, cell for cell."""
from __future__ import annotations

import jupytext
import nbformat
import pytest

from .conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_notebook_has_a_text_twin():
    assert NOTEBOOKS, "no notebooks found"
    missing = [nb.name for nb in NOTEBOOKS if not nb.with_suffix(".md").is_file()]
    assert missing == [], f"run `jupytext --set-formats ipynb,md:myst` on: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_text_twin_is_in_sync(path):
    notebook = nbformat.read(path, as_version=4)
    twin = jupytext.read(path.with_suffix(".md"))
    assert notebook.metadata.get("jupytext", {}).get("formats") == "ipynb,md:myst"
    mine, theirs = _cells(notebook), _cells(twin)
    first_difference = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
    assert mine == theirs, (
        f"{path.name} and {path.with_suffix('.md').name} differ from cell {first_difference} on; "
        f"run `jupytext --sync {path.relative_to(REPO)}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_bare_dollar_sign_in_the_prose(path):
    """JupyterLab and the reports read text between two bare $ signs as maths: write US\\$25 billion."""
    from casekit.prose import escape_dollars

    notebook = nbformat.read(path, as_version=4)
    bare = [c.source for c in notebook.cells if c.cell_type == "markdown" and escape_dollars(c.source) != c.source]
    assert not bare, f"{path.name}: write \\$ for a dollar sign in: {bare[0][:120]!r}"
