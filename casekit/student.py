"""The student edition: the instructor notebooks without answers, teaching notes or outputs.

Solutions sit between nbgrader-style markers in the instructor notebooks::

    ### BEGIN SOLUTION
    growth = rows["value"].iloc[-1] / rows["value"].iloc[0] - 1
    ### END SOLUTION

In the student edition the lines between the markers become a stub (``growth = ...``) that the
exercise's check cell recognises as "not answered yet", so the notebook still runs top to bottom.
Cells tagged ``instructor`` are removed; stubbed cells are tagged ``exercise-stub``. Each written
notebook names its case notebook in its metadata, and its exercise cells carry nbgrader's cell
metadata (see :mod:`casekit.exercise_cells`), which ``casekit grade`` and nbgrader read.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

from .build import write_atomic
from .exercise_cells import mark_student_edition
from .notebooks import available, find

SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*(?:\n|\Z)", re.M | re.S)
INSTRUCTOR_TAGS = {"instructor"}
STUB_TAG = "exercise-stub"


def _stub(indent: str, solution: str, markdown: bool) -> str:
    if markdown:
        return f"{indent}*Write your answer here.*\n"
    try:
        tree = ast.parse(solution)
    except SyntaxError:
        tree = None
    names = []
    for node in (tree.body if tree else []):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    lines = [f"{indent}# YOUR ANSWER: replace ... with your code"]
    lines += [f"{indent}{name} = ..." for name in names[-1:]] or [f"{indent}..."]
    return "\n".join(lines) + "\n"


def strip_solutions(source: str, markdown: bool = False) -> tuple[str, bool]:
    """``source`` with each solution region replaced by a stub; and whether any was found."""
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        found = True
        return _stub(match.group(1), match.group(2), markdown)

    return SOLUTION.sub(replace, source), found


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A student copy of an instructor notebook (the input is not changed)."""
    copy = nbformat.from_dict(nb)
    cells = []
    for cell in copy.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & INSTRUCTOR_TAGS:
            continue
        cell.source, stubbed = strip_solutions(cell.source, markdown=cell.cell_type == "markdown")
        if stubbed:
            cell.metadata["tags"] = sorted((tags - {"solution"}) | {STUB_TAG})
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        for key in ("execution", "papermill"):
            cell.metadata.pop(key, None)
        cells.append(cell)
    copy.cells = cells
    copy.metadata.pop("papermill", None)
    nbformat.validate(copy)
    return copy


def write_edition(out: str | Path = "dist/student", notebooks: list[str] | None = None) -> list[Path]:
    """Write the student edition of the case notebooks into ``out``; returns the files written."""
    target = Path(out)
    if target.exists() and not target.is_dir():
        from .errors import BuildError

        raise BuildError(f"--out {str(out)!r} is a file (give a folder for the student edition)")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in notebooks or available():
        book = find(name)
        edition = student_notebook(nbformat.read(str(book.path), as_version=4))
        mark_student_edition(edition, book.name)
        path = target / book.path.name
        write_atomic(path, nbformat.writes(edition) + "\n")
        written.append(path)
    return written
