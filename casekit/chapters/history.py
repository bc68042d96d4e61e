"""The history notebook (01_history): its data-driven paragraphs, exhibit helpers and exercise checks.

Every function here reads the data through ``case`` (so the chosen years, themes and minimum
reliability apply) and returns Markdown text, a frame for an exhibit, or exercise feedback.
Nothing in this module states a figure that is not in the data package.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import checks
from ..charts import format_value

# How the paragraphs name each source (the full references are in every exhibit's source line).
SOURCE_NAMES = {
    "alibaba_way": "the Lowrey volume",
    "biography": "the Ma biography",
    "kb": "the knowledge base",
    "news2025": "the 2025 news commentary",
    "blog": "the course blog",
}
LOW_SOURCES = "the Ma biography, the knowledge base, the 2025 news commentary and the course blog"
THEME_NAMES = {
    "history": "history", "business_model": "business model", "fintech": "fintech", "competition": "competition",
    "regulation": "regulation", "cloud_ai": "cloud and AI", "logistics": "logistics", "culture": "culture",
    "global": "global",
}
RIVALS = ["Taobao", "eBay", "EachNet"]
LEADERS = ["jack_ma", "daniel_zhang", "jonathan_lu"]
LEADER_TITLES = r"CEO|chair|handover|heads|joins|exits"
PASSING = r"overtakes|concedes"  # the statements that say when Taobao got ahead of eBay
TRILLION = 1e12  # an RMB festival total at or above this is a billion figure printed as trillion


# ---- small helpers ------------------------------------------------------------------------------
def _name(source: str) -> str:
    return SOURCE_NAMES.get(str(source), str(source))


def _years(case) -> str:
    start, end = case.years
    return f"{start}-{end}"


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """'1 statement', '3 statements', 'no statement'."""
    count = int(count)
    if count == 0:
        return f"no {noun}"
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _of_them(disputed: int, total: int, what: str, where: str = "") -> str:
    """'3 of the 11 succession statements in Exhibit 7 are disputed', with the right number agreement."""
    disputed, total = int(disputed), int(total)
    where = f" {where}" if where else ""
    if total == 1:
        return f"The one {what}{where} is {'disputed' if disputed else 'not disputed'}."
    if disputed == 0:
        return f"None of the {total} {what}s{where} is disputed."
    return f"{disputed} of the {total} {what}s{where} {'is' if disputed == 1 else 'are'} disputed."


def _cites(rows: pd.DataFrame) -> str:
    """'the Ma biography, lines 1267 and 1544; the knowledge base, line 58'."""
    parts = []
    for source, group in rows.groupby("source", sort=False, observed=True):
        lines = sorted({int(n) for n in group["line"].dropna()})
        label = "line" if len(lines) == 1 else "lines"
        parts.append(f"{_name(source)}, {label} {_join([str(n) for n in lines])}")
    return "; ".join(parts)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _when(date: str) -> str:
    """A partial ISO date as a reader writes it: '2000-04' -> 'April 2000', '2020-11-03' -> '3 November 2020'."""
    parts = str(date).split("-")
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return str(date)


def _dated(rows: pd.DataFrame, field: str = "date") -> str:
    """One phrase per distinct date: '1999 (the Ma biography, line 1267)'."""
    parts = []
    for when, group in rows.groupby(field, sort=True, observed=True):
        parts.append(f"{_when(when)} ({_cites(group)})")
    return _join(parts)


def _no_rows_reason(case, what: str, first: int, last: int) -> str:
    """Why a run shows no rows for something dated first-last: the years, or the sources left out."""
    start, end = case.years
    if case.params.get("min_reliability") == "high":
        return f"No source in this package is graded high, so this run shows no statement on {what}."
    if end < first or start > last:
        span = "" if str(first) in what else f" ({first}" + (f"-{last}" if last != first else "") + ")"
        return (f"This run covers {_years(case)}, so it leaves out {what}{span}; widen `start_year` and `end_year` to "
                "see the statements.")
    return f"With `min_reliability` = {case.params.get('min_reliability')}, no statement on {what} is left in this run."


def distinct(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """The events and the figures behind several exhibits, each statement once (for the How-sure box)."""
    events = [f for f in frames if "event_id" in f]
    metrics = [f for f in frames if "metric_id" in f]
    out = []
    if events:
        out.append(pd.concat(events).drop_duplicates("event_id"))
    if metrics:
        out.append(pd.concat(metrics).drop_duplicates("metric_id"))
    return out


# ---- exhibit rows ---------------------------------------------------------------------------------
TABLE_SOURCES = {"alibaba_way": "Lowrey volume", "biography": "Ma biography", "kb": "knowledge base",
                 "news2025": "2025 news commentary", "blog": "course blog"}


def _readable(events: pd.DataFrame) -> pd.DataFrame:
    """Events with three columns for a table: the source's short name, a disputed flag in words, the note or ''."""
    return events.assign(
        said_by=events["source"].map(TABLE_SOURCES).fillna(events["source"]).astype("string"),
        flag=events["disputed"].map({True: "disputed", False: ""}),
        comment=events["note"].fillna(""),
    ).reset_index(drop=True)


