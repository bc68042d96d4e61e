"""casekit grade: a class of real submissions, made from the student edition and graded side by side in one run.

The class holds an all-right, an all-wrong and an unanswered submission, one with a broken answer cell, hostile
ones (an endless loop, a memory hog, a kernel that kills its parent and exits, an output flood, one that redefines
the checks, one that forges the readout and attacks the files of the grading), and files that are no submission
(a text file, broken JSON, another course's notebook). One grading run is shared by every test that reads it.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml

from casekit import answers, open_case
from casekit.exercises import for_notebook
from casekit.grade_report import gradebook_csv, safe_names
from casekit.notebooks import available
from casekit.notebooks import find as find_notebook
from casekit.student import write_edition
from casekit.submissions import find

from . import grading_samples as samples
from .conftest import REPO, run_cli
from .test_browser import WCAG_21_AA  # the `browser` fixture comes from conftest

NOTEBOOK = "history"  # the hostile submissions' notebook
BOOKS = [name for name in available() if for_notebook(name)]  # every notebook with exercises: alice and bob hand in each
ESCAPED = "mallory\x1b[2J"
TIMEOUT = 45  # seconds per submission in the shared run: a normal one needs a few, the endless loop uses all

HOSTILE = {
    # student -> {exercise number: code for that answer cell} (1-based; other cells as handed out)
    "abe_loops": {1: "while True:\n    pass"},
    "hal_hogs": {1: "hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))"},
    "ada_exits": {1: "import os, signal\n"
                   "parent = open(f'/proc/{os.getppid()}/cmdline').read()\n"
                   "if 'casekit.warm' in parent:  # the warm-kernel process: take it down for everyone after\n"
                   "    os.kill(os.getppid(), signal.SIGKILL)\n"
                   "os._exit(1)"},
    "flo_floods": {1: "while True:\n    print('x' * 100_000, flush=True)"},
}

# Every check redefined, an answer object that claims to equal anything, and "Right" printed everywhere.
CHEAT = """
import casekit, casekit.checks, casekit.exercises
from casekit.checks import Feedback
always = lambda *args, **kwargs: Feedback(True, "Right.")
casekit.checks.number = casekit.checks.year = casekit.checks.members = casekit.checks.choice = always
casekit.exercises.Exercise.check = lambda self, case, answer: Feedback(True, "Right.")
case.check = lambda *args: Feedback(True, "Right.")
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
print("**Right.** Every answer is correct.")
"""

# Publishes a readout with made-up right answers whenever the grader runs a cell (it can read the nonce there),
# and, from inside its kernel, attacks what the grader will write and another student's file.
FORGE = """
import json, os, pathlib, shutil
from IPython import get_ipython
from IPython.display import publish_display_data
OUT, VICTIM, ALICE = pathlib.Path({out!r}), pathlib.Path({victim!r}), pathlib.Path({alice!r})
def forge(info):
    code = info.raw_cell or ""
    if "NONCE" in code:
        nonce = code.split("'NONCE': '")[1].split("'")[0]
        publish_display_data({{{mime!r}: {{"nonce": nonce, "values": {right!r}}}}})
get_ipython().events.register("pre_run_cell", forge)
OUT.mkdir(parents=True, exist_ok=True)
(OUT / "grades.csv").write_text("student,notebook,exercise,status,points,max_points,message\\nforger,history,x,right,100,1,forged\\n")
if (OUT / "feedback").exists() and not (OUT / "feedback").is_symlink():
    shutil.rmtree(OUT / "feedback")
(OUT / "feedback").symlink_to(VICTIM, target_is_directory=True)
(OUT / "index.html").mkdir(exist_ok=True)
nb = json.loads(ALICE.read_text())
for cell in nb["cells"]:
    if cell.get("metadata", {{}}).get("nbgrader", {{}}).get("solution"):
        cell["source"] = "raise SystemExit('tampered')"
