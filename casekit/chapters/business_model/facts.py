"""The business-model chapter's facts: the frames behind its exhibits, the values its paragraphs need,
and the expected answers of its exercises.

Every function reads the data through ``case``, so the run's years, ``focus`` and minimum reliability
apply. Story functions (named like the blocks of ``story.md.j2``) return plain data; the words are in
the template. Figures are picked by entity, metric, exact scope, id or ``tags`` (see ``data/tags.csv``),
never by the wording of a scope or a note. A story's ``cited`` frame holds every row its paragraph
rests on, for one end note per paragraph.
"""
from __future__ import annotations

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

# The scale exhibit: its marketplaces, the legend's two sides, and what each count is called on the chart
# and in the paragraphs (a label per metric, like a column heading).
SCALE_ENTITIES = ["taobao", "tmall", "alibaba_com", "b2b_1688", "aliexpress", "singles_day", "alibaba_group"]
SCALE_METRICS = {"merchants": "sellers (storefronts)", "registered_users": "buyers and users",
                 "active_buyers": "buyers and users", "users": "buyers and users"}
MEASURE_WORDS = {"merchants": "sellers", "registered_users": "registered users", "active_buyers": "annual active buyers",
                 "users": "users", "countries": "countries and regions served", "monthly_active_users": "monthly active users"}
B2B_METRICS = ["merchants", "registered_users", "countries"]
B2B_SCOPES = ["daily visitors"]
JOB_ENTITIES = ["china_ecommerce", "alibaba_group"]  # the nation's e-commerce jobs, and those on Alibaba's platforms
JOB_SCOPES = ["direct", "indirect"]
# Milestones named when the run's years leave them out: Taobao, the mall's independence, Cainiao, the rural plan.
MILESTONES = ["E0048", "E0145", "E0199", "E0239"]
TRILLION = 1e12  # an RMB festival total at or above this is a billion figure printed as trillion
THIN_RECORD = 10  # fewer figures than this on the focus business, of any date, is a thin record
# The year an undated figure most likely describes, by source (the writers' briefs in curation/topics/): the
# Lowrey volume's chapters were written in 2013-14, the knowledge base's figures are fiscal 2021's, the news
# piece speaks of 2025. A paragraph uses an undated figure only when the run's years include that year.
VINTAGE = {"alibaba_way": 2013, "kb": 2021, "biography": 2020, "news2025": 2025, "blog": 2018}
# The disputes the "How sure are we?" box names: the GMV behind the take rate, the Tmall merchant count
# beside Taobao's vendors, and the logistics investment that contradicts the partner model.
DECISIVE_DISPUTES = ["M0130", "M0699", "M0340"]  # M0699, the lower Tmall count, stands for its pair


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


def _metrics(case, entity=None, metric=None, scope: str | None = None) -> pd.DataFrame:
    """The run's figures, with the undated ones whose source's vintage (VINTAGE) falls in the run's years."""
    rows = case.metrics(entity, metric=metric, scope=scope, dated=False)
    start, end = case.years
    undated = rows["year"].isna()
    of_run = rows["source"].astype(str).map(VINTAGE).between(start, end)
    return rows[~undated | of_run].reset_index(drop=True)


def _one(case, entity: str, metric: str, scope: str, dated: bool = True) -> pd.DataFrame:
    """The run's figures for one entity, metric and exact scope (undated ones of the run's era with ``dated=False``)."""
    return case.metrics(entity, metric=metric, scope=scope) if dated else _metrics(case, entity, metric, scope)


def _latest(rows: pd.DataFrame) -> dict | None:
    """The latest dated row, or else the first undated one (read as of its source's vintage)."""
    dated = rows[rows["year"].notna()]
    return _last(dated) if len(dated) else _first(rows)


