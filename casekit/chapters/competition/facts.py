"""The competition chapter's facts: Alibaba against eBay, JD.com, Pinduoduo, Amazon, Tencent and
Meituan, in the frames behind its exhibits, the values its paragraphs need, and the expected answers
of its exercises.

Every function reads the data through ``case``, so the run's years, ``arena``, ``rivals`` and
minimum reliability apply. Story functions (named like the blocks of ``story.md.j2``) return plain
data; the words are in the templates. Rows are picked by entity, metric, theme or ``tags`` (see
``data/tags.csv``), never by the wording of a title, description or note.

Two rules shape the frames:

* An entity's arenas are its own ``arenas`` (entities.csv); an entity with none listed inherits its
  parent's, unless the parent is Alibaba Group itself (which lists every arena). So AWS counts for
  Amazon, Tencent Cloud for Tencent.
* A market-share figure belongs to the arena its ``arena_*`` tag names. Undated figures have no
  year, so they are placed at the vintage their ``vintage_*`` tag gives, else at the vintage of
  their source.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ... import data, prose
from ...data import tagged
from ...exercises import Unavailable

ALIBABA_ROOTS = ("alibaba_group", "ant_group")
# The event themes that carry Alibaba's own moves in each arena (rivals' events count whatever their theme).
ARENA_THEMES = {
    "ecommerce": {"competition"},
    "payments": {"fintech", "competition"},
    "cloud": {"cloud_ai", "competition"},
    "local_services": {"competition", "history", "business_model", "logistics"},
}
# Where a source's undated figures sit in time when no vintage tag places them: the knowledge base's
# figures are FY2021 (its latest financials); other sources at their publication year.
UNDATED_VINTAGE = {"kb": 2021}
# The e-commerce challengers the notebook's section on them names, in its order.
CHALLENGERS = ["jd_com", "pinduoduo", "amazon_china", "amazon"]
PAYMENT_RIVALS = {"tencent", "wechat_pay"}
AI_SHARE = "AI share of external revenue"  # the scope of the cloud unit's AI revenue share


# ---- entities and arenas --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _entities() -> pd.DataFrame:
    return data.load("entities").set_index("entity_id")


def _named(ids: pd.Series, how=prose.entity_name) -> pd.Series:
    """``how`` (an entity's or a source's name) for each id, looked up once per distinct id."""
    return ids.map({i: how(i) for i in ids.dropna().unique()})


def _listed(value) -> list[str]:
    """The items of a ';'-separated cell of the entity register."""
    return [] if pd.isna(value) else [item.strip() for item in str(value).split(";") if item.strip()]


def arenas_of(entity_id: str) -> set[str]:
    """An entity's arenas: its own, else its parent's (never Alibaba Group's catch-all list)."""
    own = set(_listed(_entities().loc[entity_id, "arenas"]))
    if own:
        return own
    parent = _entities().loc[entity_id, "parent"]
    if pd.isna(parent) or parent == "alibaba_group" or parent not in _entities().index:
        return set()
    return set(_listed(_entities().loc[parent, "arenas"]))


def descendants(entity_id: str) -> list[str]:
    """The entity and every entity below it (children, grandchildren ...)."""
    table = _entities()
    found, frontier = [entity_id], [entity_id]
    while frontier:
        children = table.index[table["parent"].isin(frontier)].tolist()
        children = [c for c in children if c not in found]
        found += children
        frontier = children
    return found


def alibaba_entities(arena: str) -> list[str]:
    """Alibaba's (and Ant's) businesses in the arena, with the group itself first."""
    members = [e for root in ALIBABA_ROOTS for e in descendants(root)]
    return [e for e in dict.fromkeys(members) if arena in arenas_of(e)]


def market_entities(arena: str) -> list[str]:
    """Whole markets (China's e-commerce ...) that the data files under the arena."""
    table = _entities()
    return [e for e in table.index[table["kind"] == "market"] if arena in arenas_of(e)]


def rival_units(case, arena: str | None = None) -> dict[str, list[str]]:
    """Each selected rival (as the run spells it) -> its entity ids; only those in ``arena`` when given."""
    units = {}
    for rival in case.rivals:
        members = descendants(case.entity(rival))
        units[rival] = [e for e in members if arena is None or arena in arenas_of(e)]
    return units


def rivals_in_arena(case) -> list[str]:
    return [r for r, ids in rival_units(case, case.arena).items() if ids]


def rivals_outside_arena(case) -> list[str]:
    return [r for r, ids in rival_units(case, case.arena).items() if not ids]


def _selected(case, entity_ids) -> list[str]:
    """The selected rivals (as the run spells them) whose entity is one of ``entity_ids``, in that order."""
    spelled = {case.entity(r): r for r in case.rivals}
    return [spelled[e] for e in entity_ids if e in spelled]


def _owner(case) -> dict[str, str]:
    """Entity id -> which side it is on: 'Alibaba' or the selected rival's name (all arenas)."""
    owner = {e: "Alibaba" for root in ALIBABA_ROOTS for e in descendants(root)}
    for rival, ids in rival_units(case).items():
        for e in ids:
            owner.setdefault(e, rival)
    return owner


# ---- how a figure is worded and when it speaks for ----------------------------------------------
def _tags(value) -> list[str]:
    return [] if pd.isna(value) else str(value).split()


def wording(tags) -> str:
    """How the source words a figure: 'about', 'over' or 'as printed' (from the row's tags)."""
    tags = _tags(tags)
    return "about" if "approximate" in tags else "over" if "lower_bound" in tags else "as printed"


def vintage(row) -> int | None:
    """The year a figure speaks for: its period's year, else the vintage its tag or its source implies."""
    if not pd.isna(row["year"]):
        return int(row["year"])
    tagged_years = [int(tag.removeprefix("vintage_")) for tag in _tags(row["tags"]) if tag.startswith("vintage_")]
    if tagged_years:
        return tagged_years[0]
    if row["source"] in UNDATED_VINTAGE:
        return UNDATED_VINTAGE[row["source"]]
    years = data.sources().set_index("source_id")["year"]
    return int(years.loc[row["source"]]) if row["source"] in years.index else None


def _period_label(row) -> str:
    return str(row["period"]) if row["period"] != "undated" else f"undated, c. {row['vintage']}"


def _figures(rows: pd.DataFrame) -> list[dict]:
    """Share figures as the paragraphs quote them: one per firm and table, with wording, period and vintage."""
    shown = _one_per_firm(rows) if len(rows) else rows
    keys = ["firm", "value", "scope", "period", "vintage", "wording", "source", "line", "disputed"]
    return shown[keys].to_dict("records")


# ---- frames behind the exhibits ------------------------------------------------------------------
def _coverage_records(case) -> list[dict]:
    """What this run's data holds on each selected rival (the coverage table's rows, unlabelled)."""
    shares = market_shares(case)
    in_arena = rival_units(case, case.arena)
    records = []
    for rival, ids in rival_units(case).items():
        records.append({
            "rival": rival,
            "units": [prose.entity_name(e) for e in ids],
            "arenas": sorted(set().union(*(arenas_of(e) for e in ids))),
            "in_arena": bool(in_arena[rival]),
            "events": len(case.events(entities=ids)),
            "figures": len(case.metrics(entity=ids, dated=False)),
            "shares": int((shares["side"] == rival).sum()),
        })
    return records


def coverage(case) -> pd.DataFrame:
    """One row per selected rival: its arenas, its units, and what this run's data holds on it."""
    arena = prose.arena(case.arena)
    return pd.DataFrame([{
        "rival": r["rival"],
        "units in the data": ", ".join(r["units"]),
        "arenas (entities table)": ", ".join(prose.arena(a) for a in r["arenas"]) or "none listed",
        f"in {arena}?": "yes" if r["in_arena"] else "no",
        "dated statements": r["events"],
        "figures": r["figures"],
        f"share figures in {arena}": r["shares"],
    } for r in _coverage_records(case)])


def coverage_rows(case) -> pd.DataFrame:
    """The statements behind the coverage table (for its source line)."""
    ids = [e for members in rival_units(case).values() for e in members]
    events = case.events(entities=ids)[["source", "line"]]
    figures = case.metrics(entity=ids, dated=False)[["source", "line"]]
    return pd.concat([events, figures], ignore_index=True)


def _about_rivals(case, events: pd.DataFrame) -> pd.Series:
    """Statements filed under another entity that are also about a selected rival (tag about_<rival>)."""
    wanted = {f"about_{case.entity(r)}" for r in case.rivals}
    return events["tags"].map(lambda tags: bool(wanted & set(_tags(tags)))).astype(bool)


def arena_events(case) -> pd.DataFrame:
    """Dated statements on the contest in the chosen arena, for the timeline: everything on the selected
    rivals' units there, Alibaba's own moves there, and statements elsewhere about a selected rival."""
    arena = case.arena
    events = case.events()
    rival_ids = {e for ids in rival_units(case, arena).values() for e in ids}
    own_or_market = (set(alibaba_entities(arena)) - {"alibaba_group"}) | set(market_entities(arena))
    keep = (
        events["entity"].isin(rival_ids)
        | (events["entity"].isin(own_or_market) & events["theme"].isin(ARENA_THEMES[arena]))
        | (_about_rivals(case, events) & events.index.isin(tagged(events, f"arena_{arena}").index))
    )
    return events[keep].reset_index(drop=True)


def market_shares(case, everyone: bool = False) -> pd.DataFrame:
    """Market-share figures in the chosen arena for Alibaba and the selected rivals.

    Dated figures within the run's years, and undated ones whose vintage falls within them. With
    ``everyone``, firms outside the selection (Suning, Huawei Cloud ...) are kept as side 'other'.
    Adds: side, firm, vintage, table (market, period and source), wording.
    """
    rows = tagged(case.metrics(metric="market_share", dated=False), f"arena_{case.arena}").copy()
    owner = _owner(case)
    rows["side"] = [owner.get(e, "other") for e in rows["entity"]]
    if not everyone:
        rows = rows[rows["side"] != "other"]
    rows["firm"] = _named(rows["entity"])
    rows["vintage"] = pd.array([vintage(r) for _, r in rows.iterrows()], dtype="Int64")
    start, end = case.years
    rows = rows[rows["vintage"].between(start, end).fillna(False).astype(bool)]
    cited = _named(rows["source"], lambda s: prose.source(s, article=False))
    rows["table"] = [f"{r['scope']}, {_period_label(r)} ({said_by})" for (_, r), said_by in zip(rows.iterrows(), cited)] if len(rows) else []
    rows["wording"] = [wording(t) for t in rows["tags"]] if len(rows) else []
    rows["selected"] = rows["side"].isin(case.rivals)
    return rows.sort_values(["vintage", "table", "value"], ascending=[True, True, False]).reset_index(drop=True)


def _one_per_firm(rows: pd.DataFrame) -> pd.DataFrame:
    """A restated figure counts once per table: keep each firm's first line."""
    return rows.sort_values("line").drop_duplicates(["table", "entity"]).sort_values(["vintage", "table", "value"], ascending=[True, True, False])


def _shares_for(case, arena: str) -> pd.DataFrame:
    return market_shares(case.__class__(case.notebook, {**case.params, "arena": arena}))


def _empty_exhibit(case, story: str) -> pd.DataFrame:
    """What an empty chart shows instead: the sentence of ``story`` in a one-cell table."""
    return pd.DataFrame({"": [case.story(story).text]})


def side_by_side(case, rows: pd.DataFrame):
    """Bars of each firm's share, one panel per market table (market, period, source)."""
    import altair as alt

    from ... import charts

    charts.enable()
    shown = _one_per_firm(rows) if len(rows) else rows
    if not len(shown):
        return _empty_exhibit(case, "no_shares")
    frame = pd.DataFrame({
        "table": shown["table"].astype(str), "firm": shown["firm"].astype(str), "side": shown["side"].astype(str),
        "percent": shown["value"] * 100, "label": [prose.figure(v, "share") for v in shown["value"]],
        "source": shown["source"].astype(str), "line": shown["line"].astype(int),
        "disputed": shown["disputed"].map({True: "yes", False: "no"}), "note": shown["note"].fillna("").astype(str),
    })
    sides = ["Alibaba", *[r for r in case.rivals if r in set(frame["side"])]]
    colour = alt.Color("side:N", title="side", scale=alt.Scale(domain=sides, range=[POSITION_COLOURS["Alibaba"], *RIVAL_COLOURS][: len(sides)]))
    base = alt.Chart().encode(
        y=alt.Y("firm:N", title=None, sort="-x"),
        x=alt.X("percent:Q", title="share of the market (percent)", scale=alt.Scale(domain=[0, 100])),
        tooltip=["table:N", "firm:N", "label:N", "source:N", "line:Q", "disputed:N", "note:N"],
    )
    bars = base.mark_bar().encode(color=colour)
    labels = base.mark_text(align="left", dx=3, fontSize=11, color=charts.INK).encode(text="label:N")
    order = list(dict.fromkeys(frame["table"]))  # by vintage, as market_shares sorts them
    header = alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelFontWeight=600, labelOrient="top", labelFontSize=12)
    return (
        alt.layer(bars, labels, data=frame)
        .properties(width=charts.WIDTH - 200)
        .facet(row=alt.Row("table:N", title=None, sort=order, header=header))
        .resolve_scale(y="independent")
    )


