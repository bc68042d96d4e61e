"""The fintech notebook (03_fintech): Alipay, Ali Small Loans, Yu'e Bao, Ant Group and their regulators.

Three kinds of function live here, so the notebook's cells stay one-liners:

* ``*_rows(case)``: the figures behind an exhibit, filtered by the run's years and reliability;
* ``*_chart(rows)``: the two charts the generic recipes cannot draw (a log-scale dot plot of
  payment volumes, and the order-loan rate read three ways);
* stories (``def name(case) -> str``): Markdown whose every figure comes from the data, called
  with ``case.story("name")``; and ``EXERCISES``, the checks behind ``case.check``.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import checks, data
from ..charts import format_value

# Ant's businesses (the focus choices and their siblings), the bodies that regulate them, the rivals.
FINTECH = ["alipay", "ant_group", "ali_small_loans", "mybank", "yuebao", "sesame_credit", "huabei", "antchain"]
REGULATORS = ["pboc", "csrc", "cbirc", "sse"]
RIVALS = ["unionpay", "wechat_pay", "tencent", "paypal"]
MARKET = ["china_ecommerce", "china_economy", "china_microenterprises", "tianhong_fund"]

RELIABILITY = ["low", "medium", "high"]
DAYS = 365  # the convention the exercises and the rate exhibit use to annualise a daily rate


# ---- small helpers ---------------------------------------------------------------------------------

def _name(entity_id: str) -> str:
    entities = data.load("entities").set_index("entity_id")
    return str(entities.loc[entity_id, "name"]) if entity_id in entities.index else entity_id


def _short(source_id: str) -> str:
    table = data.sources().set_index("source_id")
    return str(table.loc[source_id, "short_name"]) if source_id in table.index else source_id


def _fmt(value: float, unit: str) -> str:
    """A figure as a reader writes it; below a million, digits in full (RMB5,937, 642,000) rather than 'thousand'."""
    value, unit = float(value), str(unit)
    if unit in ("CNY", "USD", "count") and abs(value) < 1e6:
        number = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
        return {"CNY": "RMB", "USD": "US$"}.get(unit, "") + number
    return format_value(value, unit)


def _pct(share: float, digits: int = 3) -> str:
    return f"{share * 100:.{digits}g}%"


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value) else str(value)


def _cite(row) -> str:
    flag = ", flagged disputed" if bool(row.disputed) else ""
    return f"*({_short(row.source)}, line {row.line}{flag})*"


def _where(rows: pd.DataFrame) -> list[str]:
    """'Lowrey, line 2044': the source's author (or short name) and the line, for table columns."""
    return [f"{_short(s).split(',')[0].split(' (')[0]}, line {n}" for s, n in zip(rows["source"], rows["line"])]


def _bullets(rows: pd.DataFrame, limit: int = 12) -> str:
    """One Markdown bullet per figure: period, value, what it measures, the source and line."""
    lines = []
    for row in rows.head(limit).itertuples():
        what = _text(row.scope) or row.metric.replace("_", " ")
        note = _text(row.note).split(";")[0].strip()
        note = f"; {note}" if note and len(note) < 90 else ""
        lines.append(f"- **{row.period}**: {_fmt(row.value, row.unit)}, {what} ({row.metric.replace('_', ' ')}{note}) {_cite(row)}")
    more = len(rows) - limit
    if more > 0:
        lines.append(f"- ... and {more} more in the exhibits.")
    return "\n".join(lines)


