"""The overview chapter's facts: the frames behind its business exhibits, the values its paragraphs
need, and the expected answers of its exercises.

The overview opens the case on its 2025 decision (cloud and AI, local services, or the core
marketplaces), so its figures are the ones a manager would put on one page: the options' headline
numbers, revenue by segment, reach, market shares and the size of the cloud and AI plan. Only
``min_reliability`` changes what a run keeps. Story functions (named like the blocks of
``story.md.j2``) return plain data; the words are in the template. Figures are picked by row id,
each with a label like a column heading, never by the wording of a scope or a note.
"""
from __future__ import annotations

import json

import pandas as pd

from ... import data, prose
from ...exercises import Unavailable

SHARED_PARAMETERS = ["audience", "course", "min_reliability"]  # every notebook takes these

# Exhibit 1: the figures behind each option, in reading order (option key, label of the figure).
OPTIONS = {"cloud": "A. Cloud and AI first", "local": "B. Win local services", "core": "C. Defend the core",
           "all": "All three: the regulator"}
OPTION_FIGURES = {
    "M0078": ("cloud", "Planned spending on cloud and AI infrastructure, over three years"),
    "M0040": ("cloud", "Share of the cloud unit's external revenue from AI products (more than)"),
    "M0029": ("cloud", "Growth of that AI revenue on a year earlier (at least)"),
    "M0021": ("cloud", "Quarters in a row of such growth"),
    "M0036": ("cloud", "Cloud revenue"),
    "M0037": ("cloud", "Cloud revenue growth on the year before"),
    "M0032": ("cloud", "Share of China's cloud market (about)"),
    "M0654": ("local", "Orders a day on Taobao Instant Commerce (more than)"),
    "M0207": ("local", "Annual active consumers of Ele.me and Koubei"),
    "M0187": ("core", "Core commerce share of group revenue"),
    "M0070": ("core", "Annual active consumers on the China marketplaces"),
    "M0161": ("core", "Taobao and Tmall share of China's e-commerce (about)"),
    "M0255": ("core", "Buyers served abroad by AliExpress"),
    "M0114": ("all", "Antitrust fine for pressing merchants into exclusive deals"),
    "M1501": ("all", "Years of corrective obligations that followed, to 2024"),
}
# Exhibit 4: how many people each business reaches (one row per measure).
REACH = {
    "M0173": "China marketplaces: mobile monthly active users",
    "M0070": "China marketplaces: annual active consumers",
    "M0207": "Local services (Ele.me, Koubei): annual active consumers",
    "M0255": "AliExpress: buyers abroad",
}
JOBS = ["M0158", "M0159"]  # jobs on and around the marketplaces: 2013 (Lowrey) and 2020 (knowledge base)
STORES = "M0172"  # Taobao and Tmall stores
# Exhibit 5: market shares, arena by arena; Alibaba's own units are drawn in its colour.
SHARES = [
    "M0161", "M0516", "M0527",  # China e-commerce, c. 2020-21
    "M0032", "M0675", "M0497",  # China cloud
    "M0273", "M0727",  # China digital payments
    "M0693", "M0515", "M0585",  # online B2C retail, December 2013
    "M0629", "M0525",  # online C2C retail, December 2013
]
# The smaller segments as a sentence names them.
SEGMENT_NAMES = {"Digital Media and Entertainment": "digital media and entertainment",
                 "Innovation Initiatives and Others": "innovation initiatives and the rest"}
ALIBABA_UNITS = {"alibaba_group", "alibaba_cloud", "alipay", "tmall", "taobao"}
SHARE_NAMES = {"alibaba_group": "Taobao and Tmall"}  # the kb's e-commerce share is the two marketplaces'
MARKET_NAMES = {"China e-commerce": "China's e-commerce", "China cloud": "China's cloud market",
                "China digital payments": "China's digital payments",
                "China online B2C retail": "China's online retail by businesses to consumers (B2C)",
                "China online C2C retail": "China's online retail between consumers (C2C)"}
# Exhibit 6: the plan beside the group's last full-year figures (US$), and the two sums the case adds.
BET = {"revenue": "M0181", "core_share": "M0187", "plan": "M0079", "plan_years": "M1500",
       "cash": "M0115", "cloud": "M0036", "fine": "M0114"}
BET_LABELS = {"revenue": "Group revenue, FY2021", "core": "Core commerce revenue, FY2021",
              "cash": "Free cash flow, FY2021", "plan": "Cloud and AI plan, three years",
              "plan_year": "Cloud and AI plan, one year", "cloud": "Cloud revenue, FY2021",
              "fine": "Antitrust fine, 2021"}
