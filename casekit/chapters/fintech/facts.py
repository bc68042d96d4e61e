"""The fintech chapter's facts: escrow, Alipay, the small loans, Yu'e Bao, Ant Group and their regulators.

Three kinds of function live here, so the notebook's cells stay one-liners:

* ``*_rows(case)``: the figures behind an exhibit, filtered by the run's years and reliability
  (``saver_table`` turns the saver's choice into the table a reader sees);
* ``dot_chart(rows, ...)``: the one chart the generic recipes cannot draw, dots on a log scale, for
  figures that differ by a factor of a hundred or more (payments, loan sizes, savings);
* story functions (named like the blocks of ``story.md.j2``) returning plain data, and the expected
  answers of the exercises in ``exercises.yml``.

A figure a story cites is a record (a dict) whose ``cite`` key holds its row as a one-row frame, so a
template can put it behind an end note (``{{ rows | note }}``). Figures are picked by entity, metric,
exact scope or ``tags`` (see ``data/tags.csv``), never by the wording of a title, description or note.
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
DAYS = 365  # the convention the exercises use to annualise a daily return
ORANGE, BLUE, GREY = "#e66a00", "#0072b2", "#7b8794"


# ---- small helpers ---------------------------------------------------------------------------------
def _records(rows: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts for a template (missing values as None), each with its own row under ``cite``."""
    plain = rows.astype(object).where(rows.notna(), None).to_dict("records")
    return [dict(record, cite=rows.iloc[[i]]) for i, record in enumerate(plain)]


