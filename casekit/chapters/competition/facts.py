"""The competition chapter's facts: Alibaba against eBay, JD.com, Pinduoduo, Amazon, Tencent and
Meituan, in the frames behind its exhibits, the values its paragraphs need, and the expected answers
of its exercises.

The rivals' business models (who holds the goods, who pays whom, how each earns money) are not
figures, so they live beside this module in ``models.yml``, each cell with the source lines it rests
on; cells the case infers itself are marked as its own reading.

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

import re
from functools import lru_cache
from pathlib import Path

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
AI_SHARE = "AI share of external revenue"  # the scope of the cloud unit's AI revenue share
ARENA_ORDER = ["ecommerce", "payments", "local_services", "cloud"]  # the order the chapter takes the arenas in
MODELS = Path(__file__).with_name("models.yml")
MODEL_COLUMNS = {"model": "Model", "stock": "Who holds the goods", "pays": "Who pays whom",
                 "earns": "How it earns money", "edge": "Its edge"}
READING_MARK, SILENT_MARK, DISPUTED_MARK = " *", "—", " †"
# The new fronts set beside the home business (Exhibit "new fronts"): the figure's id, the id of the
# figure it is set beside (None: nothing comparable in the data), the front and what each measures.
FRONTS = [
    ("M0207", "M0070", "local services", "yearly consumers of Ele.me and Koubei", "yearly consumers on the China marketplaces"),
    ("M0654", None, "local services", "orders a day on Taobao Instant Commerce (a peak day)", ""),
    ("M0255", "M0070", "abroad", "AliExpress buyers in 200 countries and regions", "yearly consumers on the China marketplaces"),
    ("M0129", "M0130", "abroad", "cross-border trade through Alibaba's platforms", "GMV on Alibaba's platforms"),
    ("M0700", "M0172", "abroad", "foreign brands on Tmall Global", "stores on Taobao and Tmall"),
    ("M0519", "M0517", "abroad", "price of a controlling stake in Lazada", "people in Lazada's region"),
]


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



# ---- Exhibit: the business models side by side ----------------------------------------------------
@lru_cache(maxsize=1)
def _models() -> tuple[dict, ...]:
    import yaml

    return tuple(yaml.safe_load(MODELS.read_text(encoding="utf-8")))


def _citations(cite: str) -> list[tuple[str, int]]:
    """'kb 1167 1168; alibaba_way 745' -> [('kb', 1167), ('kb', 1168), ('alibaba_way', 745)]."""
    pairs = []
    for part in str(cite).split(";"):
        source, *lines = part.split()
        pairs += [(source, int(line)) for line in lines]
    return pairs


def _passes(case, source: str) -> bool:
    grades = data.sources().set_index("source_id")["reliability"].astype(str)
    bar = case.params.get("min_reliability", "low")
    return data.RELIABILITY.index(grades[source]) >= data.RELIABILITY.index(bar)


def _cell(case, spec) -> tuple[str, list[tuple[str, int]]]:
    """A cell's text under the run's reliability bar, and the source lines behind it: the first
    alternative whose sources all pass; the case's own reading marked; empty when the sources are silent."""
    for option in spec if isinstance(spec, list) else [spec]:
        if option.get("reading"):
            return option["text"] + READING_MARK, []
        cited = _citations(option["cite"])
        if all(_passes(case, source) for source, _ in cited):
            return option["text"], cited
    return "", []


def _model_records(case) -> list[dict]:
    """Alibaba's businesses and the selected rivals' units, each with its cells and the lines behind them;
    a business none of whose sourced cells passes the reliability bar is left out."""
    alibaba = {e for root in ALIBABA_ROOTS for e in descendants(root)}
    owner = {e: rival for rival, ids in rival_units(case).items() for e in ids}
    order = {rival: i for i, rival in enumerate(case.rivals)}
    records = []
    for entry in _models():
        side = "Alibaba" if entry["entity"] in alibaba else owner.get(entry["entity"])
        if side is None:
            continue
        cells = {key: _cell(case, entry[key]) if key in entry else ("", []) for key in MODEL_COLUMNS}
        cited = [pair for _, lines in cells.values() for pair in lines]
        if cited:
            records.append({"firm": entry["firm"], "entity": entry["entity"], "arena": entry["arena"], "side": side,
                            "cells": {k: text for k, (text, _) in cells.items()}, "cited": cited,
                            "order": (ARENA_ORDER.index(entry["arena"]), side != "Alibaba", order.get(side, -1))})
    return sorted(records, key=lambda r: r["order"])


