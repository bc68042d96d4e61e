"""What ``casekit grade`` writes into ``--out``, after every submission has run:

* ``feedback/<student>/<notebook>.html``: one page per student and notebook (their answers, what
  each check said, what to look at again), in the reports' house style, opening offline;
* ``index.html``: the class at a glance, with a chart (inline SVG) of how many students got each
  exercise right, a table per notebook and the files that could not be graded;
* ``grades.csv``: the gradebook, written last.

Files are written under random temporary names (``O_EXCL``, so nothing placed there beforehand is
written through) and renamed into place. ``feedback/`` is replaced as a whole: it is built in a
fresh folder and swapped in, so it holds exactly this grading's pages, whatever was in it before
(a planted page, a symbolic link to elsewhere).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from .notebooks import NOTEBOOKS
from .paths import templates_dir

LABELS = {"right": "Right", "not_yet": "Not yet", "not_answered": "Not answered", "error": "Could not be graded"}
MARKS = {"right": "right", "not_yet": "not yet", "not_answered": "\u2013", "error": "error"}
COLOURS = {"right": "#009e73", "not_yet": "#e69f00", "not_answered": "#bcc3ca", "error": "#d55e00"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
FEEDBACK = "feedback"
CODE_SPAN = re.compile(r"`([^`]+)`")


def write(book, out: Path) -> None:
    """Write the feedback pages, the class overview and the gradebook of ``book`` into ``out``."""
    from .grade import timestamp

    out.mkdir(parents=True, exist_ok=True)
    context = _common_context(timestamp())
    links = page_links(book)
    _replace_feedback(book, out, links, context)
    write_file(out / "index.html", render("index.html.j2", {**context, **overview(book, links)}))
    write_file(out / "grades.csv", gradebook_csv(book))


# ---- the gradebook ---------------------------------------------------------------------------------

def gradebook_csv(book) -> str:
    from .grade import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(book.rows, key=_row_order):
        writer.writerow([_cell(value) for value in row.csv_fields()])
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Text a student controls (an answer echoed in a message, a folder name) never starts a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _row_order(row) -> tuple:
    order = list(NOTEBOOKS)
    return (row.student, order.index(row.notebook) if row.notebook in order else len(order), row.notebook, row.number, row.exercise)


# ---- feedback pages ----------------------------------------------------------------------------------

def page_links(book) -> dict[int, str]:
    """id(graded) -> the page's path relative to ``out``: feedback/<student>/<notebook or file>.html."""
    folders = safe_names(sorted({g.submission.student for g in book.graded}))
    links, used = {}, set()
    for graded in book.graded:
        submission = graded.submission
        stem = submission.notebook or Path(submission.label.rstrip("/")).stem or "submission"
        name = safe_names([stem])[stem]
        link = f"{FEEDBACK}/{folders[submission.student]}/{name}.html"
        if link in used:  # a second file of the student's that is no case notebook, or one not graded
            link = f"{FEEDBACK}/{folders[submission.student]}/{name}-{_digest(submission.label)}.html"
        used.add(link)
        links[id(graded)] = link
    return links


def _replace_feedback(book, out: Path, links: dict[int, str], context: dict) -> None:
    staging = Path(tempfile.mkdtemp(dir=out, prefix=f".{FEEDBACK}-"))
    try:
        for graded in book.graded:
            page = staging / links[id(graded)].split("/", 1)[1]
            page.parent.mkdir(exist_ok=True)
            page.write_text(render("feedback.html.j2", {**context, **feedback_context(graded)}), encoding="utf-8")
        os.chmod(staging, 0o755)
        target, previous = out / FEEDBACK, None
        if target.exists() or target.is_symlink():
            previous = Path(tempfile.mkdtemp(dir=out, prefix=f".{FEEDBACK}-old-"))
            os.replace(target, previous / FEEDBACK)
        os.replace(staging, target)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)  # rmtree removes a link found inside, never what it points to
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def feedback_context(graded) -> dict:
    from .params import validate

    submission = graded.submission
    points, max_points = graded.points
    parameters = []
    if submission.parameters:
        defaults = validate(submission.notebook, {})
        parameters = [(name, _shown_parameter(value), value != defaults.get(name)) for name, value in submission.parameters.items()]
    rows = sorted(graded.rows, key=lambda r: r.number)
    return {
        "student": submission.student, "label": submission.label, "notebook": submission.notebook,
        "notebook_title": notebook_title(submission.notebook) if submission.notebook else submission.label,
        "parameters": parameters, "points": points, "max_points": max_points, "reason": graded.reason,
        "rows": rows, "look_again": [r for r in rows if r.exercise and r.status != "right" and not graded.reason],
    }


