"""The history chapter's facts: the frames behind its exhibits, the values its paragraphs need, and
the expected answers of its exercises.

Every function reads the data through ``case``, so the run's years, themes and minimum reliability
apply. Story functions (named like the blocks of ``story.md.j2``) return plain data; the words are
in the template. Events are picked by their ``tags`` (see ``data/tags.csv``), never by their titles.
"""
from __future__ import annotations

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

RIVALS = ["Taobao", "eBay", "EachNet"]
TRILLION = 1e12  # an RMB festival total at or above this is a billion figure printed as trillion
AI_FIGURES = ["M0040", "M0029", "M0021", "M0529", "M0078", "M0079"]  # in reading order (story.md.j2 words them)


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
def _readable(events: pd.DataFrame) -> pd.DataFrame:
    """Events with three columns for a table: the source's name, a disputed flag, the note or ''."""
    return events.assign(
        said_by=events["source"].map(lambda s: prose.source(s, article=False)).astype("string"),
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
    return _readable(tagged(case.events(themes=["history"]), "leadership"))


def singles_day_rmb(case) -> pd.DataFrame:
    """Singles' Day GMV figures in RMB, as the sources print them."""
    rows = case.metrics(entity="singles_day", metric="gmv")
    return rows[rows["unit"] == "CNY"].reset_index(drop=True)


def ipo_rows(case) -> pd.DataFrame:
    """The 2014 listing's figures, one bar per statement: money raised (one per source) and market values."""
    rows = case.metrics(entity="Alibaba Group", metric=["market_value", "ipo_raised"])
    rows = rows[rows["year"] == 2014]
    raised = rows[rows["metric"] == "ipo_raised"].drop_duplicates("source")
    rows = pd.concat([raised, rows[rows["metric"] == "market_value"]])
    is_raise = rows["metric"] == "ipo_raised"
    figure = ("market value at " + rows["scope"].astype(str)).where(~is_raise, "money raised")
    kind = rows["scope"].map({"first-day close": "value at close", "offer price": "value at offer"}).fillna("value")
    kind = kind.where(~is_raise, "raised")
    said_by = rows["source"].map(lambda s: prose.source(s, article=False))
    statement = kind.astype(str) + ": " + said_by.astype(str) + " l." + rows["line"].astype(str)
    return rows.assign(statement=statement.values, figure=figure.values).reset_index(drop=True)


def ai_rows(case) -> pd.DataFrame:
    """The AI-era figures: cloud AI revenue, model downloads, the infrastructure plan (undated ones included)."""
    start, end = case.years
    rows = case.metrics(entity=["Alibaba Cloud", "Qwen", "Alibaba Group"], dated=False)
    rows = rows[rows["metric_id"].isin(AI_FIGURES)]
    rows = rows[rows["year"].isna() | rows["year"].between(start, end).fillna(False).astype(bool)]
    order = {metric_id: n for n, metric_id in enumerate(AI_FIGURES)}
    return rows.sort_values("metric_id", key=lambda ids: ids.map(order)).reset_index(drop=True)


def singles_day_chart(rows: pd.DataFrame):
    """Singles' Day GMV by year on a log scale, so a factor-1,000 slip shows as a jump of three steps."""
    import altair as alt

    from ... import charts

    charts.enable()
    frame = rows.assign(
        shown=rows["value"] / 1e9,
        printed=[prose.figure(v, "CNY") for v in rows["value"]],
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


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def run_scope(case) -> dict:
    """What this run shows, and what its parameters leave out."""
    themes = case.params.get("themes", [])
    shown, everything = case.events(themes=themes), case.events()
    left_out = [t for t in data.themes() if t not in themes]
    weaker = data.sources()
    weaker = weaker[weaker["reliability"] < case.params.get("min_reliability", "low")]
    return {
        "shown": len(shown),
        "shown_sources": shown["source"].nunique(),
        "shown_disputed": int(shown["disputed"].sum()),
        "left_out_themes": left_out,
        "hidden": int(everything["theme"].isin(left_out).sum()),
        "weaker_sources": list(weaker["source_id"]),
        "last_year": int(everything["date_start"].dt.year.max()) if len(everything) else case.years[1],
        "targets": int((everything["date_start"].dt.year > 2025).sum()),
    }


def founding(case) -> dict:
    """The founding year and the first money, as each source dates them."""
    rows = founding_rows(case)
    founded = tagged(rows, "founding")
    money = case.metrics(entity="Alibaba Group", metric="funding_raised")
    money = money[money["year"].between(1999, 2000)]
    return {
        "rows": rows,
        "founded": founded,
        "founded_years": sorted(int(y) for y in founded["date_start"].dt.year.unique()),
        "softbank": tagged(rows, "softbank_investment"),
        "goldman": tagged(rows, "goldman_investment"),
        "money": [
            {"amounts": sorted({prose.figure(v, u) for v, u in zip(group["value"], group["unit"])}), "scope": scope, "rows": group}
            for scope, group in money.groupby("scope", sort=True)
        ],
    }


def taobao_vs_ebay(case) -> dict:
    """eBay's entry, Taobao's launch, the passing and the exit, with every year the sources give."""
    rows = rivalry_rows(case)
    share = case.metrics(entity="Taobao", metric="market_share")
    escrow = tagged(case.events(entities=["Alipay"]), "escrow_launch")
    entry = tagged(rows, "ebay_entry")
    return {
        "rows": rows,
        "entry": entry,
        "entry_years": sorted(int(y) for y in entry["date_start"].dt.year.unique()),
        "launch": tagged(rows[rows["entity"] == "taobao"], "taobao_launch"),
        "passing": tagged(rows, "taobao_passes_ebay"),
        "share_2006": share[share["year"] == 2006].head(1).to_dict("records"),
        "escrow": escrow.head(1).to_dict("records"),
    }


def growth(case) -> dict:
    """Taobao's yearly transactions and Singles' Day, from the figures in this run."""
    taobao = case.metrics(entity="Taobao", metric="gmv", scope="Taobao")
    spans = taobao["period"].str.fullmatch(r"\d{4}-\d{4}")
    yearly, spanned = taobao[~spans], taobao[spans]
    festival = singles_day_rmb(case)
    slips = festival[festival["value"] >= TRILLION]
    return {
        "yearly": yearly,
        "first": yearly.iloc[0].to_dict() if len(yearly) else None,
        "last": yearly.iloc[-1].to_dict() if len(yearly) else None,
        "spanned": spanned.head(1).to_dict("records"),
        "festival": festival,
        "festival_years": sorted(int(y) for y in festival["year"].dropna().unique()),
        "slips": slips,
        "slip_figures": sorted({(prose.figure(v, "CNY"), int(y)) for v, y in zip(slips["value"], slips["year"])}),
    }


def ipo(case) -> dict:
    """The 2007 Hong Kong listing and the 2014 New York listing, figure by figure."""
    raised = case.metrics(entity="Alibaba Group", metric="ipo_raised")
    raised = raised[raised["year"] == 2014]
    rows = ipo_rows(case)
    values = rows[rows["metric"] == "market_value"]
    prices = case.metrics(entity="Alibaba Group", metric="share_price")
    prices = prices[prices["year"] == 2014]
    offer = prices.loc[prices["scope"] == "offer price", "value"]
    close = prices.loc[prices["scope"] == "first-day close", "value"]
    return {
        "hong_kong": case.metrics(entity="Alibaba.com", metric="ipo_raised"),
        "postponed": tagged(case.events(entities=["Alibaba.com"]), "ipo_2007_postponed").head(1).to_dict("records"),
        "rows": rows,
        "raised": raised,
        "raised_values": sorted({float(v) for v in raised["value"]}),
        "values": values,
        "distinct_values": sorted(float(v) for v in values["value"].unique()),
        "by_figure": [{"figure": figure, "values": sorted({float(v) for v in group["value"]}), "rows": group}
                      for figure, group in values.groupby("figure", sort=True)],
        "offer_price": float(offer.median()) if len(offer) else None,
        "close_price": float(close.median()) if len(close) else None,
    }


def regulation(case) -> dict:
    """The 2020-2021 regulatory turn: the Ant listing halted, the antitrust case and the fine."""
    rows = regulation_rows(case)
    planned = case.metrics(entity="Ant Group", metric=["ipo_raised", "market_value"])
    fine = case.metrics(entity="Alibaba Group", metric="fine")
    return {
        "rows": rows,
        "halt": tagged(rows, "ant_ipo_halt"),
        "planned": [{"metric": metric, "value": float(value), "rows": group, "disputed": bool(group["disputed"].any())}
                    for (metric, value), group in planned.groupby(["metric", "value"], sort=True)],
        "probe": tagged(rows, "antitrust_case"),
        "fine": fine,
        "fine_values": sorted({prose.figure(v, u) for v, u in zip(fine["value"], fine["unit"])}),
    }


def restructuring_ai(case) -> dict:
    """What the data says (and does not say) about 2022 onwards: the 2023 reorganisation and the AI push."""
    start, end = case.years
    events = case.events()
    late = events[events["date_start"].dt.year.between(max(start, 2022), 2025)]
    return {
        "late": late,
        "late_sources": sorted({prose.source(s) for s in late["source"]}),
        "restructured": tagged(late, "group_restructuring"),
        "kb_names_zhang": bool(((events["source"] == "kb") & (events["entity"] == "daniel_zhang")).any()),
        "ai": ai_rows(case).to_dict("records"),
    }


def succession(case) -> dict:
    """Who held the top jobs, and when, source by source."""
    rows = succession_rows(case)
    # A departure the same source also dates years earlier (the earlier date may lie outside the run's years).
    first_left = tagged(data.load("events"), "ma_leaves_ceo")["date_start"].min()
    left = tagged(rows, "ma_leaves_ceo")
    left = left[left["date_start"].dt.year > first_left.year]
    return {
        "rows": rows,
        "zhang_ceo": tagged(rows[rows["entity"] == "daniel_zhang"], "ceo_appointment"),
        "lu": rows[rows["entity"] == "jonathan_lu"],
        "chair": tagged(rows, "chair_handover"),
        "late_exit": left.tail(1).to_dict("records"),
    }


def dispute_rates(case, frames: list[pd.DataFrame] = ()) -> dict:
    """How often each source's statements in this notebook's exhibits are disputed."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return {"table": []}
    rows = pd.concat([f[["source", "disputed"]] for f in frames])
    table = rows.groupby("source", observed=True)["disputed"].agg(["count", "sum"]).sort_values("count", ascending=False)
    return {"table": [{"source": s, "count": int(r["count"]), "disputed": int(r["sum"])} for s, r in table.iterrows()]}


def answers(case) -> dict:
    """The exercises' expected answers under this run's parameters (for the instructor)."""
    from ...exercises import for_notebook

    return {"answers": [(exercise, exercise.answer(case)) for exercise in for_notebook("history")]}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def disputed_count(case) -> int:
    events = case.events(themes=case.params.get("themes"))
    if events.empty:
        raise Unavailable()
    return int(events["disputed"].sum())


def taobao_passes_ebay_years(case) -> list[int]:
    passing = tagged(rivalry_rows(case), "taobao_passes_ebay")
    if passing.empty:
        raise Unavailable("wider_years" if case.params.get("min_reliability") == "low" else "more_sources")
    return sorted(int(y) for y in passing["date_start"].dt.year.unique())


def ipo_close_value(case) -> float:
    rows = case.metrics(entity="Alibaba Group", metric=["market_value", "share_price"])
    rows = rows[rows["year"] == 2014]
    at_offer = rows.loc[(rows["metric"] == "market_value") & (rows["scope"] == "offer price"), "value"]
    offer = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "offer price"), "value"]
    close = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "first-day close"), "value"]
    if at_offer.empty or offer.empty or close.empty:
        raise Unavailable()
    return float(at_offer.median() * close.median() / offer.median())


def ipo_close_value_slip(case, answer, expected) -> str | None:
    """An answer given in billions (231 for US$231 billion)."""
    try:
        return "in_billions" if abs(float(answer) * 1e9 - expected) <= 0.02 * expected else None
    except (TypeError, ValueError):
        return None


def singles_day_growth(case) -> float:
    rows = singles_day_rmb(case)
    if rows.empty:
        raise Unavailable("no_figures")
    fixed = rows["value"].where(rows["value"] < TRILLION, rows["value"] / 1000)
    by_year = fixed.groupby(rows["year"]).median()
    if len(by_year) < 2:
        raise Unavailable("one_year", year=int(by_year.index[0]))
    return float(by_year.iloc[-1] / by_year.iloc[0])


def singles_day_growth_slip(case, answer, expected) -> str | None:
    """A tiny factor: the trillion slip left in one of the years."""
    return "slip_left" if isinstance(answer, (int, float)) and 0 < answer < 0.01 else None