def _cited(*parts) -> pd.DataFrame:
    """The rows behind a paragraph, each once, from frames and from single rows (dicts); None is skipped."""
    frames = [p if isinstance(p, pd.DataFrame) else pd.DataFrame([p]) for p in parts if p is not None and len(p)]
    if not frames:
        return pd.DataFrame(columns=["source", "line"])
    rows = pd.concat([f[["source", "line"]] for f in frames], ignore_index=True)
    return rows.drop_duplicates().reset_index(drop=True)


def _event(rows: pd.DataFrame, event_id: str) -> dict | None:
    """One event of ``rows`` by id, or None when the run leaves it out."""
    return _first(rows[rows["event_id"] == event_id])


def _taobao_gmv_years_in_any_run(case) -> list[int]:
    """The years of Taobao's yearly GMV figures from the sources the run accepts, whatever the run's years."""
    rows = _any_year(case)
    return _years(_yearly(rows[(rows["entity"] == "taobao") & (rows["metric"] == "gmv") & (rows["scope"] == "Taobao")]))


def _years(rows: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in rows["year"].dropna().unique())


# ---- recipes: the frames behind the exhibits -----------------------------------------------------
def turning_points(case) -> pd.DataFrame:
    """The dated turning points in how Alibaba's businesses charge and earn, readable as a table."""
    rows = tagged(case.events(), "revenue_model")
    return rows.assign(day=[prose.when(d) for d in rows["date"]],
                       business=rows["entity"].map(prose.entity_name)).reset_index(drop=True)


def segments(case) -> pd.DataFrame:
    """Segment shares of group revenue, labelled by segment (the cloud's share is filed under the cloud)."""
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
    return case.exhibit(chart, "Sellers and buyers on Alibaba's marketplaces", rows, subtitle)


def festival_figures(case) -> pd.DataFrame:
    """The headline figures of each Singles' Day, readable as a table (printings with a unit slip left out)."""
    rows = tagged(case.metrics(["singles_day", "cainiao", "alipay"]), "festival_scale")
    labels = data.load("metric_definitions").set_index("metric")["label"]
    measure = [str(labels[m]) if s == "Singles' Day" else f"{labels[m]}, {s}" for m, s in zip(rows["metric"], rows["scope"])]
    return rows.assign(day=[prose.when(p) for p in rows["period"]], measure=measure,
                       business=rows["entity"].map(prose.entity_name),
                       shown=[prose.figure(v, u) for v, u in zip(rows["value"], rows["unit"])]).reset_index(drop=True)


def job_rows(case) -> pd.DataFrame:
    """Direct and indirect e-commerce jobs, nationwide and on Alibaba's platforms, one line per series."""
    rows = case.metrics(JOB_ENTITIES, metric="jobs_created")
    rows = rows[rows["scope"].isin(JOB_SCOPES)].drop_duplicates(["entity", "scope", "period"])
    return rows.assign(series=[f"{prose.entity_name(e)}, {s}" for e, s in zip(rows["entity"], rows["scope"])]).reset_index(drop=True)


def rural_rows(case) -> pd.DataFrame:
    """Rural Taobao's county centres and village stations: the 2014 targets and the counts open a year on."""
    rows = case.metrics("rural_taobao", metric="stations")
    target, opened = tagged(rows, "rural_station_target"), tagged(rows, "rural_station_opened")
    rows = pd.concat([target.assign(stage="target"), opened.assign(stage="open")])
    village = rows["tags"].fillna("").str.contains("village_stations")
    return rows.assign(station=[f"{'village stations' if v else 'county centres'}: {s} ({prose.when(p)})"
                                for v, s, p in zip(village, rows["stage"], rows["period"])]).reset_index(drop=True)


def rule_events(case) -> pd.DataFrame:
    """Platform rules, the sellers' protests against them, and the state's laws and rulings on platforms."""
    rows = tagged(case.events(), "rule_making")
    return rows.assign(maker=rows["entity"].map(prose.entity_name)).reset_index(drop=True)


