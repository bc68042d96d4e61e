"""Build case reports: validate, execute with papermill, render to offline HTML, cache, index.

The one build path used by the CLI, ``make report``, the tests and the benchmarks::

    runs = [plan("history", {"start_year": 2005})]
    summary = Builder(out="reports").build(runs)

Planning validates every parameter before any kernel starts. Each report is executed and
rendered by :func:`execute_run`, a plain function of plain data, so any
``concurrent.futures.Executor`` can run it (a process pool by default, a Dask client's executor
for a cluster). Every file is written under a temporary name and renamed into place.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .errors import BatchFileError, BuildError, CasekitError, ParameterError
from .notebooks import Notebook, available, find
from .warm import process_alive

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


# ---- the work of one report (runs in a worker) ------------------------------------------------

def cache_key(run: Run, options: dict, data_hash: str) -> str:
    """Notebook code + canonical parameters + data content + casekit version + render options."""
    nb = json.loads(Path(run.path).read_text(encoding="utf-8"))
    code = [c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    markdown = [c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    payload = json.dumps(
        {"code": code, "markdown": markdown, "parameters": run.parameters, "data": data_hash, "casekit": code_version(),
         "options": options},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """casekit's version plus a digest of its modules and template: a code change is an input change."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for file in sorted([*package.rglob("*.py"), *(package / "templates").rglob("*.*")]):
        digest.update(str(file.relative_to(package)).encode() + file.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary name in the same folder, then rename: never a half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(temporary, mode, **({} if isinstance(content, bytes) else {"encoding": "utf-8", "newline": "\n"})) as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


VOLATILE_CELL_KEYS = ("execution",)


def scrub(nb) -> None:
    """Remove what differs between two runs of the same inputs: timings, paths, kernel details."""
    papermill = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables", "version"):
        papermill.pop(key, None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a random id
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)


_RENDERERS: dict = {}


def _renderer(options: dict):
    from .render import ReportRenderer

    key = (options["show_code"], options["static_charts"])
    if key not in _RENDERERS:
        _RENDERERS[key] = ReportRenderer(show_code=key[0], static_charts=key[1])
    return _RENDERERS[key]


def execute_run(task: dict) -> dict:
    """Execute and render one report; write its files atomically. Plain data in, plain data out.

    On a failing cell, the error notebook and report are written beside as
    ``NAME.failed.ipynb`` / ``NAME.failed.html`` and the last good report stays untouched.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    engine_options = {}
    if task.get("zygote"):
        from . import warm

        os.environ[warm.SOCKET_ENV] = task["zygote"]
        engine_options["kernel_manager_class"] = warm.kernel_manager_class()
    out = Path(task["out"])
    name = task["name"]
    scratch = out / RECORDS / f"{name}.{os.getpid()}.running.ipynb"
    error = None
    try:
        papermill.execute_notebook(
            task["path"], str(scratch), parameters=task["parameters"], kernel_name=task["kernel_name"],
            progress_bar=False, log_output=False, cwd=str(Path(task["path"]).parent), request_save_on_cell_execute=False,
            execution_timeout=task["timeout"], **engine_options,
        )
    except PapermillExecutionError as failure:
        error = {"cell": failure.exec_count, "cell_index": failure.cell_index, "ename": failure.ename, "evalue": str(failure.evalue).splitlines()[0][:300] if failure.evalue else ""}
    except Exception as failure:  # a dead kernel or a timeout: still a failed report, not a failed build
        error = {"cell": None, "cell_index": None, "ename": type(failure).__name__, "evalue": str(failure).splitlines()[0][:300] if str(failure) else ""}
        if not scratch.exists():
            return {"name": name, "status": "failed", "error": error, "seconds": round(time.perf_counter() - started, 3)}
    nb = nbformat.read(str(scratch), as_version=4)
    scratch.unlink(missing_ok=True)
    if error and error.get("cell_index") is not None:
        # Point at the cell as the author numbers it: 1-based, in the notebook without papermill's cells.
        # papermill counts cells without its error banner but with its injected-parameters cell.
        cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
        error["cell"] = error["cell_index"] + 1 - sum(i < error["cell_index"] for i in injected)
    scrub(nb)
    stem = f"{name}.failed" if error else name
    page = _renderer(task["options"]).render(nb, task["notebook"], task["shown_parameters"], task["sources"], task["data_version"], task["data_hash"], name=name)
    write_atomic(out / f"{stem}.ipynb", nbformat.writes(nb) + "\n")
    write_atomic(out / f"{stem}.html", page)
    if not error:
        for stale in (out / f"{name}.failed.ipynb", out / f"{name}.failed.html"):
            stale.unlink(missing_ok=True)
    return {"name": name, "status": "failed" if error else "built", "error": error, "seconds": round(time.perf_counter() - started, 3)}


# ---- the build ---------------------------------------------------------------------------------

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
            where = f"cell {e['cell']}" if e.get("cell") else "start-up"
            return f"{self.name}: failed at {where} ({e.get('ename')}: {e.get('evalue')}); see {self.name}.failed.html"
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
    :param kernel_name: the Jupyter kernel that executes the notebooks.
    :param timeout: seconds one cell may run before the report fails.
    :param progress: report progress on stderr (a bar on a terminal, a line per report otherwise).
    :param warm: fork each kernel from a process that has already imported the notebooks'
        libraries (see :mod:`casekit.warm`); local builds only, ignored with ``executor``.
    :param pdf: also print each report to ``NAME.pdf`` beside it, through headless Chromium.
    """

    def __init__(self, out: str | Path = "reports", *, jobs: int | None = None, force: bool = False,
                 static_charts: bool = False, show_code: bool = False, executor: Executor | None = None,
                 kernel_name: str = "python3", timeout: int = 600, progress: bool = False, warm: bool = True,
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
        self._zygote_path: str | None = None
        self._data_hash: str | None = None

    def _record_path(self, name: str) -> Path:
        return self.out / RECORDS / f"{name}.json"

    def _cached(self, run: Run, key: str) -> bool:
        record_file = self._record_path(run.name)
        if self.force or not record_file.exists() or not (self.out / f"{run.name}.html").exists():
            return False
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except ValueError:
            return False
        return record.get("key") == key and record.get("status") == "built"

    def build(self, runs: list[Run]) -> Summary:
        from . import data

        (self.out / RECORDS).mkdir(parents=True, exist_ok=True)
        self._remove_leftovers()
        data_hash, data_version = data.content_hash(), data.version()
        self._data_hash = data_hash  # recorded with each report, so the landing page can flag stale ones
        summary = Summary()
        tasks = []
        for run in runs:
            key = cache_key(run, self.options, data_hash)
            if self._cached(run, key):
                summary.outcomes.append(Outcome(run.name, run.notebook, "cached"))
                self._log(f"{run.name}: up to date")
                continue
            tasks.append((run, key, self._task(run, data_hash, data_version)))
        if tasks:
            zygote = self._start_zygote()
            try:
                self._record_all(tasks, summary)
            finally:
                if zygote is not None:
                    zygote.close()
        from .site import write_site

        write_site(self.out, pdf_for=[run.name for run in runs] if self.pdf else (), jobs=self.jobs)
        return summary

    def _start_zygote(self):
        from . import warm

        if not (self.warm and self.executor is None and warm.supported()):
            return None
        try:
            zygote = warm.Zygote()
        except (OSError, RuntimeError):
            return None  # ordinary kernels then: slower, same reports
        self._zygote_path = zygote.path
        return zygote

    def _record_all(self, tasks, summary: Summary) -> None:
        for run, key, result in self._execute(tasks):
            outcome = Outcome(run.name, run.notebook, result["status"], result["seconds"], result["error"])
            summary.outcomes.append(outcome)
            record = {"key": key if outcome.status == "built" else None, "notebook": run.notebook, "name": run.name,
                      "parameters": run.parameters, "changed": list(run.changed), "status": outcome.status, "error": outcome.error,
                      "data_hash": self._data_hash}
            write_atomic(self._record_path(run.name), json.dumps(record, indent=1, sort_keys=True, default=str))

    def _remove_leftovers(self) -> None:
        """Temporary files of an interrupted build: never reports, safe to delete."""
        for pattern in (".*.tmp", f"{RECORDS}/.*.tmp", f"{RECORDS}/*.running.ipynb"):
            for leftover in self.out.glob(pattern):
                pid = leftover.name.rsplit(".", 2)[-2]
                if not (pid.isdigit() and process_alive(int(pid))):  # another build may be writing it now
                    leftover.unlink(missing_ok=True)

    def _task(self, run: Run, data_hash: str, data_version: str) -> dict:
        from .data import load

        sources = load("sources")
        shown = [(k, ", ".join(map(str, v)) if isinstance(v, list) else str(v), k in run.changed) for k, v in run.parameters.items()]
        return {
            "name": run.name, "notebook": run.notebook, "path": run.path, "parameters": run.parameters,
            "out": str(self.out.resolve()), "kernel_name": self.kernel_name, "timeout": self.timeout,
            "options": self.options, "shown_parameters": shown, "data_hash": data_hash, "data_version": data_version,
            "sources": [f"{r.short_name} ({r.reliability} reliability)" for r in sources.itertuples()],
        }

    def _execute(self, tasks):
        for _, _, task in tasks:
            task["zygote"] = self._zygote_path
        bar = self._bar(len(tasks))
        if self.executor is None and (self.jobs == 1 or len(tasks) == 1):
            for run, key, task in tasks:
                result = execute_run(task)
                self._advance(bar, run, result)
                yield run, key, result
        else:
            executor = self.executor or self._local_pool(min(self.jobs, len(tasks)))
            try:
                futures = {executor.submit(execute_run, task): (run, key) for run, key, task in tasks}
                for future in as_completed(futures):
                    run, key = futures[future]
                    result = future.result()
                    self._advance(bar, run, result)
                    yield run, key, result
            finally:
                if self.executor is None:
                    executor.shutdown(cancel_futures=True)
        if bar is not None:
            bar.close()

    def _local_pool(self, workers: int) -> ProcessPoolExecutor:
        """Worker processes that start with papermill, nbconvert and the report exporter loaded.

        On Linux the workers are forked from this process after it has imported them once, so
        that fixed cost is paid once per build instead of once per worker.
        """
        import multiprocessing

        if sys.platform.startswith("linux"):
            import nbformat  # noqa: F401
            import papermill  # noqa: F401

            _renderer(self.options)
            return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        return ProcessPoolExecutor(max_workers=workers)

    def _bar(self, total: int):
        if self.progress and sys.stderr.isatty():
            from tqdm import tqdm

            return tqdm(total=total, unit="report", file=sys.stderr)
        return None

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