def founding_rows(case) -> pd.DataFrame:
    """Every dated statement from the founding years, 1999 and 2000."""
    events = case.events()
    return _readable(events[events["date_start"].dt.year.isin([1999, 2000])])


def rivalry_rows(case) -> pd.DataFrame:
    """The competition statements on Taobao, eBay and EachNet."""
    return _readable(case.events(themes=["competition"], entities=RIVALS))


def regulation_rows(case) -> pd.DataFrame:
    """The regulation statements from 2020 on: the Ant listing, the antitrust case, what followed."""
    events = case.events(themes=["regulation"])
    return _readable(events[events["date_start"].dt.year >= 2020])


def succession_rows(case) -> pd.DataFrame:
    """Who led Alibaba when: statements on the top jobs of Jack Ma, Jonathan Lu and Daniel Zhang."""
    events = case.events(themes=["history"])
    keep = events["entity"].isin(LEADERS) & events["title"].str.contains(LEADER_TITLES, regex=True)
    return _readable(events[keep])


def singles_day_rmb(case) -> pd.DataFrame:
    """Singles' Day GMV figures in RMB, as the sources print them."""
    rows = case.metrics(entity="singles_day", metric="gmv")
    return rows[rows["unit"] == "CNY"].reset_index(drop=True)


def ipo_rows(case) -> pd.DataFrame:
    """The 2014 listing's figures, one bar per statement: money raised (one per source) and market values."""
    rows = case.metrics(entity="Alibaba Group", metric=["market_value", "ipo_raised"])
    rows = rows[rows["year"] == 2014]
    raised = rows[rows["metric"] == "ipo_raised"].drop_duplicates("source")
    values = rows[rows["metric"] == "market_value"]
    rows = pd.concat([raised, values])
    what = rows["metric"].map({"ipo_raised": "money raised"}).fillna("market value at " + rows["scope"].astype(str))
    short = rows["source"].map({"alibaba_way": "Lowrey", "biography": "biography", "kb": "kb"}).fillna(rows["source"])
    kind = rows["metric"].map({"ipo_raised": "raised"}).fillna(rows["scope"].map({"first-day close": "value at close", "offer price": "value at offer"}))
    label = kind.fillna("value").astype(str) + ": " + short.astype(str) + " l." + rows["line"].astype(str)
    return rows.assign(statement=label.values, figure=what.values).reset_index(drop=True)


AI_LABELS = {  # in reading order; {v} is the figure
    "M0040": "AI products' share of the cloud unit's external revenue, over {v}",
    "M0029": "year-on-year growth of AI-related cloud revenue of at least {v}",
    "M0021": "{v} quarters in a row of such growth",
    "M0529": "over {v} downloads of the Qwen3 models",
    "M0078": "a three-year spending plan for cloud and AI infrastructure of {v}",
    "M0079": "the same plan converted to {v}",
}


