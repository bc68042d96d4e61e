"""The instructor's teaching note (teaching_note.ipynb): the session plan, the lessons each block
teaches, the exercise answers, the group reruns and the reliability filter, all computed from the
five case notebooks' own chapter modules.

The note never repeats a notebook's logic in its own words where it can ask the notebook instead:
exercise titles and discussion questions are read from the notebooks' files, the expected answers are
computed the way each notebook's solution cell computes them, and every answer is passed back to that
notebook's own check (``case.check``) to show that the check accepts it. The note's one data parameter,
``min_reliability``, is applied to every frame it builds; the exercise answers are given for each
notebook's default run and, when the note is run with a stricter grade, for that grade as well.
"""
from __future__ import annotations

import ast
import json
import math
import re
from functools import lru_cache

import pandas as pd

from .. import data
from ..case import Case
from ..charts import format_value
from ..params import validate
from .business_model import facts as bm
from .competition import facts as co
from .fintech import facts as ft
from .history import facts as hi
from .overview import facts as ov

GRADES = ["low", "medium", "high"]
ORDER = ["overview", "history", "business_model", "fintech", "competition"]
LABELS = {
    "overview": "Overview", "history": "History", "business_model": "Business model",
    "fintech": "Fintech", "competition": "Competition",
}
SHORT = {
    "alibaba_way": "Lowrey", "biography": "biography", "kb": "knowledge base",
    "news2025": "2025 news piece", "blog": "course blog",
}
NAMED = {
    "alibaba_way": "the Lowrey volume", "biography": "the Ma biography", "kb": "the knowledge base",
    "news2025": "the 2025 news piece", "blog": "the course blog",
}


# ---- the five notebooks, opened the way their own runs open them ------------------------------------
def _grade(case) -> str:
    return str(case.params.get("min_reliability", "low"))


@lru_cache(maxsize=64)
def _open(notebook: str, frozen: tuple) -> Case:
    return Case(notebook, validate(notebook, dict(frozen)))


def notebook_case(notebook: str, overrides: dict | None = None) -> Case:
    """A case notebook's run with its defaults, changed by ``overrides`` (validated as the notebook would)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (overrides or {}).items()))
    opened = _open(notebook, frozen)
    return Case(notebook, {k: (list(v) if isinstance(v, list) else v) for k, v in opened.params.items()})


def _at(case, notebook: str) -> Case:
    """The notebook's default run, with this note's reliability bar."""
    return notebook_case(notebook, {"min_reliability": _grade(case)})


# ---- small helpers ------------------------------------------------------------------------------------
def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _lines(numbers) -> str:
    numbers = sorted({int(n) for n in numbers if not pd.isna(n)})
    if not numbers:
        return ""
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(map(str, numbers))


def _join(items: list[str], word: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"


def evidence(*frames: pd.DataFrame) -> pd.DataFrame:
    """The statements behind several exhibits, each once (for the How-sure box)."""
    return _evidence(*frames)


def _ids(frame: pd.DataFrame) -> pd.Series:
    """A statement's id: its metric_id or event_id (a frame may hold both kinds), else its entity."""
    ids = pd.Series(pd.NA, index=frame.index, dtype="string")
    for column in ("metric_id", "event_id", "entity_id"):
        if column in frame:
            ids = ids.fillna(frame[column].astype("string"))
    return ids


def _evidence(*frames: pd.DataFrame) -> pd.DataFrame:
    """Statements behind several frames, each once: source, line, disputed, and an id."""
    parts = []
    for frame in frames:
        if frame is None or not len(frame):
            continue
        part = pd.DataFrame({
            "id": _ids(frame),
            "source": frame["source"].astype("string"),
            "line": frame["line"] if "line" in frame else pd.NA,
            "disputed": frame["disputed"].astype(bool) if "disputed" in frame else False,
        })
        parts.append(part)
    if not parts:
        return pd.DataFrame({"id": pd.Series(dtype="string"), "source": pd.Series(dtype="string"),
                             "line": pd.Series(dtype="Int64"), "disputed": pd.Series(dtype=bool)})
    rows = pd.concat(parts, ignore_index=True)
    rows["id"] = rows["id"].astype("string")
    return rows.drop_duplicates(["id", "source", "line"]).reset_index(drop=True)


# ---- reading the notebooks themselves ----------------------------------------------------------------
def _cells(notebook: str) -> list[dict]:
    from ..notebooks import find

    nb = json.loads(find(notebook).path.read_text(encoding="utf-8"))
    return [{**c, "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"]} for c in nb["cells"]]


EXERCISE_TITLE = re.compile(r"###\s*Exercise\s*(\d+)\s*:\s*(.+)")
CHECK_ID = re.compile(r"case\.check\(\s*[\"']([^\"']+)[\"']")


def exercises_of(notebook: str) -> list[tuple[int, str, str]]:
    """(number, title, check id) of each exercise, in the order the notebook sets them."""
    found, pending = [], None
    for cell in _cells(notebook):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown" and "exercise" in tags:
            match = EXERCISE_TITLE.search(cell["source"])
            if match:
                pending = (int(match.group(1)), match.group(2).strip())
        elif cell["cell_type"] == "code" and "check" in tags and pending:
            match = CHECK_ID.search(cell["source"])
            if match:
                found.append((*pending, match.group(1)))
                pending = None
    return found


