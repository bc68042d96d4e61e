"""Submitted notebooks: which files to grade, whose each one is, which case notebook it is, and the
parameters its student ran.

    casekit grade submissions/            one folder per student: submissions/<student>/.../*.ipynb
    casekit grade alice.ipynb bob.ipynb   one file per student, named for the student

* A folder is searched for ``*.ipynb`` files (hidden files and folders, ``.ipynb_checkpoints``
  included, are skipped). A notebook directly inside it belongs to the student its file is named
  for; a notebook further down belongs to the first folder under it, so both
  ``submissions/alice/01_history.ipynb`` and nbgrader's ``submitted/alice/ps1/01_history.ipynb``
  are alice's. A student folder that holds no notebook is reported, naming what it holds.
* A file named on the command line is always graded, whatever it is: a file that is not a notebook
  becomes an error row. Its student is its stem, or the folder that holds it when the stem is the
  case notebook's own name (``alice/01_history.ipynb``).
* The case notebook is the one that ``casekit student`` named in the notebook's metadata; a file
  without it is recognised by its name (``01_history.ipynb`` or ``history.ipynb``).
* Every file is read once, into memory, before any submission runs: what a running submission does
  to the files on disk cannot change what is graded.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CasekitError, ParameterError
from .notebooks import NOTEBOOKS, parse_parameters

MAX_BYTES = 50 * 2**20  # a notebook with every chart inside is a few MB; more is not a submission
PARAMETER_TAGS = ("parameters", "injected-parameters")  # papermill's injected cell overrides the first


@dataclass
class Submission:
    """One submitted file, read and identified; ``problem`` says why it cannot be graded."""

    path: Path
    label: str  # the path as the instructor knows it: relative to the folder searched, or as given
    student: str
    notebook: str = ""  # the case notebook's short name ("history"), "" when the file is not one
    nb: dict | None = field(default=None, repr=False)  # the notebook as read, before anything ran
    parameters: dict | None = None  # validated, complete (defaults filled in)
    problem: str = ""
    modified: float = 0.0

    @property
    def gradable(self) -> bool:
        return not self.problem


def find(paths: list[str | Path], exclude: list[str | Path] = ()) -> list[Submission]:
    """Every submission under ``paths``, read and identified, sorted by student then file; folders
    in ``exclude`` (the grader's own output folder) are not searched."""
    found = []
    skip = {Path(p).resolve() for p in exclude}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += _search(path, skip)
        elif path.is_file():
            found.append(_read(path, str(given), _student_of_file(path)))
        else:
            raise CasekitError(f"{str(given)!r} not found (give submitted notebooks or folders of them)")
    _keep_newest(found)
    return sorted(found, key=lambda s: (s.student, s.label))


def _search(root: Path, skip: set[Path]) -> list[Submission]:
    found, holders, files = [], set(), {}
    # Links are not followed: a submitted folder holds regular files, and a link could lead anywhere.
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not os.path.islink(here / d)
                               and (here / d).resolve() not in skip)
        files[here] = sorted(n for n in names if not n.startswith(".") and not os.path.islink(here / n))
    for here, names in sorted(files.items()):
        for name in names:
            if not name.endswith(".ipynb"):
                continue
            path = here / name
            parts = path.relative_to(root).parts
            student = parts[0] if len(parts) > 1 else _student_of_file(path)
            holders.add(parts[0])
            found.append(_read(path, path.relative_to(root).as_posix(), student))
    for folder in sorted(p for p in files if p.parent == root):
        if folder.name not in holders:
            held = sorted(name for here, names in files.items() if here == folder or folder in here.parents for name in names)
            what = f"it holds {', '.join(held[:5])}{' ...' if len(held) > 5 else ''}" if held else "it is empty"
            found.append(Submission(folder, f"{folder.name}/", folder.name, problem=f"no notebook (.ipynb) in {folder.name}/; {what}"))
    return found


def _student_of_file(path: Path) -> str:
    own_names = {Path(file).stem for file in NOTEBOOKS.values()} | set(NOTEBOOKS)
    if path.stem in own_names and path.resolve().parent.name:
        return path.resolve().parent.name
    return path.stem