def ai_rows(case) -> pd.DataFrame:
    """The AI-era figures: cloud AI revenue, model downloads, the infrastructure plan (undated ones included)."""
    start, end = case.years
    rows = case.metrics(entity=["Alibaba Cloud", "Qwen", "Alibaba Group"], dated=False)
    rows = rows[rows["metric_id"].isin(AI_LABELS)]
    rows = rows[rows["year"].isna() | rows["year"].between(start, end).fillna(False).astype(bool)]
    order = {metric_id: n for n, metric_id in enumerate(AI_LABELS)}
    return rows.sort_values("metric_id", key=lambda ids: ids.map(order)).reset_index(drop=True)


def singles_day_chart(rows: pd.DataFrame):
    """Singles' Day GMV by year on a log scale, so a factor-1,000 slip shows as a jump of three steps."""
    import altair as alt

    from .. import charts

    charts.enable()
    frame = rows.assign(
        shown=rows["value"] / 1e9,
        printed=[format_value(v, "CNY") for v in rows["value"]],
        flag=rows["disputed"].map({True: "disputed", False: "not disputed"}),
        note=rows["note"].fillna(""),
    )[["year", "period", "shown", "printed", "flag", "source", "line", "note"]]
    frame = frame.astype({"period": "string", "printed": "string", "flag": "string", "source": "string", "note": "string"})
    frame["year"] = frame["year"].astype(float)
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=140, opacity=0.85)
        .encode(
            x=alt.X("year:Q", title="year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False, padding=40)),
            y=alt.Y("shown:Q", title="RMB billion (log scale)", scale=alt.Scale(type="log"),
                    axis=alt.Axis(values=[1, 10, 100, 1000, 10000, 100000], format=",")),
            color=alt.Color("flag:N", title="statement", scale=alt.Scale(domain=["not disputed", "disputed"], range=[charts.PALETTE[1], charts.PALETTE[0]])),
            shape=alt.Shape("flag:N", title="statement", scale=alt.Scale(domain=["not disputed", "disputed"], range=["circle", "triangle-up"])),
            tooltip=[alt.Tooltip("period:N"), alt.Tooltip("printed:N", title="as printed"), alt.Tooltip("source:N"),
                     alt.Tooltip("line:Q"), alt.Tooltip("flag:N", title="status"), alt.Tooltip("note:N")],
        )
        .properties(width=charts.WIDTH, height=300)
    )


# ---- paragraphs ----------------------------------------------------------------------------------
def run_scope(case) -> str:
    """What this run shows, and what its parameters leave out."""
    start, end = case.years
    themes = case.params.get("themes", [])
    shown = case.events(themes=themes)
    everything = case.events()
    reliability = case.params.get("min_reliability", "low")
    if reliability == "high":
        return ("**This run shows nothing.** `min_reliability` is set to high, but no source in this package earns that "
                "grade: the Lowrey volume is graded medium and the other four low. Every exhibit below is empty. Run the "
                "notebook again with `min_reliability` = medium (the Lowrey volume alone) or low (all five sources).")
    text = [f"**What this run shows.** The years {start} to {end}"]
    text.append(f"; {_n(len(shown), 'dated statement')} from {_n(shown['source'].nunique(), 'source')} reach the "
                f"timeline (Exhibit 1), {int(shown['disputed'].sum())} of them disputed.")
    left_out = [t for t in THEME_NAMES if t not in themes]
    if left_out:
        hidden = everything[everything["theme"].isin(left_out)]
        text.append(f" The timeline leaves out {len(hidden)} statements on {_join([THEME_NAMES[t] for t in left_out])}, "
                    "because `themes` does not list them; the other exhibits draw on all themes.")
    if reliability == "medium":
        last = int(everything["date_start"].dt.year.max()) if len(everything) else end
        text.append(f" Only the Lowrey volume (medium reliability) is used: {LOW_SOURCES} are left out, and with them "
                    f"most of the founding-money dates, the eBay dates, the IPO valuations and every statement after {last}.")
    if start > 2000:
        text.append(f" Because the run starts in {start}, the founding years (1999-2000) are not in the exhibits.")
    if end < 2020:
        text.append(f" Because the run ends in {end}, the regulatory turn of 2020-2021 is not in the exhibits.")
    if end >= 2026:
        future = everything[everything["date_start"].dt.year > 2025]
        if len(future):
            text.append(f" The timeline's {_n(len(future), 'mark')} after 2025 are targets a source names "
                        "(such as a 2030 goal), not things that have happened.")
    return "".join(text)


