"""Edit data/*.csv in place without disturbing rows nobody meant to touch.

The tables are written back with Python's csv module exactly as they are stored (minimal quoting,
"\n" line ends), so `git diff` shows only the cells a script changed or the rows it appended.
"""
from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def read(table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write(table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(DATA / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def update(table: str, key: str, changes: dict[str, dict[str, str]]) -> None:
    """Set the given cells of the rows whose ``key`` column is in ``changes``; every id must exist."""
    header, rows = read(table)
    found = set()
    for row in rows:
        if row[key] in changes:
            unknown = set(changes[row[key]]) - set(header)
            assert not unknown, f"{table}: no column {unknown}"
            row.update(changes[row[key]])
            found.add(row[key])
    missing = set(changes) - found
    assert not missing, f"{table}: no row {sorted(missing)}"
    write(table, header, rows)


def upsert(table: str, key: str, new_rows: list[dict[str, str]]) -> None:
    """Replace rows with the same key, or append them at the end (in the order given)."""
    header, rows = read(table)
    by_key = {r[key]: r for r in new_rows}
    for row in new_rows:
        unknown = set(row) - set(header)
        assert not unknown, f"{table}: no column {unknown}"
    kept = []
    for row in rows:
        if row[key] in by_key:
            row.update(by_key.pop(row[key]))
        kept.append(row)
    kept += [{**{h: "" for h in header}, **r} for r in new_rows if r[key] in by_key]
    write(table, header, kept)
