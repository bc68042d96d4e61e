"""The history chapter's facts: the frames behind its exhibits, the values its paragraphs need, and
the expected answers of its exercises.

Every function reads the data through ``case``, so the run's years, themes and minimum reliability
apply. Story functions (named like the blocks of ``story.md.j2``) return plain data; the words are
in the template. Events are picked by their ``tags`` (see ``data/tags.csv``), never by their titles.
Ratios the case computes itself (an implied value, a share of revenue) are computed here, once, and
the template says they are the case's arithmetic.
"""
from __future__ import annotations

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

RIVALS = ["Taobao", "eBay", "EachNet"]
TRILLION = 1e12  # an RMB festival total at or above this is a billion figure printed as trillion
VINTAGE = 2013  # the Lowrey volume's undated company figures describe about 2013 (fieldwork July 2013)
AI_FIGURES = ["M0040", "M0029", "M0021", "M0529", "M0078", "M0079"]  # in reading order (story.md.j2 words them)
# The deals and values of Exhibit 2: (entity, metric, scope) -> the row's label in the table.
LADDER = {
    ("alibaba_group", "amount_other", "founding capital"): "capital pooled by the 18 founders",
    ("alibaba_group", "funding_raised", "first two rounds"): "first two outside rounds together",
    ("alibaba_group", "funding_raised", "SoftBank round"): "SoftBank's round",
    ("yahoo", "deal_value", "40% stake"): "Yahoo pays for 40% of Alibaba",
    ("yahoo", "deal_value", "stake sale to Alibaba"): "Alibaba buys back part of Yahoo's stake",
    ("alibaba_group", "ipo_raised", "NYSE IPO"): "money raised in the New York listing",
    ("alibaba_group", "market_value", "offer price"): "market value at the US$68 offer price",
    ("alibaba_group", "market_value", "first-day close"): "market value at the first-day close",
    ("alibaba_group", "market_value", "group"): "market value",
}
# The bars of Exhibit 6, the 2014 listing: (entity, metric, scope) -> the bar's label.
LISTING = {
    ("alibaba_group", "ipo_raised", "NYSE IPO"): "paid by buyers in the offering",
    ("yahoo", "amount_other", "IPO share sale"): "of which paid to Yahoo for its shares",
    ("softbank", "amount_other", "Alibaba holding value"): "SoftBank's stake after the listing",
    ("alibaba_group", "market_value", "offer price"): "whole company at the offer price",
    ("alibaba_group", "market_value", "first-day close"): "whole company at the first-day close",
}