def founding(case) -> str:
    """The founding year and the first money, as each source dates them."""
    rows = founding_rows(case)
    if rows.empty:
        return _no_rows_reason(case, "the founding years", 1999, 2000)
    founded = rows[rows["title"].str.contains("found", case=False) & (rows["entity"] == "alibaba_group")]
    text = []
    if len(founded):
        years = sorted(founded["date_start"].dt.year.unique())
        agree = "all of them say" if len(years) == 1 else "they say"
        text.append(f"In this run, {_n(len(founded), 'statement')} from {_n(founded['source'].nunique(), 'source')} date the "
                    f"founding of Alibaba Group, and {agree} {_join([str(y) for y in years])}.")
    softbank = rows[(rows["entity"] == "softbank") | rows["title"].str.contains("SoftBank")]
    goldman = rows[(rows["entity"] == "goldman_sachs") | rows["title"].str.contains("Goldman")]
    if len(softbank):
        text.append(f"SoftBank's money is dated {_dated(softbank)}.")
    if len(goldman):
        years = set(goldman["date_start"].dt.year)
        text.append(f"Goldman Sachs's money is dated {_dated(goldman)}"
                    + ("; no statement in this run dates it to 1999." if 1999 not in years else "."))
    money = case.metrics(entity="Alibaba Group", metric="funding_raised")
    money = money[money["year"].between(1999, 2000)]
    if len(money):
        bits = [f"{_join(sorted({format_value(v, u) for v, u in zip(group['value'], group['unit'])}))} for the "
                f"{scope.replace('first two rounds', 'first two rounds together')} ({_cites(group)})"
                for scope, group in money.groupby("scope", sort=True)]
        text.append(f"The amounts given are {_join(bits)}.")
    disputed = int(rows["disputed"].sum())
    text.append(_of_them(disputed, len(rows), "statement", "from 1999-2000 in Exhibit 2"))
    return " ".join(text)


def taobao_vs_ebay(case) -> str:
    """eBay's entry, Taobao's launch, the passing and the exit, with every year the sources give."""
    rows = rivalry_rows(case)
    if rows.empty:
        return _no_rows_reason(case, "the contest between Taobao and eBay", 2002, 2006)
    text = []
    entry = rows[rows["title"].str.contains(r"enters|arrives|buys EachNet", regex=True)]
    if len(entry):
        years = sorted(entry["date_start"].dt.year.unique())
        text.append(f"eBay's arrival in China (through EachNet) is dated {_join([str(y) for y in years])}: {_dated(entry)}.")
    launch = rows[(rows["entity"] == "taobao") & rows["title"].str.contains("launch|goes live", case=False)]
    if len(launch):
        text.append(f"Taobao's launch is dated {_dated(launch)}.")
    passing = rows[rows["title"].str.contains(PASSING, regex=True)]
    if len(passing):
        text.append(f"The moment Taobao got ahead is dated {_dated(passing)}.")
    share = case.metrics(entity="Taobao", metric="market_share")
    share = share[share["year"] == 2006]
    if len(share):
        row = share.iloc[0]
        text.append(f"For 2006, {_name(row['source'])} (line {row['line']}) puts Taobao first with "
                    f"{format_value(row['value'], 'share')} of its market.")
    escrow = case.events(entities=["Alipay"])
    escrow = escrow[escrow["title"].str.contains("escrow", case=False)]
    if len(escrow):
        row = escrow.iloc[0]
        text.append(f"Alipay's escrow service went live on Taobao on {_when(row['date'])} ({_name(row['source'])}, line {row['line']}), "
                    "months before Alipay became a company of its own.")
    text.append(_of_them(rows["disputed"].sum(), len(rows), "rivalry statement", "in Exhibit 3"))
    return " ".join(text)