REPORTED, ARITHMETIC = "as reported", "case arithmetic"
PLAN_RMB, CASH_RMB = "M0078", "M0116"  # the plan and the free cash flow in yuan: one currency for the ratio
# "How sure are we?": the disputed figures that matter for the decision.
DISPUTES = {"orders": ["M0654", "M0655"], "consumers": ["M0070", "M0071"], "ecommerce_share": ["M0161", "M0162"]}


# ---- small helpers -------------------------------------------------------------------------------
def _kept(case, ids) -> pd.DataFrame:
    """The rows with these ids that the run's reliability bar keeps, in the order of ``ids``."""
    rows = case.metrics(dated=False)
    rows = rows[rows["metric_id"].isin(list(ids))].set_index("metric_id")
    return rows.loc[[i for i in ids if i in rows.index]].reset_index()


def _row(rows: pd.DataFrame, metric_id: str) -> dict | None:
    found = rows[rows["metric_id"] == metric_id]
    return found.iloc[0].to_dict() if len(found) else None


def _when(period: str) -> str:
    """A period as the tables show it: 'December 2020', 'FY2021', '2025Q2', 'undated'."""
    return prose.when(period)


# ---- frames behind the exhibits ------------------------------------------------------------------
def option_rows(case) -> pd.DataFrame:
    """Exhibit 1: the figures behind each option, labelled, in reading order."""
    rows = _kept(case, OPTION_FIGURES)
    option, label = zip(*(OPTION_FIGURES[i] for i in rows["metric_id"])) if len(rows) else ((), ())
    names = data.load("entities").set_index("entity_id")["name"]
    return rows.assign(
        option=[OPTIONS[o] for o in option], figure=list(label),
        business=rows["entity"].map(names).astype("string"), when=rows["period"].map(_when),
    )


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


def segment_rows(case) -> pd.DataFrame:
    """Exhibit 3: each segment's share of group revenue in FY2021."""
    rows = case.metrics(metric="revenue_share", dated=False)
    rows = rows[rows["period"] == "FY2021"]
    return rows.assign(segment=rows["scope"].str.replace(" segment", "", regex=False)).reset_index(drop=True)


def reach_rows(case) -> pd.DataFrame:
    """Exhibit 4: how many people each business reaches, one row per measure."""
    rows = _kept(case, REACH)
    return rows.assign(measure=rows["metric_id"].map(REACH).astype("string"))


def share_rows(case) -> pd.DataFrame:
    """Exhibit 5: market shares by arena, Alibaba's unit beside its rivals."""
    rows = _kept(case, SHARES)
    names = data.load("entities").set_index("entity_id")["name"]
    period = rows["period"].map(lambda p: "about 2020-21, undated" if p == "undated" else "December 2013" if p == "2013-12" else p)
    return rows.assign(
        company=[SHARE_NAMES.get(e, names.get(e, e)) for e in rows["entity"]],
        side=["Alibaba" if e in ALIBABA_UNITS else "rival" for e in rows["entity"]],
        arena=rows["scope"].astype("string") + " (" + period + ")",
    ).reset_index(drop=True)


def share_chart(case, rows: pd.DataFrame):
    """Horizontal bars: each arena's companies by share, Alibaba's unit in the house orange."""
    import altair as alt

    from ... import charts

    charts.enable()
    frame = rows.assign(label=rows["arena"] + ": " + rows["company"], shown=rows["value"] * 100)
    frame = frame[["label", "arena", "company", "side", "shown", "period", "source", "line", "disputed"]]
    frame = frame.astype({c: "string" for c in ("label", "arena", "company", "side", "period", "source")})
    frame["disputed"] = frame["disputed"].map({True: "yes", False: "no"})
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=420)),
            x=alt.X("shown:Q", title="share of the market, percent", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("side:N", title=None, scale=alt.Scale(domain=["Alibaba", "rival"], range=[charts.PALETTE[0], charts.PALETTE[7]])),
            tooltip=[alt.Tooltip("company:N"), alt.Tooltip("arena:N"), alt.Tooltip("shown:Q", title="percent", format=".3~g"),
                     alt.Tooltip("source:N"), alt.Tooltip("line:Q"), alt.Tooltip("disputed:N")],
        )
        .properties(width=charts.WIDTH - 300, height=max(80, 22 * len(frame)))
    )


