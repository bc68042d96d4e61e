"""The sources chapter's facts: the frames behind its exhibits, the values its paragraphs need, and
the expected answers of its exercises.

Every function reads the data through ``case``, so the run's years and minimum reliability apply,
except where the subject is the reliability bar itself (``bar_table``, ``option_rows``): those set
every grade side by side and say which rows this run keeps. Story functions (named like the blocks
of ``story.md.j2``) return plain data; the words are in the template.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from ... import data, prose
from ...data import RELIABILITY, tagged
from ...exercises import Unavailable
from ..history.facts import ipo_close_value  # one computation of the implied value (history's exercise 3)

KINDS = {"events": "dated event", "metrics": "figure"}
LOWREY = "alibaba_way"
LATE = 2015  # the Lowrey volume's last dated year: what comes after rests on the low-graded sources
# Tags that each name one event: a source that gives two dates for one of them contradicts itself.
ONE_EVENT_TAGS = ["founding", "softbank_investment", "goldman_investment", "ceo_appointment", "ma_leaves_ceo",
                  "chair_handover", "ebay_entry", "taobao_launch", "taobao_passes_ebay", "ebay_exit", "escrow_launch",
                  "ipo_2007", "ant_ipo_halt", "antitrust_case"]
# Labels the vocabulary spells badly, or that name a catch-all metric (the scope then says what is measured).
LABELS = {"ipo_raised": "money raised in the listing", "rd_spend": "R&D spending", "capex_plan": "capital-spending plan",
          "share_other": "share", "amount_other": "amount", "growth_rate": "growth", "revenue_share": "share of revenue"}
POWER_OF_TEN = 0.03  # a gap within 3% of 10, 100 or 1,000 reads as a slipped unit or decimal, not a disagreement
# The evidence behind the three options of the case's 2025 decision (00_overview): the figures and dated
# statements each option leans on, in reading order. Picked by id: each is one claim, not a kind of claim.
OPTIONS = {
    "A": ["M0078", "M0040", "M0029", "M0529", "M0036"],
    "B": ["M0654", "E0343", "E0279", "M0207"],
    "C": ["M0187", "M0181", "M0629", "M0693", "M0161"],
}
# Statements the chapter's paragraph on category confusion sets side by side (story.md.j2 words them).
CATEGORIES = {
    "ant_raise": ["M0321"],  # the sum Ant Group meant to raise in 2020
    "ant_called": ["M0324"],  # the same sum called the value of the offering
    "ant_value": ["M0325"],  # the value the company expected
    "ipo_footnote": ["M0163", "M0146"],  # a market value in the text, money raised in the footnote
    "pledge": ["M0180"],  # a three-year research pledge stored as spending
    "gmv_scope": ["M0130"],  # ecosystem-wide GMV labelled as China marketplaces
    "peak": ["M0654"],  # a peak day presented as a level
}


# ---- frames the notebook's exhibits are built from ------------------------------------------------
def statements(case) -> pd.DataFrame:
    """Every statement this run keeps, dated events and figures (dated or not) together, one row per line.

    Each row keeps its id (event_id or metric_id), so a reader of the exhibit's CSV can look up the
    statement's wording and note in the data package; the notes themselves would make the page heavy.
    """
    columns = ["entity", "source", "line", "disputed", "reliability"]
    events = case.events()
    events = events[columns].assign(id=events["event_id"], kind=KINDS["events"], year=events["date_start"].dt.year.astype("Int64"))
    figures = case.metrics(dated=False)
    figures = figures[columns].assign(id=figures["metric_id"], kind=KINDS["metrics"], year=figures["year"])
    frame = pd.concat([events, figures], ignore_index=True)
    frame["source"] = frame["source"].astype("string")
    return frame


def _label(source_id: str) -> str:
    """'Lowrey volume [medium]': a source's display name with its grade, for chart axes."""
    row = data.sources().set_index("source_id").loc[source_id]
    return f"{row['display_name']} [{row['reliability']}]"


