"""The casekit command: output, exit codes, and one-line errors without tracebacks."""
from __future__ import annotations

import csv

import pytest

from .conftest import SEEDS, needs_seeds, run_cli


def test_every_command_has_help():
    for args in (["--help"], ["data", "--help"], ["data", "list", "--help"], ["data", "show", "--help"],
                 ["data", "validate", "--help"], ["data", "conflicts", "--help"], ["data", "verify", "--help"],
                 ["build", "--help"], ["params", "--help"]):
        result = run_cli(*args)
        assert result.returncode == 0 and "usage: casekit" in result.stdout, args


def test_data_list_shows_tables_rows_and_version():
    result = run_cli("data", "list")
    assert result.returncode == 0
    assert "data package 1." in result.stdout
    for table in ("sources", "entities", "events", "metrics", "glossary"):
        assert table in result.stdout


def test_data_show_filters_and_limits():
    result = run_cli("data", "show", "metrics", "--where", "entity=taobao", "--head", "3")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 4 and all("taobao" in line for line in lines[1:])


def test_data_show_fields_describes_the_schema():
    result = run_cli("data", "show", "events", "--fields")
    assert result.returncode == 0 and "ISO 8601" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["data", "show", "nope"], "no table named 'nope'; the tables are: sources, entities"),
    (["data", "show", "metrics", "--where", "colour=red"], "no column 'colour' in metrics"),
    (["data", "show", "metrics", "--where", "entity"], "write COL=VALUE"),
    (["data", "validate", "/nonexistent/folder"], "no datapackage.json here"),
])
def test_user_errors_are_one_line_without_traceback(args, message):
    result = run_cli(*args)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert message in output
    assert "Traceback" not in output


def test_validate_exits_zero_on_the_shipped_package():
    result = run_cli("data", "validate")
    assert result.returncode == 0 and "valid" in result.stdout


def test_validate_a_broken_copy_prints_one_line_per_problem(data_copy):
    rows = list(csv.reader(open(data_copy / "metrics.csv", encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("value")] = "n/a"
    rows[2][header.index("source")] = "rumour"
    rows[3][0] = rows[4][0]
    with open(data_copy / "metrics.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    events = list(csv.reader(open(data_copy / "events.csv", encoding="utf-8")))
    events[1][1] = "19-09-2014"
    with open(data_copy / "events.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(events)
    result = run_cli("data", "validate", str(data_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert any(line.startswith("metrics.csv row 2, column value: 'n/a' is not a number") for line in lines)
    assert any(line.startswith("metrics.csv row 3, column source: 'rumour' is not a known sources.source_id") for line in lines)
    assert any(line.startswith("metrics.csv row 5, column metric_id") and "duplicate key" in line for line in lines)
    assert any(line.startswith("events.csv row 2, column date: '19-09-2014'") for line in lines)


@needs_seeds
def test_verify_passes_on_the_shipped_package():
    result = run_cli("data", "verify", "--seeds", str(SEEDS))
    assert result.returncode == 0, result.stdout[-2000:]


@needs_seeds
def test_verify_catches_a_figure_moved_to_the_wrong_line(data_copy):
    rows = list(csv.reader(open(data_copy / "metrics.csv", encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("line")] = str(int(rows[1][header.index("line")]) + 40)
    rows[1][header.index("value")] = "123456789"
    with open(data_copy / "metrics.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = run_cli("data", "verify", str(data_copy), "--seeds", str(SEEDS))
    assert result.returncode == 1
    assert result.stdout.startswith("metrics.csv row 2, column value: 1.23457e+08 is not within 3 lines")


def test_verify_without_sources_says_where_to_find_them(data_copy, tmp_path):
    result = run_cli("data", "verify", str(data_copy), "--seeds", str(tmp_path / "missing"))
    assert result.returncode == 1 and "cannot find the source texts" in result.stderr and "Traceback" not in result.stderr


def test_conflicts_lists_disagreements():
    result = run_cli("data", "conflicts")
    assert result.returncode == 0 and "conflict(s)" in result.stdout


def test_python_dash_m_and_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("casekit ")