def _one(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> dict | None:
    """The figure for entity/metric/scope in this run (the last one when several), or None when the run has none."""
    rows = case.metrics(entity, metric, scope=scope, dated=dated)
    return _records(rows.tail(1))[0] if len(rows) else None


def _in_unit(case, entity: str, metric: str, scope: str, unit: str, dated: bool = True) -> dict | None:
    """Like ``_one``, for a figure the data holds in two currencies: the one in ``unit``."""
    rows = case.metrics(entity, metric, scope=scope, dated=dated)
    rows = rows[rows["unit"].astype(str) == unit]
    return _records(rows.tail(1))[0] if len(rows) else None


def _cite(*figures: dict | None) -> pd.DataFrame:
    """The rows behind the figures a paragraph uses (absent ones skipped), for one end note."""
    frames = [f["cite"] for f in figures if f]
    return pd.concat(frames) if frames else pd.DataFrame(columns=["source", "line"])


def _rounded(value: float) -> float:
    """A computed sum to two significant figures: the case's own arithmetic claims no more precision."""
    return float(f"{value:.2g}")


def _largest(case, entity: str, metric: str, scope: str | None = None, dated: bool = True) -> float:
    """The largest value for entity/metric/scope in this run (NaN when there is none), as the solutions compute it."""
    return case.metrics(entity, metric, scope=scope, dated=dated)["value"].max()


CATCH_ALL = {"amount_other", "share_other", "count", "change_other", "duration"}  # their scope says what they measure


def _describe(rows: pd.DataFrame) -> list[str]:
    """What each figure measures, in words: the metric's label, and the scope when it says more than the entity's name."""
    labels = data.load("metric_definitions").set_index("metric")["label"]
    names = rows["entity"].map(prose.entity_name)
    out = []
    for metric, scope, name in zip(rows["metric"], rows["scope"], names):
        label = str(labels.get(metric, str(metric).replace("_", " "))).lower().replace("ipo raised", "money raised in a listing")
        has_scope = isinstance(scope, str) and scope and scope != name
        out.append(scope if has_scope and metric in CATCH_ALL else f"{label}: {scope}" if has_scope else label)
    return out


def _period(period: object) -> str:
    return "no date given" if str(period) == "undated" else prose.when(period)


def _missing(case, first: int, last: int, grade: str = "medium") -> Unavailable:
    """Why this run lacks a figure dated first-last from a source graded ``grade``: its years, its grade, or both."""
    start, end = case.years
    bar = case.params.get("min_reliability", "low")
    return Unavailable(outside=end < first or start > last, too_weak=data.RELIABILITY.index(bar) > data.RELIABILITY.index(grade),
                       first=first, last=last, grade=grade)


# ---- the rows behind each exhibit ------------------------------------------------------------------
def saver_rows(case) -> pd.DataFrame:
    """The figures behind the saver's choice of 2013: minimum purchases and yearly returns (tag saver_choice)."""
    return tagged(case.metrics(dated=False), "saver_choice").reset_index(drop=True)


def saver_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Where a saver could put money in 2013, with the minimum purchase and the yearly return of each choice."""
    def value(entity, metric, scope):
        hit = rows[(rows["entity"] == entity) & (rows["metric"] == metric) & (rows["scope"] == scope)]["value"]
        return float(hit.iloc[0]) if len(hit) else None

    low, high = value("china_economy", "fund_yield", "money-market funds"), value("china_economy", "fund_yield", "money-market funds (high)")
    multiple = value("china_economy", "share_other", "money-market yield over demand deposits")
    least, most = value("china_economy", "amount_other", "usual fund minimum (low)"), value("china_economy", "amount_other", "usual fund minimum (high)")
    one_yuan = value("yuebao", "amount_other", "minimum investment")
    daily = value("yuebao", "amount_other", "return on 10,000 RMB")
    fund_yield = f"{low * 100:g}-{high * 100:g}%" if low and high else prose.percent(low) if low else ""
    deposit = f"near {low / multiple * 100:.1f}-{(high or low) / multiple * 100:.1f}%, a tenth of a money-market fund's" if low and multiple else ""
    table = [
        ("Bank demand deposit", "any amount" if deposit else "", deposit),
        ("Money-market fund bought the usual way", f"RMB{least:,.0f}-{most:,.0f}" if least and most else "", fund_yield),
        ("Yu'e Bao, inside the Alipay wallet", f"RMB{one_yuan:,.0f}" if one_yuan else "", f"about RMB{daily:,.0f} a day on RMB10,000" if daily else ""),
    ]
    frame = pd.DataFrame(table, columns=["Where the money sits", "Smallest purchase", "Yearly return, 2013"])
    return frame[(frame.iloc[:, 1:] != "").any(axis=1)].reset_index(drop=True)


def events(case) -> pd.DataFrame:
    """Dated events in Alibaba's finance businesses and the regulators that shaped them."""
    frame = case.events()
    keep = (
        (frame["theme"] == "fintech")
        | frame["entity"].isin(FINTECH)
        | ((frame["theme"] == "regulation") & frame["entity"].isin(REGULATORS + ["jack_ma"]))
    )
    return frame[keep].reset_index(drop=True)


ALIPAY_COUNTS = {  # scope -> what the count measures, in words
    "Alipay": "users", "Alipay Wallet": "wallet users", "real-name users": "real-name users",
    "registered accounts": "registered accounts", "quick pay": "quick-pay users", "Spring Festival": "customers over Spring Festival",
}


def alipay_users(case) -> pd.DataFrame:
    """Alipay's user and account counts, dated and undated, each labelled with what it counts (person-times of one
    holiday service left out: they are not users)."""
    rows = case.metrics("Alipay", ["users", "registered_users"], dated=False)
    rows = rows.drop(tagged(rows, "person_times").index).copy()
    rows["label"] = [f"{ALIPAY_COUNTS.get(s, s)}, {_period(p)}" for s, p in zip(rows["scope"], rows["period"])]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


def payment_rows(case) -> pd.DataFrame:
    """Payment values in RMB: Alipay's, and the market totals the same pages give (misplaced duplicates left out)."""
    rows = pd.concat([case.metrics("Alipay", "payment_volume"), case.metrics("china_ecommerce", "payment_volume")])
    rows = rows[(rows["unit"].astype(str) == "CNY") & ~rows["disputed"].astype(bool)].copy()
    rows["group"] = [("Alipay" if e == "alipay" else "whole market") for e in rows["entity"]]
    rows["label"] = [f"{g}: {'all payments' if s == 'Alipay' else s}, {_period(p)}" for g, s, p in zip(rows["group"], rows["scope"], rows["period"])]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


def share_rows(case) -> pd.DataFrame:
    """Market shares of Alipay and its rivals, dated and undated, each labelled with the market it is a share of."""
    rows = case.metrics(["Alipay", "UnionPay", "WeChat Pay"], "market_share", dated=False).drop_duplicates(["entity", "value", "scope"]).copy()
    rows["who"] = rows["entity"].map(prose.entity_name)
    rows["label"] = [f"{w}: {s}, {'about 2020-21' if p == 'undated' else p}" for w, s, p in zip(rows["who"], rows["scope"], rows["period"])]
    return rows.reset_index(drop=True)


LOAN_LABELS = {  # scope -> what the loan size is, in words
    "typical big-bank loan": "big state bank's typical business loan", "upper limit per loan": "Ali Small Loans' ceiling per loan",
    "average loan": "average loan to Alibaba's customers, c. 2013", "average per customer": "average lent per customer",
    "average per loan": "average loan", "typical order loan": "typical order loan (at most)",
}


def loan_size_rows(case) -> pd.DataFrame:
    """Loan sizes: Ali Small Loans' averages, limit and typical order loan, and the big banks' typical business loan."""
    rows = case.metrics("Ali Small Loans", "loan_size", dated=False).copy()
    rows["group"] = ["big state banks" if s == "typical big-bank loan" else "Ali Small Loans" for s in rows["scope"]]
    rows["label"] = [LOAN_LABELS.get(s, s) + ("" if p == "undated" else f", {p}") for s, p in zip(rows["scope"], rows["period"])]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


LENDING_LABELS = {  # (metric, scope) -> what a reader calls the figure
    ("loans_issued", "Ali Small Loans"): "Lent in total since 2010",
    ("borrowers", "Ali Small Loans"): "Customers who had borrowed",
    ("loan_size", "average per loan"): "Average loan",
    ("loan_size", "average per customer"): "Average lent to each customer",
    ("duration", "loan holding period"): "Average days a borrower kept the money",
    ("interest_rate", "rate customers accept"): "Yearly rate borrowers said they would accept",
    ("interest_rate", "actual cost to customers"): "Yearly cost borrowers actually paid",
    ("interest_rate", "official one-year lending rate"): "For comparison: official one-year lending rate",
    ("default_rate", "Ali Small Loans"): "Non-performing loans, share of the book",
}


def lending_rows(case) -> pd.DataFrame:
    """Ali Small Loans' dated results (2012-2013) and the official lending rate they are set against."""
    rows = pd.concat([
        case.metrics("Ali Small Loans", list({m for m, _ in LENDING_LABELS})),
        case.metrics("china_economy", "interest_rate", scope="official one-year lending rate", dated=False),
    ])
    known = pd.Series([k in LENDING_LABELS for k in zip(rows["metric"], rows["scope"])], index=rows.index, dtype=bool)
    rows = rows[known].copy()
    rows["figure"] = [LENDING_LABELS[k] for k in zip(rows["metric"], rows["scope"])]
    rows["when"] = rows["period"].map(_period)
    order = list(LENDING_LABELS)
    rows["order"] = [order.index(k) for k in zip(rows["metric"], rows["scope"])]
    return rows.sort_values("order").drop(columns="order").reset_index(drop=True)


def yuebao_rows(case) -> pd.DataFrame:
    """Yu'e Bao's assets beside the money-market funds and bank deposits of China at the time."""
    rows = pd.concat([
        case.metrics("Yu'e Bao", "fund_assets"),
        case.metrics("china_economy", "fund_assets", scope="money-market funds"),
        case.metrics("china_economy", "amount_other", scope="household deposits"),
    ]).copy()
    names = {"yuebao": "Yu'e Bao", "money-market funds": "all of China's money-market funds", "household deposits": "household bank deposits"}
    rows["group"] = ["Yu'e Bao" if e == "yuebao" else "the market" for e in rows["entity"]]
    rows["label"] = [f"{names.get(e, names.get(s, s))}, {_period(p)}" for e, s, p in zip(rows["entity"], rows["scope"], rows["period"])]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


def listing_rows(case) -> pd.DataFrame:
    """Ant's planned 2020 listing beside Alibaba's 2014 one: the money raised and the value of the whole company.

    Undisputed figures only, one per entity, measure and scope (the sources repeat the 2014 raise many times).
    """
    rows = case.metrics(["Ant Group", "Alibaba Group"], ["ipo_raised", "market_value"])
    rows = rows[~rows["disputed"].astype(bool) & rows["year"].isin([2014, 2020])]
    rows = rows.drop_duplicates(["entity", "metric", "scope"]).copy()
    rows["group"] = rows["entity"].map(prose.entity_name)
    rows["label"] = [f"{g} {y}: {_listing_meaning(e, m, s)}" for g, y, e, m, s in zip(rows["group"], rows["year"], rows["entity"], rows["metric"], rows["scope"])]
    return rows.sort_values(["year", "metric"]).reset_index(drop=True)


def _listing_meaning(entity: str, metric: str, scope: str) -> str:
    if metric == "ipo_raised":
        return "money to be raised (planned)" if entity == "ant_group" else "money raised"
    return "value of the company, " + ("as planned" if entity == "ant_group" else scope)


def borrower_rows(case) -> pd.DataFrame:
    """Ali Small Loans' customer counts: firms that borrowed, and vendors offered a credit line."""
    rows = case.metrics("Ali Small Loans", "borrowers", dated=False).copy()
    rows["counted"] = ["firms that took a loan" if s == "Ali Small Loans" else "vendors offered a credit line" for s in rows["scope"]]
    return rows.reset_index(drop=True)


def dot_chart(rows: pd.DataFrame, unit_title: str, divisor: float, groups: list[str], ticks: list[float]):
    """Dots on a log scale, one per figure, coloured by ``group``: figures a hundred times apart on one readable axis."""
    import altair as alt

    from ...charts import WIDTH

    frame = rows.assign(shown=rows["value"] / divisor)[["label", "group", "shown", "period", "source", "line"]].astype(
        {"label": "string", "group": "string", "period": "string", "source": "string"})
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=120, opacity=0.9)
        .encode(
            y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("shown", order="descending"), axis=alt.Axis(labelLimit=330)),
            x=alt.X("shown:Q", title=f"{unit_title} (log scale)", scale=alt.Scale(type="log"),
                    axis=alt.Axis(values=ticks, format=",~g", grid=True)),
            color=alt.Color("group:N", title=None, scale=alt.Scale(domain=groups, range=[ORANGE, BLUE, GREY][:len(groups)])),
            tooltip=[alt.Tooltip("label:N", title="figure"), alt.Tooltip("shown:Q", title=unit_title, format=",.4~g"),
                     alt.Tooltip("source:N"), alt.Tooltip("line:Q")],
        )
        .properties(width=WIDTH - 250, height=max(80, 28 * max(1, len(frame))))
    )