def rules_exhibit(case, rows: pd.DataFrame):
    """Exhibit: the rule-making events on a time axis, one lane per rule maker."""
    from ... import charts

    charts.enable()
    chart = charts.timeline(rows.assign(theme=rows["maker"]) if len(rows) else rows)
    start, end = case.years
    subtitle = f"{start}-{end}, one lane per rule maker; hover a mark for the event" if len(rows) else "nothing in the chosen years"
    return case.exhibit(chart, "Who wrote the rules for China's online sellers", rows, subtitle)


def focus_events(case) -> pd.DataFrame:
    """Dated events about the focus business and the programmes inside it."""
    focus = _focus_id(case)
    return case.events(entities=[focus, *_children(focus)])


def focus_timeline(case, events: pd.DataFrame):
    """Exhibit: the focus business's dated events."""
    from ... import charts

    charts.enable()
    start, end = case.years
    name = case.entity_name(case.focus)
    subtitle = f"{start}-{end}; hover a mark for the event" if len(events) else f"no dated event in {start}-{end}"
    return case.exhibit(charts.timeline(events), f"{name}, year by year", events, subtitle)


def focus_rows(case) -> pd.DataFrame:
    """The focus business's own figures: dated ones in the run's years, and undated ones."""
    return case.metrics(_focus_id(case), dated=False)


def focus_table(case):
    """Exhibit: one line per measure the record holds for the focus business, with its largest figure.

    Catch-all measures (other counts, shares, amounts) mix unrelated figures, so they are grouped by scope,
    and shown only when the business has no named measure."""
    rows = focus_rows(case)
    labels = data.load("metric_definitions").set_index("metric")["label"]
    catch_all = rows["metric"].isin(data.CATCH_ALL_METRICS)
    shown = rows[~catch_all] if (~catch_all).any() else rows.assign(metric=rows["scope"])
    units = shown.groupby("metric")["unit"].transform("nunique")
    lines = []
    for (metric, unit), group in shown.groupby(["metric", "unit"], sort=True):
        top = group.loc[group["value"].idxmax()]
        periods = sorted(group["period"].unique(), key=lambda p: (p == "undated", p))
        lines.append({
            "Measure": str(labels.get(metric, metric)) + (f" ({unit})" if units[group.index].max() > 1 else ""),
            "Figures": len(group),
            "Periods": ", ".join(periods[:4]) + (", ..." if len(periods) > 4 else ""),
            "Largest figure": f"{prose.figure(top.value, top.unit)} ({top.scope}, {prose.when(top.period)})",
        })
    table = pd.DataFrame(lines, columns=["Measure", "Figures", "Periods", "Largest figure"])
    name = case.entity_name(case.focus)
    note = "" if len(rows) else f"Nothing on {name} passes this run's filters."
    return case.exhibit(table, f"{name} in figures", shown, note=note)


# ---- the facts behind each paragraph (one function per block of story.md.j2) ---------------------
def run_scope(case) -> dict:
    """What this run covers, and which milestones its years leave out."""
    start, end = case.years
    every = data.at_least(data.load("events"), case.params.get("min_reliability", "low"))
    milestones = every[every["event_id"].isin(MILESTONES)].sort_values("date_start")
    missed = milestones[~milestones["date_start"].dt.year.between(start, end)]
    return {"focus_name": case.entity_name(case.focus), "missed": _records(missed)}


