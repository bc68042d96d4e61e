"""The fintech chapter's facts: Alipay, Ali Small Loans, Yu'e Bao, Ant Group and their regulators.

Three kinds of function live here, so the notebook's cells stay one-liners:

* ``*_rows(case)``: the figures behind an exhibit, filtered by the run's years and reliability;
* ``*_chart(rows)``: the two charts the generic recipes cannot draw (a log-scale dot plot of
  payment volumes, and the order-loan rate read three ways);
* story functions (named like the blocks of ``story.md.j2``) returning plain data, and the expected
  answers of the exercises in ``exercises.yml``.

Figures are picked by entity, metric, exact scope or ``tags`` (see ``data/tags.csv``), never by the
wording of a title, description or scope.
"""
from __future__ import annotations

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable, is_close

# Ant's businesses (the focus choices and their siblings), the bodies that regulate them, the rivals.
FINTECH = ["alipay", "ant_group", "ali_small_loans", "mybank", "yuebao", "sesame_credit", "huabei", "antchain"]
REGULATORS = ["pboc", "csrc", "cbirc", "sse"]
RIVALS = ["unionpay", "wechat_pay", "tencent", "paypal"]
DAYS = 365  # the convention the exercises and the rate exhibit use to annualise a daily rate
LONG_NOTE = 90  # a note this long or longer is left to the exhibits rather than quoted in a list of figures