def _one(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> pd.Series | None:
    """The single figure for entity/metric/scope in this run, or None when the run has none."""
    rows = case.metrics(entity, metric, scope=scope, dated=dated)
    return rows.iloc[-1] if len(rows) else None


def _value(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> float:
    """The largest value for entity/metric/scope in this run (NaN when there is none), as the solutions compute it."""
    return case.metrics(entity, metric, scope=scope, dated=dated)["value"].max()


def _missing(value: float) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _why_empty(case, what: str, years: str, grade: str = "medium") -> str:
    start, end = case.years
    reasons = []
    lo, hi = (int(y) for y in years.split("-")) if "-" in years else (int(years), int(years))
    if end < lo or start > hi:
        reasons.append(f"this run shows {start}-{end}, and the figure belongs to {years}")
    if RELIABILITY.index(case.params.get("min_reliability", "low")) > RELIABILITY.index(grade):
        reasons.append(f"its source is graded {grade}, below this run's min_reliability ({case.params['min_reliability']})")
    because = " and ".join(reasons) or "the run's filters leave it out"
    return f"This run has no {what} to work with: {because}. Re-run with the defaults to try this exercise."


# ---- the rows behind each exhibit ------------------------------------------------------------------

def events(case) -> pd.DataFrame:
    """Dated statements about Alibaba's finance businesses and the regulators that shaped them."""
    frame = case.events()
    keep = (
        (frame["theme"] == "fintech")
        | frame["entity"].isin(FINTECH)
        | ((frame["theme"] == "regulation") & frame["entity"].isin(REGULATORS + ["jack_ma"]))
    )
    return frame[keep].reset_index(drop=True)


def alipay_users(case) -> pd.DataFrame:
    """Alipay's user and account counts (person-times of one holiday service left out: they are not users)."""
    rows = case.metrics("Alipay", ["users", "registered_users"])
    return rows[~rows["scope"].fillna("").str.contains("bill payers")].reset_index(drop=True)


def payment_rows(case) -> pd.DataFrame:
    """Payment values in RMB: Alipay's, and the market totals the same pages give."""
    rows = pd.concat([case.metrics("Alipay", "payment_volume"), case.metrics("china_ecommerce", "payment_volume")])
    rows = rows[rows["unit"].astype(str) == "CNY"].copy()
    rows["who"] = [("Alipay" if e == "alipay" else "whole market") for e in rows["entity"]]
    rows["label"] = [f"{w}: {s} ({p}), line {n}" for w, s, p, n in zip(rows["who"], rows["scope"], rows["period"], rows["line"])]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


def payments_chart(rows: pd.DataFrame):
    """Dots on a log scale: a one-day festival total and a year's volume on one readable axis."""
    import altair as alt

    from ..charts import WIDTH

    frame = rows.assign(
        billions=rows["value"] / 1e9,
        disputed=rows["disputed"].map({True: "yes", False: "no"}),
    )[["label", "who", "billions", "period", "scope", "source", "line", "disputed"]].astype(
        {"label": "string", "who": "string", "period": "string", "scope": "string", "source": "string"}
    )
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=110)
        .encode(
            y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("billions", order="descending"), axis=alt.Axis(labelLimit=330)),
            x=alt.X("billions:Q", title="RMB billion (log scale)", scale=alt.Scale(type="log"),
                    axis=alt.Axis(values=[1, 10, 100, 1000, 10000], format=",d", grid=True)),
            color=alt.Color("who:N", title=None, scale=alt.Scale(domain=["Alipay", "whole market"], range=["#e66a00", "#0072b2"])),
            shape=alt.Shape("disputed:N", title="disputed", scale=alt.Scale(domain=["no", "yes"], range=["circle", "triangle-up"])),
            tooltip=[alt.Tooltip("label:N", title="figure"), alt.Tooltip("billions:Q", title="RMB billion", format=",.4~g"),
                     alt.Tooltip("source:N"), alt.Tooltip("line:Q"), alt.Tooltip("disputed:N")],
        )
        .properties(width=WIDTH - 300, height=max(80, 26 * max(1, len(frame))))
    )


def widen(exhibit, label_limit: int = 330, width: int = 380):
    """Give a bar exhibit's category labels room (casekit's bars keep Vega's 200-pixel default, which cuts long labels)."""
    body = exhibit.body
    if hasattr(body, "encoding") and getattr(body.encoding, "y", None) is not None:
        body.encoding.y.axis = {"labelLimit": label_limit}
        exhibit.body = body.properties(width=width)
    return exhibit


def share_rows(case) -> pd.DataFrame:
    """Market shares of Alipay and its rivals, dated and undated, each labelled with what it is a share of."""
    rows = case.metrics(["Alipay", "UnionPay", "WeChat Pay"], "market_share", dated=False).copy()
    rows["who"] = [_name(e) for e in rows["entity"]]
    rows["label"] = [f"{w}: {s}, {p} ({where})" for w, s, p, where in zip(rows["who"], rows["scope"], rows["period"], _where(rows))]
    return rows.reset_index(drop=True)


def microfinance_rows(case) -> pd.DataFrame:
    """Every lending figure: Ali Small Loans (dated and undated) and Ant's 2020 lending claim."""
    rows = pd.concat([
        case.metrics("Ali Small Loans", dated=False),
        case.metrics("Ant Group", ["loans_issued", "borrowers"], dated=False),
    ])
    rows = rows[rows["unit"].astype(str) != "days"].copy()
    rows["who"] = [_name(e) for e in rows["entity"]]
    rows["figure"] = [f"{m.replace('_', ' ')}: {s}" for m, s in zip(rows["metric"], rows["scope"])]
    rows["flag"] = rows["disputed"].map({True: "yes", False: ""})
    rows["note"] = rows["note"].fillna("")
    rows["where"] = _where(rows)
    rows["order"] = rows["year"].fillna(9999)
    return rows.sort_values(["order", "metric", "line"]).drop(columns="order").reset_index(drop=True)


def borrower_rows(case) -> pd.DataFrame:
    """The four counts of Ali Small Loans' customers in one book."""
    rows = case.metrics("Ali Small Loans", "borrowers", dated=False).copy()
    rows["counted"] = ["firms that took a loan" if s == "Ali Small Loans" else "vendors offered a credit line" for s in rows["scope"]]
    rows["label"] = [f"{c}, {p} (line {n})" for c, p, n in zip(rows["counted"], rows["period"], rows["line"])]
    return rows.reset_index(drop=True)


def rate_rows(case) -> pd.DataFrame:
    """Ali Small Loans' interest-rate figures, as printed (shares; the note says per day or per year)."""
    return case.metrics("Ali Small Loans", "interest_rate", dated=False)


