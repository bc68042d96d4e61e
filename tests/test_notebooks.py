"""The case notebooks: structure, narrative, parameters that take effect, exercises that check out."""
from __future__ import annotations

import ast
import csv
import io
import json
import re
import subprocess
import sys

import nbformat
import pytest

from casekit.build import Builder, plan
from casekit.notebooks import available, find
from casekit.params import data_years

from .conftest import REPO  # the `reports` fixture comes from conftest, built once per session

VEGALITE = "application/vnd.vegalite.v5+json"
MIN_WORDS = {"overview": 600, "history": 1200, "business_model": 1200, "fintech": 1200, "competition": 1200, "sources": 2500}
# Per notebook: a run narrowing the years, a run changing the focus / rivals / reliability.
VARIANTS = {
    "overview": [{"min_reliability": "medium"}, {"course": "BUS <b>101</b> & friends"}],
    "history": [{"start_year": 2003, "end_year": 2010}, {"themes": ["fintech", "regulation"], "min_reliability": "medium"}],
    "business_model": [{"start_year": 2008, "end_year": 2014}, {"focus": "1688.com", "min_reliability": "medium"}],
    "fintech": [{"start_year": 2010, "end_year": 2014}, {"focus": "Yu'e Bao", "min_reliability": "medium"}],
    "competition": [{"start_year": 2003, "end_year": 2010}, {"rivals": ["JD.com", "Meituan"], "arena": "local_services"}],
    "sources": [{"start_year": 2003, "end_year": 2010}, {"min_reliability": "medium"}],
}


def _source(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _outputs_text(nb, header: bool = True) -> str:
    """What a reader sees of the outputs; ``header=False`` leaves out the run's header, which prints
    every parameter whether or not it changed anything."""
    parts = []
    for cell in nb.cells:
        if not header and "case-header" in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            shown = [k for k in ("text/markdown", "text/html") if k in data] or ["text/plain"]  # what a reader sees
            parts += [str(data[k]) for k in shown if k in data]
            if VEGALITE in data:
                parts.append(json.dumps(data[VEGALITE]))
    return "\n".join(parts)


def _low_rows(nb) -> int:
    """How many rows behind the run's exhibits come from low-reliability sources (each exhibit carries its data as CSV)."""
    rows = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            exhibit = output.get("data", {}).get("application/vnd.casekit.exhibit+json")
            if exhibit:
                rows += sum(row.get("reliability") == "low" for row in csv.DictReader(io.StringIO(exhibit["csv"])))
    return rows


def _specs(nb) -> list[dict]:
    return [o["data"][VEGALITE] for c in nb.cells for o in c.get("outputs", []) if VEGALITE in o.get("data", {})]


@pytest.fixture(scope="session")
def variants(tmp_path_factory) -> dict[tuple[str, int], nbformat.NotebookNode]:
    """Every notebook's variant runs and its instructor run, built once in one batch."""
    out = tmp_path_factory.mktemp("variants")
    runs, keys = [], []
    for name in available():
        for index, overrides in enumerate([*VARIANTS[name], {"audience": "instructor"}]):
            runs.append(plan(name, overrides, name=f"{name}-{index}"))
            keys.append((name, index))
    summary = Builder(out, jobs=2).build(runs)
    assert summary.ok, str(summary)
    return {key: nbformat.read(str(out / f"{key[0]}-{key[1]}.ipynb"), as_version=4) for key in keys}


# ---- the committed notebooks -------------------------------------------------------------------

@pytest.mark.parametrize("name", available())
def test_notebook_structure(name):
    nb = json.loads(find(name).path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# ")
    index = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    parameters = find(name).parameters
    assert {"audience", "course", "min_reliability"} <= set(parameters)
    for parameter in parameters.values():
        assert parameter.help, f"{parameter.name} has no help comment"
    assert f'casekit.open_case("{name}", globals())' in _source(cells[index + 1])
    code = [_source(c) for c in cells if c["cell_type"] == "code"]
    for source in code:
        tree = ast.parse(source)
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda)) for n in ast.walk(tree)), source
        assert len(source.strip().splitlines()) <= 8, f"a code cell of {name} is too long:\n{source}"


@pytest.mark.parametrize("name", available())
def test_narrative_is_long_enough_and_has_the_required_parts(name):
    nb = json.loads(find(name).path.read_text(encoding="utf-8"))
    markdown = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown" and "instructor" not in c["metadata"].get("tags", []))
    words = len(re.findall(r"[A-Za-z0-9']+", markdown))
    assert words >= MIN_WORDS[name], f"{name}: {words} words"
    assert re.search(r"^#+ .*How sure are we", markdown, re.M | re.I)
    assert re.search(r"learning objectives", markdown, re.I)
    questions = markdown[re.search(r"^#+ .*Discussion questions", markdown, re.M | re.I).end():]
    questions = re.split(r"^#+ ", questions, maxsplit=1, flags=re.M)[0]
    assert len(re.findall(r"^\d+\. \S", questions, re.M)) >= 5, f"{name}: fewer than five discussion questions"


@pytest.mark.parametrize("name", available())
def test_exercises_have_marked_solutions_and_checks(name):
    nb = json.loads(find(name).path.read_text(encoding="utf-8"))
    solutions = [c for c in nb["cells"] if "### BEGIN SOLUTION" in _source(c)]
    checks = [c for c in nb["cells"] if "check" in c["metadata"].get("tags", [])]
    assert len(solutions) >= 2 and len(checks) >= len(solutions)
    for cell in solutions:
        assert "### END SOLUTION" in _source(cell) and "solution" in cell["metadata"].get("tags", [])
    for cell in checks:
        assert "case.check(" in _source(cell)