ALICE.write_text(json.dumps(nb))
"""


def _exercises():
    return for_notebook(NOTEBOOK)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    edition, submissions, out, victim = root / "edition", root / "submissions", root / "grades", root / "victim"
    write_edition(edition, BOOKS)
    victim.mkdir()
    (victim / "keep.txt").write_text("not the grader's")
    exercises = _exercises()
    file = find_notebook(NOTEBOOK).path.name

    for book in BOOKS:
        name = find_notebook(book).path.name
        samples.write(samples.all_right(edition, book), submissions / "alice" / name)
        samples.write(samples.all_wrong(edition, book), submissions / "bob" / name)
    samples.write(samples.unanswered(edition, NOTEBOOK), submissions / "carol" / file)
    alice = submissions / "alice" / file
    first, second, third = exercises[0], exercises[1], exercises[2]
    broken = {first.id: samples.solutions(NOTEBOOK)[first.id],
              second.id: f"{second.variable} = events['no such column'].min()",
              third.id: f"{third.variable} = '<img src=x onerror=\"window.pwned=1\">'"}
    samples.write(samples.answered(edition, NOTEBOOK, broken), submissions / "dave" / "my copy of history.ipynb")
    for student, cells in HOSTILE.items():
        code = {exercises[n - 1].id: source for n, source in cells.items()}
        samples.write(samples.answered(edition, NOTEBOOK, code), submissions / student / file)
    wrong = samples.all_wrong(edition, NOTEBOOK)
    cheat = samples.answered(edition, NOTEBOOK, {e.id: f"{e.variable} = Anything(-1)" for e in exercises}, prepend=CHEAT)
    samples.write(cheat, submissions / "cheater" / file)
    right = {e.variable: 1 for e in exercises}
    forge = FORGE.format(out=str(out), victim=str(victim), alice=str(alice), mime=answers.MIME, right=right)
    samples.write(samples.answered(edition, NOTEBOOK, {e.id: f"{e.variable} = -1" for e in exercises}, prepend=forge), submissions / "forger" / file)
    samples.write(samples.with_parameters(wrong, start_year=1800), submissions / "time_traveller" / file)
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42")])
    (submissions / "olga").mkdir()
    nbformat.write(other, submissions / "olga" / "homework3.ipynb")
    (submissions / "pete.ipynb").write_text('{"cells": [', encoding="utf-8")
    (submissions / "quinn").mkdir()
    (submissions / "quinn" / "essay.docx").write_bytes(b"PK\x03\x04")
    (submissions / ESCAPED).mkdir()  # a folder name that would repaint the instructor's terminal
    (submissions / ESCAPED / "answers.txt").write_text("42")
    loose = root / "extra" / "notes.txt"
    loose.parent.mkdir()
    loose.write_text("my answers: 42")
    original_alice = alice.read_text()

    result = run_cli("grade", str(submissions), str(loose), "--out", str(out), "--jobs", "2", "--timeout", str(TIMEOUT),
                     "--memory", "512", "--output-limit", "4")
    rows = list(csv.DictReader((out / "grades.csv").read_text(encoding="utf-8").splitlines())) if (out / "grades.csv").exists() else []
    return {"result": result, "out": out, "rows": rows, "victim": victim, "alice": alice, "alice_was": original_alice,
            "submissions": submissions}


def _rows(graded, student, notebook=NOTEBOOK):
    return [r for r in graded["rows"] if r["student"] == student and r["notebook"] in (notebook, "")]


def _statuses(graded, student, notebook=NOTEBOOK):
    return [r["status"] for r in _rows(graded, student, notebook)]


def test_the_run_succeeds_and_lists_every_student(graded):
    result = graded["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr and "mallory?[2J" in result.stdout
    students = {r["student"] for r in graded["rows"]}
    assert students == {"alice", "bob", "carol", "dave", *HOSTILE, "cheater", "forger", "time_traveller", "olga", "pete", "quinn",
                        "notes", ESCAPED}
    assert list(graded["rows"][0]) == ["student", "notebook", "exercise", "status", "points", "max_points", "message"]


@pytest.mark.parametrize("book", BOOKS)
def test_right_and_wrong_submissions_get_their_statuses_and_points_in_every_notebook(graded, book):
    exercises = for_notebook(book)
    assert _statuses(graded, "alice", book) == ["right"] * len(exercises), _rows(graded, "alice", book)
    assert [int(r["points"]) for r in _rows(graded, "alice", book)] == [e.points for e in exercises]
    assert _statuses(graded, "bob", book) == ["not_yet"] * len(exercises), _rows(graded, "bob", book)
    assert all(r["points"] == "0" and r["max_points"] == str(e.points) for r, e in zip(_rows(graded, "bob", book), exercises))
    assert [r["exercise"] for r in _rows(graded, "alice", book)] == [e.id for e in exercises]


def test_an_unanswered_submission_is_not_answered_throughout(graded):
    assert _statuses(graded, "carol") == ["not_answered"] * len(_exercises())
    assert all("..." in r["message"] for r in _rows(graded, "carol"))


def test_a_broken_answer_cell_costs_only_its_own_exercise(graded):
    rows = _rows(graded, "dave")
    assert [r["status"] for r in rows[:3]] == ["right", "error", "not_yet"]
    assert "never assigned" in rows[1]["message"] and "KeyError" in rows[1]["message"]
    assert "give a single number" in rows[2]["message"] or "not" in rows[2]["message"]


@pytest.mark.parametrize("student, reason", [
    ("abe_loops", f"ran longer than the {TIMEOUT} s time limit"),
    ("hal_hogs", "ran out of memory: the 512 MB limit"),
    ("ada_exits", "the kernel stopped"),
    ("flo_floods", "printed more than the 4 MB output limit"),
])
def test_a_submission_that_breaks_a_limit_is_an_error_with_a_one_line_reason(graded, student, reason):
    rows = _rows(graded, student)
    assert len(rows) == len(_exercises())
    assert {r["status"] for r in rows} == {"error"}
    assert all(reason in r["message"] and "\n" not in r["message"] for r in rows), rows[0]["message"]
    assert "(the answer cell of exercise 1)" in rows[0]["message"]
    assert all(r["points"] == "0" for r in rows)


def test_redefining_the_checks_and_printing_right_does_not_change_a_wrong_answer(graded):
    rows = _rows(graded, "cheater")
    assert [r["status"] for r in rows] == ["not_yet"] * len(_exercises()), rows


def test_a_forged_readout_is_refused_and_the_grading_files_are_the_graders(graded):
    out = graded["out"]
    assert {r["status"] for r in _rows(graded, "forger")} == {"error"}
    assert "could not be read" in _rows(graded, "forger")[0]["message"]
    assert not any(r["student"] == "forger" and r["points"] == "100" for r in graded["rows"])
    assert (out / "feedback").is_dir() and not (out / "feedback").is_symlink()
    assert sorted(p.name for p in graded["victim"].iterdir()) == ["keep.txt"]
    assert (out / "index.html").is_file()


def test_a_submission_cannot_change_another_students_grade_by_editing_their_file(graded):
    assert graded["alice"].read_text() != graded["alice_was"], "the forger's attack on alice's file did not happen"
    assert _statuses(graded, "alice") == ["right"] * len(_exercises())


def test_files_that_are_not_submissions_are_error_rows_with_a_clear_message(graded):
    expected = {
        "time_traveller": "start_year: 1800 is outside the data",
        "olga": "is not a notebook of this case",
        "pete": "is not valid JSON",
        "quinn": "no notebook (.ipynb) in quinn/; it holds essay.docx",
        "notes": "notes.txt is not a notebook",
    }
    for student, message in expected.items():
        rows = _rows(graded, student)
        assert rows and {r["status"] for r in rows} == {"error"}, student
        assert message in rows[0]["message"], rows[0]["message"]
    assert len(_rows(graded, "time_traveller")) == len(_exercises())  # its notebook is known: one row per exercise


def test_no_gradebook_cell_starts_a_spreadsheet_formula(graded):
    text = (graded["out"] / "grades.csv").read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines()[1:]):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert "'-" in text  # bob's negative answer is echoed, defused


def test_every_submission_has_a_feedback_page_and_the_index_links_them(graded):
    out = graded["out"]
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "feedback").rglob("*.html"))
    assert {f"feedback/alice/{book}.html" for book in BOOKS} <= set(pages) and f"feedback/abe_loops/{NOTEBOOK}.html" in pages
    assert len(pages) == len({(r["student"], r["notebook"]) for r in graded["rows"]})
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in index and "How many students got each exercise right" in index
    assert f'href="feedback/alice/{NOTEBOOK}.html"' in index



def _open_offline(browser, path):
    page = browser.new_page()
    requests, errors, dialogs = [], [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else (requests.append(route.request.url), route.abort()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, errors, dialogs


@pytest.mark.slow
def test_the_class_overview_opens_offline_with_its_chart_and_working_links(browser, graded):
    out = graded["out"]
    page, requests, errors, _ = _open_offline(browser, out / "index.html")
    assert page.locator("figure.chart svg").count() == 1
    assert page.locator("figure.chart svg .mark-rect path, figure.chart svg path").count() > len(_exercises())
    first = page.locator(f"tr[data-exercise='{NOTEBOOK}/{_exercises()[0].id}'] td.right").inner_text()
    assert first == str(sum(r["status"] == "right" and r["exercise"] == _exercises()[0].id for r in graded["rows"]))
    links = page.eval_on_selector_all("a[href^='feedback/']", "els => els.map(e => e.getAttribute('href'))")
    assert links and all((out / link).is_file() for link in links)
    assert requests == [] and errors == []
    _assert_accessible(page)
    page.close()


def _assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.slow
def test_a_feedback_page_shows_the_answers_the_feedback_and_what_to_look_at_again(browser, graded):
    out = graded["out"]
    page, requests, errors, dialogs = _open_offline(browser, out / "feedback" / "dave" / f"{NOTEBOOK}.html")
    text = page.inner_text("body")
    exercises = _exercises()
    assert "Feedback for dave" in text and f"1 of {sum(e.points for e in exercises)} points" in text
    hint = exercises[2].hint_for(open_case(NOTEBOOK, {}))
    assert "What to look at again" in text and hint.split(".")[0] in text
    assert page.locator("section.exercise").count() == len(exercises)
    assert page.locator("section.exercise .status.right").count() == 1
    assert "<img src=x" in text  # the answer shown as text, not as markup
    assert page.evaluate("window.pwned === undefined") and page.locator("img").count() == 0 and dialogs == []
    assert requests == [] and errors == []
    _assert_accessible(page)
    page.close()


@pytest.mark.slow
def test_a_dask_cluster_grades_like_the_local_run(graded, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from casekit.grade import Grader

    chosen = [graded["submissions"] / "bob" / find_notebook(NOTEBOOK).path.name]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            book = Grader(tmp_path / "out", executor=client.get_executor(), timeout=TIMEOUT).grade(chosen)
    remote = [(r.student, r.exercise, r.status, r.message) for r in book.rows]
    local = [(r["student"], r["exercise"], r["status"], r["message"].lstrip("'")) for r in graded["rows"] if r["student"] == "bob" and r["notebook"] == NOTEBOOK]
    assert sorted(remote) == sorted(local)


# ---- without a kernel -------------------------------------------------------------------------------

def test_the_student_edition_carries_valid_nbgrader_metadata(tmp_path):
    nbgraderformat = pytest.importorskip("nbgrader.nbgraderformat")
    for path in write_edition(tmp_path):
        nb = nbformat.read(str(path), as_version=4)
        nbgraderformat.MetadataValidator().validate_nb(nb)  # raises on invalid metadata
        name = nb.metadata["casekit"]["notebook"]
        marked = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata}
        for exercise in for_notebook(name):
            answer = marked[exercise.id]
            assert answer["solution"] and answer["grade"] and answer["points"] == exercise.points
            assert marked[f"{exercise.id}-check"]["locked"] and not marked[f"{exercise.id}-check"]["grade"]


def test_the_test_extra_and_environment_yml_both_carry_nbgrader():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    in_pyproject = [r.replace(" ", "") for r in extra if r.startswith("nbgrader")]
    in_environment = [r.replace(" ", "") for r in pip if r.startswith("nbgrader")]
    assert in_pyproject and in_pyproject == in_environment


def test_students_are_named_by_their_folder_or_their_file(tmp_path):
    edition = tmp_path / "edition"
    write_edition(edition, [NOTEBOOK])
    nb = samples.unanswered(edition, NOTEBOOK)
    samples.write(nb, tmp_path / "nbgrader" / "alice" / "ps1" / "01_history.ipynb")  # nbgrader's submitted/ layout
    samples.write(nb, tmp_path / "nbgrader" / "bob.ipynb")  # one file per student
    older = samples.write(nb, tmp_path / "nbgrader" / "alice" / "ps1" / "history-old.ipynb")
    os.utime(older, (1, 1))
    (tmp_path / "nbgrader" / "alice" / "ps1" / ".ipynb_checkpoints").mkdir()
    samples.write(nb, tmp_path / "nbgrader" / "alice" / "ps1" / ".ipynb_checkpoints" / "01_history-checkpoint.ipynb")
    samples.write(nb, tmp_path / "single" / "carol" / "01_history.ipynb")
    (tmp_path / "nbgrader" / "grades").mkdir()  # the grader's --out inside the folder it searches
    (tmp_path / "nbgrader" / "elsewhere").symlink_to(tmp_path / "single", target_is_directory=True)
    found = find([tmp_path / "nbgrader", tmp_path / "single" / "carol" / "01_history.ipynb"], exclude=[tmp_path / "nbgrader" / "grades"])
    named = {(s.student, s.label): s for s in found}
    assert set(named) == {("alice", "alice/ps1/01_history.ipynb"), ("alice", "alice/ps1/history-old.ipynb"),
                          ("bob", "bob.ipynb"), ("carol", str(tmp_path / "single" / "carol" / "01_history.ipynb"))}
    assert named[("alice", "alice/ps1/01_history.ipynb")].gradable
    assert "newer submission" in named[("alice", "alice/ps1/history-old.ipynb")].problem
    assert all(s.notebook == NOTEBOOK for s in found)


def test_a_renamed_notebook_is_known_by_its_metadata_and_a_foreign_one_is_not(tmp_path):
    edition = tmp_path / "edition"
    write_edition(edition, [NOTEBOOK])
    nb = samples.unanswered(edition, NOTEBOOK)
    samples.write(nb, tmp_path / "subs" / "dan-final.ipynb")
    foreign = json.loads(json.dumps(nb))
    foreign["metadata"]["casekit"]["notebook"] = "accounting"
    samples.write(foreign, tmp_path / "subs" / "eve.ipynb")
    found = {s.student: s for s in find([tmp_path / "subs"])}
    assert found["dan-final"].notebook == NOTEBOOK and found["dan-final"].gradable
    assert "'accounting' that this casekit does not have" in found["eve"].problem


def test_submissions_run_in_kernels_forked_from_the_warm_process():
    """The speed of grading rests on it: a kernel forked from the warm-kernel process has casekit and Altair loaded
    before the submission's first cell, and it runs under the limits all the same."""
    from casekit import warm
    from casekit.limited_run import run_submission

    task = {"key": "k", "cells": [[1, "import sys\nwarm = sorted({'casekit.case', 'altair'} & set(sys.modules))"]],
            "variables": ["warm"], "timeout": 60, "memory_mb": 2000, "output_limit_mb": 1, "kernel_name": "python3"}
    def run(zygote):  # in a thread of its own, as the grader runs it (asyncio inside)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(run_submission, {**task, "zygote": zygote}).result()

    with warm.Zygote() as zygote:
        assert zygote.wait_ready()
        result = run(zygote.path)
    assert result["ok"], result["reason"]
    assert answers.decode(result["values"]["warm"]) == ["altair", "casekit.case"]
    cold = run(None)
    assert cold["ok"] and answers.decode(cold["values"]["warm"]) == [], "an ordinary kernel starts with neither"