def questions_of(notebook: str) -> list[str]:
    """The discussion questions exactly as the notebook asks them: the numbered list after its
    "Discussion questions" heading."""
    cells = _cells(notebook)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and re.search(r"^#+ .*Discussion questions", cell["source"], re.M | re.I):
            for following in cells[index:index + 3]:
                items = re.findall(r"^\d+\. (.+)$", following["source"], re.M)
                if following["cell_type"] == "markdown" and items:
                    return items
    return []


# ---- the expected answers, computed as each notebook's solution cell computes them --------------------
def _overview_statements(case):
    return ov.statements(case)


def _conflicts(case) -> pd.DataFrame:
    return data.conflicts(min_reliability=_grade(case))


def _top_source(case):
    figures = case.metrics(dated=False)
    return figures["source"].value_counts().idxmax() if len(figures) else None


def _kb_conflicts(case):
    rows = _conflicts(case)
    return int(rows.loc[rows["source"] == "kb", "conflict"].nunique())


def _self_share(case):
    rows = _conflicts(case)
    if not len(rows):
        return None
    return float((rows.groupby("conflict")["source"].nunique() == 1).mean())


def _most_disputed(case):
    share = _overview_statements(case).groupby("source")["disputed"].mean()
    return share.idxmax() if len(share) else None


def _disputed_count(case):
    return int(case.events(themes=case.params.get("themes"))["disputed"].sum())


def _history_passed(case):
    """The solution's answer (the earliest year) first, then every other year the check accepts."""
    rivalry = hi.rivalry_rows(case)
    passed = rivalry[rivalry["title"].str.contains("overtakes|concedes")]
    years = sorted({int(y) for y in passed["date_start"].dt.year})
    return years or None


def _ipo_close_value(case):
    values = case.metrics(entity="Alibaba Group", metric="market_value")
    prices = case.metrics(entity="Alibaba Group", metric="share_price")
    at_offer = values.loc[values["scope"] == "offer price", "value"].median()
    close = prices.loc[prices["scope"] == "first-day close", "value"].median()
    offer = prices.loc[prices["scope"] == "offer price", "value"].median()
    result = at_offer * close / offer
    return None if pd.isna(result) else float(result)


def _singles_day_growth(case):
    festival = hi.singles_day_rmb(case)
    fixed = festival["value"].where(festival["value"] < 1e12, festival["value"] / 1000)
    by_year = fixed.groupby(festival["year"]).median()
    return float(by_year.iloc[-1] / by_year.iloc[0]) if len(by_year) > 1 else None


def _taobao_cagr(case):
    rows = case.metrics("Taobao", metric="gmv", scope="Taobao")
    annual = rows[rows["period"].str.fullmatch(r"\d{4}")].set_index("year")["value"]
    if len(annual) < 2:
        return None
    return float((annual.iloc[-1] / annual.iloc[0]) ** (1 / (annual.index[-1] - annual.index[0])) - 1)


def _cloud_share(case):
    cloud = case.metrics("Alibaba Cloud", metric="revenue")["value"]
    group = case.metrics("Alibaba Group", metric="revenue", scope="group")["value"]
    return float(cloud.iloc[0] / group.iloc[0]) if len(cloud) and len(group) else None


def _tmall_gap(case):
    tmall = case.metrics("Tmall", metric="merchants", scope="Tmall", dated=False)["value"]
    return float(tmall.max() / tmall.min() - 1) if tmall.nunique() > 1 else None


def _focus_biggest(case):
    rows = case.metrics(case.params["focus"])
    counts = rows[rows["unit"] == "count"]["value"]
    return float(counts.max()) if len(counts) else None


def _loan_per_borrower(case):
    lent = case.metrics("Ali Small Loans", "loans_issued")["value"].max()
    borrowers = case.metrics("Ali Small Loans", "borrowers")["value"].max()
    return None if pd.isna(lent) or pd.isna(borrowers) else float(lent / borrowers)


def _alipay_2012(case):
    count = case.metrics("Alipay", "transactions", scope="Alipay").query("year == 2013")["value"].max()
    growth = case.metrics("Alipay", "growth_rate", scope="transaction count")["value"].max()
    return None if pd.isna(count) or pd.isna(growth) else float(count / (1 + growth))


def _yuebao_growth(case):
    assets = case.metrics("Yu'e Bao", "fund_assets")["value"]
    return float(assets.max() / assets.min() - 1) if len(assets) > 1 else None


def _yuebao_yield(case):
    daily = case.metrics("Yu'e Bao", "amount_other", scope="return on 10,000 RMB", dated=False)["value"].max()
    return None if pd.isna(daily) else float(daily / 10_000 * 365)


def _ant_stake(case):
    raised = case.metrics("Ant Group", "ipo_raised")["value"].max()
    valuation = case.metrics("Ant Group", "market_value")["value"].max()
    return None if pd.isna(raised) or pd.isna(valuation) else float(raised / valuation)


def _competition_passed(case):
    """The solution's answer (the earliest year) first, then every other year the check accepts."""
    passed = data.tagged(co.ebay_events(case), "taobao_passes_ebay")
    years = sorted({int(y) for y in passed["date_start"].dt.year})
    return years or None


