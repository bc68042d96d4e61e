"""The house chart style and the case's exhibit recipes (Altair).

Every recipe takes a tidy frame from the data package and returns an ``alt.Chart`` with units on
its axes and tooltips that name the source and line, so a reader can hover a point and see where
the figure comes from. Titles and source lines are added by :class:`casekit.case.Case`.
"""
from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from .prose import scale

# Quoted: a family name starting with a digit ('3') is not a CSS identifier, and one bad name makes
# an SVG renderer drop the whole list.
FONT = '"Source Sans 3", "Helvetica Neue", Arial, sans-serif'
INK, MUTED, GRID = "#1f2933", "#52606d", "#e4e7eb"
# Colour-blind-safe categories (Okabe-Ito), Alibaba orange first.
PALETTE = ["#e66a00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#999999", "#b8a200"]
RELIABILITY_COLOURS = {"high": "#009e73", "medium": "#0072b2", "low": "#e66a00"}
WIDTH = 620



@functools.cache
def _register_theme() -> None:
    # Once per process: asking Altair for its theme names scans every installed package's entry points
    # (about 10 ms, and every exhibit enables the theme).
    alt.theme.register("casekit", enable=False)(lambda: alt.theme.ThemeConfig(theme()["config"] and theme()))


def theme() -> dict:
    """The house theme: quiet grid, left-aligned titles, readable type."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": INK, "subtitleColor": MUTED, "subtitleFontSize": 12, "offset": 12},
            "axis": {"labelColor": MUTED, "titleColor": MUTED, "gridColor": GRID, "domainColor": "#9aa5b1", "tickColor": "#9aa5b1", "labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": 500},
            "legend": {"labelColor": MUTED, "titleColor": MUTED, "orient": "bottom", "labelFontSize": 11, "titleFontSize": 11},
            "range": {"category": PALETTE},
            "point": {"size": 70, "filled": True},
            "line": {"strokeWidth": 2.5},
            "bar": {"cornerRadiusEnd": 2},
        }
    }


def enable() -> None:
    """Use the house theme and emit charts as Vega-Lite JSON (drawn by JupyterLab and by the reports)."""
    _register_theme()
    alt.theme.enable("casekit")
    alt.renderers.enable("mimetype")
    alt.data_transformers.disable_max_rows()


def _tooltips(frame: pd.DataFrame, *extra: alt.Tooltip) -> list:
    base = [alt.Tooltip(c, title=c) for c in ("source", "line") if c in frame]
    flag = [alt.Tooltip("disputed:N", title="disputed")] if "disputed" in frame else []
    return [*extra, *base, *flag]


def timeline(events: pd.DataFrame, colour: str = "theme") -> alt.Chart:
    """Events on a time axis, one lane per theme; hollow marks are disputed statements."""
    frame = events.assign(when=events["date_start"], disputed=events["disputed"].map({True: "yes", False: "no"}))
    frame = frame[["when", "date", "theme", "title", "entity", "source", "line", "disputed"]].astype({"theme": "string"})
    lanes = sorted(frame[colour].dropna().unique())
    return (
        alt.Chart(frame)
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=alt.X("when:T", title="year", axis=alt.Axis(format="%Y", labelAngle=0)),
            y=alt.Y(f"{colour}:N", title=None, sort=lanes),
            color=alt.Color(f"{colour}:N", legend=None),
            shape=alt.Shape("disputed:N", title="disputed?", scale=alt.Scale(domain=["no", "yes"], range=["circle", "triangle-up"])),
            tooltip=_tooltips(frame, alt.Tooltip("date:N", title="date"), alt.Tooltip("title:N", title="event"), alt.Tooltip("entity:N")),
        )
        .properties(width=WIDTH, height=max(120, 34 * len(lanes)))
    )


def trend(metrics: pd.DataFrame, colour: str = "source", unit: str | None = None) -> alt.Chart:
    """A figure over the years, one line per ``colour`` (source by default, so disagreements show)."""
    unit = unit or str(metrics["unit"].iloc[0])
    factor, label = scale(metrics["value"], unit)
    frame = metrics.assign(shown=metrics["value"] / factor, disputed=metrics["disputed"].map({True: "yes", False: "no"}))
    frame = frame[["year", "period", "shown", "value", "unit", colour, "source", "line", "disputed", "metric", "entity"]].loc[:, lambda f: ~f.columns.duplicated()]
    frame = frame.astype({c: "string" for c in ("period", "unit", "source", "metric", "entity", colour)})
    base = alt.Chart(frame).encode(
        x=alt.X("year:Q", title="year", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("shown:Q", title=label, scale=alt.Scale(zero=True)),
        color=alt.Color(f"{colour}:N", title=colour.replace("_", " ")),
        tooltip=_tooltips(frame, alt.Tooltip("period:N", title="period"), alt.Tooltip("shown:Q", title=label, format=",.4~g"), alt.Tooltip("entity:N"), alt.Tooltip("metric:N")),
    )
    return (base.mark_line(opacity=0.7) + base.mark_point()).properties(width=WIDTH, height=300)


def bars(frame: pd.DataFrame, category: str, unit: str | None = None, colour: str | None = None) -> alt.Chart:
    """Horizontal bars of ``value`` by ``category`` (largest first)."""
    unit = unit or str(frame["unit"].iloc[0])
    factor, label = scale(frame["value"], unit)
    shown = frame.assign(shown=frame["value"] / factor)
    keep = [c for c in dict.fromkeys([category, "shown", "period", "source", "line", "disputed", colour]) if c and c in shown]
    shown = shown[keep].astype({c: "string" for c in keep if c not in ("shown", "line", "disputed")})
    if "disputed" in shown:
        shown["disputed"] = shown["disputed"].map({True: "yes", False: "no"})
    encoding = dict(
        y=alt.Y(f"{category}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
        x=alt.X("shown:Q", title=label),
        tooltip=_tooltips(shown, alt.Tooltip(f"{category}:N"), alt.Tooltip("shown:Q", title=label, format=",.4~g"), *([alt.Tooltip("period:N")] if "period" in shown else [])),
    )
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=colour.replace("_", " "))
    return alt.Chart(shown).mark_bar().encode(**encoding).properties(width=WIDTH - 120, height=max(80, 24 * shown[category].nunique()))


def disagreement(conflicts: pd.DataFrame) -> alt.Chart:
    """One row per disputed figure, a dot per source: how far apart the sources are."""
    frame = conflicts.copy()
    frame["figure"] = frame["entity"].astype(str) + " " + frame["metric"].astype(str) + " " + frame["period"].astype(str)
    frame["relative"] = frame["value"] / frame.groupby("conflict")["value"].transform("max")
    frame = frame[["figure", "relative", "value", "unit", "source", "reliability", "line"]].astype({"figure": "string", "unit": "string", "source": "string", "reliability": "string"})
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=90)
        .encode(
            y=alt.Y("figure:N", title=None),
            x=alt.X("relative:Q", title="value as a share of the largest value given", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("source:N", title="source"),
            tooltip=[alt.Tooltip("figure:N"), alt.Tooltip("value:Q", format=",.6~g"), alt.Tooltip("unit:N"), alt.Tooltip("source:N"), alt.Tooltip("reliability:N"), alt.Tooltip("line:Q")],
        )
        .properties(width=WIDTH - 200, height=max(80, 22 * frame["figure"].nunique()))
    )


def entity_map(entities: pd.DataFrame, root: str = "alibaba_group", width: int = 860) -> alt.Chart:
    """The businesses under ``root`` as a grid of labelled tiles, one column per kind.

    The columns share ``width`` (a report page), and long names wrap onto up to three lines.
    """
    import textwrap

    children = entities[entities["parent"] == root]
    grand = entities[entities["parent"].isin(children["entity_id"])]
    frame = pd.concat([children.assign(level="unit"), grand.assign(level="within a unit")])
    frame = frame.assign(group=frame["kind"].astype("string").str.replace("_", " "))
    frame["row"] = frame.groupby("group").cumcount()
    step = max(70, width // max(1, frame["group"].nunique()))
    wrapped = [textwrap.wrap(str(name), max(10, int(step / 5.6)))[:3] for name in frame["name"]]
    frame["label"] = ["\n".join(lines) for lines in wrapped]
    row = 11 * max((len(w) for w in wrapped), default=1) + 10
    frame = frame[["name", "label", "group", "row", "level", "description"]].astype(
        {"name": "string", "label": "string", "level": "string", "description": "string"})
    base = alt.Chart(frame).encode(
        x=alt.X("group:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight=600, labelFontSize=11, labelLimit=step - 4)),
        y=alt.Y("row:O", axis=None),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("group:N", title="kind"), alt.Tooltip("description:N")],
    )
    tiles = base.mark_rect(cornerRadius=3, stroke="white", strokeWidth=2).encode(
        color=alt.Color("level:N", title="position", scale=alt.Scale(domain=["unit", "within a unit"], range=["#fbd3b0", "#fde9d6"]))
    )
    labels = base.mark_text(fontSize=10, color=INK, lineBreak="\n", lineHeight=11, baseline="top", dy=-(row / 2) + 5).encode(text="label:N")
    return (tiles + labels).properties(width=alt.Step(step), height=alt.Step(row))