def rate_readings(rows: pd.DataFrame) -> pd.DataFrame:
    """The printed rates as yearly rates: the daily 0.005 read three ways, the yearly figures as given."""
    out = []
    for row in rows.itertuples():
        base = dict(source=row.source, line=row.line, printed=f"{row.value:g}", period=row.period)
        if "daily" in _text(row.scope):
            out += [
                dict(base, reading=f"printed {row.value:g} a day read as a fraction ({row.value * 100:g}% a day)", yearly=row.value * DAYS, kind="daily rate, annualised"),
                dict(base, reading=f"printed {row.value:g} read as a percent ({row.value:g}% a day)", yearly=row.value / 100 * DAYS, kind="daily rate, annualised"),
                dict(base, reading=f"the data's note: probably {row.value / 10:g} ({row.value * 10:g}% a day)", yearly=row.value / 10 * DAYS, kind="daily rate, annualised"),
            ]
        else:
            out.append(dict(base, reading=f"{row.scope} ({row.period})", yearly=row.value, kind="yearly rate, as stated"))
    frame = pd.DataFrame(out, columns=["reading", "yearly", "kind", "source", "line", "printed", "period"])
    frame["percent"] = frame["yearly"] * 100
    frame["shown"] = [f"{p:,.4g}%" for p in frame["percent"]]
    return frame


def rate_chart(rows: pd.DataFrame):
    """Bars of yearly rates on a log axis, labelled with their values."""
    import altair as alt

    from ..charts import WIDTH

    frame = rate_readings(rows).astype({"reading": "string", "kind": "string", "source": "string", "printed": "string", "shown": "string"})
    base = alt.Chart(frame).encode(
        y=alt.Y("reading:N", title=None, sort=alt.EncodingSortField("percent", order="descending"), axis=alt.Axis(labelLimit=300)),
        x=alt.X("percent:Q", title="yearly interest rate, percent (log scale)", scale=alt.Scale(type="log", domain=[1, 400]),
                axis=alt.Axis(values=[1, 2, 5, 10, 20, 50, 100, 200], format="d")),
        tooltip=[alt.Tooltip("reading:N"), alt.Tooltip("shown:N", title="per year"), alt.Tooltip("printed:N", title="as printed"),
                 alt.Tooltip("source:N"), alt.Tooltip("line:Q")],
    )
    kinds = ["daily rate, annualised", "yearly rate, as stated"]
    dots = base.mark_circle(size=140, opacity=0.9).encode(color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=["#e66a00", "#0072b2"])))
    labels = base.mark_text(align="left", dx=9, color="#1f2933").encode(text="shown:N")
    return (dots + labels).properties(width=WIDTH - 280, height=max(80, 30 * max(1, len(frame))))


def yuebao_rows(case) -> pd.DataFrame:
    """Yu'e Bao's assets, users and terms, with the money-market and deposit figures that frame them."""
    rows = pd.concat([
        case.metrics("Yu'e Bao", dated=False),
        case.metrics("tianhong_fund", dated=False),
        case.metrics("china_economy", ["fund_assets", "fund_yield", "amount_other"], dated=False),
        case.metrics("us_economy", "fund_assets", dated=False),
    ])
    rows = rows[rows["entity"].isin(["yuebao", "tianhong_fund"]) | rows["scope"].isin(["money-market funds", "household deposits"])].copy()
    rows = rows[~((rows["entity"] == "yuebao") & (rows["metric"] == "share_other"))]
    rows["who"] = [_name(e) for e in rows["entity"]]
    rows["figure"] = [f"{m.replace('_', ' ')}: {s}" for m, s in zip(rows["metric"], rows["scope"])]
    rows["note"] = rows["note"].fillna("")
    rows["where"] = _where(rows)
    rows["order"] = rows["year"].fillna(9999)
    return rows.sort_values(["order", "period", "entity"]).drop(columns="order").reset_index(drop=True)


def ipo_rows(case) -> pd.DataFrame:
    """Ant Group's 2020 listing: the money to be raised and the value of the whole company, as the sources give them."""
    rows = case.metrics("Ant Group", ["ipo_raised", "market_value"]).copy()
    names = {"ipo_raised": "money to be raised", "market_value": "value of the whole company"}
    rows["meaning"] = [names[m] for m in rows["metric"]]
    rows["label"] = [f"{names[m]}, {p} ({_short(s).split(',')[0]} line {n})" for m, p, s, n in zip(rows["metric"], rows["period"], rows["source"], rows["line"])]
    return rows.reset_index(drop=True)


def disputed_rows(case) -> pd.DataFrame:
    """Every figure on the finance businesses, their rivals and their markets that is flagged as disputed."""
    rows = pd.concat([
        case.metrics(FINTECH + RIVALS, dated=False),
        case.metrics("china_ecommerce", "payment_volume", dated=False),
    ])
    rows = rows[rows["disputed"]].copy()
    rows["who"] = [_name(e) for e in rows["entity"]]
    rows["note"] = rows["note"].fillna("")
    rows["where"] = _where(rows)
    rows["figure"] = [f"{m.replace('_', ' ')}: {s}" for m, s in zip(rows["metric"], rows["scope"])]
    return rows.sort_values(["entity", "metric", "line"]).reset_index(drop=True)


# ---- stories ---------------------------------------------------------------------------------------