def growth(case) -> str:
    """Taobao's yearly transactions and Singles' Day, from the figures in this run."""
    text = []
    taobao = case.metrics(entity="Taobao", metric="gmv", scope="Taobao")
    yearly = taobao[~taobao["period"].str.contains(r"\d{4}-\d{4}", regex=True)]
    span = taobao[taobao["period"].str.contains(r"\d{4}-\d{4}", regex=True)]
    if len(yearly) >= 2:
        first, last = yearly.iloc[0], yearly.iloc[-1]
        factor = last["value"] / first["value"]
        text.append(f"In the years shown, Taobao's transactions grew from {format_value(first['value'], 'CNY')} in "
                    f"{first['year']} to {format_value(last['value'], 'CNY')} in {last['year']}, a factor of {factor:.1f} in "
                    f"{_n(last['year'] - first['year'], 'year')} ({_cites(yearly)}).")
    elif len(yearly) == 1:
        row = yearly.iloc[0]
        text.append(f"This run holds one yearly Taobao figure: {format_value(row['value'], 'CNY')} in {row['year']}.")
    else:
        text.append(_no_rows_reason(case, "Taobao's yearly transaction figures", 2006, 2008))
    if len(span):
        row = span.iloc[0]
        text.append(f"The first point of Exhibit 4 ({row['period']}, {format_value(row['value'], 'CNY')}) covers two years "
                    "together, so it is not comparable with the yearly points.")
    festival = singles_day_rmb(case)
    if festival.empty:
        text.append(_no_rows_reason(case, "Singles' Day sales figures", 2012, 2014))
        return " ".join(text)
    slips = festival[festival["value"] >= TRILLION]
    years = sorted(festival["year"].dropna().unique())
    text.append(f"Exhibit 5 has {len(festival)} RMB figures for Singles' Day, covering {_join([str(y) for y in years])}.")
    if len(slips):
        printed = _join(sorted({f"{format_value(v, 'CNY')} for {y}" for v, y in zip(slips["value"], slips["year"])}))
        text.append(f"{len(slips)} of them are printed in trillions ({printed}; {_cites(slips)}): a thousand times the "
                    "billions that the same book gives elsewhere. On the log scale the slip is the gap of three steps "
                    "between the triangles and the circles.")
    else:
        text.append("None of them carries the trillion slip in this run.")
    return " ".join(text)


def ipo(case) -> str:
    """The 2007 Hong Kong listing and the 2014 New York listing, figure by figure."""
    text = []
    hk = case.metrics(entity="Alibaba.com", metric="ipo_raised")
    if len(hk):
        pairs = _join([f"{format_value(v, u)} (line {int(n)})" for v, u, n in zip(hk["value"], hk["unit"], hk["line"])])
        text.append(f"For the 2007 Hong Kong listing of Alibaba.com, the Lowrey volume prints the money raised as {pairs}: "
                    "the same digits in two different currencies, of which only one can be right.")
    postponed = case.events(entities=["Alibaba.com"])
    postponed = postponed[postponed["title"].str.contains("postponed")]
    if len(postponed):
        text.append(f"The Ma biography (line {postponed.iloc[0]['line']}) instead says the 2007 listing was put off.")
    rows = ipo_rows(case)
    if rows.empty:
        text.append(_no_rows_reason(case, "the 2014 New York listing", 2014, 2014))
        return " ".join(text)
    raised = case.metrics(entity="Alibaba Group", metric="ipo_raised")
    raised = raised[raised["year"] == 2014]
    if len(raised):
        values = _join(sorted({format_value(v, "USD") for v in raised["value"]}))
        if raised["value"].nunique() == 1 and len(raised) > 1:
            text.append(f"On the money raised in 2014 the sources agree: {_n(len(raised), 'statement')} from "
                        f"{_n(raised['source'].nunique(), 'source')} all give {values}.")
        else:
            text.append(f"On the money raised in 2014, this run has {_n(len(raised), 'statement')}: {values}.")
    values = rows[rows["metric"] == "market_value"]
    if len(values):
        distinct_values = sorted(values["value"].unique())
        if len(distinct_values) > 1:
            text.append(f"On what the company was worth they do not: {_n(len(values), 'statement')} give "
                        f"{len(distinct_values)} different values, {_join([format_value(v, 'USD') for v in distinct_values])}.")
        for figure, group in values.groupby("figure", sort=True):
            shown = _join(sorted({format_value(v, 'USD') for v in group['value']}))
            text.append(f"As {figure}: {shown} ({_cites(group)}).")
    prices = case.metrics(entity="Alibaba Group", metric="share_price")
    prices = prices[prices["year"] == 2014]
    offer = prices.loc[prices["scope"] == "offer price", "value"]
    close = prices.loc[prices["scope"] == "first-day close", "value"]
    if len(offer) and len(close):
        text.append(f"The share prices the sources give (US${offer.median():.2f} at the offer, US${close.median():.2f} at "
                    f"the first close) are the tool for deciding which value belongs where: Exercise 3.")
    return " ".join(text)


