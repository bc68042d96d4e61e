"""Exercises, each defined once: the question's answer variable, how the expected answer follows from
the data, how close is close enough, and the words a student sees.

A chapter declares its exercises in ``casekit/chapters/<chapter>/exercises.yml``, in the order the
notebook asks them::

    taobao_passes_ebay:
      title: In which year did Taobao pass eBay in China?
      variable: passed_year     # the name the notebook assigns the answer to
      kind: year                # number | year | choice | entities
      answer: taobao_passes_ebay  # function in the chapter's facts.py: case -> expected answer
      hint: Look at Exhibit 3 ...
      unavailable: No statement in this run says when Taobao passed eBay ...

The answer function reads the data through ``case`` (so the run's parameters apply) and returns the
expected value, or raises :class:`Unavailable` when the run leaves nothing to compute; its keyword
arguments fill the ``unavailable`` message. The notebook's check cell (``case.check``), the
teaching note and the grader all call the same definition, so an answer is computed in one place.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from . import checks
from .errors import CasekitError

KINDS = ("number", "year", "choice", "entities")


class Unavailable(Exception):
    """The run's parameters leave no data for this answer; ``reason`` picks the message, ``facts`` fill it."""

    def __init__(self, reason: str = "default", **facts):
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


class UnknownExercise(CasekitError):
    """A check or a grader named an exercise the chapter does not define."""


@dataclass(frozen=True)
class Answer:
    """The expected answer under one run's parameters (``value`` is None when unavailable)."""

    value: object
    shown: str  # as the teaching note and the feedback print it
    why_unavailable: str = ""

    @property
    def available(self) -> bool:
        return not self.why_unavailable


@dataclass(frozen=True)
class Exercise:
    """One exercise of one notebook (see the module docstring for the fields' meaning)."""

    notebook: str
    id: str
    number: int  # its position in the notebook, from 1
    title: str
    variable: str
    kind: str
    compute: Callable = field(repr=False)
    hint: str = ""
    unavailable: dict = field(default_factory=dict, repr=False)  # reason -> message template
    shown: str = ""  # template for the expected answer, given `expected`; empty: the kind's default
    relative_tolerance: float = 0.02
    absolute_tolerance: float = 1e-9
    points: int = 1
    diagnose: Callable | None = field(default=None, repr=False)  # (case, answer, expected) -> a key of diagnoses
    diagnoses: dict = field(default_factory=dict, repr=False)

    def answer(self, case) -> Answer:
        """The expected answer for ``case``'s parameters, formatted, or why there is none."""
        from .narrative import render_string

        try:
            expected = self.compute(case)
        except Unavailable as missing:
            template = self.unavailable.get(missing.reason) or self.unavailable.get("default", "")
            facts = {**_run_facts(case), **missing.facts}
            return Answer(None, "", render_string(template, facts) or "This run's parameters leave no data for it.")
        return Answer(expected, self._shown(expected))

    def hint_for(self, case) -> str:
        """The hint, filled with the run's parameters (``{{ focus }}``, ``{{ start_year }}`` ...)."""
        from .narrative import render_string

        return render_string(self.hint, _run_facts(case)) if self.hint else ""

    def check(self, case, answer: object) -> checks.Feedback:
        """Feedback on a student's ``answer`` for ``case``: right, not yet (with a hint), or not answered."""
        from .narrative import render_string

        expected = self.answer(case)
        if not expected.available:
            return checks.Feedback(None, expected.why_unavailable)
        if self.diagnose is not None and not checks.unanswered(answer):
            key = self.diagnose(case, answer, expected.value)
            if key:
                return checks.Feedback(False, render_string(self.diagnoses[key], {"expected": expected.value}))
        value, hint = expected.value, self.hint_for(case)
        if self.kind == "number":
            return checks.number(answer, float(value), rel_tol=self.relative_tolerance, abs_tol=self.absolute_tolerance,
                                 hint=hint, shown=expected.shown)
        if self.kind == "year":
            return checks.year(answer, value, hint=hint)
        if self.kind == "choice":
            return checks.choice(answer, value, hint=hint)
        return checks.members(answer, value, hint=hint, normalise=_entity_spelling)

    def _shown(self, expected: object) -> str:
        from . import prose
        from .narrative import render_string

        if self.shown:
            return render_string(self.shown, {"expected": expected})
        if self.kind == "number":
            return format(float(expected), ",.4g")
        if self.kind == "year":
            return prose.join_words(sorted(int(y) for y in expected), "or")
        if self.kind == "choice":
            return str(expected[0])
        return prose.join_words(expected) or "none"


def _run_facts(case) -> dict:
    """What an exercise's messages may name: every parameter of the run, and its years."""
    start, end = case.years
    return {**case.params, "start_year": start, "end_year": end}


def _entity_spelling(item: object) -> object:
    """An entity in any spelling the data knows ('JD', 'jd.com') as its id; other text as written."""
    from .params import entity_id

    try:
        return entity_id(str(item))
    except CasekitError:
        return " ".join(str(item).lower().split())


def for_notebook(notebook: str) -> list[Exercise]:
    """The exercises of a case notebook (``history``), in the order the notebook asks them."""
    return list(_load(notebook))


def get(notebook: str, exercise_id: str) -> Exercise:
    for exercise in _load(notebook):
        if exercise.id == exercise_id:
            return exercise
    known = ", ".join(e.id for e in _load(notebook)) or "none"
    raise UnknownExercise(f"no exercise {exercise_id!r} in {notebook}; its exercises are: {known}")


@lru_cache(maxsize=None)
def _load(notebook: str) -> tuple[Exercise, ...]:
    import yaml

    from .narrative import CHAPTERS

    path = CHAPTERS / notebook / "exercises.yml"
    if not path.is_file():
        return ()
    facts = import_module(f"casekit.chapters.{notebook}.facts")
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    exercises = []
    for number, (exercise_id, spec) in enumerate(entries.items(), start=1):
        spec = dict(spec)
        if spec.get("kind") not in KINDS:
            raise CasekitError(f"{path}: exercise {exercise_id} has kind {spec.get('kind')!r}; allowed: {', '.join(KINDS)}")
        unavailable = spec.pop("unavailable", {})
        tolerance = spec.pop("tolerance", {})
        diagnose = spec.pop("diagnose", None)
        exercises.append(Exercise(
            notebook=notebook, id=exercise_id, number=number,
            title=spec.pop("title"), variable=spec.pop("variable"), kind=spec.pop("kind"),
            compute=getattr(facts, spec.pop("answer")),
            hint=spec.pop("hint", "").strip(),
            unavailable=unavailable if isinstance(unavailable, dict) else {"default": unavailable},
            shown=spec.pop("shown", ""),
            relative_tolerance=float(tolerance.get("relative", 0.02)),
            absolute_tolerance=float(tolerance.get("absolute", 1e-9)),
            points=int(spec.pop("points", 1)),
            diagnose=getattr(facts, diagnose) if diagnose else None,
            diagnoses=spec.pop("diagnoses", {}),
        ))
        if spec:
            raise CasekitError(f"{path}: exercise {exercise_id} has unknown fields: {', '.join(spec)}")
    return tuple(exercises)


def is_close(a: float, b: float, rel_tol: float = 0.02) -> bool:
    """For diagnoses: two numbers within ``rel_tol`` of each other (False for anything not a number)."""
    try:
        return math.isclose(float(a), float(b), rel_tol=rel_tol)
    except (TypeError, ValueError):
        return False