POSITION_COLOURS = {"Alibaba": "#e66a00", "selected rival": "#0072b2", "not in the selection": "#999999"}
# One colour per selected rival (up to the twelve allowed), none close to Alibaba's orange.
RIVAL_COLOURS = ["#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#b8a200", "#332288", "#882255", "#44aa99", "#117733", "#aa4499", "#000000", "#999999"]


def ranking_chart(case, rows: pd.DataFrame):
    """Bars for the one market table in ``ranking``: Alibaba, selected rivals, and the rest in grey."""
    import altair as alt

    from ... import charts

    charts.enable()
    if not len(rows):
        return _empty_exhibit(case, "no_ranking")
    frame = pd.DataFrame({
        "firm": rows["firm"].astype(str), "position": rows["position"].astype(str), "percent": rows["value"] * 100,
        "label": [prose.figure(v, "share") for v in rows["value"]], "source": rows["source"].astype(str), "line": rows["line"].astype(int),
        "disputed": rows["disputed"].map({True: "yes", False: "no"}), "note": rows["note"].fillna("").astype(str),
    })
    colour = alt.Color("position:N", title="position", scale=alt.Scale(domain=list(POSITION_COLOURS), range=list(POSITION_COLOURS.values())))
    base = alt.Chart(frame).encode(
        y=alt.Y("firm:N", title=None, sort="-x"),
        x=alt.X("percent:Q", title="share of the market (percent)"),
        tooltip=["firm:N", "position:N", "label:N", "source:N", "line:Q", "disputed:N", "note:N"],
    )
    bars = base.mark_bar().encode(color=colour)
    labels = base.mark_text(align="left", dx=3, fontSize=11, color=charts.INK).encode(text="label:N")
    return (bars + labels).properties(width=charts.WIDTH - 120, height=max(80, 24 * len(frame)))