def models(case) -> pd.DataFrame:
    """One row per business: its model, who holds the goods, who pays whom, how it earns, its edge."""
    records = _model_records(case)
    if not records:
        return _empty_exhibit(case, "no_models")
    return pd.DataFrame([{"Business": r["firm"], "Arena": prose.arena(r["arena"]),
                          **{MODEL_COLUMNS[k]: text or SILENT_MARK for k, text in r["cells"].items()}} for r in records])


def model_sources(case) -> pd.DataFrame:
    """The source lines behind the models exhibit, one row per business and line (its source line and CSV)."""
    rows = [{"business": r["firm"], "source": source, "line": line} for r in _model_records(case) for source, line in r["cited"]]
    return pd.DataFrame(rows, columns=["business", "source", "line"]).drop_duplicates().reset_index(drop=True)


# ---- Exhibit: Alibaba's position in every measured market -----------------------------------------
def _in_arena(case, arena: str):
    """The same run with another arena (to read that arena's market tables)."""
    return case.__class__(case.notebook, {**case.params, "arena": arena})


def _all_shares(case) -> pd.DataFrame:
    """Every market-share figure of the run, all arenas and all firms, once per firm and table."""
    frames = [market_shares(_in_arena(case, arena), everyone=True).assign(arena=arena) for arena in ARENA_ORDER]
    frames = [f for f in frames if len(f)]
    return _one_per_firm(pd.concat(frames, ignore_index=True)).reset_index(drop=True) if frames else pd.DataFrame()


def _position_records(case) -> list[dict]:
    """One record per market table that includes an Alibaba business: its share, the firms beside it, its rank."""
    rows = _all_shares(case)
    records = []
    for table, group in (rows.groupby("table", sort=False) if len(rows) else []):
        ours = group[group["side"] == "Alibaba"]
        if ours.empty:
            continue
        others = group[group["side"] != "Alibaba"].sort_values("value", ascending=False)
        share = float(ours["value"].sum())
        first = ours.iloc[0]
        everyone = sorted([share, *others["value"].astype(float)], reverse=True)
        records.append({
            "arena": str(first["arena"]), "table": table, "market": str(first["scope"]), "period": str(first["period"]),
            "vintage": int(first["vintage"]), "alibaba": prose.join_words(ours["firm"]), "share": share,
            "wording": str(first["wording"]) if len(ours) == 1 else "as printed", "disputed": bool(ours["disputed"].any()),
            "rivals": [{"firm": str(r["firm"]), "value": float(r["value"]), "disputed": bool(r["disputed"])} for _, r in others.iterrows()],
            "rank": 1 + int((others["value"] > share).sum()),
            "top_two": sum(everyone[:2]) if len(everyone) > 1 else None,
            "top_three": sum(everyone[:3]) if len(everyone) > 2 else None,
            "rows": group,
        })
    return sorted(records, key=lambda r: (ARENA_ORDER.index(r["arena"]), r["vintage"], _month(r["period"]), r["market"]))


