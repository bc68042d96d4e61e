"""The overview chapter's facts: the frames behind its exhibits, the values its paragraphs need, and
the expected answers of its exercises.

Everything here that states a count depends on ``min_reliability`` (the only parameter of this
notebook that changes what is shown), so it is computed from the data for the run at hand. Story
functions (named like the blocks of ``story.md.j2``) return plain data; the words are in the template.
"""
from __future__ import annotations

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

KINDS = {"events": "dated event", "metrics": "figure"}
SHARED_PARAMETERS = ["audience", "course", "min_reliability"]  # every notebook takes these
LOWREY = "alibaba_way"  # the Lowrey volume: later_years counts what the run holds after its last date


# ---- frames the notebook's exhibits are built from ------------------------------------------------
def map_rows(case, kept_only: bool = False) -> pd.DataFrame:
    """The rows behind the map of businesses: the statements that date the businesses on it.

    The map itself is the project's own curation (``entities.csv``: which unit sits under which);
    only the founding years rest on source lines, so those lines are what the exhibit cites. The
    map does not change with ``min_reliability``, so neither does its citation; ``kept_only``
    gives the founding years from sources this run keeps.
    """
    shown = _mapped(data.load("entities"))
    dated = shown[shown["founded_source"].notna()]
    rows = dated.rename(columns={"founded_source": "source", "founded_line": "line"})[
        ["entity_id", "name", "founded", "source", "line"]
    ].reset_index(drop=True)
    if kept_only:  # only the founding years from sources this run keeps (for "How sure are we?")
        rows = data.at_least(rows, case.min_reliability).drop(columns="reliability").reset_index(drop=True)
    return rows


def _mapped(entities: pd.DataFrame, root: str = "alibaba_group") -> pd.DataFrame:
    """The entities ``casekit.charts.entity_map`` draws: the root's children and grandchildren."""
    children = entities[entities["parent"] == root]
    grand = entities[entities["parent"].isin(children["entity_id"])]
    return pd.concat([children, grand])


def statements(case) -> pd.DataFrame:
    """Every statement this run keeps, events and figures together, one row per source line."""
    columns = ["entity", "source", "line", "disputed", "note", "reliability"]
    events = case.events()[columns].assign(kind=KINDS["events"])
    figures = case.metrics(dated=False)[columns].assign(kind=KINDS["metrics"])
    frame = pd.concat([events, figures], ignore_index=True)
    frame["source"] = frame["source"].astype("string")
    return frame


def package_table(case) -> pd.DataFrame:
    """The data package's tables, their rows, and how many of those rows this run keeps."""
    grade = case.min_reliability
    tables = data.datasets()
    kept = {
        "events": len(case.events()),
        "metrics": len(case.metrics(dated=False)),
        "sources": int((data.sources()["reliability"] >= grade).sum()),
    }
    tables["kept"] = [kept.get(name, rows) for name, rows in zip(tables["table"], tables["rows"])]
    tables["cites"] = tables["table"].map(
        {"events": "source and line", "metrics": "source and line", "entities": "source and line for founding years"}
    ).fillna("project-written")
    tables = tables[["table", "rows", "kept", "cites", "description"]]
    return tables.rename(columns={
        "table": "Table", "rows": "Rows in the package", "kept": f"Rows kept at min_reliability={grade}",
        "cites": "Each row names", "description": "What a row is",
    })


def package_rows() -> pd.DataFrame:
    """The rows behind the data-package exhibit: the five sources the tables are built from."""
    return data.sources().rename(columns={"source_id": "source"})[["source", "short_name", "reliability"]]


def source_table(case) -> pd.DataFrame:
    """The five sources, their grade and reason, and what each contributes to this run."""
    grade = case.min_reliability
    rows = statements(case)
    sources = data.sources().rename(columns={"source_id": "source"})
    events = rows[rows["kind"] == KINDS["events"]]["source"].value_counts()
    figures = rows[rows["kind"] == KINDS["metrics"]]["source"].value_counts()
    sources["events"] = sources["source"].map(events).fillna(0).astype(int)
    sources["figures"] = sources["source"].map(figures).fillna(0).astype(int)
    sources["in_run"] = (sources["reliability"] >= grade).map({True: "yes", False: f"no (below {grade})"})
    sources["kind"] = sources["kind"].astype("string").str.replace("_", " ")
    return sources