def widen(exhibit, label_limit: int = 330, width: int = 380):
    """Give a bar exhibit's category labels room (casekit's bars keep Vega's 200-pixel default, which cuts long labels)."""
    body = exhibit.body
    if hasattr(body, "encoding") and getattr(body.encoding, "y", None) is not None:
        body.encoding.y.axis = {"labelLimit": label_limit}
        exhibit.body = body.properties(width=width)
    return exhibit


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def run_scope(case) -> dict:
    """The sources the run's reliability bar leaves out."""
    kept = set(case.run["kept_sources"])
    return {"dropped": [s for s in data.sources()["source_id"] if s not in kept]}


def stakes(case) -> dict:
    """The size of the prize in 2013: bank deposits, money-market funds, their yields, the wallet's users."""
    deposits = _one(case, "china_economy", "amount_other", scope="household deposits")
    funds = _one(case, "china_economy", "fund_assets", scope="money-market funds")
    low = _one(case, "china_economy", "fund_yield", scope="money-market funds")
    high = _one(case, "china_economy", "fund_yield", scope="money-market funds (high)")
    multiple = _one(case, "china_economy", "share_other", scope="money-market yield over demand deposits")
    wallet = _one(case, "Alipay", "users", scope="Alipay Wallet")
    young = [_one(case, "Alipay", "share_other", scope=s, dated=False) for s in ("customers aged 21-25", "customers aged 25-30")]
    return {
        "deposits": deposits,
        "funds": funds,
        "funds_to_deposits": funds["value"] / deposits["value"] if funds and deposits else None,
        "low": low,
        "high": high,
        "multiple": multiple,
        "wallet": wallet,
        "young": sum(y["value"] for y in young) if all(young) else None,
        "sources": _cite(deposits, funds, low, high, multiple, wallet, *(young if wallet else [])),
    }


