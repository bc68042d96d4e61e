"""Issue 11, "Data fixes found in an audit of a random sample": the changes to existing rows.

Run `python3 curation/lowrey/fixes.py`; running it again changes
nothing. Each change says why. New rows (Table 8.1, the stated aim) are in rows.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import update, upsert  # noqa: E402

# Signs: a fall is a negative change. Rows that state a change move to a change metric
# (growth_rate for a relative change, change_other for a change in the quantity's own unit).
SIGNS = {
    # Lowrey 1749: the growth *rate* of GDP fell by 5 and then 3 (read as percentage points); exports fell 18%.
    "M0436": {"metric": "change_other", "value": "-0.05", "scope": "GDP growth rate",
              "note": "change in the GDP growth rate, read as percentage points; the source says growth slowed 'by 5 percent'"},
    "M0437": {"value": "-0.18", "scope": "exports",
              "note": "fall in exports against 2008; customs data show about a 16% drop in 2009 exports"},
    "M0438": {"metric": "change_other", "value": "-0.03", "scope": "GDP growth rate",
              "note": "a further slowdown of the GDP growth rate, read as percentage points; official data show 2009 growth only slightly below 2008, not 3 points lower"},
    "M0452": {"metric": "change_other", "scope": "penetration",
              "note": "rise in internet penetration against 2013, in percentage points"},
    # Cuts stored as positive shares under share_other: they are relative changes.
    "M0042": {"metric": "growth_rate", "value": "-0.3",
              "note": "average cut in SME IT costs; a 30% improvement recurs for unrelated programmes (lines 2225, 2249, 2292), which looks templated; unsourced"},
    "M0344": {"metric": "growth_rate", "value": "-0.3",
              "note": "cut in last-mile delivery cost; a 30% improvement recurs for unrelated programmes (lines 2225, 2249, 2292), which looks templated; unsourced"},
    "M0345": {"metric": "growth_rate", "value": "-0.5", "note": "cut in cross-border delivery time on some routes; no date"},
    "M0346": {"metric": "growth_rate", "value": "-0.1", "note": "year-on-year cut in average delivery cost per order; no date"},
    "M0474": {"metric": "growth_rate", "value": "-0.15",
              "note": "cut in traffic congestion; undated case-study figure; nearby dated items are 2020-2021; Hangzhou"},
    "M0475": {"metric": "growth_rate",
              "note": "improvement in weather-forecast accuracy (relative or in points, not said); undated case-study figure; nearby dated items are 2020-2021; Hangzhou"},
    "M0477": {"metric": "growth_rate", "value": "-0.8",
              "note": "cut in processing time for government services; undated case-study figure; nearby dated items are 2020-2021; Hangzhou"},
    "M0646": {"metric": "growth_rate", "value": "-0.6", "scope": "vendor fraud",
              "note": "fall in cheating by vendors after all new vendors were authenticated, 60-70%; low end given"},
    "M0473": {"metric": "change_other", "value": "-7", "unit": "minutes",
              "note": "cut in emergency response time; undated case-study figure; nearby dated items are 2020-2021; Hangzhou"},
    "M0317": {"metric": "change_other", "value": "-12000000",
              "note": "estimated cut in carbon emissions. The March 2020 update gives about 11 million tonnes; vintages seem blended. China."},
}

# Metric and unit that say what the figure is: durations, ages, physical quantities.
UNITS = {
    "M0004": {"metric": "duration"}, "M0006": {"metric": "duration"}, "M0007": {"metric": "duration"},
    "M0096": {"metric": "duration"}, "M0217": {"metric": "duration"}, "M0551": {"metric": "duration"},
    "M0607": {"metric": "duration"}, "M0684": {"metric": "duration"},
    "M0095": {"metric": "age"}, "M0097": {"metric": "age"},
    "M0509": {"metric": "duration",
              "note": "Years he cycled to Hangzhou hotels to guide tourists. 1970s-1980s. To practise English."},
    "M0543": {"metric": "duration", "unit": "months", "note": "lower bound of the old 18-24 month cycle; Shiseido product development"},
    "M0544": {"metric": "duration", "unit": "months", "note": "upper bound of the old 18-24 month cycle; Shiseido product development"},
    "M0545": {"metric": "duration", "unit": "months",
              "note": "lower bound of the new 6-12 month cycle after using Alibaba Cloud and Tmall; Shiseido product development"},
    "M0546": {"metric": "duration", "unit": "months", "note": "upper bound of the new 6-12 month cycle; Shiseido product development"},
    "M0569": {"metric": "duration", "unit": "months", "note": "time taken for the delivery rollout; China"},
    "M0487": {"metric": "delivery_days", "unit": "minutes",
              "note": "delivery promise for online orders near a store; undated case-study figure; nearby dated items are 2020-2021"},
    "M0488": {"metric": "physical_quantity"},
    "M0075": {"metric": "physical_quantity"}, "M0076": {"metric": "physical_quantity"},
    "M0679": {"metric": "physical_quantity",
              "note": "weight of dried fruit and nuts Costco sold to China through Tmall.hk on the 2014 festival"},
    "M0480": {"metric": "duration", "unit": "minutes",
              "note": "total minutes of online lessons in a single day (no year given, likely 2020)"},
    "M0608": {"unit": "count", "note": "average self-employed people per store (owners and partners), Alibaba survey; Taobao and Tmall"},
}

ENTITIES = {
    "M0447": {"entity": "world_economy", "scope": "services share of trade",
              "note": "typical share worldwide ('generally'); set beside China's 11.5% (M0444)"},
    "M0448": {"entity": "brazil_economy", "scope": "services share of trade",
              "note": "Brazil, another BRIC economy, set beside China's 11.5% (M0444)"},
}

DISPUTES = {
    "M0361": {"disputed": "true",
              "note": "over; at the exchange rate the same line implies (246.3 billion RMB = US$40.3 billion, about 6.11) this is "
                      "about 1.0 trillion RMB, below the about 1.2 trillion at line 1609 and the 1.3 trillion at line 3063 for the "
                      "same year; 'over' makes it a floor, but the three figures still do not agree"},
}

NEW_ENTITIES = [
    {"entity_id": "world_economy", "name": "World economy (comparison)", "kind": "market", "country": "",
     "description": "Worldwide averages the Lowrey volume sets beside China's figures, such as the services share of trade."},
    {"entity_id": "brazil_economy", "name": "Brazil's economy (comparison)", "kind": "market", "country": "Brazil",
     "description": "Brazilian figures the Lowrey volume uses as a fellow BRIC benchmark for China."},
]

NEW_METRICS = [
    {"metric": "duration", "label": "Duration",
     "description": "how long something takes or lasts (a loan, a cycle, a programme), or a total of time spent; unit gives minutes, hours, days, months or years"},
    {"metric": "physical_quantity", "label": "Physical quantity",
     "description": "a physical amount: weight in tonnes, area in sq_m, distance in km (say what in note)"},
    {"metric": "change_other", "label": "Change other",
     "description": "any other change in a quantity, in that quantity's unit (a fall is negative; say what in note)"},
]

DEFINITIONS = {
    "age": {"description": "age of a person at an event, or of a company at the time of writing"},
    "share_other": {"description": "any other share, or in unit ratio a multiple of another quantity (say what in note)"},
    "growth_rate": {"description": "any other growth rate (share, 0.41 = 41%, negative for a fall; or in unit ratio the new level as a multiple of the old; say what in note)"},
    "revenue_growth": {"description": "year-on-year growth of revenue (share, 0.41 = 41%, negative for a fall)"},
}

if __name__ == "__main__":
    upsert("entities", "entity_id", NEW_ENTITIES)
    upsert("metric_definitions", "metric", NEW_METRICS)
    update("metric_definitions", "metric", DEFINITIONS)
    update("metrics", "metric_id", {**SIGNS, **UNITS, **ENTITIES, **DISPUTES})
