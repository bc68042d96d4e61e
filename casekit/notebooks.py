"""The case notebooks: find them by short name, and read their declared parameters.

A notebook's ``parameters`` cell is the single source of its parameter names, types, defaults and
help, written the way ``papermill --help-notebook`` reads them::

    start_year: int = 1999  # first year shown
"""
from __future__ import annotations

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

from .errors import UnknownNotebook
from .paths import notebooks_dir

NOTEBOOKS = {
    "overview": "00_overview.ipynb",
    "history": "01_history.ipynb",
    "business_model": "02_business_model.ipynb",
    "fintech": "03_fintech.ipynb",
    "competition": "04_competition.ipynb",
    "sources": "05_sources.ipynb",
}


# Found by name too, but not part of "all notebooks" and never handed to students.
INSTRUCTOR_ONLY = {"teaching_note": "teaching_note.ipynb"}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # the annotation as written: int, str, list, float, bool
    default: object
    help: str


@dataclass(frozen=True)
class Notebook:
    name: str  # short name (history) or the file stem for a notebook given by path
    path: Path

    @property
    def parameters(self) -> dict[str, Parameter]:
        return declared_parameters(self.path)


def available() -> list[str]:
    return [name for name, file in NOTEBOOKS.items() if (notebooks_dir() / file).exists()]


def find(name_or_path: str | Path) -> Notebook:
    """A case notebook by short name (``history``) or by path to an ``.ipynb`` file."""
    text = str(name_or_path)
    known = {**NOTEBOOKS, **INSTRUCTOR_ONLY}
    if text in known:
        path = notebooks_dir() / known[text]
        if path.exists():
            return Notebook(text, path)
    path = Path(text)
    if path.suffix == ".ipynb" and path.is_file():
        short = next((n for n, f in {**NOTEBOOKS, **INSTRUCTOR_ONLY}.items() if f == path.name), path.stem)
        return Notebook(short, path.resolve())
    raise UnknownNotebook(f"unknown notebook {text!r}; use one of: {', '.join(available())} (or a path to an .ipynb file)")


def parameters_cell(nb: dict) -> tuple[int, str] | None:
    """Index and source of the cell tagged ``parameters``."""
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return index, source if isinstance(source, str) else "".join(source)
    return None


def declared_parameters(path: Path) -> dict[str, Parameter]:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = parameters_cell(nb)
    return parse_parameters(found[1]) if found else {}


def parse_parameters(source: str) -> dict[str, Parameter]:
    """Parse ``name: type = literal  # help`` lines (plain ``name = literal`` works too)."""
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    parameters = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, kind = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, kind = node.targets[0].id, None
        else:
            continue
        default = ast.literal_eval(node.value)
        kind = kind or type(default).__name__
        parameters[name] = Parameter(name, kind, default, comments.get(node.end_lineno, ""))
    return parameters
