"""One run of a case notebook: its validated parameters, its data, its numbered exhibits.

A notebook opens the case right after its parameters cell::

    import casekit
    case = casekit.open_case("history", globals())

and then asks ``case`` for filtered data, exhibits (numbered, titled, with units and a source
line), sentences whose figures come from the data, and the "How sure are we?" box.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from . import data, prose
from .params import entity_id, from_namespace

class Markdown:
    """Markdown output that JupyterLab and the HTML reports render (IPython's, without importing it)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return prose.escape_dollars(self.text)  # "US$25 billion" must not start a formula

    def __repr__(self) -> str:
        return self.text


EXHIBIT_MIME = "application/vnd.casekit.exhibit+json"  # the report reads it; JupyterLab shows the fallback
DERIVED_COLUMNS = ("date_start", "date_precision")  # added by the loader to a partial date; the CSV keeps `date`


@dataclass
class Exhibit:
    """A numbered exhibit: a chart or a table, its title, and the rows and sources behind it.

    Displayed in a notebook it shows the chart (or table) and its source line; it also hands the
    report its data as CSV (for the "Data (CSV)" link) and a one-line text alternative.
    """

    number: int
    title: str
    body: object  # an Altair chart or a DataFrame
    citation: data.Citation
    note: str = ""
    rows: pd.DataFrame | None = None  # the data behind the exhibit, with its source and line columns
    summary: str = ""  # one line on what the exhibit shows; by default described from ``rows``

    @property
    def heading(self) -> str:
        return f"Exhibit {self.number}: {self.title}"

    @property
    def text_alternative(self) -> str:
        """The title and a one-line summary, read by screen readers in place of the chart."""
        return f"{self.heading}. {self.summary or summarise(self.rows)}"

    def csv(self) -> str:
        """The rows behind the exhibit as CSV (the columns the data package gives them)."""
        if self.rows is None:
            return ""
        frame = self.rows.drop(columns=[c for c in DERIVED_COLUMNS if c in self.rows])
        return frame.to_csv(index=False, lineterminator="\n")

    def _footer(self) -> str:
        note = f" {self.note}" if self.note else ""
        return f"{self.citation}{note}"

    def _report_data(self, kind: str) -> dict:
        return {"number": self.number, "title": self.title, "kind": kind, "summary": self.text_alternative,
                "csv": self.csv()}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if isinstance(self.body, pd.DataFrame):
            display({"text/html": self._table_html(), EXHIBIT_MIME: self._report_data("table")}, raw=True)
        else:
            display(self.body.properties(description=self.text_alternative))
            footer = f'<p class="casekit-source">{html.escape(self._footer())}</p>'
            display({"text/markdown": footer, EXHIBIT_MIME: self._report_data("chart")}, raw=True)

    def _table_html(self) -> str:
        table = self.body.to_html(index=False, border=0, classes="casekit-table", na_rep="", escape=True)
        return (
            f'<figure class="casekit-exhibit"><figcaption>{html.escape(self.heading)}</figcaption>'
            f'{table}<p class="casekit-source">{html.escape(self._footer())}</p></figure>'
        )


def summarise(rows: pd.DataFrame | None) -> str:
    """One line on the rows behind an exhibit: how many, from how many sources, which years, what range."""
    from .prose import figure

    if rows is None or not len(rows):
        return "No rows in this run's years and sources."
    kind = "figures" if "value" in rows else "dated statements" if "date" in rows else "rows"
    text = f"{len(rows)} {kind}"
    if "source" in rows:
        count = rows["source"].nunique()
        text += f" from {count} source{'s' if count != 1 else ''}"
    years = _years(rows)
    if years:
        text += f", {years[0]}" if years[0] == years[1] else f", {years[0]}-{years[1]}"
    parts = [text]
    if "value" in rows and "unit" in rows and pd.api.types.is_numeric_dtype(rows["value"]) and rows["unit"].nunique() == 1:
        values, unit = rows["value"].dropna(), str(rows["unit"].iloc[0])
        if len(values) > 1 and values.min() != values.max():
            parts.append(f"values from {figure(values.min(), unit)} to {figure(values.max(), unit)}")
        elif len(values):
            parts.append(f"value {figure(values.iloc[0], unit)}")
    if "disputed" in rows and pd.api.types.is_bool_dtype(rows["disputed"]) and rows["disputed"].any():
        parts.append(f"{int(rows['disputed'].sum())} flagged as disputed")
    return "; ".join(parts) + "."


def _years(rows: pd.DataFrame) -> tuple[int, int] | None:
    for column in ("year", "date_start"):
        if column in rows:
            values = rows[column].dropna()
            years = values.dt.year if column == "date_start" else values
            if len(years):
                return int(years.min()), int(years.max())
    return None


def _hashable(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


@dataclass(repr=False)
class Case:
    """A case notebook's run: parameters, filtered data and exhibit numbering."""

    notebook: str
    params: dict
    _numbers: dict[str, int] = field(default_factory=dict)
    _notes: dict[str, int] = field(default_factory=dict)  # end-note text -> its number, in order of first use
    _rows: dict = field(default_factory=dict)  # filtered tables this run has asked for, by request

    # ---- parameters -------------------------------------------------------------------------
    def __getattr__(self, name: str):
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(name)

    @property
    def is_instructor(self) -> bool:
        return self.params.get("audience") == "instructor"

    @property
    def years(self) -> tuple[int, int]:
        from .params import data_years

        first, last = data_years()
        return self.params.get("start_year", first), self.params.get("end_year", last)

    # ---- data ---------------------------------------------------------------------------------
    def _remembered(self, request: tuple, compute) -> pd.DataFrame:
        """A chapter asks for the same rows many times (one history report: 69 requests, 38 different);
        filter and sort once per request, parameters and data version. A copy each time, so a caller
        that changes its frame changes nobody else's."""
        key = (request, self.params.get("min_reliability", "low"), self.years, data.content_hash())
        if key not in self._rows:
            self._rows[key] = compute()
        return self._rows[key].copy()

    def events(self, themes: list[str] | None = None, entities: list[str] | None = None) -> pd.DataFrame:
        """Events within the chosen years, from sources at least as reliable as chosen."""
        request = ("events", _hashable(themes), _hashable(entities))
        return self._remembered(request, lambda: self._events(themes, entities))

    def _events(self, themes: list[str] | None, entities: list[str] | None) -> pd.DataFrame:
        grade = self.params.get("min_reliability", "low")
        if entities is not None:
            frame = data.graded_about("events", [self.entity(e) for e in entities], grade)
        else:
            frame = data.graded("events", grade)
        start, end = self.years
        year = frame["date_start"].dt.year
        frame = frame[(year >= start) & (year <= end)]
        if themes is not None:
            frame = frame[frame["theme"].isin(themes)]
        return frame.sort_values(["date_start", "event_id"]).reset_index(drop=True)

    def metrics(self, entity: str | list[str] | None = None, metric: str | list[str] | None = None,
                scope: str | None = None, dated: bool = True) -> pd.DataFrame:
        """Figures within the chosen years (undated ones only with ``dated=False``), filtered."""
        request = ("metrics", _hashable(entity), _hashable(metric), scope, dated)
        return self._remembered(request, lambda: self._metrics(entity, metric, scope, dated))

    def _metrics(self, entity: str | list[str] | None, metric: str | list[str] | None, scope: str | None,
                 dated: bool) -> pd.DataFrame:
        grade = self.params.get("min_reliability", "low")
        if entity is not None:
            wanted = [entity] if isinstance(entity, str) else entity
            frame = data.graded_about("metrics", [self.entity(e) for e in wanted], grade)
        else:
            frame = data.graded("metrics", grade)
        start, end = self.years
        in_years = frame["year"].between(start, end).fillna(False).astype(bool)
        frame = frame[in_years | (frame["year"].isna() & (not dated))]
        if metric is not None:
            frame = frame[frame["metric"].isin([metric] if isinstance(metric, str) else metric)]
        if scope is not None:
            frame = frame[frame["scope"] == scope]
        return frame.sort_values(["year", "metric_id"]).reset_index(drop=True)

    @staticmethod
    def entity(name: str) -> str:
        """The entity_id for a name, id or alias ("Taobao", "1688.com", "JD")."""
        return entity_id(name)

    def entity_name(self, name: str) -> str:
        entities = data.load("entities").set_index("entity_id")
        return str(entities.loc[self.entity(name), "name"])

    # ---- exhibits -----------------------------------------------------------------------------
    def _number(self, title: str) -> int:
        # Keyed by title, so re-running a cell in JupyterLab keeps its exhibit's number.
        return self._numbers.setdefault(title, len(self._numbers) + 1)

    def exhibit(self, body, title: str, rows: pd.DataFrame, subtitle: str = "", note: str = "") -> Exhibit:
        """Number and title a chart or table; ``rows`` are the data behind it, for the source line."""
        number = self._number(title)
        if not isinstance(body, pd.DataFrame):
            import altair as alt

            body = body.properties(title=alt.TitleParams(f"Exhibit {number}: {title}", subtitle=subtitle or []))
        return Exhibit(number, title, body, data.cite(rows), note, rows=rows)

    def timeline(self, title: str, events: pd.DataFrame) -> Exhibit:
        from . import charts

        charts.enable()
        first, last = self.years
        subtitle = f"{len(events)} dated statements, {first}-{last}; hover a mark for its source and line"
        return self.exhibit(charts.timeline(events), title, events, subtitle)

    def trend(self, title: str, rows: pd.DataFrame, colour: str = "source", note: str = "") -> Exhibit:
        from . import charts

        charts.enable()
        unit = str(rows["unit"].iloc[0]) if len(rows) else "count"
        label = prose.scale(rows["value"], unit)[1] if len(rows) else ""
        subtitle = f"in {label}; one line per {colour}" if len(rows) else "no figures in the chosen years"
        return self.exhibit(charts.trend(rows, colour=colour, unit=unit), title, rows, subtitle, note)

    def bars(self, title: str, rows: pd.DataFrame, category: str, colour: str | None = None, note: str = "") -> Exhibit:
        from . import charts

        charts.enable()
        unit = str(rows["unit"].iloc[0]) if len(rows) else "count"
        subtitle = f"in {prose.scale(rows['value'], unit)[1]}" if len(rows) else "no figures in the chosen years and sources"
        return self.exhibit(charts.bars(rows, category, unit, colour), title, rows, subtitle, note)

    def table(self, title: str, rows: pd.DataFrame, columns: dict[str, str] | None = None, note: str = "") -> Exhibit:
        """A table exhibit; ``columns`` maps the frame's columns to the headings shown."""
        shown = rows.copy()
        if "value" in shown and "unit" in shown:
            shown["value"] = [prose.figure(v, str(u)) for v, u in zip(shown["value"], shown["unit"])]
        if columns:
            shown = shown[list(columns)].rename(columns=columns)
        return self.exhibit(shown.reset_index(drop=True), title, rows, note=note)

    # ---- words --------------------------------------------------------------------------------
    def _repr_markdown_(self) -> str:
        return self.header().text

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.params.items() if k != "course")
        return f"<casekit case {self.notebook}: {shown}>"

    def header(self, title: str | None = None) -> Markdown:
        """The run's header: course, the parameters that shape what is shown, the data version."""
        title = title or f"Alibaba case: {self.notebook.replace('_', ' ')}"
        course = f"**Course:** {prose.markdown_literal(self.params['course'])}  \n" if self.params.get("course") else ""
        shown = ", ".join(
            f"`{k}` = {prose.markdown_literal(v if isinstance(v, str) else ', '.join(map(str, v)) if isinstance(v, list) else v)}"
            for k, v in self.params.items() if k != "course"
        )
        return Markdown(
            f"**{prose.markdown_literal(title)}**  \n{course}**Parameters:** {shown}  \n"
            f"**Data package:** version {data.version()}, content {data.content_hash()}"
        )

    def say(self, text: str) -> Markdown:
        """A sentence built from the data, shown as Markdown (so it never contradicts the exhibits)."""
        return Markdown(text)

    def for_instructor(self, text: str) -> Markdown | None:
        """Teaching notes and answers, shown only when ``audience`` is instructor."""
        return Markdown(f"> **Teaching note.** {text}") if self.is_instructor else None

    def how_sure(self, *frames: pd.DataFrame, story: str | None = None) -> Markdown:
        """The "How sure are we?" box: the sources this chapter's exhibits lean on, with their grades, then the
        chapter's own paragraph on the disputes that matter for the decision (the block ``story`` of its template).
        """
        from .narrative import render_macro

        used = [f for f in frames if len(f)]
        counts = pd.concat([f["source"] for f in used]).value_counts() if used else pd.Series(dtype=int)
        grades = data.sources().set_index("source_id")["reliability"]
        total = int(counts.sum())
        leaned = [{"source": s, "reliability": str(grades[s]), "share": n / total} for s, n in counts.items()]
        text = render_macro("sources_leaned_on", {"sources": leaned, "run": self.run})
        if story:
            text += "\n\n" + self.story(story).text
        return Markdown(text)

    # ---- the notebook's own sentences and exercises (casekit/chapters/<notebook>/) ------------------
    @property
    def chapter(self):
        """The chapter's facts module (``casekit/chapters/<notebook>/facts.py``): exhibit frames and story facts."""
        import importlib

        return importlib.import_module(f"casekit.chapters.{self.notebook}.facts")

    @property
    def run(self) -> dict:
        """The run as the templates see it: every parameter, the years, and the sources the reliability bar keeps."""
        start, end = self.years
        kept = data.at_least(data.sources().rename(columns={"source_id": "source"}), self.params.get("min_reliability", "low"))
        return {**self.params, "start_year": start, "end_year": end, "kept_sources": list(kept["source"])}

    def story(self, name: str, **options) -> Markdown:
        """A paragraph written from the data: the facts of ``facts.<name>(case)`` in the block ``<name>`` of
        the chapter's ``story.md.j2``."""
        from .narrative import render

        facts = getattr(self.chapter, name)(self, **options)
        return Markdown(render(self.notebook, name, {"run": self.run, "endnotes": self._notes, **facts}))

    def endnotes(self) -> Markdown:
        """The notes the paragraphs above referred to (``{{ rows | note }}``): each source and line, numbered."""
        from .narrative import render_macro

        return Markdown(render_macro("endnotes", {"notes": list(self._notes)}))

    def check(self, exercise: str, answer: object):
        """Feedback on an exercise answer (see casekit.exercises); never raises on a wrong answer."""
        from . import exercises

        return exercises.get(self.notebook, exercise).check(self, answer)


def open_case(notebook: str, namespace: dict) -> Case:
    """Validate the notebook's parameters (pass ``globals()``) and open the case for this run."""
    return Case(notebook, from_namespace(notebook, namespace))
