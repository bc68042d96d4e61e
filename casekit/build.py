"""Build case reports: validate, execute with papermill, render to offline HTML, cache, index.

The one build path used by the CLI, ``make report``, the tests and the benchmarks::

    runs = [plan("history", {"start_year": 2005})]
    summary = Builder(out="reports").build(runs)

Planning validates every parameter (and the kernel) before any kernel starts. Each report is
executed and rendered by :func:`execute_run`, a plain function of plain data, so any
``concurrent.futures.Executor`` can run it (a process pool by default, a Dask client's executor
for a cluster). A report is rebuilt only when one of its inputs changed (:func:`key_inputs`).

What a build writes into ``OUT``:

* ``NAME.html`` and ``NAME.ipynb``, the report and its executed notebook. For a student audience
  both leave out the cells tagged ``instructor``, ``solution`` and ``check``: no file in the folder
  holds a teaching note, a solution or a check's expected answer.
* ``NAME.failed.html`` / ``.ipynb`` when a cell fails (the last good report stays).
* ``.casekit/NAME.json``, the record of each report (cache key, status, error, where the time went);
  ``.casekit/locks/`` and ``.casekit/builds/`` (see below).

Every file is written under a temporary name and renamed into place. Builds into one folder may
run at once: each keeps its temporary files in a scratch folder of its own, locked while it runs
(:class:`Scratch`), and one report is made by one build at a time (:func:`report_lock`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; see Scratch
    fcntl = None

from . import __version__
from .errors import BatchFileError, BuildError, CasekitError, ParameterError
from .notebooks import Notebook, available, find
from .warm import is_this_python, process_alive

RECORDS = ".casekit"  # per-report build records (cache keys, status) inside --out
SAFE = re.compile(r"[^A-Za-z0-9._+-]+")  # characters every file system accepts


@dataclass(frozen=True)
class Run:
    """One report to build: a notebook, its full validated parameters, and its file name."""

    notebook: str  # short name
    path: str  # the notebook file
    parameters: dict
    changed: tuple[str, ...]  # the parameters that differ from the notebook's defaults
    name: str  # output file stem: history, history--start_year-2005


def parse_value(text: str, declared_type: str | None = None):
    """A ``-p`` value, parsed as papermill parses it (YAML); text stays text for ``str`` parameters."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        value = text
    if declared_type == "str" and not isinstance(value, str):
        return text
    return value


def slug(parameters: dict, changed: tuple[str, ...]) -> str:
    """A file-system-safe name part for the parameters that differ from the defaults."""
    parts = []
    for name in changed:
        value = parameters[name]
        shown = "+".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{name}-{shown}")
    text = SAFE.sub("_", "_".join(parts)).strip("._-")
    if len(text) > 80:  # long lists of values: keep a readable start and make it unique with a hash
        text = text[:71] + "-" + hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:8]
    return text or "defaults"


def safe_name(name: str) -> str:
    """A user-given report name reduced to one safe file name (no folders, no dot files)."""
    cleaned = SAFE.sub("_", Path(str(name)).name).strip("._-")[:100]
    if not cleaned:
        raise BatchFileError(f"report name {name!r} has no usable characters (allowed: letters, digits, . _ -)")
    return cleaned


def plan(notebook: str | Path, overrides: dict | None = None, name: str | None = None) -> Run:
    """Validate ``overrides`` for ``notebook`` and describe the report to build (no kernel starts)."""
    from .params import validate

    book: Notebook = find(notebook)
    declared = book.parameters
    overrides = dict(overrides or {})
    parameters = validate(book, overrides, declared)
    changed = tuple(n for n in declared if parameters[n] != declared[n].default)
    stem = safe_name(name) if name else (book.name if not changed else f"{book.name}--{slug(parameters, changed)}")
    return Run(book.name, str(book.path), parameters, changed, stem)


def plan_cli(notebooks: list[str], pairs: list[tuple[str, str]]) -> list[Run]:
    """Runs for ``casekit build NOTEBOOK... -p NAME VALUE``: each notebook takes the overrides it declares."""
    books = [find(n) for n in (notebooks or available())]
    declared = {book.name: book.parameters for book in books}
    for key, _ in pairs:
        if not any(key in params for params in declared.values()):
            known = sorted({n for params in declared.values() for n in params})
            raise ParameterError(f"unknown parameter {key!r} (parameters: {', '.join(known)})")
    runs = []
    for book in books:
        params = declared[book.name]
        overrides = {k: parse_value(v, params[k].type) for k, v in pairs if k in params}
        runs.append(plan(book.path, overrides))
    return runs