def regulation(case) -> str:
    """The 2020-2021 regulatory turn: the Ant listing halted, the antitrust case and the fine."""
    rows = regulation_rows(case)
    start, _ = case.years
    if rows.empty:
        return _no_rows_reason(case, "the regulatory turn", 2020, 2021)
    text = []
    halt = rows[(rows["entity"].isin(["ant_group", "sse"])) & rows["title"].str.contains("IPO|listing|postpones", case=False)]
    if len(halt):
        text.append(f"The halt of Ant Group's listing is dated {_dated(halt)}: the precision differs, the year does not.")
    planned = case.metrics(entity="Ant Group", metric=["ipo_raised", "market_value"])
    if len(planned):
        bits = []
        for (metric, value), group in planned.groupby(["metric", "value"], sort=True):
            label = {"ipo_raised": "money to be raised", "market_value": "value of the company"}[metric]
            flag = ", disputed" if group["disputed"].any() else ""
            bits.append(f"{format_value(value, 'USD')} as the {label} ({_cites(group)}{flag})")
        text.append(f"For the listing that never happened, the sources give {_join(bits)}.")
    probe = rows[rows["entity"].isin(["alibaba_group", "samr"]) & rows["title"].str.contains("probe|investigation|case", case=False)]
    if len(probe):
        text.append(f"The antitrust case against Alibaba is dated {_dated(probe)}.")
    fine = case.metrics(entity="Alibaba Group", metric="fine")
    if len(fine):
        values = _join(sorted({format_value(v, u) for v, u in zip(fine["value"], fine["unit"])}))
        text.append(f"The fine is given as {values} by {_n(fine['source'].nunique(), 'source')} ({_cites(fine)}); "
                    "the notes on these rows explain that a dollar figure is a conversion: none of them prints the "
                    "amount in yuan, the currency the regulator used.")
    if start > 2020:
        text.append(f"Because this run starts in {start}, the events of 2020 (the Ant listing halted, the antitrust case "
                    "opened) are left out.")
    text.append(_of_them(rows["disputed"].sum(), len(rows), "regulation statement", "from 2020 on in Exhibit 8"))
    return " ".join(text)


def restructuring_ai(case) -> str:
    """What the data says (and does not say) about 2022 onwards: the 2023 reorganisation and the AI push."""
    start, end = case.years
    if end < 2022:
        return (f"This run ends in {end}, before the years of the reorganisation and the AI push; set `end_year` to 2025 "
                "to see what the sources say about them.")
    if case.params.get("min_reliability") == "high":
        return _no_rows_reason(case, "the years after 2021", 2022, 2025)
    events = case.events()
    late = events[events["date_start"].dt.year.between(max(start, 2022), 2025)]
    text = []
    restructure = late[late["title"].str.contains("reorgani|split|restructur|business groups", case=False)]
    if restructure.empty:
        sources = _join(sorted({_name(s) for s in late["source"]}))
        opening = f"**No source in this run dates the 2023 reorganisation.** From {max(start, 2022)} to {min(end, 2025)} "
        if late.empty:
            text.append(opening + "the run holds no dated statement at all.")
        else:
            text.append(opening + f"the run holds {_n(len(late), 'dated statement')}, from {sources}, and none of them "
                        "is about the group's structure or its chief executive.")
    kb_leader = events[(events["source"] == "kb") & (events["entity"] == "daniel_zhang")]
    if len(kb_leader):
        text.append("The knowledge base, whose latest entries date from about 2022, still presents Daniel Zhang as the "
                    "man in charge.")
    ai = ai_rows(case)
    if len(ai):
        bits = []
        for row in ai.itertuples():
            label = AI_LABELS[row.metric_id].format(v=format_value(row.value, row.unit))
            when = "no date given" if row.period == "undated" else row.period
            bits.append(f"{label} ({when}{', disputed' if row.disputed else ''})")
        text.append("On the AI push, every figure in this run comes from one source, the 2025 news commentary, which is "
                    f"graded low: {_join(bits)}.")
    else:
        text.append("No figure on the AI push is left in this run.")
    return " ".join(text)