# ---- helpers -------------------------------------------------------------------------------------
def distinct(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """The events and the figures behind several exhibits, each row once (for the How-sure box)."""
    events = [f for f in frames if "event_id" in f]
    metrics = [f for f in frames if "metric_id" in f]
    out = []
    if events:
        out.append(pd.concat(events).drop_duplicates("event_id"))
    if metrics:
        out.append(pd.concat(metrics).drop_duplicates("metric_id"))
    return out


def _first(rows: pd.DataFrame) -> dict | None:
    """The first row as a record, or None."""
    return rows.iloc[0].to_dict() if len(rows) else None


def _settled(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows no one contradicts, or the dating the curators settled on (tag ``settled_date``)."""
    return rows[~rows["disputed"] | rows["tags"].fillna("").str.split().map(lambda t: "settled_date" in t)]


def _one_per_event(events: pd.DataFrame, by_entity: bool = False) -> pd.DataFrame:
    """One row per event for a record table: settled rows only; among rows sharing a tag (the same
    event told by several sources, or by one source for each party when ``by_entity``) the most
    precisely dated; untagged rows kept as they are. A date known only to the year sorts at its end."""
    rows = _settled(events).copy()
    shared = rows["tags"].fillna("").str.split().map(lambda t: " ".join(sorted(x for x in t if x not in ("leadership", "settled_date"))))
    rows["key"] = shared.where(shared != "", rows["event_id"]) + ("|" + rows["entity"].astype(str) if by_entity else "")
    rows = rows.sort_values(["date_precision", "source"], ascending=[False, True]).drop_duplicates("key")
    whole_year = rows["date_precision"] == "year"
    rows["order"] = rows["date_start"] + pd.to_timedelta(whole_year.astype(int) * 364, unit="D")
    rows = rows.sort_values(["order", "event_id"]).reset_index(drop=True)
    return rows.assign(
        when=rows["date"].map(prose.when).astype("string"),
        who=rows["entity"].map(prose.entity_name).astype("string"),
    )


def _picked(rows: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """The undisputed rows named in ``labels`` (by entity, metric and scope), one per label."""
    key = list(zip(rows["entity"].astype(str), rows["metric"].astype(str), rows["scope"].astype(str)))
    rows = rows.assign(label=[labels.get(k) for k in key]).dropna(subset=["label"])
    rows = rows[~rows["disputed"]].sort_values("metric_id").drop_duplicates("label")
    return rows.sort_values(["year", "value"]).reset_index(drop=True)


def _in_run(case, year: int) -> bool:
    start, end = case.years
    return start <= year <= end


def _undated_ok(case, rows: pd.DataFrame) -> pd.DataFrame:
    """Dated rows as the run filters them, plus undated ones when the run covers the source's vintage."""
    return rows[rows["year"].notna() | _in_run(case, VINTAGE)]


# ---- exhibit rows ---------------------------------------------------------------------------------
def founding_rows(case) -> pd.DataFrame:
    """Every dated statement from the founding years, 1999 and 2000."""
    events = case.events()
    return events[events["date_start"].dt.year.isin([1999, 2000])].reset_index(drop=True)


def rivalry_rows(case) -> pd.DataFrame:
    """The competition statements on Taobao, eBay and EachNet."""
    return case.events(themes=["competition"], entities=RIVALS)


def money_rows(case) -> pd.DataFrame:
    """Exhibit 2: what the founders and investors put in, and what the company was worth, 1999-2017."""
    rows = case.metrics(entity=["Alibaba Group", "Yahoo", "SoftBank"],
                        metric=["amount_other", "funding_raised", "deal_value", "ipo_raised", "market_value"])
    rows = _picked(rows, LADDER).sort_values(["period", "value"]).reset_index(drop=True)
    return rows.assign(period=rows["period"].map(prose.when).astype("string"))


def share_rows(case) -> pd.DataFrame:
    """Exhibit 3: Taobao's and Tmall's shares of their markets, as dated."""
    rows = case.metrics(entity=["Taobao", "Tmall"], metric="market_share")
    rows = rows[~rows["disputed"]]
    label = rows["entity"].map(prose.entity_name) + ", " + rows["scope"].astype(str) + " (" + rows["period"].map(prose.when) + ")"
    return rows.assign(market=label.astype("string")).reset_index(drop=True)


def taobao_gmv(case) -> pd.DataFrame:
    """Exhibit 4: Taobao's transaction volume by year (the first point covers 2003-2005)."""
    return case.metrics(entity="Taobao", metric="gmv", scope="Taobao")


def singles_day_rmb(case) -> pd.DataFrame:
    """Singles' Day GMV figures in RMB, as the sources print them."""
    rows = case.metrics(entity="singles_day", metric="gmv")
    return rows[rows["unit"] == "CNY"].reset_index(drop=True)


def _repaired(rows: pd.DataFrame) -> pd.Series:
    """Festival totals with the trillion misprint undone (a day's sales cannot exceed a year's e-commerce)."""
    return rows["value"].where(rows["value"] < TRILLION, rows["value"] / 1000)


def singles_day_chart(rows: pd.DataFrame):
    """Exhibit 5: one bar per festival, the median of the repaired totals, in RMB billion."""
    import altair as alt

    from ... import charts

    charts.enable()
    frame = rows.assign(shown=_repaired(rows) / 1e9, repaired=rows["value"] >= TRILLION)
    frame = frame.groupby("year", as_index=False).agg(
        shown=("shown", "median"), repaired=("repaired", "any"), printed=("value", lambda v: prose.join_words(sorted({prose.figure(x, "CNY") for x in v}))),
        lines=("line", lambda v: prose.join_words(sorted({int(x) for x in v}))))
    frame = frame.assign(year=frame["year"].astype(str), repaired=frame["repaired"].map({True: "yes", False: "no"}))
    frame = frame.astype({"year": "string", "repaired": "string", "printed": "string", "lines": "string"})
    return (
        alt.Chart(frame)
        .mark_bar(color=charts.PALETTE[0])
        .encode(
            x=alt.X("year:N", title="festival (11 November)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("shown:Q", title="RMB billion"),
            tooltip=[alt.Tooltip("year:N", title="festival"), alt.Tooltip("shown:Q", title="RMB billion", format=",.1f"),
                     alt.Tooltip("printed:N", title="as printed"), alt.Tooltip("repaired:N", title="misprint repaired"),
                     alt.Tooltip("lines:N", title="Lowrey volume, lines")],
        )
        .properties(width=charts.WIDTH - 200, height=260)
    )


def ipo_rows(case) -> pd.DataFrame:
    """Exhibit 6: the 2014 listing in US dollars: what was sold, what the holders kept, what it was all worth."""
    rows = case.metrics(entity=["Alibaba Group", "Yahoo", "SoftBank"], metric=["ipo_raised", "amount_other", "market_value"])
    rows = _picked(rows[rows["year"] == 2014], LISTING)
    return rows.rename(columns={"label": "part"}).astype({"part": "string"})


def appraisal_rows(case) -> pd.DataFrame:
    """Exhibit 7: the share of staff in each band of the yearly appraisal, before and after the 2013 change."""
    rows = case.metrics(entity="Alibaba Group", metric="share_other", dated=False)
    rows = _undated_ok(case, rows[rows["scope"].astype(str).str.startswith("appraisal, ")])
    if rows.empty:
        return rows.assign(band=pd.Series(dtype="string"), rule=pd.Series(dtype="string"))
    bands = rows["scope"].astype(str).str.removeprefix("appraisal, ")
    curve = rows.groupby(rows["period"].astype(str))["value"].transform(lambda v: "-".join(str(round(x * 10)) for x in v))
    return rows.assign(band=bands.astype("string"), rule=(curve + " rule").astype("string")).reset_index(drop=True)


def appraisal_chart(rows: pd.DataFrame):
    """Exhibit 7's bars: one group per band, one bar per rule."""
    import altair as alt

    from ... import charts

    charts.enable()
    frame = rows.assign(percent=rows["value"] * 100)[["band", "rule", "percent", "period", "source", "line"]]
    frame = frame.astype({"band": "string", "rule": "string", "period": "string", "source": "string"})
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("band:N", title=None, sort=["top band", "middle band", "bottom band"]),
            yOffset=alt.YOffset("rule:N"),
            x=alt.X("percent:Q", title="share of staff (percent)"),
            color=alt.Color("rule:N", title="appraisal rule", scale=alt.Scale(range=[charts.PALETTE[1], charts.PALETTE[0]])),
            tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("band:N"), alt.Tooltip("percent:Q", title="percent"),
                     alt.Tooltip("period:N"), alt.Tooltip("source:N"), alt.Tooltip("line:Q")],
        )
        .properties(width=charts.WIDTH - 160, height=200)
    )


