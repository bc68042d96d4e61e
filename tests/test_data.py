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
