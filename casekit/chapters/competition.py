"""Notebook 04, competition: Alibaba against eBay, JD.com, Pinduoduo, Amazon, Tencent and Meituan.

Everything the notebook shows that depends on its parameters is computed here: which businesses
belong to the chosen ``arena`` (from the ``arenas`` column of entities.csv), which of them belong to
the chosen ``rivals``, the frames behind the exhibits, the sentences that quote figures
(``case.story``), and the exercise checks (``case.check``).

Two rules shape the frames:

* An entity's arenas are its own ``arenas``; an entity with none listed inherits its parent's, unless
  the parent is Alibaba Group itself (which lists every arena). So AWS counts for Amazon, Tencent
  Cloud for Tencent.
* A market-share figure belongs to the arena its market (``scope``) names: "China cloud" to cloud,
  "China mobile payments" to payments. Undated figures have no year, so they are placed at the
  vintage their ``note`` gives ("c. 2015", "about 2020-21"), else at the vintage of their source.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .. import checks, data
from ..charts import format_value

ARENA_LABEL = {"ecommerce": "e-commerce", "payments": "payments", "cloud": "cloud computing", "local_services": "local services"}
ALIBABA_ROOTS = ("alibaba_group", "ant_group")
# The event themes that carry Alibaba's own moves in each arena (rivals' events count whatever their theme).
ARENA_THEMES = {
    "ecommerce": {"competition"},
    "payments": {"fintech", "competition"},
    "cloud": {"cloud_ai", "competition"},
    "local_services": {"competition", "history", "business_model", "logistics"},
}
# Words in a market's name (metrics.scope) or an event's text that place it in an arena; first match wins.
ARENA_WORDS = [
    ("cloud", re.compile(r"cloud", re.I)),
    ("payments", re.compile(r"\bpay|payment", re.I)),
    ("local_services", re.compile(r"\bmaps?\b|food|delivery|local services|instant", re.I)),
    ("ecommerce", re.compile(r"retail|commerce|transactions|marketplace", re.I)),
]
# Where a source's undated figures sit in time when their note gives no vintage: the knowledge base's
# figures are FY2021 (its latest financials); other sources at their publication year.
UNDATED_VINTAGE = {"kb": 2021}
VINTAGE = re.compile(r"(?:c\.\s?|about\s+(?:FY)?)(\d{4})(?:-(\d{2,4}))?")
SHORT_SOURCE = {"alibaba_way": "Lowrey", "kb": "knowledge base", "biography": "biography", "news2025": "2025 article", "blog": "course blog"}
NAMED_SOURCE = {"alibaba_way": "the Lowrey volume", "kb": "the knowledge base", "biography": "the biography", "news2025": "the 2025 article", "blog": "the course blog"}
# The notebook's exhibit titles, so a sentence can name an exhibit by its number.
TITLES = {
    "coverage": "The selected rivals and what the data holds on them",
    "ebay": "Taobao against eBay: every dated statement",
    "timeline": "The contest in the chosen arena, in dated statements",
    "shares": "Market shares side by side, one panel per market table",
    "ranking": "The fullest market-share ranking in the arena",
    "antitrust": "The antitrust case in the sources",
    "restated": "Share figures that the data states more than once",
}

# The eBay contest: which dated statements say what.
EBAY_ENTRY = re.compile(r"enters|arrives|buys EachNet", re.I)
EBAY_PASSED = re.compile(r"overtakes|concedes", re.I)
EBAY_EXIT = re.compile(r"concedes|pull-back|passed to Tom", re.I)
ANTITRUST = re.compile(r"antitrust|anti-monopoly|monopol|choose one|exclusiv|remedy|price war", re.I)
ANTITRUST_ENTITIES = {"alibaba_group", "samr", "platform_antitrust_guidelines"}


# ---- entities and arenas --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _entities() -> pd.DataFrame:
    return data.load("entities").set_index("entity_id")


def name(entity_id: str) -> str:
    """The display name of an entity id."""
    table = _entities()
    return str(table.loc[entity_id, "name"]) if entity_id in table.index else str(entity_id)


def _own_arenas(entity_id: str) -> set[str]:
    value = _entities().loc[entity_id, "arenas"]
    return set() if pd.isna(value) else {a.strip() for a in str(value).split(";") if a.strip()}


def arenas_of(entity_id: str) -> set[str]:
    """An entity's arenas: its own, else its parent's (never Alibaba Group's catch-all list)."""
    own = _own_arenas(entity_id)
    if own:
        return own
    parent = _entities().loc[entity_id, "parent"]
    if pd.isna(parent) or parent == "alibaba_group" or parent not in _entities().index:
        return set()
    return _own_arenas(str(parent))


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
    """Each selected rival (display name) -> its entity ids; only those in ``arena`` when given."""
    units = {}
    for rival in case.rivals:
        members = descendants(case.entity(rival))
        units[rival] = [e for e in members if arena is None or arena in arenas_of(e)]
    return units


def rivals_in_arena(case) -> list[str]:
    return [r for r, ids in rival_units(case, case.arena).items() if ids]


def rivals_outside_arena(case) -> list[str]:
    return [r for r, ids in rival_units(case, case.arena).items() if not ids]


def _owner(case) -> dict[str, str]:
    """Entity id -> which side it is on: 'Alibaba' or the selected rival's name (all arenas)."""
    owner = {e: "Alibaba" for root in ALIBABA_ROOTS for e in descendants(root)}
    for rival, ids in rival_units(case).items():
        for e in ids:
            owner.setdefault(e, rival)
    return owner


def arena_of_text(text: str) -> str | None:
    for arena, pattern in ARENA_WORDS:
        if pattern.search(text or ""):
            return arena
    return None


# ---- small helpers ---------------------------------------------------------------------------------
def _join(items: list[str], word: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _pct(value: float) -> str:
    return format_value(float(value), "share")


def _src(source: str) -> str:
    return SHORT_SOURCE.get(str(source), str(source))


def _named(source: str) -> str:
    return NAMED_SOURCE.get(str(source), str(source))


def _ex(case, key: str, capital: bool = False) -> str:
    """'Exhibit N' for one of the notebook's exhibits (once drawn), else the exhibit's title."""
    number = case._numbers.get(TITLES[key])
    if number:
        return f"Exhibit {number}"
    return f'{"The" if capital else "the"} exhibit "{TITLES[key]}"'


def _years_text(case) -> str:
    start, end = case.years
    return f"{start}-{end}"


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _wording(note: str | None) -> str:
    """How the source words a figure: 'about', 'over' or 'as printed' (from the row's note)."""
    text = _text(note).strip().lower()
    if text.startswith("approximate") or text.startswith("around") or "'roughly" in text:
        return "about"
    if text.startswith("over") or text.startswith("more than"):
        return "over"
    return "as printed"


def vintage(row) -> int | None:
    """The year a figure speaks for: its period's year, else the vintage its note or source implies."""
    if not pd.isna(row["year"]):
        return int(row["year"])
    found = VINTAGE.search(_text(row["note"]))
    if found:
        first, second = found.group(1), found.group(2)
        if second:
            return int(second) if len(second) == 4 else int(first[:2] + second)
        return int(first)
    if row["source"] in UNDATED_VINTAGE:
        return UNDATED_VINTAGE[row["source"]]
    years = data.sources().set_index("source_id")["year"]
    return int(years.loc[row["source"]]) if row["source"] in years.index else None


def _period_label(row) -> str:
    return str(row["period"]) if row["period"] != "undated" else f"undated, c. {row['vintage']}"


# ---- frames behind the exhibits ------------------------------------------------------------------
def coverage(case) -> pd.DataFrame:
    """One row per selected rival: its arenas, its units, and what this run's data holds on it."""
    rows = []
    shares = market_shares(case)
    for rival, ids in rival_units(case).items():
        in_arena = rival_units(case, case.arena)[rival]
        events = case.events(entities=ids)
        figures = case.metrics(entity=ids, dated=False)
        arenas = sorted(set().union(*(arenas_of(e) for e in ids)))
        rows.append({
            "rival": rival,
            "units in the data": ", ".join(name(e) for e in ids),
            "arenas (entities table)": ", ".join(ARENA_LABEL.get(a, a) for a in arenas) or "none listed",
            f"in {ARENA_LABEL[case.arena]}?": "yes" if in_arena else "no",
            "dated statements": len(events),
            "figures": len(figures),
            f"share figures in {ARENA_LABEL[case.arena]}": int((shares["side"] == rival).sum()),
        })
    return pd.DataFrame(rows)


def coverage_rows(case) -> pd.DataFrame:
    """The statements behind the coverage table (for its source line)."""
    ids = [e for members in rival_units(case).values() for e in members]
    events = case.events(entities=ids)[["source", "line"]]
    figures = case.metrics(entity=ids, dated=False)[["source", "line"]]
    return pd.concat([events, figures], ignore_index=True)


def arena_events(case) -> pd.DataFrame:
    """Dated statements on the contest in the chosen arena, for the timeline."""
    arena = case.arena
    events = case.events()
    rival_ids = {e for ids in rival_units(case, arena).values() for e in ids}
    own = set(alibaba_entities(arena)) - {"alibaba_group"}
    markets = set(market_entities(arena))
    names = [n for r in case.rivals for n in [r, *_aliases(case.entity(r))]]
    named = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I) if names else None
    text = events["title"].fillna("") + " " + events["description"].fillna("")

    def event_arena(row_entity: str, row_text: str) -> set[str]:
        found = arenas_of(row_entity) if row_entity in _entities().index else set()
        if found and row_entity != "alibaba_group":
            return found
        guess = arena_of_text(row_text)
        return {guess} if guess else set()

    keep = []
    for entity, theme, words in zip(events["entity"], events["theme"], text):
        if entity in rival_ids:
            keep.append(True)
        elif (entity in own or entity in markets) and theme in ARENA_THEMES[arena]:
            keep.append(True)
        elif named is not None and named.search(words) and arena in event_arena(entity, words):
            keep.append(True)
        else:
            keep.append(False)
    return events.loc[pd.Series(keep, index=events.index, dtype=bool)].reset_index(drop=True)


def _aliases(entity_id: str) -> list[str]:
    value = _entities().loc[entity_id, "aliases"]
    return [] if pd.isna(value) else [a.strip() for a in str(value).split(";") if a.strip()]


def market_shares(case, everyone: bool = False) -> pd.DataFrame:
    """Market-share figures in the chosen arena for Alibaba and the selected rivals.

    Dated figures within the run's years, and undated ones whose vintage falls within them. With
    ``everyone``, firms outside the selection (Suning, Huawei Cloud ...) are kept as side 'other'.
    Adds: side, firm, vintage, table (market, period and source), wording.
    """
    rows = case.metrics(metric="market_share", dated=False)
    rows = rows.loc[pd.Series([arena_of_text(s) == case.arena for s in rows["scope"].fillna("")], index=rows.index, dtype=bool)].copy()
    owner = _owner(case)
    rows["side"] = [owner.get(e, "other") for e in rows["entity"]]
    if not everyone:
        rows = rows[rows["side"] != "other"]
    rows["firm"] = [name(e) for e in rows["entity"]]
    rows["vintage"] = pd.array([vintage(r) for _, r in rows.iterrows()], dtype="Int64")
    start, end = case.years
    rows = rows[rows["vintage"].between(start, end).fillna(False).astype(bool)]
    rows["table"] = [f"{r['scope']}, {_period_label(r)} ({_src(r['source'])})" for _, r in rows.iterrows()] if len(rows) else []
    rows["wording"] = [_wording(n) for n in rows["note"]] if len(rows) else []
    rows["selected"] = rows["side"].isin(case.rivals)
    return rows.sort_values(["vintage", "table", "value"], ascending=[True, True, False]).reset_index(drop=True)


def _one_per_firm(rows: pd.DataFrame) -> pd.DataFrame:
    """A restated figure counts once per table: keep each firm's first line."""
    return rows.sort_values("line").drop_duplicates(["table", "entity"]).sort_values(["vintage", "table", "value"], ascending=[True, True, False])


def side_by_side(case, rows: pd.DataFrame):
    """Bars of each firm's share, one panel per market table (market, period, source)."""
    import altair as alt

    from .. import charts

    charts.enable()
    shown = _one_per_firm(rows) if len(rows) else rows
    if not len(shown):
        return pd.DataFrame({"": [f"No market-share figure for Alibaba or the selected rivals in {ARENA_LABEL[case.arena]}, {_years_text(case)}, from sources graded {case.min_reliability} or better."]})
    frame = pd.DataFrame({
        "table": shown["table"].astype(str), "firm": shown["firm"].astype(str), "side": shown["side"].astype(str),
        "percent": shown["value"] * 100, "label": [_pct(v) for v in shown["value"]],
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

    from .. import charts

    charts.enable()
    if not len(rows):
        return pd.DataFrame({"": [f"No market table in {ARENA_LABEL[case.arena]} with an Alibaba business falls within this run."]})
    frame = pd.DataFrame({
        "firm": rows["firm"].astype(str), "position": rows["position"].astype(str), "percent": rows["value"] * 100,
        "label": [_pct(v) for v in rows["value"]], "source": rows["source"].astype(str), "line": rows["line"].astype(int),
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
    grades = {"low": 0, "medium": 1, "high": 2}
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
    frame["cited"] = [_src(s) for s in frame["source"]]
    return frame


def ebay_events(case) -> pd.DataFrame:
    """Every dated statement on the Taobao-eBay contest in this run (whatever the rivals chosen)."""
    events = case.events()
    text = events["title"].fillna("") + " " + events["description"].fillna("")
    about = events["entity"].isin(["ebay", "eachnet"]) | ((events["entity"] == "taobao") & text.str.contains(r"\beBay\b"))
    return _for_table(events[about].reset_index(drop=True))


def antitrust_events(case) -> pd.DataFrame:
    """Dated statements on the platform antitrust case and what followed it."""
    events = case.events(themes=["regulation"])
    text = events["title"].fillna("") + " " + events["description"].fillna("")
    keep = text.str.contains(ANTITRUST) & events["entity"].isin(ANTITRUST_ENTITIES)
    return _for_table(events[keep].reset_index(drop=True))


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
    return f"in percent of each market; {ARENA_LABEL[case.arena]}, {start}-{end}; undated figures placed at their vintage"


def how_sure_entities(case, *frames: pd.DataFrame) -> list[str]:
    """The businesses and rivals named in the frames behind the exhibits, for the conflicts box (the
    group itself left out: its disputed figures concern its listing and staff, not its rivals)."""
    ids = {str(e) for frame in frames if "entity" in frame for e in frame["entity"].dropna()}
    ids |= {e for units in rival_units(case).values() for e in units}
    return sorted(ids - {"alibaba_group"})


def table_columns(case) -> dict[str, str]:
    return {"firm": "Firm", "scope": "Market", "period": "Period", "value": "Share", "wording": "Wording", "cited": "Source", "line": "Line", "disputed": "Disputed"}


# ---- stories ----------------------------------------------------------------------------------------
def run_scope(case) -> str:
    start, end = case.years
    arena = ARENA_LABEL[case.arena]
    parts = [
        f"**What this run shows.** Years {start} to {end}; the arena compared is **{arena}**; "
        f"the rivals selected are {_join(list(case.rivals))}; statements come from sources graded "
        f"{case.min_reliability} or better."
    ]
    if case.min_reliability == "high":
        parts.append("No source in this data package is graded high, so every exhibit below is empty in this run; "
                     "set `min_reliability` to medium to keep the Lowrey volume, or to low to see everything.")
    elif case.min_reliability == "medium":
        parts.append("Only the Lowrey volume is graded medium, so the knowledge base's market-share tables, the "
                     "biography's dates and the 2025 article's claims are all left out of this run.")
    outside = rivals_outside_arena(case)
    if outside:
        parts.append(f"According to the entities table, {_join(outside)} {'does' if len(outside) == 1 else 'do'} not compete in {arena}, "
                     "so the arena's exhibits leave " + ("it" if len(outside) == 1 else "them") + " out; the overview table keeps every rival.")
    every = ebay_events(_all_years(case))
    first = every["date_start"].dt.year.min() if len(every) else None
    if first is not None and start > first:
        parts.append(f"The run starts in {start}, after the first statements on the eBay contest ({int(first)}), "
                     "so part of that story is missing from the exhibits.")
    if end < 2020:
        parts.append(f"It ends in {end}, before the antitrust case of 2020-2021, so the section on it has no exhibit rows.")
    return " ".join(parts)


def rivals_story(case) -> str:
    table = coverage(case)
    arena = ARENA_LABEL[case.arena]
    share_col = f"share figures in {arena}"
    lines = []
    for row in table.itertuples(index=False):
        events, figures, shares = row[4], row[5], row[6]
        lines.append(f"- **{row.rival}**: {events} dated statement{'s' if events != 1 else ''} and {figures} figure{'s' if figures != 1 else ''} "
                     f"in this run, {shares} of them market shares in {arena}.")
    empty = table.loc[(table["dated statements"] == 0) & (table["figures"] == 0), "rival"].tolist()
    thin = table.loc[(table["figures"] > 0) & (table[share_col] == 0), "rival"].tolist()
    tail = []
    if empty:
        tail.append(f"The data holds nothing at all on {_join(empty)} in this run: whatever the case says about "
                    f"{'it' if len(empty) == 1 else 'them'} rests on the sources' general remarks, not on figures.")
    if thin:
        tail.append(f"{_join(thin)} {'has' if len(thin) == 1 else 'have'} figures, but none for market share in {arena}.")
    units = [f"{r} ({', '.join(name(e) for e in ids[1:])})" for r, ids in rival_units(case).items() if len(ids) > 1]
    if units:
        tail.append("Some rivals' figures are filed under a unit rather than the parent company: " + _join(units) + ".")
    return "\n".join(lines) + ("\n\n" + " ".join(tail) if tail else "")


def ebay_story(case) -> str:
    events = ebay_events(case)
    if not len(events):
        return (f"No statement on the Taobao-eBay contest falls within {_years_text(case)} from sources graded "
                f"{case.min_reliability} or better, so {_ex(case, 'ebay')} is empty in this run.")
    def years(pattern, entities=None):
        rows = events[events["title"].str.contains(pattern)]
        if entities:
            rows = rows[rows["entity"].isin(entities)]
        return rows
    entry = years(EBAY_ENTRY, ["ebay", "eachnet"])
    passed = years(EBAY_PASSED)
    exit_ = years(EBAY_EXIT, ["ebay"])
    parts = []
    if len(entry):
        ys = sorted(set(entry["date_start"].dt.year))
        by = _join(sorted({_named(s) for s in entry["source"]}))
        parts.append(f"In this run the data dates eBay's arrival (or its purchase of EachNet) to {_join([str(y) for y in ys], 'or')} ({by})"
                     + (f": {len(ys)} different years for one event." if len(ys) > 1 else "."))
    if len(passed):
        ys = sorted(set(passed["date_start"].dt.year))
        parts.append(f"Taobao is said to have left eBay behind in {_join([str(y) for y in ys], 'or')}, "
                     f"according to {_join(sorted({_named(s) for s in passed['source']}))}.")
    if len(exit_):
        ys = sorted(set(exit_["date_start"].dt.year))
        parts.append(f"eBay's retreat is dated {_join([str(y) for y in ys], 'or')}.")
    # Alibaba-side statements that mention eBay's exit without dating it (the eBay rows date it themselves).
    left = events[(events["entity"] == "taobao") & events["description"].str.contains("left China", na=False) & (events["note"] != "")]
    for row in left.itertuples(index=False):
        parts.append(f"On eBay's exit, {_named(row.source)} (in a statement dated {row.date}) is vaguer. The data's note: {row.note}")
    disputed = int(events["disputed"].sum())
    parts.append(f"{disputed} of the {len(events)} statements in {_ex(case, 'ebay')} are flagged as disputed.")
    if not set(case.rivals) & {"eBay", "EachNet"}:
        parts.append("eBay is not among this run's selected rivals, so it is missing from the comparison exhibits; "
                     f"{_ex(case, 'ebay')} keeps it because the case starts with that contest.")
    return " ".join(parts)


def _figure_list(rows: pd.DataFrame) -> str:
    items = []
    for r in _one_per_firm(rows).itertuples(index=False):
        word = {"about": "about ", "over": "over "}.get(r.wording, "")
        items.append(f"{word}{_pct(r.value)} of {r.scope} ({_period_label(r._asdict())}, {_src(r.source)}{', disputed' if r.disputed else ''})")
    return "; ".join(items)


def _arena_note(case, arena: str) -> str:
    if case.arena == arena:
        return ""
    return f" (This run's comparison exhibits cover {ARENA_LABEL[case.arena]}; set `arena = \"{arena}\"` to chart these figures.)"


def _all_years(case):
    """The same run over every year the data covers (to say what the chosen years leave out)."""
    from ..params import data_years

    first, last = data_years()
    return case.__class__(case.notebook, {**case.params, "start_year": first, "end_year": last})


def _shares_for(case, arena: str) -> pd.DataFrame:
    return market_shares(case.__class__(case.notebook, {**case.params, "arena": arena}))


def challengers_story(case) -> str:
    shares = _shares_for(case, "ecommerce")
    parts = []
    for rival in ["JD.com", "Pinduoduo", "Amazon China", "Amazon"]:
        if rival not in case.rivals:
            continue
        own = shares[shares["side"] == rival]
        if len(own):
            parts.append(f"**{rival}**: {_figure_list(own)}.")
        else:
            parts.append(f"**{rival}**: no market-share figure in {_years_text(case)} from sources graded {case.min_reliability} or better.")
    missing = [r for r in ["JD.com", "Pinduoduo", "Amazon China"] if r not in case.rivals and not (r == "Amazon China" and "Amazon" in case.rivals)]
    if missing:
        parts.append(f"{_join(missing)} {'is' if len(missing) == 1 else 'are'} not among this run's rivals; add "
                     f"{'it' if len(missing) == 1 else 'them'} to `rivals` to see the figures.")
    ali = shares[shares["side"] == "Alibaba"]
    if len(ali):
        parts.append(f"Alibaba's side in the same years: {_figure_list(ali)}.")
    return " ".join(parts) + _arena_note(case, "ecommerce")


def payments_story(case) -> str:
    shares = _shares_for(case, "payments")
    ali = shares[shares["side"] == "Alibaba"]
    tencent = [r for r in case.rivals if r in ("Tencent", "WeChat Pay")]
    parts = []
    if len(ali):
        parts.append(f"Alipay's shares in this run: {_figure_list(ali)}.")
    else:
        parts.append(f"No Alipay market-share figure falls within {_years_text(case)} from sources graded {case.min_reliability} or better.")
    if tencent:
        wechat = shares[shares["side"].isin(tencent)]
        parts.append(f"WeChat Pay: {_figure_list(wechat)}." if len(wechat) else "WeChat Pay has no share figure in this run.")
    else:
        parts.append("Neither Tencent nor WeChat Pay is among this run's rivals, so WeChat Pay's share is left out here.")
    halt = case.events(entities=["pboc"])
    halt = halt[halt["description"].str.contains("Tencent", na=False)]
    if len(halt) and tencent:
        row = halt.iloc[0]
        parts.append(f"The one dated statement that names both firms: in {row['date']} the central bank stopped Tencent and Alipay "
                     f"from offering face-to-face QR-code and virtual-card payments ({_named(row['source'])}).")
    return " ".join(parts) + _arena_note(case, "payments")


def local_story(case) -> str:
    parts = []
    meituan = "Meituan" in case.rivals
    eleme = case.events(entities=["eleme"])
    if len(eleme):
        row = eleme.iloc[0]
        parts.append(f"The data dates the Ele.me takeover to {row['date']} ({_named(row['source'])}).")
    orders = case.metrics(entity="taobao_instant_commerce", metric="daily_orders")
    if len(orders):
        values = sorted({format_value(v, 'count') for v in orders['value']})
        flagged = int(orders["disputed"].sum())
        parts.append(f"In this run the daily-order claim for Taobao Instant Commerce ({_join(values, 'or')} a day, period "
                     f"{_join(sorted({str(p) for p in orders['period']}), 'or')}) rests on {len(orders)} statement{'s' if len(orders) != 1 else ''} "
                     f"from {_join(sorted({_named(s) for s in orders['source']}))}, {flagged} of them flagged as disputed.")
    else:
        parts.append(f"The 2025 daily-order claim for Taobao Instant Commerce falls outside this run ({_years_text(case)}, sources graded "
                     f"{case.min_reliability} or better).")
    consumers = case.metrics(entity="alibaba_local_services", dated=False)
    inside = [vintage(r) is not None and case.years[0] <= vintage(r) <= case.years[1] for _, r in consumers.iterrows()]
    consumers = consumers.loc[pd.Series(inside, index=consumers.index, dtype=bool)]
    if len(consumers):
        row = consumers.iloc[0]
        parts.append(f"The knowledge base, undated (c. {vintage(row)}), counts {format_value(row['value'], 'count')} yearly consumers of Ele.me and Koubei together.")
    if meituan:
        figures = case.metrics(entity="meituan", dated=False)
        events = case.events(entities=["meituan"])
        if not len(figures) and not len(events):
            parts.append("**Meituan** is selected, but the data package holds no figure and no dated statement on it: "
                         "the only evidence is the knowledge base's undated remark that it leads food delivery and that Ele.me struggles against it.")
    else:
        parts.append("Meituan is not among this run's rivals.")
    return " ".join(parts) + _arena_note(case, "local_services")


def cloud_story(case) -> str:
    shares = _shares_for(case, "cloud")
    parts = []
    ali = shares[shares["side"] == "Alibaba"]
    if len(ali):
        parts.append(f"Alibaba Cloud in this run: {_figure_list(ali)}.")
    else:
        parts.append(f"No Alibaba Cloud market-share figure falls within {_years_text(case)} from sources graded {case.min_reliability} or better "
                     "(the knowledge base's undated table reads as c. 2021).")
    in_cloud = rival_units(case, "cloud")
    for rival, ids in in_cloud.items():
        if not ids:
            continue
        own = shares[shares["side"] == rival]
        parts.append(f"{rival} ({_join([name(e) for e in ids])}): {_figure_list(own) if len(own) else 'no share figure in this run'}.")
    if not any(in_cloud.values()):
        parts.append("None of the selected rivals is in cloud according to the entities table (add Amazon or Tencent to compare).")
    ranks = case.events(entities=["alibaba_cloud"])
    ranks = ranks[ranks["title"].str.contains("third worldwide", na=False)]
    if len(ranks):
        parts.append(f"The biography puts Alibaba Cloud third in the world by {_join(sorted({str(y) for y in ranks['date_start'].dt.year}), 'or')}: "
                     "the same claim with two dates.")
    qwen = case.metrics(entity="qwen")
    if len(qwen):
        row = qwen.iloc[0]
        parts.append(f"On AI, the 2025 article credits Qwen with over {format_value(row['value'], 'count')} downloads ({row['period']}, disputed: {row['note']}).")
    ai = case.metrics(entity="alibaba_cloud", metric="share_other")
    ai = ai[ai["scope"].fillna("").str.contains("AI share")]
    if len(ai):
        row = ai.iloc[0]
        parts.append(f"It also says AI products made over {_pct(row['value'])} of the cloud unit's external revenue in {row['period']}.")
    return " ".join(parts) + _arena_note(case, "cloud")


def timeline_sentence(case) -> str:
    events = arena_events(case)
    arena = ARENA_LABEL[case.arena]
    if not len(events):
        return f"{_ex(case, 'timeline', True)} is empty: no dated statement on the contest in {arena} falls within this run."
    years = events["date_start"].dt.year
    silent = [r for r, ids in rival_units(case, case.arena).items() if ids and not events["entity"].isin(ids).any()]
    text = (f"{_ex(case, 'timeline', True)} holds {len(events)} dated statement{'s' if len(events) != 1 else ''} on {arena}, "
            f"from {int(years.min())} to {int(years.max())}.")
    if silent:
        text += (f" None of them is about {_join(silent, 'or')}: the sources date nothing on "
                 f"{'this rival' if len(silent) == 1 else 'these rivals'} in this arena, so any comparison with {'it' if len(silent) == 1 else 'them'} rests on the share figures below, where there are any.")
    return text


def arena_story(case) -> str:
    rows = market_shares(case)
    arena = ARENA_LABEL[case.arena]
    lead = timeline_sentence(case) + "\n\n"
    if not len(rows):
        return lead + (f"{_ex(case, 'shares', True)} is empty: no market-share figure for Alibaba or {_join(list(case.rivals))} in {arena}, "
                f"{_years_text(case)}, from sources graded {case.min_reliability} or better.")
    tables = list(dict.fromkeys(rows["table"]))
    count = len(_one_per_firm(rows))
    parts = [lead + f"{_ex(case, 'shares', True)} draws {count} figure{'s' if count != 1 else ''} from {len(tables)} market table{'s' if len(tables) != 1 else ''}. "
             "Each panel is one market, one period and one source, because shares from different tables do not add up:"]
    for table in tables:
        group = _one_per_firm(rows[rows["table"] == table])
        parts.append(f"- {table}: " + "; ".join(f"{r.firm} {_pct(r.value)}" for r in group.itertuples(index=False)))
    absent = [r for r in rivals_in_arena(case) if r not in set(rows["side"])]
    if absent:
        parts.append(f"\n{_join(absent)} compete{'s' if len(absent) == 1 else ''} in {arena} but {'has' if len(absent) == 1 else 'have'} no share figure in this run.")
    return "\n".join(parts)


def ranking_story(case) -> str:
    rows = ranking(case)
    arena = ARENA_LABEL[case.arena]
    if not len(rows):
        return f"No market table in {arena} that includes an Alibaba business falls within this run, so {_ex(case, 'ranking')} is empty."
    first = rows.iloc[0]
    others = rows.loc[rows["side"] == "other", "firm"].tolist()
    selected = rows.loc[rows["selected"], "firm"].tolist()
    text = (f"{_ex(case, 'ranking', True)} is the table with the most selected rivals in {arena} for this run: **{first['table']}**, "
            f"{len(rows)} firm{'s' if len(rows) != 1 else ''}. ")
    text += (f"Selected rivals in it: {_join(selected)}. " if selected else "None of the selected rivals appears in it. ")
    if others:
        text += f"It also lists firms outside the selection ({_join(others)}), so the leader's lead can be read against the whole field, not only against the rivals you chose."
    return text


def antitrust_story(case) -> str:
    fines = case.metrics(metric="fine")
    events = antitrust_events(case)
    if not len(fines) and not len(events):
        return f"No statement on the antitrust case falls within {_years_text(case)} from sources graded {case.min_reliability} or better."
    parts = []
    opened = events[events["title"].str.contains("opens|investigation|probe", case=False)]
    if len(opened):
        precise = opened.sort_values("date_precision", ascending=False).iloc[0]
        parts.append(f"The most precise date the data gives for the opening of the case is {precise['date']} ({_named(precise['source'])}).")
    if len(fines):
        amounts = sorted({format_value(v, str(u)) for v, u in zip(fines["value"], fines["unit"])})
        said = f"all as {amounts[0]}" if len(amounts) == 1 else f"as {_join(amounts, 'or')}"
        by = _join(sorted({_named(s) for s in fines['source']}))
        parts.append(f"{len(fines)} statement{'s' if len(fines) != 1 else ''} give the fine, {said} ({by}); "
                     f"dated {_join(sorted({str(p) for p in fines['period']}), 'or')}. The dollar sum is a conversion: the penalty was set in yuan.")
    remedy = events[events["title"].str.contains("remedy", case=False)]
    if len(remedy):
        parts.append(f"The 2025 article says the corrective obligations were finished by {remedy.iloc[0]['date']}.")
    return " ".join(parts)


def how_sure_story(case) -> str:
    rows = restated(case)
    arena = ARENA_LABEL[case.arena]
    if not len(rows):
        return (f"In {arena}, no firm's share is stated twice in this run, so {_ex(case, 'restated')} is empty; the e-commerce and cloud arenas "
                "(with the default years and `min_reliability = \"low\"`) show the pattern best.")
    groups = rows.groupby(['entity', 'scope']).ngroups
    parts = [f"In {arena}, this run holds {groups} share figure{'s' if groups != 1 else ''} stated more than once:"]
    for (entity, scope), group in rows.groupby(["entity", "scope"], sort=False):
        said = "; ".join(f"{ {'about': 'about ', 'over': 'over '}.get(r.wording, '')}{_pct(r.value)} ({_period_label(r._asdict())}, {_src(r.source)} line {r.line})".strip()
                         for r in group.itertuples(index=False))
        parts.append(f"- {name(entity)}, {scope}: {said}")
    return "\n".join(parts)


# ---- exercises -----------------------------------------------------------------------------------
def _check_passed(case, answer):
    events = ebay_events(case)
    passed = events[events["title"].str.contains(EBAY_PASSED)]
    if not len(passed):
        every = data.load("events")
        claims = every[every["entity"].isin(["ebay", "taobao"]) & every["title"].str.contains(EBAY_PASSED)]
        fixes = []
        if len(claims) and not claims["date_start"].dt.year.between(*case.years).any():
            fixes.append(f"widen the years to include {_join(sorted({str(y) for y in claims['date_start'].dt.year}), 'or')}")
        if case.min_reliability != "low":
            fixes.append("set `min_reliability` to low (the claims come from the biography)")
        return checks.Feedback(None, f"No source in this run ({_years_text(case)}, graded {case.min_reliability} or better) says when Taobao passed eBay"
                                     + (f"; {_join(fixes, 'and')}." if fixes else "."))
    years = sorted(set(int(y) for y in passed["date_start"].dt.year))
    return checks.year(answer, years, hint=f"Look again at {_ex(case, 'ebay')}: the rows whose title says Taobao overtook eBay or eBay conceded.")


def _check_gap(case, answer):
    rows = ranking(case)
    if not len(rows) or not rows["selected"].any():
        return checks.Feedback(None, f"In this run {_ex(case, 'ranking')} has no selected rival beside Alibaba, so the gap is undefined; "
                                     "try another arena or add rivals.")
    expected = rows.loc[rows["side"] == "Alibaba", "value"].sum() - rows.loc[rows["selected"], "value"].max()
    return checks.number(answer, float(expected), rel_tol=0.01, abs_tol=0.0005, shown=_pct(expected) + f" ({expected:.3f})",
                         hint=f"Use the table behind {_ex(case, 'ranking')}: add up the Alibaba rows, subtract the largest selected rival; give a fraction.")


def _check_missing(case, answer):
    rows = case.metrics(entity=list(case.rivals), dated=False)
    have = {name(e) for e in rows["entity"]}
    expected = [r for r in case.rivals if r not in have]
    return checks.members(answer, expected, normalise=lambda item: name(case.entity(str(item))) if _known(case, item) else str(item).lower(),
                          hint="Ask case.metrics for the rivals themselves (entity=rivals, dated=False) and compare names with the selection.")


def _known(case, item) -> bool:
    try:
        case.entity(str(item))
        return True
    except Exception:
        return False


EXERCISES = {
    "taobao_passes_ebay": _check_passed,
    "share_gap": _check_gap,
    "rivals_without_figures": _check_missing,
}