def _rules(rows: pd.DataFrame) -> list[dict]:
    """Each appraisal rule as one record (rule, period, top, middle, bottom, rows), the older first."""
    out = []
    for (rule, period), group in rows.groupby(["rule", "period"], sort=False):
        shares = dict(zip(group["band"].str.removesuffix(" band"), group["value"]))
        out.append({"rule": rule, "period": period, "rows": group, **shares})
    return sorted(out, key=lambda r: (r["period"] != "undated", r["period"]))


def succession_rows(case) -> pd.DataFrame:
    """Exhibit 8: who held the top jobs, one row per change."""
    return _one_per_event(tagged(case.events(themes=["history"]), "leadership"), by_entity=True)


def regulation_rows(case) -> pd.DataFrame:
    """Exhibit 9: the regulatory turn from 2020 on, one row per event."""
    events = case.events(themes=["regulation"])
    return _one_per_event(events[events["date_start"].dt.year >= 2020])


def ai_rows(case) -> pd.DataFrame:
    """The AI-era figures: cloud AI revenue, model downloads, the infrastructure plan (undated ones included)."""
    start, end = case.years
    rows = case.metrics(entity=["Alibaba Cloud", "Qwen", "Alibaba Group"], dated=False)
    rows = rows[rows["metric_id"].isin(AI_FIGURES)]
    rows = rows[rows["year"].isna() | rows["year"].between(start, end).fillna(False).astype(bool)]
    order = {metric_id: n for n, metric_id in enumerate(AI_FIGURES)}
    return rows.sort_values("metric_id", key=lambda ids: ids.map(order)).reset_index(drop=True)


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
# Each returns ``cited``: every row its paragraph rests on, for the one end note the paragraph carries.
def _cited(*frames: pd.DataFrame) -> pd.DataFrame:
    """The source and line of every row behind a paragraph, each once, in the order given."""
    used = [f[["source", "line"]] for f in frames if f is not None and len(f)]
    return pd.concat(used).drop_duplicates().reset_index(drop=True) if used else pd.DataFrame(columns=["source", "line"])