def _month(period: str) -> int:
    """Where a period falls in its year, for sorting: its month, a quarter's middle month, 13 for a whole year."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return int(period[5:])
    if re.fullmatch(r"\d{4}Q[1-4]", period):
        return 3 * int(period[-1]) - 1
    return 13


def _share_text(value: float, wording_: str = "as printed", disputed: bool = False) -> str:
    said = {"about": "about ", "over": "over "}.get(wording_, "")
    return f"{said}{prose.figure(value, 'share')}" + (DISPUTED_MARK if disputed else "")


def _period_text(record: dict) -> str:
    """'December 2013', 'Q3 2013', 'c. 2021' (an undated figure at its vintage)."""
    period = record["period"]
    if period == "undated":
        return f"c. {record['vintage']}"
    return f"{period[4:]} {period[:4]}" if re.fullmatch(r"\d{4}Q[1-4]", period) else prose.when(period)


def positions(case) -> pd.DataFrame:
    """Alibaba's share of every market the run measures, beside the largest other firm the same table lists."""
    records = _position_records(case)
    if not records:
        return _empty_exhibit(case, "no_positions")
    shown = []
    for r in records:
        top = r["rivals"][0] if r["rivals"] else None
        shown.append({
            "Arena": prose.arena(r["arena"]), "Market": r["market"], "When": _period_text(r), "Alibaba's business": r["alibaba"],
            "Alibaba's share": _share_text(r["share"], r["wording"], r["disputed"]),
            "Largest other firm listed": top["firm"] if top else "none listed",
            "Its share": _share_text(top["value"], disputed=top["disputed"]) if top else "",
            "Alibaba's lead, points": f"{(r['share'] - top['value']) * 100:+.1f}" if top else "",
            "Two largest together": prose.figure(r["top_two"], "share") if r["top_two"] else "",
        })
    return pd.DataFrame(shown)


def position_rows(case) -> pd.DataFrame:
    """The market-share figures behind the positions exhibit."""
    records = _position_records(case)
    return pd.concat([r["rows"] for r in records], ignore_index=True) if records else pd.DataFrame(columns=["source", "line"])


# ---- Exhibit: the new fronts beside the home business ----------------------------------------------
def _in_years(case, rows: pd.DataFrame) -> pd.DataFrame:
    """Dated figures as the run filters them; undated ones when their vintage falls within the run's years."""
    if not len(rows):
        return rows
    start, end = case.years
    years = [vintage(r) for _, r in rows.iterrows()]
    return rows[[y is not None and start <= y <= end for y in years]]


def _figures_by_id(case, ids) -> dict[str, dict]:
    rows = _in_years(case, case.metrics(dated=False))
    rows = rows[rows["metric_id"].isin([i for i in ids if i])]
    return {str(r["metric_id"]): {**r.to_dict(), "vintage": vintage(r)} for _, r in rows.iterrows()}


def _front_records(case) -> list[dict]:
    figures = _figures_by_id(case, [i for row in FRONTS for i in row[:2]])
    records = []
    for figure_id, beside_id, front, what, beside_what in FRONTS:
        if figure_id not in figures:
            continue
        figure, beside = figures[figure_id], figures.get(beside_id) if beside_id else None
        ratio = figure["value"] / beside["value"] if beside else None
        records.append({"id": figure_id, "front": front, "what": what, "figure": figure, "beside_what": beside_what,
                        "beside": beside, "ratio": ratio, "money": figure["unit"] in prose.CURRENCY and beside is not None
                        and beside["unit"] == "count"})
    return records


def _when_figure(row: dict) -> str:
    return _period_text(row)


def new_fronts(case) -> pd.DataFrame:
    """Local services and the businesses abroad, each figure set beside a figure of the home marketplaces."""
    records = _front_records(case)
    if not records:
        return _empty_exhibit(case, "no_fronts")
    shown = []
    for r in records:
        figure, beside = r["figure"], r["beside"]
        if beside is None:
            ratio = ""
        elif r["money"]:
            ratio = f"{prose.figure(r['ratio'], figure['unit'])} a head"
        else:
            ratio = prose.percent(r["ratio"], 1 if r["ratio"] < 0.1 else 0)
        shown.append({
            "Front": r["front"], "What is measured": r["what"], "Figure": prose.figure(figure["value"], figure["unit"]),
            "When": _when_figure(figure),
            "Set beside": f"{prose.figure(beside['value'], beside['unit'])} {r['beside_what']} ({_when_figure(beside)})" if beside else SILENT_MARK,
            "Ratio": ratio or SILENT_MARK,
        })
    return pd.DataFrame(shown)


def front_rows(case) -> pd.DataFrame:
    """The figures behind the new-fronts exhibit."""
    records = _front_records(case)
    rows = [pd.DataFrame([r["figure"]]) for r in records] + [pd.DataFrame([r["beside"]]) for r in records if r["beside"]]
    return pd.concat(rows, ignore_index=True).drop_duplicates("metric_id") if rows else pd.DataFrame(columns=["source", "line"])


# ---- Exhibits on the chosen arena, the eBay contest and the antitrust record -----------------------
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