def ranking_subtitle(case, rows: pd.DataFrame) -> str:
    if not len(rows):
        return "no table in this run"
    return f"in percent of the market; {rows.iloc[0]['table']}; every firm the source lists"


def ranking(case) -> pd.DataFrame:
    """The fullest market-share table of the arena in this run: every firm in it, selected or not.

    Chosen among tables that include an Alibaba business: most selected rivals, then most firms,
    then the more reliable source, then the latest. One row per firm (restatements dropped).
    Columns: firm, side, selected, value, unit, table, period, source, line, disputed, note.
    """
    rows = market_shares(case, everyone=True)
    if not len(rows):
        return rows.assign(position=pd.Series(dtype="string"))
    rows = _one_per_firm(rows)
    grades = {grade: rank for rank, grade in enumerate(data.RELIABILITY)}
    scored = []
    for table, group in rows.groupby("table", sort=False):
        if not (group["side"] == "Alibaba").any():
            continue
        scored.append(((group["selected"].sum(), len(group), max(grades[str(g)] for g in group["reliability"]), group["vintage"].max()), table))
    if not scored:
        return rows.iloc[0:0].assign(position=pd.Series(dtype="string"))
    best = max(scored)[1]
    chosen = rows[rows["table"] == best].sort_values("value", ascending=False).reset_index(drop=True)
    chosen["position"] = ["Alibaba" if side == "Alibaba" else ("selected rival" if sel else "not in the selection")
                          for side, sel in zip(chosen["side"], chosen["selected"])]
    return chosen