def bet_evidence(case) -> pd.DataFrame:
    """The reported figures behind Exhibit 6 (the rows its source line cites)."""
    return _kept(case, BET.values())


def bet_rows(case) -> pd.DataFrame:
    """Exhibit 6: the plan beside the group's FY2021 revenue, cash flow and cloud revenue, in US$.

    Two bars are the case's own sums: core commerce revenue (the segment's share of group revenue)
    and one year of the plan (the plan spread evenly over its length).
    """
    rows = bet_evidence(case)
    got = {key: _row(rows, metric_id) for key, metric_id in BET.items()}
    bars = []

    def bar(key, row, value, kind=REPORTED):
        bars.append({"item": BET_LABELS[key], "value": value, "unit": "USD", "figure": kind, "period": row["period"],
                     "source": row["source"], "line": row["line"], "disputed": row["disputed"]})

    for key in ("revenue", "cash", "plan", "cloud", "fine"):
        if got[key]:
            bar(key, got[key], got[key]["value"])
    if got["revenue"] and got["core_share"]:
        bar("core", got["core_share"], got["revenue"]["value"] * got["core_share"]["value"], ARITHMETIC)
    if got["plan"] and got["plan_years"]:
        bar("plan_year", got["plan"], got["plan"]["value"] / got["plan_years"]["value"], ARITHMETIC)
    columns = ["item", "value", "unit", "figure", "period", "source", "line", "disputed"]
    return pd.DataFrame(bars, columns=columns).astype({"item": "string", "figure": "string", "source": "string"})


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def options(case) -> dict:
    """The headline figure of each option, as Exhibit 1 lists them."""
    rows = option_rows(case)
    return {
        "shown": len(rows),
        "plan": _row(rows, "M0078"), "ai_share": _row(rows, "M0040"),
        "ai_growth": _row(rows, "M0029"), "streak": _row(rows, "M0021"),
        "orders": _row(rows, "M0654"), "local": _row(rows, "M0207"),
        "core": _row(rows, "M0187"), "fine": _row(rows, "M0114"), "remedy": _row(rows, "M1501"),
        "cloud_rows": _kept(case, ["M0078", "M0040", "M0029", "M0021"]), "local_rows": _kept(case, ["M0654", "M0207"]),
        "core_rows": _kept(case, ["M0187"]), "regulator_rows": _kept(case, ["M0114", "M1501"]),
    }


def segments(case) -> dict:
    """FY2021 revenue, its growth, and what core commerce, cloud and the smaller segments brought."""
    rows = case.metrics(dated=False)
    revenue = rows[rows["metric_id"].isin(["M0181", "M0183"])]
    cloud = rows[rows["metric_id"].isin(["M0036", "M0037"])]
    shares = segment_rows(case)
    core, total = _row(shares, "M0187"), _row(revenue, "M0181")
    others = shares[~shares["metric_id"].isin(["M0187", "M0039"])]
    return {
        "revenue": total, "growth": _row(revenue, "M0183"), "revenue_rows": revenue,
        "core": core, "core_revenue": total["value"] * core["value"] if total and core else None, "share_rows": shares,
        "cloud": _row(cloud, "M0036"), "cloud_growth": _row(cloud, "M0037"), "cloud_rows": cloud,
        "cloud_share": _row(shares, "M0039"),
        "others": [{"name": SEGMENT_NAMES.get(s, s), "value": v} for s, v in zip(others["segment"], others["value"])],
    }


def reach(case) -> dict:
    """Consumers reached, local services against the marketplaces, stores, and the jobs the group counts."""
    rows = reach_rows(case)
    buyers, local = _row(rows, "M0070"), _row(rows, "M0207")
    stores = _kept(case, [STORES])
    jobs = _kept(case, JOBS)
    return {
        "measures": len(rows), "rows": rows,
        "buyers": buyers, "monthly": _row(rows, "M0173"), "local": local, "abroad": _row(rows, "M0255"),
        "local_share": local["value"] / buyers["value"] if buyers and local else None,
        "stores": _row(stores, STORES), "store_rows": stores,
        "jobs": jobs.to_dict("records"), "job_rows": jobs,
    }


