"""The teaching note's facts: what the case notebooks ask and what their exercises expect, read through
their public definitions, plus the group reruns of the sample batch file.

The note repeats nothing it can ask for. The notebooks it covers are ``casekit.notebooks.NOTEBOOKS``, in
order; their discussion questions are read from the notebooks themselves (the numbered list after the
"Discussion questions" heading); their exercises, titles and expected answers come from
``casekit.exercises`` (each answer is computed once, by the exercise's own definition, and handed back to
that exercise's check to show that the check accepts it). What a strong answer covers is written in
``guide.md`` beside this module, keyed by the question's wording and the exercise's id, so a question
reworded in a notebook shows up at once as one the note does not cover.

Story functions (named like the blocks of ``story.md.j2``) return plain data; the words are in the
template and in ``guide.md``.
"""
from __future__ import annotations

import json
import numbers
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ... import data, exercises
from ...case import Case
from ...errors import CasekitError
from ...notebooks import NOTEBOOKS, abstract, available, find
from ...params import validate
from ...paths import notebooks_dir

GUIDE = Path(__file__).with_name("guide.md")
BATCH = Path("classroom") / "groups.yml"  # the sample batch file, inside notebooks/
TURN = 2021  # the regulatory turn ends with the April 2021 fine; the epilogue lists what the record holds after it
QUESTIONS_HEADING = re.compile(r"^#+ .*Discussion questions", re.M | re.I)
NUMBERED = re.compile(r"^\d+\. (.+)$", re.M)


# ---- the case notebooks, opened as their own runs open them ---------------------------------------
def _grade(case) -> str:
    return str(case.params.get("min_reliability", "low"))


@lru_cache(maxsize=256)
def _validated(notebook: str, overrides: str) -> str:
    return json.dumps(validate(notebook, json.loads(overrides)))


def notebook_case(notebook: str, overrides: dict | None = None) -> Case:
    """A case notebook's run: its defaults, changed by ``overrides`` (validated as the notebook would)."""
    return Case(notebook, json.loads(_validated(notebook, json.dumps(overrides or {}, sort_keys=True))))