def decision(case) -> dict:
    """Taobao's sellers in 2012-13: how many, how few of them sizeable, how new, what promotion costs them."""
    vendors = _latest(_one(case, "taobao", "merchants", "Taobao", dated=False))
    big = _last(_one(case, "taobao", "merchants", "stores over 100k RMB"))
    big_target = _last(_one(case, "taobao", "merchants", "stores over 100k RMB (forecast)")) if big else None
    young = _last(_one(case, "taobao", "share_other", "vendors under 3 years"))
    newest = _last(_one(case, "taobao", "share_other", "vendors under 1 year"))
    income = _last(_one(case, "alibaba_sellers", "amount_other", "case: Manager Lu, clothing seller"))
    promo = _metrics(case, "alibaba_sellers", metric="share_other")
    promo = promo[promo["scope"].str.startswith("promotion fees")] if income else promo.iloc[0:0]
    return {
        "vendors": vendors,
        "vendors_era": VINTAGE[vendors["source"]] if vendors and vendors["period"] == "undated" else None,
        "big": big,
        "big_share": big["value"] / vendors["value"] if big and vendors else None,
        "big_target": big_target,
        "young": young,
        "newest": newest,
        "income": income,
        "promo_low": float(promo["value"].min()) if len(promo) else None,
        "promo_high": float(promo["value"].max()) if len(promo) else None,
        "cited": _cited(vendors, big, big_target, young, newest, income, promo),
    }


def turning_points_story(case) -> dict:
    """The first and last turning point in the run, and the businesses they touch."""
    rows = turning_points(case)
    return {"first": _first(rows), "last": _last(rows) if len(rows) > 1 else None,
            "businesses": list(dict.fromkeys(rows["business"]))}


def take_rate(case) -> dict:
    """Group revenue over marketplace GMV, whole and for the Core Commerce segment alone (the case's arithmetic)."""
    revenue = _last(case.metrics("alibaba_group", metric="revenue", scope="group"))
    gmv = _last(case.metrics("alibaba_group", metric="gmv", scope="China retail marketplaces"))
    core = _last(case.metrics("alibaba_group", metric="revenue_share", scope="Core Commerce segment"))
    ratio = revenue["value"] / gmv["value"] if revenue and gmv else None
    return {
        "revenue": revenue,
        "gmv": gmv,
        "ratio": ratio,
        "core_share": core["value"] if core and ratio else None,
        "cited": _cited(revenue, gmv, core),
    }


def segments_story(case) -> dict:
    """The segment split of revenue, its largest segment and the cloud's share beside it."""
    rows = segments(case)
    cloud = rows[rows["entity"] == "alibaba_cloud"]
    return {
        "rows": rows,
        "top": rows.loc[rows["value"].idxmax()].to_dict() if len(rows) else None,
        "cloud": _first(cloud),
    }


def gmv_story(case) -> dict:
    """Taobao's yearly GMV and its growth, its early cumulative total, and its share of the market."""
    taobao = case.metrics("taobao", metric="gmv")
    own = taobao[taobao["scope"] == "Taobao"]
    yearly = _yearly(own)
    first, last = _first(yearly), _last(yearly)
    years = int(last["year"] - first["year"]) if len(yearly) >= 2 else 0
    market = case.metrics("china_ecommerce", metric="gmv", scope="China online retail")
    both = yearly.merge(market, on="year", suffixes=("", "_market")).drop_duplicates("year")
    share_2006 = _last(case.metrics("taobao", metric="market_share", scope="China online retail"))
    sound = market[~market["disputed"]]
    late = _first(sound[sound["year"] == sound["year"].max()])
    shares = case.metrics("china_ecommerce", metric="share_other", scope="online share of retail")
    online_share = _first(shares[(shares["line"] == late["line"]) & (shares["year"] == late["year"])]) if late else None
    return {
        "yearly_years": [int(y) for y in yearly["year"]],
        "first": first,
        "last": last,
        "years": years,
        "factor": last["value"] / first["value"] if years else None,
        "years_elsewhere": _taobao_gmv_years_in_any_run(case),
        "spans": _records(own[own["period"].str.contains("-", regex=False)]),
        "forecasts": _records(tagged(taobao, "taobao_gmv_forecast")),
        "shares_of_market": [{**row, "share": row["value"] / row["value_market"]} for row in _records(both)],
        "stated_share": share_2006,
        "late_market": late if late and (not len(yearly) or late["year"] > yearly["year"].max()) else None,
        "online_share": online_share,
        "cited": _cited(own, tagged(taobao, "taobao_gmv_forecast"),
                        both[["source_market", "line_market"]].set_axis(["source", "line"], axis=1), share_2006, late, online_share),
    }