def run_scope(case) -> str:
    """What this run shows and leaves out, so no reader takes an empty exhibit for an empty history."""
    start, end = case.years
    grade = case.params.get("min_reliability", "low")
    focus = case.params.get("focus", "Alipay")
    everything = data.load("metrics")
    everything = everything[everything["entity"].isin(FINTECH + RIVALS)]
    in_years = everything[everything["year"].between(start, end).fillna(False).astype(bool)]
    kept = case.metrics(FINTECH + RIVALS)
    span = str(start) if start == end else f"{start}-{end}"
    verb = "is" if len(kept) == 1 else "are"
    parts = [
        f"**This run** shows {span}, keeps figures from sources graded *{grade}* or better, "
        f"and deepens on **{focus}**. Of the {len(everything)} figures the data package holds on Ant's businesses and their payment rivals, "
        f"{len(kept)} {verb} dated inside these years and pass{'es' if len(kept) == 1 else ''} the reliability filter."
    ]
    left = []
    if start > 2003:
        left.append("the escrow launch of October 2003 and the trust problem it solved fall before this run's first year, so they appear in the text but not in the exhibits")
    if end < 2013:
        left.append("Yu'e Bao (2013) and the mobile-payment boom come after this run's last year")
    if end < 2020:
        left.append("the 2020 listing attempt and the regulators' turn come after this run's last year, so those exhibits stay empty")
    if start > 2014:
        left.append("the book's 2012-2014 operating figures on Alipay, the small loans and Yu'e Bao fall before this run's first year")
    dropped = len(in_years) - len(kept)
    if dropped:
        left.append(f"{dropped} figure(s) inside these years come from sources graded below *{grade}* and are left out")
    if left:
        parts.append("Left out: " + "; ".join(left) + ".")
    else:
        parts.append("Nothing in the chosen years is left out.")
    if grade == "high":
        parts.append("No source in this package is graded high, so every exhibit below is empty: the text still tells the story, the exhibits show what a strict reader would be left with.")
    return " ".join(parts)


def alipay_story(case) -> str:
    users = alipay_users(case)
    trans = case.metrics("Alipay", ["transactions", "growth_rate"])
    if not len(users) and not len(trans):
        return "This run's years and reliability leave no figures on Alipay's users or transactions: the exhibit below is empty."
    text = [f"The figures on Alipay's reach that fall in this run ({len(users)} user counts, {len(trans)} transaction counts and growth rates):", "", _bullets(pd.concat([users, trans]).sort_values(["year", "line"]))]
    scopes = users["scope"].dropna().unique()
    if len(scopes) > 1:
        text += ["", f"The user counts measure {len(scopes)} different things ({', '.join(scopes)}), so the points in the next exhibit are snapshots of different populations, not one series. "
                 "Joining them with a line would invent a trend the source never reports."]
    return "\n".join(text)


def market_story(case) -> str:
    shares = share_rows(case)
    pay = payment_rows(case)
    text = []
    if not len(shares) and not len(pay):
        return "This run leaves no payment values or market shares: the next two exhibits are empty."
    if len(shares):
        alipay = shares[shares["entity"] == "alipay"]
        rivals = shares[shares["entity"] != "alipay"]
        text.append(
            f"The data holds {len(alipay)} market shares for Alipay and {len(rivals)} for its rivals in this run. "
            "Each is a share of a different market: card payments made online, all online payments, mobile payments, "
            "third-party internet payments, 'digital payments'. They cannot be read as one line going up or down."
        )
    q1_alipay = _one(case, "Alipay", "payment_volume", scope="mobile payments")
    q1_mobile = _one(case, "china_ecommerce", "payment_volume", scope="China mobile payments")
    q1_all = _one(case, "china_ecommerce", "payment_volume", scope="China third-party payments")
    q1_share = _one(case, "Alipay", "market_share", scope="China mobile payments")
    if q1_alipay is not None and q1_mobile is not None and q1_share is not None:
        line = (
            f"A check the reader can make: in {q1_alipay.period} Alipay's mobile payments were {_fmt(q1_alipay.value, 'CNY')} and the mobile segment {_fmt(q1_mobile.value, 'CNY')}, "
            f"which gives {_pct(q1_alipay.value / q1_mobile.value)}; the book's stated share is {_pct(q1_share.value)}. The share is consistent with the mobile segment"
        )
        if q1_all is not None:
            line += f", not with the {_fmt(q1_all.value, 'CNY')} the same sentence calls the whole third-party market (that would give {_pct(q1_alipay.value / q1_all.value)})"
        text.append(line + ".")
    q3_total = _one(case, "china_ecommerce", "payment_volume", scope="third-party internet payments")
    q3_share = _one(case, "Alipay", "market_share", scope="third-party internet payments")
    if q3_total is not None and q3_share is not None:
        text.append(
            f"For {q3_total.period} the book cites a tracker that put third-party internet payments at {_fmt(q3_total.value, 'CNY')}, of which Alipay handled {_pct(q3_share.value)}, "
            f"roughly {_fmt(q3_total.value * q3_share.value, 'CNY')}; the data's note warns that other trackers gave Alipay a larger share that quarter, and that the total may be year-to-date rather than one quarter."
        )
    fee_bank = _one(case, "china_ecommerce", "share_other", scope="non-bank payment fee")
    fee_low = _one(case, "UnionPay", "share_other", scope="card fee (low)")
    fee_high = _one(case, "UnionPay", "share_other", scope="card fee (high)")
    losses = _one(case, "UnionPay", "amount_other", scope="bank losses from fees")
    if fee_bank is not None and fee_low is not None and fee_high is not None:
        line = (f"Why the banks minded: a UnionPay survey quoted for {fee_bank.period} found that non-bank payment firms paid banks about {_pct(fee_bank.value)} of each online payment, "
                f"against {_pct(fee_low.value)} to {_pct(fee_high.value)} inside the UnionPay card network")
        if losses is not None:
            line += f"; UnionPay put the banks' lost fees at more than {_fmt(losses.value, 'CNY')}"
        text.append(line + ".")
    kb = shares[(shares["source"] == "kb")]
    if len(kb):
        pairs = ", ".join(f"{r.who} {_pct(r.value)}" for r in kb.drop_duplicates(["entity", "value"]).itertuples())
        text.append(f"The knowledge base adds an undated, unsourced split of 'digital payments' ({pairs}); its vintage looks like 2020-21, which makes it the only figure here on WeChat Pay, and a weak one.")
    return "\n\n".join(text)


