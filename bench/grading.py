"""Benchmark: `casekit grade` on a generated class against papermill running the same submissions one by one.

    make bench                      (bench/run.py calls section())
    .venv/bin/python bench/grading.py [--submissions 50] [--repeats 1]

The class: ``--submissions`` notebooks made from the student edition, spread over every notebook that has
exercises, each exercise answered right, wrong or left unanswered in a fixed mix. Both routes run in this
one process's run, on the same files:

  (g1) papermill: one Python process executes every submission in turn with ``papermill.execute_notebook``
       (a fresh kernel each, as a grading loop over papermill or nbgrader's autograde does), nothing else;
  (g2) ``casekit grade --jobs <cores>``: the same submissions run in warm kernels under limits, their answers
       read out and checked, the gradebook, the feedback pages and the class overview written.

The ratio (g2)/(g1) is the figure that compares across machines; the target is at most 0.3 on 2 cores. The
gradebook of (g2) is checked against the mix, so a fast run that grades wrongly does not count.
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1
TARGET = 0.3
MIX = ("right", "wrong", "unanswered")


def make_class(folder: Path, size: int) -> dict[tuple[str, str], str]:
    """Write ``size`` submissions into ``folder``; return the expected status of every (student, exercise)."""
    sys.path.insert(0, str(REPO))
    from casekit.exercises import for_notebook
    from casekit.notebooks import available, find
    from casekit.student import write_edition
    from tests import grading_samples as samples

    edition = folder / "edition"
    books = [name for name in available() if for_notebook(name)]
    write_edition(edition, books)
    right = {name: samples.solutions(name) for name in books}
    expected = {}
    for i in range(size):
        book, student = books[i % len(books)], f"student{i:03d}"
        answers = {}
        for exercise in for_notebook(book):
            choice = MIX[(i // len(books) + exercise.number) % len(MIX)]  # every notebook gets every pattern
            expected[(student, exercise.id)] = {"right": "right", "wrong": "not_yet", "unanswered": "not_answered"}[choice]
            if choice == "right":
                answers[exercise.id] = right[book][exercise.id]
            elif choice == "wrong":
                answers[exercise.id] = f"{exercise.variable} = {samples.WRONG[exercise.kind]}"
        samples.write(samples.answered(edition, book, answers), folder / "class" / student / find(book).path.name)
    return expected


PAPERMILL_LOOP = """
import sys, papermill
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.ipynb")):
    papermill.execute_notebook(str(path), str(Path(sys.argv[2]) / (path.parent.name + ".ipynb")), kernel_name="python3",
                               progress_bar=False, log_output=False, cwd=str(path.parent))
"""


def papermill_route(submissions: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-c", PAPERMILL_LOOP, str(submissions), str(out)], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def grade_route(submissions: Path, out: Path) -> None:
    subprocess.run([str(BIN / "casekit"), "grade", str(submissions), "--out", str(out), "--jobs", str(CORES)], check=True,
                   cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(action, repeats: int) -> float:
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def measure(size: int, repeats: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="casekit-bench-grade-"))
    expected = make_class(work, size)
    papermill = timed(lambda: papermill_route(work / "class", work / "papermill"), repeats)
    print(f"(g1) papermill, {size} submissions one by one: {papermill:.1f}s", flush=True)
    grade = timed(lambda: grade_route(work / "class", work / "grades"), repeats)
    print(f"(g2) casekit grade --jobs {CORES}: {grade:.1f}s", flush=True)
    rows = list(csv.DictReader((work / "grades" / "grades.csv").read_text(encoding="utf-8").splitlines()))
    got = {(r["student"], r["exercise"]): r["status"] for r in rows}
    wrong = [key for key, status in expected.items() if got.get(key) != status]
    return {"size": size, "papermill": papermill, "grade": grade, "ratio": grade / papermill, "graded_correctly": not wrong,
            "mismatches": wrong[:5], "notebooks": sorted({r["notebook"] for r in rows})}


def section(repeats: int = 1, size: int = 50) -> list[str]:
    """The grading lines of bench/results.md."""
    m = measure(size, repeats)
    return [
        "## Grading a class", "",
        f"{m['size']} generated submissions (notebooks: {', '.join(m['notebooks'])}; each exercise right, wrong or "
        f"unanswered in a fixed mix); median of {repeats} run(s).", "",
        "| route | seconds | ratio to (g1) | note |", "|---|---:|---:|---|",
        f"| (g1) papermill, one submission after another | {m['papermill']:.2f} | 1.000 | execution only |",
        f"| (g2) casekit grade --jobs {CORES} | {m['grade']:.2f} | {m['ratio']:.3f} | target <= {TARGET}x (g1); "
        f"gradebook {'matches the mix' if m['graded_correctly'] else 'WRONG: ' + str(m['mismatches'])} |", "",
        "| target | met |", "|---|---|", f"| grading <= {TARGET}x papermill on {CORES} cores | {'yes' if m['ratio'] <= TARGET else 'NO'} |", "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print("\n".join(section(args.repeats, args.submissions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