def _shown_parameter(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


@lru_cache(maxsize=None)
def notebook_title(notebook: str) -> str:
    """The case notebook's own title (from the instructor's copy, not from what a student handed in)."""
    import json

    from .notebooks import abstract, find

    title = abstract(json.loads(find(notebook).path.read_text(encoding="utf-8"))).title
    return title or f"Alibaba case: {notebook.replace('_', ' ')}"


# ---- the class overview ------------------------------------------------------------------------------

def overview(book, links: dict[int, str]) -> dict:
    from .exercises import for_notebook
    from .grade import STATUSES

    graded_notebooks = [n for n in NOTEBOOKS if any(g.submission.notebook == n for g in book.graded)]
    notebooks, tally = [], []
    for notebook in graded_notebooks:
        exercises = for_notebook(notebook)
        lines = []
        for graded in sorted((g for g in book.graded if g.submission.notebook == notebook), key=lambda g: (g.submission.student, g.submission.label)):
            by_id = {r.exercise: r for r in graded.rows}
            points, max_points = graded.points
            lines.append({"student": graded.submission.student, "rows": [by_id[e.id] for e in exercises if e.id in by_id],
                          "points": points, "max_points": max_points, "link": links[id(graded)]})
        notebooks.append({"name": notebook, "title": notebook_title(notebook), "exercises": exercises, "students": lines})
        for exercise in exercises:
            counts = {s: sum(r.status == s for line in lines for r in line["rows"] if r.exercise == exercise.id) for s in STATUSES}
            tally.append({"notebook": notebook, "exercise": exercise.id, "number": exercise.number, "title": exercise.title, "counts": counts})
    problems = [{"student": g.submission.student, "label": g.submission.label, "reason": g.reason}
                for g in book.graded if not g.submission.notebook]
    return {"notebooks": notebooks, "tally": tally, "problems": problems, "chart": chart_svg(tally) if tally else "",
            "students": len({g.submission.student for g in book.graded}), "submissions": len(book.graded), "statuses": STATUSES}


def chart_svg(tally: list[dict]) -> str:
    """How many students got each exercise right, stacked with the other statuses: a static SVG."""
    import altair as alt
    import markupsafe
    import pandas as pd
    import vl_convert

    from . import charts
    from .grade import STATUSES

    rows = []
    for line in tally:
        label = f"{line['notebook'].replace('_', ' ')} {line['number']}: {line['title']}"
        label = label if len(label) <= 58 else label[:55] + "..."
        rows += [{"exercise": label, "status": LABELS[s], "rank": i, "students": line["counts"][s]} for i, s in enumerate(STATUSES)]
    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(frame["exercise"]))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("students:Q", title="students", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("exercise:N", title=None, sort=order, axis=alt.Axis(labelLimit=380)),
            color=alt.Color("status:N", title=None, scale=alt.Scale(domain=[LABELS[s] for s in STATUSES], range=[COLOURS[s] for s in STATUSES])),
            order=alt.Order("rank:Q"),
        )
        .properties(width=360, height=max(60, 26 * len(order)),
                    title=alt.TitleParams("How many students got each exercise right", subtitle="students per exercise, by status"))
    )
    spec = chart.to_dict()
    spec["config"] = charts.theme()["config"]
    svg = vl_convert.vegalite_to_svg(spec)
    # Trusted markup: drawn from the exercise titles and counts, no text a student wrote.
    return markupsafe.Markup(svg.replace("<svg ", '<svg role="img" aria-label="How many students got each exercise right" ', 1))


# ---- files -------------------------------------------------------------------------------------------

def render(template: str, context: dict) -> str:
    return _environment().get_template(template).render(**context)


_ENVIRONMENT = None


def _environment():
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import jinja2

        _ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "grade")),
                                          autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True)
        _ENVIRONMENT.filters["code_spans"] = code_spans
    return _ENVIRONMENT


def code_spans(text: str):
    """A check's message with its Markdown `code` spans as <code>, everything else escaped."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", escaped))


def _common_context(graded_at: str) -> dict:
    import markupsafe

    from . import __version__, data

    from .render import compact_css

    css = compact_css((templates_dir() / "casekit" / "report.css").read_text(encoding="utf-8"))
    return {"css": markupsafe.Markup(css), "casekit_version": __version__, "data_version": data.version(),
            "graded_at": graded_at, "labels": LABELS, "marks": MARKS}


def write_file(path: Path, content: str) -> None:
    """Write under a fresh random name in the same folder, then rename: never half a file, never
    through a file or link someone placed at a predictable temporary name."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # a folder where our file goes was not made by us
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_names(names: list[str]) -> dict[str, str]:
    """Each name as a file name every file system accepts, distinct names kept distinct."""
    from .build import SAFE

    result, taken = {}, set()
    for name in names:
        safe = SAFE.sub("_", name).strip("._-")[:80] or "student"
        if safe in taken:
            safe = f"{safe}-{_digest(name)}"
        taken.add(safe)
        result[name] = safe
    return result


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]
