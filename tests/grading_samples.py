"""Submissions made from the student edition, as students would hand them in: every answer right,
every answer wrong, left unanswered, and hostile ones. Shared by tests/test_grade.py and bench/grade.py."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from casekit.exercise_cells import answer_cells
from casekit.exercises import for_notebook
from casekit.notebooks import find
from casekit.student import SOLUTION

WRONG = {"number": "-12345.678", "year": "1801", "choice": "'certainly not this'", "entities": "['nobody', 'nothing']"}


def solutions(notebook: str) -> dict[str, str]:
    """Exercise id -> the instructor notebook's solution code for it."""
    instructor = nbformat.read(str(find(notebook).path), as_version=4)
    exercises = for_notebook(notebook)
    code = {}
    for exercise_id, index in answer_cells(instructor, exercises).items():
        match = SOLUTION.search(instructor.cells[index].source)
        code[exercise_id] = match.group(2) if match else instructor.cells[index].source
    return code


def answered(edition: Path, notebook: str, answers: dict[str, str], extra_cells: list[str] = (), prepend: str = "") -> dict:
    """The student edition of ``notebook`` with answer cells replaced by ``answers`` (exercise id -> code)."""
    nb = nbformat.read(str(edition / find(notebook).path.name), as_version=4)
    cells = answer_cells(nb, for_notebook(notebook))
    for exercise_id, code in answers.items():
        nb.cells[cells[exercise_id]].source = code
    if prepend:
        first = min(cells.values())
        nb.cells[first].source = prepend + "\n" + nb.cells[first].source
    for code in extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(code))
    return json.loads(nbformat.writes(nb))


def all_right(edition: Path, notebook: str) -> dict:
    return answered(edition, notebook, solutions(notebook))


def all_wrong(edition: Path, notebook: str) -> dict:
    return answered(edition, notebook, {e.id: f"{e.variable} = {WRONG[e.kind]}" for e in for_notebook(notebook)})


def unanswered(edition: Path, notebook: str) -> dict:
    return answered(edition, notebook, {})


def write(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def with_parameters(nb: dict, **values) -> dict:
    """A copy whose parameters cell sets ``values`` (as a student editing the cell would)."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = source + "".join(f"\n{name} = {value!r}" for name, value in values.items())
    return nb
