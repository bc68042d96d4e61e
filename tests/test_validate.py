"""Validation of an edited copy of the data package: each mistake is one clear problem."""
from __future__ import annotations

import csv

import casekit


def _edit(path, table, row_index, column, value):
    file = path / f"{table}.csv"
    rows = list(csv.reader(open(file, encoding="utf-8", newline="")))
    header = rows[0]
    rows[row_index][header.index(column)] = value
    with open(file, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _messages(path):
    return [str(p) for p in casekit.validate(path)]


def test_a_non_numeric_value_is_reported_with_file_row_and_column(data_copy):
    _edit(data_copy, "metrics", 3, "value", "about 5")
    assert _messages(data_copy) == ["metrics.csv row 4, column value: 'about 5' is not a number (write a plain number in base units, e.g. 25000000000 or 0.56)"]


def test_an_unknown_source_id_is_a_broken_foreign_key(data_copy):
    _edit(data_copy, "events", 5, "source", "wikipedia")
    assert _messages(data_copy) == ["events.csv row 6, column source: 'wikipedia' is not a known sources.source_id"]


def test_a_missing_column_is_reported(data_copy):
    file = data_copy / "glossary.csv"
    rows = list(csv.reader(open(file, encoding="utf-8")))
    with open(file, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:2] for r in rows])
    messages = _messages(data_copy)
    assert any("glossary.csv row 1, column see_also: column is missing" in m for m in messages)


def test_a_duplicate_key_is_reported(data_copy):
    metrics = list(csv.reader(open(data_copy / "metrics.csv", encoding="utf-8")))
    _edit(data_copy, "metrics", 2, "metric_id", metrics[1][0])
    assert any("duplicate key" in m and "metrics.csv row 3" in m for m in _messages(data_copy))


def test_a_malformed_date_is_reported(data_copy):
    _edit(data_copy, "events", 1, "date", "2014/09/19")
    assert any("events.csv row 2, column date" in m and "YYYY" in m for m in _messages(data_copy))


def test_an_impossible_date_is_reported(data_copy):
    _edit(data_copy, "events", 1, "date", "2014-13-40")
    assert any("events.csv row 2, column date" in m for m in _messages(data_copy))


def test_an_unknown_unit_lists_the_allowed_units(data_copy):
    _edit(data_copy, "metrics", 1, "unit", "dollars")
    message = _messages(data_copy)[0]
    assert "'dollars' is not allowed" in message and "USD" in message


def test_a_share_written_as_percent_is_caught(data_copy):
    rows = list(csv.DictReader(open(data_copy / "metrics.csv", encoding="utf-8")))
    index = next(i for i, r in enumerate(rows, 1) if r["metric"] == "market_share" and r["unit"] == "share")
    _edit(data_copy, "metrics", index, "value", "56")
    assert any("outside 0..1" in m for m in _messages(data_copy))


def test_a_folder_without_a_package_is_one_problem(tmp_path):
    assert len(casekit.validate(tmp_path)) == 1


def test_a_tag_missing_from_the_vocabulary_is_reported(data_copy):
    _edit(data_copy, "events", 2, "tags", "founding no_such_tag")
    messages = _messages(data_copy)
    assert "events.csv row 3, column tags: 'no_such_tag' not defined in tags.csv (add it there first)" in messages


def test_a_malformed_tag_list_is_reported(data_copy):
    _edit(data_copy, "metrics", 2, "tags", "Two  Spaces")
    assert any(m.startswith("metrics.csv row 3, column tags: 'Two  Spaces' is not in the allowed form") for m in _messages(data_copy))


def test_a_negative_level_is_reported(data_copy):
    rows = list(csv.DictReader(open(data_copy / "metrics.csv", encoding="utf-8")))
    index = next(i for i, r in enumerate(rows, 1) if r["metric"] == "merchants")
    _edit(data_copy, "metrics", index, "value", "-5")
    assert any(f"metrics.csv row {index + 1}, column value: -5 is negative" in m and "only a change" in m for m in _messages(data_copy))


def test_a_negative_multiple_is_reported(data_copy):
    rows = list(csv.DictReader(open(data_copy / "metrics.csv", encoding="utf-8")))
    index = next(i for i, r in enumerate(rows, 1) if r["metric"] == "growth_rate" and r["unit"] == "ratio")
    _edit(data_copy, "metrics", index, "value", "-2")
    assert any("negative multiple" in m for m in _messages(data_copy))
