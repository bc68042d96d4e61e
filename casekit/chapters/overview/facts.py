"""The overview notebook (00_overview): the case's map, its data package, its sources, and a
first look at where the sources disagree.

Everything here that states a count depends on ``min_reliability`` (the only parameter of this
notebook that changes what is shown), so it is computed from the data for the run at hand.
"""
from __future__ import annotations

import pandas as pd

from ... import checks, data
from ...charts import format_value

GRADES = ["low", "medium", "high"]
KINDS = {"events": "dated event", "metrics": "figure"}


# ---- frames the notebook's exhibits are built from ------------------------------------------------
def map_rows(case, kept_only: bool = False) -> pd.DataFrame:
    """The rows behind the map of businesses: the statements that date the businesses on it.

    The map itself is the project's own curation (``entities.csv``: which unit sits under which);
    only the founding years rest on source lines, so those lines are what the exhibit cites. The
    map does not change with ``min_reliability``, so neither does its citation; ``kept_only``
    gives the founding years from sources this run keeps.
    """
    entities = data.load("entities")
    shown = _mapped(entities)
    dated = shown[shown["founded_source"].notna()]
    rows = dated.rename(columns={"founded_source": "source", "founded_line": "line"})[
        ["entity_id", "name", "founded", "source", "line"]
    ].reset_index(drop=True)
    if kept_only:  # only the founding years from sources this run keeps (for "How sure are we?")
        rows = data.at_least(rows, _grade(case)).drop(columns="reliability").reset_index(drop=True)
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
    grade = case.params.get("min_reliability", "low")
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
    grade = case.params.get("min_reliability", "low")
    rows = statements(case)
    sources = data.sources().rename(columns={"source_id": "source"})
    events = rows[rows["kind"] == KINDS["events"]]["source"].value_counts()
    figures = rows[rows["kind"] == KINDS["metrics"]]["source"].value_counts()
    sources["events"] = sources["source"].map(events).fillna(0).astype(int)
    sources["figures"] = sources["source"].map(figures).fillna(0).astype(int)
    sources["in_run"] = ["yes" if GRADES.index(str(g)) >= GRADES.index(grade) else f"no (below {grade})" for g in sources["reliability"]]
    sources["kind"] = sources["kind"].astype("string").str.replace("_", " ")
    return sources


def statement_bars(case, rows: pd.DataFrame):
    """Horizontal stacked bars: statements per source, split into dated events and figures."""
    import altair as alt

    from ... import charts

    charts.enable()
    if not len(rows):
        return _empty_chart(f"No source is graded {case.params.get('min_reliability')} or better, so no statements remain.")
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
    frame = data.conflicts(min_reliability=case.params.get("min_reliability", "low"))
    names = data.load("entities").set_index("entity_id")["name"]
    labels = data.load("metric_definitions").set_index("metric")["label"]
    frame["entity_name"] = frame["entity"].map(names).fillna(frame["entity"])
    frame["metric_label"] = [_lower_first(str(t)) for t in frame["metric"].map(labels).fillna(frame["metric"])]
    frame["source"] = frame["source"].astype("string")
    return frame


def _lower_first(text: str) -> str:
    """'Market value' -> 'market value', but 'GMV' stays 'GMV'."""
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


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


# ---- sentences built from the data (case.story) -----------------------------------------------------
def _grade(case) -> str:
    return case.params.get("min_reliability", "low")


def _kept_sources(case) -> pd.DataFrame:
    sources = data.sources()
    return sources[sources["reliability"] >= _grade(case)]


def _names(ids) -> str:
    short = data.sources().set_index("source_id")["short_name"]
    items = [str(short.get(i, i)) for i in ids]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else "no source"


