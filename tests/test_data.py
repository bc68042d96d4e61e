"""The data package: schema, keys, provenance of every row, and the typed loader."""
from __future__ import annotations

import time

import pandas as pd
import pytest

import casekit
from casekit.errors import UnknownTable

from .conftest import DATA, SEEDS, needs_seeds

TABLES = ["sources", "entities", "events", "metrics", "metric_definitions", "glossary", "tags"]


def test_shipped_package_is_valid():
    assert casekit.validate() == []


def test_frictionless_agrees_that_the_package_is_valid():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:5]


@needs_seeds
def test_every_figure_and_date_stands_on_its_cited_line():
    problems = casekit.verify(seeds=SEEDS)
    assert problems == [], "\n".join(map(str, problems[:20]))


@needs_seeds
def test_every_source_names_an_existing_text_file():
    for row in casekit.sources().itertuples():
        assert (SEEDS / row.text_file).is_file(), row.text_file


def test_the_package_is_as_large_as_the_case_needs():
    counts = casekit.datasets().set_index("table")["rows"]
    assert counts["metrics"] >= 250
    assert counts["events"] >= 150
    assert counts["entities"] >= 40
    assert counts["sources"] == 5


def test_the_systems_the_case_turns_on_are_entities():
    ids = set(casekit.load("entities")["entity_id"])
    wanted = {"taobao", "tmall", "alibaba_com", "b2b_1688", "industrial_clusters", "taobao_villages", "alipay",
              "ant_group", "ali_small_loans", "mybank", "yuebao", "sesame_credit", "cainiao", "alibaba_cloud", "qwen",
              "aliexpress", "lazada", "eleme", "singles_day", "ebay", "eachnet", "jd_com", "pinduoduo", "amazon_china",
              "tencent", "wechat_pay", "meituan", "samr", "jack_ma", "joe_tsai"}
    assert wanted <= ids, wanted - ids


def test_every_source_contributes_rows_and_every_row_cites_a_source():
    metrics, events = casekit.load("metrics"), casekit.load("events")
    used = set(metrics["source"]) | set(events["source"])
    assert used == set(casekit.sources()["source_id"])
    assert metrics["line"].notna().all() and events["line"].notna().all()


def test_loader_types_columns_by_the_schema():
    metrics = casekit.load("metrics")
    assert metrics["value"].dtype == "float64"
    assert str(metrics["line"].dtype) == "Int64"
    assert metrics["disputed"].dtype == bool
    assert isinstance(metrics["unit"].dtype, pd.CategoricalDtype)
    sources = casekit.sources()
    assert sources["reliability"].cat.ordered and list(sources["reliability"].cat.categories) == ["low", "medium", "high"]


def test_partial_dates_sort_and_keep_their_precision():
    events = casekit.load("events")
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    sample = events.set_index("date")
    for text, precision in (("1999", "year"), ("2014-09-19", "day")):
        if text in sample.index:
            assert set(sample.loc[[text], "date_precision"]) == {precision}
    assert set(events["date_precision"]) <= {"year", "month", "day"}
    assert events.loc[events["date"].str.len() == 7, "date_precision"].eq("month").all()


def test_metric_periods_give_a_year():
    metrics = casekit.load("metrics")
    dated = metrics[metrics["period"] != "undated"]
    assert dated["year"].notna().all()
    fy = metrics[metrics["period"] == "FY2021"]
    assert (fy["year"] == 2021).all()


def test_loading_every_table_is_fast():
    casekit.load.__globals__["_load_typed"].cache_clear()
    started = time.perf_counter()
    for name in TABLES:
        casekit.load(name)
    assert time.perf_counter() - started < 1.0


def test_loading_an_unknown_table_names_the_tables():
    with pytest.raises(UnknownTable) as error:
        casekit.load("nope")
    assert "metrics" in str(error.value) and "nope" in str(error.value)


def test_load_returns_a_fresh_frame_each_time():
    first = casekit.load("sources")
    first.loc[0, "title"] = "changed"
    assert casekit.load("sources").loc[0, "title"] != "changed"


def test_describe_gives_units_and_allowed_values():
    fields = casekit.describe("metrics").set_index("field")
    assert "USD" in fields.loc["unit", "allowed"]
    assert fields.loc["value", "type"] == "number"


def test_cite_names_sources_and_lines():
    metrics = casekit.load("metrics")
    rows = metrics[metrics["source"] == "alibaba_way"].head(3)
    text = str(casekit.cite(rows))
    assert "Lowrey" in text and "medium reliability" in text
    assert all(str(n) in text for n in rows["line"])


def test_conflicts_show_different_values_for_the_same_figure_side_by_side():
    conflicts = casekit.conflicts()
    assert conflicts["conflict"].nunique() >= 5
    for _, group in conflicts.groupby("conflict"):
        assert group[["entity", "metric", "period", "unit", "scope"]].nunique().max() == 1
        assert group["value"].nunique() > 1