def _share_gap(case):
    ranking = co.ranking(case)
    if not len(ranking) or not ranking["selected"].any():
        return None
    return float(ranking.loc[ranking["side"] == "Alibaba", "value"].sum() - ranking.loc[ranking["selected"], "value"].max())


def _rivals_without_figures(case):
    rivals = list(case.params["rivals"])
    have = set(case.metrics(entity=rivals, dated=False)["entity"].map(case.entity_name))
    return sorted(set(rivals) - have)


# Each answer is computed as the notebook's solution cell computes it, then handed to that notebook's
# own check (casekit.chapters.<notebook>.EXERCISES): a second, independent computation, so the note
# shows at once if a solution and its check ever disagree.
# kind: how to print the answer (fraction, factor, year, USD, CNY, count, source, names)
ANSWERS = {
    "overview": {"top_source": (_top_source, "source"), "kb_conflicts": (_kb_conflicts, "whole"),
                 "self_share": (_self_share, "fraction"), "most_disputed": (_most_disputed, "source")},
    "history": {"disputed_count": (_disputed_count, "whole"), "taobao_passes_ebay": (_history_passed, "year"),
                "ipo_close_value": (_ipo_close_value, "USD"), "singles_day_growth": (_singles_day_growth, "factor")},
    "business_model": {"taobao_gmv_cagr": (_taobao_cagr, "fraction"), "cloud_revenue_share": (_cloud_share, "fraction"),
                       "tmall_merchant_gap": (_tmall_gap, "fraction"), "focus_biggest_count": (_focus_biggest, "count")},
    "fintech": {"loan_per_borrower": (_loan_per_borrower, "CNY"), "alipay_2012": (_alipay_2012, "count"),
                "yuebao_growth": (_yuebao_growth, "fraction"), "yuebao_yield": (_yuebao_yield, "fraction"),
                "ant_stake": (_ant_stake, "fraction")},
    "competition": {"taobao_passes_ebay": (_competition_passed, "year"), "share_gap": (_share_gap, "fraction"),
                    "rivals_without_figures": (_rivals_without_figures, "names")},
}


def _shown(value, kind: str) -> str:
    if kind == "fraction":
        return f"{value:.3f} ({value * 100:.1f}%)"
    if kind == "factor":
        return f"{value:.2f}"
    if kind == "whole":
        return f"{int(value):,}"
    if kind in ("USD", "CNY", "count"):
        return f"{format_value(value, kind)} ({value:,.0f})" if kind != "count" or value >= 1e6 else f"{value:,.0f}"
    if kind == "source":
        return f"`{value}` ({SHORT.get(str(value), value)})"
    if kind == "names":
        return ", ".join(value) if value else "none (an empty list)"
    return str(value)


def answer(notebook: str, exercise: str, case: Case) -> dict:
    """One exercise's expected answer in one run, and what the notebook's own check says about it."""
    spec = ANSWERS.get(notebook, {}).get(exercise)
    if spec is None:
        return {"shown": "not computed by this note", "verdict": "see the notebook's instructor edition", "value": None}
    compute, kind = spec
    try:
        value = compute(case)
    except Exception as error:  # a filtered-out frame: report it, never stop the note
        value, why = None, f"({type(error).__name__})"
    else:
        why = ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        feedback = case.check(exercise, -1234.5)  # undefined runs answer with their reason, whatever is given
        reason = feedback.message if feedback.passed is None else f"no value in this run {why}".strip()
        return {"shown": "no answer", "verdict": reason, "value": None}
    if kind == "year":
        years, value = value, value[0]
        extra = [str(y) for y in years[1:]]
        shown = f"{value}" + (f" (also accepted: {', '.join(extra)})" if extra else "")
    else:
        shown = _shown(value, kind)
    feedback = case.check(exercise, value)
    if feedback.passed is None:  # a value the check calls undefined (an empty frame summed to 0)
        return {"shown": "no answer", "verdict": feedback.message, "value": None}
    verdict = {True: "the notebook's check accepts it", False: f"the check disagrees: {feedback.message}",
               None: feedback.message}[feedback.passed]
    return {"shown": shown, "verdict": verdict, "value": value}


def exercise_answers(case, notebook: str) -> str:
    """A table of a notebook's exercises with their answers in its default run (and at this note's grade)."""
    listed = exercises_of(notebook)
    if not listed:
        return f"The {LABELS[notebook].lower()} notebook sets no exercises at present."
    grade = _grade(case)
    runs = [("Default run", notebook_case(notebook))]
    if grade != "low":
        runs.append((f"With min_reliability = {grade}", notebook_case(notebook, {"min_reliability": grade})))
    head = "| Exercise | " + " | ".join(label for label, _ in runs) + " |"
    lines = [head, "|" + "---|" * (len(runs) + 1)]
    for number, title, exercise in listed:
        cells = []
        for _, run in runs:
            result = answer(notebook, exercise, run)
            cells.append(f"**{_cell(result['shown'])}**; {_cell(result['verdict'])}")
        lines.append(f"| {number}. {_cell(title)} (`{exercise}`) | " + " | ".join(cells) + " |")
    intro = (f"Answers computed from the data just now, the way the notebook's solution cells compute them, then handed to "
             f"the notebook's own check. Defaults: {_params_text(notebook_case(notebook).params)}.")
    if grade != "low":
        intro += f" The second column reruns the notebook with `min_reliability = {grade}`, as this note is set."
    return intro + "\n\n" + "\n".join(lines)