def _value(rows: pd.DataFrame) -> float | None:
    """The median value of ``rows``, or None when there are none."""
    return float(rows["value"].median()) if len(rows) else None


def run_scope(case) -> dict:
    """What this run shows, and what its parameters leave out."""
    themes = case.params.get("themes", [])
    everything = case.events()
    return {
        "left_out_themes": [t for t in data.themes() if t not in themes],
        "last_year": int(everything["date_start"].dt.year.max()) if len(everything) else case.years[1],
    }


def founding(case) -> dict:
    """The founding, the first money and the early deals, with the value Yahoo's price implies."""
    rows = founding_rows(case)
    money = money_rows(case)
    capital = money[money["metric"] == "amount_other"]
    rounds = money[(money["metric"] == "funding_raised") & (money["scope"] == "first two rounds")]
    softbank_money = money[(money["metric"] == "funding_raised") & (money["scope"] == "SoftBank round")]
    yahoo = money[(money["entity"] == "yahoo") & (money["year"] == 2005)]
    stake = case.metrics(entity="Yahoo", metric="stake")
    stake = stake[stake["year"] == 2005]
    founded, softbank = tagged(rows, "founding"), tagged(rows, "softbank_investment")
    return {
        "founded": founded,
        "softbank": softbank,
        "founded_years": sorted(int(y) for y in founded["date_start"].dt.year.unique()),
        "capital": _value(capital),
        "rounds": _value(rounds),
        "softbank_amount": _value(softbank_money),
        "yahoo": _value(yahoo),
        "stake": _value(stake),
        "yahoo_implied": _value(yahoo) / _value(stake) if len(yahoo) and len(stake) else None,
        "cited": _cited(founded, capital, rounds, softbank_money, softbank, yahoo, stake),
    }


def taobao_vs_ebay(case) -> dict:
    """How Taobao entered against eBay and what it won: the launch, the forecast, escrow, the shares."""
    rows = rivalry_rows(case)
    shares = share_rows(case)
    escrow = tagged(case.events(entities=["Alipay"]), "escrow_launch").head(1)
    first_deal = case.metrics(entity="Alipay", metric="amount_other")
    first_deal = first_deal[first_deal["scope"] == "first escrow deal"]
    launch = tagged(rows[rows["entity"] == "taobao"], "taobao_launch").sort_values("date_precision", ascending=False).head(1)
    exits = _settled(tagged(rows, "ebay_exit"))
    share_2006, share_late = shares[shares["year"] == 2006], shares[shares["year"] > 2006].tail(2)
    return {
        "launch": _first(launch),
        "escrow": _first(escrow),
        "first_deal": _value(first_deal),
        "exit_years": sorted(int(y) for y in exits["date_start"].dt.year.unique()),
        "share_2006": _value(share_2006),
        "share_late": share_late.to_dict("records"),
        "cited": _cited(launch, escrow, first_deal, share_2006, exits, share_late),
    }