def test_readout_data_is_decoded_strictly():
    assert answers.decode({"$": "list", "items": [1, "JD.com", {"$": "float", "value": "nan"}]})[:2] == [1, "JD.com"]
    assert answers.decode({"$": "ellipsis"}) is Ellipsis
    assert answers.decode({"$": "datetime", "iso": "2005-03-01T00:00:00"}).year == 2005
    assert isinstance(answers.decode({"$": "missing"}), answers.Missing)
    assert "DataFrame" in answers.decode({"$": "unreadable", "type": "DataFrame", "shape": [3, 4]}).describe()
    deep = 1
    for _ in range(answers.MAX_DEPTH + 1):
        deep = {"$": "list", "items": [deep]}
    for bad in ({"$": "exec"}, {"$": "list", "items": list(range(answers.MAX_ITEMS + 1))}, "x" * (answers.MAX_TEXT + 1),
                10 ** (answers.MAX_DIGITS + 1), {"$": "set", "items": [{"$": "list", "items": []}]}, deep, [1, 2]):
        with pytest.raises(answers.Malformed):
            answers.decode(bad)


def test_file_names_stay_distinct_and_safe():
    names = safe_names(["a b", "a_b", "../etc", "", "Zoë"])
    assert len(set(names.values())) == 5
    assert all("/" not in n and not n.startswith(".") for n in names.values())


def test_the_gradebook_defuses_formulas():
    from casekit.grade import Gradebook, Graded, Row
    from casekit.submissions import Submission

    row = Row("=HYPERLINK(1)", "history", "x", "not_yet", 0, 1, "+1 is not it")
    text = gradebook_csv(Gradebook([Graded(Submission(Path("x"), "x", "=HYPERLINK(1)"), [row])]))
    assert "'=HYPERLINK(1)" in text and "'+1 is not it" in text


def test_grade_rejects_an_out_that_is_a_file_and_a_missing_path(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_cli("grade", str(tmp_path), "--out", str(tmp_path / "file"))
    assert result.returncode == 1 and "is a file" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("grade", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "not found" in result.stderr and "Traceback" not in result.stderr
    shutil.rmtree(tmp_path)