def succession(case) -> str:
    """Who held the top jobs, and when, source by source."""
    rows = succession_rows(case)
    if rows.empty:
        return _no_rows_reason(case, "the leadership handovers", 2011, 2019)
    text = []
    zhang_ceo = rows[(rows["entity"] == "daniel_zhang") & rows["title"].str.contains("CEO")]
    if len(zhang_ceo):
        text.append(f"Daniel Zhang's appointment as chief executive is dated {_dated(zhang_ceo)}.")
    lu = rows[rows["entity"] == "jonathan_lu"]
    if len(lu):
        text.append(f"Jonathan Lu appears only once, as head of Alibaba.com, dated {_dated(lu)}; no source here names "
                    "him chief executive of the group.")
    chair = rows[rows["title"].str.contains("chair|handover", case=False)]
    if len(chair):
        text.append(f"The chairmanship passing from Jack Ma to Daniel Zhang is dated {_dated(chair)}.")
    exits = rows[rows["title"].str.contains("exits")]
    if len(exits):
        row = exits.iloc[0]
        text.append(f"One line of the Ma biography ({row['line']}) has Ma leaving the chief executive job in {_when(row['date'])}, "
                    "a post the same book has him leaving years earlier.")
    text.append(_of_them(rows["disputed"].sum(), len(rows), "succession statement", "in Exhibit 7"))
    return " ".join(text)