def _read(path: Path, label: str, student: str) -> Submission:
    submission = Submission(path, label, student)
    try:
        stat = path.stat()
        submission.modified = stat.st_mtime
        if path.suffix != ".ipynb":
            submission.problem = f"{label} is not a notebook (a .ipynb file is expected)"
            return submission
        if stat.st_size > MAX_BYTES:
            submission.problem = f"{label} is larger than {MAX_BYTES // 2**20} MB"
            return submission
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        submission.problem = f"{label} is not a notebook: it is not text (UTF-8)"
        return submission
    except OSError as error:
        submission.problem = f"{label} cannot be read ({error.strerror or error})"
        return submission
    try:
        nb = json.loads(text)
    except ValueError as error:
        where = f" (line {error.lineno}, column {error.colno}: {error.msg})" if hasattr(error, "lineno") else ""
        submission.problem = f"{label} is not a notebook: it is not valid JSON{where}"
        return submission
    submission.problem = _notebook_problem(nb, label)
    if submission.problem:
        return submission
    submission.nb = nb
    submission.notebook, submission.problem = _case_notebook(nb, path, label)
    if not submission.problem:
        try:
            submission.parameters = read_parameters(nb, submission.notebook)
        except (ParameterError, SyntaxError, ValueError) as error:
            submission.problem = f"parameters: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
    return submission


def _notebook_problem(nb: object, label: str) -> str:
    """'' for a notebook in format 4 with well-formed cells, else why not."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or "nbformat" not in nb:
        return f"{label} is not a Jupyter notebook (no nbformat and cells)"
    if nb.get("nbformat") != 4:
        return f"{label} is a notebook in format {nb.get('nbformat')!r}; open and save it in JupyterLab (format 4)"
    for number, cell in enumerate(nb["cells"], start=1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if cell_type(cell) not in ("code", "markdown", "raw") or not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
            return f"{label} is not a well-formed notebook: cell {number} has no type or source"
        if not isinstance(cell.get("metadata", {}), dict):
            return f"{label} is not a well-formed notebook: cell {number} has malformed metadata"
    if not isinstance(nb.get("metadata", {}), dict):
        return f"{label} is not a well-formed notebook: malformed metadata"
    return ""


def _case_notebook(nb: dict, path: Path, label: str) -> tuple[str, str]:
    """The case notebook's short name, from the metadata ``casekit student`` writes, else the file name."""
    meta = nb.get("metadata", {}).get("casekit")
    if isinstance(meta, dict) and meta.get("notebook") is not None:
        name = str(meta["notebook"])
        if name in NOTEBOOKS:
            return name, ""
        return "", f"{label} was made for a case notebook {name[:60]!r} that this casekit does not have (it has: {', '.join(NOTEBOOKS)})"
    by_file = {file: name for name, file in NOTEBOOKS.items()}
    if path.name in by_file:
        return by_file[path.name], ""
    if path.stem in NOTEBOOKS:
        return path.stem, ""
    return "", (f"{label} is not a notebook of this case: it has no casekit metadata and its name matches none of "
                f"{', '.join(NOTEBOOKS.values())}")


def read_parameters(nb: dict, notebook: str) -> dict:
    """The parameters the student ran, validated as every parameter is (ParameterError if one is not allowed).

    Read from the cell tagged ``parameters`` (and papermill's ``injected-parameters`` cell, which
    overrides it); a value must be a plain literal, as in the notebook as handed out.
    """
    from .params import validate

    values = {}
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell_type(cell) == "code" and isinstance(tags, list) and any(t in tags for t in PARAMETER_TAGS):
            try:
                declared = parse_parameters(cell_source(cell))
            except Exception:  # a syntax error, a value that is not a literal, an unfinished string
                raise ParameterError("the parameters cell holds something other than `name = value` lines with plain values") from None
            values.update({name: p.default for name, p in declared.items()})
    return validate(notebook, values)


def cell_type(cell: object) -> str:
    return cell.get("cell_type", "") if isinstance(cell, dict) else ""


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _keep_newest(found: list[Submission]) -> None:
    """Two files of one notebook from one student: the newer is graded, the other says so."""
    newest: dict[tuple[str, str], Submission] = {}
    for submission in sorted((s for s in found if s.gradable), key=lambda s: (s.modified, s.label)):
        key = (submission.student, submission.notebook)
        if key in newest:
            older = newest[key]
            older.problem = f"not graded: {submission.label} is a newer submission of {submission.notebook} by {submission.student}"
        newest[key] = submission