def microfinance_story(case) -> str:
    lent = _one(case, "Ali Small Loans", "loans_issued")
    borrowers = _one(case, "Ali Small Loans", "borrowers")
    npl = _one(case, "Ali Small Loans", "default_rate")
    per_loan = _one(case, "Ali Small Loans", "loan_size", scope="average per loan")
    per_customer = _one(case, "Ali Small Loans", "loan_size", scope="average per customer")
    text = []
    if lent is None and borrowers is None and npl is None:
        text.append("This run's years or reliability leave none of Ali Small Loans' dated results (they are for 2012-2013, from Lowrey's volume); the table below keeps only the undated figures, if any.")
    else:
        if lent is not None:
            text.append(f"By the end of the period {lent.period}, Lowrey's volume reports {_fmt(lent.value, 'CNY')} lent in total {_cite(lent)}.")
        if borrowers is not None:
            text.append(f"It counts {_fmt(borrowers.value, 'count')} customers who had borrowed by {borrowers.period} {_cite(borrowers)}.")
        if per_loan is not None and per_customer is not None:
            text.append(f"The average single loan in {per_loan.period} was {_fmt(per_loan.value, 'CNY')} and the average per customer {_fmt(per_customer.value, 'CNY')}: small sums, turned over fast.")
        if npl is not None:
            text.append(f"The non-performing loan ratio at {npl.period} was {_pct(npl.value)} {_cite(npl)}, which the book sets below China's commercial banks without giving their figure.")
    ant = case.metrics("Ant Group", ["loans_issued", "borrowers"])
    if len(ant):
        money = ant[ant["metric"] == "loans_issued"]
        firms = ant[ant["metric"] == "borrowers"]
        if len(money) and len(firms):
            text.append(
                f"For {money.iloc[0].period} the knowledge base credits Ant with {_fmt(money.iloc[0].value, 'USD')} of small loans to {_fmt(firms.iloc[0].value, 'count')} small firms, "
                "without saying whether that is a cumulative total or a balance outstanding, and without a source: a different kind of number from the book's, not a later point on the same line."
            )
    return " ".join(text)


def borrower_story(case) -> str:
    rows = borrower_rows(case)
    if not len(rows):
        return "This run's reliability filter leaves none of the borrower counts."
    took = rows[rows["counted"] == "firms that took a loan"].sort_values("value")
    offered = rows[rows["counted"] != "firms that took a loan"].sort_values("value")
    text = []
    if len(took) >= 2:
        low, high = took.iloc[0], took.iloc[-1]
        text.append(
            f"Two counts of firms that actually borrowed sit twenty lines apart in the same chapter: {_fmt(low.value, 'count')} ({low.period}, line {low.line}) "
            f"and {_fmt(high.value, 'count')} ({high.period}, line {high.line}), a ratio of {high.value / low.value:.2g} to one."
        )
    if len(offered) >= 2:
        low, high = offered.iloc[0], offered.iloc[-1]
        text.append(
            f"Two counts of vendors offered a credit line disagree too: {_fmt(low.value, 'count')} (line {low.line}) and {_fmt(high.value, 'count')} (line {high.line}). "
            "Being offered credit is not borrowing, so neither can be set against the loan totals."
        )
    if not text:
        text.append(f"Only {len(rows)} of the book's borrower counts fall in this run, so the disagreement between them does not show here.")
    return " ".join(text)


def rate_story(case) -> str:
    rows = rate_rows(case)
    daily = rows[rows["scope"].fillna("").str.contains("daily")]
    yearly = rows[rows["scope"].fillna("").str.contains("yearly")]
    if not len(daily):
        return "This run leaves out the order-loan rate figures, so the problem below cannot be shown."
    d = daily.iloc[0]
    text = (
        f"In the data, the printed daily rate is **{d.value:g}** {_cite(d)}. Taken as a fraction, that is {d.value * 100:g}% a day, "
        f"or {_pct(d.value * DAYS, 4)} over a year of {DAYS} days at simple interest. Taken as a percent, it is {_pct(d.value / 100 * DAYS, 3)} a year."
    )
    if len(yearly):
        y = yearly.iloc[0]
        text += f" The same line states a yearly cost of {_pct(y.value)}: neither reading produces it."
    accepted = _one(case, "Ali Small Loans", "interest_rate", scope="rate customers accept")
    if accepted is not None:
        text += (f" A daily {d.value * 10:g}% (the data note's guess at what was meant) would give {_pct(d.value / 10 * DAYS, 3)} a year, close to the "
                 f"{_pct(accepted.value)} borrowers said in {accepted.period} they would accept.")
    return text


