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

# Research for the case rewrite (issue 11): figures the decision-led chapters need that the earlier
# curation left out. Comparisons first (sellers' costs, US start-up benchmarks, fund minimums).
RESEARCH = [
    metric("M1016", "ebay", "duration", "undated", "18", "months", "Taobao's life expectancy (eBay forecast)", 741,
           "eBay chief executive Meg Whitman's forecast, made when Taobao launched in 2003, that it would last 18 months at most; "
           "18 months later EachNet's COO expected a long war instead"),
    metric("M1017", "alibaba_sellers", "share_other", "undated", "0.1", "share", "promotion fees, clothing seller (low)", 1093,
           "low end of the 10-15% that promotion takes from a small Taobao clothing business (Manager Lu, under 30 staff), "
           "listed beside warehouse rent, utilities and wages; the base (sales or costs) is not stated; c. 2012-13"),
    metric("M1018", "alibaba_sellers", "share_other", "undated", "0.15", "share", "promotion fees, clothing seller (high)", 1093,
           "high end of the same 10-15% range; the book does not say how much of it is paid to the platform"),
    metric("M1019", "alibaba_sellers", "amount_other", "2012", "20000000", "CNY", "case: Manager Lu, clothing seller", 1093,
           "less than; gross income of a Taobao clothing company with under 30 workers that still made no profit"),
    metric("M1020", "alibaba_sellers", "amount_other", "undated", "30000000", "CNY", "case: break-even scale for own brands", 1095,
           "one seller's view that a grassroots own-brand store needs yearly income above this to make a sizable profit"),
    metric("M1021", "alibaba_sellers", "share_other", "undated", "0.9", "share", "clothing sellers sunk by inventory", 1097,
           "some; share of clothing sellers said to fail from excess inventory; an anecdotal claim, no survey named"),
    metric("M1022", "taobao", "share_other", "undated", "0.85", "share", "sellers using service tools", 1611,
           "share of Taobao sellers working with e-commerce service tools, as quoted from Tmall's deputy CEO; c. 2012-13"),
    metric("M1023", "china_economy", "amount_other", "undated", "100", "CNY", "usual fund minimum (low)", 2104,
           "minimum purchase funds normally asked before Yu'e Bao (100-1,000 RMB); set beside its 1 RMB minimum (M0736)"),
    metric("M1024", "china_economy", "amount_other", "undated", "1000", "CNY", "usual fund minimum (high)", 2104,
           "upper end of the usual 100-1,000 RMB fund minimum"),
    metric("M1025", "alibaba_group", "count", "undated", "30", "count", "graded value behaviours", 2833,
           "the six values split into 30 behaviours, each graded in staff appraisals; c. 2013"),
    metric("M1026", "alibaba_group", "share_other", "undated", "0.5", "share", "appraisal weight on values", 2833,
           "50 of 100 appraisal points go to values, 50 to business results; poor values mean dismissal, poor results a second chance"),
    metric("M1027", "taobao_villages", "share_other", "undated", "0.05", "share", "Maxiao Village level ground", 215,
           "share of level ground in Maxiao, a mountain Taobao village in Lin'an, Zhejiang, visited c. 2015"),
    metric("M1028", "china_economy", "change_other", "2013", "0.007", "share", "services share of trade", 1797,
           "rise of the services share of trade against 2012, read as percentage points (the source writes 0.7 percent higher)"),
    metric("M1029", "china_economy", "count", "undated", "60000", "count", "booths, Yiwu wholesale market", 1233,
           "some; booths of the Yiwu small-commodities market, set beside Taobao's 6 million vendors in the same sentence"),
    metric("M1030", "us_economy", "jobs_created", "undated", "5.8", "count", "per new employer firm", 339,
           "average jobs per new US employer firm (4.4 hired plus 1.4 founders' own), from US survey data (Lowrey 2011)"),
    metric("M1031", "us_economy", "jobs_created", "undated", "1.2", "count", "per new nonemployer firm", 339,
           "average founders' jobs per new US firm without staff; the same 1.2 as self-employed people per Taobao store (M0608)"),
    metric("M1032", "us_economy", "count", "undated", "300000", "count", "new employer firms a year", 391,
           "roughly; US entrepreneurs who hire staff each year"),
    metric("M1033", "us_economy", "jobs_created", "undated", "1000000", "count", "jobs a year from new employer firms", 393,
           "more than; new US jobs a year from the roughly 300,000 new employer firms"),
    metric("M1034", "us_economy", "count", "undated", "2000000", "count", "new nonemployer entrepreneurs a year", 393,
           "another; US starters each year who hire nobody"),
]