def growth(case) -> dict:
    """Taobao's yearly transactions, set beside all of China's online retail."""
    taobao = taobao_gmv(case)
    spans = taobao["period"].str.fullmatch(r"\d{4}-\d{4}")
    yearly, spanned = taobao[~spans], taobao[spans]
    first, last = _first(yearly), _first(yearly.iloc[::-1])
    online = case.metrics(entity="china_ecommerce", metric="gmv", scope="China online retail")
    online_2008 = online[(online["year"] == 2008) & ~online["disputed"]]
    taobao_2008 = yearly[yearly["year"] == 2008]
    span_years = (last["year"] - first["year"]) if first and last else 0
    return {
        "first": first,
        "last": last,
        "cagr": (last["value"] / first["value"]) ** (1 / span_years) - 1 if span_years else None,
        "spanned": _first(spanned),
        "online_2008": _value(online_2008),
        "vs_online_2008": _value(taobao_2008) / _value(online_2008) if len(taobao_2008) and len(online_2008) else None,
        "cited": _cited(yearly, spanned, online_2008),
    }


def festival(case) -> dict:
    """Singles' Day: sales by year with the misprint repaired, orders, and the festival beside a year's online retail."""
    rows = singles_day_rmb(case)
    by_year = _repaired(rows).groupby(rows["year"]).median()
    online = case.metrics(entity="china_ecommerce", metric="gmv", scope="China online retail")
    online_2014 = online[(online["year"] == 2014) & ~online["disputed"]]
    orders = case.metrics(entity="singles_day", metric="orders")
    return {
        "years": [int(y) for y in by_year.index],
        "values": [float(v) for v in by_year.values],
        "repaired": bool((rows["value"] >= TRILLION).any()),
        "orders": orders[["year", "value"]].to_dict("records"),
        "share_of_year": float(by_year[2014] / online_2014["value"].median()) if 2014 in by_year.index and len(online_2014) else None,
        "cited": _cited(rows, orders, online_2014),
    }


def ipo(case) -> dict:
    """The 2007 Hong Kong listing and the 2014 New York listing: what was sold, at what price, for what value."""
    prices = case.metrics(entity="Alibaba Group", metric="share_price")
    prices = prices[prices["year"] == 2014]
    shares = case.metrics(entity="Alibaba Group", metric="count")
    shares = shares[shares["scope"] == "IPO shares offered"]
    parts = ipo_rows(case)
    at_offer = parts[(parts["metric"] == "market_value") & (parts["scope"] == "offer price")]
    at_close = parts[(parts["metric"] == "market_value") & (parts["scope"] == "first-day close")]
    raised = parts[parts["metric"] == "ipo_raised"]
    softbank = parts[parts["entity"] == "softbank"]
    softbank_stake = case.metrics(entity="SoftBank", metric="stake")
    softbank_stake = softbank_stake[softbank_stake["year"] == 2014]
    first_money = case.metrics(entity="Alibaba Group", metric="funding_raised", dated=False)
    first_money = first_money[(first_money["scope"] == "SoftBank round") & ~first_money["disputed"]]
    hong_kong = case.metrics(entity="Alibaba.com", metric="ipo_raised").head(1)
    price_range = prices[prices["scope"].astype(str).str.startswith("IPO range")]
    offer, close = prices[prices["scope"] == "offer price"], prices[prices["scope"] == "first-day close"]
    gain = case.metrics(entity="Alibaba Group", metric="growth_rate")
    gain = gain[gain["scope"] == "first-day gain"]
    later = case.metrics(entity="Alibaba Group", metric="market_value")
    later = later[(later["year"] > 2014) & (later["scope"] == "group")].head(1)
    return {
        "hong_kong": _first(hong_kong),
        "price_range": sorted(float(v) for v in price_range["value"]),
        "offer": _value(offer),
        "close": _value(close),
        "gain": _value(gain),
        "shares": _value(shares),
        "raised": _value(raised),
        "at_offer": _value(at_offer),
        "at_close": _value(at_close),
        "float_share": _value(raised) / _value(at_offer) if len(raised) and len(at_offer) else None,
        "softbank": _value(softbank),
        "softbank_stake": _value(softbank_stake),
        "softbank_multiple": _value(softbank) / _value(first_money) if len(softbank) and len(first_money) else None,
        "later": _first(later),
        "cited": _cited(hong_kong, price_range, offer, shares, raised, at_offer, close, gain, at_close,
                        softbank, softbank_stake, later),
    }