def alipay_story(case) -> dict:
    """Alipay's reach and volume: users, payments and money moved, beside the card swipes in shops."""
    first = _one(case, "Alipay", "users", scope="Alipay")
    second = _one(case, "Alipay", "users", scope="Alipay", dated=False) if first else None
    real_name = _one(case, "Alipay", "registered_users", scope="real-name users")
    wallet = _one(case, "Alipay", "users", scope="Alipay Wallet")
    payments = _one(case, "Alipay", "transactions", scope="Alipay")
    swipes = _one(case, "china_economy", "transactions", scope="offline card swipes")
    money = _in_unit(case, "Alipay", "payment_volume", "Alipay", "USD")
    money_cny = _in_unit(case, "Alipay", "payment_volume", "Alipay", "CNY")
    growth = _one(case, "Alipay", "growth_rate", scope="transaction count")
    return {
        "first": first,
        "second": second if second and second["value"] > first["value"] else None,
        "real_name": real_name,
        "wallet": wallet,
        "payments": payments,
        "swipes": swipes,
        "money": money,
        "money_cny": money_cny,
        "growth": growth,
        "users_shown": alipay_users(case)["scope"].nunique(),
        "sources": _cite(first, second, real_name, wallet, payments, swipes, money, money_cny, growth),
    }