def yuebao_story(case) -> str:
    assets = case.metrics("Yu'e Bao", "fund_assets").sort_values("period")
    users = case.metrics("Yu'e Bao", "users").sort_values("period")
    if not len(assets):
        return "This run's years or reliability leave none of Yu'e Bao's asset figures (they date from 2014), so the table below shows only its undated terms, if any."
    first, last = assets.iloc[0], assets.iloc[-1]
    text = [f"Yu'e Bao held {_fmt(first.value, 'CNY')} on {first.period} and {_fmt(last.value, 'CNY')} on {last.period} {_cite(last)}."]
    if len(users):
        u0, u1 = users.iloc[0], users.iloc[-1]
        text.append(f"Its users went from {_fmt(u0.value, 'count')} to {_fmt(u1.value, 'count')} over the same dates.")
        per_user = first.value / u0.value
        holding = _one(case, "Yu'e Bao", "amount_other", scope="average holding", dated=False)
        line = f"That is about {_fmt(per_user, 'CNY')} per account on {first.period}"
        if holding is not None:
            line += (f", roughly {per_user / holding.value:.2g} times the undated average holding of {_fmt(holding.value, 'CNY')} the book gives on line {holding.line}; "
                     "the two cannot describe the same moment")
        text.append(line + ".")
    mmf = _one(case, "china_economy", "fund_assets", scope="money-market funds")
    if mmf is not None:
        text.append(f"All of China's money-market funds together held {_fmt(mmf.value, 'CNY')} on {mmf.period}; by {last.period} this single fund held {last.value / mmf.value:.2f} times that amount on its own.")
    deposits = _one(case, "china_economy", "amount_other", scope="household deposits")
    if deposits is not None:
        text.append(f"Set against household bank deposits of {_fmt(deposits.value, 'CNY')} ({deposits.period}), it was still only {_pct(last.value / deposits.value, 2)} of what savers kept in banks: a small slice of the stock of savings, however fast it had grown.")
    return " ".join(text)


def ipo_story(case) -> str:
    rows = ipo_rows(case)
    if not len(rows):
        start, end = case.years
        why = "its figures come only from the biography, graded low" if end >= 2020 else f"this run ends in {end}"
        return f"No figure on Ant's 2020 listing survives this run's filters ({why})."
    raised = rows[rows["metric"] == "ipo_raised"]
    values = rows[rows["metric"] == "market_value"].sort_values("value")
    text = []
    if len(raised):
        lines = ", ".join(str(n) for n in raised["line"])
        text.append(f"The biography gives {_fmt(raised.iloc[0].value, 'USD')} as the money the listing was to raise (lines {lines}).")
    if len(values):
        given = " and ".join(f"{_fmt(r.value, 'USD')} at line {r.line}{' (flagged disputed)' if r.disputed else ''}" for r in values.itertuples())
        text.append(f"As the value of the whole company it gives {given}.")
    if len(raised) and len(values) and (values["value"] == raised.iloc[0].value).any():
        text.append("The same number appears as both the raise and the valuation: one of the two uses must be wrong, and the exercise below asks which.")
    return " ".join(text)


def regulation_story(case) -> str:
    frame = events(case)
    rules = frame[(frame["theme"] == "regulation")]
    if not len(rules):
        return "This run's years and reliability leave no dated regulatory statements about the finance businesses."
    lines = [f"- **{r.date}**: {r.title} ({_name(r.entity)}) *({_short(r.source)}, line {r.line}{', disputed' if r.disputed else ''})*" for r in rules.itertuples()]
    late = rules[rules["date_start"].dt.year >= 2020]
    text = f"The {len(rules)} regulatory statements in this run:\n\n" + "\n".join(lines)
    if len(late):
        grades = late["reliability"].astype(str)
        sources = ", ".join(sorted({_short(x).split(",")[0].split(" (")[0] for x in late["source"]}))
        text += f"\n\n{len(late)} of them fall in 2020-21, from {sources}; {int((grades == 'low').sum())} of those {len(late)} come from sources graded low."
        if (grades == "low").all():
            text += " The turn is well known, but this package documents it only from its weakest sources."
    return text


FOCUS_TEXT = {
    "alipay": (
        "Alipay is the root of everything else in this case. It began as an escrow account that stood between two strangers, "
        "became the wallet through which a young generation paid for almost everything, and produced the transaction records that "
        "the lending and scoring businesses later fed on. The questions to ask of it are about scale (how many people, how much money) "
        "and about position (what share of which market)."
    ),
    "ant_group": (
        "Ant Group is the holding company that gathered Alipay, the money-market fund, the credit score, the loans and the bank. "
        "Its story is about structure and control: Alipay left the listed Alibaba group years before Ant took its name, which is why "
        "sources that call Ant 'Alibaba's subsidiary' are flagged in the data. Its most quoted numbers concern the 2020 listing that never happened."
    ),
    "ali_small_loans": (
        "Alibaba Small Loans is the case's clearest test of 'integrity capital': the claim that a seller's trading record can stand in for "
        "the collateral and paperwork a bank demands. Its figures are unusually detailed (loan sizes, holding periods, a non-performing ratio) "
        "and unusually inconsistent, which makes it the best focus for practising source criticism."
    ),
    "mybank": (
        "MYbank is the licensed private online bank Ant set up to carry the small-loan work forward, lending to small firms and farmers. "
        "It is the natural next chapter of the integrity-capital story, but it starts after the book that supplies most of this case's "
        "operating figures was written."
    ),
    "yuebao": (
        "Yu'e Bao turned the idle balance in an Alipay account into a share of a money-market fund, with no minimum worth mentioning. "
        "It is the episode in which an internet company most visibly took business from banks, and the one that drew the sharpest response "
        "from the banking side."
    ),
    "sesame_credit": (
        "Sesame Credit scores people from how they pay and shop. It extends the logic of the small loans from sellers to consumers, and it raises "
        "the questions about data and consent that regulators took up in 2020-21. It is also the business on which this case's sources say least."
    ),
}