def _rules(rows: pd.DataFrame) -> list[dict]:
    """Each appraisal rule as one record (rule, period, top, middle, bottom), the older first."""
    out = []
    for (rule, period), group in rows.groupby(["rule", "period"], sort=False):
        out.append({"rule": rule, "period": period, **dict(zip(group["band"].str.removesuffix(" band"), group["value"]))})
    return sorted(out, key=lambda r: (r["period"] != "undated", r["period"]))


def culture(case) -> dict:
    """The values, the motto, the appraisal and the rotation of jobs, from the culture statements in this run."""
    events = case.events()
    company = events[events["entity"] == "alibaba_group"]
    figures = _undated_ok(case, case.metrics(entity="Alibaba Group", dated=False))
    weight = figures[figures["scope"] == "appraisal weight on values"]
    behaviours = figures[figures["scope"] == "graded value behaviours"]
    moves = figures[figures["scope"] == "internal job moves"]
    staff = figures[(figures["metric"] == "employees") & (figures["year"] == 2012)]
    tests = tagged(events, "values_test")
    nine = company[(company["theme"] == "culture") & (company["date"] == "2001")]
    bust = company[(company["theme"] == "history") & (company["date"] == "2001") & ~company["disputed"]]
    visions = tagged(events, "vision")
    curves = appraisal_rows(case)
    fraud = tests[tests["entity"] == "alibaba_com"]
    fraud_staff = case.metrics(entity="Alibaba.com", metric="count")
    fraud_staff = fraud_staff[fraud_staff["scope"] == "staff in supplier fraud"]
    fraud_exit = _settled(tests[tests["entity"] == "wei_zhe"])
    outsourcing = tests[tests["entity"] == "alibaba_group"]
    return {
        "bust": _first(bust),
        "nine": _first(nine),
        "vision_years": visions["date"].tolist(),
        "weight": _value(weight),
        "behaviours": _value(behaviours),
        "rules": _rules(curves),
        "moves": _value(moves),
        "staff": _value(staff),
        "fraud": _first(fraud),
        "fraud_staff": _value(fraud_staff),
        "fraud_exit": _first(fraud_exit),
        "outsourcing": _first(outsourcing),
        "cited": _cited(bust, nine, visions, weight, behaviours, curves, moves, staff, fraud, fraud_staff, fraud_exit, outsourcing),
    }


def succession(case) -> dict:
    """Who held the top jobs, and when; how the group moved from one man's rule to committees and units."""
    rows = succession_rows(case)
    history = case.events(themes=["history"], entities=["Alibaba Group"])
    units = case.metrics(entity="Alibaba Group", metric="count")
    units = units[units["scope"].isin(["business groups", "business units"])].drop_duplicates("scope")
    zhang = rows[rows["entity"] == "daniel_zhang"]
    one_man = tagged(history, "governance")
    picks = {
        "ma_ceo": tagged(rows, "ma_leaves_ceo"),
        "lu": rows[rows["entity"] == "jonathan_lu"],
        "joined": zhang[zhang["tags"].fillna("") == "leadership"],
        "zhang_ceo": tagged(rows, "ceo_appointment"),
        "chair": tagged(rows, "chair_handover"),
    }
    return {
        "any": bool(len(rows) or len(one_man)),
        "one_man": _first(one_man),
        "units": units[["period", "value"]].to_dict("records"),
        **{name: (str(frame["date"].iloc[0]) if len(frame) else None) for name, frame in picks.items()},
        "cited": _cited(one_man, units, *picks.values()),
    }