def source_table(case) -> pd.DataFrame:
    """The five sources: what each is, when it was written, its grade and why, what it gives this run."""
    rows = statements(case)
    sources = data.sources().rename(columns={"source_id": "source"})
    counts = rows.groupby(["source", "kind"]).size()
    sources["events"] = [int(counts.get((s, KINDS["events"]), 0)) for s in sources["source"]]
    sources["figures"] = [int(counts.get((s, KINDS["metrics"]), 0)) for s in sources["source"]]
    grade = case.params.get("min_reliability", "low")
    sources["in_run"] = (sources["reliability"] >= grade).map({True: "yes", False: f"no (below {grade})"})
    sources["kind"] = sources["kind"].astype("string").str.replace("_", " ")
    return sources


def package_table(case) -> pd.DataFrame:
    """The data package's tables, their rows, how many of those rows this run keeps, and what each row cites."""
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
    ).fillna("nothing: written by the project")
    tables = tables[["table", "rows", "kept", "cites", "description"]]
    return tables.rename(columns={
        "table": "Table", "rows": "Rows in the package", "kept": "Rows kept in this run",
        "cites": "Each row cites", "description": "What a row is",
    })


def coverage_chart(case, rows: pd.DataFrame):
    """When each source speaks: dated statements per source and year (circle area: how many)."""
    import altair as alt

    from ... import charts

    charts.enable()
    dated = rows[rows["year"].notna()]
    if not len(dated):
        return _empty_chart(_nothing_left(case))
    counts = dated.groupby(["source", "year", "kind"]).size().unstack("kind", fill_value=0)
    counts = counts.reindex(columns=list(KINDS.values()), fill_value=0).reset_index()
    counts = counts.rename(columns={KINDS["events"]: "events", KINDS["metrics"]: "figures"})
    counts["statements"] = counts["events"] + counts["figures"]
    counts["label"] = counts["source"].map(_label)
    counts["grade"] = counts["source"].map(data.sources().set_index("source_id")["reliability"].astype(str))
    counts = counts.astype({"source": "string", "label": "string", "grade": "string"})
    counts["year"] = counts["year"].astype(int)
    order = [_label(s) for s in data.sources()["source_id"] if s in set(counts["source"])]
    return (
        alt.Chart(counts)
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("year:Q", title="year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False, nice=False, padding=12)),
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            size=alt.Size("statements:Q", title="statements", scale=alt.Scale(range=[20, 900])),
            color=alt.Color("grade:N", title="grade", scale=alt.Scale(domain=list(charts.RELIABILITY_COLOURS), range=list(charts.RELIABILITY_COLOURS.values()))),
            tooltip=[alt.Tooltip("label:N", title="source [grade]"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("events:Q", title="dated events"),
                     alt.Tooltip("figures:Q", title="figures"), alt.Tooltip("statements:Q", title="statements")],
        )
        .properties(width=charts.WIDTH - 160, height=max(80, 44 * len(order)))
    )


def _dispute_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per source: statements in ``rows`` and how many are flagged disputed, the most used source first."""
    return rows.groupby("source")["disputed"].agg(["size", "sum"]).sort_values("size", ascending=False)


def dispute_table(case, rows: pd.DataFrame) -> pd.DataFrame:
    """Statements and disputed statements per source in this run, the most heavily used source first."""
    grades = data.sources().set_index("source_id")["reliability"].astype(str)
    table = _dispute_counts(rows)
    return pd.DataFrame({
        "Source": [prose.source(s, article=False) for s in table.index],
        "Grade": [grades[s] for s in table.index],
        "Statements in this run": table["size"].astype(int).values,
        "Flagged disputed": table["sum"].astype(int).values,
        "Share disputed": [prose.percent(d / n) for d, n in zip(table["sum"], table["size"])],
    }, columns=["Source", "Grade", "Statements in this run", "Flagged disputed", "Share disputed"])


def _figure_names(rows: pd.DataFrame) -> pd.Series:
    """'Tmall, market share (China online B2C retail)': the entity's name, the metric's label, the scope
    (left out when it only repeats the entity's name)."""
    names = data.load("entities").set_index("entity_id")["name"]
    labels = {**data.load("metric_definitions").set_index("metric")["label"].to_dict(), **LABELS}
    entity = rows["entity"].map(names).fillna(rows["entity"]).astype(str)
    metric = rows["metric"].map(labels).fillna(rows["metric"]).astype(str).map(prose.lower_first)
    scope = rows["scope"].fillna("").astype(str)
    shown = [f" ({s})" if s and s.lower() != "group" and s.lower() not in e.lower() else "" for s, e in zip(scope, entity)]
    return (entity + ", " + metric + pd.Series(shown, index=rows.index)).astype("string")


def _figure_phrases(rows: pd.DataFrame) -> list[str]:
    """The same names for a sentence: "Alibaba Group's fine (China antitrust)"."""
    return [name.replace(", ", "'s ", 1) for name in _figure_names(rows)]


def conflicts(case) -> pd.DataFrame:
    """This run's conflicts (``casekit.conflicts`` with its min_reliability), within its years or undated."""
    frame = data.conflicts(min_reliability=case.params.get("min_reliability", "low"))
    start, end = case.years
    years = frame["period"].str.extract(r"(\d{4})")[0].astype(float)
    frame = frame[years.between(start, end) | years.isna()].copy()  # an undated disagreement holds in any years
    frame["figure"] = _figure_names(frame)
    frame["source"] = frame["source"].astype("string")
    return frame.reset_index(drop=True)


def _gap(values: pd.Series) -> float:
    """The largest value over the smallest (inf when the smallest is zero)."""
    low, high = float(values.min()), float(values.max())
    return high / low if low else math.inf


def _ratio(gap: float) -> str:
    """A gap as a reader compares it: '1.002' for a rounding, '2.0' for a doubling, '999.5'."""
    return f"{gap:.3f}" if gap < 1.1 else f"{gap:,.1f}"


def _power_of_ten(ratio: float) -> int | None:
    """10, 100 or 1,000 when ``ratio`` is within POWER_OF_TEN of it, else None."""
    if not math.isfinite(ratio) or ratio < 5:
        return None
    power = 10 ** round(math.log10(ratio))
    return power if abs(ratio / power - 1) <= POWER_OF_TEN else None


def conflict_table(case, rows: pd.DataFrame) -> pd.DataFrame:
    """One row per conflict: the figure, the values each statement gives, and the shape of the gap."""
    out = []
    for number, group in rows.groupby("conflict", sort=True):
        first = group.iloc[0]
        given = "; ".join(f"{prose.figure(r.value, str(r.unit))} [{prose.source(r.source, article=False)} l. {r.line}{', disputed' if r.disputed else ''}]"
                          for r in group.itertuples())
        power = _power_of_ten(_gap(group["value"]))
        out.append({
            "Figure": first["figure"], "Period": prose.when(first["period"]), "Values given": given,
            "Sources": "one" if group["source"].nunique() == 1 else prose.number_word(group["source"].nunique()),
            "Largest over smallest": _ratio(_gap(group["value"])) + (f" (a factor of {power:,})" if power else ""),
        })
    return pd.DataFrame(out, columns=["Figure", "Period", "Values given", "Sources", "Largest over smallest"])


def disagreement_chart(case, rows: pd.DataFrame):
    """How far apart the sources are on each conflict (``casekit.charts.disagreement``)."""
    import altair as alt

    from ... import charts

    charts.enable()
    if not len(rows):
        return _empty_chart("No two statements in this run give different figures for the same thing.")
    # The recipe names a row by entity, metric and period; the scope must be in the name too, or two
    # different figures (all e-commerce, online retail) share one row.
    shown = rows.assign(entity=rows["figure"].astype(str) + ",", metric=rows["period"].map(prose.when), period="",
                        source=rows["source"].map(lambda s: prose.source(s, article=False)))
    chart = charts.disagreement(shown)
    chart.encoding.y.axis = alt.Axis(labelLimit=380)  # the recipe's default cuts long figure names
    return chart


def slip_rows(case) -> pd.DataFrame:
    """Statements whose figures differ by a power of ten, or by the currency sign alone: slips, not views."""
    rows = conflicts(case)
    gaps = rows.groupby("conflict")["value"].agg(_gap).map(_power_of_ten)
    tenfold = rows[rows["conflict"].map(gaps).notna()].assign(gap=lambda f: f["conflict"].map(gaps).map(lambda p: f"factor {int(p):,}"))
    # The same digits printed in two currencies for the same figure and period.
    figures = case.metrics(dated=False)
    keys = ["entity", "metric", "period", "scope", "value"]
    currencies = figures.groupby(keys, observed=True, dropna=False)["unit"].transform("nunique")
    money = figures[(currencies > 1) & figures["unit"].isin(list(prose.CURRENCY))]
    money = money.assign(gap="currency sign", figure=_figure_names(money))
    columns = ["figure", "period", "value", "unit", "source", "reliability", "line", "disputed", "gap"]
    slips = pd.concat([tenfold[columns], money[columns]], ignore_index=True)
    slips["status"] = slips["disputed"].map({True: "disputed", False: ""})
    slips["period"] = slips["period"].map(prose.when)
    slips["said_by"] = slips["source"].map(lambda s: prose.source(s, article=False))
    return slips.astype({"figure": "string", "source": "string", "gap": "string", "said_by": "string"}).reset_index(drop=True)


def self_contradiction_rows(case) -> pd.DataFrame:
    """Dated statements on one event from a source that dates that event more than one way."""
    events = case.events()
    out = []
    for tag in ONE_EVENT_TAGS:
        rows = tagged(events, tag)
        for _, group in rows.groupby("source", observed=True):
            if group["date_start"].dt.year.nunique() > 1:  # 2003 against May 2003 is precision, not contradiction
                out.append(group.assign(event=tag))
    if not out:
        return pd.DataFrame(columns=["event", "event_name", "title", "date", "when", "source", "said_by", "line", "reliability"])
    rows = pd.concat(out, ignore_index=True).sort_values(["date_start", "event", "line"], kind="stable")
    order = {tag: n for n, tag in enumerate(dict.fromkeys(rows["event"]))}  # events in the order of their first date
    rows = rows.sort_values(["event", "date_start", "line"], key=lambda c: c.map(order) if c.name == "event" else c, kind="stable")
    return rows.assign(
        event_name=rows["event"].map(_event_names()).astype("string"),
        when=rows["date"].map(prose.when).astype("string"),
        said_by=rows["source"].map(lambda s: prose.source(s, article=False)).astype("string"),
    ).reset_index(drop=True)


def _event_names() -> dict[str, str]:
    """Each tag's meaning (tags.csv) cut to its event: 'SoftBank's first investment in Alibaba'."""
    meanings = data.load("tags").set_index("tag")["meaning"].astype(str)
    names = {tag: re.split(r" \(|, as a source|,? through", text.rstrip("."))[0] for tag, text in meanings.items()}
    return {**names, "ceo_appointment": "A new chief executive of Alibaba Group"}


def repeated_rows(case) -> pd.DataFrame:
    """Figures that appear on more than one line: the statements behind each, for the exhibit's source line."""
    figures = case.metrics(dated=False)
    keys = ["entity", "metric", "year_key", "unit", "scope", "value"]
    figures = figures.assign(year_key=figures["year"].fillna(-1))
    size = figures.groupby(keys, observed=True, dropna=False)["line"].transform("size")
    return figures[size > 1].reset_index(drop=True)


def repeated_table(case, rows: pd.DataFrame, size: int = 10) -> pd.DataFrame:
    """One row per repeated figure, the most often repeated first: how many lines, how many sources."""
    keys = ["entity", "metric", "year_key", "unit", "scope", "value"]
    out = []
    for _, group in rows.groupby(keys, observed=True, dropna=False, sort=False):
        first = group.iloc[0]
        out.append({
            "Figure": _figure_names(group.head(1)).iloc[0],
            "Year": "undated" if pd.isna(first["year"]) else str(int(first["year"])),
            "Value": prose.figure(first["value"], str(first["unit"])),
            "Statements": len(group),
            "Sources": group["source"].nunique(),
            "Where": "; ".join(f"{prose.source(s, article=False)}, {prose.lines(g['line'])}" for s, g in group.groupby("source", sort=False, observed=True)),
            "Flagged disputed": int(group["disputed"].sum()),
        })
    table = pd.DataFrame(out, columns=["Figure", "Year", "Value", "Statements", "Sources", "Where", "Flagged disputed"])
    return table.sort_values(["Statements", "Sources"], ascending=False, kind="stable").head(size).reset_index(drop=True)


def bar_table(case) -> pd.DataFrame:
    """What each setting of min_reliability keeps, within this run's years: sources, rows, the last year."""
    start, end = case.years
    events = data.load("events")
    events = events[events["date_start"].dt.year.between(start, end)]
    figures = data.load("metrics")
    figures = figures[figures["year"].between(start, end).fillna(False).astype(bool) | figures["year"].isna()]
    out = []
    for grade in RELIABILITY:
        kept_events, kept_figures = data.at_least(events, grade), data.at_least(figures, grade)
        years = kept_events["date_start"].dt.year
        kept_sources = data.at_least(data.sources().rename(columns={"source_id": "source"}), grade)
        out.append({
            "Setting": f"min_reliability = {grade}" + (" (this run)" if grade == case.params.get("min_reliability", "low") else ""),
            "Sources kept": prose.join_words(kept_sources["display_name"]) or "none",
            "Dated events": len(kept_events),
            "Figures": len(kept_figures),
            f"Statements dated after {LATE}": int((years > LATE).sum() + (kept_figures["year"] > LATE).fillna(False).sum()),
            "Last dated year": str(int(years.max())) if len(years) else "none",
        })
    return pd.DataFrame(out)


def sources_rows() -> pd.DataFrame:
    """The five sources as rows with a ``source`` column: the citation of an exhibit about all of them."""
    return data.sources().rename(columns={"source_id": "source"})[["source", "short_name", "reliability"]]


def option_rows(case) -> pd.DataFrame:
    """The statements behind the three options of the 2025 decision, from every source, marked kept or not."""
    events, figures = data.load("events"), data.load("metrics")
    kept = set(case.events()["event_id"]) | set(case.metrics(dated=False)["metric_id"])
    grades = data.sources().set_index("source_id")["reliability"].astype(str)
    out = []
    for option, ids in OPTIONS.items():
        for row_id in ids:
            if row_id.startswith("E"):
                row = events.set_index("event_id").loc[row_id]
                what, given, when = str(row["title"]), "", prose.when(row["date"])
            else:
                row = figures.set_index("metric_id").loc[row_id]
                what = _figure_names(row.to_frame().T).iloc[0]
                given, when = prose.figure(row["value"], str(row["unit"])), ("undated" if row["period"] == "undated" else prose.when(row["period"]))
            out.append({"option": option, "id": row_id, "what": what, "given": given, "when": when,
                        "source": str(row["source"]), "said_by": prose.source(row["source"], article=False),
                        "line": int(row["line"]), "reliability": grades[row["source"]],
                        "status": "disputed" if bool(row["disputed"]) else "",
                        "kept": "yes" if row_id in kept else "no"})
    return pd.DataFrame(out)


def _empty_chart(message: str):
    import altair as alt

    from ... import charts

    frame = pd.DataFrame({"message": [message]})
    return alt.Chart(frame).mark_text(fontSize=13, color=charts.MUTED, align="left", x=5).encode(
        text="message:N"
    ).properties(width=charts.WIDTH - 120, height=40)


def _nothing_left(case) -> str:
    grade = case.params.get("min_reliability", "low")
    if not data.at_least(data.sources(), grade).shape[0]:
        return f"No source is graded {grade} or better, so no statement remains."
    start, end = case.years
    return f"No dated statement from a source graded {grade} or better falls in {prose.span(start, end)}."


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def run_scope(case) -> dict:
    """What this run keeps: how many statements, from which sources, over which years."""
    rows = statements(case)
    years = rows["year"].dropna()
    everything = data.load("events")
    weaker = data.sources()
    weaker = weaker[weaker["reliability"] < case.params.get("min_reliability", "low")]
    return {
        "total": len(rows),
        "events": int((rows["kind"] == KINDS["events"]).sum()),
        "figures": int((rows["kind"] == KINDS["metrics"]).sum()),
        "sources": list(rows["source"].value_counts().index),
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
        "all_first": int(everything["date_start"].dt.year.min()),
        "all_last": int(everything["date_start"].dt.year.max()),
        "weaker": list(weaker["source_id"]),
    }


def source_counts(case) -> dict:
    """Who supplies the statements in this run, in numbers."""
    rows = statements(case)
    counts = rows["source"].value_counts()
    low = rows[rows["reliability"] == "low"]
    return {
        "total": len(rows),
        "top": counts.index[0] if len(counts) else None,
        "top_share": float(counts.iloc[0] / len(rows)) if len(counts) else 0.0,
        "low_share": len(low) / len(rows) if len(rows) else 0.0,
        "late_low_share": _late_share(rows),
        "late": LATE,
    }


def _late_share(rows: pd.DataFrame) -> float | None:
    """Of the dated statements after the Lowrey volume's last year, the share from low-graded sources."""
    late = rows[rows["year"].notna() & (rows["year"] > LATE)]
    return float((late["reliability"] == "low").mean()) if len(late) else None


def coverage(case) -> dict:
    """Where each kept source's dated statements stop (forecasts apart, whatever the run's years), the run's
    busiest years, and whether a stale source names an old leader."""
    grade = case.params.get("min_reliability", "low")
    events, figures = data.at_least(data.load("events"), grade), data.at_least(data.load("metrics"), grade)
    dated = pd.concat([events[["source"]].assign(year=events["date_start"].dt.year), figures.loc[figures["year"].notna(), ["source", "year"]]])
    written = data.sources().set_index("source_id")["year"]
    ahead = dated["year"].to_numpy() > written.reindex(dated["source"]).to_numpy()  # a forecast or a target
    ends = dated[~ahead].groupby("source")["year"].max().sort_values()
    shown = statements(case)["year"].dropna()
    return {
        "ends": [{"source": s, "last": int(y)} for s, y in ends.items()],
        "targets": [{"source": s, "years": sorted({int(y) for y in g["year"]})} for s, g in dated[ahead].groupby("source")],
        "kb_names_zhang": bool(((events["source"] == "kb") & (events["entity"] == "daniel_zhang")).any()),
        "busiest": [{"year": int(y), "count": int(n)} for y, n in shown.value_counts().head(2).items()],
    }


def dispute_rates(case, enough: int = 20) -> dict:
    """The sources with the highest and lowest share of disputed statements, and how many rows each rests on.

    The lowest share is taken among sources with at least ``enough`` statements: a share of nothing
    flagged in three rows says more about the rows than about the source.
    """
    table = _dispute_counts(statements(case))
    rows = [{"source": s, "count": int(r["size"]), "disputed": int(r["sum"]), "share": r["sum"] / r["size"]} for s, r in table.iterrows()]
    ranked = sorted(rows, key=lambda r: (-r["share"], -r["count"]))
    sizeable = [r for r in ranked if r["count"] >= enough]
    return {
        "rows": rows,
        "highest": ranked[0] if ranked else None,
        "lowest": sizeable[-1] if sizeable else None,
        "lowrey": next((r for r in rows if r["source"] == LOWREY), None),
    }


def slips(case) -> dict:
    """The slips in this run: one record per figure (its gap), how many sit inside one source, the yardstick."""
    rows = slip_rows(case)
    groups = [{"gap": str(gap), "sources": int(group["source"].nunique())} for _, gap, group in
              ((key, key[2], g) for key, g in rows.groupby(["figure", "period", "gap"], sort=False))]
    festival = case.metrics(entity="singles_day", metric="gmv")
    trillion = festival[(festival["unit"] == "CNY") & (festival["value"] >= 1e12)]
    return {
        "groups": len(groups),
        "tenfold": sum(g["gap"] != "currency sign" for g in groups),
        "currency": sum(g["gap"] == "currency sign" for g in groups),
        "rows": rows,
        "one_source": sum(g["sources"] == 1 for g in groups),
        "festival_2013": float(trillion.loc[trillion["year"] == 2013, "value"].max()) if (trillion["year"] == 2013).any() else None,
        "national_2013": _national_2013(case),
    }


def _national_2013(case) -> float | None:
    """China's 2013 e-commerce volume as the Lowrey volume's text gives it (the undisputed statement)."""
    rows = case.metrics(entity="china_ecommerce", metric="gmv", scope="China all e-commerce")
    rows = rows[(rows["year"] == 2013) & ~rows["disputed"]]
    return float(rows["value"].iloc[0]) if len(rows) else None


def self_contradictions(case) -> dict:
    """Per source, the events it dates in more than one year; and the event with the most different years."""
    rows = self_contradiction_rows(case)
    if rows.empty:
        return {"items": [], "widest": None}
    items = [{"source": str(source), "events": list(dict.fromkeys(group["event"])), "rows": group}
             for source, group in rows.groupby("source", sort=False)]
    spread = rows.groupby("event", sort=False)["date_start"].agg(lambda d: d.dt.year.nunique())
    return {
        "items": items,
        "widest": {"event": spread.idxmax(), "spread": int(spread.max())},
    }


def conflict_summary(case) -> dict:
    """How many conflicts this run finds, how many sit inside one source, how many carry a date."""
    rows = conflicts(case)
    per = rows.groupby("conflict").agg(sources=("source", "nunique"), period=("period", "first"), source=("source", "first"))
    return {
        "total": len(per),
        "statements": len(rows),
        "single": int((per["sources"] == 1).sum()),
        "single_sources": sorted(per.loc[per["sources"] == 1, "source"].unique()),
        "undated": int((per["period"] == "undated").sum()),
    }


def listing_day(case) -> dict:
    """The first-day market value of the 2014 listing: each source's figures, and the check from the share prices."""
    values = case.metrics(entity="alibaba_group", metric="market_value")
    close = values[(values["period"] == "2014-09-19") & (values["scope"] == "first-day close")]
    try:
        implied = ipo_close_value(case)
    except Unavailable:
        implied = None
    return {
        "given": [{"source": s, "values": sorted({float(v) for v in g["value"]}), "rows": g}
                  for s, g in close.groupby("source", observed=True)],
        "across_sources": close["source"].nunique() > 1,
        "flagged": bool(close["disputed"].any()),
        "implied": implied,
    }


def repetition(case) -> dict:
    """The most repeated figure in this run and who repeats it; repeated figures that stay inside one source."""
    rows = repeated_rows(case)
    table = repeated_table(case, rows, size=len(rows) or 1)
    keys = ["entity", "metric", "year_key", "unit", "scope", "value"]
    groups = [group for _, group in rows.groupby(keys, observed=True, dropna=False, sort=False)]
    top_rows = max(groups, key=lambda g: (len(g), g["source"].nunique())) if groups else rows  # the first row of Exhibit 8
    fine = case.metrics(metric="fine")
    cloud = case.metrics(entity="alibaba_cloud", metric="market_share", scope="China cloud", dated=False)
    return {
        "figures": len(table),
        "one_source": int((table["Sources"] == 1).sum()) if len(table) else 0,
        "top": {"figure": _figure_phrases(top_rows.head(1))[0], "value": prose.figure(top_rows["value"].iloc[0], str(top_rows["unit"].iloc[0])),
                "year": "undated" if pd.isna(top_rows["year"].iloc[0]) else str(int(top_rows["year"].iloc[0])),
                "sources": top_rows["source"].nunique(), "main": top_rows["source"].value_counts().index[0],
                "main_lines": int(top_rows["source"].value_counts().iloc[0])} if len(table) else None,
        "top_rows": top_rows,
        "fine": fine,
        "cloud": cloud[cloud["source"] == "kb"],
    }


def categories(case) -> dict:
    """The statements behind the paragraph on category confusion that this run keeps, by pair."""
    figures = case.metrics(dated=False)
    return {name: figures[figures["metric_id"].isin(ids)].reset_index(drop=True) for name, ids in CATEGORIES.items()}


def filter_cost(case) -> dict:
    """What raising the bar from low to medium loses, within this run's years."""
    table = bar_table(case)
    low, medium = table.iloc[0], table.iloc[1]
    late = f"Statements dated after {LATE}"
    options = option_rows(case)
    return {
        "events_low": int(low["Dated events"]), "events_medium": int(medium["Dated events"]),
        "figures_low": int(low["Figures"]), "figures_medium": int(medium["Figures"]),
        "late_low": int(low[late]), "late_medium": int(medium[late]),
        "last_low": low["Last dated year"], "last_medium": medium["Last dated year"],
        "late": LATE,
        "options_low": len(options),
        "options_medium": int((options["reliability"] != "low").sum()),
    }


def options_evidence(case) -> dict:
    """For each option of the 2025 decision: how many statements, from which sources, how many disputed or dropped."""
    rows = option_rows(case)
    return {"options": [{"option": option, "count": len(group), "sources": list(dict.fromkeys(group["source"])),
                         "low": int((group["reliability"] == "low").sum()), "disputed": int((group["status"] == "disputed").sum()),
                         "dropped": int((group["kept"] == "no").sum())}
                        for option, group in rows.groupby("option", sort=True)]}


def how_sure(case) -> dict:
    """How many of this run's figures a second source gives with the same value, and which."""
    figures = case.metrics(dated=False)
    keys = ["entity", "metric", "year_key", "unit", "scope", "value"]
    figures = figures.assign(year_key=figures["year"].fillna(-1))
    witnesses = figures.groupby(keys, observed=True, dropna=False)["source"].transform("nunique")
    confirmed = figures[witnesses > 1].drop_duplicates(keys)
    return {
        "figures": len(figures),
        "confirmed_rows": int((witnesses > 1).sum()),
        "confirmed": [{"figure": str(name), "value": prose.figure(v, str(u))}
                      for name, v, u in zip(_figure_phrases(confirmed), confirmed["value"], confirmed["unit"])],
    }


def answers(case) -> dict:
    """The exercises' expected answers under this run's parameters (for the instructor)."""
    from ...exercises import for_notebook

    return {"answers": [(exercise, exercise.answer(case)) for exercise in for_notebook("sources")]}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def _source_answers(source_ids) -> list[str]:
    """Each source as its id and its short and display names: the answers a choice check accepts."""
    table = data.sources().set_index("source_id")
    return [s for i in source_ids for s in (str(i), str(table.loc[i, "short_name"]), str(table.loc[i, "display_name"]))]


def top_source_spellings(case) -> list[str]:
    figures = case.metrics(dated=False)
    if figures.empty:
        raise Unavailable()
    counts = figures["source"].value_counts()
    return _source_answers(counts[counts == counts.max()].index)


def disputed_count(case) -> int:
    rows = statements(case)
    if rows.empty:
        raise Unavailable()
    return int(rows["disputed"].sum())


def most_disputed_spellings(case) -> list[str]:
    rows = statements(case)
    if rows.empty:
        raise Unavailable()
    share = rows.groupby("source")["disputed"].mean()
    return _source_answers(share[(share - share.max()).abs() < 1e-9].index)


def kb_conflict_count(case) -> int:
    rows = conflicts(case)
    if case.params.get("min_reliability", "low") != "low":
        raise Unavailable("kb_left_out")
    return int(rows.loc[rows["source"] == "kb", "conflict"].nunique())


def self_conflict_share(case) -> float:
    rows = conflicts(case)
    if rows.empty:
        raise Unavailable()
    return float((rows.groupby("conflict")["source"].nunique() == 1).mean())


def festival_share(case) -> float:
    facts = slips(case)
    if facts["festival_2013"] is None or facts["national_2013"] is None:
        raise Unavailable()
    return facts["festival_2013"] / facts["national_2013"]


def festival_share_slip(case, answer, expected) -> str | None:
    """An answer ten times too large: the national total taken from Table 8.1, which has its own slip."""
    try:
        return "table_slip" if math.isclose(float(answer), expected * 10, rel_tol=0.02) else None
    except (TypeError, ValueError):
        return None