def market_story(case) -> dict:
    """Alipay's share of the markets it competed in, what the banks charged, and the rival in a messaging app."""
    mobile = _one(case, "Alipay", "payment_volume", scope="mobile payments")
    mobile_total = _one(case, "china_ecommerce", "payment_volume", scope="China mobile payments")
    internet_total = _one(case, "china_ecommerce", "payment_volume", scope="third-party internet payments")
    internet_share = _one(case, "Alipay", "market_share", scope="third-party internet payments")
    bank_fee = _one(case, "china_ecommerce", "share_other", scope="non-bank payment fee")
    card_low = _one(case, "UnionPay", "share_other", scope="card fee (low)")
    card_high = _one(case, "UnionPay", "share_other", scope="card fee (high)")
    losses = _one(case, "UnionPay", "amount_other", scope="bank losses from fees")
    revenue = _one(case, "UnionPay", "revenue")
    volume = _in_unit(case, "Alipay", "payment_volume", "Alipay", "CNY")
    split = share_rows(case)
    split = split[split["scope"] == "China digital payments"].drop_duplicates("entity")
    alipay_now = _records(split[split["entity"] == "alipay"])
    wechat_now = _records(split[split["entity"] == "wechat_pay"])
    return {
        "shares": len(share_rows(case)),
        "mobile": mobile,
        "mobile_total": mobile_total,
        "mobile_ratio": mobile["value"] / mobile_total["value"] if mobile and mobile_total else None,
        "internet_total": internet_total,
        "internet_share": internet_share,
        "internet_alipay": _rounded(internet_total["value"] * internet_share["value"]) if internet_total and internet_share else None,
        "fees": {"bank": bank_fee, "low": card_low, "high": card_high} if bank_fee and card_low and card_high else None,
        "volume": volume,
        "fee_scale": {"online": _rounded(volume["value"] * bank_fee["value"]), "low": _rounded(volume["value"] * card_low["value"]),
                      "high": _rounded(volume["value"] * card_high["value"])} if volume and bank_fee and card_low and card_high else None,
        "losses": losses,
        "revenue": revenue,
        "alipay_now": alipay_now[0] if alipay_now else None,
        "wechat_now": wechat_now[0] if wechat_now else None,
        "mobile_sources": _cite(mobile, mobile_total, internet_total, internet_share),
        "fee_sources": _cite(bank_fee, card_low, card_high, losses, revenue, volume),
        "rival_sources": _cite(*alipay_now[:1], *wechat_now[:1]),
    }


def credit_gap(case) -> dict:
    """Why small firms needed another lender: their bank access, their needs, and the banks' answer to Alibaba."""
    banked = _one(case, "china_microenterprises", "share_other", scope="firms with bank loans", dated=False)
    survey = _one(case, "china_microenterprises", "count", scope="surveyed microfirms")
    small = _one(case, "china_microenterprises", "share_other", scope="funding gap under 1M RMB")
    fast = _one(case, "china_microenterprises", "share_other", scope="need cash in 10 days")
    dear = _one(case, "china_microenterprises", "share_other", scope="accept 4x legal rate")
    approved = _one(case, "Ali Small Loans", "count", scope="CCB approvals per 100", dated=False)
    bank_loan = _one(case, "Ali Small Loans", "loan_size", scope="typical big-bank loan", dated=False)
    own_loan = _one(case, "Ali Small Loans", "loan_size", scope="average loan", dated=False)
    return {
        "banked": banked,
        "survey": survey if survey and small and fast and dear else None,
        "small": small,
        "fast": fast,
        "dear": dear,
        "approved": approved,
        "bank_loan": bank_loan,
        "own_loan": own_loan,
        "bank_to_own": bank_loan["value"] / own_loan["value"] if bank_loan and own_loan else None,
        "need_sources": _cite(banked, survey, small, fast, dear),
        "bank_sources": _cite(approved, bank_loan, own_loan),
    }