def _params_text(params: dict) -> str:
    shown = []
    for key, value in params.items():
        if key in ("audience", "course"):
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if key == "themes" and isinstance(value, list) and len(value) > 4:
            text = f"all {len(value)} themes"
        shown.append(f"`{key}` = {text}")
    return "; ".join(shown)


# ---- Exhibit: the session plan ------------------------------------------------------------------------
def _block_frames(case) -> dict[str, list[pd.DataFrame]]:
    """The rows behind the exhibits each block projects, from the notebooks' own chapter modules."""
    o, h, b, f, c = (_at(case, n) for n in ORDER)
    return {
        "opening": [ov.map_rows(o, kept_only=True)],
        "overview": [ov.conflicts(o)],
        "history": [hi.founding_rows(h), hi.ipo_rows(h), hi.singles_day_rmb(h)],
        "business_model": [bm.segments(b), bm.festival(b), bm.disputed_pairs(b)],
        "fintech": [ft.rate_rows(f), ft.borrower_rows(f), ft.ipo_rows(f)],
        "competition": [co.ebay_events(c), co.ranking(c), co.restated(c), co.antitrust_events(c)],
    }


PLAN = [
    ("0-5", "Opening", "opening", "Overview",
     "Cold call: what kind of company is Alibaba? List the answers (retailer, marketplace, bank, cloud firm) and the measure of size each implies.",
     "The map of Alibaba's businesses"),
    ("5-15", "1. The evidence", "overview", "Overview",
     "Grades before analysis. What would make a source 'high'? Read the listing-day value: the medium book is off by ten, the low biography is close.",
     "The five sources and their grades; the conflicts table"),
    ("15-30", "2. History", "history", "History",
     "SoftBank's money, three dates in one book. The 2014 listing: proceeds, value at the offer price, value at the close.",
     "The founding years, statement by statement; the 2014 listing bars"),
    ("30-42", "3. Business model", "business_model", "Business model",
     "How a free marketplace pays: fees, ads, commissions, take rate. The Singles' Day figure printed a thousand times too large.",
     "Revenue by segment; Singles' Day as printed"),
    ("42-54", "4. Fintech", "fintech", "Fintech",
     "Escrow as a promise. Integrity capital as collateral. The 0.005 daily rate. A raise is not a valuation.",
     "The order-loan rate read three ways; Ant's raise and valuation"),
    ("54-64", "5. Competition", "competition", "Competition",
     "Free beat fees against eBay; four later attackers; 'choose one of two' and the fine. Restated shares are one witness.",
     "Taobao against eBay; the fullest ranking; restated shares"),
    ("64-78", "Group reruns", None, "groups.yml",
     "Each group reports in two minutes what its parameters changed and which claim it would no longer make.",
     "Two group reports side by side"),
    ("78-85", "Wrap-up", None, "All",
     "Retell the chain of answers; read the four rules; exit ticket: the figure you trust least and the document that would settle it.",
     "The board (right panel)"),
]


def session_plan(case) -> pd.DataFrame:
    """The timed plan, one row per block, with how many statements stand behind what each block projects."""
    frames = _block_frames(case)
    rows = []
    for minutes, block, key, notebook, activity, shows in PLAN:
        notebook = "Overview" if key == "opening" else notebook
        evidence = _evidence(*frames[key]) if key else None
        if evidence is None:
            count = ""
        elif key == "opening":
            count = str(len(evidence))
        else:
            count = f"{len(evidence)} ({int(evidence['disputed'].sum())} disputed)"
        rows.append({
            "Minutes": minutes, "Block (notebook)": block if notebook == "All" or notebook.lower() in block.lower() else f"{block} ({notebook})",
            "What the class does": activity, "Project": shows,
            f"Statements behind it (min_reliability {_grade(case)})": count,
        })
    return pd.DataFrame(rows)


def plan_rows(case) -> pd.DataFrame:
    """Every statement behind the plan's projected exhibits (for the exhibit's source line)."""
    frames = _block_frames(case)
    return _evidence(*[f for key in frames for f in frames[key]])


def plan_story(case) -> str:
    """What the plan's counts say for this run."""
    frames = _block_frames(case)
    counts = {key: _evidence(*frames[key]) for key in frames}
    grade = _grade(case)
    empty = [LABELS.get(k, "the opening") for k in ORDER if not len(counts[k])]
    thin = [LABELS[k] for k in ORDER[1:] if 0 < len(counts[k]) < 10]
    low = {key: _evidence(*_block_frames(_Fake("low"))[key]) for key in ORDER}
    text = (f"The last column counts the statements behind the exhibits each block projects, at "
            f"`min_reliability = {grade}`. In all, {_n(len(plan_rows(case)), 'statement')} stand behind the plan, "
            f"{int(plan_rows(case)['disputed'].sum())} of them disputed.")
    if grade == "low":
        text += (" This run keeps every source, so every block has its full set of conflicts to teach. Rerun the note with "
                 "`-p min_reliability medium` to see which blocks lose their material.")
    else:
        lost = [f"{LABELS[k]} ({len(low[k])} to {len(counts[k])})" for k in ORDER if len(counts[k]) < len(low[k])]
        text += (f" Against a run that keeps every source, the blocks lose statements as follows: {_join(lost)}."
                 if lost else " No block loses a statement against a run that keeps every source.")
        if empty:
            text += f" {_join(empty)} {'has' if len(empty) == 1 else 'have'} nothing left to project."
        if thin:
            text += f" {_join(thin)} {'is' if len(thin) == 1 else 'are'} left with fewer than ten statements."
    return text


