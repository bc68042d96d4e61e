"""The business-model chapter's facts: the frames behind its exhibits, the values its paragraphs need,
and the expected answers of its exercises.

Every function reads the data through ``case``, so the run's years, ``focus`` and minimum reliability
apply. Story functions (named like the blocks of ``story.md.j2``) return plain data; the words are in
the template. Figures are picked by entity, metric, exact scope, id or ``tags`` (see ``data/tags.csv``),
never by the wording of a scope or a note.
"""
from __future__ import annotations

import math

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

# The marketplaces, programmes and services whose events make up the business-model timeline.
PLATFORMS = [
    "taobao", "tmall", "alibaba_com", "b2b_1688", "industrial_clusters", "cainiao", "rural_taobao",
    "taobao_villages", "taobao_university", "alibaba_open_platform", "singles_day", "aliexpress",
    "alimama", "qianniu", "juhuasuan", "china_taobao", "alibaba_sellers",
]
MODEL_THEMES = ["business_model", "logistics"]
# The scale exhibit: its marketplaces, the legend's two sides, and what each count is called on the chart
# and in the paragraphs (a label per metric, like a column heading).
SCALE_ENTITIES = ["taobao", "tmall", "alibaba_com", "b2b_1688", "aliexpress", "singles_day", "alibaba_group"]
SCALE_METRICS = {"merchants": "sellers (storefronts)", "registered_users": "buyers and users",
                 "active_buyers": "buyers and users", "users": "buyers and users"}
MEASURE_WORDS = {"merchants": "sellers", "registered_users": "registered users", "active_buyers": "annual active buyers",
                 "users": "users", "countries": "countries and regions served", "monthly_active_users": "monthly active users"}
B2B_METRICS = ["merchants", "registered_users", "countries"]
B2B_SCOPES = ["daily visitors", "daily online (unclear)"]
# Figures that one source gives twice, differently (undated or same-year pairs).
DISPUTED_PAIRS = ["M0697", "M0698", "M0699", "M0389", "M0353", "M0394", "M0373", "M0538"]
SERVICE_PARTS = ["transaction services", "supporting services", "derivative services"]
# Milestones named when the run's years leave them out.
MILESTONES = ["E0010", "E0034", "E0087", "E0145", "E0197", "E0239"]
TRILLION = 1e12  # an RMB festival total at or above this is a billion figure printed as trillion
THIN_RECORD = 10  # fewer figures than this on the focus business, of any date, is a thin record


# ---- small helpers -------------------------------------------------------------------------------
def _focus_id(case) -> str:
    return case.entity(case.focus)


def _children(entity_id: str) -> list[str]:
    entities = data.load("entities")
    return list(entities.loc[entities["parent"] == entity_id, "entity_id"])


def _any_year(case) -> pd.DataFrame:
    """Every figure from sources the run accepts, whatever its year (to say what the run leaves out)."""
    return data.at_least(data.load("metrics"), case.params.get("min_reliability", "low"))