def lending_story(case) -> dict:
    """Ali Small Loans' results by 2013, its price beside the official rate, and Ant's lending claim for 2020."""
    figure = {key: _one(case, "Ali Small Loans", metric, scope=scope) for key, metric, scope in [
        ("lent", "loans_issued", "Ali Small Loans"), ("borrowers", "borrowers", "Ali Small Loans"),
        ("per_loan", "loan_size", "average per loan"), ("per_customer", "loan_size", "average per customer"),
        ("held", "duration", "loan holding period"), ("accepted", "interest_rate", "rate customers accept"),
        ("paid", "interest_rate", "actual cost to customers"), ("npl", "default_rate", "Ali Small Loans")]}
    official = _one(case, "china_economy", "interest_rate", scope="official one-year lending rate", dated=False)
    limit = _one(case, "Ali Small Loans", "loan_size", scope="upper limit per loan", dated=False)
    order = _one(case, "Ali Small Loans", "loan_size", scope="typical order loan", dated=False)
    return {
        **figure,
        "official": official,
        "turns": DAYS / figure["held"]["value"] if figure["held"] else None,
        "limit": limit,
        "order": order,
        "design_sources": _cite(limit, order),
        "result_sources": _cite(figure["lent"], figure["borrowers"], figure["per_loan"], figure["per_customer"], figure["held"]),
        "price_sources": _cite(figure["accepted"], figure["paid"], official, figure["npl"]),
    }


def yuebao_story(case) -> dict:
    """Yu'e Bao's first and last assets and users in this run, set against the funds and deposits around it."""
    assets = _records(case.metrics("Yu'e Bao", "fund_assets").sort_values("period"))
    users = _records(case.metrics("Yu'e Bao", "users").sort_values("period"))
    first, last = (assets[0], assets[-1]) if assets else (None, None)
    first_users, last_users = (users[0], users[-1]) if users else (None, None)
    holding = _one(case, "Yu'e Bao", "amount_other", scope="average holding", dated=False)
    funds = _one(case, "china_economy", "fund_assets", scope="money-market funds")
    deposits = _one(case, "china_economy", "amount_other", scope="household deposits")
    stores = _one(case, "Taobao", "count", scope="fund company stores")
    festival = _one(case, "singles_day", "amount_other", scope="wealth products sold")
    heard = _one(case, "Yu'e Bao", "share_other", scope="netizen awareness")
    per_user = first["value"] / first_users["value"] if first and first_users else None
    return {
        "first": first if len(assets) > 1 else None,
        "last": last,
        "first_users": first_users if len(users) > 1 else None,
        "last_users": last_users,
        "per_user": per_user,
        "holding": holding,
        "funds": funds,
        "to_funds": last["value"] / funds["value"] if last and funds else None,
        "deposits": deposits,
        "to_deposits": last["value"] / deposits["value"] if last and deposits else None,
        "stores": stores,
        "festival": festival,
        "heard": heard,
        "size_sources": _cite(*assets, *users, holding),
        "market_sources": _cite(funds, deposits),
        "response_sources": _cite(stores, festival, heard),
    }


def ant_story(case) -> dict:
    """Ant in 2020: its reach and lending claim, and its planned listing beside Alibaba's of 2014."""
    reach = _one(case, "Ant Group", "users", scope="underserved people", dated=False)
    lent = _one(case, "Ant Group", "loans_issued")
    firms = _one(case, "Ant Group", "borrowers")
    rows = listing_rows(case)
    pick = {(e, m): r for e, m, r in zip(rows["entity"], rows["metric"], _records(rows))}
    ant_raise, ant_value = pick.get(("ant_group", "ipo_raised")), pick.get(("ant_group", "market_value"))
    baba_raise = pick.get(("alibaba_group", "ipo_raised"))
    baba_value = next((r for r in _records(rows) if r["entity"] == "alibaba_group" and r["scope"] == "offer price"), None)
    return {
        "reach": reach,
        "lent": lent if lent and firms else None,
        "firms": firms,
        "per_firm": lent["value"] / firms["value"] if lent and firms else None,
        "ant_raise": ant_raise,
        "ant_value": ant_value,
        "baba_raise": baba_raise,
        "baba_value": baba_value,
        "raise_ratio": ant_raise["value"] / baba_raise["value"] if ant_raise and baba_raise else None,
        "value_ratio": ant_value["value"] / baba_value["value"] if ant_value and baba_value else None,
        "reach_sources": _cite(reach, lent, firms),
        "listing_sources": _cite(ant_raise, ant_value, baba_raise, baba_value),
    }