def tmall_story(case) -> dict:
    """Tmall against Taobao: the mall's path to independence, its merchants, shares and jobs beside Taobao's."""
    steps = case.events(entities=["tmall"])
    steps = steps[steps["event_id"].isin(["E0087", "E0117", "E0145", "E0170"])]
    first_try, second_try, independent, renamed = (_event(steps, e) for e in ["E0087", "E0117", "E0145", "E0170"])
    merchants = _metrics(case, "tmall", metric="merchants", scope="Tmall")
    vendors = _metrics(case, "taobao", metric="merchants", scope="Taobao") if len(merchants) else merchants
    b2c = _last(_one(case, "tmall", "market_share", "China online B2C retail"))
    jd = _last(_one(case, "jd_com", "market_share", "China online B2C retail"))
    c2c = _last(_one(case, "taobao", "market_share", "China online C2C retail"))
    course = _last(_one(case, "tmall", "duration", "new-merchant training", dated=False))
    jobs_tmall = _last(_one(case, "tmall", "jobs_created", "direct"))
    on_taobao = _one(case, "taobao", "jobs_created", "direct")
    jobs_taobao = _last(on_taobao[on_taobao["year"] == jobs_tmall["year"]]) if jobs_tmall else None
    return {
        "first_try": first_try,
        "second_try": second_try,
        "independent": independent,
        "renamed": renamed,
        "mall_merchants": float(merchants["value"].max()) if len(merchants) else None,
        "vendors_low": float(vendors["value"].min()) if len(vendors) else None,
        "vendors_high": float(vendors["value"].max()) if len(vendors) else None,
        "b2c": b2c,
        "jd": jd,
        "c2c": c2c,
        "course": course,
        "jobs_tmall": jobs_tmall,
        "jobs_taobao": jobs_taobao,
        "cited": _cited(steps, merchants, vendors, b2c, jd, c2c, course, jobs_tmall, jobs_taobao),
    }


def scale_story(case) -> dict:
    """The scale exhibit's counts: the largest seller and buyer counts, and how far apart the sites are."""
    rows = scale(case)
    sellers = rows[rows["metric"] == "merchants"].sort_values("value", ascending=False)
    buyers = rows[rows["metric"] != "merchants"].sort_values("value", ascending=False)
    return {"sellers": _records(sellers), "buyers": _records(buyers)}


def festival_story(case) -> dict:
    """Singles' Day: sales and their growth, sales per order and per shopper, and the day against a year's market."""
    sales = case.metrics("singles_day", metric="gmv")
    sales = tagged(sales[sales["unit"] == "CNY"], "festival_scale")
    first, last = _first(sales), _last(sales)
    orders = case.metrics("singles_day", metric="orders")
    shoppers = _last(case.metrics("singles_day", metric="users"))
    per_order = [{"year": int(s["year"]), "value": s["value"] / o["value"]}
                 for s, o in zip(_records(sales), _records(orders)) if s["year"] == o["year"]]
    year_market = _records(case.metrics("china_ecommerce", metric="gmv", scope="China online retail"))
    market = next((m for m in reversed(year_market) if last and m["year"] == last["year"] and not m["disputed"]), None)
    usd = _last(case.metrics("singles_day", metric="gmv").query("unit == 'USD'"))
    us_day = _last(case.metrics("us_economy", metric="amount_other", scope="US online shopping day"))
    made_to_order = _first(case.events(entities=["singles_day"]).query("event_id == 'E0176'"))
    wealth = _last(_one(case, "singles_day", "amount_other", "wealth products sold"))
    merchants = _last(case.metrics("singles_day", metric="merchants"))
    return {
        "first": first,
        "last": last,
        "growth": last["value"] / first["value"] - 1 if first and last and last["year"] > first["year"] else None,
        "per_order": per_order,
        "shoppers": shoppers,
        "per_shopper": first["value"] / shoppers["value"] if first and shoppers and first["year"] == shoppers["year"] else None,
        "market": market,
        "usd": usd,
        "us_day": us_day if usd else None,
        "made_to_order": made_to_order,
        "wealth": wealth,
        "merchants": merchants,
        "cited": _cited(sales, orders, shoppers, market, usd, us_day, made_to_order, wealth, merchants),
    }