class _Fake:
    """A stand-in with only a reliability grade, to ask the same question at another grade."""

    def __init__(self, grade: str):
        self.params = {"min_reliability": grade}


# ---- Exhibit: the lessons each block teaches ----------------------------------------------------------
def _metric(case, entity, metric, scope=None, scopes=None, periods=None) -> pd.DataFrame:
    rows = case.metrics(entity=entity, metric=metric, dated=False)
    if scope is not None:
        rows = rows[rows["scope"] == scope]
    if scopes is not None:
        rows = rows[rows["scope"].isin(scopes)]
    if periods is not None:
        rows = rows[rows["period"].astype(str).str.match(periods)]
    return rows


LESSONS = [
    ("1. The evidence", "Alibaba's value at the close of its first trading day", "the listing-day value",
     lambda c: _metric(c, "Alibaba Group", "market_value", scope="first-day close"),
     "A grade is a prior, not a verdict: the medium book is ten times too small here, and the low biography is close to right."),
    ("2. History", "When SoftBank's US$20 million arrived", "SoftBank's date",
     lambda c: c.events().loc[lambda e: e["title"].str.contains("SoftBank")],
     "One book dates one cheque three ways. A self-contradicting source confirms none of its versions."),
    ("2. History", "The 2014 listing: money raised against value at the offer price", "proceeds against value",
     lambda c: pd.concat([_metric(c, "Alibaba Group", "ipo_raised", periods=r"2014"),
                          _metric(c, "Alibaba Group", "market_value", scope="offer price")]),
     "Proceeds are shares sold times price; market value is all shares times price. The two differ by a factor of about seven."),
    ("3. Business model", "Singles' Day 2013 sales", "Singles' Day 2013",
     lambda c: _metric(c, "singles_day", "gmv", periods=r"2013"),
     "A unit slip: trillion for billion. One day cannot exceed a year of national online retail."),
    ("3. Business model", "How many merchants Tmall had", "Tmall's merchant count",
     lambda c: _metric(c, "Tmall", "merchants", scope="Tmall"),
     "The same book prints two counts, one of them twice. Undated, so both may be right at different times; the repeat is not a confirmation."),
    ("4. Fintech", "The price of an order loan", "the order-loan rate",
     lambda c: _metric(c, "Ali Small Loans", "interest_rate", scopes=["order loans, daily", "order loans, yearly"]),
     "Per day and per year are units. A daily rate of 0.005 cannot give about 6% a year: check a figure against its own sentence."),
    ("4. Fintech", "Ant Group's planned 2020 listing", "Ant's raise and valuation",
     lambda c: _metric(c, "Ant Group", ["ipo_raised", "market_value"]),
     "A raise is a slice of the valuation, never the whole: the passage that calls the raise the value is the outlier."),
    ("5. Competition", "Alibaba's share of China's e-commerce", "Alibaba's e-commerce share",
     lambda c: _metric(c, "Alibaba Group", "market_share", scope="China e-commerce"),
     "Restatement is not corroboration: the knowledge base's two lines are one unsourced claim, and a share needs a market and a date."),
    ("5. Competition", "When Taobao passed eBay", "the year Taobao passed eBay",
     lambda c: c.events(entities=["taobao", "ebay"]).loc[lambda e: e["title"].str.contains("overtakes|concedes")],
     "The outcome is certain and the year is not; only the self-contradicting biography dates it."),
    ("5. Competition", "The 2021 antitrust fine", "the antitrust fine",
     lambda c: _metric(c, "Alibaba Group", "fine"),
     "Three low sources agree, in dollars, on a penalty set in yuan: agreement among late compilations may be one converted figure copied three times."),
]


def _said(rows: pd.DataFrame) -> str:
    """'US$231 billion (biography, lines 2620, 2829); US$23.14 billion (Lowrey, line 189)'."""
    if not len(rows):
        return ""
    if "value" in rows:
        rows = rows.assign(shown=[format_value(v, str(u)) + (" a day" if s == "order loans, daily" else " a year" if s == "order loans, yearly" else "")
                                  for v, u, s in zip(rows["value"], rows["unit"], rows["scope"].fillna(""))])
        if rows["metric"].nunique() > 1:
            rows = rows.assign(shown=[f"{m.replace('ipo_raised', 'raised').replace('market_value', 'value')} {s}"
                                      for m, s in zip(rows["metric"], rows["shown"])])
    else:
        rows = rows.assign(shown=rows["date"].astype(str))
    parts = []
    for (shown, source), group in rows.groupby(["shown", "source"], sort=False, observed=True):
        flag = " (disputed)" if group["disputed"].all() else ""
        parts.append(f"{shown}{flag} ({SHORT.get(str(source), source)}, {_lines(group['line'])})")
    return "; ".join(parts)


def _distinct(rows: pd.DataFrame) -> int:
    if not len(rows):
        return 0
    return rows["value"].nunique() if "value" in rows else rows["date"].nunique()