PEOPLE = [
    # Protagonists and witnesses of the decisions the Lowrey volume describes; titles as the source gives them.
    ("sun_tongyu", "Sun Tongyu", "taobao", "China",
     "Founding team member the Lowrey volume names as Taobao's chief executive when it was built in secret in 2003 and as leader of its fight with eBay."),
    ("meg_whitman", "Meg Whitman", "ebay", "United States",
     "eBay's chief executive, who according to the Lowrey volume gave Taobao 18 months at most."),
    ("hu_xiaoming", "Hu Xiaoming", "ant_group", "China",
     "Alibaba deputy CEO for innovative finance and chief risk officer of its micro-finance group in the Lowrey volume; the voice of its under-1-million-RMB lending."),
    ("zhan_lu", "Zhan Lu", "taobao", "China",
     "Chief inspector of Taobao's vendor development department in 2013, who argued the platform should keep order rather than control sellers."),
    ("shao_xiaofeng", "Shao Xiaofeng", "alipay", "China",
     "Former Alipay chief executive, who described its start as credit escrow rather than payment."),
    ("liang_chunxiao", "Liang Chunxiao", "alibaba_research_institute", "China",
     "Director of the Alibaba Research Institute and group deputy CEO in the Lowrey volume; he brought the book's author to Alibaba in 2012."),
    ("wang_jian", "Wang Jian", "alibaba_group", "China",
     "Alibaba's chief technology officer in the Lowrey volume, who tied the hiring of engineers to technical problems no other firm had met."),
    ("zhou_xiaochuan", "Zhou Xiaochuan", "pboc", "China",
     "Three-term governor of the People's Bank of China, quoted welcoming internet finance as competition that would improve the banks."),
    ("huang_ruo", "Huang Ruo", "taobao", "China",
     "One of Taobao's founders, who called the mall's independence Taobao's denial of its own success."),
    ("zhang_yu", "Zhang Yu", "taobao", "China",
     "Group vice president formerly in charge of Taobao, who in 2013 described handing merchandising choices to sellers."),
    ("deng_kangming", "Deng Kangming", "alibaba_group", "China",
     "Alibaba deputy CEO who defended the yearly rotation of managers between jobs."),
    ("guan_mingsheng", "Guan Mingsheng", "alibaba_group", "China",
     "Executive who joined in 2001 and drafted the first nine company values with the founders."),
]
ENTITIES = [{"entity_id": i, "name": n, "kind": "person", "parent": parent, "country": c, "description": d}
            for i, n, parent, c, d in PEOPLE]

EVENTS = [
    event("E1000", "1999", "alibaba_com", "business_model", "B2B sites earn from membership fees",
          "From 1999 to 2007 the domestic and international B2B sites charged small firms a fee for a space of their own; "
          "buyers found sellers online but closed deals offline.", 735),
    event("E1001", "2010", "taobao", "business_model", "Taobao declines to shield its first sellers",
          "As newcomers outsold the early sellers, Alibaba chose uniform rules for all shops over protecting the old guard, "
          "so traffic would follow selling skill.", 884,
          note="Undated in the passage itself; it stands under the heading for 2010 (line 880) beside the 2010 MBA launch (line 882)."),
]

METRICS = TABLE_8_1 + AIMS + RESEARCH

if __name__ == "__main__":
    ids = [r["metric_id"] for r in METRICS]
    assert ids == sorted(ids) and all("M1000" <= i <= "M1499" for i in ids), "metric ids out of order or range"
    ids = [r["event_id"] for r in EVENTS]
    assert ids == sorted(ids) and all("E1000" <= i <= "E1499" for i in ids), "event ids out of order or range"
    upsert("entities", "entity_id", ENTITIES)
    upsert("metrics", "metric_id", METRICS)
    upsert("events", "event_id", EVENTS)