def _for_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Ready to show: an empty note reads as blank, and each row names its source in words."""
    frame = frame.copy()
    frame["note"] = frame["note"].fillna("")
    frame["cited"] = _named(frame["source"], lambda s: prose.source(s, article=False))
    return frame


def ebay_events(case) -> pd.DataFrame:
    """Every dated statement on the Taobao-eBay contest in this run (whatever the rivals chosen)."""
    events = case.events()
    about = events["entity"].isin(["ebay", "eachnet"]) | events.index.isin(tagged(events, "about_ebay").index)
    return _for_table(events[about].reset_index(drop=True))


def antitrust_events(case) -> pd.DataFrame:
    """Dated statements on the platform antitrust case and what followed it."""
    return _for_table(tagged(case.events(), "platform_antitrust").reset_index(drop=True))


def restated(case) -> pd.DataFrame:
    """Share figures in the arena that the data states more than once (same firm, same market)."""
    rows = market_shares(case, everyone=True)
    if not len(rows):
        return _for_table(rows)
    counts = rows.groupby(["entity", "scope"])["metric_id"].transform("count")
    rows = rows[counts > 1].copy()
    return _for_table(rows.sort_values(["side", "entity", "scope", "vintage", "line"]).reset_index(drop=True))


def shares_subtitle(case) -> str:
    start, end = case.years
    return f"in percent of each market; {prose.arena(case.arena)}, {start}-{end}; undated figures placed at their vintage"


def how_sure_entities(case, *frames: pd.DataFrame) -> list[str]:
    """The businesses and rivals named in the frames behind the exhibits, for the conflicts box (the
    group itself left out: its disputed figures concern its listing and staff, not its rivals)."""
    ids = {str(e) for frame in frames if "entity" in frame for e in frame["entity"].dropna()}
    ids |= {e for units in rival_units(case).values() for e in units}
    return sorted(ids - {"alibaba_group"})


def table_columns(case) -> dict[str, str]:
    return {"firm": "Firm", "scope": "Market", "period": "Period", "value": "Share", "wording": "Wording", "cited": "Source", "line": "Line", "disputed": "Disputed"}


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def _years(rows: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in rows["date_start"].dt.year})


def _all_years(case):
    """The same run over every year the data covers (to say what the chosen years leave out)."""
    from ...params import data_years

    first, last = data_years()
    return case.__class__(case.notebook, {**case.params, "start_year": first, "end_year": last})


def run_scope(case) -> dict:
    """The run's choices, the rivals outside its arena, and whether its years cut into the eBay contest."""
    every = ebay_events(_all_years(case))
    return {
        "outside": rivals_outside_arena(case),
        "first_ebay_year": int(every["date_start"].dt.year.min()) if len(every) else None,
    }


