"""The casekit command: output, exit codes, and one-line errors without tracebacks.

Most tests call the command in-process (``main``); those about the process itself (``python -m``,
a closed pipe) run it as a separate process."""
from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from .conftest import REPO, SEEDS, needs_seeds, run_cli


def test_every_command_has_help(main):
    for args in (["--help"], ["data", "--help"], ["data", "list", "--help"], ["data", "show", "--help"],
                 ["data", "validate", "--help"], ["data", "conflicts", "--help"], ["data", "verify", "--help"],
                 ["build", "--help"], ["params", "--help"], ["student", "--help"], ["lab", "--help"]):
        code, out, _ = main(*args)
        assert code == 0 and "usage: casekit" in out, args


def test_data_list_shows_tables_rows_and_version(main):
    code, out, _ = main("data", "list")
    assert code == 0
    assert "data package 1." in out
    for table in ("sources", "entities", "events", "metrics", "glossary"):
        assert table in out


def test_data_show_filters_and_limits(main):
    code, out, _ = main("data", "show", "metrics", "--where", "entity=taobao", "--head", "3")
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 4 and all("taobao" in line for line in lines[1:])


def test_data_show_prints_figures_as_a_reader_writes_them(main):
    """Values with their unit and scale ("642 thousand", "RMB15 billion"), never 6.420000e+05."""
    from casekit import load
    from casekit.prose import figure as format_value

    metrics = load("metrics")
    code, out, _ = main("data", "show", "metrics")
    assert code == 0
    assert "e+" not in out, "figures in scientific notation"
    for row in metrics[metrics["unit"].isin(["CNY", "USD", "share"])].head(20).itertuples():
        assert format_value(row.value, row.unit) in out
    big = metrics[(metrics["unit"] == "CNY") & (metrics["value"] >= 1e9)].iloc[0]
    assert "RMB" in format_value(big["value"], "CNY") and "billion" in format_value(big["value"], "CNY")


def test_data_show_csv_keeps_base_units_for_scripts(main):
    from casekit import load

    metrics = load("metrics")
    code, out, _ = main("data", "show", "metrics", "--csv")
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == len(metrics) and list(rows[0]) == list(metrics.columns)
    for row, value, unit in zip(rows, metrics["value"], metrics["unit"]):
        assert float(row["value"]) == value and row["unit"] == unit


def test_data_conflicts_in_words_and_as_csv(main):
    from casekit import conflicts

    frame = conflicts()
    code, out, _ = main("data", "conflicts")
    assert code == 0 and f"{frame['conflict'].nunique()} conflicts" in out.splitlines()[-1]
    assert "e+" not in out
    code, out, _ = main("data", "conflicts", "--csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and len(rows) == len(frame) and float(rows[0]["value"]) == frame["value"].iloc[0]


def test_data_show_fields_describes_the_schema(main):
    code, out, _ = main("data", "show", "events", "--fields")
    assert code == 0 and "ISO 8601" in out


@pytest.mark.parametrize("args, message", [
    (["data", "show", "nope"], "no table named 'nope'; the tables are: sources, entities"),
    (["data", "show", "metrics", "--where", "colour=red"], "no column 'colour' in metrics"),
    (["data", "show", "metrics", "--where", "entity"], "write COL=VALUE"),
    (["data", "validate", "/nonexistent/folder"], "no datapackage.json here"),
])
def test_user_errors_are_one_line_without_traceback(main, args, message):
    code, out, err = main(*args)
    assert code == 1
    assert message in out + err
    assert "Traceback" not in out + err


def test_validate_exits_zero_on_the_shipped_package(main):
    code, out, _ = main("data", "validate")
    assert code == 0 and "valid" in out


def test_validate_a_broken_copy_prints_one_line_per_problem(main, data_copy):
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
    code, out, err = main("data", "validate", str(data_copy))
    assert code == 1
    assert "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 4
    assert any(line.startswith("metrics.csv row 2, column value: 'n/a' is not a number") for line in lines)
    assert any(line.startswith("metrics.csv row 3, column source: 'rumour' is not a known sources.source_id") for line in lines)
    assert any(line.startswith("metrics.csv row 5, column metric_id") and "duplicate key" in line for line in lines)
    assert any(line.startswith("events.csv row 2, column date: '19-09-2014'") for line in lines)


@needs_seeds
def test_verify_passes_on_the_shipped_package(main):
    code, out, _ = main("data", "verify", "--seeds", str(SEEDS))
    assert code == 0, out[-2000:]


@needs_seeds
def test_verify_catches_a_figure_moved_to_the_wrong_line(main, data_copy):
    rows = list(csv.reader(open(data_copy / "metrics.csv", encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("line")] = str(int(rows[1][header.index("line")]) + 40)
    rows[1][header.index("value")] = "123456789"
    with open(data_copy / "metrics.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    code, out, _ = main("data", "verify", str(data_copy), "--seeds", str(SEEDS))
    assert code == 1
    assert out.startswith("metrics.csv row 2, column value: 1.23457e+08 is not within 3 lines")


def test_verify_without_sources_says_where_to_find_them(main, data_copy, tmp_path):
    code, _, err = main("data", "verify", str(data_copy), "--seeds", str(tmp_path / "missing"))
    assert code == 1 and "cannot find the source texts" in err and "Traceback" not in err


def test_python_dash_m_and_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("casekit ")


@pytest.mark.parametrize("args", [["data", "show", "metrics"], ["data", "conflicts"], ["data", "show", "metrics", "--csv"]])
def test_a_closed_pipe_ends_the_command_quietly(args):
    """``casekit data conflicts | head``: the reader has gone before the first line is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: every write fails with EPIPE
    try:
        process = subprocess.run([sys.executable, "-m", "casekit", *args], stdout=write_end, stderr=subprocess.PIPE,
                                 text=True, cwd=REPO, timeout=120)
    finally:
        os.close(write_end)
    assert process.stderr == "", process.stderr
    assert process.returncode == 141  # 128 + SIGPIPE, as other Unix tools end