ONE_EVENT_TAGS = ("antitrust_case", "antitrust_fine", "antitrust_remedy")  # several statements of one event


def antitrust_events(case) -> pd.DataFrame:
    """Exclusive deals and the platform antitrust case, one row per event: of several statements of the
    same event the undisputed, most precisely dated one. Adds ``when`` and ``who`` for the record table."""
    events = case.events()
    rows = events[events.index.isin(tagged(events, "platform_antitrust").index) | events.index.isin(tagged(events, "exclusivity").index)]
    rows = rows[~rows["disputed"]].copy()
    key = rows["tags"].map(lambda tags: next((t for t in ONE_EVENT_TAGS if t in _tags(tags)), None))
    rows["key"] = key.where(key.notna(), rows["event_id"])
    rows = rows.sort_values(["date_precision", "event_id"], ascending=[False, True]).drop_duplicates("key")
    rows = rows.sort_values(["date_start", "event_id"]).reset_index(drop=True)
    return _for_table(rows.assign(when=rows["date"].map(prose.when).astype("string"),
                                  who=_named(rows["entity"]).astype("string")))


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

def arena_events(case) -> pd.DataFrame:
    """Dated statements on the contest in the chosen arena, for the timeline: everything on the selected
    rivals' units there, Alibaba's own moves there, and any statement tagged for the arena (a rival's
    move, a regulator's ruling)."""
    arena = case.arena
    events = case.events()
    rival_ids = {e for ids in rival_units(case, arena).values() for e in ids}
    own_or_market = (set(alibaba_entities(arena)) - {"alibaba_group"}) | set(market_entities(arena))
    keep = (
        events["entity"].isin(rival_ids)
        | (events["entity"].isin(own_or_market) & events["theme"].isin(ARENA_THEMES[arena]))
        | events.index.isin(tagged(events, f"arena_{arena}").index)
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


# ---- the facts behind each paragraph (one function per block of story.md.j2) ----------------------
def _years(rows: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in rows["date_start"].dt.year})


def _first(rows: pd.DataFrame) -> dict | None:
    return rows.iloc[0].to_dict() if len(rows) else None


def _cited(*frames) -> pd.DataFrame:
    """The source and line of every row behind a paragraph, each once, in the order given (for its end note)."""
    used = [f[["source", "line"]] for f in frames if f is not None and len(f)]
    return pd.concat(used).drop_duplicates().reset_index(drop=True) if used else pd.DataFrame(columns=["source", "line"])


def _rows(*records) -> pd.DataFrame:
    """Records (dicts with source and line) as a frame, for ``_cited``."""
    kept = [r for r in records if r]
    return pd.DataFrame(kept) if kept else None


def _metric(case, metric_id: str) -> dict | None:
    return _figures_by_id(case, [metric_id]).get(metric_id)


def _tagged_events(case, tag: str, entity: str | None = None) -> pd.DataFrame:
    """Events with ``tag``, undisputed first, the most precisely dated first."""
    events = tagged(case.events(), tag)
    if entity:
        events = events[events["entity"] == entity]
    return events.sort_values(["disputed", "date_precision"], ascending=[True, False], kind="stable")


def run_scope(case) -> dict:
    """The rivals the run's arena leaves out of the single-market exhibits."""
    return {"outside": rivals_outside_arena(case)}


def framework(case) -> dict:
    """The multi-homing evidence in this run: sellers leaving for copycat platforms (c. 2013)."""
    copycats = _first(tagged(case.events(entities=["taobao"]), "arena_ecommerce").query("event_id == 'E2500'"))
    return {"copycats": copycats, "cited": _cited(_rows(copycats))}


def position_story(case) -> dict:
    """Per arena: the market tables that set Alibaba beside a rival, and the shares it holds alone."""
    records = _position_records(case)
    arenas = []
    for arena in ARENA_ORDER:
        mine = [r for r in records if r["arena"] == arena]
        if mine:
            arenas.append({"arena": arena, "contests": [r for r in mine if r["rivals"]], "alone": [r for r in mine if not r["rivals"]]})
    moves = []  # the same market measured in two different years: the first and the last figure
    for market in dict.fromkeys(r["market"] for r in records):
        same = [r for r in records if r["market"] == market]
        if len({r["vintage"] for r in same}) > 1:
            moves.append({"market": market, "first": same[0], "last": same[-1]})
    return {"arenas": arenas, "moves": moves, "cited": position_rows(case)}