def later_years(case) -> str:
    """What this run can say about Alibaba after the Lowrey volume stops."""
    grade = _grade(case)
    events = case.events()
    if not len(events):
        return (
            f"**This run (min_reliability = {grade}) keeps no statements at all:** none of the five sources is graded "
            f"{grade}, so every exhibit below is empty on purpose. That is itself the first lesson of the case: nothing "
            "in it has been checked against an independent record such as the company's audited filings. Rerun with "
            "`min_reliability` set to `medium` or `low` to see the evidence."
        )
    last = events.groupby("source")["date_start"].max().dt.year
    lowrey_last = int(last.get("alibaba_way", 0)) or None
    later = events[events["date_start"].dt.year > (lowrey_last or 0)]
    text = f"In this run (min_reliability = {grade}) the dated statements span the years {int(events['date_start'].dt.year.min())} to {int(events['date_start'].dt.year.max())}. "
    if lowrey_last:
        text += f"The Lowrey volume's own dates stop in {lowrey_last}; "
    if not len(later):
        return text + (
            "nothing later is kept, because every later statement comes from a source graded low. The halted listing of "
            "Ant Group, the antitrust fine and the group's turn to cloud and AI, which the other notebooks discuss, are "
            "therefore absent here: rerun with `min_reliability = low` to read what the weaker sources claim, and why "
            "they need cross-checking."
        )
    by_source = later["source"].value_counts()
    text += (
        f"{len(later)} later statements come from {_names(by_source.index)}, all graded low. "
    )
    ant = later[(later["entity"] == "ant_group") & (later["theme"] == "regulation")]
    fines = case.metrics(metric="fine")
    if len(ant):
        text += f"They date the halt of Ant Group's share listing to {int(ant['date_start'].dt.year.min())} ({len(ant)} statements). "
    if len(fines):
        values = sorted({format_value(v, str(u)) for v, u in zip(fines["value"], fines["unit"])})
        text += (
            f"They put Alibaba's antitrust fine at {' or '.join(values)} in {int(fines['year'].min())}, "
            f"agreeing across {fines['source'].nunique()} sources. "
        )
    return text + "Agreement among weak sources is not proof: they may repeat the same press coverage."


def map_dates(case) -> str:
    """How much of the map rests on dated source statements in this run."""
    entities = data.load("entities")
    shown = _mapped(entities)
    founded = shown[shown["founded_source"].notna()]
    kept = data.at_least(founded.rename(columns={"founded_source": "source"}), _grade(case))
    events = case.events()
    dated = shown["entity_id"].isin(events["entity"])
    text = (
        f"The map has {len(shown)} tiles. Only {len(founded)} of them carry a founding year tied to a source line "
        f"(the source line under the exhibit lists those {len(founded)} statements, from {_names(sorted(founded['founded_source'].unique()))}); "
        f"{len(kept)} of those come from a source this run keeps. "
    )
    if len(events):
        text += (
            f"Counting the dated events as well, {int(dated.sum())} of the {len(shown)} tiles are dated by at least one "
            f"statement this run keeps; the other {int((~dated).sum())} appear only in the project's entity table. "
        )
    else:
        text += "This run keeps no dated events, so no tile is dated by a statement it shows. "
    return text + "The map is the project's summary of the sources, not a quotation from any of them."


TOPICS = {
    "overview": "this notebook: the map, the data, the sources",
    "history": "the timeline from the founders' start to today",
    "business_model": "how the marketplaces make money, one business at a time",
    "fintech": "Alipay, Ant Group and the lending and savings products",
    "competition": "the rivals, arena by arena",
}


def notebook_guide(case) -> str:
    """The five notebooks and their parameters, read from each notebook's parameters cell."""
    from ...notebooks import NOTEBOOKS, declared_parameters
    from ...paths import notebooks_dir

    lines = ["| notebook | file | what it covers | its own parameters (default) |", "|---|---|---|---|"]
    shared = {"audience", "course", "min_reliability"}
    for name, file in NOTEBOOKS.items():
        path = notebooks_dir() / file
        if path.exists():
            own = [p for p in declared_parameters(path).values() if p.name not in shared]
            listed = "; ".join(f"`{p.name}` ({_default(p.default)})" for p in own) or "only the three shared ones"
        else:
            listed = "(not in this copy of the case yet)"
        lines.append(f"| {name} | `{file}` | {TOPICS.get(name, '')} | {listed} |")
    return "\n".join(lines) + (
        "\n\nEvery notebook also takes the three parameters of this one: `audience`, `course` and `min_reliability`."
    )