def test_stricter_reliability_leaves_fewer_conflicts():
    assert casekit.conflicts(min_reliability="medium")["conflict"].nunique() <= casekit.conflicts()["conflict"].nunique()
    assert set(casekit.conflicts(min_reliability="medium")["reliability"]) <= {"medium", "high"}


def test_content_hash_changes_when_a_table_changes(data_copy):
    before = casekit.content_hash(data_copy)
    with open(data_copy / "glossary.csv", "a", encoding="utf-8") as handle:
        handle.write('zzz,"A term added by the test.",\n')
    assert casekit.content_hash(data_copy) != before
    assert casekit.version(data_copy) == casekit.version()


# Audit fixes (issue 11): signs, units, entities, the Lowrey volume's Table 8.1 and stated aims.

FALL_WORDS = r"\b(?:fell|fall|falls|declin\w*|drop\w*|cut|cuts|reduc\w*|decreas\w*|slowdown|slowed)\b"
CHANGE_METRICS = {"growth_rate", "revenue_growth", "change_other"}


def test_a_change_described_as_a_fall_is_negative():
    metrics = casekit.load("metrics")
    changes = metrics[metrics["metric"].isin(CHANGE_METRICS) & (metrics["unit"] != "ratio")]
    text = changes["scope"].fillna("") + " " + changes["note"].fillna("")
    falls = changes[text.str.contains(FALL_WORDS, case=False, regex=True)]
    assert len(falls) >= 10
    assert (falls["value"] < 0).all(), falls.loc[falls["value"] >= 0, "metric_id"].tolist()
    assert (metrics.loc[~metrics["metric"].isin(CHANGE_METRICS), "value"] >= 0).all()
    assert (metrics.loc[metrics["unit"] == "ratio", "value"] > 0).all()


def test_a_fall_is_not_hidden_as_a_positive_level():
    metrics = casekit.load("metrics")
    levels = metrics[~metrics["metric"].isin(CHANGE_METRICS)]
    described = levels["note"].fillna("").str.contains(r"\(a fall\)|^(?:cut|drop|fall|reduction|decline) in", case=False, regex=True)
    assert not described.any(), levels.loc[described, "metric_id"].tolist()


def test_the_gdp_and_export_falls_of_2008_and_2009_are_negative():
    metrics = casekit.load("metrics").set_index("metric_id")
    assert metrics.loc["M0436", "value"] == -0.05 and metrics.loc["M0438", "value"] == -0.03
    assert metrics.loc["M0437", ["metric", "value"]].tolist() == ["growth_rate", -0.18]


UNITS_BY_METRIC = {
    "money": ({"gmv", "revenue", "net_income", "adjusted_ebitda", "free_cash_flow", "rd_spend", "investment", "capex_plan",
               "deal_value", "funding_raised", "ipo_raised", "market_value", "payment_volume", "loans_issued", "loan_balance",
               "loan_size", "fund_assets", "fine", "amount_other"}, {"USD", "CNY", "HKD", "MOP", "CNY_per_person", "CNY_per_day"}),
    "counts": ({"active_buyers", "monthly_active_users", "registered_users", "users", "merchants", "transactions", "orders",
                "daily_orders", "peak_orders_per_second", "parcels", "borrowers", "employees", "jobs_created", "villages",
                "stations", "counties", "countries", "data_centers", "downloads", "patents", "open_source_projects",
                "students_trained", "count"}, {"count"}),
    "shares": ({"market_share", "revenue_share", "default_rate", "rd_share_of_revenue", "ebitda_margin", "stake",
                "interest_rate", "fund_yield", "revenue_growth"}, {"share"}),
    "share or multiple": ({"growth_rate", "share_other"}, {"share", "ratio"}),
    "time": ({"duration", "delivery_days"}, {"minutes", "hours", "days", "months", "years"}),
    "age": ({"age"}, {"years"}),
    "physical": ({"physical_quantity"}, {"tonnes", "sq_m", "km"}),
    "price": ({"share_price"}, {"USD_per_share"}),
}


def test_every_unit_suits_its_metric():
    metrics = casekit.load("metrics")
    for family, (names, units) in UNITS_BY_METRIC.items():
        rows = metrics[metrics["metric"].isin(names)]
        wrong = rows[~rows["unit"].astype(str).isin(units)]
        assert wrong.empty, f"{family}: {wrong[['metric_id', 'metric', 'unit']].values.tolist()}"
    counts = metrics[metrics["unit"] == "count"]
    hidden = counts["note"].fillna("").str.contains(
        r"^(?:total )?(?:minutes|hours|days|months|years|tonnes|km)\b|\(no \w+ unit\)|stored as a count", case=False, regex=True)
    assert not hidden.any(), counts.loc[hidden, "metric_id"].tolist()  # a time or weight written as a count
    assert metrics.set_index("metric_id").loc["M0679", ["metric", "unit"]].tolist() == ["physical_quantity", "tonnes"]
    assert metrics.set_index("metric_id").loc["M0543", ["metric", "unit"]].tolist() == ["duration", "months"]


