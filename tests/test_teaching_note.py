"""The teaching note: executed once, it shows every exercise answer of every case notebook, and each answer
it shows is one the notebook's own check accepts."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import nbformat
import pytest

from casekit import exercises
from casekit.build import Builder, plan
from casekit.case import Case
from casekit.chapters.teaching_note import facts
from casekit.errors import CasekitError
from casekit.notebooks import available
from casekit.params import validate


class _Answers(HTMLParser):
    """The answers the note's tables carry for a reader to check: ``<code class="casekit-answer" data-...>``
    (teaching_note/macros.md.j2, macro answer_code), as (notebook, exercise id, run parameters, answer)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "code" and attrs.get("class") == "casekit-answer":
            notebook, exercise = attrs["data-exercise"].split("/")
            self.found.append((notebook, exercise, json.loads(attrs["data-params"]), json.loads(attrs["data-answer"])))


@pytest.fixture(scope="module")
def note(tmp_path_factory):
    """The teaching note, executed and rendered once with its defaults."""
    out = tmp_path_factory.mktemp("note")
    summary = Builder(out, jobs=1).build([plan("teaching_note")])
    assert summary.ok, str(summary)
    executed = nbformat.read(str(out / "teaching_note.ipynb"), as_version=4)
    shown = "\n".join(o["data"]["text/markdown"] for c in executed.cells for o in c.get("outputs", [])
                      if "text/markdown" in o.get("data", {}))
    return {"markdown": shown, "html": (out / "teaching_note.html").read_text(encoding="utf-8")}


def _answers(text: str) -> list[tuple[str, str, dict, object]]:
    parser = _Answers()
    parser.feed(text)
    return parser.found


@pytest.mark.slow
def test_every_answer_the_note_shows_is_what_the_notebooks_check_accepts(note):
    shown = _answers(note["markdown"])
    defaults = {(nb, ex) for nb, ex, params, _ in shown if not params}
    assert defaults == {(nb, e.id) for nb in available() for e in exercises.for_notebook(nb)}, "an exercise is missing"
    for notebook, exercise_id, params, value in shown:
        exercise = exercises.get(notebook, exercise_id)
        run = Case(notebook, validate(notebook, params))
        assert exercise.check(run, value).passed is True, f"{notebook}/{exercise_id}: the check rejects {value!r}"
        expected = exercise.answer(run).value
        assert value == _plain(expected[0] if exercise.kind in ("year", "choice") else expected), f"{notebook}/{exercise_id}"


@pytest.mark.slow
def test_the_report_carries_the_answers_a_reader_sees(note):
    in_report = _answers(note["html"])
    assert in_report and sorted(in_report, key=str) == sorted(_answers(note["markdown"]), key=str)
    assert "Traceback" not in note["html"]


def _plain(value):
    return json.loads(json.dumps(facts._plain(value)))


def test_a_guide_heading_that_is_neither_question_nor_exercise_is_refused(tmp_path):
    guide = tmp_path / "guide.md"
    guide.write_text("## history\n\nHow to run it.\n\n### Question: Why?\n\nBecause.\n\n### Exercise: value_growth\n\nA note.\n")
    read = facts.guide(guide)
    assert read["history"].intro == "How to run it." and read["history"].questions == {"Why?": "Because."}
    assert read["history"].exercises == {"value_growth": "A note."}
    guide.write_text("## history\n\n### Answer: Why?\n\nBecause.\n")
    with pytest.raises(CasekitError, match="### Question: ..."):
        facts.guide(guide)


def test_the_note_has_a_strong_answer_for_every_question_and_exercise_and_no_stale_one():
    """guide.md is keyed by the questions' wording: a question reworded in a notebook must be answered again."""
    case = Case("teaching_note", validate("teaching_note", {}))
    found = facts.sync(case)
    assert found["notebooks"] == len(available())
    assert not found["unanswered"], f"no strong answer in guide.md for: {found['unanswered']}"
    assert not found["unnoted"], f"no exercise note in guide.md for: {found['unnoted']}"
    assert not found["stale"] and not found["unknown"], f"guide.md has entries no notebook asks: {found['stale'] or found['unknown']}"