FOCUS_NEEDS = {
    "mybank": "its loan balance, the number of small firms and farmers it lends to, and its non-performing ratio, from its annual reports",
    "sesame_credit": "how many people hold a score, what the score is used for, and how many lenders or merchants rely on it",
    "ant_group": "revenue and profit by line of business, and the loan book it arranged and how much of it it funded, from its 2020 prospectus",
    "yuebao": "its assets and yield over several years, which would show what happened once banks and regulators responded",
    "alipay": "annual payment volume and active users as a series, from Ant's own disclosures",
    "ali_small_loans": "yearly (not cumulative) lending and borrower counts, to separate growth from accumulation",
}


def focus_story(case) -> str:
    """The focus section: a portrait of the chosen business, the figures the run holds on it, and what is missing."""
    focus = case.params.get("focus", "Alipay")
    entity = case.entity(focus)
    name = _name(entity)
    parts = [f"### {name}", "", FOCUS_TEXT.get(entity, ""), ""]
    rows = case.metrics(entity, dated=False)
    rows = rows[~rows["metric"].isin(["count", "share_other"])]
    dated = rows[rows["year"].notna()]
    every = data.load("metrics")
    total = int((every["entity"] == entity).sum())
    frame = events(case)
    own = frame[frame["entity"] == entity]
    aliases = [name] + ([] if entity != "yuebao" else ["Yuebao"])
    mentions = frame[(frame["entity"] != entity) & frame["description"].fillna("").str.contains("|".join(aliases), regex=True)]
    if len(rows):
        parts.append(f"This run holds {len(rows)} figure(s) on {name} ({len(dated)} dated in the chosen years, {len(rows) - len(dated)} undated), "
                     f"out of {total} in the data package. The main ones:")
        parts += ["", _bullets(rows.sort_values(["year", "line"]), limit=8), ""]
    elif total:
        parts.append(f"The data package holds {total} figure(s) on {name}, but none passes this run's years and reliability filter. "
                     "Widen the years or lower `min_reliability` to see them.")
    else:
        parts.append(f"The data package holds **no figures at all** on {name}. None of the five sources reports its size: this is a gap in the evidence, not a sign that the business was small.")
    if len(own):
        parts.append("")
        parts.append(f"Dated statements about {name} in this run ({len(own)}): " + "; ".join(f"{r.date}, *{r.title}* ({_short(r.source).split(',')[0]}, line {r.line})" for r in own.head(10).itertuples())
                     + ("; and more in Exhibit 1." if len(own) > 10 else "."))
    if len(mentions):
        parts.append("")
        parts.append(f"{name} is also named inside {len(mentions)} statement(s) filed under other entities: " + "; ".join(f"{r.date}, *{r.title}* ({_name(r.entity)})" for r in mentions.head(6).itertuples()) + ("; ..." if len(mentions) > 6 else "."))
    if len(rows) < 3:
        parent = data.load("entities").set_index("entity_id").loc[entity, "parent"]
        parent_rows = case.metrics(parent) if isinstance(parent, str) and parent else pd.DataFrame()
        parts.append("")
        if isinstance(parent, str) and parent and len(parent_rows):
            above = (f"With so little on {name} itself, work from the level above: this run holds {len(parent_rows)} figure(s) on its parent, "
                     f"{_name(parent)}, in the Ant sections above.")
        elif isinstance(parent, str) and parent:
            above = f"This run holds no figures on its parent, {_name(parent)}, either, so there is nothing above it to lean on."
        else:
            above = f"{name} has no parent business in the data to lean on."
        parts.append(f"{above} To write a proper analysis of {name} you would need {FOCUS_NEEDS.get(entity, 'its own operating figures')}; none of that is in this package.")
    else:
        parts.append("")
        parts.append(f"What the package lacks on {name}: {FOCUS_NEEDS.get(entity, 'a consistent series')}.")
    return "\n".join(parts)


def disputes_story(case) -> str:
    rows = disputed_rows(case)
    if not len(rows):
        return "None of the figures left in this run is flagged as disputed."
    by_source = rows.groupby("source").size()
    said = ", ".join(f"{n} from {_short(s)}" for s, n in by_source.items())
    return (f"{len(rows)} figures on the finance businesses and their rivals in this run are flagged as disputed ({said}). "
            "Most are disputed by another line of the same book rather than by another source: the sources rarely cover the same fact twice, "
            "so the checks here are mostly checks of a source against itself.")


# ---- exercises -------------------------------------------------------------------------------------

def check_loan_per_borrower(case, answer):
    lent = _value(case, "Ali Small Loans", "loans_issued")
    borrowers = _value(case, "Ali Small Loans", "borrowers")
    if _missing(lent) or _missing(borrowers):
        return checks.Feedback(None, _why_empty(case, "cumulative lending or end-2013 borrower count for Ali Small Loans", "2013"))
    return checks.number(
        answer, lent / borrowers, shown=_fmt(lent / borrowers, "CNY"),
        hint="Divide the cumulative amount lent (metric `loans_issued`) by the dated borrower count (metric `borrowers`, end 2013); both are in the Ali Small Loans table.",
    )