def rivals_story(case) -> dict:
    """What the data holds on each selected rival, and which rivals it leaves bare."""
    records = _coverage_records(case)
    return {
        "rivals": records,
        "empty": [r["rival"] for r in records if r["events"] == 0 and r["figures"] == 0],
        "thin": [r["rival"] for r in records if r["figures"] > 0 and r["shares"] == 0],
        "units": [{"rival": r["rival"], "units": r["units"][1:]} for r in records if len(r["units"]) > 1],
    }


def ebay_story(case) -> dict:
    """eBay's entry, Taobao's passing it and eBay's exit, with every year and source in this run."""
    events = ebay_events(case)
    entry = tagged(events[events["entity"].isin(["ebay", "eachnet"])], "ebay_entry")
    passed = tagged(events, "taobao_passes_ebay")
    exit_ = tagged(events[events["entity"] == "ebay"], "ebay_exit")
    return {
        "statements": len(events),
        "disputed": int(events["disputed"].sum()),
        "entry_years": _years(entry),
        "entry_sources": list(entry["source"].unique()),
        "passed_years": _years(passed),
        "passed_sources": list(passed["source"].unique()),
        "exit_years": _years(exit_),
        "undated_exit": tagged(events[events["note"] != ""], "ebay_exit_undated").to_dict("records"),
        "ebay_selected": bool({case.entity(r) for r in case.rivals} & {"ebay", "eachnet"}),
        "numbers": dict(case._numbers),
    }