def dispute_rates(case, frames: list[pd.DataFrame] = ()) -> str:
    """How often each source's statements in this notebook's exhibits are disputed."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return "There are no statements in this run, so there is nothing to weigh."
    rows = pd.concat([f[["source", "disputed"]] for f in frames])
    table = rows.groupby("source", observed=True)["disputed"].agg(["count", "sum"]).sort_values("count", ascending=False)
    lines = ["| source | statements in this notebook | disputed | share disputed |", "|---|---|---|---|"]
    for source, row in table.iterrows():
        lines.append(f"| {_name(source)} | {int(row['count'])} | {int(row['sum'])} | {row['sum'] / row['count']:.0%} |")
    return "Disputed statements, source by source, across the exhibits of this run:\n\n" + "\n".join(lines)


# ---- exercises -------------------------------------------------------------------------------------
# Each ``_expect_*`` returns (expected answer, None) or (None, why the answer is undefined in this run).
def _expect_disputed_count(case):
    events = case.events(themes=case.params.get("themes"))
    if events.empty:
        return None, "This run's timeline is empty, so there is nothing to count; lower `min_reliability`."
    return int(events["disputed"].sum()), None


def _expect_taobao_passes_ebay(case):
    rows = rivalry_rows(case)
    passing = rows[rows["title"].str.contains(PASSING, regex=True)]
    if passing.empty:
        start, end = case.years
        fix = ("set `min_reliability` to low" if case.params.get("min_reliability") != "low"
               else "widen the years to include 2005-2006")
        return None, (f"No statement in this run ({start}-{end}, sources graded {case.params.get('min_reliability')} or "
                      f"better) says when Taobao passed eBay; only the Ma biography dates it, to 2005 and 2006. To try "
                      f"this exercise, {fix}.")
    return sorted(int(y) for y in passing["date_start"].dt.year.unique()), None


def _expect_ipo_close_value(case):
    rows = case.metrics(entity="Alibaba Group", metric=["market_value", "share_price"])
    rows = rows[rows["year"] == 2014]
    at_offer = rows.loc[(rows["metric"] == "market_value") & (rows["scope"] == "offer price"), "value"]
    offer = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "offer price"), "value"]
    close = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "first-day close"), "value"]
    if at_offer.empty or offer.empty or close.empty:
        return None, ("This run lacks the 2014 value at the offer price or the share prices (the value at the offer price "
                      "comes from the Ma biography, graded low); include 2014 and low-reliability sources.")
    return float(at_offer.median() * close.median() / offer.median()), None


def _expect_singles_day_growth(case):
    rows = singles_day_rmb(case)
    if rows.empty:
        return None, ("This run has no Singles' Day figures in RMB (they cover 2012-2014 and come from the Lowrey "
                      "volume); widen the years or lower `min_reliability`.")
    fixed = rows["value"].where(rows["value"] < TRILLION, rows["value"] / 1000)
    by_year = fixed.groupby(rows["year"]).median()
    if len(by_year) < 2:
        return None, (f"This run has Singles' Day figures for one year only ({by_year.index[0]}); a growth factor needs "
                      "two. Widen the years to 2012-2014.")
    return float(by_year.iloc[-1] / by_year.iloc[0]), None


def _disputed_count(case, answer):
    expected, why = _expect_disputed_count(case)
    if expected is None:
        return checks.Feedback(None, why)
    return checks.number(answer, expected, rel_tol=0, abs_tol=0.5,
                         hint="Count the rows of the timeline's frame (`events`) whose `disputed` column is True.")


def _taobao_passes_ebay(case, answer):
    expected, why = _expect_taobao_passes_ebay(case)
    if expected is None:
        return checks.Feedback(None, why)
    return checks.year(answer, expected,
                       hint="Look at Exhibit 3: the statements whose titles say Taobao overtook eBay or eBay conceded.")


def _ipo_close_value(case, answer):
    expected, why = _expect_ipo_close_value(case)
    if expected is None:
        return checks.Feedback(None, why)
    feedback = checks.number(answer, expected, shown=format_value(expected, "USD"),
                             hint="Scale the value at the offer price by the first-day close divided by the offer price.")
    try:
        in_billions = feedback.passed is False and abs(float(answer) * 1e9 - expected) <= 0.02 * expected
    except (TypeError, ValueError):
        in_billions = False
    if in_billions:
        return checks.Feedback(False, "That looks like billions; give the value in US dollars (for example 1.5e11).")
    return feedback


def _singles_day_growth(case, answer):
    expected, why = _expect_singles_day_growth(case)
    if expected is None:
        return checks.Feedback(None, why)
    feedback = checks.number(answer, expected, hint="Divide the trillion figures by 1,000 first (Exhibit 5's triangles), "
                                                    "then take each year's median and divide the last year by the first.")
    if feedback.passed is False and isinstance(answer, (int, float)) and 0 < answer < 0.01:
        return checks.Feedback(False, "Your factor is tiny: did you leave the trillion slip in one of the years? " + feedback.message)
    return feedback


EXERCISES = {
    "disputed_count": _disputed_count,
    "taobao_passes_ebay": _taobao_passes_ebay,
    "ipo_close_value": _ipo_close_value,
    "singles_day_growth": _singles_day_growth,
}


def answers(case) -> str:
    """The expected answers under this run's parameters, for the instructor."""
    lines = []
    value, why = _expect_disputed_count(case)
    lines.append(f"1. Disputed statements on the timeline: {value}." if why is None else f"1. {why}")
    value, why = _expect_taobao_passes_ebay(case)
    lines.append(f"2. Taobao passes eBay: any of {_join([str(y) for y in value])}; the spread is the point of the "
                 "exercise." if why is None else f"2. {why}")
    value, why = _expect_ipo_close_value(case)
    lines.append(f"3. Implied value at the first-day close: about {format_value(value, 'USD')}, which matches the "
                 "biography's US$230-231 billion and shows that the Lowrey volume's US$23.14 billion is off by a factor "
                 "of ten." if why is None else f"3. {why}")
    value, why = _expect_singles_day_growth(case)
    lines.append(f"4. Singles' Day growth factor from the first to the last year with RMB figures: {value:.2f}."
                 if why is None else f"4. {why}")
    return "**Teaching note.** Answers for this run's parameters:\n\n" + "\n".join(lines)