def statement_bars(case, rows: pd.DataFrame):
    """Horizontal stacked bars: statements per source, split into dated events and figures."""
    import altair as alt

    from ... import charts

    charts.enable()
    if not len(rows):
        return _empty_chart(f"No source is graded {case.min_reliability} or better, so no statements remain.")
    names = data.sources().set_index("source_id")
    counts = rows.groupby(["source", "kind"]).size().rename("statements").reset_index()
    counts = counts[counts["statements"] > 0]
    counts["label"] = [f"{names.loc[s, 'short_name']} [{names.loc[s, 'reliability']}]" for s in counts["source"]]
    counts = counts.astype({"source": "string", "kind": "string", "label": "string"})
    order = counts.groupby("label")["statements"].sum().sort_values(ascending=False).index.tolist()
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
            x=alt.X("statements:Q", title="number of statements (rows)", stack="zero"),
            color=alt.Color("kind:N", title="statement", scale=alt.Scale(domain=list(KINDS.values()), range=[charts.PALETTE[1], charts.PALETTE[0]])),
            tooltip=[alt.Tooltip("label:N", title="source [grade]"), alt.Tooltip("kind:N"), alt.Tooltip("statements:Q")],
        )
        .properties(width=charts.WIDTH - 220, height=max(80, 34 * len(order)))
    )


def conflicts(case) -> pd.DataFrame:
    """This run's conflicts (``casekit.conflicts`` with its min_reliability), with display names."""
    frame = data.conflicts(min_reliability=case.min_reliability)
    names = data.load("entities").set_index("entity_id")["name"]
    labels = data.load("metric_definitions").set_index("metric")["label"]
    frame["entity_name"] = frame["entity"].map(names).fillna(frame["entity"])
    frame["metric_label"] = [prose.lower_first(t) for t in frame["metric"].map(labels).fillna(frame["metric"])]
    frame["source"] = frame["source"].astype("string")
    return frame


def conflict_sample(case, rows: pd.DataFrame, size: int = 4) -> pd.DataFrame:
    """A few conflicts to read first: those across sources, then those with the widest gap."""
    if not len(rows):
        return rows.assign(figure=pd.Series(dtype="string"))
    groups = rows.groupby("conflict").agg(sources=("source", "nunique"), top=("value", "max"), bottom=("value", "min"))
    groups["gap"] = groups["top"] / groups["bottom"].where(groups["bottom"] != 0)
    chosen = groups.sort_values(["sources", "gap"], ascending=False).head(size).index
    sample = rows[rows["conflict"].isin(chosen)].copy()
    sample["disputed"] = sample["disputed"].map({True: "yes", False: "no"})
    sample["figure"] = sample["entity_name"] + ", " + sample["metric_label"] + " (" + sample["scope"].fillna("") + ")"
    sample["order"] = sample["conflict"].map({c: i for i, c in enumerate(chosen)})
    return sample.sort_values(["order", "value", "line"]).drop(columns="order").reset_index(drop=True)


def disagreement_chart(case, rows: pd.DataFrame):
    """How far apart the sources are on each conflict (``casekit.charts.disagreement``)."""
    import altair as alt

    from ... import charts

    charts.enable()
    if not len(rows):
        return _empty_chart("No two statements in this run give different figures for the same thing.")
    shown = rows.assign(entity=rows["entity_name"], metric=rows["metric_label"])
    chart = charts.disagreement(shown)
    chart.encoding.y.axis = alt.Axis(labelLimit=320)  # the recipe's default cuts long figure names
    return chart


def _empty_chart(message: str):
    import altair as alt

    from ... import charts

    frame = pd.DataFrame({"message": [message]})
    return alt.Chart(frame).mark_text(fontSize=13, color=charts.MUTED, align="left", x=5).encode(
        text="message:N"
    ).properties(width=charts.WIDTH - 120, height=40)


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def later_years(case) -> dict:
    """What this run can say about Alibaba after the Lowrey volume stops."""
    events = case.events()
    years = events["date_start"].dt.year
    lowrey_years = years[events["source"] == LOWREY]
    lowrey_last = int(lowrey_years.max()) if len(lowrey_years) else None
    later = events[years > (lowrey_last or 0)]
    halt = tagged(later, "ant_ipo_halt")
    fines = case.metrics(metric="fine")
    return {
        "statements": len(events),
        "first_year": int(years.min()) if len(events) else None,
        "last_year": int(years.max()) if len(events) else None,
        "lowrey_last": lowrey_last,
        "later": len(later),
        "later_sources": list(later["source"].value_counts().index),  # the largest contributor first
        "halt": len(halt),
        "halt_year": int(halt["date_start"].dt.year.min()) if len(halt) else None,
        "fine_values": sorted({prose.figure(v, u) for v, u in zip(fines["value"], fines["unit"])}),
        "fine_year": int(fines["year"].min()) if len(fines) else None,
        "fine_sources": fines["source"].nunique(),
    }


