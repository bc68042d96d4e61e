"""Chapter module of the business-model notebook (``notebooks/02_business_model.ipynb``).

Every sentence here that states a figure is built from the data package under the run's
parameters (years, ``focus``, ``min_reliability``), so the words never contradict the exhibits.
The notebook calls these functions through ``case.story("name")`` and ``bm.<recipe>(case)``;
``EXERCISES`` holds the exercise checks for ``case.check``.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import checks, data
from ..charts import format_value

# The marketplaces, programmes and services whose events make up the business-model timeline.
PLATFORMS = [
    "taobao", "tmall", "alibaba_com", "b2b_1688", "industrial_clusters", "cainiao", "rural_taobao",
    "taobao_villages", "taobao_university", "alibaba_open_platform", "singles_day", "aliexpress",
    "alimama", "qianniu", "juhuasuan", "china_taobao", "alibaba_sellers",
]
MODEL_THEMES = ["business_model", "logistics"]
# Counts of sellers and of buyers/users, by marketplace, for the "scale" exhibit.
SCALE_ENTITIES = ["taobao", "tmall", "alibaba_com", "b2b_1688", "aliexpress", "singles_day", "alibaba_group"]
SCALE_METRICS = {"merchants": "sellers (storefronts)", "registered_users": "buyers and users",
                 "active_buyers": "buyers and users", "users": "buyers and users"}
MEASURE_WORDS = {"merchants": "sellers", "registered_users": "registered users", "active_buyers": "annual active buyers",
                 "users": "users", "countries": "countries and regions served", "monthly_active_users": "monthly active users"}
SCALE_SKIP = ("target", "forecast", "case", "food", "stores over", "million-RMB", "open platform")
# Figures that one source gives twice, differently (undated or same-year pairs).
DISPUTED_PAIRS = ["M0697", "M0698", "M0699", "M0389", "M0353", "M0394", "M0373", "M0538"]
# Milestones named when the run's years leave them out.
MILESTONES = ["E0010", "E0034", "E0087", "E0145", "E0197", "E0239"]

# How each focus business fits the model: the analyst's reading, with no figures in it.
FOCUS_ANGLE = {
    "taobao": (
        "Taobao is the open bazaar at the centre of the model. Listing is free, so the site earns little "
        "from any single seller; its money comes from the crowd, through paid placement and search "
        "advertising bought by sellers who compete for shoppers' attention. Everything else in the "
        "ecosystem, from Alipay to Taobao University, began as a fix for a problem that Taobao's "
        "millions of small sellers ran into."
    ),
    "tmall": (
        "Tmall is the paid, curated half of the retail business: brands and licensed retailers pay "
        "to be there, and in return shoppers get a place where authenticity is easier to trust. It "
        "turns Taobao's traffic into higher-value sales and gives Alibaba a fee-and-commission stream "
        "that does not depend on advertising alone."
    ),
    "alibaba_com": (
        "Alibaba.com is where the company began: an English-language directory that let overseas "
        "buyers find Chinese exporters. Its model is membership: suppliers pay to be listed and "
        "verified, and most deals are closed off-line, so the site sells visibility and trust rather "
        "than taking a cut of each transaction."
    ),
    "b2b_1688": (
        "1688.com is the domestic wholesale floor behind the retail sites. Small shop owners, many "
        "of them Taobao sellers, buy stock there from factories and traders, often in towns that "
        "specialise in one product line. It ties the consumer marketplaces to China's industrial "
        "clusters."
    ),
    "alibaba_cloud": (
        "Alibaba Cloud began as the computing the marketplaces needed for themselves and was then "
        "sold to outside firms. It is a different business model from the marketplaces: customers "
        "pay for computing they use, so revenue follows usage rather than the value of goods traded."
    ),
    "aliexpress": (
        "AliExpress takes the marketplace model abroad, selling Chinese goods to consumers in other "
        "countries. It depends on cross-border payment and logistics, which is why it sits close to "
        "Cainiao in the ecosystem."
    ),
    "cainiao": (
        "Cainiao is the logistics layer, built as a coordinator rather than a carrier: it links "
        "partner couriers and warehouses through shared data instead of running a fleet of its own. "
        "That keeps Alibaba asset-light, at the price of depending on partners' service quality."
    ),
    "rural_taobao": (
        "Rural Taobao pushes the marketplace into the countryside through county centres and village "
        "service stations, where staff help residents buy and sell online. It is part market "
        "expansion, part policy alignment with the government's rural-development goals."
    ),
    "taobao_villages": (
        "Taobao villages are the grassroots version of rural e-commerce: villages where many "
        "households run online shops without a programme telling them to. They are counted and "
        "promoted by Alibaba's own research arm, which is worth remembering when reading the figures."
    ),
    "singles_day": (
        "Singles' Day is less a business than a demand engine: a yearly festival that concentrates "
        "buying into one day, sells advertising and promotion slots to merchants, and stress-tests "
        "payments and logistics. Its headline sales figure is the most quoted number about Alibaba "
        "and, as this case shows, one of the easiest to misprint."
    ),
    "lazada": (
        "Lazada is a bought, not built, marketplace: Alibaba's way into Southeast Asia, where it "
        "applies its platform playbook against local rivals such as Shopee."
    ),
    "eleme": (
        "Ele.me takes the ecosystem into local services (meals and everyday goods delivered in under "
        "an hour), where the rival is Meituan and the economics are those of delivery, not listing."
    ),
    "hema": (
        "Hema (Freshippo) is the New Retail experiment: supermarkets that double as delivery hubs. "
        "Unlike the marketplaces it owns stock and stores, so its revenue is the full sale price and "
        "its costs are those of a retailer."
    ),
}


# ---- small helpers ---------------------------------------------------------------------------

def _short(source: str) -> str:
    table = data.sources().set_index("source_id")
    return str(table.loc[source, "short_name"]).split(",")[0].split(" (")[0]


def _where(row) -> str:
    return f"{_short(row.source)}, line {row.line}"


def _num(value: float, unit: str) -> str:
    """A figure as a reader writes it; small counts in full (1,025 rather than 1.025 thousand)."""
    if unit == "count" and abs(value) < 1e6:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return format_value(float(value), unit)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _date(text) -> str:
    """A period or date as prose: '2012-05' -> 'May 2012', '2013-11-11' -> '11 November 2013'."""
    text = str(text)
    parts = text.split("-")
    if len(parts) >= 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4 and len(parts[1]) == 2:
        month = MONTHS[int(parts[1]) - 1]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return text


def _fmt(row) -> str:
    return _num(float(row.value), str(row.unit))


def _clean(note) -> str:
    return str(note).strip().rstrip(".") if note is not None and str(note) != "<NA>" else ""


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _names(case, ids) -> dict[str, str]:
    entities = data.load("entities").set_index("entity_id")["name"]
    return {i: str(entities.get(i, i)) for i in ids}


def _focus_id(case) -> str:
    return case.entity(case.focus)


def _children(entity_id: str) -> list[str]:
    entities = data.load("entities")
    return list(entities.loc[entities["parent"] == entity_id, "entity_id"])


def _all_metrics(case) -> pd.DataFrame:
    """Every figure from sources the run accepts, whatever its year (to say what the run leaves out)."""
    return data.at_least(data.load("metrics"), case.params.get("min_reliability", "low"))


def _annual(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["period"].str.fullmatch(r"\d{4}").fillna(False).astype(bool)]


def _years_text(years) -> str:
    years = [int(y) for y in years]
    return ", ".join(map(str, years[:-1])) + (" and " if len(years) > 1 else "") + str(years[-1]) if years else ""


def _reliability_clause(case) -> str:
    level = case.params.get("min_reliability", "low")
    if level == "high":
        return (" No source in this case is graded high, so this run keeps nothing: the exhibits are empty "
                "on purpose, to show what is left when only strong evidence is allowed.")
    if level == "medium":
        return (" Only the Lowrey volume (graded medium) passes that bar, so the knowledge base, the "
                "biography, the 2025 news piece and the course blog are all left out.")
    return ""


# ---- recipes: the frames behind the exhibits ------------------------------------------------

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
    rows = case.metrics(SCALE_ENTITIES, metric=list(SCALE_METRICS))
    rows = rows[~rows["scope"].str.lower().str.contains("|".join(SCALE_SKIP)).fillna(False)]
    rows = rows.sort_values(["year", "metric_id"]).drop_duplicates(["entity", "metric", "scope"], keep="last")
    return rows.assign(
        marketplace=[f"{s}: {MEASURE_WORDS[m]} ({y})" for s, m, y in zip(rows["scope"], rows["metric"], rows["year"])],
        side=rows["metric"].map(SCALE_METRICS),
    ).reset_index(drop=True)


def scale_exhibit(case, rows: pd.DataFrame):
    """Exhibit: the counts in ``rows`` (from :func:`scale`) as dots on a log scale, sellers and buyers apart."""
    import altair as alt

    from .. import charts

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
    from .. import charts

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
            "Largest figure": f"{_num(float(top.value), str(top.unit))} ({top.scope}, {top.period})",
            "Where": _where(top),
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
    return rows.assign(printed=[_fmt(r) for r in rows.itertuples()], day=[_date(p) for p in rows["period"]])


def disputed_pairs(case) -> pd.DataFrame:
    """Figures the Lowrey volume prints twice, differently (Tmall sellers, the services sector, village stations)."""
    rows = case.metrics(dated=False)
    rows = rows[rows["metric_id"].isin(DISPUTED_PAIRS)]
    names = _names(case, rows["entity"].unique())
    labels = data.load("metric_definitions").set_index("metric")["label"]
    return rows.assign(
        business=rows["entity"].map(names),
        measure=[f"{labels.get(m, m)}: {s}" for m, s in zip(rows["metric"], rows["scope"])],
        shown=[_fmt(r) for r in rows.itertuples()],
    ).sort_values(["entity", "metric", "line"]).reset_index(drop=True)


# ---- stories: paragraphs whose figures come from the data --------------------------------------

def run_scope(case) -> str:
    start, end = case.years
    name = case.entity_name(case.focus)
    level = case.params.get("min_reliability", "low")
    events, figures = model_events(case), case.metrics(PLATFORMS + ["alibaba_group", "china_ecommerce"])
    text = (f"**This run** covers {start} to {end}, deepens on **{name}**, and keeps statements from sources "
            f"graded {level} or better. In those years the data holds {len(events)} dated events about the "
            f"business model and the marketplaces, and {len(figures)} dated figures on the marketplaces, "
            f"the group and the Chinese e-commerce market.")
    text += _reliability_clause(case)
    every = data.at_least(data.load("events"), level).set_index("event_id")
    missed = []
    for event_id in MILESTONES:
        if event_id in every.index:
            row = every.loc[event_id]
            if not start <= row["date_start"].year <= end:
                missed.append(f"*{row['title']}* ({_date(row['date'])})")
    if missed:
        text += (" Because of the chosen years, these milestones are left out of the exhibits below: "
                 + "; ".join(missed) + ". Widen `start_year` and `end_year` to bring them back.")
    return text


def take_rate(case) -> str:
    revenue = case.metrics("alibaba_group", metric="revenue", scope="group")
    gmv = case.metrics("alibaba_group", metric="gmv", scope="China retail marketplaces")
    shares = segments(case)
    if not len(revenue) or not len(gmv):
        return ("**Take rate in this run.** The data package holds group revenue and marketplace GMV side by "
                "side only for fiscal 2021, and only in the low-graded knowledge base; this run's years or "
                "reliability setting leave that pair out, so no take rate can be computed here. Choose "
                "years that include 2021 and set `min_reliability` to low to see it.")
    r, g = revenue.iloc[-1], gmv.iloc[-1]
    ratio = r.value / g.value
    text = (f"**Take rate in this run.** The knowledge base gives group revenue of {_fmt(r)} for {r.period} "
            f"({_where(r)}) and GMV of {_fmt(g)} ({_where(g)}). Dividing one by the other gives a crude take "
            f"rate of {ratio:.1%}.")
    core = shares[shares["segment"] == "Core Commerce"]
    if len(core):
        c = core.iloc[-1]
        text += (f" Counting only the Core Commerce segment, which the same source puts at {_pct(c.value)} of "
                 f"revenue, the ratio is {ratio * c.value:.1%}.")
    if bool(g.disputed):
        text += f" Treat both numbers with care: the GMV row is flagged as disputed. {_clean(g.note)}."
    return text


def segments_story(case) -> str:
    rows = segments(case)
    if not len(rows):
        return ("No segment split of revenue falls in this run (the only one in the data is the knowledge "
                "base's for fiscal 2021), so Exhibit 2 is empty.")
    top = rows.loc[rows["value"].idxmax()]
    total = rows["value"].sum()
    parts = "; ".join(f"{s} {_pct(v)}" for s, v in zip(rows["segment"], rows["value"]))
    return (f"In {top.period} the knowledge base splits revenue as follows: {parts}. The shares add up to "
            f"{_pct(total)}, and {top.segment} alone brings in {_pct(top.value)}: the marketplaces' fees, "
            "commissions and advertising still pay for everything else, including the cloud.")


def gmv_story(case) -> str:
    taobao = case.metrics("taobao", metric="gmv")
    annual = _annual(taobao[taobao["scope"] == "Taobao"])
    everywhere = _annual(_all_metrics(case).query("entity == 'taobao' and metric == 'gmv' and scope == 'Taobao'"))
    parts = []
    if len(annual) >= 2:
        first, last = annual.iloc[0], annual.iloc[-1]
        years = int(last.year - first.year)
        cagr = (last.value / first.value) ** (1 / years) - 1
        parts.append(f"The Lowrey volume gives Taobao's yearly GMV for {_years_text(annual['year'])}. It rose from "
                     f"{_fmt(first)} in {first.period} to {_fmt(last)} in {last.period}, {last.value / first.value:.1f} "
                     f"times as much in {years} years, or about {cagr:.0%} a year compounded.")
    elif len(annual) == 1:
        row = annual.iloc[0]
        parts.append(f"Only one yearly Taobao GMV figure falls in this run: {_fmt(row)} in {row.period} ({_where(row)}); "
                     "one point is not a trend.")
    else:
        outside = _years_text(everywhere["year"]) if len(everywhere) else ""
        parts.append("No yearly Taobao GMV figure falls in this run's years"
                     + (f" (the data has them for {outside})" if outside else "") + ", so the trend shows only other series.")
    span = taobao[taobao["period"].str.contains("-", regex=False) & (taobao["scope"] == "Taobao")]
    for row in span.itertuples():
        parts.append(f"For {row.period} the same book gives a cumulative {_fmt(row)}, a two-year total that "
                     "should not be plotted as if it were one year's sales.")
    forecast = taobao[taobao["scope"].str.contains("forecast")]
    for row in forecast.itertuples():
        parts.append(f"The Lowrey volume also forecasts more than {_fmt(row)} for {row.period} ({_where(row)}), a projection "
                     "written about 2013, not a result.")
    market = case.metrics("china_ecommerce", metric="gmv", scope="China online retail")
    both = annual.merge(market, on="year", suffixes=("", "_m"))
    for row in both.drop_duplicates("year").itertuples():
        parts.append(f"In {row.year} Taobao's {_fmt(row)} set against national online retail of "
                     f"{format_value(row.value_m, row.unit_m)} ({_short(row.source_m)}, line {row.line_m}) is "
                     f"{row.value / row.value_m:.0%} of the market: early Chinese online retail was almost "
                     "the same thing as Taobao.")
    shaky = case.metrics("china_ecommerce", metric="gmv", scope="China online transactions")
    for row in shaky.itertuples():
        parts.append(f"The market line's {row.period} point ({_fmt(row)}) is disputed: {_clean(row.note)}.")
    return " ".join(parts)


def scale_story(case) -> str:
    rows = scale(case)
    if not len(rows):
        return "No dated count of sellers or buyers falls in this run's years, so Exhibit 4 is empty."
    sellers = rows[rows["metric"] == "merchants"].sort_values("value", ascending=False)
    buyers = rows[rows["metric"] != "merchants"].sort_values("value", ascending=False)
    text = "In this run's years the sources count "
    if len(sellers):
        text += "sellers as " + "; ".join(f"{r.scope} {_fmt(r)} ({r.year})" for r in sellers.itertuples())
    if len(buyers):
        text += (". " if len(sellers) else "") + "They count buyers or users as " + "; ".join(
            f"{r.scope} {_fmt(r)} {MEASURE_WORDS[r.metric]} ({r.year})" for r in buyers.itertuples())
    text += (". The figures come from different years and count different things (storefronts, registered "
             "accounts, annual active buyers), so Exhibit 4 shows orders of magnitude, not a league table.")
    return text


def b2b_story(case) -> str:
    rows = case.metrics(["b2b_1688", "alibaba_com"])
    keep = rows["metric"].isin(["merchants", "registered_users", "countries"]) | rows["scope"].isin(
        ["daily visitors", "daily online (unclear)"])
    rows = rows[keep]
    clusters = _all_metrics(case).query("entity == 'industrial_clusters'")
    if not len(rows):
        text = "This run's years hold no headline figure for Alibaba's two B2B sites."
    else:
        pieces = []
        for (entity, period), group in rows.groupby(["entity", "period"], sort=False):
            said = ", ".join(f"{_fmt(r)} {MEASURE_WORDS.get(r.metric, r.scope)}" for r in group.itertuples())
            pieces.append(f"{case.entity_name(entity)} ({_date(period)}): {said} ({_where(group.iloc[0])})")
        text = "For the two B2B sites the run has these headline counts. " + "; ".join(pieces) + "."
        for r in rows[rows["disputed"]].itertuples():
            text += f" The {_fmt(r)} '{r.scope}' figure is shaky: {_clean(r.note)}."
    if not len(clusters):
        text += (" The data package describes 1688.com's industrial clusters but holds not a single figure or "
                 "dated event about them: a gap worth noticing, because the clusters are the supply side "
                 "that keeps goods on the retail marketplaces cheap.")
    return text


def rural_story(case) -> str:
    rows = case.metrics(["rural_taobao", "taobao_villages"])
    if not len(rows):
        return ("No figure on rural e-commerce falls in this run's years; the sources' rural figures date from "
                "the 2014 plan and its first year.")
    parts = []
    money = rows[(rows["metric"] == "investment") & (rows["unit"] == "CNY")]
    plan = rows[(rows["metric"] == "stations") & rows["scope"].str.contains("plan")]
    done = rows[(rows["metric"] == "stations") & ~rows["scope"].str.contains("plan")
                & rows["scope"].str.match(r"(village|county)")]
    for r in money.itertuples():
        parts.append(f"The rural plan of {_date(r.period)} commits {_fmt(r)} over three to five years ({_where(r)}).")
    for r in plan.itertuples():
        flag = f" (disputed: {_clean(r.note)})" if r.disputed else ""
        parts.append(f"Its target for {r.scope.replace(' (plan)', '')} is {_fmt(r)}{flag}.")
    village_plan = plan[plan["scope"].str.startswith("village")]
    village_done = done[done["scope"].str.startswith("village")]
    for r in done.itertuples():
        parts.append(f"By {_date(r.period)} the count of {r.scope} stood at {_fmt(r)}.")
    if len(village_plan) and len(village_done):
        p, d = village_plan.iloc[-1], village_done.iloc[-1]
        parts.append(f"That is {d.value / p.value:.0%} of the book's village target, and far less of the "
                     "larger target in the published announcement.")
    village = rows[rows["entity"] == "taobao_villages"]
    if len(village):
        sales = village[(village["metric"] == "gmv") & (village["unit"] == "CNY")]
        shops = village[village["metric"] == "merchants"]
        if len(sales) and len(shops):
            s, m = sales.iloc[-1], shops.iloc[-1]
            parts.append(f"The showcase Taobao village, Bainiu, sold more than {_fmt(s)} online in {s.period} "
                         f"through more than {_fmt(m)} shops ({_where(s)}).")
        shaky = village[village["disputed"]]
        if len(shaky):
            parts.append(f"The same passage's income-per-head claim is flagged: {_clean(shaky.iloc[0].note)}.")
    return " ".join(parts)


def merchants_story(case) -> str:
    rows = case.metrics(["taobao", "taobao_university"])
    parts = []
    vendors = rows[(rows["metric"] == "merchants") & (rows["scope"] == "Taobao")]
    big = rows[(rows["metric"] == "merchants") & (rows["scope"] == "stores over 100k RMB")]
    trained = rows[rows["metric"] == "students_trained"]
    for r in vendors.itertuples():
        parts.append(f"The Lowrey volume counts {_fmt(r)} Taobao vendors in {_date(r.period)} ({_where(r)}).")
    for r in big.itertuples():
        parts.append(f"Some {_fmt(r)} stores sold more than RMB 100,000 a year in {r.period}.")
    if len(vendors) and len(big):
        parts.append(f"Set side by side, that is about {big.iloc[-1].value / vendors.iloc[-1].value:.0%} of vendors: "
                     "most Taobao shops are very small, which is why training and tools matter to the platform.")
    if len(trained):
        said = " and ".join(
            f"{_fmt(r)}{' a day' if 'per day' in str(r.note) else ''} in {r.period} ({r.scope})" for r in trained.itertuples())
        parts.append(f"Taobao University's training counts are {said}. Read them with care: one counts "
                     "attendances (person-times) per day, the other people over a year.")
    univ = case.events(entities=["taobao_university"])
    disputed = univ[univ["disputed"]]
    if len(disputed):
        dates = sorted({_date(d) for d in disputed["date"]})
        if len(dates) > 1:
            parts.append(f"The school's own start is disputed inside one chapter: the book dates its forerunner to "
                         f"{' and to '.join(dates)}.")
        else:
            parts.append(f"The book dates the school's forerunner to {dates[0]}, but the row is disputed: "
                         f"{_clean(disputed.iloc[0]['note'])}.")
    if not parts:
        return ("No figure on Taobao's merchants or on Taobao University falls in this run's years (the "
                "sources' counts cluster in 2007-2014).")
    return " ".join(parts)


def cainiao_story(case) -> str:
    events = case.events(entities=["cainiao"])
    rows = case.metrics("cainiao", dated=False)
    parts = []
    if len(events):
        first = events.iloc[0]
        parts.append(f"The sources date Cainiao's founding to {_date(first['date'])} ({_short(first['source'])}, line {first['line']}); "
                     f"the run holds {len(events)} dated events about it.")
    else:
        parts.append("No dated event about Cainiao falls in this run's years or passes its reliability bar.")
    festival_rows = rows[rows["scope"] == "Singles' Day"]
    for r in festival_rows.itertuples():
        flag = " (disputed)" if r.disputed else ""
        parts.append(f"For the festival of {_date(r.period)} the {_short(r.source)} gives {_fmt(r)} {r.metric}{flag} (line {r.line}).")
    speed = rows[rows["metric"] == "delivery_days"]
    before = speed[speed["scope"].str.contains("before")]
    after = speed[speed["scope"].str.contains("after")]
    if len(before) and len(after):
        claims = "; ".join(f"{_short(b.source)}: {_fmt(b)} before, {_fmt(a)} after"
                           for b, a in zip(before.itertuples(), after.itertuples()))
        parts.append(f"On delivery speed the undated claims do not even agree on units or size ({claims}); "
                     "neither gives a year or a method.")
    money = rows[rows["metric"] == "investment"]
    for r in money.itertuples():
        parts.append(f"The Lowrey volume's {_fmt(r)} investment in the network is flagged: {_clean(r.note)}.")
    return " ".join(parts)


def open_platform_story(case) -> str:
    rows = case.metrics(["alibaba_open_platform", "taobao"])
    vendors = rows[(rows["metric"] == "merchants") & (rows["scope"] == "open platform vendors")]
    growth = rows[(rows["metric"] == "growth_rate") & (rows["scope"] == "open platform vendors")]
    apis = rows[(rows["metric"] == "count") & rows["scope"].isin(["API interfaces", "daily API calls"])]
    blog = case.events(entities=["alibaba_open_platform"])
    parts = []
    if len(blog):
        b = blog.iloc[0]
        parts.append(f"The course blog dates the Open Platform's launch to {b['date']} (line {b['line']}); the case "
                     f"data flags that date as disputed: {_clean(b['note'])}.")
    elif case.params.get("min_reliability", "low") != "low":
        parts.append("This run's reliability bar leaves the course blog out, so its 2011 launch claim does not appear.")
    else:
        parts.append("The blog's launch claim falls outside this run's years.")
    for r in apis.itertuples():
        parts.append(f"By {_date(r.period)} the platform had {_fmt(r)} {r.scope} ({_where(r)}).")
    if len(vendors) and len(growth):
        v, g = vendors.iloc[-1], growth.iloc[-1]
        parts.append(f"The Lowrey volume counts {_fmt(v)} vendors joining it in {v.period}, {g.value:g} times the "
                     f"year before, which implies about {_num(round(v.value / g.value, -3), 'count')} in {int(v.year) - 1}. "
                     "A platform with that many vendors a year earlier had not just been launched, which is one "
                     "more reason to doubt the blog's date.")
    return " ".join(parts)


def focus_story(case) -> str:
    focus = _focus_id(case)
    name = case.entity_name(case.focus)
    entities = data.load("entities").set_index("entity_id")
    description = str(entities.loc[focus, "description"])
    events = focus_events(case)
    rows = focus_rows(case)
    dated = rows[rows["period"] != "undated"]
    start, end = case.years
    text = f"**{name}.** {FOCUS_ANGLE.get(focus, description)}\n\n"
    if len(events):
        first, last = events.iloc[0], events.iloc[-1]
        flagged = int(events["disputed"].sum())
        if len(events) == 1:
            text += (f"Between {start} and {end} the sources this run accepts give one dated event about {name}: "
                     f"*{first['title']}* ({_date(first['date'])}){', and it is disputed' if flagged else ''}. ")
        else:
            text += (f"Between {start} and {end} the sources this run accepts give {len(events)} dated events about "
                     f"{name} and the programmes inside it, from *{first['title']}* ({_date(first['date'])}) to "
                     f"*{last['title']}* ({_date(last['date'])}); {flagged} of them {'is' if flagged == 1 else 'are'} "
                     "disputed. ")
    else:
        text += f"No dated event about {name} falls in {start}-{end} from the sources this run accepts. "
    counts = dated[dated["unit"] == "count"]
    if len(dated):
        text += (f"They give {len(dated)} dated figure{'s' if len(dated) > 1 else ''} for {name} in these years "
                 f"(and {len(rows) - len(dated)} undated), on {dated['metric'].nunique()} measure"
                 f"{'s' if dated['metric'].nunique() > 1 else ''}. ")
        if len(counts):
            top = counts.loc[counts["value"].idxmax()]
            what = top.scope if top.metric == "count" else f"{top.metric.replace('_', ' ')}, {top.scope}"
            text += (f"The largest count among them is {_fmt(top)} ({what}, {_date(top.period)}; {_where(top)})"
                     + (f", and it is disputed: {_clean(top.note)}" if top.disputed else "") + ".")
    else:
        text += f"No dated figure for {name} falls in these years ({len(rows)} undated ones pass the filters)."
    whole = _all_metrics(case).query("entity == @focus")
    if len(whole) < 10:
        text += (f"\n\nThe record on {name} is thin: {len(whole)} figure(s) of any date in the sources this run "
                 "accepts. A thin record is a finding in itself. The main book behind this case was written in "
                 "2013-14 about Taobao-era Alibaba, and later or smaller businesses appear mostly in undated, "
                 "unsourced claims. Read the exhibits below as a list of what is missing as much as of what is known.")
    elif len(dated) < 3 or not len(events):
        text += (f"\n\nThe sources this run accepts hold {len(whole)} figures on {name} of any date, but few fall in "
                 f"{start}-{end}: widen the years to see them.")
    return text


def focus_sources(case) -> str:
    name = case.entity_name(case.focus)
    rows = pd.concat([focus_rows(case)[["source", "disputed", "note"]], focus_events(case)[["source", "disputed", "note"]]])
    if not len(rows):
        return f"Nothing about {name} passes this run's filters, so there is nothing to weigh."
    table = data.sources().set_index("source_id")
    counts = rows["source"].value_counts()
    parts = [f"{table.loc[s, 'short_name']} ({table.loc[s, 'reliability']}): {n} statement(s)" for s, n in counts.items()]
    text = f"**Where the {name} material comes from.** " + "; ".join(parts) + "."
    notes = rows[rows["disputed"] & rows["note"].notna()]["note"].drop_duplicates().head(3)
    if len(notes):
        flagged = int(rows["disputed"].sum())
        text += (f" {flagged} of them {'is' if flagged == 1 else 'are'} disputed; the reasons recorded in the data include: "
                 + " / ".join(f"*{_clean(n)}*" for n in notes) + ".")
    return text


def festival_story(case) -> str:
    rows = festival(case)
    if not len(rows):
        return "No Singles' Day sales figure falls in this run's years."
    slips = rows[rows["value"] >= 1e12]
    sound = rows[rows["value"] < 1e12]
    text = ""
    if len(slips):
        text += ("The Lowrey volume prints the festival's sales as "
                 + "; ".join(f"{_fmt(r)} for {r.period[:4]} (line {r.line})" for r in slips.itertuples())
                 + ". ")
    if len(sound):
        text += (("Elsewhere it gives " if len(slips) else "The Lowrey volume gives ") + "; ".join(f"{_fmt(r)} for {r.period[:4]} (line {r.line})" for r in sound.itertuples())
                 + ". ")
    pair = slips.merge(sound, on="year", suffixes=("", "_ok"))
    if len(pair):
        p = pair.iloc[0]
        factor = 10 ** round(math.log10(p.value / p.value_ok))
        text += (f"For {p.year} the two printings differ by a factor of about {factor:,}: a "
                 "trillion written where a billion was meant.")
    return text


def disagreements(case) -> str:
    rows = disputed_pairs(case)
    parts = []
    tmall = rows[(rows["entity"] == "tmall") & (rows["metric"] == "merchants")]
    if len(tmall) >= 2:
        hi, lo = tmall["value"].max(), tmall["value"].min()
        where_hi = ", ".join(str(int(x)) for x in tmall.loc[tmall["value"] == hi, "line"])
        where_lo = ", ".join(str(int(x)) for x in tmall.loc[tmall["value"] == lo, "line"])
        parts.append(f"**Tmall's merchants.** The Lowrey volume counts about {_num(hi, 'count')} Tmall stores "
                     f"(lines {where_hi}) and {_num(lo, 'count')} (line {where_lo}); neither count is dated. "
                     f"The higher is {hi / lo - 1:.0%} above the lower. Repetition is not corroboration: two lines of "
                     "one book may copy the same company briefing.")
    services = rows[(rows["entity"] == "china_ecommerce") & (rows["metric"] == "revenue") & (rows["unit"] == "CNY")]
    growth = rows[(rows["entity"] == "china_ecommerce") & (rows["metric"] == "revenue_growth")]
    if len(services) >= 2:
        s = "; ".join(f"{_fmt(r)} (line {r.line})" for r in services.itertuples())
        g = "; ".join(f"{_pct(r.value)} (line {r.line})" for r in growth.itertuples())
        parts.append(f"**The services sector in 2012.** Revenue of China's e-commerce service firms is given as {s}, "
                     f"with growth of {g}.")
        parts_usd = case.metrics("china_ecommerce", metric="revenue")
        pieces = parts_usd[(parts_usd["unit"] == "USD") & parts_usd["scope"].isin(
            ["transaction services", "supporting services", "derivative services"])]
        total = parts_usd[(parts_usd["unit"] == "USD") & (parts_usd["scope"] == "China e-commerce services")]
        if len(pieces) == 3 and len(total):
            parts.append(f"The line-646 figure is the better one: its three parts add up to "
                         f"{format_value(pieces['value'].sum(), 'USD')}, matching its own total of "
                         f"{_fmt(total.iloc[0])}, while the other is a round number without parts.")
    stations = rows[rows["metric"] == "stations"]
    for r in stations.itertuples():
        parts.append(f"**Village stations.** The book's {_fmt(r)} target of {_date(r.period)} is disputed: {_clean(r.note)}.")
    if not parts:
        return ("None of the case's classic disagreements (Tmall's merchant count, the 2012 services sector, the "
                "rural-station target) passes this run's filters.")
    return "\n\n".join(parts)


# ---- exercise checks ---------------------------------------------------------------------------

def _check_cagr(case, answer):
    taobao = case.metrics("taobao", metric="gmv", scope="Taobao")
    annual = _annual(taobao).drop_duplicates("year")
    if len(annual) < 2:
        every = _annual(_all_metrics(case).query("entity == 'taobao' and metric == 'gmv' and scope == 'Taobao'"))
        where = (f"the data has them for {_years_text(sorted(every['year'].unique()))}" if len(every)
                 else "no source this run accepts has them, whatever the years")
        return checks.Feedback(None, "This run keeps fewer than two yearly Taobao GMV figures, so there is no growth "
                                     f"rate to compute ({where}).")
    first, last = annual.iloc[0], annual.iloc[-1]
    expected = (last.value / first.value) ** (1 / int(last.year - first.year)) - 1
    return checks.number(answer, expected, rel_tol=0.01, shown=f"{expected:.3f}",
                         hint="Use the single-year rows (period like '2007', scope 'Taobao') of Exhibit 3, the first "
                              "and the last; (last / first) ** (1 / years) - 1, as a fraction.")


def _check_cloud_share(case, answer):
    cloud = case.metrics("alibaba_cloud", metric="revenue")
    group = case.metrics("alibaba_group", metric="revenue", scope="group")
    if not len(cloud) or not len(group):
        return checks.Feedback(None, "This run has no pair of cloud and group revenue figures (they are the knowledge "
                                     "base's, for fiscal 2021): choose years that include 2021 and set min_reliability to low.")
    expected = cloud.iloc[-1].value / group.iloc[-1].value
    return checks.number(answer, expected, rel_tol=0.01, shown=f"{expected:.3f}",
                         hint="Divide the Cloud Computing segment's revenue by the group's, both in US$ for the same "
                              "fiscal year; the stated 8% share is rounded, so compute it from the two amounts.")


def _check_tmall_gap(case, answer):
    tmall = case.metrics("tmall", metric="merchants", scope="Tmall", dated=False)
    if tmall["value"].nunique() < 2:
        return checks.Feedback(None, "This run keeps fewer than two different Tmall merchant counts (they come from the "
                                     "Lowrey volume, graded medium), so there is no gap to measure.")
    expected = tmall["value"].max() / tmall["value"].min() - 1
    return checks.number(answer, expected, rel_tol=0.01, shown=f"{expected:.2f}",
                         hint="Take the Tmall merchant rows (scope 'Tmall', undated): (higher / lower) - 1, as a fraction.")


def _check_focus_biggest(case, answer):
    rows = case.metrics(case.focus)
    counts = rows[rows["unit"] == "count"]
    name = case.entity_name(case.focus)
    if not len(counts):
        return checks.Feedback(None, f"The sources give no dated count for {name} in this run's years, so there is no "
                                     "largest figure: try wider years, a lower reliability bar or another focus.")
    expected = float(counts["value"].max())
    return checks.number(answer, expected, rel_tol=0.001, shown=_num(expected, "count"),
                         hint=f"Use case.metrics(focus), keep rows whose unit is 'count' and take the largest value "
                              f"(dated figures only, as {name}'s table shows them).")


EXERCISES = {
    "taobao_gmv_cagr": _check_cagr,
    "cloud_revenue_share": _check_cloud_share,
    "tmall_merchant_gap": _check_tmall_gap,
    "focus_biggest_count": _check_focus_biggest,
}