def _default(value) -> str:
    if isinstance(value, list):
        return f"{len(value)} items" if len(value) > 3 else ", ".join(map(str, value))
    return repr(value) if isinstance(value, str) else str(value)


def package_kept(case) -> str:
    """How many events and figures this run keeps, and from how many sources."""
    grade = _grade(case)
    events, figures = len(case.events()), len(case.metrics(dated=False))
    all_events, all_figures = len(data.load("events")), len(data.load("metrics"))
    sources = _kept_sources(case)
    if grade == "low":
        return (
            f"With `min_reliability = low`, this run keeps every statement: all {all_events} dated events and all "
            f"{all_figures} figures, from all {len(sources)} sources. Set it to `medium` and the counts in the third "
            "column fall to what the one medium-graded source supports."
        )
    return (
        f"With `min_reliability = {grade}`, this run keeps {events} of the {all_events} dated events and {figures} of "
        f"the {all_figures} figures, from {len(sources)} of the 5 sources"
        + (f" ({_names(sources['source_id'])})." if len(sources) else ".")
        + " The rest of the package is still there; the exhibits simply leave it out."
    )


def source_counts(case) -> str:
    """Who supplies the statements in this run, in numbers."""
    rows = statements(case)
    if not len(rows):
        return "No source reaches this run's grade, so the chart above is empty."
    counts = rows["source"].value_counts()
    top, total = counts.index[0], len(rows)
    low = rows[rows["reliability"] == "low"]
    text = (
        f"This run rests on {total} statements from {len(counts)} source{'s' if len(counts) > 1 else ''}. The largest contributor, "
        f"{_names([top])}, supplies {counts.iloc[0]} of them ({counts.iloc[0] / total:.0%}). "
    )
    if len(low):
        text += f"The sources graded low supply {len(low)} ({len(low) / total:.0%}); "
        text += "most of what the case says after 2015 depends on them."
    else:
        text += "No low-graded source is left, so the case here is, in effect, one book's account, largely written with the company's own research arm."
    return text


def conflict_summary(case) -> str:
    """How many conflicts this run finds and what the table shows."""
    rows = conflicts(case)
    grade = _grade(case)
    if not len(rows):
        return (
            f"With `min_reliability = {grade}` no two kept statements give different figures for the same thing, so "
            "the table and the chart are empty. An empty table here means nothing is left to compare, not that the "
            "figures are right."
        )
    sample = conflict_sample(case, rows)
    total = rows["conflict"].nunique()
    years = rows["period"].str.extract(r"(\d{4})")[0]
    dated = rows.loc[years.notna(), "conflict"].nunique()
    text = (
        f"With `min_reliability = {grade}`, {total} figures have more than one value in the data "
        f"({len(rows)} statements in all). The table shows {sample['conflict'].nunique()} of them: first those where "
        "different sources disagree, then those with the widest gap between the highest and the lowest value. The "
        "chart puts every conflict on one scale: each value as a share of the largest value given for that figure, so "
        "a dot near zero marks a value far below the others. "
    )
    if dated < total:
        text += (
            f"{total - dated} of the {total} conflicts concern undated figures (a source gives a count of sellers or staff "
            "without saying when), so the two values may simply describe different moments; the \"How sure are we?\" "
            f"box below repeats the {dated} that carry a date."
        )
    else:
        text += "The \"How sure are we?\" box below repeats all of them with every value side by side."
    return text