def challengers_story(case) -> dict:
    """The e-commerce challengers' share figures (whatever the run's arena), and Alibaba's beside them."""
    shares = _shares_for(case, "ecommerce")
    chosen = {case.entity(r) for r in case.rivals}
    unchosen = [e for e in CHALLENGERS[:3] if e not in chosen and not (e == "amazon_china" and "amazon" in chosen)]
    return {
        "challengers": [{"rival": r, "figures": _figures(shares[shares["side"] == r])} for r in _selected(case, CHALLENGERS)],
        "unchosen": [prose.entity_name(e) for e in unchosen],
        "alibaba": _figures(shares[shares["side"] == "Alibaba"]),
    }


def payments_story(case) -> dict:
    """Alipay's and WeChat Pay's share figures, and the one statement that names both firms."""
    shares = _shares_for(case, "payments")
    tencent = _selected(case, sorted(PAYMENT_RIVALS))
    return {
        "alipay": _figures(shares[shares["side"] == "Alibaba"]),
        "tencent_selected": bool(tencent),
        "wechat": _figures(shares[shares["side"].isin(tencent)]),
        "halt": tagged(case.events(), "about_tencent").head(1).to_dict("records"),
    }


def local_story(case) -> dict:
    """The Ele.me takeover, the instant-commerce order claim, the local-services consumers and Meituan."""
    orders = case.metrics(entity="taobao_instant_commerce", metric="daily_orders")
    consumers = case.metrics(entity="alibaba_local_services", dated=False)
    consumers = consumers.assign(vintage=[vintage(r) for _, r in consumers.iterrows()])
    start, end = case.years
    consumers = consumers[consumers["vintage"].map(lambda v: v is not None and start <= v <= end).astype(bool)]
    meituan = _selected(case, ["meituan"])
    return {
        "eleme": case.events(entities=["eleme"]).head(1).to_dict("records"),
        "orders": len(orders),
        "order_values": sorted({float(v) for v in orders["value"]}),
        "order_periods": sorted({str(p) for p in orders["period"]}),
        "order_sources": list(orders["source"].unique()),
        "orders_disputed": int(orders["disputed"].sum()),
        "consumers": consumers.head(1).to_dict("records"),
        "meituan_selected": bool(meituan),
        "meituan_bare": bool(meituan) and case.metrics(entity="meituan", dated=False).empty and case.events(entities=["meituan"]).empty,
    }


def cloud_story(case) -> dict:
    """Alibaba Cloud's and the selected rivals' cloud shares, the top-three claim and the AI figures."""
    shares = _shares_for(case, "cloud")
    in_cloud = rival_units(case, "cloud")
    ai_share = case.metrics(entity="alibaba_cloud", metric="share_other", scope=AI_SHARE)
    return {
        "alibaba": _figures(shares[shares["side"] == "Alibaba"]),
        "rivals": [{"rival": rival, "units": [prose.entity_name(e) for e in ids], "figures": _figures(shares[shares["side"] == rival])}
                   for rival, ids in in_cloud.items() if ids],
        "top_three_years": _years(tagged(case.events(entities=["alibaba_cloud"]), "cloud_top_three")),
        "qwen": case.metrics(entity="qwen").head(1).to_dict("records"),
        "ai_share": ai_share.head(1).to_dict("records"),
    }