def ebay_story(case) -> dict:
    """The contest with eBay in business terms: free listing, the portal lockout, escrow, the forecast, the exit."""
    launch = _first(_tagged_events(case, "taobao_launch"))
    lockout = _first(_tagged_events(case, "exclusivity", "ebay"))
    escrow = _first(_tagged_events(case, "escrow_launch"))
    exit_ = _first(_tagged_events(case, "ebay_exit", "ebay"))
    forecast = _metric(case, "M1016")
    share_2006 = _metric(case, "M0626")
    c2c = _metric(case, "M0629")
    return {
        "launch": launch, "lockout": lockout, "escrow": escrow, "exit": exit_, "forecast": forecast,
        "share_2006": share_2006, "c2c": c2c,
        "cited": _cited(_rows(launch, lockout, escrow, forecast, exit_, share_2006, c2c)),
    }


def _share_beside_alibaba(case, rival: str, arena: str) -> list[dict]:
    """Each market table in which ``rival`` (an entity) has a share, with Alibaba's share in the same table."""
    out = []
    for record in _position_records(case):
        mine = [r for r in record["rivals"] if r["firm"] == prose.entity_name(rival)]
        if record["arena"] == arena and mine:
            out.append({**{k: record[k] for k in ("market", "period", "vintage", "share", "wording", "alibaba", "rows")},
                        "value": mine[0]["value"], "ratio": record["share"] / mine[0]["value"] if mine[0]["value"] else None})
    return out


def challengers_story(case) -> dict:
    """JD.com, Pinduoduo and Amazon China beside Alibaba in the same market tables."""
    shares = {e: _share_beside_alibaba(case, e, "ecommerce") for e in ("jd_com", "pinduoduo", "amazon_china")}
    used = [s["rows"][s["rows"]["entity"].isin([e]) | (s["rows"]["side"] == "Alibaba")] for e, found in shares.items() for s in found]
    return {"jd": shares["jd_com"], "pdd": shares["pinduoduo"], "amazon": shares["amazon_china"], "cited": _cited(*used)}


def payments_story(case) -> dict:
    """Alipay's shares over time, WeChat Pay's beside the latest, and the one ruling that names both."""
    records = [r for r in _position_records(case) if r["arena"] == "payments"]
    wechat = _share_beside_alibaba(case, "wechat_pay", "payments")
    halt = _first(tagged(case.events(), "about_tencent"))
    return {"alipay": records, "wechat": wechat[-1] if wechat else None, "halt": halt,
            "cited": _cited(*[r["rows"] for r in records], _rows(halt))}


def local_story(case) -> dict:
    """Koubei, the Ele.me takeover, local services' reach beside the marketplaces, and the instant-commerce push."""
    koubei = _first(case.events(entities=["koubei"]))
    eleme = _first(case.events(entities=["eleme"]))
    reach = next((r for r in _front_records(case) if r["id"] == "M0207"), None)
    orders = _metric(case, "M0654")
    push = _first(case.events(entities=["alibaba_group"]).query("event_id == 'E1500'"))
    return {"koubei": koubei, "eleme": eleme, "reach": reach, "orders": orders, "push": push,
            "cited": _cited(_rows(koubei, eleme, reach["figure"] if reach else None, reach["beside"] if reach else None, orders, push))}


def global_story(case) -> dict:
    """AliExpress, Tmall Global, cross-border trade, Lazada and Daraz, with the ratios of the new-fronts exhibit."""
    fronts = {r["id"]: r for r in _front_records(case)}
    events = case.events(entities=["aliexpress", "lazada", "daraz"])
    aliexpress = _first(events[events["entity"] == "aliexpress"])
    lazada = _first(events[(events["entity"] == "lazada") & (events["source"] == "biography")]) or _first(events[events["entity"] == "lazada"])
    daraz = _first(events[events["entity"] == "daraz"])
    countries = _metric(case, "M0254")
    origins = _metric(case, "M0689")
    figures = [f for r in fronts.values() if r["front"] == "abroad" for f in (r["figure"], r["beside"]) if f]
    return {"aliexpress": aliexpress, "lazada": lazada, "daraz": daraz, "buyers": fronts.get("M0255"), "countries": countries,
            "trade": fronts.get("M0129"), "brands": fronts.get("M0700"), "origins": origins, "stake": fronts.get("M0519"),
            "numbers": dict(case._numbers), "cited": _cited(_rows(aliexpress, lazada, daraz, countries, origins, *figures))}