def lesson_table(case) -> pd.DataFrame:
    """One row per lesson: what the sources print, at this run's grade, and what the lesson teaches."""
    out = []
    for block, question, _, select, point in LESSONS:
        rows = select(case)
        grades = sorted({str(g) for g in rows["reliability"]}, key=GRADES.index) if len(rows) else []
        disputed = f"; {int(rows['disputed'].sum())} of {len(rows)} disputed" if len(rows) else ""
        out.append({
            "Block: question": f"{block}: {question}",
            "What the sources print (source, line)": _said(rows) or f"nothing at min_reliability = {_grade(case)}",
            "Grades": ", ".join(grades) + disputed,
            "What it teaches": point,
        })
    return pd.DataFrame(out)


def lesson_rows(case) -> pd.DataFrame:
    """The statements behind the lessons table (for its source line and for the How-sure box)."""
    frames = [select(case) for _, _, _, select, _ in LESSONS]
    return pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else frames[0]


def lesson_entities(case) -> list[str]:
    rows = lesson_rows(case)
    return sorted(set(rows["entity"].astype(str))) if len(rows) else []


def lesson_story(case) -> str:
    """How many lessons keep their contrast at this run's grade, and which lose it."""
    grade = _grade(case)
    kept, flat, gone = [], [], []
    for _, _, short, select, _ in LESSONS:
        rows = select(case)
        (kept if _distinct(rows) > 1 else flat if len(rows) else gone).append(short)
    if grade == "low":
        return (f"With every source kept, {len(kept)} of the {len(LESSONS)} lessons show two or more different values or dates "
                "side by side; " + ((f"the remaining one ({flat[0]}) teaches by agreement rather than by conflict." if len(flat) == 1 else
                                     f"the rest ({_join(flat)}) teach by agreement rather than by conflict.") if flat else "all of them teach by conflict.")
                + " Rerun the note with `-p min_reliability medium` and this table thins out: that thinning is itself the lesson of block 1.")
    text = f"At `min_reliability = {grade}`, {len(kept)} of the {len(LESSONS)} lessons still show a disagreement."
    if flat:
        text += f" {_join(flat)[0].upper() + _join(flat)[1:]} {'keeps' if len(flat) == 1 else 'keep'} a single value, so the contrast that made the point is gone."
    if gone:
        text += f" Nothing at all is left on {_join(gone)}."
    text += (" A class that saw only this table would conclude that the sources agree far more than they do: "
             "filtering by grade hides the disagreement without correcting the figure that survives.")
    return text


# ---- Exhibit: the sources and what each contributes ---------------------------------------------------
AHEAD_EVENT = r"target year|\bgoal\b"  # events that name a year still to come
AHEAD_SCOPE = r"\((?:forecast|target|plan)\)"  # figures that forecast or set a target


def _all_statements(grade: str) -> pd.DataFrame:
    """Every event and figure from sources at or above ``grade``, with the year it speaks for."""
    events = data.at_least(data.load("events"), grade)
    metrics = data.at_least(data.load("metrics"), grade)
    columns = ["source", "line", "disputed", "reliability", "entity"]
    frame = pd.concat([
        events[columns].assign(kind="dated event", year=events["date_start"].dt.year.astype("Int64"), id=events["event_id"]),
        metrics[columns].assign(kind="figure", year=metrics["year"], id=metrics["metric_id"]),
    ], ignore_index=True)
    frame["source"] = frame["source"].astype("string")
    ahead_events = (events["title"].fillna("") + " " + events["note"].fillna("")).str.contains(AHEAD_EVENT, case=False, regex=True)
    ahead_metrics = metrics["scope"].fillna("").str.contains(AHEAD_SCOPE, case=False, regex=True)
    frame["ahead"] = pd.concat([ahead_events, ahead_metrics], ignore_index=True).astype(bool).to_numpy()
    return frame


def _reported(rows: pd.DataFrame) -> pd.Series:
    """The years of the statements that report something, leaving out forecasts and targets."""
    return rows.loc[~rows["ahead"], "year"].dropna()


def source_table(case) -> pd.DataFrame:
    """The five sources: grade, why, whether this run keeps them, what they give and how often it is disputed."""
    grade = _grade(case)
    every = _all_statements("low")
    sources = data.sources().rename(columns={"source_id": "source"})
    rows = []
    for s in sources.itertuples(index=False):
        own = every[every["source"] == s.source]
        years = _reported(own)
        rows.append({
            "source": s.source, "Source": s.short_name, "Grade": str(s.reliability),
            "In this run": "yes" if GRADES.index(str(s.reliability)) >= GRADES.index(grade) else f"no (below {grade})",
            "Dated events": int((own["kind"] == "dated event").sum()), "Figures": int((own["kind"] == "figure").sum()),
            "Share disputed": f"{own['disputed'].mean():.0%}" if len(own) else "",
            "Years its statements cover": f"{int(years.min())}-{int(years.max())}" if len(years) else "",
            "Why that grade": s.reliability_note,
        })
    return pd.DataFrame(rows)