def arena_story(case) -> dict:
    """The timeline's span and silent rivals, then the share tables of the side-by-side exhibit."""
    events = arena_events(case)
    rows = market_shares(case)
    silent = [r for r, ids in rival_units(case, case.arena).items() if ids and not events["entity"].isin(ids).any()]
    tables = [{"table": table, "figures": _figures(rows[rows["table"] == table])} for table in dict.fromkeys(rows["table"])]
    return {
        "events": len(events),
        "first_year": int(events["date_start"].dt.year.min()) if len(events) else None,
        "last_year": int(events["date_start"].dt.year.max()) if len(events) else None,
        "silent": silent if len(events) else [],
        "figures": len(_one_per_firm(rows)) if len(rows) else 0,
        "tables": tables,
        "absent": [r for r in rivals_in_arena(case) if r not in set(rows["side"])],
        "numbers": dict(case._numbers),
    }


def ranking_story(case) -> dict:
    """The table the ranking exhibit keeps: its name, size, and which firms in it were selected."""
    rows = ranking(case)
    return {
        "table": str(rows.iloc[0]["table"]) if len(rows) else None,
        "firms": len(rows),
        "selected": rows.loc[rows["selected"], "firm"].tolist() if len(rows) else [],
        "others": rows.loc[rows["side"] == "other", "firm"].tolist() if len(rows) else [],
        "numbers": dict(case._numbers),
    }


def antitrust_story(case) -> dict:
    """When the case opened (the most precise date), the fine as each source gives it, and the remedy."""
    fines = case.metrics(metric="fine")
    events = antitrust_events(case)
    opened = tagged(events, "antitrust_case").sort_values("date_precision", ascending=False, kind="stable")
    return {
        "anything": bool(len(fines) or len(events)),
        "opened": opened.head(1).to_dict("records"),
        "fines": len(fines),
        "fine_amounts": sorted({prose.figure(v, str(u)) for v, u in zip(fines["value"], fines["unit"])}),
        "fine_sources": list(fines["source"].unique()),
        "fine_periods": sorted({str(p) for p in fines["period"]}),
        "remedy": tagged(events, "antitrust_remedy").head(1).to_dict("records"),
    }


def how_sure_story(case) -> dict:
    """Each firm's share that the data states more than once in the arena, with every statement of it."""
    rows = restated(case)
    groups = [{"firm": prose.entity_name(entity), "scope": scope, "figures": group.to_dict("records")}
              for (entity, scope), group in rows.groupby(["entity", "scope"], sort=False)] if len(rows) else []
    return {"groups": groups, "numbers": dict(case._numbers)}


def no_shares(case) -> dict:
    """The side-by-side exhibit is empty: the words need only the run (arena, years, reliability)."""
    return {}


def no_ranking(case) -> dict:
    """The ranking exhibit is empty: the words need only the run's arena."""
    return {}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def taobao_passes_ebay_years(case) -> list[int]:
    passed = tagged(ebay_events(case), "taobao_passes_ebay")
    if passed.empty:
        claims = tagged(data.load("events"), "taobao_passes_ebay")
        start, end = case.years
        raise Unavailable(
            years=_years(claims),
            widen=bool(len(claims)) and not claims["date_start"].dt.year.between(start, end).any(),
            more_sources=case.min_reliability != "low",
        )
    return _years(passed)


def share_gap(case) -> float:
    rows = ranking(case)
    if not len(rows) or not rows["selected"].any():
        raise Unavailable()
    return float(rows.loc[rows["side"] == "Alibaba", "value"].sum() - rows.loc[rows["selected"], "value"].max())


def rivals_without_figures(case) -> list[str]:
    have = set(case.metrics(entity=list(case.rivals), dated=False)["entity"])
    return [r for r in case.rivals if case.entity(r) not in have]