def read_batch(path: str | Path) -> list[Run]:
    """Runs from a YAML batch file: a list of ``{notebook, parameters, name}`` entries."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise BatchFileError(f"batch file {str(path)!r} not found")
    try:
        entries = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise BatchFileError(f"{file.name}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(entries, list) or not entries:
        raise BatchFileError(f"{file.name}: expected a list of runs, each {{notebook, parameters, name}}")
    lines = _entry_lines(file)
    runs, names = [], {}
    for index, entry in enumerate(entries):
        where = f"{file.name} line {lines[index]}" if index < len(lines) else f"{file.name} entry {index + 1}"
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise BatchFileError(f"{where}: each run needs a notebook (and optionally parameters, name)")
        extra = set(entry) - {"notebook", "parameters", "name"}
        if extra:
            raise BatchFileError(f"{where}: unknown key {sorted(extra)[0]!r} (allowed: notebook, parameters, name)")
        parameters = entry.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise BatchFileError(f"{where}: parameters must be a mapping of name: value")
        try:
            run = plan(str(entry["notebook"]), parameters, entry.get("name"))
        except CasekitError as error:  # an unknown notebook, a bad parameter or name
            raise BatchFileError(f"{where}: {error}") from None
        if run.name in names:
            raise BatchFileError(f"{where}: report name {run.name!r} is already used at line {names[run.name]}")
        names[run.name] = lines[index] if index < len(lines) else index + 1
        runs.append(run)
    return runs


def _entry_lines(file: Path) -> list[int]:
    """The line where each top-level list entry starts, for error messages."""
    return [n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("- ")]


# ---- what a report depends on: the cache key -----------------------------------------------------

LIBRARIES = ("papermill", "nbclient", "nbconvert", "nbformat", "altair", "vl-convert-python", "pandas", "ipykernel")
# Written by execution itself, or interface state that no output depends on.
VOLATILE_NOTEBOOK_METADATA = ("language_info", "papermill", "widgets")
VOLATILE_CELL_METADATA = ("execution", "papermill")


@dataclass(frozen=True)
class Environment:
    """Everything outside the notebook and its parameters that shapes a report.

    :param casekit: casekit's version and a digest of its code and templates (:func:`code_version`).
    :param libraries: the versions of the libraries that shape the output (:data:`LIBRARIES`) and Python's.
    :param data_hash: the data package's content hash.
    :param source_date_epoch: ``SOURCE_DATE_EPOCH``, which dates the reports (None: undated).
    :param options: the render options (``show_code``, ``static_charts``).
    """

    casekit: str
    libraries: tuple[tuple[str, str], ...]
    data_hash: str
    source_date_epoch: str | None
    options: tuple[tuple[str, object], ...]

    @classmethod
    def current(cls, options: dict, data_hash: str) -> "Environment":
        return cls(code_version(), library_versions(), data_hash, os.environ.get("SOURCE_DATE_EPOCH") or None,
                   tuple(sorted(options.items())))


def key_inputs(run: Run, environment: Environment, kernel: dict) -> dict:
    """Every input of a report, as plain data: the cache key is a hash of this."""
    path = Path(run.path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {
        "notebook": normalised_notebook(nb),
        "reads": declared_reads(nb, path.parent),
        "parameters": run.parameters,
        "kernel": kernel,
        "environment": asdict(environment),
    }


def cache_key(run: Run, environment: Environment, kernel: dict) -> str:
    payload = json.dumps(key_inputs(run, environment, kernel), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def normalised_notebook(nb: dict) -> dict:
    """A notebook as execution sees it: each cell's type, id, source, metadata (tags included) and
    attachments, and the notebook's metadata; without outputs, counts and what execution rewrites."""

    def text(source) -> str:
        return source if isinstance(source, str) else "".join(source)

    cells = []
    for cell in nb.get("cells", []):
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in VOLATILE_CELL_METADATA}
        cells.append({"type": cell.get("cell_type"), "id": cell.get("id"), "source": text(cell.get("source", "")),
                      "metadata": metadata, "attachments": cell.get("attachments")})
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k not in VOLATILE_NOTEBOOK_METADATA}
    return {"nbformat": [nb.get("nbformat"), nb.get("nbformat_minor")], "metadata": metadata, "cells": cells}