def cainiao_story(case) -> dict:
    """Cainiao: its founding, the cold-chain pilot, the festival's logistics orders and its next-day cities."""
    founded = _first(case.events(entities=["cainiao"]).query("event_id in ['E0197', 'E0199']"))
    orders = _last(case.metrics("cainiao", metric="orders", scope="Singles' Day"))
    cold = _first(case.events(entities=["tmall"]).query("event_id == 'E0210'"))
    cities = _last(_one(case, "tmall", "count", "cold-chain cities (plan)"))
    next_day = _last(_one(case, "cainiao", "count", "next-day delivery cities", dated=False))
    return {
        "founded": founded,
        "orders": orders,
        "cold": cold,
        "cities": cities,
        "next_day": next_day,
        "cited": _cited(founded, orders, cold, cities, next_day),
    }


def jobs_story(case) -> dict:
    """E-commerce jobs: the national series and its growth, Alibaba's own count, per-store and US benchmarks."""
    rows = job_rows(case)
    nation = rows[rows["entity"] == "china_ecommerce"]
    direct, indirect = nation[nation["scope"] == "direct"], nation[nation["scope"] == "indirect"]
    both = direct.merge(indirect, on="year", suffixes=("", "_indirect"))
    own = rows[rows["entity"] == "alibaba_group"]
    totals = _one(case, "alibaba_group", "jobs_created", "direct and indirect")
    own_year = int(own["year"].max()) if len(own) else 0
    own_total = _last(totals[totals["year"] == own_year])
    later_total = _last(totals[totals["year"] > own_year])
    startups = _last(_one(case, "china_ecommerce", "count", "internet start-up staff"))
    taobao_direct = _one(case, "taobao", "jobs_created", "direct")
    taobao = _last(taobao_direct[taobao_direct["year"] == startups["year"]]) if startups else None
    per_store = _last(_one(case, "taobao", "count", "self-employed per store", dated=False))
    us_alone = _last(_one(case, "us_economy", "jobs_created", "per new nonemployer firm", dated=False)) if per_store else None
    us_employer = _last(_one(case, "us_economy", "jobs_created", "per new employer firm", dated=False)) if per_store else None
    aim = _last(_one(case, "alibaba_group", "jobs_created", "jobs to enable (aim)", dated=False)) if own_total else None
    rural = _last(_one(case, "alibaba_sellers", "share_other", "rural-registered workers", dated=False))
    return {
        "direct_first": _first(direct),
        "direct_last": _last(direct),
        "indirect_last": _last(indirect),
        "multiplier": both.iloc[-1]["value_indirect"] / both.iloc[-1]["value"] if len(both) else None,
        "multiplier_year": int(both.iloc[-1]["year"]) if len(both) else None,
        "own_direct": _last(own[own["scope"] == "direct"]),
        "own_indirect": _last(own[own["scope"] == "indirect"]),
        "own_total": own_total,
        "later_total": later_total,
        "taobao": taobao,
        "startups": startups if taobao else None,
        "per_store": per_store,
        "us_alone": us_alone,
        "us_employer": us_employer,
        "aim": aim,
        "rural": rural,
        "cited": _cited(rows, own_total, later_total, taobao, startups, per_store, us_alone, us_employer, aim, rural),
    }


