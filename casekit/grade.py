"""Grade a class's submitted notebooks: a gradebook, a feedback page per student and notebook, and
a class overview.

    book = Grader(out="grades", jobs=2).grade(["submissions/"])
    print(book)                                  # counts per status, and the submissions in error

Each submission runs in a kernel of its own under limits (:mod:`casekit.limited_run`); its answer
variables are then read out of the kernel as plain data (:mod:`casekit.answers`), and checked
here, in the grading process, by the exercise definitions of :mod:`casekit.exercises` under the
parameters the student ran. Nothing the student's code did inside its kernel (redefining
``case.check`` or ``casekit.checks``, printing "Right") reaches the checks. The gradebook and the
pages are written after every kernel has stopped, each file atomically (:mod:`casekit.grade_report`).

Statuses, one per student, notebook and exercise:

* ``right``: the check accepts the answer; the row earns the exercise's points.
* ``not_yet``: the check rejects it, or the variable holds something that is not an answer
  (a DataFrame where a number is asked); the message says what to look at again.
* ``not_answered``: the variable is still the student edition's ``...`` stub, or None.
* ``error``: the submission or this answer could not be graded; the message says why in one line
  (not a notebook, broken JSON, another course's notebook, a parameter that is not allowed, the
  time, memory or output limit, a kernel that stopped, a variable never assigned, an exercise that
  the submission's parameters leave no data for).
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import answers, checks
from .errors import GradeError
from .exercise_cells import answer_cells
from .exercises import Exercise, for_notebook
from .limited_run import INTERRUPT, run_submission
from .prose import plural
from .submissions import Submission, cell_source, cell_type, find

STATUSES = ("right", "not_yet", "not_answered", "error")
COLUMNS = ("student", "notebook", "exercise", "status", "points", "max_points", "message")
MAX_ZYGOTE_RESTARTS = 5  # then ordinary kernels: a class that keeps killing it costs time, not grades
KIND_WORDS = {"number": "a number", "year": "a year", "choice": "a text", "entities": "a list of names"}


@dataclass(frozen=True)
class Row:
    """One line of the gradebook: a student's result on one exercise (or on a file that could not be graded)."""

    student: str
    notebook: str
    exercise: str  # the exercise id; "" for a file that is no case notebook
    status: str
    points: int
    max_points: int
    message: str
    answer: str = ""  # the student's answer as shown on the feedback page
    title: str = ""  # the exercise's title
    number: int = 0  # the exercise's number in its notebook
    hint: str = ""  # what to look at again (empty when right)

    def csv_fields(self) -> list:
        return [getattr(self, name) for name in COLUMNS]


@dataclass
class Graded:
    """One submission and its rows."""

    submission: Submission
    rows: list[Row]
    seconds: float = 0.0
    reason: str = ""  # why the whole submission is in error ("" when it ran)

    @property
    def points(self) -> tuple[int, int]:
        return sum(r.points for r in self.rows), sum(r.max_points for r in self.rows)


@dataclass
class Gradebook:
    graded: list[Graded] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for g in self.graded for row in g.rows]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    def __str__(self) -> str:
        students = len({g.submission.student for g in self.graded})
        counts = ", ".join(f"{self.count(s)} {s.replace('_', ' ')}" for s in STATUSES)
        text = (f"{len(self.graded)} {plural('submission', len(self.graded))} from {students} "
                f"{plural('student', students)}: {counts}")
        failed = [g for g in self.graded if g.reason]
        return text + "".join(f"\n  {printable(g.submission.label)} ({printable(g.submission.student)}): {printable(g.reason)}" for g in failed)