def how_sure_reading(case) -> str:
    """The disagreement this run can teach: the listing-day value and the Singles' Day slip."""
    rows = conflicts(case)
    metrics = case.metrics(entity="alibaba_group", metric="market_value")
    ipo = metrics[(metrics["period"] == "2014-09-19") & (metrics["scope"] == "first-day close")]
    parts = []
    if len(ipo):
        given = "; ".join(
            f"{_names([source])} gives " + " and ".join(
                f"{format_value(value, str(unit))} (line{'s' if len(lines) > 1 else ''} {', '.join(str(int(n)) for n in sorted(lines))})"
                for (value, unit), lines in group.groupby(["value", "unit"], observed=True)["line"]
            )
            for source, group in ipo.groupby("source")
        )
        in_conflict = ipo["source"].nunique() > 1
        parts.append(
            f"Take Alibaba's market value at the close of its first day of trading in New York. {given}. "
            + (
                "The low-graded biography is right on this point and the medium-graded book is wrong by a factor of ten: "
                "the book's figure is a decimal slip, and its note says so. A grade describes a source on average; it does "
                "not settle any single figure."
                if in_conflict else
                "No other kept source gives this figure, so it does not show up as a conflict"
                + ("; yet the row is flagged disputed, because the published record puts the close near ten times higher. "
                   "Raising the reliability bar removed the evidence against the error, not the error."
                   if ipo["disputed"].any() else
                   ". Read its `note` and ask what an independent record would say before relying on it.")
            )
        )
    festival = rows[(rows["entity"] == "singles_day") & (rows["metric"] == "gmv")]
    if len(festival):
        values = sorted({format_value(v, str(u)) for v, u in zip(festival["value"], festival["unit"])})
        parts.append(
            f"The Singles' Day 2013 total shows the other common failure, a unit slip inside one source: the Lowrey "
            f"volume gives both {' and '.join(values)}, on different pages. The smaller figure fits the book's own "
            "payments chapter, so the trillion is a translation error."
        )
    if not parts:
        return (
            "This run keeps no figure on which the sources can be compared. Rerun with `min_reliability = low` to see the "
            "disagreements the case is built to teach."
        )
    return "\n\n".join(parts)


# ---- exercise checks (case.check) ----------------------------------------------------------------------
def _source_spellings(source_ids) -> list[str]:
    short = data.sources().set_index("source_id")["short_name"]
    return [s for i in source_ids for s in (str(i), str(short.get(i, i)))]


def check_top_source(case, answer):
    figures = case.metrics(dated=False)
    if not len(figures):
        return checks.Feedback(None, f"This run (min_reliability = {_grade(case)}) keeps no figures, so no source contributes any.")
    counts = figures["source"].value_counts()
    best = counts[counts == counts.max()].index
    return checks.choice(answer, _source_spellings(best),
                         hint="Count the rows of `case.metrics(dated=False)` by their `source` column; the figures are the orange part of the bars.")


def check_kb_conflicts(case, answer):
    rows = conflicts(case)
    expected = rows.loc[rows["source"] == "kb", "conflict"].nunique()
    return checks.number(answer, expected, rel_tol=0, abs_tol=0.01,
                         hint="Count conflict numbers, not rows: a conflict with two knowledge-base rows counts once. Use `casekit.conflicts(min_reliability=min_reliability)`.")


def check_self_share(case, answer):
    rows = conflicts(case)
    if not len(rows):
        return checks.Feedback(None, f"This run (min_reliability = {_grade(case)}) has no conflicts, so the fraction is undefined.")
    per = rows.groupby("conflict")["source"].nunique()
    expected = float((per == 1).mean())
    return checks.number(answer, expected, rel_tol=0.01,
                         hint="For each conflict number count the distinct sources; the share of conflicts with exactly one source is the answer (a fraction).")


def check_most_disputed(case, answer):
    rows = statements(case)
    if not len(rows):
        return checks.Feedback(None, f"This run (min_reliability = {_grade(case)}) keeps no statements, so no source has a share.")
    share = rows.groupby("source")["disputed"].mean()
    best = share[(share - share.max()).abs() < 1e-9].index
    return checks.choice(answer, _source_spellings(best),
                         hint="Group `statements` by `source` and take the mean of `disputed` (True counts as 1); pick the largest.")


EXERCISES = {
    "top_source": check_top_source,
    "kb_conflicts": check_kb_conflicts,
    "self_share": check_self_share,
    "most_disputed": check_most_disputed,
}