def cloud_story(case) -> dict:
    """Alibaba Cloud's shares beside its rivals', its revenue and weight in the group, and the AI figures."""
    records = [r for r in _position_records(case) if r["arena"] == "cloud"]
    revenue, growth, weight = _metric(case, "M0036"), _metric(case, "M0037"), _metric(case, "M0039")
    ai_share = _first(case.metrics(entity="alibaba_cloud", metric="share_other", scope=AI_SHARE))
    plan = _metric(case, "M0078")
    return {"tables": records, "revenue": revenue, "growth": growth, "weight": weight, "ai_share": ai_share, "plan": plan,
            "cited": _cited(*[r["rows"] for r in records], _rows(revenue, growth, weight, ai_share, plan))}


def arena_story(case) -> dict:
    """The timeline's span and silent rivals, then the share tables of the side-by-side exhibit."""
    events = arena_events(case)
    rows = market_shares(case)
    silent = [r for r, ids in rival_units(case, case.arena).items() if ids and not events["entity"].isin(ids).any()]
    tables = [{"table": table, "figures": _figures(rows[rows["table"] == table]),
               "contest": bool((rows.loc[rows["table"] == table, "side"] != "Alibaba").any())} for table in dict.fromkeys(rows["table"])]
    return {
        "events": len(events),
        "first_year": int(events["date_start"].dt.year.min()) if len(events) else None,
        "last_year": int(events["date_start"].dt.year.max()) if len(events) else None,
        "silent": silent if len(events) else [],
        "tables": tables,
        "absent": [r for r in rivals_in_arena(case) if r not in set(rows["side"])],
        "numbers": dict(case._numbers),
    }


def ranking_story(case) -> dict:
    """The table the ranking exhibit keeps: the leader, its margin, the two largest and the selected rivals in it."""
    rows = ranking(case)
    if not len(rows):
        return {"table": None, "firms": 0, "leader": None, "second": None, "alibaba": None, "selected": [], "others": [],
                "numbers": dict(case._numbers)}
    ours = rows[rows["side"] == "Alibaba"]
    return {
        "table": str(rows.iloc[0]["table"]),
        "firms": len(rows),
        "leader": rows.iloc[0].to_dict(),
        "second": rows.iloc[1].to_dict() if len(rows) > 1 else None,
        "alibaba": {"firm": prose.join_words(ours["firm"]), "value": float(ours["value"].sum()),
                    "rank": 1 + int((rows.loc[rows["side"] != "Alibaba", "value"] > ours["value"].sum()).sum())},
        "selected": rows.loc[rows["selected"], "firm"].tolist(),
        "others": rows.loc[rows["side"] == "other", "firm"].tolist(),
        "numbers": dict(case._numbers),
    }


def antitrust_story(case) -> dict:
    """The case's opening, the fine beside a year's revenue and free cash flow, the remedy and the 2025 warning."""
    events = antitrust_events(case)
    opened = _first(tagged(events, "antitrust_case"))
    fine = _first(case.metrics(entity="alibaba_group", metric="fine").sort_values("period", ascending=False))
    revenue = _first(case.metrics(entity="alibaba_group", metric="revenue", scope="group"))
    cash = _first(case.metrics(entity="alibaba_group", metric="free_cash_flow").query("unit == 'USD'"))
    remedy = _first(tagged(events, "antitrust_remedy"))
    warning = _first(events[(events["entity"] == "samr") & (events["date_start"].dt.year >= 2025)])
    guidelines = _first(events[events["entity"] == "platform_antitrust_guidelines"])
    return {
        "opened": opened, "fine": fine, "guidelines": guidelines, "remedy": remedy, "warning": warning,
        "of_revenue": fine["value"] / revenue["value"] if fine and revenue else None,
        "of_cash": fine["value"] / cash["value"] if fine and cash else None,
        "cited": _cited(_rows(opened, fine, revenue, cash, guidelines, remedy, warning)),
    }