def _count_2013(case) -> float:
    rows = case.metrics("Alipay", "transactions", scope="Alipay")
    return rows[rows["year"] == 2013]["value"].max()


def check_alipay_2012(case, answer):
    count = _count_2013(case)
    growth = _value(case, "Alipay", "growth_rate", scope="transaction count")
    if _missing(count) or _missing(growth):
        return checks.Feedback(None, _why_empty(case, "2013 transaction count or 2009-2012 growth rate for Alipay", "2012-2013"))
    expected = count / (1 + growth)
    if not _unanswered(answer):
        try:
            if math.isclose(float(answer), count * (1 - growth), rel_tol=0.02):
                return checks.Feedback(False, "Taking 60% off the 2013 figure is not the same as undoing 60% growth: divide by 1.6 instead.")
        except (TypeError, ValueError):
            pass
    return checks.number(
        answer, expected, shown=_fmt(expected, "count"),
        hint="Growth of g means next year = this year x (1 + g), so last year = this year / (1 + g). Use the 2013 count with scope 'Alipay' and the growth rate with scope 'transaction count'.",
    )


def check_yuebao_growth(case, answer):
    assets = case.metrics("Yu'e Bao", "fund_assets")["value"]
    if len(assets) < 2:
        return checks.Feedback(None, _why_empty(case, "pair of Yu'e Bao asset figures", "2014"))
    expected = assets.max() / assets.min() - 1
    return checks.number(
        answer, expected, shown=f"{expected:.3f} ({_pct(expected)})",
        hint="Growth is later / earlier - 1, given as a fraction. Use the two `fund_assets` rows for Yu'e Bao (31 January and 30 June 2014).",
    )


def check_ant_stake(case, answer):
    raised = _value(case, "Ant Group", "ipo_raised")
    valuation = _value(case, "Ant Group", "market_value")
    if _missing(raised) or _missing(valuation):
        return checks.Feedback(None, _why_empty(case, "figure on Ant's planned raise or valuation", "2020", grade="low"))
    expected = raised / valuation
    if not _unanswered(answer):
        try:
            if math.isclose(float(answer), 1.0, rel_tol=0.02) and not math.isclose(expected, 1.0, rel_tol=0.02):
                return checks.Feedback(False, "You divided the raise by itself: the $34bn 'valuation' is the disputed reading of the raise. Use the largest market_value figure.")
        except (TypeError, ValueError):
            pass
    return checks.number(
        answer, expected, shown=f"{expected:.3f}",
        hint="Divide the planned raise (`ipo_raised`) by the largest valuation (`market_value`); the answer is a fraction of the company.",
    )


def check_yuebao_yield(case, answer):
    daily = _value(case, "Yu'e Bao", "amount_other", scope="return on 10,000 RMB", dated=False)
    if _missing(daily):
        return checks.Feedback(None, _why_empty(case, "daily return figure for Yu'e Bao", "2013-2014"))
    expected = daily / 10_000 * DAYS
    return checks.number(
        answer, expected, shown=f"{expected:.4f} ({_pct(expected)} a year)",
        hint="The book gives the daily return on 10,000 RMB (scope 'return on 10,000 RMB'). Divide by 10,000 for a daily rate, then multiply by 365.",
    )


def answers(case) -> str:
    """The exercises' answers under this run's parameters (shown to instructors only)."""
    lent, borrowers = _value(case, "Ali Small Loans", "loans_issued"), _value(case, "Ali Small Loans", "borrowers")
    count, growth = _count_2013(case), _value(case, "Alipay", "growth_rate", scope="transaction count")
    assets = case.metrics("Yu'e Bao", "fund_assets")["value"]
    daily = _value(case, "Yu'e Bao", "amount_other", scope="return on 10,000 RMB", dated=False)
    raised, valuation = _value(case, "Ant Group", "ipo_raised"), _value(case, "Ant Group", "market_value")
    gone = "no answer in this run (the figures are filtered out)"
    items = [
        ("1, amount lent per borrower", gone if _missing(lent) or _missing(borrowers) else _fmt(lent / borrowers, "CNY")),
        ("2, 2012 transactions implied by 60% growth", gone if _missing(count) or _missing(growth) else _fmt(count / (1 + growth), "count")),
        ("3, Yu'e Bao growth, January to June 2014", gone if len(assets) < 2 else f"{assets.max() / assets.min() - 1:.3f}"),
        ("4, Yu'e Bao yearly yield", gone if _missing(daily) else f"{daily / 10_000 * DAYS:.4f}"),
        ("5, share of Ant the raise would have sold", gone if _missing(raised) or _missing(valuation) else f"{raised / valuation:.3f}"),
    ]
    return "Answers for this run: " + "; ".join(f"Exercise {k}: **{v}**" for k, v in items) + "."


def _unanswered(answer) -> bool:
    return answer is Ellipsis or answer is None


EXERCISES = {
    "loan_per_borrower": check_loan_per_borrower,
    "alipay_2012": check_alipay_2012,
    "yuebao_growth": check_yuebao_growth,
    "yuebao_yield": check_yuebao_yield,
    "ant_stake": check_ant_stake,
}