def clusters_story(case) -> dict:
    """1688.com and Alibaba.com in headline counts, and where the county sellers were."""
    rows = case.metrics(["b2b_1688", "alibaba_com"])
    rows = rows[rows["metric"].isin(B2B_METRICS) | rows["scope"].isin(B2B_SCOPES)]
    rows = rows.assign(measure=[MEASURE_WORDS.get(m, s) for m, s in zip(rows["metric"], rows["scope"])])
    core = _last(_one(case, "china_ecommerce", "share_other", "county vendors, Jiangsu-Zhejiang"))
    other = _last(_one(case, "china_ecommerce", "share_other", "county vendors, other regions"))
    return {
        "sites": [{"name": prose.entity_name(entity), "period": period, "figures": _records(group)}
                  for (entity, period), group in rows.groupby(["entity", "period"], sort=False)],
        "core": core,
        "other": other,
        "cited": _cited(rows, core, other),
    }


def rural_story(case) -> dict:
    """Rural Taobao's money and the progress against its targets; the showcase village in sales per shop."""
    rows = rural_rows(case)
    money = _last(case.metrics("rural_taobao", metric="investment").query("unit == 'CNY'"))
    progress = []
    for village in (False, True):
        part = rows[rows["tags"].fillna("").str.contains("village_stations") == village]
        target, opened = part[part["stage"] == "target"], part[part["stage"] == "open"]
        if len(target) and len(opened):
            progress.append({"target": _last(target), "opened": _last(opened),
                             "share": opened.iloc[-1]["value"] / target.iloc[-1]["value"]})
    bainiu = case.metrics("taobao_villages")
    sales = _last(bainiu[(bainiu["metric"] == "gmv") & (bainiu["unit"] == "CNY")])
    shops = _last(bainiu[bainiu["metric"] == "merchants"])
    people = _last(bainiu[(bainiu["metric"] == "count") & (bainiu["scope"] == "Bainiu Village")])
    return {
        "money": money,
        "progress": progress,
        "announced_higher": bool(rows["disputed"].any()),
        "sales": sales,
        "shops": shops if sales else None,
        "people": people if sales else None,
        "cited": _cited(rows, money, sales, shops, people),
    }


def rules_story(case) -> dict:
    """Rules in numbers: the protests and their dates, fraud checks, listings screened, the laws, the fine against revenue."""
    rows = rule_events(case)
    fraud = _last(_one(case, "taobao", "growth_rate", "vendor fraud"))
    banned = _last(_one(case, "taobao", "count", "banned items found", dated=False))
    listed = _last(_one(case, "taobao", "count", "products listed", dated=False)) if banned else None
    fine = _last(case.metrics("alibaba_group", metric="fine"))
    revenue = _last(case.metrics("alibaba_group", metric="revenue", scope="group"))
    named = {"first_rules": "E0085", "search_protest": "E0142", "mall_terms": "E0159", "counterfeit_protest": "E0220",
             "demands": "E0221", "law": "E0292", "guidelines": "E0332", "remedy": "E0341", "price_war": "E0343"}
    return {
        **{key: _event(rows, event_id) for key, event_id in named.items()},
        "fraud": fraud,
        "banned": banned,
        "listed": listed,
        "fine": fine,
        "fine_share": fine["value"] / revenue["value"] if fine and revenue else None,
        "cited": _cited(rows[rows["event_id"].isin(list(named.values()))], fraud, banned, listed, fine,
                        revenue if fine else None),
    }