def regulation(case) -> dict:
    """The 2020-2021 regulatory turn, and its cost set beside a year's revenue and cash flow."""
    rows = regulation_rows(case)
    speech = case.events(entities=["Jack Ma"], themes=["regulation"]).head(1)
    planned = case.metrics(entity="Ant Group", metric=["ipo_raised", "market_value"])
    planned = planned[~planned["disputed"]]
    raise_, valuation = planned[planned["metric"] == "ipo_raised"].head(1), planned[planned["metric"] == "market_value"].head(1)
    fine = case.metrics(entity="Alibaba Group", metric="fine")
    revenue = case.metrics(entity="Alibaba Group", metric="revenue")
    revenue = revenue[revenue["scope"] == "group"].head(1)
    cash = case.metrics(entity="Alibaba Group", metric="free_cash_flow")
    cash = cash[cash["unit"] == "USD"].head(1)
    halt, probe = tagged(rows, "ant_ipo_halt"), tagged(rows, "antitrust_case")
    remedy, warning = rows[rows["date"] == "2024"], rows[rows["date"] == "2025"]
    amount = _value(fine)
    return {
        "any": bool(len(rows)),
        "raise": _value(raise_),
        "valuation": _value(valuation),
        "speech": _first(speech),
        "halt": _first(halt),
        "probe": _first(probe),
        "fine": amount,
        "fine_of_revenue": amount / _value(revenue) if amount and len(revenue) else None,
        "fine_of_cash": amount / _value(cash) if amount and len(cash) else None,
        "remedy": _first(remedy),
        "warning": _first(warning),
        "cited": _cited(raise_, valuation, speech, halt, probe, fine, revenue, cash, remedy, warning),
    }


def restructuring_ai(case) -> dict:
    """The AI push as the 2025 article reports it (shown when the run reaches 2025)."""
    rows = ai_rows(case) if _in_run(case, 2025) else ai_rows(case).iloc[0:0]
    return {"ai": {r["metric_id"]: r for r in rows.to_dict("records")}, "cited": _cited(rows)}


def decision(case) -> dict:
    """The 2025 choice in numbers the history sets up: the plan's yearly size against past cash flow, the regulator."""
    plan = case.metrics(entity="Alibaba Group", metric="capex_plan", dated=False)
    plan = plan[plan["unit"] == "CNY"].head(1)
    length = case.metrics(entity="Alibaba Group", metric="duration", dated=False)
    length = length[length["scope"] == "cloud and AI plan length"].head(1)
    cash = case.metrics(entity="Alibaba Group", metric="free_cash_flow", dated=False)
    cash = cash[cash["unit"] == "CNY"].head(1)
    events = data.at_least(data.load("events"), case.params.get("min_reliability", "low"))  # whatever the run's years
    regulation = events[events["theme"] == "regulation"]
    remedy = regulation[(regulation["entity"] == "alibaba_group") & (regulation["date"] == "2024")].head(1)
    warning = regulation[(regulation["entity"] == "samr") & (regulation["date"] == "2025")].head(1)
    per_year = _value(plan) / _value(length) if len(plan) and len(length) else None
    return {
        "plan": _value(plan),
        "per_year": per_year,
        "per_year_of_cash": per_year / _value(cash) if per_year and len(cash) else None,
        "remedy": _first(remedy),
        "warning": _first(warning),
        "cited": _cited(plan, length, cash, remedy, warning),
    }