# ---- small helpers ---------------------------------------------------------------------------------
def _records(rows: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts for a template, missing values as None (pandas' NA has no truth value)."""
    return rows.astype(object).where(rows.notna(), None).to_dict("records")


def _one(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> dict | None:
    """The single figure for entity/metric/scope in this run, or None when the run has none."""
    rows = case.metrics(entity, metric, scope=scope, dated=dated)
    return _records(rows.tail(1))[0] if len(rows) else None


def _largest(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> float:
    """The largest value for entity/metric/scope in this run (NaN when there is none), as the solutions compute it."""
    return case.metrics(entity, metric, scope=scope, dated=dated)["value"].max()


def _where(rows: pd.DataFrame) -> list[str]:
    """The source's name and the line of each row, for a table column or a chart label."""
    return [f"{prose.source(s, article=False)}, line {n}" for s, n in zip(rows["source"], rows["line"])]


def _figures(rows: pd.DataFrame) -> list[dict]:
    """Figures for a bulleted list: each row with ``gloss``, the first clause of its note when that is short."""
    glosses = rows["note"].fillna("").map(lambda note: note.split(";")[0].strip())
    return _records(rows.assign(gloss=glosses.where(glosses.str.len() < LONG_NOTE, "")))


def _missing(case, first: int, last: int, grade: str = "medium") -> Unavailable:
    """Why this run lacks a figure dated first-last from a source graded ``grade``: its years, its grade, or both."""
    start, end = case.years
    bar = case.params.get("min_reliability", "low")
    return Unavailable(outside=end < first or start > last, too_weak=data.RELIABILITY.index(bar) > data.RELIABILITY.index(grade),
                       first=first, last=last, grade=grade)


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
    return rows.drop(tagged(rows, "person_times").index).reset_index(drop=True)


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

    from ...charts import WIDTH

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
    rows["who"] = rows["entity"].map(prose.entity_name)
    rows["label"] = [f"{w}: {s}, {p} ({where})" for w, s, p, where in zip(rows["who"], rows["scope"], rows["period"], _where(rows))]
    return rows.reset_index(drop=True)


def microfinance_rows(case) -> pd.DataFrame:
    """Every lending figure: Ali Small Loans (dated and undated) and Ant's 2020 lending claim."""
    rows = pd.concat([
        case.metrics("Ali Small Loans", dated=False),
        case.metrics("Ant Group", ["loans_issued", "borrowers"], dated=False),
    ])
    rows = rows[rows["unit"].astype(str) != "days"].copy()
    rows["who"] = rows["entity"].map(prose.entity_name)
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
    daily = set(tagged(rows, "daily_rate")["metric_id"])
    out = []
    for row in rows.itertuples():
        base = dict(source=row.source, line=row.line, printed=f"{row.value:g}", period=row.period)
        if row.metric_id in daily:
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

    from ...charts import WIDTH

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
    rows["who"] = rows["entity"].map(prose.entity_name)
    rows["figure"] = [f"{m.replace('_', ' ')}: {s}" for m, s in zip(rows["metric"], rows["scope"])]
    rows["note"] = rows["note"].fillna("")
    rows["where"] = _where(rows)
    rows["order"] = rows["year"].fillna(9999)
    return rows.sort_values(["order", "period", "entity"]).drop(columns="order").reset_index(drop=True)


def ipo_rows(case) -> pd.DataFrame:
    """Ant Group's 2020 listing: the money to be raised and the value of the whole company, as the sources give them."""
    rows = case.metrics("Ant Group", ["ipo_raised", "market_value"]).copy()
    names = {"ipo_raised": "money to be raised", "market_value": "value of the whole company"}
    rows["meaning"] = rows["metric"].map(names)
    rows["label"] = [f"{m}, {p} ({where})" for m, p, where in zip(rows["meaning"], rows["period"], _where(rows))]
    return rows.reset_index(drop=True)


def disputed_rows(case) -> pd.DataFrame:
    """Every figure on the finance businesses, their rivals and their markets that is flagged as disputed."""
    rows = pd.concat([
        case.metrics(FINTECH + RIVALS, dated=False),
        case.metrics("china_ecommerce", "payment_volume", dated=False),
    ])
    rows = rows[rows["disputed"]].copy()
    rows["who"] = rows["entity"].map(prose.entity_name)
    rows["note"] = rows["note"].fillna("")
    rows["where"] = _where(rows)
    rows["figure"] = [f"{m.replace('_', ' ')}: {s}" for m, s in zip(rows["metric"], rows["scope"])]
    return rows.sort_values(["entity", "metric", "line"]).reset_index(drop=True)


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def run_scope(case) -> dict:
    """How many figures on Ant's businesses and their rivals this run keeps, and how many its bar drops."""
    start, end = case.years
    everything = data.load("metrics")
    everything = everything[everything["entity"].isin(FINTECH + RIVALS)]
    in_years = everything[everything["year"].between(start, end).fillna(False).astype(bool)]
    kept = case.metrics(FINTECH + RIVALS)
    return {"held": len(everything), "kept": len(kept), "dropped": len(in_years) - len(kept)}


def alipay_story(case) -> dict:
    """Alipay's user counts, transaction counts and growth rates in this run, and what the user counts measure."""
    users = alipay_users(case)
    transactions = case.metrics("Alipay", ["transactions", "growth_rate"])
    return {
        "user_counts": len(users),
        "transaction_counts": len(transactions),
        "figures": _figures(pd.concat([users, transactions]).sort_values(["year", "line"])),
        "scopes": list(users["scope"].dropna().unique()),
    }


def market_story(case) -> dict:
    """Market shares and payment values, and the checks a reader can make with them."""
    shares = share_rows(case)
    mobile = _one(case, "Alipay", "payment_volume", scope="mobile payments")
    mobile_total = _one(case, "china_ecommerce", "payment_volume", scope="China mobile payments")
    third_party_total = _one(case, "china_ecommerce", "payment_volume", scope="China third-party payments")
    internet_total = _one(case, "china_ecommerce", "payment_volume", scope="third-party internet payments")
    internet_share = _one(case, "Alipay", "market_share", scope="third-party internet payments")
    kb = shares[shares["source"] == "kb"].drop_duplicates(["entity", "value"])
    return {
        "payments": len(payment_rows(case)),
        "alipay_shares": int((shares["entity"] == "alipay").sum()),
        "rival_shares": int((shares["entity"] != "alipay").sum()),
        "mobile": mobile,
        "mobile_total": mobile_total,
        "mobile_share": _one(case, "Alipay", "market_share", scope="China mobile payments"),
        "third_party_total": third_party_total,
        "mobile_ratio": mobile["value"] / mobile_total["value"] if mobile and mobile_total else None,
        "third_party_ratio": mobile["value"] / third_party_total["value"] if mobile and third_party_total else None,
        "internet_total": internet_total,
        "internet_share": internet_share,
        "internet_alipay": internet_total["value"] * internet_share["value"] if internet_total and internet_share else None,
        "bank_fee": _one(case, "china_ecommerce", "share_other", scope="non-bank payment fee"),
        "card_fee_low": _one(case, "UnionPay", "share_other", scope="card fee (low)"),
        "card_fee_high": _one(case, "UnionPay", "share_other", scope="card fee (high)"),
        "bank_losses": _one(case, "UnionPay", "amount_other", scope="bank losses from fees"),
        "kb_split": _records(kb[["who", "value"]]),
    }


def microfinance_story(case) -> dict:
    """Ali Small Loans' dated results, and Ant's 2020 lending claim."""
    ant = case.metrics("Ant Group", ["loans_issued", "borrowers"])
    money, firms = ant[ant["metric"] == "loans_issued"], ant[ant["metric"] == "borrowers"]
    return {
        "lent": _one(case, "Ali Small Loans", "loans_issued"),
        "borrowers": _one(case, "Ali Small Loans", "borrowers"),
        "npl": _one(case, "Ali Small Loans", "default_rate"),
        "per_loan": _one(case, "Ali Small Loans", "loan_size", scope="average per loan"),
        "per_customer": _one(case, "Ali Small Loans", "loan_size", scope="average per customer"),
        "ant_lent": _records(money.head(1))[0] if len(money) and len(firms) else None,
        "ant_firms": _records(firms.head(1))[0] if len(money) and len(firms) else None,
    }


def borrower_story(case) -> dict:
    """The lowest and highest count of firms that borrowed, and of vendors offered credit."""
    rows = borrower_rows(case)
    took = rows[rows["counted"] == "firms that took a loan"].sort_values("value")
    offered = rows[rows["counted"] != "firms that took a loan"].sort_values("value")
    return {
        "counts": len(rows),
        "took": dict(zip(["low", "high"], _records(took.iloc[[0, -1]]))) if len(took) >= 2 else None,
        "offered": dict(zip(["low", "high"], _records(offered.iloc[[0, -1]]))) if len(offered) >= 2 else None,
    }


def rate_story(case) -> dict:
    """The printed daily rate of the order loans, its readings as a yearly rate, and the yearly figures beside it."""
    rows = rate_rows(case)
    daily = _records(tagged(rows, "daily_rate").head(1))
    rate = daily[0]["value"] if daily else 0.0
    return {
        "daily": daily[0] if daily else None,
        "days": DAYS,
        "as_fraction": rate * DAYS,
        "as_percent": rate / 100 * DAYS,
        "as_guessed": rate / 10 * DAYS,
        "stated": _records(tagged(rows, "stated_yearly_cost").head(1)),
        "accepted": _one(case, "Ali Small Loans", "interest_rate", scope="rate customers accept"),
    }


def yuebao_story(case) -> dict:
    """Yu'e Bao's first and last assets and users in this run, set against the funds and deposits around it."""
    assets = case.metrics("Yu'e Bao", "fund_assets").sort_values("period")
    users = case.metrics("Yu'e Bao", "users").sort_values("period")
    first, last = (_records(assets.iloc[[0, -1]]) if len(assets) else [None, None])
    first_users, last_users = (_records(users.iloc[[0, -1]]) if len(users) else [None, None])
    per_user = first["value"] / first_users["value"] if first and first_users else None
    holding = _one(case, "Yu'e Bao", "amount_other", scope="average holding", dated=False)
    funds = _one(case, "china_economy", "fund_assets", scope="money-market funds")
    deposits = _one(case, "china_economy", "amount_other", scope="household deposits")
    return {
        "first": first,
        "last": last,
        "first_users": first_users,
        "last_users": last_users,
        "per_user": per_user,
        "holding": holding,
        "per_user_to_holding": per_user / holding["value"] if per_user and holding else None,
        "funds": funds,
        "to_funds": last["value"] / funds["value"] if last and funds else None,
        "deposits": deposits,
        "to_deposits": last["value"] / deposits["value"] if last and deposits else None,
    }


def ipo_story(case) -> dict:
    """The biography's raise and valuations for Ant's 2020 listing, and whether one number is used as both."""
    rows = ipo_rows(case)
    raised = rows[rows["metric"] == "ipo_raised"]
    values = rows[rows["metric"] == "market_value"].sort_values("value")
    return {
        "any": len(rows) > 0,
        "raised": _records(raised),
        "values": _records(values),
        "same_number": bool(len(raised) and (values["value"] == raised.iloc[0]["value"]).any()),
    }


def regulation_story(case) -> dict:
    """The regulatory statements in this run, and how many of the 2020-21 ones rest on sources graded low."""
    frame = events(case)
    rules = frame[frame["theme"] == "regulation"]
    late = rules[rules["date_start"].dt.year >= 2020]
    return {
        "rules": _records(rules),
        "late": len(late),
        "late_sources": sorted({prose.source(s) for s in late["source"]}),
        "late_low": int((late["reliability"].astype(str) == "low").sum()),
    }


def focus_story(case) -> dict:
    """The focus business: its figures in this run and in the package, its dated statements, its parent's figures."""
    entity = case.entity(case.params.get("focus", "Alipay"))
    rows = case.metrics(entity, dated=False)
    rows = rows[~rows["metric"].isin(["count", "share_other"])]
    frame = events(case)
    parent = data.load("entities").set_index("entity_id").loc[entity, "parent"]
    parent = parent if isinstance(parent, str) and parent else None
    return {
        "entity": entity,
        "figures": _figures(rows.sort_values(["year", "line"])),
        "dated": int(rows["year"].notna().sum()),
        "held": int((data.load("metrics")["entity"] == entity).sum()),
        "own": _records(frame[frame["entity"] == entity]),
        "mentions": _records(tagged(frame[frame["entity"] != entity], f"also_{entity}")),
        "parent": parent,
        "parent_figures": len(case.metrics(parent)) if parent else 0,
    }


def disputes_story(case) -> dict:
    """How many figures in this run are flagged disputed, source by source."""
    rows = disputed_rows(case)
    return {"disputed": len(rows), "by_source": list(rows.groupby("source", observed=True).size().items())}


def answers(case) -> dict:
    """The exercises' expected answers under this run's parameters (for the instructor)."""
    from ...exercises import for_notebook

    return {"answers": [(exercise, exercise.answer(case)) for exercise in for_notebook("fintech")]}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def loan_per_borrower(case) -> float:
    lent = _largest(case, "Ali Small Loans", "loans_issued")
    borrowers = _largest(case, "Ali Small Loans", "borrowers")
    if pd.isna(lent) or pd.isna(borrowers):
        raise _missing(case, 2013, 2013)
    return float(lent / borrowers)


def _alipay_2013(case) -> tuple[float, float]:
    """Alipay's 2013 transaction count and its 2009-2012 yearly growth rate (NaN when the run lacks one)."""
    counts = case.metrics("Alipay", "transactions", scope="Alipay")
    return counts[counts["year"] == 2013]["value"].max(), _largest(case, "Alipay", "growth_rate", scope="transaction count")


def alipay_2012(case) -> float:
    count, growth = _alipay_2013(case)
    if pd.isna(count) or pd.isna(growth):
        raise _missing(case, 2012, 2013)
    return float(count / (1 + growth))


def alipay_2012_slip(case, answer, expected) -> str | None:
    """Growth taken off the 2013 count (x 0.4) instead of undone (/ 1.6)."""
    count, growth = _alipay_2013(case)
    return "took_growth_off" if is_close(answer, count * (1 - growth)) else None


def yuebao_growth(case) -> float:
    assets = case.metrics("Yu'e Bao", "fund_assets")["value"]
    if len(assets) < 2:
        raise _missing(case, 2014, 2014)
    return float(assets.max() / assets.min() - 1)


def yuebao_yield(case) -> float:
    daily = _largest(case, "Yu'e Bao", "amount_other", scope="return on 10,000 RMB", dated=False)
    if pd.isna(daily):
        raise _missing(case, 2013, 2014)
    return float(daily / 10_000 * DAYS)


def ant_stake(case) -> float:
    raised = _largest(case, "Ant Group", "ipo_raised")
    valuation = _largest(case, "Ant Group", "market_value")
    if pd.isna(raised) or pd.isna(valuation):
        raise _missing(case, 2020, 2020, grade="low")
    return float(raised / valuation)


def ant_stake_slip(case, answer, expected) -> str | None:
    """The raise divided by itself (the disputed reading of the raise as the valuation)."""
    return "raise_over_itself" if is_close(answer, 1.0) and not is_close(expected, 1.0) else None
