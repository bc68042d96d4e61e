"""Classroom use: the student edition, exercise checks, and JupyterLab in one command."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from casekit import checks, exercises
from casekit.build import Builder, plan, read_batch
from casekit.case import Case
from casekit.notebooks import available, find
from casekit.params import validate
from casekit.student import SOLUTION, STUB_TAG

from .conftest import REPO, run_cli


def _solution_lines(nb) -> list[str]:
    lines = []
    for cell in nb.cells:
        for match in SOLUTION.finditer(cell.source):
            lines += [line.strip() for line in match.group(2).splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    result = run_cli("student", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_the_student_edition_leaks_no_solution_line(edition):
    for name in available():
        instructor = nbformat.read(str(find(name).path), as_version=4)
        student_text = (edition / find(name).path.name).read_text(encoding="utf-8")
        solution_lines = _solution_lines(instructor)
        assert solution_lines, f"{name} has no solutions"
        for line in solution_lines:
            if len(line) > 12 and not line.endswith("= ..."):
                assert json.dumps(line)[1:-1] not in student_text, f"{name}: solution line leaked: {line}"
        assert "### BEGIN SOLUTION" not in student_text


def test_the_student_edition_has_stubs_and_no_teaching_notes(edition):
    for name in available():
        instructor = nbformat.read(str(find(name).path), as_version=4)
        student = nbformat.read(str(edition / find(name).path.name), as_version=4)
        nbformat.validate(student)
        stubs = [c for c in student.cells if STUB_TAG in c.metadata.get("tags", [])]
        solutions = [c for c in instructor.cells if "### BEGIN SOLUTION" in c.source]
        assert len(stubs) == len(solutions) >= 2
        assert all("= ..." in c.source or "..." in c.source for c in stubs)
        assert not any("instructor" in c.metadata.get("tags", []) for c in student.cells)
        assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
        assert len(student.cells) == len(instructor.cells) - sum("instructor" in c.metadata.get("tags", []) for c in instructor.cells)


@pytest.mark.slow
def test_the_student_edition_runs_top_to_bottom_and_asks_for_answers(edition, tmp_path):
    # An instructor-audience build keeps the check cells in the executed notebooks (a student build cuts them).
    runs = [plan(str(edition / find(name).path.name), {"audience": "instructor"}) for name in available()]
    summary = Builder(tmp_path / "out", jobs=2).build(runs)
    assert summary.ok, str(summary)
    for run in runs:
        executed = nbformat.read(str(tmp_path / "out" / f"{run.name}.ipynb"), as_version=4)
        feedback = [o["data"]["text/markdown"] for c in executed.cells if "check" in c.metadata.get("tags", [])
                    for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
        assert feedback and all("**Not answered yet.**" in f for f in feedback), feedback


@pytest.mark.parametrize("name", available())
def test_every_exercise_rejects_wrong_answers_with_a_message(name):
    case = Case(name, validate(name, {}))
    defined = [e.id for e in exercises.for_notebook(name)]
    assert defined, f"{name} defines no exercises"
    for exercise in defined:
        unanswered = case.check(exercise, ...)
        assert unanswered.passed is None and unanswered.message
        for wrong in (-12345.678, 1801, "certainly not this", ["nothing", "here"]):
            feedback = case.check(exercise, wrong)
            assert isinstance(feedback, checks.Feedback), f"{name}/{exercise} returned {feedback!r}"
            assert feedback.passed is False, f"{name}/{exercise} accepted {wrong!r}"
            assert feedback.message and "Traceback" not in feedback.message


def test_number_checks_accept_every_close_answer_and_explain_mistakes():
    assert checks.number(0.251, 0.25).passed
    assert checks.number(0.25, 0.25).passed
    assert not checks.number(0.4, 0.25, hint="Look at Exhibit 2.").passed
    assert "percentage" in checks.number(25, 0.25).message
    assert "single number" in checks.number("a lot", 0.25).message
    assert checks.number(float("nan"), 0.25).passed is False
    assert checks.number(..., 0.25).passed is None


def test_year_choice_and_members_checks():
    assert checks.year(2005, {2005, 2006}).passed and "2006" in checks.year(2005, {2005, 2006}).message
    assert "too early" in checks.year(2001, 2005).message
    assert checks.year("2005", 2005).passed
    assert checks.choice("  the alibaba WAY ", ["The Alibaba Way"]).passed
    assert not checks.choice("kb", ["alibaba_way"]).passed
    assert checks.members(["b", "A"], ["a", "b"]).passed
    verdict = checks.members(["a", "c"], ["a", "b"])
    assert not verdict.passed and "1 missing" in verdict.message and "1 that should not be there" in verdict.message
    assert "**Not yet.**" in checks.members("a", ["a"])._repr_markdown_()


def test_the_classroom_batch_file_validates():
    runs = read_batch(REPO / "notebooks" / "classroom" / "groups.yml")
    assert len(runs) >= 4 and len({r.name for r in runs}) == len(runs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_casekit_lab_serves_the_notebooks_with_this_environments_kernel():
    port, token = _free_port(), "casekit-test"
    process = subprocess.Popen([sys.executable, "-m", "casekit", "lab", "--no-browser", "--port", str(port), "--",
                                f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "JUPYTER_NO_CONFIG": "1"})
    try:
        contents = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=2) as response:
                    contents = json.load(response)
                    break
            except OSError:
                time.sleep(0.5)
        assert contents is not None, "JupyterLab did not start"
        names = {item["name"] for item in contents["content"]}
        assert {find(n).path.name for n in available()} <= names
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=5) as response:
            specs = json.load(response)
        assert specs["default"] == "python3"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5) as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
    finally:
        process.terminate()
        process.wait(timeout=30)