def how_sure(case) -> dict:
    """The two disagreements that matter for reading this history: the festival misprint and the listing value."""
    festival = singles_day_rmb(case)
    values = case.metrics(entity="Alibaba Group", metric="market_value")
    close = values[(values["year"] == 2014) & (values["scope"] == "first-day close")]
    slips = festival[festival["value"] >= TRILLION]
    payments = festival[(festival["value"] < TRILLION) & (festival["year"] == 2013)]
    low_close, high_close = close[close["value"] < 1e11], close[(close["value"] >= 1e11) & ~close["disputed"]]
    return {
        "slip_years": sorted(int(y) for y in slips["year"].unique()),
        "payments": _value(payments),
        "low_close": _value(low_close),
        "high_close": _value(high_close),
        "cited": _cited(slips, payments, low_close, high_close),
    }


def answers(case) -> dict:
    """The exercises' expected answers under this run's parameters (for the instructor)."""
    from ...exercises import for_notebook

    return {"answers": [(exercise, exercise.answer(case)) for exercise in for_notebook("history")]}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def _needs(case, *years: int) -> None:
    """Raise Unavailable with the right reason when the run leaves out a year or the low sources."""
    if not all(_in_run(case, y) for y in years):
        raise Unavailable("wider_years")
    if case.params.get("min_reliability", "low") != "low":
        raise Unavailable("more_sources")
    raise Unavailable("wider_years")


def value_growth(case) -> float:
    stake = case.metrics(entity="Yahoo", metric="stake")
    price = case.metrics(entity="Yahoo", metric="deal_value")
    values = case.metrics(entity="Alibaba Group", metric="market_value")
    stake, price = stake.loc[stake["year"] == 2005, "value"], price.loc[price["year"] == 2005, "value"]
    at_offer = values.loc[(values["year"] == 2014) & (values["scope"] == "offer price"), "value"]
    if stake.empty or price.empty or at_offer.empty:
        _needs(case, 2005, 2014)
    implied = price.median() / stake.median()
    return float((at_offer.median() / implied) ** (1 / (2014 - 2005)) - 1)


def value_growth_slip(case, answer, expected) -> str | None:
    """The whole factor instead of a yearly rate, or a rate given in percent."""
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return None
    if abs(answer - (1 + expected) ** 9) <= 0.02 * (1 + expected) ** 9 or abs(answer - ((1 + expected) ** 9 - 1)) <= 0.02 * (1 + expected) ** 9:
        return "whole_factor"
    return "percent" if abs(answer - expected * 100) <= 0.02 * expected * 100 else None


def ipo_close_value(case) -> float:
    rows = case.metrics(entity="Alibaba Group", metric=["market_value", "share_price"])
    rows = rows[rows["year"] == 2014]
    at_offer = rows.loc[(rows["metric"] == "market_value") & (rows["scope"] == "offer price"), "value"]
    offer = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "offer price"), "value"]
    close = rows.loc[(rows["metric"] == "share_price") & (rows["scope"] == "first-day close"), "value"]
    if at_offer.empty or offer.empty or close.empty:
        _needs(case, 2014)
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
    by_year = _repaired(rows).groupby(rows["year"]).median()
    if len(by_year) < 2:
        raise Unavailable("one_year", year=int(by_year.index[0]))
    return float(by_year.iloc[-1] / by_year.iloc[0])


def singles_day_growth_slip(case, answer, expected) -> str | None:
    """A tiny factor: the trillion slip left in one of the years."""
    return "slip_left" if isinstance(answer, (int, float)) and 0 < answer < 0.01 else None


def fine_share(case) -> float:
    fine = case.metrics(entity="Alibaba Group", metric="fine")
    revenue = case.metrics(entity="Alibaba Group", metric="revenue").query("scope == 'group'")
    fine, revenue = fine.loc[fine["unit"] == "USD", "value"], revenue.loc[revenue["unit"] == "USD", "value"]
    if fine.empty or revenue.empty:
        _needs(case, 2021)
    return float(fine.median() / revenue.median())


def fine_share_slip(case, answer, expected) -> str | None:
    """A share given in percent (2.6 for 2.6%)."""
    try:
        return "percent" if abs(float(answer) - expected * 100) <= 0.02 * expected * 100 else None
    except (TypeError, ValueError):
        return None