def source_story(case) -> str:
    grade = _grade(case)
    every = _all_statements("low")
    kept = _all_statements(grade)
    share = len(kept) / len(every) if len(every) else 0
    last = _reported(kept)
    text = (f"The package holds {_n(len(every), 'statement')} in all. This run (`min_reliability = {grade}`) keeps "
            f"{len(kept):,} of them ({share:.0%})")
    text += (f", and the latest year they report on, leaving forecasts and targets aside, is {int(last.max())}."
             if len(last) else ", so no year is covered at all.")
    medium = _all_statements("medium")
    if grade == "low" and len(medium):
        who = _join([NAMED[str(x)] for x in medium["source"].unique()])
        text += (f" Raising the bar to medium would keep {len(medium):,} ({len(medium) / len(every):.0%}), all from {who}, "
                 f"and the record would stop in {int(_reported(medium).max())}. "
                 "Raising it to high keeps nothing: no document in the case has a legal duty behind it.")
    return text


# ---- Exhibit: the record year by year, and what the reliability bar removes ------------------------------
def record_rows(case) -> pd.DataFrame:
    """Dated statements per year and source, from the sources this run keeps."""
    rows = _all_statements(_grade(case))
    return rows[rows["year"].notna() & ~rows["ahead"]].reset_index(drop=True)


def record_chart(case, rows: pd.DataFrame):
    """Stacked bars: statements per year, coloured by source (its grade in the legend)."""
    import altair as alt

    from .. import charts

    charts.enable()
    names = {s: f"{SHORT[s]} ({g})" for s, g in data.sources().set_index("source_id")["reliability"].astype(str).items()}
    domain = [names[s] for s in ["alibaba_way", "kb", "biography", "news2025", "blog"]]
    palette = [charts.RELIABILITY_COLOURS["medium"], charts.PALETTE[0], charts.PALETTE[8], charts.PALETTE[3], charts.PALETTE[7]]
    counts = (rows.assign(who=rows["source"].map(names), year=rows["year"].astype(int))
              .groupby(["year", "who"]).size().reset_index(name="statements"))
    if not len(counts):
        return (alt.Chart(pd.DataFrame({"text": [f"No statement passes min_reliability = {_grade(case)}."]}))
                .mark_text(size=14, color=charts.MUTED).encode(text="text:N").properties(width=charts.WIDTH, height=80))
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="year the statement speaks for", scale=alt.Scale(domain=list(range(1995, 2026)))),
            y=alt.Y("statements:Q", title="statements (events and figures)", stack="zero"),
            color=alt.Color("who:N", title="source (grade)", scale=alt.Scale(domain=domain, range=palette)),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("who:N", title="source"), alt.Tooltip("statements:Q")],
        )
        .properties(width=charts.WIDTH, height=260)
    )


def reliability_story(case) -> str:
    """What the reliability bar removes: statements, years, conflicts and exercises, at each grade."""
    lines = ["| min_reliability | statements kept | latest year reported | disputed | conflicts found | exercises with no answer |",
             "|---|---|---|---|---|---|"]
    for grade in GRADES:
        kept = _all_statements(grade)
        years = _reported(kept)
        conflicts = data.conflicts(min_reliability=grade)
        missing = 0
        for notebook in ORDER:
            run = notebook_case(notebook, {"min_reliability": grade})
            missing += sum(answer(notebook, ex, run)["value"] is None for _, _, ex in exercises_of(notebook))
        total = sum(len(exercises_of(n)) for n in ORDER)
        mark = " (this run)" if grade == _grade(case) else ""
        lines.append(f"| {grade}{mark} | {len(kept):,} | {int(years.max()) if len(years) else 'n/a'} | "
                     f"{int(kept['disputed'].sum()):,} | {conflicts['conflict'].nunique()} | {missing} of {total} |")
    low, medium = data.conflicts(min_reliability="low"), data.conflicts(min_reliability="medium")
    across = low.groupby("conflict")["source"].nunique()
    left = [NAMED.get(str(x), str(x)) for x in data.at_least(data.sources().rename(columns={"source_id": "source"}), "medium")["source"]]
    text = ("\n".join(lines) + "\n\n(The latest year reported leaves out forecasts and targets.) "
            f"Of the {low['conflict'].nunique()} conflicts the package holds with every source kept, {int((across > 1).sum())} set one "
            f"source against another; the other {int((across == 1).sum())} are a source disagreeing with itself. At medium, "
            f"{medium['conflict'].nunique()} remain")
    if len(left) == 1:
        text += (f", every one of them inside {left[0]}, the only source left. "
                 "So the stricter setting does not leave a cleaner record; it leaves one voice, which can only contradict itself.")
    else:
        text += ". The stricter setting removes the cross-source conflicts first, which makes the record look cleaner than it is."
    return text


# ---- group reruns (notebooks/classroom/groups.yml) ------------------------------------------------------
def _groups():
    from ..build import read_batch
    from ..paths import notebooks_dir

    return read_batch(notebooks_dir() / "classroom" / "groups.yml")


