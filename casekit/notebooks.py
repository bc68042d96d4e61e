"""The case notebooks: find them by short name, and read what they declare about themselves.

A notebook's ``parameters`` cell is the single source of its parameter names, types, defaults and
help, written the way ``papermill --help-notebook`` reads them::

    start_year: int = 1999  # first year shown

Its first markdown cell, tagged ``abstract``, is the single source of its title, abstract and
learning objectives (the reports and the landing page read them from there)::

    # The chapter's title
    One or two short paragraphs: what the chapter is about.
    **Learning objectives.** After this notebook you should be able to:
    - one objective per item;

The overview may also hold a markdown cell tagged ``decision``: the case's opening decision in a
sentence or two, shown on the landing page.
"""
from __future__ import annotations

import ast
import io
import json
import re
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
# Cells a student-audience report leaves out: teaching notes, and the exercises' answers and checks.
STUDENT_HIDDEN = {"instructor", "solution", "check"}


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


OBJECTIVES = re.compile(r"^\W*(learning|teaching) objectives\b", re.I)  # "**Learning objectives.**", "## Learning objectives"
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


@dataclass(frozen=True)
class Abstract:
    """What a notebook says about itself in its ``abstract`` cell (Markdown kept as written)."""

    title: str
    text: str  # the paragraphs between the title and the objectives
    objectives: tuple[str, ...]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def tagged_markdown(nb: dict, tag: str) -> str | None:
    """The source of the first markdown cell tagged ``tag``."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown" and tag in cell.get("metadata", {}).get("tags", []):
            return _source(cell)
    return None


def abstract(nb: dict) -> Abstract:
    """The title, abstract and objectives of a notebook (a dict or NotebookNode).

    Read from the markdown cell tagged ``abstract``; a notebook without that tag falls back to its
    first markdown cell. Any part the cell lacks is empty.
    """
    text = tagged_markdown(nb, "abstract")
    if text is None:
        text = next((_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown"), "")
    title, paragraphs, objectives, in_objectives = "", [], [], False
    for line in text.splitlines():
        if not title and line.startswith("# "):
            title = line[2:].strip()
        elif OBJECTIVES.match(line):
            in_objectives = True
        elif in_objectives:
            item = LIST_ITEM.match(line)
            if item:
                objectives.append(item.group(1).strip())
            elif objectives and line.startswith((" ", "\t")) and line.strip():
                objectives[-1] += " " + line.strip()  # an item wrapped onto the next line
        else:
            paragraphs.append(line)
    body = "\n".join(paragraphs).strip()
    return Abstract(title, re.sub(r"\n{3,}", "\n\n", body), tuple(objectives))
