"""Which cells of a case notebook belong to which exercise, and the marks the student edition gives them.

Each exercise of ``exercises.yml`` has two cells in its notebook: the *answer cell*, which assigns
the exercise's variable (in the student edition, the ``name = ...`` stub), and the *check cell*,
which calls ``case.check("<exercise id>", name)``. The student edition marks both:

* the notebook's metadata says which case notebook it is (``{"casekit": {"notebook": "history"}}``),
  so ``casekit grade`` knows a submission whatever the student renamed the file to;
* the cells carry nbgrader's cell metadata (schema 3), so an instructor can take the notebooks into
  nbgrader. The answer cell is a *manually graded answer* worth the exercise's points, with the
  exercise id as its grade id; the check cell is *read-only*. They are not nbgrader "autograder
  tests": a check cell never fails on a wrong answer (students run the whole notebook), and the
  expected answer depends on the student's parameters, so nbgrader could only grade it by running
  casekit's checks inside the student's kernel, the thing ``casekit grade`` is built to avoid.
"""
from __future__ import annotations

import ast
import re

from . import __version__

CHECK_CALL = re.compile(r"""\bcase\.check\(\s*["'](\w+)["']""")
NBGRADER_SCHEMA = 3


def check_cells(nb) -> dict[str, int]:
    """Exercise id -> index of the code cell that checks it."""
    found = {}
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") == "code":
            for match in CHECK_CALL.finditer(_source(cell)):
                found.setdefault(match.group(1), index)
    return found


def answer_cells(nb, exercises) -> dict[str, int]:
    """Exercise id -> index of the cell that assigns its variable, the last one before its check cell.

    A cell that nbgrader metadata names as the exercise's answer wins; otherwise the nearest code
    cell before the check that assigns the variable at its top level.
    """
    cells = nb["cells"]
    checks = check_cells(nb)
    found = {}
    for exercise in exercises:
        marked = [i for i, c in enumerate(cells) if _nbgrader(c).get("grade_id") == exercise.id]
        if marked:
            found[exercise.id] = marked[0]
            continue
        end = checks.get(exercise.id, len(cells))
        for index in range(end - 1, -1, -1):
            if cells[index].get("cell_type") == "code" and exercise.variable in assigned_names(_source(cells[index])):
                found[exercise.id] = index
                break
    return found


def assigned_names(source: str) -> set[str]:
    """Names a cell assigns at its top level (``x = ...``, ``x: int = ...``, ``x += ...``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def mark_student_edition(nb, notebook: str) -> None:
    """Write the casekit notebook metadata and nbgrader's cell metadata into a student edition (in place)."""
    from .exercises import for_notebook

    nb.metadata["casekit"] = {"notebook": notebook, "edition": "student", "casekit_version": __version__}
    exercises = for_notebook(notebook)
    answers, checks = answer_cells(nb, exercises), check_cells(nb)
    for exercise in exercises:
        if exercise.id in answers:
            cell = nb.cells[answers[exercise.id]]
            cell.metadata["nbgrader"] = _nbgrader_metadata(cell, exercise.id, grade=True, solution=True, points=exercise.points)
        if exercise.id in checks:
            cell = nb.cells[checks[exercise.id]]
            cell.metadata["nbgrader"] = _nbgrader_metadata(cell, f"{exercise.id}-check", locked=True)


def _nbgrader_metadata(cell, grade_id: str, grade: bool = False, solution: bool = False, locked: bool = False,
                       points: int | None = None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": NBGRADER_SCHEMA, "cell_type": cell.cell_type}
    if grade:
        meta["points"] = points
    return meta


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _source(cell) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)
