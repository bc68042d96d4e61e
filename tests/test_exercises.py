"""Exercises are defined once (chapters/<chapter>/exercises.yml) and the notebooks ask exactly those."""
from __future__ import annotations

import re

import nbformat
import pytest

import casekit
from casekit import exercises, narrative
from casekit.notebooks import find

CHECK = re.compile(r"case\.check\(\s*[\"'](\w+)[\"']\s*,\s*(\w+)\s*\)")


def _defined():
    return [c for c in narrative.chapters() if exercises.for_notebook(c)]


@pytest.mark.parametrize("chapter", _defined())
def test_the_notebook_checks_the_defined_exercises_in_order(chapter):
    nb = nbformat.read(find(chapter).path, as_version=4)
    asked = [m.groups() for cell in nb.cells if cell.cell_type == "code" for m in CHECK.finditer(cell.source)]
    defined = [(e.id, e.variable) for e in exercises.for_notebook(chapter)]
    assert asked == defined


@pytest.mark.parametrize("chapter", _defined())
def test_the_expected_answer_passes_its_own_check_and_a_wrong_one_does_not(chapter):
    case = casekit.open_case(chapter, {})
    for exercise in exercises.for_notebook(chapter):
        answer = exercise.answer(case)
        assert answer.available, f"{exercise.id}: {answer.why_unavailable}"
        given = answer.value[0] if exercise.kind in ("year", "choice") else answer.value
        assert exercise.check(case, given).passed is True, exercise.id
        wrong = float(answer.value) * 3 + 7 if exercise.kind == "number" else {"year": 1901, "choice": "nobody", "entities": ["nobody"]}[exercise.kind]
        feedback = exercise.check(case, wrong)
        assert feedback.passed is False and feedback.message, exercise.id
        assert exercise.check(case, ...).passed is None, exercise.id


def test_an_unknown_exercise_names_the_known_ones():
    with pytest.raises(exercises.UnknownExercise, match="its exercises are: value_growth, singles_day_growth"):
        exercises.get("history", "disputed")


def test_an_answer_the_run_cannot_compute_says_why_instead_of_failing():
    case = casekit.open_case("history", {"min_reliability": "high"})
    feedback = case.check("value_growth", 0.5)
    assert feedback.passed is None
    assert "lower `min_reliability`" in feedback.message
