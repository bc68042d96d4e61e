"""Rows added from the Lowrey volume (source `alibaba_way`, file 003_d5944d4895bf6e02.txt).

Metric ids M1000-M1499 and event ids E1000-E1499 are reserved for this file. Run from the repository
root or anywhere: `python3 curation/lowrey/rows.py`. It replaces rows with the same id or appends them at the end,
so running it again changes nothing. Every value or year stands within three lines of its `line`.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import upsert  # noqa: E402

SOURCE = "alibaba_way"


def metric(metric_id, entity, metric, period, value, unit, scope, line, note, disputed=False):
    return {"metric_id": metric_id, "entity": entity, "metric": metric, "period": period, "value": value,
            "unit": unit, "scope": scope, "tags": "", "source": SOURCE, "line": str(line),
            "disputed": "true" if disputed else "false", "note": note}


def event(event_id, date, entity, theme, title, description, line, note="", disputed=False):
    return {"event_id": event_id, "date": date, "entity": entity, "theme": theme, "tags": "", "title": title,
            "description": description, "source": SOURCE, "line": str(line),
            "disputed": "true" if disputed else "false", "note": note}


# Table 8.1 (lines 2935-2948): national e-commerce volume and e-commerce jobs, 2008-2013.
# The header (line 2937) gives volume in units of 100 billion RMB and jobs in units of 10,000 people;
# `casekit data verify` reads a table row with its header's units.
VOLUME_NOTE = ("Table 8.1 as printed: {shown} in a column headed in units of 100 billion RMB (line 2937). "
               "The column is really in trillions: its 2013 entry, 10.2, is the 10.2 trillion RMB of line 2909, "
               "so read {shown} trillion RMB.{extra}")
TABLE_8_1 = [
    metric("M1000", "china_ecommerce", "gmv", "2008", "320000000000", "CNY", "China all e-commerce", 2939,
           VOLUME_NOTE.format(shown="3.2", extra=""), disputed=True),
    metric("M1001", "china_ecommerce", "gmv", "2009", "380000000000", "CNY", "China all e-commerce", 2940,
           VOLUME_NOTE.format(shown="3.8", extra=""), disputed=True),
    metric("M1002", "china_ecommerce", "gmv", "2010", "460000000000", "CNY", "China all e-commerce", 2941,
           VOLUME_NOTE.format(shown="4.6", extra=" Line 1277 instead has online trade passing 1 trillion RMB in 2010."),
           disputed=True),
    metric("M1003", "china_ecommerce", "gmv", "2011", "590000000000", "CNY", "China all e-commerce", 2942,
           VOLUME_NOTE.format(shown="5.9", extra=""), disputed=True),
    metric("M1004", "china_ecommerce", "gmv", "2012", "850000000000", "CNY", "China all e-commerce", 2943,
           VOLUME_NOTE.format(shown="8.5", extra=" Even read in trillions it differs from the 8.1 trillion of line 3063 and "
                              "Table 8.2, and from the 8.4 trillion of line 1609."), disputed=True),
    metric("M1005", "china_ecommerce", "gmv", "2013", "1020000000000", "CNY", "China all e-commerce", 2944,
           VOLUME_NOTE.format(shown="10.2", extra=" This is the same statement as M0366 (line 2909), there in trillions."),
           disputed=True),
]
for i, (year, direct, indirect) in enumerate([("2008", 45, 570), ("2009", 100, 800), ("2010", 160, 1200), ("2011", 180, 1350)]):
    line = 2939 + i
    TABLE_8_1.append(metric(f"M{1006 + i}", "china_ecommerce", "jobs_created", year, str(direct * 10000), "count", "direct", line,
                            f"Table 8.1: direct e-commerce jobs nationwide, {direct:,} in units of 10,000 people (header, line 2937); "
                            "the table cites the China E-commerce Research Center's annual reports. 2012 is left blank in the table."))
    TABLE_8_1.append(metric(f"M{1010 + i}", "china_ecommerce", "jobs_created", year, str(indirect * 10000), "count", "indirect", line,
                            f"Table 8.1: indirect e-commerce jobs nationwide (transport, warehousing, delivery and other trades), "
                            f"{indirect:,} in units of 10,000 people (header, line 2937). 2012 is left blank in the table."))
TABLE_8_1.sort(key=lambda r: r["metric_id"])

# The aims stated in the culture chapter (line 2565), tied there to the first value, customer first.
AIMS = [
    metric("M1014", "alibaba_group", "jobs_created", "undated", "100000000", "count", "jobs to enable (aim)", 2565,
           "stated aim, no horizon given; written c. 2013-14 (fieldwork July 2013). Jobs for others through the platforms, "
           "not Alibaba's own staff; set beside the direct and indirect job counts of Table 8.1"),
    metric("M1015", "alibaba_group", "count", "undated", "1000000000", "count", "consumers to serve (aim)", 2565,
           "stated aim, no horizon given; written c. 2013-14. Line 207 gives the later post-IPO aim of 2 billion consumers worldwide (M0093)"),
]

METRICS = TABLE_8_1 + AIMS
EVENTS: list[dict] = []

if __name__ == "__main__":
    ids = [r["metric_id"] for r in METRICS]
    assert ids == sorted(ids) and all("M1000" <= i <= "M1499" for i in ids), "metric ids out of order or range"
    ids = [r["event_id"] for r in EVENTS]
    assert ids == sorted(ids) and all("E1000" <= i <= "E1499" for i in ids), "event ids out of order or range"
    upsert("metrics", "metric_id", METRICS)
    upsert("events", "event_id", EVENTS)