def test_other_countries_figures_are_not_filed_under_china():
    metrics = casekit.load("metrics")
    china = metrics[metrics["entity"].isin(["china_economy", "china_ecommerce", "china_internet"])]
    # US trade cases against Chinese goods are about China; a world or Brazilian average is not.
    foreign = china["scope"].fillna("").str.contains(r"\b(?:Brazil|India|world|global)\b", case=False, regex=True)
    assert not foreign.any(), china.loc[foreign, "metric_id"].tolist()
    entities = metrics.set_index("metric_id")["entity"]
    assert entities["M0447"] == "world_economy" and entities["M0448"] == "brazil_economy"


def test_the_three_2012_online_retail_totals_are_all_flagged():
    metrics = casekit.load("metrics")
    retail = metrics[(metrics["entity"] == "china_ecommerce") & (metrics["metric"] == "gmv")
                     & (metrics["period"] == "2012") & (metrics["scope"] == "China online retail")]
    assert set(retail["line"]) >= {646, 1609, 3063}
    assert retail["disputed"].all()


def test_table_8_1_gives_the_national_series_2008_to_2013():
    metrics = casekit.load("metrics")
    table = metrics[(metrics["source"] == "alibaba_way") & metrics["line"].between(2939, 2944) & (metrics["entity"] == "china_ecommerce")]
    volume = table[table["metric"] == "gmv"].set_index("period")["value"]
    assert list(volume.index) == [str(y) for y in range(2008, 2014)]
    assert volume.is_monotonic_increasing
    assert table[table["metric"] == "gmv"]["disputed"].all()  # the header's unit is wrong by a factor of ten
    jobs = table[table["metric"] == "jobs_created"]
    for scope in ("direct", "indirect"):
        series = jobs[jobs["scope"] == scope].set_index("period")["value"]
        assert list(series.index) == ["2008", "2009", "2010", "2011"] and series.is_monotonic_increasing


def test_the_stated_aims_of_jobs_and_consumers_are_in_the_data():
    metrics = casekit.load("metrics")
    aims = metrics[(metrics["source"] == "alibaba_way") & (metrics["line"] == 2565)]
    assert set(zip(aims["metric"], aims["value"])) >= {("jobs_created", 1e8), ("count", 1e9)}


def test_a_negative_value_needs_a_fall_in_the_text():
    from casekit.provenance import value_stands

    assert value_stands(-0.18, "exports fell by another 18 percent")
    assert not value_stands(-0.18, "exports grew by another 18 percent")
    assert value_stands(0.18, "exports grew by another 18 percent")


def test_a_table_row_takes_its_unit_from_the_header():
    from casekit.provenance import table_header, value_stands

    lines = ("TABLE", "YEAR\tVOLUME (100 BILLION RMB)\tJOBS (10,000s OF PEOPLE)", "2008\t3.2\t45", "", "x", "x", "x", "x",
             "2013\t10.2\t220")
    header = table_header(lines, 3)
    assert value_stands(3.2e11, lines[2], header) and value_stands(450000, lines[2], header)
    assert table_header(lines, 1) == "" and table_header(lines, 9) == ""
    assert not value_stands(1.02e12, lines[8], table_header(lines, 9))  # a row cut off from its header keeps bare numbers


def test_a_compound_number_word_is_read():
    from casekit.provenance import value_stands

    assert value_stands(0.85, "Eighty-five percent of the vendors use service tools")
    assert not value_stands(0.86, "Eighty-five percent of the vendors use service tools")


def test_a_case_hands_out_its_filtered_rows_as_copies_that_follow_its_parameters():
    case = casekit.open_case("history", {"start_year": 2010, "end_year": 2013})
    first = case.metrics(entity="Taobao", metric="count")
    assert len(first) > 2 and first["year"].between(2010, 2013).all()
    first.loc[:, "value"] = -1  # a chapter that changes its frame changes nobody else's
    again = case.metrics(entity="Taobao", metric="count")
    assert (again["value"] > 0).all() and again["metric_id"].tolist() == first["metric_id"].tolist()
    assert case.metrics(entity=["Taobao"], metric=["count"])["metric_id"].tolist() == again["metric_id"].tolist()
    case.params["start_year"] = 2013  # a changed parameter is a new request, not the remembered one
    later = case.metrics(entity="Taobao", metric="count")
    assert len(later) < len(again) and (later["year"] >= 2013).all()