def shares(case) -> dict:
    """Per arena: Alibaba's unit, its share, and the rivals beside it (largest first)."""
    rows = share_rows(case)
    arenas = []
    for arena, group in rows.groupby("arena", sort=False):
        own = group[group["side"] == "Alibaba"]
        rivals = group[group["side"] == "rival"].sort_values("value", ascending=False)
        if len(own):
            lead = own.iloc[0]
            arenas.append({
                "market": MARKET_NAMES.get(str(group["scope"].iloc[0]), str(group["scope"].iloc[0])),
                "period": str(group["period"].iloc[0]),
                "company": lead["company"], "value": float(lead["value"]),
                "rivals": rivals[["company", "value"]].to_dict("records"),
                "lead": float(lead["value"]) / float(rivals["value"].iloc[0]) if len(rivals) else None,
                "rows": group,
            })
    return {"arenas": arenas}


def bet_size(case) -> dict:
    """The plan per year against FY2021 free cash flow (in yuan), cloud revenue and group revenue (in US$),
    and the yuan-to-dollar rate each document's pair of figures implies."""
    rows = bet_rows(case)
    bars = {key: rows[rows["item"] == label].iloc[0].to_dict() for key, label in BET_LABELS.items() if (rows["item"] == label).any()}
    yuan = _kept(case, [PLAN_RMB, CASH_RMB, BET["plan_years"]])
    plan, cash, years = (_row(yuan, i) for i in (PLAN_RMB, CASH_RMB, BET["plan_years"]))
    per_year, cloud, revenue = bars.get("plan_year"), bars.get("cloud"), bars.get("revenue")
    dollars = bet_evidence(case)
    plan_usd, cash_usd = _row(dollars, BET["plan"]), _row(dollars, BET["cash"])
    return {
        "plan": plan, "years": years, "cash": cash, "yuan_rows": yuan,
        "plan_share": plan["value"] / years["value"] / cash["value"] if plan and cash and years else None,
        "per_year": per_year["value"] if per_year else None,
        "cloud_times": per_year["value"] / cloud["value"] if per_year and cloud else None,
        "of_revenue": per_year["value"] / revenue["value"] if per_year and revenue else None,
        "dollar_rows": _kept(case, [BET["plan"], BET["plan_years"], BET["cloud"], BET["revenue"]]),
        "plan_rate": plan["value"] / plan_usd["value"] if plan and plan_usd else None,
        "cash_rate": cash["value"] / cash_usd["value"] if cash and cash_usd else None,
    }


def chapter_map(case) -> dict:
    """The case's notebooks: title (their first heading) and own parameters, read from each notebook."""
    from ...notebooks import NOTEBOOKS, declared_parameters
    from ...paths import notebooks_dir

    chapters = []
    for name, file in NOTEBOOKS.items():
        path = notebooks_dir() / file
        if not path.exists():
            continue
        own = [p for p in declared_parameters(path).values() if p.name not in SHARED_PARAMETERS]
        chapters.append({"name": name, "file": file, "title": _title(path), "parameters": own})
    return {"chapters": chapters, "shared_parameters": SHARED_PARAMETERS}


def _title(path) -> str:
    """A notebook's title: the first level-one heading of its first markdown cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = next((c for c in cells if c["cell_type"] == "markdown"), None)
    source = "".join(first["source"]) if first else ""
    return next((line[2:].strip() for line in source.splitlines() if line.startswith("# ")), path.stem)


def how_sure(case) -> dict:
    """The disputes that matter for the decision: the instant-commerce orders, the consumer count, the
    e-commerce share; and whether the plan (undated in its document) is kept."""
    picked = {key: _kept(case, ids) for key, ids in DISPUTES.items()}
    first = lambda rows: float(rows["value"].iloc[0]) if len(rows) else None  # noqa: E731
    return {
        **picked,
        "orders_value": first(picked["orders"]), "consumers_value": first(picked["consumers"]),
        "plan": _row(_kept(case, [PLAN_RMB]), PLAN_RMB),
    }


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def plan_share(case) -> float:
    """One year of the cloud and AI plan as a fraction of FY2021 free cash flow (both in yuan)."""
    share = bet_size(case)["plan_share"]
    if share is None:
        raise Unavailable()
    return share


def local_reach(case) -> float:
    """Local services' annual active consumers as a fraction of the China marketplaces'."""
    share = reach(case)["local_share"]
    if share is None:
        raise Unavailable()
    return share


def revenue_per_consumer(case) -> float:
    """Core commerce revenue in FY2021 (US$) per annual active consumer on the China marketplaces."""
    core = segments(case)["core_revenue"]
    buyers = reach(case)["buyers"]
    if core is None or buyers is None:
        raise Unavailable()
    return core / buyers["value"]