def cloud_story(case) -> dict:
    """The cloud: its start, its FY2021 size and growth, its market shares, the 2025 AI figures and plan."""
    start = _first(case.events(entities=["alibaba_cloud"]).query("event_id == 'E0112'"))
    revenue = _last(case.metrics("alibaba_cloud", metric="revenue"))
    growth = _last(case.metrics("alibaba_cloud", metric="revenue_growth"))
    china = _last(_one(case, "alibaba_cloud", "market_share", "China cloud", dated=False).query("not disputed"))
    world = _last(_one(case, "alibaba_cloud", "market_share", "global cloud", dated=False)) if china else None
    china = china if world else None
    ai_share = _last(_one(case, "alibaba_cloud", "share_other", "AI share of external revenue"))
    streak = _last(_one(case, "alibaba_cloud", "count", "AI revenue growth streak"))
    plans = _metrics(case, "alibaba_group", metric="capex_plan")
    plan = _last(plans[plans["unit"] == "CNY"])
    plan_usd = _last(plans[plans["unit"] == "USD"])
    length = _last(_one(case, "alibaba_group", "duration", "cloud and AI plan length", dated=False)) if plan else None
    cash = _last(case.metrics("alibaba_group", metric="free_cash_flow").query("unit == 'CNY'"))
    per_year = plan["value"] / length["value"] if plan and length else None
    peak = _last(_one(case, "alibaba_cloud", "count", "users per minute supported", dated=False)) if start else None
    return {
        "start": start,
        "revenue": revenue,
        "growth": growth,
        "china": china,
        "world": world,
        "ai_share": ai_share,
        "streak": streak,
        "plan": plan,
        "length": length,
        "per_year": per_year,
        "cash": cash if per_year else None,
        "of_cash": per_year / cash["value"] if per_year and cash else None,
        "of_cloud": plan_usd["value"] / length["value"] / revenue["value"] if plan_usd and length and revenue else None,
        "peak": peak,
        "cited": _cited(start, revenue, growth, china, world, ai_share, streak, plan, plan_usd, length, cash, peak),
    }


def focus_story(case) -> dict:
    """The focus business: its dated events and its figures in these years, and how thin its record is."""
    focus = _focus_id(case)
    events = focus_events(case)
    rows = focus_rows(case)
    dated = rows[rows["period"] != "undated"]
    any_year = int((_any_year(case)["entity"] == focus).sum())
    return {
        "focus": focus,
        "name": case.entity_name(case.focus),
        "description": str(data.load("entities").set_index("entity_id").loc[focus, "description"]),
        "events": len(events),
        "first_event": _first(events),
        "last_event": _last(events),
        "dated": len(dated),
        "thin": 0 < any_year < THIN_RECORD,
    }


def decision_2025(case) -> dict:
    """The figures the tie-back sets side by side: the segments' revenue shares, the plan a year, instant commerce."""
    shares = segments(case)
    core = _first(shares[shares["segment"] == "Core Commerce"])
    cloud = _first(shares[shares["entity"] == "alibaba_cloud"])
    plan = cloud_story(case)
    orders = _last(case.metrics("taobao_instant_commerce", metric="daily_orders"))
    return {"core": core, "cloud": cloud, "per_year": plan["per_year"],
            "plan_unit": plan["plan"]["unit"] if plan["plan"] else None, "of_cash": plan["of_cash"], "orders": orders,
            "cited": _cited(core, cloud, plan["plan"], plan["cash"], orders)}


def how_sure(case) -> dict:
    """The disputes that matter for the decision: the GMV behind the take rate, the Tmall count, the logistics sum."""
    rows = _metrics(case)
    rows = rows[rows["metric_id"].isin(DECISIVE_DISPUTES)]
    pick = {mid: _first(rows[rows["metric_id"] == mid]) for mid in DECISIVE_DISPUTES}
    tmall = _metrics(case, "tmall", metric="merchants", scope="Tmall")
    return {"gmv": pick["M0130"], "tmall_low": pick["M0699"], "tmall_high": float(tmall["value"].max()) if pick["M0699"] else None,
            "logistics": pick["M0340"], "cited": _cited(rows)}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def core_take_rate(case) -> float:
    facts = take_rate(case)
    if facts["ratio"] is None or facts["core_share"] is None:
        raise Unavailable()
    return float(facts["ratio"] * facts["core_share"])


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


def indirect_per_direct(case) -> float:
    facts = jobs_story(case)
    if facts["multiplier"] is None:
        raise Unavailable()
    return float(facts["multiplier"])