def _yearly(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose period is one calendar year ('2007'), not a span, a date or a quarter."""
    return rows[rows["period"].str.fullmatch(r"\d{4}").fillna(False).astype(bool)]


def _records(rows: pd.DataFrame) -> list[dict]:
    return rows.to_dict("records")


def _first(rows: pd.DataFrame) -> dict | None:
    return rows.iloc[0].to_dict() if len(rows) else None


def _last(rows: pd.DataFrame) -> dict | None:
    return rows.iloc[-1].to_dict() if len(rows) else None


def _years(rows: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in rows["year"].dropna().unique())


def _taobao_gmv_years_in_any_run(case) -> list[int]:
    """The years of Taobao's yearly GMV figures from the sources the run accepts, whatever the run's years."""
    rows = _any_year(case)
    return _years(_yearly(rows[(rows["entity"] == "taobao") & (rows["metric"] == "gmv") & (rows["scope"] == "Taobao")]))


# ---- recipes: the frames behind the exhibits -----------------------------------------------------
def model_events(case) -> pd.DataFrame:
    """Dated business-model and logistics events, plus anything dated about the marketplaces."""
    frame = case.events()
    return frame[frame["theme"].isin(MODEL_THEMES) | frame["entity"].isin(PLATFORMS)].reset_index(drop=True)


def segments(case) -> pd.DataFrame:
    """Segment shares of group revenue, labelled by segment."""
    rows = case.metrics(metric="revenue_share")
    return rows.assign(segment=rows["scope"].str.replace(" segment", "", regex=False))


def gmv_rows(case) -> pd.DataFrame:
    """Taobao's GMV (annual, multi-year and forecast) beside China's online retail sales, in RMB."""
    taobao = case.metrics("taobao", metric="gmv")
    market = case.metrics("china_ecommerce", metric="gmv")
    market = market[market["scope"].isin(["China online retail", "China online transactions"])]
    rows = pd.concat([taobao, market], ignore_index=True)
    rows = rows[rows["unit"] == "CNY"]
    return rows.sort_values(["year", "metric_id"]).reset_index(drop=True)


def scale(case) -> pd.DataFrame:
    """Headline counts of sellers and of buyers or users, latest dated figure per marketplace and measure."""
    rows = tagged(case.metrics(SCALE_ENTITIES, metric=list(SCALE_METRICS)), "marketplace_scale")
    rows = rows.sort_values(["year", "metric_id"]).drop_duplicates(["entity", "metric", "scope"], keep="last")
    return rows.assign(
        marketplace=[f"{s}: {MEASURE_WORDS[m]} ({y})" for s, m, y in zip(rows["scope"], rows["metric"], rows["year"])],
        side=rows["metric"].map(SCALE_METRICS),
        measure=rows["metric"].map(MEASURE_WORDS),
    ).reset_index(drop=True)


def scale_exhibit(case, rows: pd.DataFrame):
    """Exhibit: the counts in ``rows`` (from :func:`scale`) as dots on a log scale, sellers and buyers apart."""
    import altair as alt

    from ... import charts

    charts.enable()
    frame = rows.assign(shown=rows["value"] / 1e6, disputed=rows["disputed"].map({True: "yes", False: "no"}))
    frame = frame[["marketplace", "side", "shown", "period", "source", "line", "disputed"]].astype(
        {"marketplace": "string", "side": "string", "period": "string", "source": "string"})
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=120, opacity=0.9)
        .encode(
            y=alt.Y("marketplace:N", sort="-x", title=None, axis=alt.Axis(labelLimit=330)),
            x=alt.X("shown:Q", title="million (log scale)", scale=alt.Scale(type="log"), axis=alt.Axis(format=",~g")),
            color=alt.Color("side:N", title="what is counted"),
            tooltip=[alt.Tooltip("marketplace:N", title="figure"), alt.Tooltip("shown:Q", title="million", format=",.4~g"),
                     alt.Tooltip("period:N"), alt.Tooltip("source:N"), alt.Tooltip("line:Q"), alt.Tooltip("disputed:N")],
        )
        .properties(width=charts.WIDTH - 250, height=max(80, 28 * len(frame)))
    )
    subtitle = ("in million, on a log scale (each step is ten times the one before); one dot per figure"
                if len(frame) else "no dated count of sellers or buyers in the chosen years")
    return case.exhibit(chart, "Sellers and buyers on Alibaba's marketplaces, as the sources count them", rows, subtitle)


def focus_events(case) -> pd.DataFrame:
    """Dated events about the focus business and the programmes inside it."""
    focus = _focus_id(case)
    return case.events(entities=[focus, *_children(focus)])


def focus_timeline(case, events: pd.DataFrame):
    """Exhibit: the focus business's dated events, with a note when there are none to show."""
    from ... import charts

    charts.enable()
    start, end = case.years
    name = case.entity_name(case.focus)
    note = "" if len(events) else (f"No dated event about {name} passes this run's filters: the empty panel is "
                                   "the finding, not a fault.")
    subtitle = f"{len(events)} dated statements, {start}-{end}; hover a mark for its source and line"
    return case.exhibit(charts.timeline(events), f"{name} in dated events", events, subtitle, note)


def focus_rows(case) -> pd.DataFrame:
    """The focus business's own figures: dated ones in the run's years, and undated ones."""
    return case.metrics(_focus_id(case), dated=False)


def focus_table(case):
    """Exhibit: one line per measure the sources give for the focus business."""
    rows = focus_rows(case)
    labels = data.load("metric_definitions").set_index("metric")["label"]
    lines = []
    for metric, group in rows.groupby("metric", sort=True):
        top = group.loc[group["value"].idxmax()]
        periods = sorted(group["period"].unique(), key=lambda p: (p == "undated", p))
        lines.append({
            "Measure": str(labels.get(metric, metric)),
            "Figures": len(group),
            "Periods": ", ".join(periods[:4]) + (", ..." if len(periods) > 4 else ""),
            "Largest figure": f"{prose.figure(top.value, top.unit)} ({top.scope}, {top.period})",
            "Where": f"{prose.source(top.source, article=False)}, line {top.line}",
            "Disputed": int(group["disputed"].sum()),
        })
    table = pd.DataFrame(lines, columns=["Measure", "Figures", "Periods", "Largest figure", "Where", "Disputed"])
    name = case.entity_name(case.focus)
    note = "" if len(rows) else f"The sources this run accepts give no figure for {name} in these years."
    return case.exhibit(table, f"What the sources measure about {name}", rows, note=note)


def festival(case) -> pd.DataFrame:
    """Singles' Day sales in RMB, every printing of them."""
    rows = case.metrics("singles_day", metric="gmv")
    rows = rows[rows["unit"] == "CNY"].reset_index(drop=True)
    return rows.assign(printed=[prose.figure(v, u) for v, u in zip(rows["value"], rows["unit"])],
                       day=[prose.when(p) for p in rows["period"]])


def disputed_pairs(case) -> pd.DataFrame:
    """Figures the Lowrey volume prints twice, differently (Tmall sellers, the services sector, village stations)."""
    rows = case.metrics(dated=False)
    rows = rows[rows["metric_id"].isin(DISPUTED_PAIRS)]
    labels = data.load("metric_definitions").set_index("metric")["label"]
    return rows.assign(
        business=rows["entity"].map(prose.entity_name),
        measure=[f"{labels.get(m, m)}: {s}" for m, s in zip(rows["metric"], rows["scope"])],
        shown=[prose.figure(v, u) for v, u in zip(rows["value"], rows["unit"])],
    ).sort_values(["entity", "metric", "line"]).reset_index(drop=True)


# ---- the facts behind each paragraph (one function per block of story.md.j2) ---------------------
def run_scope(case) -> dict:
    """What this run covers, and which milestones its years leave out."""
    start, end = case.years
    every = data.at_least(data.load("events"), case.params.get("min_reliability", "low"))
    milestones = every[every["event_id"].isin(MILESTONES)].sort_values("event_id")
    missed = milestones[~milestones["date_start"].dt.year.between(start, end)]
    return {
        "focus_name": case.entity_name(case.focus),
        "events": len(model_events(case)),
        "figures": len(case.metrics(PLATFORMS + ["alibaba_group", "china_ecommerce"])),
        "missed": _records(missed),
    }


def take_rate(case) -> dict:
    """Group revenue over marketplace GMV, whole and for the Core Commerce segment alone."""
    revenue = _last(case.metrics("alibaba_group", metric="revenue", scope="group"))
    gmv = _last(case.metrics("alibaba_group", metric="gmv", scope="China retail marketplaces"))
    shares = segments(case)
    core = _last(shares[shares["segment"] == "Core Commerce"])
    ratio = revenue["value"] / gmv["value"] if revenue and gmv else None
    return {"revenue": revenue, "gmv": gmv, "ratio": ratio, "core_share": core["value"] if core else None}


def segments_story(case) -> dict:
    """The segment split of revenue, its total and its largest segment."""
    rows = segments(case)
    return {
        "rows": rows,
        "top": rows.loc[rows["value"].idxmax()].to_dict() if len(rows) else None,
        "total": float(rows["value"].sum()),
    }


def gmv_story(case) -> dict:
    """Taobao's yearly GMV and its growth, the figures not to plot with it, and its share of the market."""
    taobao = case.metrics("taobao", metric="gmv")
    own = taobao[taobao["scope"] == "Taobao"]
    yearly = _yearly(own)
    first, last = _first(yearly), _last(yearly)
    years = int(last["year"] - first["year"]) if len(yearly) >= 2 else 0
    market = case.metrics("china_ecommerce", metric="gmv", scope="China online retail")
    both = yearly.merge(market, on="year", suffixes=("", "_market")).drop_duplicates("year")
    return {
        "yearly": yearly,
        "yearly_years": [int(y) for y in yearly["year"]],
        "first": first,
        "last": last,
        "years": years,
        "factor": last["value"] / first["value"] if years else None,
        "cagr": (last["value"] / first["value"]) ** (1 / years) - 1 if years else None,
        "years_elsewhere": _taobao_gmv_years_in_any_run(case),
        "spans": _records(own[own["period"].str.contains("-", regex=False)]),
        "forecasts": _records(tagged(taobao, "taobao_gmv_forecast")),
        "shares_of_market": [{**row, "share": row["value"] / row["value_market"]} for row in _records(both)],
        "shaky": _records(case.metrics("china_ecommerce", metric="gmv", scope="China online transactions")),
    }


def scale_story(case) -> dict:
    """The scale exhibit's counts: sellers, and buyers or users, each largest first."""
    rows = scale(case)
    sellers = rows[rows["metric"] == "merchants"].sort_values("value", ascending=False)
    buyers = rows[rows["metric"] != "merchants"].sort_values("value", ascending=False)
    return {"sellers": _records(sellers), "buyers": _records(buyers)}


def b2b_story(case) -> dict:
    """Headline counts for Alibaba.com and 1688.com, by site and date; whether the clusters have any figure."""
    rows = case.metrics(["b2b_1688", "alibaba_com"])
    rows = rows[rows["metric"].isin(B2B_METRICS) | rows["scope"].isin(B2B_SCOPES)]
    rows = rows.assign(measure=[MEASURE_WORDS.get(m, s) for m, s in zip(rows["metric"], rows["scope"])])
    clusters = _any_year(case)
    return {
        "sites": [{"name": prose.entity_name(entity), "period": period, "figures": _records(group),
                   "source": group.iloc[0]["source"], "line": group.iloc[0]["line"]}
                  for (entity, period), group in rows.groupby(["entity", "period"], sort=False)],
        "shaky": _records(rows[rows["disputed"]]),
        "cluster_figures": int((clusters["entity"] == "industrial_clusters").sum()),
    }


def rural_story(case) -> dict:
    """Rural Taobao's money, station targets and stations opened; the showcase village."""
    rows = case.metrics(["rural_taobao", "taobao_villages"])
    targets = tagged(rows, "rural_station_target")
    opened = tagged(rows, "rural_station_opened")
    village_target, village_opened = _last(tagged(targets, "village_stations")), _last(tagged(opened, "village_stations"))
    village = rows[rows["entity"] == "taobao_villages"]
    sales = _last(village[(village["metric"] == "gmv") & (village["unit"] == "CNY")])
    shops = _last(village[village["metric"] == "merchants"])
    return {
        "any": bool(len(rows)),
        "money": _records(rows[(rows["metric"] == "investment") & (rows["unit"] == "CNY")]),
        "targets": _records(targets),
        "opened": _records(opened),
        "village_progress": village_opened["value"] / village_target["value"] if village_target and village_opened else None,
        "bainiu": {"sales": sales, "shops": shops} if sales and shops else None,
        "bainiu_shaky": _records(village[village["disputed"]].head(1)),
    }


def merchants_story(case) -> dict:
    """Taobao's vendors and its big stores, Taobao University's training counts, the school's disputed start."""
    rows = case.metrics(["taobao", "taobao_university"])
    vendors = rows[(rows["metric"] == "merchants") & (rows["scope"] == "Taobao")]
    big = rows[(rows["metric"] == "merchants") & (rows["scope"] == "stores over 100k RMB")]
    trained = rows[rows["metric"] == "students_trained"]
    daily = set(tagged(trained, "per_day")["metric_id"])
    school = case.events(entities=["taobao_university"])
    disputed = school[school["disputed"]]
    return {
        "vendors": _records(vendors),
        "big": _records(big),
        "big_share": big.iloc[-1]["value"] / vendors.iloc[-1]["value"] if len(vendors) and len(big) else None,
        "trained": [{**row, "per_day": row["metric_id"] in daily} for row in _records(trained)],
        "school_dates": sorted(disputed["date"].unique()),
        "school_note": disputed.iloc[0]["note"] if len(disputed) else None,
    }


def cainiao_story(case) -> dict:
    """Cainiao's founding, its Singles' Day figures, the undated delivery-speed claims and its investment."""
    events = case.events(entities=["cainiao"])
    rows = case.metrics("cainiao", dated=False)
    before, after = tagged(rows, "before_cainiao"), tagged(rows, "after_cainiao")
    return {
        "events": len(events),
        "first": _records(events.head(1)),
        "festival": _records(rows[rows["scope"] == "Singles' Day"]),
        "speed": [{"source": b["source"], "before": b, "after": a} for b, a in zip(_records(before), _records(after))],
        "investment": _records(rows[rows["metric"] == "investment"]),
    }


def open_platform_story(case) -> dict:
    """The blog's launch date, the platform's API counts, and the vendor counts that contradict the blog."""
    rows = case.metrics(["alibaba_open_platform", "taobao"])
    vendors = _last(rows[(rows["metric"] == "merchants") & (rows["scope"] == "open platform vendors")])
    growth = _last(rows[(rows["metric"] == "growth_rate") & (rows["scope"] == "open platform vendors")])
    apis = rows[(rows["metric"] == "count") & rows["scope"].isin(["API interfaces", "daily API calls"])]
    vendors_before = round(vendors["value"] / growth["value"], -3) if vendors and growth else None
    return {
        "launch": _records(case.events(entities=["alibaba_open_platform"]).head(1)),
        "apis": _records(apis),
        "vendors": vendors if vendors_before is not None else None,
        "growth": growth["value"] if vendors_before is not None else None,
        "vendors_before": vendors_before,
    }


def focus_story(case) -> dict:
    """The focus business: its dated events, its figures in these years, and how much the sources hold on it."""
    focus = _focus_id(case)
    events = focus_events(case)
    rows = focus_rows(case)
    dated = rows[rows["period"] != "undated"]
    counts = dated[dated["unit"] == "count"]
    any_year = int((_any_year(case)["entity"] == focus).sum())
    return {
        "focus": focus,
        "name": case.entity_name(case.focus),
        "description": str(data.load("entities").set_index("entity_id").loc[focus, "description"]),
        "events": len(events),
        "first_event": _first(events),
        "last_event": _last(events),
        "events_disputed": int(events["disputed"].sum()),
        "dated": len(dated),
        "undated": len(rows) - len(dated),
        "measures": dated["metric"].nunique(),
        "largest": counts.loc[counts["value"].idxmax()].to_dict() if len(counts) else None,
        "any_year": any_year,
        "thin": any_year < THIN_RECORD,
    }


def focus_sources(case) -> dict:
    """Where the focus business's statements come from, and why some are disputed."""
    rows = pd.concat([focus_rows(case)[["source", "disputed", "note"]], focus_events(case)[["source", "disputed", "note"]]])
    grades = data.sources().set_index("source_id")["reliability"]
    notes = rows[rows["disputed"] & rows["note"].notna()]["note"].drop_duplicates().head(3)
    return {
        "name": case.entity_name(case.focus),
        "sources": [{"source": s, "reliability": grades[s], "count": int(n)} for s, n in rows["source"].value_counts().items()],
        "disputed": int(rows["disputed"].sum()),
        "notes": list(notes),
    }


def festival_story(case) -> dict:
    """Singles' Day sales as printed: the trillion slips, the sound figures, and the factor between them."""
    rows = festival(case)
    slips, sound = rows[rows["value"] >= TRILLION], rows[rows["value"] < TRILLION]
    pair = slips.merge(sound, on="year", suffixes=("", "_sound"))
    factor = 10 ** round(math.log10(pair.iloc[0]["value"] / pair.iloc[0]["value_sound"])) if len(pair) else None
    return {
        "slips": _records(slips),
        "sound": _records(sound),
        "slip_year": int(pair.iloc[0]["year"]) if len(pair) else None,
        "factor": factor,
    }


def disagreements(case) -> dict:
    """The classic self-contradictions: Tmall's merchant counts, the 2012 services sector, the station target."""
    rows = disputed_pairs(case)
    tmall = rows[(rows["entity"] == "tmall") & (rows["metric"] == "merchants")]
    high, low = (tmall["value"].max(), tmall["value"].min()) if len(tmall) >= 2 else (None, None)
    services = rows[(rows["entity"] == "china_ecommerce") & (rows["metric"] == "revenue") & (rows["unit"] == "CNY")]
    growth = rows[(rows["entity"] == "china_ecommerce") & (rows["metric"] == "revenue_growth")]
    revenue = case.metrics("china_ecommerce", metric="revenue")
    in_usd = revenue[revenue["unit"] == "USD"]
    parts = in_usd[in_usd["scope"].isin(SERVICE_PARTS)]
    total = in_usd[in_usd["scope"] == "China e-commerce services"]
    return {
        "tmall": {"high": high, "low": low, "gap": high / low - 1,
                  "high_lines": list(tmall.loc[tmall["value"] == high, "line"]),
                  "low_lines": list(tmall.loc[tmall["value"] == low, "line"])} if high is not None else None,
        "services": _records(services) if len(services) >= 2 else [],
        "services_growth": _records(growth),
        "parts_sum": float(parts["value"].sum()) if len(services) >= 2 and len(parts) == 3 and len(total) else None,
        "parts_total": _first(total),
        "stations": _records(rows[rows["metric"] == "stations"]),
    }


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def taobao_gmv_cagr(case) -> float:
    yearly = _yearly(case.metrics("taobao", metric="gmv", scope="Taobao")).drop_duplicates("year")
    if len(yearly) < 2:
        raise Unavailable(years=_taobao_gmv_years_in_any_run(case))
    first, last = yearly.iloc[0], yearly.iloc[-1]
    return float((last["value"] / first["value"]) ** (1 / int(last["year"] - first["year"])) - 1)


def cloud_revenue_share(case) -> float:
    cloud = case.metrics("alibaba_cloud", metric="revenue")
    group = case.metrics("alibaba_group", metric="revenue", scope="group")
    if cloud.empty or group.empty:
        raise Unavailable()
    return float(cloud.iloc[-1]["value"] / group.iloc[-1]["value"])


def tmall_merchant_gap(case) -> float:
    tmall = case.metrics("tmall", metric="merchants", scope="Tmall", dated=False)
    if tmall["value"].nunique() < 2:
        raise Unavailable()
    return float(tmall["value"].max() / tmall["value"].min() - 1)


def focus_biggest_count(case) -> float:
    rows = case.metrics(case.focus)
    counts = rows[rows["unit"] == "count"]
    if counts.empty:
        raise Unavailable(name=case.entity_name(case.focus))
    return float(counts["value"].max())