def map_dates(case) -> dict:
    """How much of the map rests on dated source statements in this run."""
    shown = _mapped(data.load("entities"))
    founded = map_rows(case)
    dated = shown["entity_id"].isin(case.events()["entity"])
    return {
        "tiles": len(shown),
        "founded": len(founded),
        "founded_sources": sorted(founded["source"].unique()),
        "founded_kept": len(map_rows(case, kept_only=True)),
        "events": len(case.events()),
        "dated": int(dated.sum()),
    }


def notebook_guide(case) -> dict:
    """The five notebooks and their own parameters, read from each notebook's parameters cell."""
    from ...notebooks import NOTEBOOKS, declared_parameters
    from ...paths import notebooks_dir

    guide = []
    for name, file in NOTEBOOKS.items():
        path = notebooks_dir() / file
        declared = declared_parameters(path).values() if path.exists() else None
        own = None if declared is None else [p for p in declared if p.name not in SHARED_PARAMETERS]
        guide.append({"name": name, "file": file, "parameters": own})  # parameters None: not in this copy
    return {"notebooks": guide, "shared_parameters": SHARED_PARAMETERS}


def package_kept(case) -> dict:
    """How many events and figures this run keeps, and from how many sources."""
    return {
        "events": len(case.events()),
        "figures": len(case.metrics(dated=False)),
        "all_events": len(data.load("events")),
        "all_figures": len(data.load("metrics")),
        "all_sources": len(data.sources()),
    }


def source_counts(case) -> dict:
    """Who supplies the statements in this run, in numbers."""
    rows = statements(case)
    counts = rows["source"].value_counts()
    return {
        "total": len(rows),
        "sources": len(counts),
        "top": counts.index[0] if len(counts) else None,
        "top_count": int(counts.iloc[0]) if len(counts) else 0,
        "low": int((rows["reliability"] == "low").sum()),
    }


def conflict_summary(case) -> dict:
    """How many conflicts this run finds, how many the table shows, how many carry a date."""
    rows = conflicts(case)
    years = rows["period"].str.extract(r"(\d{4})")[0]
    return {
        "statements": len(rows),
        "total": rows["conflict"].nunique(),
        "shown": conflict_sample(case, rows)["conflict"].nunique(),
        "dated": rows.loc[years.notna(), "conflict"].nunique(),
    }


def how_sure_reading(case) -> dict:
    """The disagreements this run can teach: the listing-day value and the Singles' Day slip."""
    values = case.metrics(entity="alibaba_group", metric="market_value")
    close = values[(values["period"] == "2014-09-19") & (values["scope"] == "first-day close")]
    rows = conflicts(case)
    festival = rows[(rows["entity"] == "singles_day") & (rows["metric"] == "gmv")]
    return {
        "listing_day": [
            {"source": source, "given": [{"value": value, "unit": unit, "lines": list(lines)}
                                         for (value, unit), lines in group.groupby(["value", "unit"], observed=True)["line"]]}
            for source, group in close.groupby("source", observed=True)
        ],
        "across_sources": close["source"].nunique() > 1,
        "flagged": bool(close["disputed"].any()),
        "festival_values": sorted({prose.figure(v, u) for v, u in zip(festival["value"], festival["unit"])}),
    }


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def _source_answers(source_ids) -> list[str]:
    """Each source as its id and its short name: the answers a choice check accepts."""
    short = data.sources().set_index("source_id")["short_name"]
    return [s for i in source_ids for s in (str(i), str(short.get(i, i)))]


def top_source_spellings(case) -> list[str]:
    figures = case.metrics(dated=False)
    if figures.empty:
        raise Unavailable()
    counts = figures["source"].value_counts()
    return _source_answers(counts[counts == counts.max()].index)


def kb_conflict_count(case) -> int:
    rows = conflicts(case)
    return rows.loc[rows["source"] == "kb", "conflict"].nunique()


def self_conflict_share(case) -> float:
    rows = conflicts(case)
    if rows.empty:
        raise Unavailable()
    return float((rows.groupby("conflict")["source"].nunique() == 1).mean())


def most_disputed_spellings(case) -> list[str]:
    rows = statements(case)
    if rows.empty:
        raise Unavailable()
    share = rows.groupby("source")["disputed"].mean()
    return _source_answers(share[(share - share.max()).abs() < 1e-9].index)