def _notebook_json(notebook: str) -> dict:
    return json.loads(find(notebook).path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _normal(text: str) -> str:
    return " ".join(str(text).split())


def questions_of(notebook: str) -> list[str]:
    """The discussion questions exactly as the notebook asks them: the numbered list after its
    "Discussion questions" heading (in the heading's cell or one of the next two)."""
    cells = _notebook_json(notebook)["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and QUESTIONS_HEADING.search(_source(cell)):
            for following in cells[index:index + 3]:
                items = NUMBERED.findall(_source(following))
                if following["cell_type"] == "markdown" and items:
                    return [item.strip() for item in items]
    return []


def _about(notebook: str) -> dict:
    """A notebook's number, short name and title, as its file and its abstract cell give them."""
    file = NOTEBOOKS.get(notebook) or find(notebook).path.name
    return {"name": notebook, "number": file.split("_", 1)[0], "file": Path(file).stem,
            "title": abstract(_notebook_json(notebook)).title}


# ---- guide.md: what a strong answer covers -------------------------------------------------------------
@dataclass
class ChapterGuide:
    """One notebook's part of guide.md: how to run its block, and the notes on its questions and exercises."""

    intro: str = ""
    questions: dict[str, str] = field(default_factory=dict)  # the question's wording (normalised) -> the note
    exercises: dict[str, str] = field(default_factory=dict)  # exercise id -> what a strong answer adds


def guide(path: Path = GUIDE) -> dict[str, ChapterGuide]:
    """guide.md read into one ChapterGuide per notebook (``## name``; ``### Question: ...``; ``### Exercise: id``)."""
    chapters: dict[str, ChapterGuide] = {}
    chapter, entry, lines = None, None, []

    def close():
        text = "\n".join(lines).strip()
        if chapter is None:
            return
        if entry is None:
            chapter.intro = text
        elif entry[0] == "question":
            chapter.questions[entry[1]] = text
        else:
            chapter.exercises[entry[1]] = text

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            close()
            chapter, entry, lines = chapters.setdefault(line[3:].strip(), ChapterGuide()), None, []
        elif line.startswith("### ") and chapter is not None:
            close()
            kind, _, key = line[4:].partition(":")
            if kind.strip().lower() not in ("question", "exercise") or not key.strip():
                raise CasekitError(f"{path.name}: a heading must read '### Question: ...' or '### Exercise: id', not {line!r}")
            entry, lines = (kind.strip().lower(), _normal(key)), []
        else:
            lines.append(line)
    close()
    return chapters


# ---- exercise answers ------------------------------------------------------------------------------------
def _plain(value):
    """An answer as JSON can hold it (numpy numbers to Python ones, sets and tuples to lists)."""
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def _expected(exercise: exercises.Exercise, run: Case, overrides: dict) -> dict:
    """The expected answer in one run, and what the exercise's own check says when handed that answer."""
    expected = exercise.answer(run)
    if not expected.available:
        return {"available": False, "why": expected.why_unavailable}
    given = expected.value[0] if exercise.kind in ("year", "choice") else expected.value  # one answer a student may give
    feedback = exercise.check(run, given)
    return {"available": True, "shown": expected.shown, "given": _plain(given), "number": exercise.kind == "number",
            "accepted": feedback.passed is True, "feedback": feedback.message, "params": overrides}


def _runs(case) -> list[dict]:
    """The runs the answer tables show: each notebook's defaults, and the note's reliability bar if stricter."""
    grade = _grade(case)
    return [{}] + ([{"min_reliability": grade}] if grade != "low" else [])


def _answers(case, notebook: str) -> list[dict]:
    runs = [(overrides, notebook_case(notebook, overrides)) for overrides in _runs(case)]
    return [{"id": e.id, "number": e.number, "title": e.title, "variable": e.variable,
             "runs": [_expected(e, run, overrides) for overrides, run in runs]}
            for e in exercises.for_notebook(notebook)]


def _defaults(notebook: str) -> dict:
    """The default parameters that shape a notebook's data (audience and course left out)."""
    params = notebook_case(notebook).params
    return {k: v for k, v in params.items() if k not in ("audience", "course")}


# ---- story facts ---------------------------------------------------------------------------------------------
def run_scope(case) -> dict:
    kept = case.run["kept_sources"]
    return {"kept": kept, "all_kept": len(kept) == len(data.sources())}


def synopses(case) -> dict:
    """Each case notebook's title and opening, as its abstract cell gives them (the first paragraph is its decision)."""
    out = []
    for notebook in available():
        text = abstract(_notebook_json(notebook)).text
        out.append({**_about(notebook), "opening": text.split("\n\n")[0].strip(),
                    "questions": len(questions_of(notebook)), "exercises": len(exercises.for_notebook(notebook))})
    return {"synopses": out}


def epilogue(case) -> dict:
    """What the record holds after the regulatory turn, at this note's reliability bar: the events each source
    reports up to the year it was written (a target for a later year is not something that happened)."""
    events = case.events()
    written = data.sources().set_index("source_id")["year"]
    year = events["date_start"].dt.year
    reported = events[year <= events["source"].astype(str).map(written)]
    after = reported[reported["date_start"].dt.year > TURN]
    return {"turn": TURN, "last_year": int(reported["date_start"].dt.year.max()) if len(reported) else None,
            "after": [{"date": r.date, "title": r.title, "source": r.source, "disputed": bool(r.disputed), "row": after.loc[[i]]}
                      for i, r in zip(after.index, after.itertuples())]}


def chapters(case) -> dict:
    """Every case notebook in order: its questions with the note on each, its exercises with their answers."""
    notes = guide()
    out = []
    for notebook in available():  # NOTEBOOKS, in order, those present
        own = notes.get(notebook, ChapterGuide())
        out.append({
            **_about(notebook),
            "intro": own.intro,
            "questions": [{"text": q, "note": own.questions.get(_normal(q), "")} for q in questions_of(notebook)],
            "exercises": [{**a, "note": own.exercises.get(a["id"], "")} for a in _answers(case, notebook)],
            "defaults": _defaults(notebook),
        })
    return {"chapters": out, "grade": _grade(case)}


def groups(case) -> dict:
    """For each run of the sample batch file: what it changes, and which exercise answers move."""
    from ...build import read_batch

    try:
        runs = read_batch(notebooks_dir() / BATCH)
    except CasekitError as error:  # a broken batch file must not stop the note; the note says what is wrong
        return {"error": str(error), "runs": []}
    out = []
    for run in runs:
        default, group = notebook_case(run.notebook), Case(run.notebook, dict(run.parameters))
        moved, unchanged = [], 0
        for exercise in exercises.for_notebook(run.notebook):
            before, after = exercise.answer(default), exercise.answer(group)
            if (before.available, before.shown) == (after.available, after.shown):
                unchanged += 1
            else:
                moved.append({"number": exercise.number, "before": before.shown, "after": after.shown,
                              "available": after.available})
        out.append({"name": run.name, **{k: v for k, v in _about(run.notebook).items() if k != "name"},
                    "notebook": run.notebook, "changed": {k: run.parameters[k] for k in run.changed},
                    "moved": moved, "unchanged": unchanged})
    return {"error": "", "runs": out}


def sync(case) -> dict:
    """Whether guide.md covers every discussion question and exercise of every notebook, and nothing else."""
    notes = guide()
    unanswered, unnoted, stale, total_questions, total_exercises = [], [], [], 0, 0
    present = available()
    for notebook in present:
        own = notes.get(notebook, ChapterGuide())
        asked = {_normal(q): number for number, q in enumerate(questions_of(notebook), 1)}
        defined = [e.id for e in exercises.for_notebook(notebook)]
        total_questions += len(asked)
        total_exercises += len(defined)
        unanswered += [{"notebook": notebook, "number": n} for q, n in asked.items() if q not in own.questions]
        unnoted += [{"notebook": notebook, "id": e} for e in defined if e not in own.exercises]
        stale += [{"notebook": notebook, "kind": "question", "which": q} for q in own.questions if q not in asked]
        stale += [{"notebook": notebook, "kind": "exercise", "which": e} for e in own.exercises if e not in defined]
    unknown = sorted(set(notes) - set(present))
    return {"notebooks": len(present), "questions": total_questions, "exercises": total_exercises,
            "unanswered": unanswered, "unnoted": unnoted, "stale": stale, "unknown": unknown}