def groups_story(case) -> str:
    """For each run in the sample batch file: what it changes, and which exercise answers move."""
    try:
        runs = _groups()
    except Exception as error:  # a missing or broken batch file must not stop the note
        return f"The sample batch file could not be read ({error}); fix it and run this cell again."
    lines = ["| Group (report name) | Notebook | Parameters changed | Exercise answers that move (default run -> group's run) |",
             "|---|---|---|---|"]
    for run in runs:
        default, group = notebook_case(run.notebook), notebook_case(run.notebook, {k: run.parameters[k] for k in run.changed})
        moved, same = [], 0
        for number, _, exercise in exercises_of(run.notebook):
            before, after = answer(run.notebook, exercise, default), answer(run.notebook, exercise, group)
            if before["shown"] == after["shown"]:
                same += 1
                continue
            now = after["shown"] if after["value"] is not None else "no answer"
            moved.append(f"Ex. {number}: {before['shown']} -> {now}")
        changed = "; ".join(f"`{k}` = {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in
                            ((k, run.parameters[k]) for k in run.changed)) or "none"
        summary = "<br>".join(_cell(m) for m in moved) or "none"
        if moved and same:
            summary += f"<br>({same} unchanged)"
        lines.append(f"| {run.name} | {LABELS.get(run.notebook, run.notebook)} | {_cell(changed)} | {summary} |")
    return (f"The file holds {_n(len(runs), 'run')}. The table is computed from it each time this note runs, so it follows any "
            "edit you make to the file. An answer of \"no answer\" means the exercise has nothing to work on under the group's "
            "parameters; the group's check cell then says why, which is worth reading aloud.\n\n" + "\n".join(lines))


# ---- common mistakes, with this run's examples --------------------------------------------------------
def mistakes_story(case) -> str:
    """The three classic mistakes, each with the statements this run keeps that invite it."""
    grade = _grade(case)
    parts = []
    slip = _metric(case, "singles_day", "gmv", periods=r"2013")
    if len(slip):
        parts.append(f"**Unit slip.** Singles' Day 2013 as printed: {_said(slip)}.")
    else:
        parts.append(f"**Unit slip.** No Singles' Day figure passes `min_reliability = {grade}`.")
    raised = _metric(case, "Alibaba Group", "ipo_raised", periods=r"2014")
    value = _metric(case, "Alibaba Group", "market_value", periods=r"2014")
    if len(raised) or len(value):
        parts.append(f"**Proceeds against value.** For the 2014 listing this run keeps {_n(len(raised), 'statement')} of money raised "
                     f"({_said(raised.drop_duplicates(['value', 'source'])) or 'none'}) and {_n(len(value), 'statement')} of market value "
                     f"({_said(value) or 'none'}).")
    else:
        parts.append(f"**Proceeds against value.** No 2014 listing figure passes `min_reliability = {grade}`.")
    share = _metric(case, "Alibaba Group", "market_share", scope="China e-commerce")
    repeats = share[share.duplicated(["value", "source"], keep=False)]
    if len(repeats):
        parts.append(f"**Restatement taken for corroboration.** {_said(repeats)}: {_n(len(repeats), 'line')}, one source, one claim.")
    else:
        parts.append(f"**Restatement taken for corroboration.** At `min_reliability = {grade}` no share of China's e-commerce is "
                     "repeated by one source, but the Tmall merchant count in the lessons table still is.")
    return "\n\n".join(parts)


# ---- keeping the note in step with the notebooks --------------------------------------------------------
def sync_story(case) -> str:
    """Whether every discussion question and exercise in the five notebooks is covered by this note."""
    from ..notebooks import find

    note = json.loads(find("teaching_note").path.read_text(encoding="utf-8"))
    text = " ".join(" ".join("".join(c["source"]).split()) for c in note["cells"] if c["cell_type"] == "markdown")
    missing_q, missing_ex, total_q, total_ex = [], [], 0, 0
    for notebook in ORDER:
        for number, question in enumerate(questions_of(notebook), 1):
            total_q += 1
            if " ".join(question.split()) not in text:
                missing_q.append(f"{LABELS[notebook]} question {number}")
        for number, _, exercise in exercises_of(notebook):
            total_ex += 1
            if exercise not in ANSWERS.get(notebook, {}):
                missing_ex.append(f"{LABELS[notebook]} exercise {number} (`{exercise}`)")
    if not missing_q and not missing_ex:
        return (f"Checked just now: all {total_q} discussion questions of the five notebooks appear in this note word for word, "
                f"and all {total_ex} exercises have a computed answer.")
    text = "**The notebooks have changed since this note was written.**"
    if missing_q:
        text += f" Not in this note as worded now: {_join(missing_q)}."
    if missing_ex:
        text += f" Exercises without a computed answer: {_join(missing_ex)}."
    return text + " Read those notebooks' instructor editions for the new material."


def run_scope(case) -> str:
    """What this run of the note keeps."""
    grade = _grade(case)
    kept = [NAMED[s] for s, g in data.sources().set_index("source_id")["reliability"].astype(str).items()
            if GRADES.index(g) >= GRADES.index(grade)]
    course = f" for {case.params['course']}" if case.params.get("course") else ""
    if grade == "low":
        return (f"This copy of the note{course} keeps all five sources (`min_reliability = low`), as the students' notebooks do "
                "by default. Build it again with `-p min_reliability medium` to prepare the reliability discussion: every table "
                "and count below then shows what is left when only the Lowrey volume counts.")
    if not kept:
        return (f"This copy of the note{course} is built with `min_reliability = {grade}`, which no source in the case reaches: the "
                "exhibits below are empty on purpose, and the exercise tables show which checks explain why.")
    return (f"This copy of the note{course} is built with `min_reliability = {grade}`: only {_join(kept)} "
            f"{'counts' if len(kept) == 1 else 'count'}. The exhibits and counts below follow that choice; the exercise tables "
            "give each notebook's default answers beside the answers at this grade.")