def regulation_story(case) -> dict:
    """The regulators' moves in this run, the several reports of the 2020 halt counted as one move."""
    frame = events(case)
    rules = frame[frame["theme"] == "regulation"]
    halt = tagged(rules, "ant_ipo_halt")
    moves = []
    for row in _records(rules.drop(halt.index)):
        moves.append({"date": row["date"], "who": prose.entity_name(row["entity"]), "title": row["title"], "cite": row["cite"], "order": row["date_start"]})
    if len(halt):
        exact = halt.sort_values("date", key=lambda d: d.astype(str).str.len()).iloc[-1]
        moves.append({"date": exact["date"], "who": "Shanghai Stock Exchange and securities regulator", "title": "Ant's listing halted days before trading",
                      "cite": halt, "order": exact["date_start"]})
    moves.sort(key=lambda m: m["order"])
    return {"moves": moves, "rules": rules}


def focus_story(case) -> dict:
    """The focus business: its main figures and dated events in this run, and what a writer would still need."""
    entity = case.entity(case.params.get("focus", "Alipay"))
    rows = case.metrics(entity, dated=False)
    rows = rows[~rows["metric"].isin(["count", "share_other"]) & ~rows["disputed"].astype(bool)]
    rows = rows.drop(tagged(rows, "person_times").index).drop_duplicates(["metric", "scope", "value"]).sort_values(["year", "line"])
    figures = _records(rows.assign(what=_describe(rows), when=rows["period"].map(_period)))
    shown = rows.head(8)
    frame = events(case)
    own = frame[frame["entity"] == entity]
    mentions = tagged(frame[frame["entity"] != entity], f"also_{entity}")
    # Several sources often date the same milestone: one event per date is enough for a list.
    dated = pd.concat([own, mentions]).sort_values(["date_start", "event_id"]).drop_duplicates("date")
    parent = data.load("entities").set_index("entity_id").loc[entity, "parent"]
    return {
        "entity": entity,
        "figures": figures,
        "figure_rows": shown,
        "held": int((data.load("metrics")["entity"] == entity).sum()),
        "dated": _records(dated),
        "parent": parent if isinstance(parent, str) and parent and len(case.metrics(parent)) else None,
    }


def bearing_2025(case) -> dict:
    """The 2025 plan for cloud and AI beside the largest sum Alibaba's finance affiliate ever set out to raise."""
    plan = _in_unit(case, "Alibaba Group", "capex_plan", "cloud and AI infrastructure", "CNY", dated=False)
    usd = _in_unit(case, "Alibaba Group", "capex_plan", "cloud and AI infrastructure", "USD", dated=False)
    years = _one(case, "Alibaba Group", "duration", scope="cloud and AI plan length", dated=False)
    ant_raise = _one(case, "Ant Group", "ipo_raised")
    return {
        "plan": plan,
        "usd": usd,
        "years": years,
        "ant_raise": ant_raise,
        "to_raise": usd["value"] / ant_raise["value"] if usd and ant_raise else None,
        "sources": _cite(plan, usd, years, ant_raise),
    }


def how_sure(case) -> dict:
    """The two disagreements that matter for the decision: how many firms borrowed, and what Ant was worth."""
    counts = borrower_rows(case)
    took = counts[counts["counted"] == "firms that took a loan"].sort_values("value")
    values = case.metrics("Ant Group", "market_value").sort_values("value")
    raised = case.metrics("Ant Group", "ipo_raised")
    slip = values[values["value"].isin(raised["value"])]
    disputed = len(slip) and len(values) > len(slip)
    return {
        "borrowers": _records(took) if len(took) > 1 else None,
        "borrower_sources": took,
        "valuation": {"slip": _records(slip)[0], "right": _records(values.tail(1))[0]} if disputed else None,
        "valuation_sources": pd.concat([slip, values.tail(1), raised]) if disputed else raised.head(0),
    }


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