def declared_reads(nb: dict, folder: Path) -> list[tuple[str, str]]:
    """The other files a notebook declares it reads, with a digest of each.

    A notebook that reads files besides its own (other notebooks, a batch file) names them in its
    metadata, as paths or glob patterns relative to the notebook's folder::

        "metadata": {"casekit": {"reads": ["0*.ipynb", "classroom/groups.yml"]}}

    A pattern that matches nothing counts too, so adding a matching file later changes the key.
    """
    patterns = nb.get("metadata", {}).get("casekit", {}).get("reads", [])
    if isinstance(patterns, str):
        patterns = [patterns]
    found = []
    for pattern in map(str, patterns):
        if Path(pattern).is_absolute():
            raise BuildError(f"metadata casekit.reads: {pattern!r} is absolute (give paths relative to the notebook's folder)")
        files = sorted(p for p in folder.glob(pattern) if p.is_file())
        if not files:
            found.append((pattern, "missing"))
        for file in files:
            found.append((Path(os.path.relpath(file, folder)).as_posix(), hashlib.sha256(file.read_bytes()).hexdigest()))
    return found


def code_digest(package: Path) -> str:
    """A digest of every file of the package (modules, templates, text), by path and content."""
    digest = hashlib.sha256()
    skipped = {"__pycache__", "_data", "_notebooks"}  # bytecode; the data and notebooks have keys of their own
    for file in sorted(package.rglob("*")):
        relative = file.relative_to(package)
        if file.is_file() and not skipped & set(relative.parts) and file.suffix not in (".pyc", ".pyo"):
            digest.update(relative.as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """casekit's version plus a digest of its code and templates: a code change is an input change."""
    return f"{__version__}+{code_digest(Path(__file__).resolve().parent)}"


@lru_cache(maxsize=1)
def library_versions() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in LIBRARIES:
        try:
            versions.append((name, version(name)))
        except PackageNotFoundError:
            versions.append((name, "not installed"))
    return (("python", platform.python_version()), *versions)


def kernel_spec(name: str) -> dict:
    """The Jupyter kernel called ``name``: what starts it and whether it is this Python's own kernel.

    Raises :class:`BuildError` naming the installed kernels when there is none by that name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
    except NoSuchKernel:
        installed = ", ".join(sorted(manager.find_kernel_specs())) or "none"
        raise BuildError(f"unknown kernel {name!r} (installed kernels: {installed})") from None
    return {"name": name, "argv": list(spec.argv), "env": dict(spec.env or {}), "language": spec.language,
            "native": is_this_python(spec.argv)}


def notebook_kernel(path: str) -> str:
    """The kernel a notebook asks for in its metadata, as papermill reads it (python3 if none)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return nb.get("metadata", {}).get("kernelspec", {}).get("name") or "python3"


# ---- files: written whole, scratch owned by one build, one writer per report ----------------------

SCRATCH = "builds"  # OUT/.casekit/builds/<build id>/: one build's temporary files
LOCKS = "locks"  # OUT/.casekit/locks/<report>.lock: held while a build makes that report


def write_atomic(path: Path, content: str | bytes, scratch: Path | None = None) -> None:
    """Write to a temporary file (in ``scratch``, or beside ``path``), then rename: never a half-written file.

    ``scratch`` must be on the same file system as ``path`` (a build's own folder under OUT).
    """
    unique = f"{os.getpid()}.{secrets.token_hex(4)}.tmp"
    temporary = (scratch / f"{path.name}.{unique}") if scratch else path.with_name(f".{path.name}.{unique}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Scratch:
    """A build's own folder for temporary files, ``OUT/.casekit/builds/<host>-<pid>-<random>/``.

    The folder holds a lock file that the build keeps locked while it runs (its forked workers share
    the lock). Another build removes the folder only after taking that lock itself, which the
    operating system allows only once the owner is gone, however it ended (even ``kill -9``).
    Without ``fcntl`` (Windows) other builds' folders are left alone.
    """

    def __init__(self, out: Path):
        root = out / RECORDS / SCRATCH
        root.mkdir(parents=True, exist_ok=True)
        remove_abandoned(out)
        name = f"{SAFE.sub('_', socket.gethostname())}-{os.getpid()}-{secrets.token_hex(4)}"
        pending = root / f".{name}.new"  # locked before it gets a name other builds look at
        pending.mkdir()
        self._lock = open(pending / "lock", "w")
        if fcntl is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = root / name
        os.rename(pending, self.path)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock.close()

    def __enter__(self) -> "Scratch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def remove_abandoned(out: Path) -> list[Path]:
    """Remove the scratch folders of builds that are gone, and temporary files of dead processes."""
    removed = []
    root = out / RECORDS / SCRATCH
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.name.endswith(".new"):  # a build between creating and naming its folder
            if time.time() - folder.stat().st_mtime > 3600:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            continue
        if fcntl is None:
            continue
        try:
            handle = open(folder / "lock", "r")
        except FileNotFoundError:  # its owner is removing it right now
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its build is running
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    # Temporary files written beside their target (``write_atomic`` without scratch) name their process.
    for leftover in [*out.glob(".*.tmp"), *(out / RECORDS).glob("*.running.ipynb")]:
        match = re.search(r"\.(\d+)(?:\.[0-9a-f]+)?\.(?:tmp|running\.ipynb)$", leftover.name)
        if match and not process_alive(int(match.group(1))):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


@contextmanager
def report_lock(out: Path, name: str):
    """Hold the report ``name``: another build making the same report waits, then finds it made."""
    folder = out / RECORDS / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def record_path(out: Path, name: str) -> Path:
    return out / RECORDS / f"{name}.json"


def is_current(out: Path, name: str, key: str) -> bool:
    """Whether the report in ``out`` was built from exactly these inputs and is still there."""
    try:
        record = json.loads(record_path(out, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record.get("key") == key and record.get("status") == "built" and (out / f"{name}.html").exists()


# ---- the work of one report (runs in a worker) ------------------------------------------------------

def scrub(nb) -> None:
    """Remove what differs between two runs of the same inputs: timings, paths, kernel details."""
    papermill = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables", "version"):
        papermill.pop(key, None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a random id
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)


def for_audience(nb, audience: str) -> None:
    """Cut what a student must not see (teaching notes, solutions, checks with their expected
    answers) from an executed notebook, exactly as the student report leaves it out."""
    from .render import STUDENT_HIDDEN

    if audience != "instructor":
        nb.cells = [c for c in nb.cells if not STUDENT_HIDDEN & set(c.get("metadata", {}).get("tags", []))]


_RENDERERS: dict = {}


def _renderer(options: dict):
    from .render import ReportRenderer

    key = (options["show_code"], options["static_charts"])
    if key not in _RENDERERS:
        _RENDERERS[key] = ReportRenderer(show_code=key[0], static_charts=key[1])
    return _RENDERERS[key]


def prepare_worker(options: dict) -> None:
    """Load what every report needs once per process: papermill, nbconvert, the exporter with its
    templates compiled and the chart library read, the notebook validator compiled. Done in the
    build before its workers fork, so they start with all of it (a second or two each otherwise)."""
    import nbformat
    import papermill  # noqa: F401
    from papermill.engines import papermill_engines  # noqa: F401

    renderer = _renderer(options)
    if not getattr(renderer, "_casekit_warm", False):
        empty = nbformat.v4.new_notebook()
        nbformat.validate(empty)
        renderer.render(empty, "casekit", [], [], "", "")
        renderer._casekit_warm = True
    logging.getLogger("asyncio").addFilter(_quiet_kernel_poll)


def _quiet_kernel_poll(record: logging.LogRecord) -> bool:
    """nbclient leaves its kernel-alive poll running when a cell ends in an exception; asyncio then
    prints that task's traceback. The report's failure is already in the summary: drop the noise."""
    return "_async_poll_kernel_alive" not in record.getMessage()


def _end_with_parent(parent: int | None) -> None:
    """In a pool worker (Linux): be stopped when the process that forked it ends (a killed build),
    instead of waiting forever for work (and holding the build's scratch lock and warm-kernel process)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it ended before the line above
        os._exit(1)


class Failure(Exception):
    """One report's failure: where it happened (kernel start, cell, render, write) and why."""

    def __init__(self, stage: str, error: BaseException | None = None, cell: int | None = None, ename: str = "", evalue: str = ""):
        self.stage, self.cell = stage, cell
        self.ename = ename or (type(error).__name__ if error else "")
        self.evalue = evalue or (first_line(str(error)) if error else "")
        super().__init__(f"{stage}: {self.ename}: {self.evalue}")

    def as_dict(self) -> dict:
        return {"stage": self.stage, "cell": self.cell, "ename": self.ename, "evalue": self.evalue}


def first_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


@contextmanager
def _environment(**values: str | None):
    """Set (or unset) environment variables for the length of one report."""
    saved = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute_run(task: dict) -> dict:
    """Execute, render and write one report. Plain data in, plain data out; never raises for a
    report's own failure (the result says what failed and where), so a batch goes on.

    The report's lock is held throughout: a second build of the same report waits, then reuses it.
    On a failing cell, ``NAME.failed.ipynb`` / ``NAME.failed.html`` are written beside and the last
    good report stays untouched.
    """
    from .warm import SOCKET_ENV

    out, name = Path(task["out"]), task["name"]
    timer = Timer()
    # The kernel inherits these: the dating of the report, and where its warm kernel comes from.
    environment = {"SOURCE_DATE_EPOCH": task["source_date_epoch"], SOCKET_ENV: task.get("warm")}
    try:
        with report_lock(out, name), _environment(**environment):
            if not task["force"] and is_current(out, name, task["key"]):
                return {"name": name, "status": "cached", "error": None, "seconds": 0.0, "phases": {}}
            result = _make_report(task, timer)
            _write_record(task, result)
            return result
    except OSError as error:  # the report's lock or record: still this report's failure, not the batch's
        failure = Failure("write", error)
    except Exception as error:  # noqa: BLE001 - a bug: named as such, and the batch goes on
        failure = Failure("unexpected", error)
    result = {"name": name, "status": "failed", "error": failure.as_dict(), "seconds": timer.total(), "phases": timer.phases}
    try:
        _write_record(task, result)
    except Exception:  # noqa: BLE001 - the summary still names the failure
        pass
    return result


def _make_report(task: dict, timer: "Timer") -> dict:
    import nbformat

    out, name = Path(task["out"]), task["name"]
    scratch = Path(task["scratch"]) if task.get("scratch") else None
    failure: Failure | None = None
    try:
        nb, failure = _execute(task, timer)
    except Failure as failed:  # nothing ran: no notebook to show
        return {"name": name, "status": "failed", "error": failed.as_dict(), "seconds": timer.total(), "phases": timer.phases}
    scrub(nb)
    for_audience(nb, task["audience"])
    stem = f"{name}.failed" if failure else name
    try:
        page = _renderer(task["options"]).render(nb, task["notebook"], task["shown_parameters"], task["sources"],
                                                 task["data_version"], task["data_hash"], name=name)
        timer.lap("render")
        text = nbformat.writes(nb) + "\n"
        timer.lap("serialise")
    except Exception as error:  # noqa: BLE001
        failure = failure or Failure("render", error)
        return _failed(name, failure, timer)
    try:
        write_atomic(out / f"{stem}.ipynb", text, scratch)
        write_atomic(out / f"{stem}.html", page, scratch)
        if not failure:
            for stale in (out / f"{name}.failed.ipynb", out / f"{name}.failed.html"):
                stale.unlink(missing_ok=True)
    except OSError as error:
        return _failed(name, failure or Failure("write", error, evalue=f"{error.strerror or error}: {error.filename or ''}".strip(": ")), timer)
    timer.lap("write")
    if failure:
        return _failed(name, failure, timer, report=f"{stem}.html")
    return {"name": name, "status": "built", "error": None, "seconds": timer.total(), "phases": timer.phases}


def _failed(name: str, failure: Failure, timer: "Timer", report: str | None = None) -> dict:
    error = {**failure.as_dict(), "report": report}
    return {"name": name, "status": "failed", "error": error, "seconds": timer.total(), "phases": timer.phases}


def _execute(task: dict, timer: "Timer"):
    """Run the notebook with papermill, in memory (no notebook file is written while it runs).

    Returns the executed notebook and the failure of a cell, if any; raises :class:`Failure` when the
    kernel did not start, since then there is nothing to show.
    """
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    path = task["path"]
    prepare_worker(task["options"])
    try:
        nb = load_notebook_node(path)
        nb = parameterize_notebook(nb, task["parameters"], kernel_name=task["kernel_name"])
        nb = remove_error_markers(prepare_notebook_metadata(nb, path, None))
    except Exception as error:  # noqa: BLE001 - the notebook changed or broke since planning
        raise Failure("prepare", error) from None
    timer.lap("papermill")
    engine_options = {"shutdown_kernel": "immediate", "record_timing": False}  # the report needs no graceful shutdown
    if task.get("warm"):
        from . import warm

        engine_options["kernel_manager_class"] = warm.kernel_manager_class()
    state = {"started": False, "cell": None}

    def started(**_):
        state["started"] = True
        timer.lap("kernel start")

    def cell_started(cell, cell_index, **_):
        state["cell"] = cell_index

    def cell_done(cell, cell_index, **_):
        timer.cell(cell_index)

    failure = None
    try:
        with _working_directory(Path(path).parent):
            nb = papermill_engines.execute_notebook_with_engine(
                None, nb, input_path=path, output_path=None, kernel_name=task["kernel_name"], progress_bar=False,
                log_output=False, start_timeout=task.get("start_timeout", 60), execution_timeout=task["timeout"],
                on_notebook_start=started, on_cell_start=cell_started, on_cell_executed=cell_done, **engine_options,
            )
    except Exception as error:  # noqa: BLE001 - a dead kernel, a timeout, a kernel that never started
        if not state["started"]:
            raise Failure("kernel start", error) from None
        failure = Failure("cell", error, cell=_author_cell(nb, state["cell"]))
    timer.lap("kernel stop")
    if failure is None:
        try:
            raise_for_execution_errors(nb, None)
        except PapermillExecutionError as error:
            # Count cells as the author does: from 1, without papermill's error banner and injected cell.
            cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            failure = Failure("cell", cell=_author_cell(cells, error.cell_index), ename=error.ename,
                              evalue=first_line(error.evalue) if error.evalue else "")
        timer.lap("papermill")
    return nb, failure


def _author_cell(nb_or_cells, index: int | None) -> int | None:
    """The 1-based number of the cell at ``index`` as the author counts: without papermill's injected cell."""
    if index is None:
        return None
    cells = nb_or_cells.cells if hasattr(nb_or_cells, "cells") else nb_or_cells
    injected = sum(1 for c in cells[:index] if "injected-parameters" in c.metadata.get("tags", []))
    return index + 1 - injected


@contextmanager
def _working_directory(folder: Path):
    """The kernel starts in the notebook's folder (papermill's ``cwd``)."""
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _write_record(task: dict, result: dict) -> None:
    """``OUT/.casekit/NAME.json``: the inputs' key, the status, the error and where the time went."""
    record = {"key": task["key"] if result["status"] == "built" else None, "notebook": task["notebook"],
              "name": task["name"], "parameters": task["parameters"], "changed": task["changed"],
              "status": result["status"], "error": result["error"], "seconds": result["seconds"], "phases": result["phases"],
              # recorded with each report, so the landing page can flag reports built from older data
              "data_hash": task["data_hash"]}
    scratch = Path(task["scratch"]) if task.get("scratch") else None
    write_atomic(record_path(Path(task["out"]), task["name"]), json.dumps(record, indent=1, sort_keys=True, default=str), scratch)


class Timer:
    """Where one report's time goes, in seconds: papermill's bookkeeping, kernel start, each code
    cell (from the end of the one before), kernel stop, render (HTML), serialise (the executed
    notebook's JSON), write. The phases add up to the total."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.phases: dict = {}

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self._last, 4)
        self._last = now

    def cell(self, index: int) -> None:
        now = time.perf_counter()
        self.phases.setdefault("cells", []).append([index, round(now - self._last, 4)])
        self._last = now

    def total(self) -> float:
        return round(time.perf_counter() - self.started, 3)


# ---- the build -----------------------------------------------------------------------------------

STAGES = {
    "prepare": "could not read or parameterize its notebook",
    "kernel start": "the kernel did not start",
    "render": "failed while rendering its report",
    "write": "could not write its files",
    "worker": "its worker process stopped",
    "unexpected": "failed unexpectedly (a casekit bug: please report it)",
}


@dataclass
class Outcome:
    name: str
    notebook: str
    status: str  # built, cached, failed
    seconds: float = 0.0
    error: dict | None = None

    def describe(self) -> str:
        if self.status == "failed" and self.error:
            e = self.error
            stage = e.get("stage", "cell")
            if stage == "cell":
                where = f"failed at cell {e['cell']}" if e.get("cell") else "failed while running"
            else:
                where = STAGES.get(stage, f"failed ({stage})")
            cause = f" ({e['ename']}: {e['evalue']})" if e.get("evalue") else (f" ({e['ename']})" if e.get("ename") else "")
            see = f"; see {e['report']}" if e.get("report") else ""
            return f"{self.name}: {where}{cause}{see}"
        return f"{self.name}: {self.status}" + (f" in {self.seconds:.1f}s" if self.status == "built" else "")


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def __str__(self) -> str:
        text = f"{self.count('built')} built, {self.count('cached')} reused from cache, {self.count('failed')} failed"
        failures = [o.describe() for o in self.outcomes if o.status == "failed"]
        return text + "".join(f"\n  {line}" for line in failures)


class Builder:
    """Builds reports into one folder.

    :param out: the report folder (created if missing; must not be a file).
    :param jobs: reports built at once, each in its own kernel (default: the machine's cores).
    :param force: rebuild even when the cache says a report is up to date.
    :param static_charts: draw charts as inline SVG instead of interactive Vega.
    :param show_code: keep the code cells in the reports.
    :param executor: any ``concurrent.futures.Executor`` to run reports on (e.g. a Dask
        client's ``get_executor()``); by default a process pool of ``jobs`` workers.
    :param kernel_name: the Jupyter kernel that executes the notebooks (default: the one each
        notebook names in its metadata). An unknown name stops the build before any kernel starts.
    :param timeout: seconds one cell may run before the report fails.
    :param progress: report progress on stderr (a bar on a terminal, a line per report otherwise).
    :param warm: fork each kernel from a process that has already imported the notebooks'
        libraries (see :mod:`casekit.warm`); for this Python's own kernel in local builds only.
    :param pdf: also print each report to ``NAME.pdf`` beside it, through headless Chromium.

    Builds into the same folder may run at the same time: each keeps its temporary files in a
    folder of its own, and one report is made by one build at a time.
    """

    def __init__(self, out: str | Path = "reports", *, jobs: int | None = None, force: bool = False,
                 static_charts: bool = False, show_code: bool = False, executor: Executor | None = None,
                 kernel_name: str | None = None, timeout: int = 600, progress: bool = False, warm: bool = True,
                 pdf: bool = False):
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise BuildError(f"--out {str(out)!r} is a file (give a folder for the reports)")
        if jobs is not None and jobs < 1:
            raise BuildError(f"--jobs {jobs}: give a number of 1 or more")
        self.jobs = jobs or os.cpu_count() or 1
        self.force = force
        self.options = {"static_charts": static_charts, "show_code": show_code}
        self.executor = executor
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.progress = progress
        self.warm = warm
        self.pdf = pdf
        if pdf:
            from .site import find_chromium

            find_chromium()  # no Chromium: say how to install it before any kernel starts
        self._zygote = None  # started early by ``with Builder(...)``

    def build(self, runs: list[Run]) -> Summary:
        from .warm import without_slow_optional_imports

        with without_slow_optional_imports():
            return self._build(runs)

    def _build(self, runs: list[Run]) -> Summary:
        from . import data

        kernels = {}
        for run in runs:  # an unknown kernel is a mistake in the request: refuse before anything runs
            name = self.kernel_name or notebook_kernel(run.path)
            if name not in kernels:
                kernels[name] = kernel_spec(name)
        (self.out / RECORDS).mkdir(parents=True, exist_ok=True)
        summary = Summary()
        with Scratch(self.out) as scratch:
            environment = Environment.current(self.options, data.content_hash())
            data_version, sources = data.version(), self._sources()
            tasks = []
            for run in runs:
                kernel = kernels[self.kernel_name or notebook_kernel(run.path)]
                key = cache_key(run, environment, kernel)
                if not self.force and is_current(self.out, run.name, key):
                    summary.outcomes.append(Outcome(run.name, run.notebook, "cached"))
                    self._log(f"{run.name}: up to date")
                    continue
                tasks.append((run, self._task(run, key, kernel, environment, data_version, sources, scratch)))
            if tasks:
                self._build_all(tasks, summary)
        from .site import write_site

        write_site(self.out, pdf_for=[run.name for run in runs] if self.pdf else (), jobs=self.jobs)
        return summary

    def _sources(self) -> list[str]:
        from .data import load

        return [f"{r.short_name} ({r.reliability} reliability)" for r in load("sources").itertuples()]

    def _task(self, run: Run, key: str, kernel: dict, environment: Environment, data_version: str,
              sources: list[str], scratch: Scratch) -> dict:
        shown = [(k, ", ".join(map(str, v)) if isinstance(v, list) else str(v), k in run.changed) for k, v in run.parameters.items()]
        return {
            "name": run.name, "notebook": run.notebook, "path": run.path, "parameters": run.parameters,
            "changed": list(run.changed), "audience": run.parameters.get("audience", "student"),
            "out": str(self.out.resolve()), "scratch": str(scratch.path.resolve()), "key": key, "force": self.force,
            "kernel_name": kernel["name"], "native_kernel": kernel["native"], "timeout": self.timeout,
            "options": self.options, "shown_parameters": shown, "data_hash": environment.data_hash,
            "data_version": data_version, "sources": sources, "source_date_epoch": environment.source_date_epoch,
        }

    def __enter__(self) -> "Builder":
        """Start the warm-kernel process at once, so that it imports while the runs are planned::

            with Builder("reports") as builder:
                summary = builder.build(read_batch("groups.yml"))
        """
        self._zygote = self._start_zygote()
        return self

    def __exit__(self, *exc) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def _start_zygote(self):
        from . import warm

        if not (self.warm and self.executor is None and warm.supported()):
            return None
        try:
            return warm.Zygote()
        except OSError:
            return None  # ordinary kernels then: slower, same reports

    def _build_all(self, tasks: list, summary: Summary) -> None:
        """Load the workers while the warm-kernel process imports (both take a second or so)."""
        native = any(t["native_kernel"] for _, t in tasks)
        zygote = self._zygote or (self._start_zygote() if native else None)
        try:
            serial = self.executor is None and (self.jobs == 1 or len(tasks) == 1)
            pool = None
            if serial:
                prepare_worker(self.options)
            elif self.executor is None:
                pool = self._local_pool(min(self.jobs, len(tasks)))
            ready = zygote is not None and native and zygote.wait_ready()
            for _, task in tasks:
                task["warm"] = zygote.path if ready and task["native_kernel"] else None
            for run, result in self._execute(tasks, serial, pool):
                summary.outcomes.append(Outcome(run.name, run.notebook, result["status"], result["seconds"], result["error"]))
        finally:
            if zygote is not None and zygote is not self._zygote:
                zygote.close()

    def _execute(self, tasks, serial: bool, pool):
        if serial:
            bar = self._bar(len(tasks))
            for run, task in tasks:
                result = execute_run(task)
                self._advance(bar, run, result)
                yield run, result
            self._close(bar)
            return
        executor = self.executor or pool
        try:
            # Workers fork at the first submit, before the progress bar starts its monitor thread.
            futures = {executor.submit(execute_run, task): (run, task) for run, task in tasks}
            bar = self._bar(len(tasks))
            for future in as_completed(futures):
                run, task = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # noqa: BLE001 - a worker that died, or could not be reached
                    result = {"name": run.name, "status": "failed", "error": Failure("worker", error).as_dict(),
                              "seconds": 0.0, "phases": {}}
                self._advance(bar, run, result)
                yield run, result
            self._close(bar)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _local_pool(self, workers: int) -> ProcessPoolExecutor:
        """Worker processes that start with papermill, nbconvert and the report exporter loaded.

        On Linux the workers are forked from this process after it has loaded them once, so that
        cost is paid once per build. A fork is safe only while this process runs no other thread;
        if one is running (an application embedding casekit), the workers come from a fork server.
        """
        import multiprocessing

        if sys.platform.startswith("linux"):
            prepare_worker(self.options)
            if threading.active_count() == 1:
                context, parent = multiprocessing.get_context("fork"), os.getpid()
            else:  # the workers' parent is then the fork server, which ends with this process
                context, parent = multiprocessing.get_context("forkserver"), None
                context.set_forkserver_preload(["casekit.build", "papermill", "nbconvert"])
            return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_end_with_parent,
                                       initargs=(parent,))
        return ProcessPoolExecutor(max_workers=workers)

    def _bar(self, total: int):
        if self.progress and sys.stderr.isatty():
            from tqdm import tqdm

            return tqdm(total=total, unit="report", file=sys.stderr)
        return None

    def _close(self, bar) -> None:
        if bar is not None:
            bar.close()

    def _advance(self, bar, run: Run, result: dict) -> None:
        if bar is not None:
            bar.set_postfix_str(run.name)
            bar.update(1)
        else:
            outcome = Outcome(run.name, run.notebook, result["status"], result["seconds"], result["error"])
            self._log(outcome.describe())

    def _log(self, line: str) -> None:
        if self.progress:
            print(line, file=sys.stderr, flush=True)