def how_sure(case) -> dict:
    """The two disputes that matter for the decision: the c. 2021 shares restated with drift in one
    unsourced table, and the instant-commerce order count that is a peak day."""
    shares = _all_shares(case)
    drift = []
    if len(shares):
        every = pd.concat([market_shares(_in_arena(case, a), everyone=True) for a in ARENA_ORDER], ignore_index=True)
        every = every[every["side"] == "Alibaba"].sort_values("line")
        for (entity, scope, _), group in every.groupby(["entity", "scope", "source"], sort=False):
            if group["wording"].nunique() > 1 and "over" in set(group["wording"]) and (group["period"] == "undated").all():
                drift.append({"firm": prose.entity_name(entity), "scope": scope,
                              "wordings": [_share_text(v, w) for v, w in zip(group["value"], group["wording"])], "rows": group})
    orders = case.metrics(entity="taobao_instant_commerce", metric="daily_orders")
    return {
        "drift": [{k: v for k, v in d.items() if k != "rows"} for d in drift],
        "orders": _first(orders),
        "cited": _cited(*[d["rows"] for d in drift], orders),
    }


def decision(case) -> dict:
    """The 2025 choice in this chapter's numbers: the core's weight, the top three's share, local reach, the plan."""
    core = _metric(case, "M0187")
    contests = [r for r in _position_records(case) if r["arena"] == "ecommerce" and len(r["rivals"]) > 1]
    latest = max(contests, key=lambda r: (r["vintage"], len(r["rivals"]))) if contests else None
    reach = next((r for r in _front_records(case) if r["id"] == "M0207"), None)
    plan = _metric(case, "M0078")
    warning = _first(tagged(case.events(), "platform_antitrust").query("entity == 'samr' and date == '2025'"))
    return {"core": core, "latest": latest, "reach": reach, "plan": plan, "warning": warning,
            "cited": _cited(_rows(core, plan, warning), latest["rows"] if latest else None,
                            _rows(reach["figure"], reach["beside"]) if reach else None)}


def answers(case) -> dict:
    """The exercises' expected answers under this run's parameters (for the instructor)."""
    from ...exercises import for_notebook

    return {"answers": [(exercise, exercise.answer(case)) for exercise in for_notebook("competition")]}


def no_shares(case) -> dict:
    """The side-by-side exhibit is empty: the words need only the run (arena, years, reliability)."""
    return {}


def no_ranking(case) -> dict:
    """The ranking exhibit is empty: the words need only the run's arena."""
    return {}


def no_models(case) -> dict:
    """The models exhibit is empty: the words need only the run's reliability bar."""
    return {}


def no_positions(case) -> dict:
    """The positions exhibit is empty: the words need only the run."""
    return {}


def no_fronts(case) -> dict:
    """The new-fronts exhibit is empty: the words need only the run."""
    return {}


# ---- exercise answers (exercises.yml names these) -------------------------------------------------
def share_gap(case) -> float:
    rows = ranking(case)
    if not len(rows) or not rows["selected"].any():
        raise Unavailable()
    return float(rows.loc[rows["side"] == "Alibaba", "value"].sum() - rows.loc[rows["selected"], "value"].max())


def top_two_share(case) -> float:
    rows = ranking(case)
    if len(rows) < 2:
        raise Unavailable()
    return float(rows["value"].nlargest(2).sum())


def local_reach(case) -> float:
    local = _in_years(case, case.metrics(entity="alibaba_local_services", metric="active_buyers", dated=False))
    home = case.metrics(entity="alibaba_group", metric="active_buyers")
    home = home[home["scope"] == "China retail marketplaces"]
    if local.empty or home.empty:
        raise Unavailable(more_sources=case.params.get("min_reliability", "low") != "low")
    return float(local["value"].max() / home["value"].max())


def rivals_without_figures(case) -> list[str]:
    have = set(case.metrics(entity=list(case.rivals), dated=False)["entity"])
    return [r for r in case.rivals if case.entity(r) not in have]