class Grader:
    """Grades submissions into one folder.

    :param out: the folder for ``grades.csv``, ``index.html`` and ``feedback/`` (created if missing).
    :param jobs: submissions run at once, each in its own kernel (default: the machine's cores).
    :param timeout: seconds that all the cells of one submission may run together.
    :param memory_mb: memory (address space) one submission's code may add to its kernel.
    :param output_limit_mb: output that one submission may print, all cells together.
    :param executor: any ``concurrent.futures.Executor`` to run submissions on (e.g. a Dask client's
        ``get_executor()``); by default a local pool of ``jobs`` threads, each driving one kernel process.
    :param kernel_name: the Jupyter kernel that runs the submissions (whatever kernel they name).
    :param warm: start each kernel by forking a process that has imported the notebooks' libraries
        (see :mod:`casekit.warm`); local runs only, ignored with ``executor``.
    :param progress: a line per submission on stderr.
    """

    def __init__(self, out: str | Path = "grades", *, jobs: int | None = None, timeout: float = 300,
                 memory_mb: int = 2048, output_limit_mb: float = 32, executor: Executor | None = None,
                 kernel_name: str = "python3", warm: bool = True, progress: bool = False):
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise GradeError(f"--out {str(out)!r} is a file (give a folder for the grades)")
        for name, value in (("--jobs", jobs), ("--timeout", timeout), ("--memory", memory_mb), ("--output-limit", output_limit_mb)):
            if value is not None and value <= 0:
                raise GradeError(f"{name} {value}: give a number above 0")
        self.jobs = jobs or os.cpu_count() or 1
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.output_limit_mb = output_limit_mb
        self.executor = executor
        self.kernel_name = kernel_name
        self.warm = warm
        self.progress = progress
        self._expected: dict = {}
        self._lock = threading.Lock()
        self._zygote = None

    def grade(self, paths: list[str | Path]) -> Gradebook:
        """Find, run and check every submission under ``paths``; write the gradebook and pages; return it."""
        from . import grade_report

        submissions = find(paths, exclude=[self.out])
        tasks = {str(i): self._task(str(i), s) for i, s in enumerate(submissions) if s.gradable and for_notebook(s.notebook)}
        results = self._run(tasks, {str(i): s for i, s in enumerate(submissions)})
        book = Gradebook([self._grade(s, results.get(str(i))) for i, s in enumerate(submissions)])
        grade_report.write(book, self.out)
        return book

    # ---- running ------------------------------------------------------------------------------------
    def _task(self, key: str, submission: Submission) -> dict:
        cells = [[number, cell_source(cell)] for number, cell in enumerate(submission.nb["cells"], start=1)
                 if cell_type(cell) == "code" and cell_source(cell).strip()]
        return {"key": key, "cells": cells, "variables": [e.variable for e in for_notebook(submission.notebook)],
                "timeout": self.timeout, "memory_mb": self.memory_mb, "output_limit_mb": self.output_limit_mb,
                "kernel_name": self.kernel_name, "zygote": None}

    def _run(self, tasks: dict[str, dict], submissions: dict[str, Submission]) -> dict[str, dict]:
        if not tasks:
            return {}
        self._zygote = self._start_zygote()
        self._restarts = 0
        executor = self.executor or ThreadPoolExecutor(max_workers=min(self.jobs, len(tasks)), thread_name_prefix="casekit-grade")
        run = run_submission if self.executor else self._run_local
        results = {}
        INTERRUPT.clear()
        try:
            futures = {executor.submit(run, task): key for key, task in tasks.items()}
            for future in as_completed(futures):
                key = futures[future]
                try:
                    result = future.result()
                except Exception as failure:  # a worker lost on a cluster: this submission's error only
                    result = {"key": key, "ok": False, "reason": f"the grading worker failed ({type(failure).__name__}: {failure})"[:300],
                              "values": None, "errors": [], "seconds": 0.0}
                results[key] = result
                self._log(submissions[key], result)
        except BaseException:
            INTERRUPT.set()  # Ctrl-C or a bug: the running kernels stop now instead of at their time limit
            raise
        finally:
            if self.executor is None:
                executor.shutdown(cancel_futures=True)
            if self._zygote is not None:
                self._zygote.close()
        return results

    def _run_local(self, task: dict) -> dict:
        """run_submission on this machine, with a warm-kernel process that is alive (a submission may kill it)."""
        with self._lock:
            if self._zygote is not None and self._zygote.process.poll() is not None:
                self._zygote.close()
                self._restarts += 1
                self._zygote = self._start_zygote() if self._restarts <= MAX_ZYGOTE_RESTARTS else None
            task = {**task, "zygote": self._zygote.path if self._zygote else None}
        return run_submission(task)

    def _start_zygote(self):
        from . import warm

        if not (self.warm and self.executor is None and warm.supported()):
            return None
        try:
            zygote = warm.Zygote()
        except (OSError, RuntimeError):
            return None  # ordinary kernels then: slower, same grades
        return zygote if zygote.wait_ready() else None

    def _log(self, submission: Submission, result: dict) -> None:
        if self.progress:
            state = f"ran in {result['seconds']:.1f}s" if result["ok"] else f"error: {result['reason']}"
            print(printable(f"{submission.label} ({submission.student}): {state}"), file=sys.stderr, flush=True)

    # ---- checking -----------------------------------------------------------------------------------
    def _grade(self, submission: Submission, result: dict | None) -> Graded:
        exercises = for_notebook(submission.notebook) if submission.notebook else []
        if not submission.gradable or not exercises:
            reason = submission.problem or f"{submission.notebook} has no exercises to grade"
            return Graded(submission, self._error_rows(submission, exercises, reason), reason=reason)
        answer_at = answer_cells(submission.nb, exercises)
        if result is None or not result["ok"]:
            reason = result["reason"] if result else "it was not run"
            if result and result.get("cell"):  # which cell, as the student finds it
                by_id = {e.id: e for e in exercises}
                answered = {index + 1: by_id[eid] for eid, index in answer_at.items()}
                cell = result["cell"]
                where = (f"the answer cell of exercise {answered[cell].number}" if cell in answered
                         else _cell_named(submission, cell, None))
                reason = f"{reason} ({where})"
            return Graded(submission, self._error_rows(submission, exercises, reason), result and result["seconds"] or 0.0, reason)
        rows = [self._check(submission, exercise, result, answer_at.get(exercise.id)) for exercise in exercises]
        return Graded(submission, rows, result["seconds"])

    def _error_rows(self, submission: Submission, exercises: list[Exercise], reason: str) -> list[Row]:
        if not exercises:
            return [Row(submission.student, submission.notebook, "", "error", 0, 0, reason)]
        return [Row(submission.student, submission.notebook, e.id, "error", 0, e.points, reason, title=e.title, number=e.number)
                for e in exercises]

    def _check(self, submission: Submission, exercise: Exercise, result: dict, answer_index: int | None) -> Row:
        case = self._case(submission)
        hint = exercise.hint_for(case)

        def row(status: str, message: str, answer: str = "") -> Row:
            points = exercise.points if status == "right" else 0
            return Row(submission.student, submission.notebook, exercise.id, status, points, exercise.points,
                       " ".join(message.split()), answer, exercise.title, exercise.number, "" if status == "right" else hint)

        expected = self._expected_answer(submission, exercise)
        if not expected.available:
            return row("error", f"This exercise cannot be graded under the parameters of this submission: {expected.why_unavailable}")
        try:
            value = answers.decode(result["values"].get(exercise.variable))
        except answers.Malformed as malformed:
            return row("error", f"The kernel sent something other than an answer for `{exercise.variable}` ({malformed}).")
        shown = answers.shown(value)
        if isinstance(value, answers.Missing):
            raised = _error_in(result["errors"], answer_index)
            because = f": {_cell_named(submission, raised['cell'], answer_index)} raised {raised['ename']}: {raised['evalue']}" \
                if raised else " (its answer cell may have been deleted, or the name changed)"
            return row("error", f"`{exercise.variable}` was never assigned{because}", shown)
        if isinstance(value, answers.Unreadable):
            return row("not_yet", f"`{exercise.variable}` holds {value.describe()}, not {KIND_WORDS[exercise.kind]}. {hint}", shown)
        try:
            feedback = exercise.check(case, value)
        except Exception as failure:  # an answer of a shape the check did not foresee
            return row("error", f"The check could not read this answer ({type(failure).__name__}).", shown)
        status = {True: "right", False: "not_yet", None: "not_answered"}[feedback.passed]
        if status == "not_answered" and not checks.unanswered(value):
            status = "error"  # a check that could not decide: say so rather than call it unanswered
        return row(status, feedback.message, shown)

    def _case(self, submission: Submission):
        from .case import open_case

        key = (submission.notebook, json.dumps(submission.parameters, sort_keys=True, default=str))
        if key not in self._expected:
            self._expected[key] = {"case": open_case(submission.notebook, dict(submission.parameters))}
        return self._expected[key]["case"]

    def _expected_answer(self, submission: Submission, exercise: Exercise):
        self._case(submission)
        cached = self._expected[(submission.notebook, json.dumps(submission.parameters, sort_keys=True, default=str))]
        if exercise.id not in cached:
            cached[exercise.id] = exercise.answer(cached["case"])
        return cached[exercise.id]


def _error_in(errors: list[dict], index: int | None) -> dict | None:
    """The error raised by the answer cell (index from 0), else the last error before it."""
    if index is None:
        return errors[0] if errors else None
    before = [e for e in errors if e["cell"] <= index + 1]
    same = [e for e in before if e["cell"] == index + 1]
    return (same or before or [None])[-1]


def _cell_named(submission: Submission, number: int, answer_index: int | None) -> str:
    """A cell as a student finds it: the answer cell, or the cell by its first line of code."""
    if answer_index is not None and number == answer_index + 1:
        return "its answer cell"
    lines = [line.strip() for line in cell_source(submission.nb["cells"][number - 1]).splitlines() if line.strip() and not line.strip().startswith("#")]
    first = lines[0] if lines else ""
    return f"the cell starting `{first[:60]}{'...' if len(first) > 60 else ''}`" if first else f"cell {number}"


def printable(text: str) -> str:
    """Text for the instructor's terminal: a file name a student chose carries no escape sequence there."""
    return "".join(c if c.isprintable() else "?" for c in text)


def timestamp() -> str:
    """When the grading ran, as the pages print it (SOURCE_DATE_EPOCH when set, for reproducible pages)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M UTC", moment)