# ---- executed with defaults (shared with the report tests) -------------------------------------

@pytest.mark.parametrize("name", available())
def test_defaults_give_numbered_exhibits_with_units_and_sources(reports, name):
    nb = nbformat.read(str(reports / f"{name}.ipynb"), as_version=4)
    text = _outputs_text(nb)
    numbers = sorted({int(n) for n in re.findall(r"Exhibit (\d+): ", text)})
    assert len(numbers) >= 4 and numbers == list(range(1, len(numbers) + 1)), numbers
    for spec in _specs(nb):
        title = spec.get("title", {})
        assert "Exhibit" in json.dumps(title), "every chart has a numbered title"
        assert title.get("subtitle"), "every chart states its units or span in a subtitle"
    assert text.count("Source: ") + text.count("Sources: ") >= len(numbers)
    assert "How sure are we?" in text


# ---- parameters take effect ----------------------------------------------------------------------

@pytest.mark.parametrize("name", available())
def test_variants_run_and_parameters_take_effect(variants, reports, name):
    narrowed, changed = variants[(name, 0)], variants[(name, 1)]
    recorded = narrowed.metadata["papermill"]["parameters"]
    assert {k: recorded[k] for k in VARIANTS[name][0]} == VARIANTS[name][0]
    first, last = VARIANTS[name][0].get("start_year"), VARIANTS[name][0].get("end_year")
    if first:
        for spec in _specs(narrowed):
            for dataset in spec.get("datasets", {}).values():
                for row in dataset:
                    year = row.get("year") or (int(str(row["when"])[:4]) if row.get("when") else None)
                    if year is not None:
                        assert first <= int(year) <= last, f"{name}: a chart shows {year} outside {first}-{last}"
    # Compared with the default run, without the header (which prints the parameters either way).
    text = _outputs_text(changed, header=False).lower()
    default = _outputs_text(nbformat.read(str(reports / f"{name}.ipynb"), as_version=4), header=False).lower()
    if set(VARIANTS[name][1]) - {"course"}:  # the course is shown in the header only, by design
        assert text != default, f"{name}: {VARIANTS[name][1]} changed nothing but the header"
    for key, value in VARIANTS[name][1].items():
        if key == "min_reliability":
            low, low_by_default = _low_rows(changed), _low_rows(nbformat.read(str(reports / f"{name}.ipynb"), as_version=4))
            assert low < low_by_default, f"{name}: min_reliability={value} left out no low-reliability rows"
            if name != "sources":  # its exhibits about the reliability bar itself list every source, by design
                assert low == 0, f"{name}: {low} rows from low-reliability sources still shown"
        elif key == "course":
            shown = _outputs_text(changed)
            assert "&lt;b&gt;101&lt;/b&gt;" in shown and "<b>101</b>" not in shown
        elif key in ("focus", "arena"):
            word = str(value).replace("_", " ").lower()
            assert text.count(word) > default.count(word), f"{name}: {key}={value!r} is not dwelt on more than by default"
        elif key == "rivals":
            dropped = [r.lower() for r in find(name).parameters["rivals"].default if r not in value]
            assert dropped and sum(map(text.count, dropped)) < sum(map(default.count, dropped)), "rivals left out still shown"


@pytest.mark.parametrize("name", available())
def test_instructor_run_passes_its_own_exercise_checks(variants, name):
    nb = variants[(name, 2)]
    feedback = [o["data"]["text/markdown"] for c in nb.cells if "check" in c.metadata.get("tags", [])
                for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    assert len(feedback) >= 2
    assert all("**Right.**" in f for f in feedback), feedback
    # Teaching notes (notes in cells tagged instructor, or printed for the instructor) are in the instructor's
    # executed notebook, and in no part of a student's (variant 0), sources included.
    def notes(run) -> str:
        return _outputs_text(run) + "\n".join(c.source for c in run.cells if c.cell_type == "markdown")

    assert "Teaching note" in notes(nb)
    assert "Teaching note" not in notes(variants[(name, 0)])


@pytest.mark.slow
def test_bad_parameters_stop_the_notebook_at_once(tmp_path):
    """Run papermill directly (not through casekit build): the notebook's own validation stops it."""
    for args, message in ((["-p", "start_year", "1800"], "start_year: 1800 is outside the data"),
                          (["-p", "colour", "red"], "unknown parameter 'colour' for history")):
        result = subprocess.run([sys.executable, "-m", "papermill", str(find("history").path), str(tmp_path / "out.ipynb"), *args],
                                capture_output=True, text=True, cwd=REPO)
        assert result.returncode != 0
        assert "ParameterError" in result.stderr and message in result.stderr
        executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
        ran = [c for c in executed.cells if c.cell_type == "code" and c.get("execution_count")]
        assert len(ran) <= 3, "the run stops at the validation cell"


def test_years_default_to_the_data_span():
    first, last = data_years()
    for name in available():
        parameters = find(name).parameters
        if "start_year" in parameters:
            assert first <= parameters["start_year"].default <= parameters["end_year"].default <= last


def test_sources_report_links_its_end_notes_both_ways(reports):
    """The evidence notebook cites source lines in end notes: each mark reaches its note and the note leads back."""
    page = (reports / "sources.html").read_text(encoding="utf-8")
    assert '<sup><a href="#casekit-note-1" id="casekit-ref-1">1</a></sup>' in page
    assert 'id="casekit-note-1"' in page and 'href="#casekit-ref-1"' in page
